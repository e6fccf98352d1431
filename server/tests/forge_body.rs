//! The pull request description: the validation summary, the override
//! block, and one table row per changed dashboard that stays one row
//! whatever the titles and paths hold.

use dashstudio_server::forge::body::{
    render, ChangeKind, ChangedDashboard, PanelChanges, ValidationSummary,
};

fn dashboard(title: &str, change: ChangeKind) -> ChangedDashboard {
    ChangedDashboard {
        title: title.into(),
        namespace: "monitoring".into(),
        name: "node-exporter".into(),
        folder: Some("Infrastructure".into()),
        file: "apps/monitoring/dashboards/node-exporter.yaml".into(),
        previous_file: None,
        change,
        panels: PanelChanges {
            added: 2,
            removed: 1,
            changed: 3,
        },
    }
}

/// The table's data rows, each split into cells at unescaped `|`.
fn rows(markdown: &str) -> Vec<Vec<String>> {
    let table: Vec<&str> = markdown.lines().filter(|l| l.starts_with('|')).collect();
    assert!(table.len() >= 2, "no table in:\n{markdown}");
    assert!(
        table[1].starts_with("| --- |"),
        "second line is the delimiter row: {}",
        table[1]
    );
    table[2..]
        .iter()
        .map(|line| {
            let mut cells = Vec::new();
            let mut cell = String::new();
            let mut chars = line.trim().trim_start_matches('|').chars().peekable();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => {
                        cell.push(c);
                        if let Some(next) = chars.next() {
                            cell.push(next);
                        }
                    }
                    '|' => cells.push(std::mem::take(&mut cell).trim().to_owned()),
                    _ => cell.push(c),
                }
            }
            cells
        })
        .collect()
}

#[test]
fn one_row_per_dashboard_with_every_column() {
    let mut moved = dashboard("Kubernetes / Pods", ChangeKind::Moved);
    moved.previous_file = Some("dashboards/pods.yaml".into());
    moved.folder = None;
    let changes = [
        dashboard("Node Exporter", ChangeKind::Edited),
        moved,
        dashboard("Old", ChangeKind::Deleted),
    ];

    let md = render(
        &ValidationSummary {
            warnings: 2,
            infos: 1,
            ..ValidationSummary::default()
        },
        &changes,
    );

    assert!(md.contains("### Changed dashboards (3)"), "{md}");
    assert!(
        md.contains("| Dashboard | Namespace/name | Folder | File | Change | Panels +/−/~ |"),
        "{md}"
    );
    let rows = rows(&md);
    assert_eq!(rows.len(), 3, "{md}");
    assert_eq!(
        rows[0],
        [
            "Node Exporter",
            "`monitoring/node-exporter`",
            "Infrastructure",
            "`apps/monitoring/dashboards/node-exporter.yaml`",
            "edited",
            "+2 −1 ~3"
        ]
    );
    assert_eq!(rows[1][0], "Kubernetes / Pods");
    assert_eq!(rows[1][2], "—", "no folder");
    assert_eq!(
        rows[1][3],
        "`dashboards/pods.yaml` → `apps/monitoring/dashboards/node-exporter.yaml`"
    );
    assert_eq!(rows[1][4], "moved");
    assert_eq!(rows[2][4], "deleted");
}

#[test]
fn pipes_newlines_and_markup_in_cells_are_escaped() {
    let mut d = dashboard("CPU | Memory\nper *node* <b>", ChangeKind::Renamed);
    d.folder = Some("Team | A".into());
    d.file = "odd|name`x`.yaml".into();

    let md = render(&ValidationSummary::default(), &[d]);

    let rows = rows(&md);
    assert_eq!(rows.len(), 1, "the newline did not start a new row:\n{md}");
    assert_eq!(
        rows[0].len(),
        6,
        "the pipes did not add cells: {:?}",
        rows[0]
    );
    assert_eq!(rows[0][0], "CPU \\| Memory<br>per \\*node\\* \\<b\\>");
    assert_eq!(rows[0][2], "Team \\| A");
    assert_eq!(rows[0][3], "``odd\\|name`x`.yaml``");
    assert_eq!(rows[0][4], "renamed");
}

#[test]
fn a_clean_validation_is_a_single_line() {
    let md = render(
        &ValidationSummary {
            infos: 4,
            ..ValidationSummary::default()
        },
        &[],
    );
    assert!(md.contains("Passed: 0 errors, 0 warnings, 4 info."), "{md}");
    assert!(md.contains("No dashboard changed."), "{md}");
    assert!(!md.contains("override"), "{md}");
}

#[test]
fn an_override_shows_its_reason_and_every_error_line() {
    let summary = ValidationSummary {
        errors: vec![
            "dashboards/cpu.yaml:12:5 E012 unknown datasource `prom-old`".into(),
            "dashboards/cpu.yaml:40:9 E101 PromQL: unexpected ``` here".into(),
        ],
        warnings: 1,
        infos: 0,
        override_reason: Some("Datasource lands in the next sync | see OPS-12".into()),
    };

    let md = render(&summary, &[dashboard("CPU", ChangeKind::Edited)]);

    assert!(
        md.contains("**Admin override:** 2 errors, 1 warning, 0 info."),
        "{md}"
    );
    assert!(
        md.contains("Reason: Datasource lands in the next sync \\| see OPS-12"),
        "{md}"
    );
    let block: Vec<&str> = md
        .lines()
        .skip_while(|l| !l.starts_with("````text"))
        .collect();
    assert!(
        block.len() >= 4,
        "a fence longer than the ``` inside:\n{md}"
    );
    assert_eq!(block[1], summary.errors[0]);
    assert_eq!(block[2], summary.errors[1]);
    assert_eq!(block[3], "````");
}

#[test]
fn errors_without_an_override_are_counted_not_listed() {
    let summary = ValidationSummary {
        errors: vec!["a.yaml:1:1 E1 broken".into()],
        ..ValidationSummary::default()
    };
    let md = render(&summary, &[]);
    assert!(
        md.contains("**Failed:** 1 error, 0 warnings, 0 info."),
        "{md}"
    );
    assert!(!md.contains("a.yaml:1:1"), "{md}");
}
