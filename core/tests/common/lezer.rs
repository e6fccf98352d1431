//! The official Lezer grammars as an oracle: runs `core/tests/lezer/verdict.mjs`
//! under Node.js on a batch of queries and returns one verdict per query.
//!
//! `make test` installs the grammars (`npm ci` in `core/tests/lezer`) and sets
//! `DASHSTUDIO_REQUIRE_ORACLE=1`, so a missing oracle fails the suite there;
//! a bare `cargo test` without them skips with the reason printed.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde::Deserialize;

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub struct Verdict {
    pub valid: bool,
    /// Byte offset of the first error node when invalid.
    pub error: Option<usize>,
}

/// Verdicts of the Lezer grammar of `lang` (`logql` | `traceql`), or `None`
/// (after printing why) when Node.js or the grammars are not installed.
pub fn verdicts(lang: &str, queries: &[String]) -> Option<Vec<Verdict>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lezer");
    let required = std::env::var("DASHSTUDIO_REQUIRE_ORACLE").is_ok_and(|v| v == "1");
    let missing = |why: String| {
        assert!(!required, "Lezer oracle required but unavailable: {why}");
        println!("skipping differential test: {why} (run `make tools-oracle`)");
        None
    };
    if !dir.join("node_modules/@grafana").is_dir() {
        return missing(format!("{} has no node_modules", dir.display()));
    }
    let mut child = match Command::new("node")
        .arg("verdict.mjs")
        .arg(lang)
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => return missing(format!("cannot run node: {e}")),
    };
    let input = serde_json::to_vec(queries).expect("queries serialise");
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().expect("node runs");
    writer
        .join()
        .expect("writer thread")
        .expect("write queries to node");
    assert!(
        output.status.success(),
        "verdict.mjs failed: {}",
        output.status
    );
    let verdicts: Vec<Verdict> =
        serde_json::from_slice(&output.stdout).expect("verdict.mjs prints JSON");
    assert_eq!(verdicts.len(), queries.len(), "one verdict per query");
    Some(verdicts)
}
