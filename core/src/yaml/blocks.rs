//! The fast path of [`super::load_documents`]: literal block scalars read
//! line by line, the rest of the file by the YAML parser.
//!
//! A GrafanaDashboard file is a few lines of YAML around one `json: |` block
//! holding the dashboard, often hundreds of kilobytes; the YAML scanner walks
//! such a block one character at a time. Here each block written as
//! `key: |`, `key: |-` or `key: |+` on a line of its own is read by lines
//! (its indentation is that of its first line), and the parser is given the
//! text with the block blanked: reduced to one line, the indentation and `x`.
//! Positions after a blank are moved down by the lines its block had. The
//! parser must then report a literal block starting on that first line whose
//! value is the blank's (`x` and newlines); its value is replaced by the text
//! read here.
//!
//! Anything unusual sends the whole file to the parser unchanged (`None`):
//! carriage returns, no final newline, tabs in indentation, leading empty
//! lines, lines of only spaces deeper than the block, characters YAML does
//! not allow, a block that is not confirmed. The corpus test and a property
//! test compare both paths on every file.

use serde_json::Value;

use super::{parse_events, Document, ScalarStyle};

/// A literal block found in the text.
struct Block {
    /// 0-based index of the block's first content line.
    first: usize,
    /// The block's value, as YAML reads it.
    content: String,
}

/// The documents of `text`, or `None` when the fast path does not apply.
pub(super) fn load(text: &str) -> Option<Vec<Document>> {
    if !text.ends_with('\n') || text.contains('\r') {
        return None;
    }
    let lines = lines_of(text);
    let mut blocks = Vec::new();
    let mut out = String::with_capacity(text.len() / 4);
    // Lines of `text` already in `out`.
    let mut copied = 0;
    // Line number in `out` of each blank's `x` line, and the lines of `text`
    // its block had beyond that one (removed from `out`).
    let mut removed: Vec<(usize, usize)> = Vec::new();
    let mut out_lines = 0;
    let mut i = 0;
    while i < lines.len() {
        let Some((key_indent, chomp)) = header(lines[i]) else {
            i += 1;
            continue;
        };
        let block = read_block(&lines, i + 1, key_indent, chomp)?;
        lines[copied..=i].iter().for_each(|line| out.push_str(line));
        out.push_str(&" ".repeat(block.indent));
        out.push_str("x\n");
        out_lines += i + 1 - copied + 1;
        removed.push((out_lines, block.end - (i + 2)));
        blocks.push(Block {
            first: i + 1,
            content: block.content,
        });
        copied = block.end;
        i = block.end;
    }
    if blocks.is_empty() {
        return None;
    }
    lines[copied..].iter().for_each(|line| out.push_str(line));
    let mut docs = parse_events(&out).ok()?;
    // Lines after a blank move down by the lines its block had.
    let original = |line: usize| {
        line + removed
            .iter()
            .take_while(|(x, _)| *x < line)
            .map(|(_, n)| n)
            .sum::<usize>()
    };
    for doc in &mut docs {
        doc.line = original(doc.line);
        for node in &mut doc.nodes {
            node.line = original(node.line);
        }
    }
    for block in blocks {
        confirm_and_fill(&mut docs, block)?;
    }
    Some(docs)
}

/// The lines of `text`, each with its line break (a final line without one
/// is left out: both fast paths refuse such text first).
pub(super) fn lines_of(text: &str) -> Vec<&str> {
    let mut lines = Vec::with_capacity(text.len() / 32);
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()) {
        lines.push(&text[start..=end]);
        start = end + 1;
    }
    lines
}

/// How trailing line breaks of a block are kept.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Chomp {
    /// `|`: one final line break.
    Clip,
    /// `|-`: none.
    Strip,
    /// `|+`: all of them.
    Keep,
}

