//! What must be unique across the repository: dashboard uids (one overwrites
//! the other) and titles within a folder (Grafana refuses or overwrites).

use std::collections::BTreeMap;

use crate::index::Index;
use crate::model::{Dashboard, Deployment};
use crate::validate::codes;
use crate::validate::finding::{Finding, Fix, Severity};

/// Whether the dashboard reaches Grafana: listed by a kustomization, or any
/// dashboard at all when the repository has no kustomization.
fn deployed(index: &Index, d: &Dashboard) -> bool {
    match d.deployment {
        Deployment::Listed { .. } => true,
        Deployment::Unlisted => index.kustomizations.is_empty(),
        Deployment::Disabled { .. } => false,
    }
}

pub fn run(index: &Index) -> Vec<(&Dashboard, Finding)> {
    let mut out = Vec::new();
    let mut by_uid: BTreeMap<&str, Vec<&Dashboard>> = BTreeMap::new();
    let mut by_title: BTreeMap<(&str, String), Vec<&Dashboard>> = BTreeMap::new();
    for d in &index.dashboards {
        let Some(model) = &d.model else { continue };
        match model
            .uid
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            Some(uid) => by_uid.entry(uid).or_default().push(d),
            None => out.push((d, missing_uid(d))),
        }
        if let Some(title) = model
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            by_title
                .entry((d.folder.as_str(), title.to_lowercase()))
                .or_default()
                .push(d);
        }
    }
    for (uid, group) in by_uid.into_iter().filter(|(_, g)| g.len() > 1) {
        for d in &group {
            let others = others(d, &group);
            let both_deployed = deployed(index, d)
                && group
                    .iter()
                    .any(|o| !std::ptr::eq(*o, *d) && deployed(index, o));
            out.push((
                d,
                Finding::dashboard(
                    codes::DASHBOARD_UID_DUPLICATE,
                    if both_deployed { Severity::Error } else { Severity::Warning },
                    "/uid",
                    format!(
                        "uid \"{uid}\" is also the uid of {others}; {}",
                        if both_deployed {
                            "Grafana keeps one dashboard per uid, so one silently overwrites the other"
                        } else {
                            "only one of them is deployed now, but deploying both makes one overwrite the other"
                        }
                    ),
                )
                .with_fix(Fix::describe("give each dashboard its own uid")),
            ));
        }
    }
    for ((folder, _), group) in by_title.into_iter().filter(|(_, g)| g.len() > 1) {
        let deployed_group: Vec<&Dashboard> = group
            .iter()
            .copied()
            .filter(|d| deployed(index, d))
            .collect();
        if deployed_group.len() < 2 {
            continue;
        }
        for d in &deployed_group {
            out.push((
                d,
                Finding::dashboard(
                    codes::DASHBOARD_TITLE_DUPLICATE,
                    Severity::Error,
                    "/title",
                    format!(
                        "title \"{}\" is also used in folder \"{folder}\" by {}; Grafana allows one \
                         dashboard per title in a folder and rejects or overwrites the other",
                        d.title(),
                        others(d, &deployed_group)
                    ),
                )
                .with_fix(Fix::describe("rename one of them or move it to another folder")),
            ));
        }
    }
    out
}

fn others(d: &Dashboard, group: &[&Dashboard]) -> String {
    group
        .iter()
        .filter(|o| !std::ptr::eq(**o, d))
        .map(|o| format!("{} ({})", o.name, o.file))
        .collect::<Vec<_>>()
        .join(", ")
}

fn missing_uid(d: &Dashboard) -> Finding {
    let suggestion: String = d
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .take(40)
        .collect();
    Finding::dashboard(
        codes::DASHBOARD_UID_MISSING,
        Severity::Warning,
        "",
        "the dashboard JSON has no uid: the operator falls back to the resource's generated \
         metadata.uid, which changes whenever the resource is recreated, breaking every link \
         and bookmark to the dashboard",
    )
    .with_fix(Fix::replace(
        format!("add \"uid\": \"{suggestion}\" to the dashboard JSON"),
        suggestion,
    ))
}
