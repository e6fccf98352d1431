//! Datasource references of panels and targets, resolved as Grafana does
//! (uid, then name) against the datasources the kustomizations deploy.

use std::collections::{BTreeMap, HashSet};

use crate::dashboard::variable_name;
use crate::index::Index;
use crate::model::{DashboardModel, Datasource, DatasourceRef, Deployment};
use crate::validate::codes;
use crate::validate::finding::{Finding, Fix, Severity};

/// Uids and names Grafana itself provides.
const BUILT_IN: [&str; 8] = [
    "grafana",
    "-- Grafana --",
    "-- Mixed --",
    "-- Dashboard --",
    "__expr__",
    "-- Expression --",
    "default",
    "-100",
];

/// The datasources a dashboard may reference.
pub struct Known<'a> {
    deployed: Vec<&'a Datasource>,
    undeployed: Vec<&'a Datasource>,
    external: HashSet<String>,
    /// Without any GrafanaDatasource in the repository, datasources are
    /// managed elsewhere: literal references cannot be checked.
    checkable: bool,
}

impl<'a> Known<'a> {
    pub fn new(index: &'a Index, external: &[String]) -> Self {
        let no_kustomize = index.kustomizations.is_empty();
        let (deployed, undeployed) = index.datasources.iter().partition(|d| match d.deployment {
            Deployment::Listed { .. } => true,
            Deployment::Unlisted => no_kustomize,
            Deployment::Disabled { .. } => false,
        });
        Self {
            deployed,
            undeployed,
            external: external.iter().cloned().collect(),
            checkable: !index.datasources.is_empty() || !external.is_empty(),
        }
    }

    fn matches(d: &Datasource, key: &str) -> bool {
        d.uid.as_deref() == Some(key) || d.display_name.as_deref() == Some(key)
    }

    fn resolves(&self, key: &str) -> bool {
        self.external.contains(key) || self.deployed.iter().any(|d| Self::matches(d, key))
    }

