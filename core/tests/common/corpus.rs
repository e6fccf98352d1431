//! The real GitOps corpus the tests run on, `../shared/corpus/talos-homelab`
//! beside the repository; absent, the tests that need it skip and say why.

use std::path::{Path, PathBuf};

/// The corpus root, or `None` (after printing why) when it is not there.
pub fn root() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/talos-homelab");
    if p.is_dir() {
        Some(p)
    } else {
        println!("skipping: corpus not found at {}", p.display());
        None
    }
}
