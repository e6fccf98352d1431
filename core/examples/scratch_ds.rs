use std::collections::BTreeMap;
fn main() {
    let root = std::path::Path::new("../shared/corpus/talos-homelab");
    let idx = dashstudio_core::scan_dir(root).unwrap();
    for ds in &idx.datasources {
        println!(
            "DS {:?} {:?} {:?} {:?} {:?}",
            ds.name, ds.display_name, ds.r#type, ds.uid, ds.deployment
        );
    }
    let mut refs: BTreeMap<String, usize> = BTreeMap::new();
    let mut vars: BTreeMap<String, usize> = BTreeMap::new();
    for d in &idx.dashboards {
        let Some(m) = &d.model else { continue };
        for v in &m.variables {
            *vars
                .entry(format!(
                    "{} {:?}",
                    v.r#type,
                    v.query
                        .as_deref()
                        .map(|q| q.chars().take(40).collect::<String>())
                ))
                .or_default() += 1;
        }
        for p in m.all_panels() {
            if let Some(r) = &p.datasource {
                *refs.entry(format!("P {}", r.display())).or_default() += 1;
            }
            for t in &p.targets {
                if let Some(r) = &t.datasource {
                    *refs.entry(format!("T {}", r.display())).or_default() += 1;
                }
            }
        }
    }
    for (k, n) in refs {
        println!("{n:5} {k}");
    }
    for (k, n) in vars.iter().filter(|(k, _)| {
        k.starts_with("datasource") || k.starts_with("constant") || k.starts_with("textbox")
    }) {
        println!("{n:5} VAR {k}");
    }
}