/// `key: |` (or `|-`, `|+`) with a plain key: the key's indentation and the
/// chomping.
fn header(line: &str) -> Option<(usize, Chomp)> {
    let line = line.strip_suffix('\n')?.trim_end_matches(' ');
    let (head, chomp) = if let Some(h) = line.strip_suffix(": |") {
        (h, Chomp::Clip)
    } else if let Some(h) = line.strip_suffix(": |-") {
        (h, Chomp::Strip)
    } else if let Some(h) = line.strip_suffix(": |+") {
        (h, Chomp::Keep)
    } else {
        return None;
    };
    let key = head.trim_start_matches(' ');
    let plain = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        && !key.starts_with(['-', '.']);
    plain.then_some((head.len() - key.len(), chomp))
}

pub(super) struct Read {
    pub(super) indent: usize,
    /// Index of the first line after the block.
    pub(super) end: usize,
    pub(super) content: String,
}

/// Reads the block whose content starts at line `start`.
pub(super) fn read_block(
    lines: &[&str],
    start: usize,
    key_indent: usize,
    chomp: Chomp,
) -> Option<Read> {
    let first = *lines.get(start)?;
    let indent = first.len() - first.trim_start_matches(' ').len();
    let body = &first[indent..];
    // No leading empty line, no tab before the text, deeper than the key.
    if body == "\n" || body.starts_with('\t') || indent <= key_indent {
        return None;
    }
    let mut end = start;
    // Lines of content and the empty lines after the last of them.
    let mut text_end = start;
    while end < lines.len() {
        let line = lines[end];
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[spaces..];
        if rest == "\n" {
            if spaces > indent {
                return None;
            }
        } else if spaces < indent {
            if rest.starts_with('\t') {
                return None;
            }
            break;
        } else {
            text_end = end + 1;
        }
        end += 1;
    }
    let mut content = String::with_capacity(lines[start..end].iter().map(|l| l.len()).sum());
    for line in &lines[start..text_end] {
        match line.get(indent..) {
            Some(text) if !text.is_empty() => content.push_str(text),
            // A line of spaces no deeper than the block: an empty line.
            _ => content.push('\n'),
        }
    }
    if has_controls(content.as_bytes()) || !content.is_ascii() && !content.chars().all(printable) {
        return None;
    }
    match chomp {
        Chomp::Clip => {}
        Chomp::Strip => {
            content.pop();
        }
        Chomp::Keep => {
            for _ in text_end..end {
                content.push('\n');
            }
        }
    }
    Some(Read {
        indent,
        end,
        content,
    })
}

/// Whether `bytes` hold an ASCII control character other than tab and line
/// feed (written as a fold without early exit, which the compiler vectorises).
fn has_controls(bytes: &[u8]) -> bool {
    bytes.chunks(4096).any(|chunk| {
        chunk.iter().fold(false, |found, &b| {
            found | ((b < 0x20) & (b != b'\t') & (b != b'\n')) | (b == 0x7f)
        })
    })
}