    /// "uid (Name)" of deployed datasources of a plugin type (all if unknown).
    fn choices(&self, ds_type: Option<&str>) -> Vec<String> {
        self.deployed
            .iter()
            .filter(|d| ds_type.is_none() || d.r#type.as_deref() == ds_type)
            .map(|d| match (&d.uid, &d.display_name) {
                (Some(uid), Some(name)) => format!("`{uid}` ({name})"),
                (None, Some(name)) => format!("`{name}`"),
                (Some(uid), None) => format!("`{uid}`"),
                (None, None) => format!("`{}`", d.name),
            })
            .chain({
                let mut external: Vec<_> = self.external.iter().map(|e| format!("`{e}`")).collect();
                external.sort();
                external
            })
            .collect()
    }

    /// The deployed datasource an import input most likely meant: one whose
    /// name or uid the input's name contains (`DS_PROMETHEUS` → Prometheus),
    /// else the only one of its plugin type.
    fn likely(&self, input: &str, ds_type: Option<&str>) -> Option<&'a str> {
        let input = input.to_ascii_lowercase();
        fn label(d: &Datasource) -> Option<&str> {
            d.display_name.as_deref().or(d.uid.as_deref())
        }
        let named = self.deployed.iter().find(|d| {
            [d.display_name.as_deref(), d.uid.as_deref()]
                .into_iter()
                .flatten()
                .any(|n| n.len() > 2 && input.contains(&n.to_ascii_lowercase()))
        });
        if let Some(d) = named {
            return label(d);
        }
        let of_type: Vec<_> = self
            .deployed
            .iter()
            .filter(|d| ds_type.is_some() && d.r#type.as_deref() == ds_type)
            .collect();
        match of_type.as_slice() {
            [only] => label(only),
            _ => None,
        }
    }
}

/// `spec.datasources` of the CRD: `${inputName}` is replaced by `datasourceName`.
pub type Mappings = BTreeMap<String, String>;

pub fn run(known: &Known<'_>, model: &DashboardModel, mappings: &Mappings, out: &mut Vec<Finding>) {
    // One finding per distinct unresolved reference: its first place and how often.
    let mut unresolved: BTreeMap<String, (String, usize, Finding)> = BTreeMap::new();
    let mut references: Vec<(String, &DatasourceRef)> = Vec::new();
    for panel in model.all_panels() {
        if let Some(r) = &panel.datasource {
            references.push((format!("{}/datasource", panel.pointer), r));
        }
        for target in &panel.targets {
            if let Some(r) = &target.datasource {
                references.push((format!("{}/datasource", target.pointer), r));
            }
        }
    }
    for (pointer, reference) in references {
        let Some(finding) = check(known, model, mappings, &pointer, reference) else {
            continue;
        };
        let entry = unresolved
            .entry(reference.display())
            .or_insert_with(|| (pointer.clone(), 0, finding));
        entry.1 += 1;
    }
    let mut found: Vec<_> = unresolved.into_values().collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    for (_, uses, mut finding) in found {
        if uses > 1 {
            finding
                .message
                .push_str(&format!(" ({uses} panels and queries use it)"));
        }
        out.push(finding);
    }
}

fn check(
    known: &Known<'_>,
    model: &DashboardModel,
    mappings: &Mappings,
    pointer: &str,
    reference: &DatasourceRef,
) -> Option<Finding> {
    let ds_type = reference
        .r#type
        .as_deref()
        .filter(|t| !t.starts_with('$') && *t != "datasource");
    let key = reference
        .uid
        .as_deref()
        .or(reference.name.as_deref())?
        .trim();
    if key.is_empty()
        || BUILT_IN.contains(&key)
        || reference.r#type.as_deref() == Some("datasource")
    {
        return None;
    }
    let error = |message: String, fix: Fix| {
        Some(
            Finding::dashboard(
                codes::DATASOURCE_UNRESOLVED,
                Severity::Error,
                pointer,
                message,
            )
            .with_fix(fix),
        )
    };
    if let Some(var) = variable_name(key) {
        if model.variables.iter().any(|v| v.name == var) {
            return None;
        }
        if let Some(target) = mappings.get(var) {
            if !known.checkable || known.resolves(target) {
                return None;
            }
            return error(
                format!(
                    "spec.datasources maps `${{{var}}}` to \"{target}\", but no deployed datasource \
                     has that name or uid; every panel using it shows \"datasource not found\""
                ),
                Fix::describe(choose("set datasourceName to one of", known, ds_type)),
            );
        }
        let placeholder = var.starts_with("DS_");
        let message = if placeholder {
            format!(
                "`{key}` is a grafana.com import placeholder: nothing replaces it when the operator \
                 provisions this dashboard, so every panel using it shows \"datasource not found\""
            )
        } else {
            format!("`{key}` names no variable of this dashboard and no spec.datasources input")
        };
        let fix = match known.likely(var, ds_type) {
            Some(name) => format!(
                "add to the GrafanaDashboard spec `datasources: [{{inputName: \"{var}\", datasourceName: \"{name}\"}}]`, \
                 or replace `{key}` with the uid of a deployed datasource"
            ),
            None => format!(
                "map the input in the GrafanaDashboard spec (`datasources: [{{inputName: \"{var}\", datasourceName: ...}}]`) \
                 or replace `{key}`; {}",
                choose("the choices are", known, None)
            ),
        };
        return error(message, Fix::describe(fix));
    }
    if !known.checkable || known.resolves(key) {
        return None;
    }
    let elsewhere = known.undeployed.iter().find(|d| Known::matches(d, key));
    let message = match elsewhere {
        Some(d) => format!(
            "datasource \"{key}\" is defined in {}, but no kustomization deploys that file, so \
             Grafana does not have it",
            d.file
        ),
        None => format!(
            "no deployed datasource has uid or name \"{key}\"{}; panels using it show \"datasource not found\"",
            ds_type.map(|t| format!(" (type {t})")).unwrap_or_default()
        ),
    };
    error(message, Fix::describe(choose("use one of", known, ds_type)))
}

fn choose(verb: &str, known: &Known<'_>, ds_type: Option<&str>) -> String {
    let choices = known.choices(ds_type);
    if choices.is_empty() {
        "deploy a GrafanaDatasource for it, or list it with --external-datasource".to_owned()
    } else {
        format!("{verb} the deployed datasources {}", choices.join(", "))
    }
}
