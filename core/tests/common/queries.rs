//! The query corpus files in `core/tests/queries/<lang>.txt`.
//!
//! Format: one query per line. Blank lines are skipped. A line starting with
//! `%%` is a note for readers (where the queries below come from). A query
//! spanning several lines sits between a line `%%begin` and a line `%%end`.

use std::path::{Path, PathBuf};

/// One query of a corpus file and the line it starts on.
#[derive(Debug, Clone)]
pub struct CorpusQuery {
    pub text: String,
    pub line: usize,
}

pub fn path(lang: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/queries")
        .join(format!("{lang}.txt"))
}

/// Every query of `core/tests/queries/<lang>.txt`, in file order.
pub fn load(lang: &str) -> Vec<CorpusQuery> {
    let path = path(lang);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    parse(&text)
}

pub fn parse(text: &str) -> Vec<CorpusQuery> {
    let mut out = Vec::new();
    let mut block: Option<(usize, Vec<&str>)> = None;
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        if let Some((start, lines)) = block.as_mut() {
            if line == "%%end" {
                out.push(CorpusQuery {
                    text: lines.join("\n"),
                    line: *start,
                });
                block = None;
            } else {
                lines.push(line);
            }
            continue;
        }
        if line == "%%begin" {
            block = Some((number + 1, Vec::new()));
        } else if line.starts_with("%%") || line.trim().is_empty() {
            continue;
        } else {
            out.push(CorpusQuery {
                text: line.to_string(),
                line: number,
            });
        }
    }
    assert!(block.is_none(), "unterminated %%begin block");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn blocks_notes_and_lines() {
        let q = super::parse("%% note\na\n\n%%begin\nb\n# c\n%%end\nd\n");
        let texts: Vec<_> = q.iter().map(|q| (q.text.as_str(), q.line)).collect();
        assert_eq!(texts, [("a", 2), ("b\n# c", 5), ("d", 8)]);
    }
}