/// YAML's `c-printable`, less the carriage return (refused earlier).
pub(super) fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// The parser read a literal block at the block's first line, holding the
/// blank: put the real content there.
fn confirm_and_fill(docs: &mut [Document], block: Block) -> Option<()> {
    let line = block.first + 1;
    for doc in docs.iter_mut() {
        let Some(node) = doc
            .nodes
            .iter()
            .find(|n| n.line == line && n.style == ScalarStyle::Literal)
        else {
            continue;
        };
        let slot = doc.value.pointer_mut(&node.pointer)?;
        let blank = slot.as_str()?;
        let is_blank = blank
            .strip_prefix('x')
            .is_some_and(|rest| rest.bytes().all(|b| b == b'\n'));
        if !is_blank {
            return None;
        }
        *slot = Value::String(block.content);
        return Some(());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(text: &str) -> (Option<Vec<Document>>, Vec<Document>) {
        (load(text), parse_events(text).expect("valid yaml"))
    }

    fn same(text: &str) {
        let (fast, slow) = both(text);
        let fast = fast.unwrap_or_else(|| panic!("fast path refused {text:?}"));
        assert_eq!(fast.len(), slow.len(), "{text:?}");
        for (f, s) in fast.iter().zip(&slow) {
            assert_eq!(f.value, s.value, "{text:?}");
            assert_eq!(f.nodes, s.nodes, "{text:?}");
            assert_eq!(f.line, s.line, "{text:?}");
        }
    }

    #[test]
    fn reads_blocks_as_the_parser_does() {
        same("spec:\n  json: |\n    {\n      \"a\": 1\n\n    }\n  other: 2\n");
        same("spec:\n  json: |-\n    {\n    }\n\n\n  other: 2\n");
        same("spec:\n  json: |+\n    {\n    }\n\n\nother: 2\n");
        same("a: |\n  x\n---\nb: |\n  y\n  # not a comment\n# a comment\n");
        same("a: |\n   three\n    four\n  \n   three\n");
        same("kind: X\nspec:\n  json: |   \n    é ü \u{1F600}\t tab\n");
        same("- a: 1\n  json: |\n    {}\n");
    }

    #[test]
    fn leaves_the_unusual_to_the_parser() {
        for text in [
            "a: |\n\n  leading empty line\n",
            "a: |\r\n  crlf\r\n",
            "a: |\n  no final newline",
            "a: |\n  x\n     \n",
            "a: |2\n   explicit indentation\n",
            "a: b\n",
            "a: |\n  bell \u{7}\n",
            "a: |\n  delete \u{7f}\n",
        ] {
            assert!(load(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn a_header_inside_a_quoted_scalar_is_not_a_block() {
        // The parser does not confirm a block there: the whole file goes to it.
        let text = "a: \"x\n  b: |\n  y\"\nc: 1\n";
        assert!(load(text).is_none());
        assert_eq!(
            super::super::load_documents(text).expect("valid")[0].value["c"],
            1
        );
    }

    /// Every YAML file of the corpus loads the same by both paths, and the
    /// dashboards take the fast one.
    #[test]
    fn corpus_files_load_the_same() {
        let Some(corpus) = super::super::corpus_files() else {
            return;
        };
        let (mut fast_files, mut files) = (0, 0);
        for (path, text) in &corpus {
            let Ok(slow) = parse_events(text) else {
                continue;
            };
            files += 1;
            if let Some(fast) = load(text) {
                fast_files += 1;
                assert_eq!(fast.len(), slow.len(), "{}", path.display());
                for (f, s) in fast.iter().zip(&slow) {
                    assert_eq!(f.value, s.value, "{}", path.display());
                    assert_eq!(f.nodes, s.nodes, "{}", path.display());
                    assert_eq!(f.line, s.line, "{}", path.display());
                }
            }
        }
        println!("{fast_files} of {files} corpus YAML files took the fast path");
        assert!(fast_files >= 60, "{fast_files} of {files}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Blocks of any lines (text, empty, spaces, comments, less indented
        /// lines that end them) load as the parser loads them, or are refused.
        #[test]
        fn generated_blocks_load_as_the_parser_does(
            chomp in proptest::sample::select(vec!["|", "|-", "|+"]),
            key_indent in 0usize..3,
            extra in 1usize..4,
            body in proptest::collection::vec(
                (0usize..8, "[a-z#:|\\-{}\" \t\u{e9}]{0,6}"),
                1..8,
            ),
            after in proptest::sample::select(vec!["", "next: 1\n", "# c\n", "---\nb: 2\n"]),
        ) {
            let pad = |n: usize| " ".repeat(n);
            let mut text = format!("{}k: {chomp}\n", pad(key_indent));
            for (spaces, words) in &body {
                text.push_str(&format!("{}{words}\n", pad(*spaces + key_indent + extra - 1)));
            }
            text.push_str(after);
            let slow = parse_events(&text);
            if let Some(fast) = load(&text) {
                let slow = slow.expect("the fast path accepted what the parser refuses");
                proptest::prop_assert_eq!(fast.len(), slow.len());
                for (f, s) in fast.iter().zip(&slow) {
                    proptest::prop_assert_eq!(&f.value, &s.value, "{:?}", text);
                    proptest::prop_assert_eq!(&f.nodes, &s.nodes, "{:?}", text);
                }
            }
        }
    }
}
