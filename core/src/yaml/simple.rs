//! The fastest path of [`super::load_documents`]: YAML written in the plain
//! block style of Kubernetes manifests, read line by line.
//!
//! The general parser spends about a thousand instructions on each plain
//! scalar; a manifest is mostly `key: value` lines. Here each line is taken
//! apart by its indentation and the events the parser would give are fed to
//! the same [`Builder`], so values, positions and scalar types (YAML 1.2 core
//! schema, through the same resolver) come out the same.
//!
//! What this reads: block mappings with plain keys; block sequences (also
//! at the indentation of their key, as kubectl writes them) with scalar items
//! or compact mappings (`- key: value`); single-line plain, single-quoted and
//! double-quoted (without escapes) scalars; empty `{}` and `[]`; literal
//! blocks (`|`, `|-`, `|+`); comments; documents separated by `---` lines.
//! Anything else — multi-line plain or quoted scalars, flow collections,
//! anchors, aliases, tags, directives, empty values, complex keys, tabs,
//! carriage returns, control characters — sends the whole file to the
//! general parser unchanged (`None`). The corpus test and a property test
//! compare both paths.

use std::borrow::Cow;

use saphyr_parser::{Event, ScalarStyle as Style};

use super::blocks::{lines_of, printable, read_block, Chomp};
use super::{Builder, Document};

/// The documents of `text`, or `None` when it is not in the simple style.
pub(super) fn load(text: &str) -> Option<Vec<Document>> {
    if !text.ends_with('\n') || text.contains('\r') || text.starts_with('\u{feff}') {
        return None;
    }
    let raw = lines_of(text);
    let lines = raw
        .iter()
        .map(|l| {
            let body = l.strip_suffix('\n').unwrap_or(l);
            let content = body.trim_start_matches(' ');
            Line {
                indent: body.len() - content.len(),
                text: content.trim_end_matches(' '),
            }
        })
        .collect();
    let mut reader = Reader {
        raw,
        lines,
        at: 0,
        builder: Builder::default(),
    };
    reader.stream()?;
    Some(reader.builder.documents)
}

#[derive(Clone, Copy)]
struct Line<'a> {
    /// Spaces before the content.
    indent: usize,
    /// The content, without trailing spaces (may still end in a comment).
    text: &'a str,
}

struct Reader<'a> {
    /// The lines of the text, each with its line break.
    raw: Vec<&'a str>,
    lines: Vec<Line<'a>>,
    /// Index of the next line to read.
    at: usize,
    builder: Builder,
}

impl<'a> Reader<'a> {
    fn emit(&mut self, event: Event<'a>, line: usize, column: usize) {
        self.builder.event(event, line, column);
    }

    /// The next line with content (not blank, not a comment), skipping the others.
    fn peek(&mut self) -> Option<Line<'a>> {
        while let Some(line) = self.lines.get(self.at) {
            if !line.text.is_empty() && !line.text.starts_with('#') {
                return Some(*line);
            }
            self.at += 1;
        }
        None
    }

    /// 1-based line number of the current line.
    fn line_no(&self) -> usize {
        self.at + 1
    }

    fn stream(&mut self) -> Option<()> {
        self.emit(Event::StreamStart, 1, 1);
        let mut explicit = false;
        while let Some(line) = self.peek() {
            if line.indent == 0 && line.text == "---" {
                // A marker with no document before the next one or the end: let
                // the parser say what that is.
                self.at += 1;
                match self.peek() {
                    Some(next) if !(next.indent == 0 && next.text == "---") => {}
                    _ => return None,
                }
                explicit = true;
                continue;
            }
            self.emit(Event::DocumentStart(explicit), self.line_no(), 1);
            if is_item(line.text) {
                self.sequence(line.indent, false)?;
            } else {
                self.mapping(line.indent)?;
            }
            // After the root node only a document marker may follow.
            if let Some(next) = self.peek() {
                if !(next.indent == 0 && next.text == "---") {
                    return None;
                }
            }
            self.emit(Event::DocumentEnd, self.line_no(), 1);
        }
        if self.builder.documents.is_empty() {
            return None;
        }
        self.emit(Event::StreamEnd, self.line_no(), 1);
        Some(())
    }

    /// A block mapping whose keys are at `indent`, starting at the current line.
    fn mapping(&mut self, indent: usize) -> Option<()> {
        self.emit(Event::MappingStart(0, None), self.line_no(), indent + 1);
        while let Some(line) = self.peek() {
            if line.indent < indent || line.indent == 0 && line.text == "---" {
                break;
            }
            if line.indent > indent || is_item(line.text) {
                return None;
            }
            let (key, rest) = split_key(line.text)?;
            self.emit(
                Event::Scalar(Cow::Borrowed(key), Style::Plain, 0, None),
                self.line_no(),
                indent + 1,
            );
            let value_column = indent + 1 + (line.text.len() - rest.len());
            self.value(rest, indent, value_column)?;
        }
        self.emit(Event::MappingEnd, self.line_no(), 1);
        Some(())
    }

    /// The value of a key at `indent` on the current line; `rest` is what
    /// follows the colon, starting at 1-based `column`.
    fn value(&mut self, rest: &'a str, indent: usize, column: usize) -> Option<()> {
        let body = rest.trim_start_matches(' ');
        let column = column + (rest.len() - body.len());
        if body.is_empty() || body.starts_with('#') {
            // The value is the block on the next lines.
            self.at += 1;
            let next = self.peek()?;
            return if next.indent > indent && !is_item(next.text) {
                self.mapping(next.indent)
            } else if next.indent >= indent && is_item(next.text) {
                self.sequence(next.indent, next.indent == indent)
            } else {
                None // an empty value
            };
        }
        let chomp = match body {
            "|" => Some(Chomp::Clip),
            "|-" => Some(Chomp::Strip),
            "|+" => Some(Chomp::Keep),
            _ => None,
        };
        if let Some(chomp) = chomp {
            let block = read_block(&self.raw, self.at + 1, indent, chomp)?;
            let first = self.at + 2;
            self.emit(
                Event::Scalar(Cow::Owned(block.content), Style::Literal, 0, None),
                first,
                block.indent + 1,
            );
            self.at = block.end;
            return Some(());
        }
        self.scalar(body, column)?;
        self.at += 1;
        Some(())
    }

    /// A block sequence whose `-` are at `indent`, starting at the current line.
    /// `indentless`: written at the indentation of its key (as kubectl does).
    fn sequence(&mut self, indent: usize, indentless: bool) -> Option<()> {
        // The parser places a block sequence at its first `-`, an indentless
        // one at its first item's content.
        let first = self.peek()?.text;
        let column = if indentless {
            indent + first.len() - first[1..].trim_start_matches(' ').len() + 1
        } else {
            indent + 1
        };
        self.emit(Event::SequenceStart(0, None), self.line_no(), column);
        while let Some(line) = self.peek() {
            if line.indent < indent || line.indent == 0 && line.text == "---" {
                break;
            }
            if line.indent > indent {
                return None;
            }
            if !is_item(line.text) {
                break; // a key of the mapping this sequence is the value of
            }
            let item = line.text[1..].trim_start_matches(' ');
            let item_indent = indent + (line.text.len() - item.len());
            if item.is_empty() || item.starts_with('#') || is_item(item) {
                return None;
            }
            if split_key(item).is_some() {
                // `- key: value`: a mapping at the item's column.
                self.lines[self.at] = Line {
                    indent: item_indent,
                    text: item,
                };
                self.mapping(item_indent)?;
            } else {
                self.scalar(item, item_indent + 1)?;
                self.at += 1;
            }
        }
        self.emit(Event::SequenceEnd, self.line_no(), 1);
        Some(())
    }

    /// A scalar written on one line at 1-based `column`, comment included.
    fn scalar(&mut self, body: &'a str, column: usize) -> Option<()> {
        let line = self.line_no();
        let (value, style) = match body.as_bytes()[0] {
            b'\'' => (single_quoted(body)?, Style::SingleQuoted),
            b'"' => (double_quoted(body)?, Style::DoubleQuoted),
            b'{' | b'[' => {
                let (start, end) = match strip_comment(body) {
                    "{}" => (Event::MappingStart(0, None), Event::MappingEnd),
                    "[]" => (Event::SequenceStart(0, None), Event::SequenceEnd),
                    _ => return None,
                };
                self.emit(start, line, column);
                self.emit(end, line, column + 1);
                return Some(());
            }
            _ => (Cow::Borrowed(plain(body)?), Style::Plain),
        };
        self.emit(Event::Scalar(value, style, 0, None), line, column);
        Some(())
    }
}

/// Whether a line's content is a sequence item (`- …` or a lone `-`).
fn is_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

/// `key: rest` or `key:` with a plain key: the key and what follows the colon.
fn split_key(text: &str) -> Option<(&str, &str)> {
    let colon = text
        .find(": ")
        .or_else(|| text.strip_suffix(':').map(str::len))?;
    let key = &text[..colon];
    let simple = !key.is_empty()
        && !key.ends_with(' ')
        && !key.contains(" #")
        && !starts_with_indicator(key)
        && printable_line(key);
    simple.then(|| (key, &text[colon + 1..]))
}

/// The text before a ` #` comment.
fn strip_comment(body: &str) -> &str {
    body.find(" #")
        .map_or(body, |i| &body[..i])
        .trim_end_matches(' ')
}

/// A single-line plain scalar's value.
fn plain(body: &str) -> Option<&str> {
    let value = strip_comment(body);
    let simple = !value.is_empty()
        && !starts_with_indicator(value)
        && !value.contains(": ")
        && !value.ends_with(':')
        && printable_line(value);
    simple.then_some(value)
}

/// Whether a plain scalar cannot start this way (YAML's `c-indicator`,
/// except `-`, `?` and `:` followed by a non-space).
fn starts_with_indicator(text: &str) -> bool {
    let bytes = text.as_bytes();
    match bytes[0] {
        b'-' | b'?' | b':' => bytes.get(1).is_none_or(|&b| b == b' '),
        b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|' | b'>' | b'\''
        | b'"' | b'%' | b'@' | b'`' => true,
        _ => false,
    }
}

/// `'…'` on one line (`''` for a quote), then at most a comment.
fn single_quoted(body: &str) -> Option<Cow<'_, str>> {
    let bytes = body.as_bytes();
    let mut i = 1;
    let mut doubled = false;
    loop {
        i += memchr::memchr(b'\'', &bytes[i..])?;
        if bytes.get(i + 1) == Some(&b'\'') {
            doubled = true;
            i += 2;
            continue;
        }
        break;
    }
    let inner = &body[1..i];
    if !only_comment(&body[i + 1..]) || !printable_line(inner) {
        return None;
    }
    Some(if doubled {
        Cow::Owned(inner.replace("''", "'"))
    } else {
        Cow::Borrowed(inner)
    })
}

/// `"…"` on one line without escapes, then at most a comment.
fn double_quoted(body: &str) -> Option<Cow<'_, str>> {
    let close = 1 + memchr::memchr2(b'"', b'\\', &body.as_bytes()[1..])?;
    if body.as_bytes()[close] != b'"' {
        return None;
    }
    let inner = &body[1..close];
    (only_comment(&body[close + 1..]) && printable_line(inner)).then_some(Cow::Borrowed(inner))
}

/// Nothing, or spaces and a `#` comment.
fn only_comment(after: &str) -> bool {
    after.is_empty() || after.starts_with(" ") && after.trim_start_matches(' ').starts_with('#')
}

/// No control characters (tabs included) and only characters YAML allows.
fn printable_line(text: &str) -> bool {
    if text.is_ascii() {
        return text.bytes().all(|b| (0x20..0x7f).contains(&b));
    }
    // A line holds no line break; tabs are refused here too.
    text.chars().all(|c| c != '\t' && printable(c))
}

#[cfg(test)]
mod tests {
    use super::super::parse_events;
    use super::*;

    /// Both paths agree on `text`, and the simple one took it when `taken`.
    fn agree(text: &str) -> bool {
        let slow = parse_events(text);
        let Some(fast) = load(text) else {
            return false;
        };
        let slow = slow.unwrap_or_else(|e| panic!("simple path accepted {text:?}, parser: {e}"));
        assert_eq!(fast.len(), slow.len(), "{text:?}");
        for (f, s) in fast.iter().zip(&slow) {
            assert_eq!(f.value, s.value, "{text:?}");
            assert_eq!(f.nodes, s.nodes, "{text:?}");
            assert_eq!(f.line, s.line, "{text:?}");
        }
        true
    }

    #[test]
    fn reads_manifests_as_the_parser_does() {
        for text in [
            "a: 1\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x # the name\n  labels:\n    app.kubernetes.io/name: y\n",
            "# head\n\nspec:\n  ports:\n  - name: http\n    port: 80\n  -   name: 'it''s'\n      port: \"8080\"\n  list:\n    - a\n    - -1\n    - 'q'\n    - ~\n",
            "a: {}\nb: []\nc: [] # none\nd: true\ne: 1.5\nf: null\ng: 0x1F\nh: .inf\ni: 2024-01-01\n",
            "---\na: 1\n---\n# c\nb:\n- x\n- y: 2\n  z: |\n    line\n     more\n\n  w: 3\n",
            "k:\n  - a: 1\n    b:\n    - c\n  - d\n",
            "j: |-\n  {\n    \"a\": 1\n  }\nn: é ü 😀\nurl: http://x/y?a=b#frag\npath: .status.conditions[?(@.type==\"Ready\")]\n",
            "  indented: root\n  second: 2\n",
            "- a\n- b: 1\n",
            "key: value with 'quotes' and \"more\"\n\n\n# trailing comment\n",
        ] {
            assert!(agree(text), "simple path refused {text:?}");
        }
    }

    #[test]
    fn leaves_the_unusual_to_the_parser() {
        for text in [
            "a: b\n  continued\n",
            "a:\nb: 1\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: [1, 2]\n",
            "a: {b: 1}\n",
            "\"quoted key\": 1\n",
            "a: \"esc\\n\"\n",
            "a: 'multi\n  line'\n",
            "? complex\n: key\n",
            "%YAML 1.2\n---\na: 1\n",
            "a: 1\n---\n",
            "---\n---\na: 1\n",
            "a: 1\n...\n",
            "a:\tb\n",
            "a: 1\r\n",
            "a: 1",
            "a: b: c\n",
            "- - a\n",
            "-\n  a: 1\n",
            "a: >\n  folded\n",
            "a: |2\n   explicit\n",
            "just a scalar\n",
            "# only a comment\n",
            "a: bell \u{7}\n",
            "a:\n  b: 1\n c: 2\n",
        ] {
            assert!(load(text).is_none(), "simple path took {text:?}");
        }
    }

    /// Every corpus file it takes loads as the parser loads it, and it takes most.
    #[test]
    fn corpus_files_load_the_same() {
        let Some(corpus) = super::super::corpus_files() else {
            return;
        };
        let (mut taken, files) = (0, corpus.len());
        let mut refused = Vec::new();
        for (path, text) in &corpus {
            if agree(text) {
                taken += 1;
            } else {
                refused.push(path.display().to_string());
            }
        }
        println!(
            "{taken} of {files} corpus YAML files took the simple path; refused: {refused:#?}"
        );
        assert!(taken >= 170, "{taken} of {files}");
    }

    fn scalar() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            "[a-zA-Z0-9 ._/:#@,\\[\\]{}*&!|>%'\"-]{1,8}",
            proptest::sample::select(vec![
                "~", "null", "true", "False", "1", "-2", "0o17", "1e3", ".nan", "'a''b'",
                "\"x y\"", "{}", "[]", "''", "\"\"", "- a", "a # c", "é",
            ])
            .prop_map(str::to_owned),
        ]
    }

    /// A manifest-like tree: mappings with plain keys, sequences, scalars.
    #[derive(Debug, Clone)]
    enum Tree {
        Scalar(String),
        Map(Vec<(String, Tree)>),
        List(Vec<Tree>),
    }

    fn tree() -> impl proptest::strategy::Strategy<Value = Tree> {
        use proptest::prelude::*;
        scalar()
            .prop_map(Tree::Scalar)
            .prop_recursive(4, 40, 5, |inner| {
                prop_oneof![
                    proptest::collection::vec(("[a-z][a-z0-9./-]{0,5}", inner.clone()), 1..5)
                        .prop_map(Tree::Map),
                    proptest::collection::vec(inner, 1..5).prop_map(Tree::List),
                ]
            })
    }

    fn pick(style: &mut impl Iterator<Item = u8>) -> u8 {
        style.next().unwrap_or(0)
    }

    /// Writes `tree` as a value after `key:` (or `- `) at `indent`, the way
    /// kubectl and people write manifests; `style` picks among the choices.
    fn write(tree: &Tree, indent: usize, style: &mut impl Iterator<Item = u8>, out: &mut String) {
        match tree {
            Tree::Scalar(s) => {
                out.push(' ');
                out.push_str(s);
                out.push('\n');
            }
            Tree::Map(members) => {
                out.push('\n');
                for (key, value) in members {
                    match pick(style) % 5 {
                        0 => out.push_str(&format!("{}# note\n", " ".repeat(indent))),
                        1 => out.push('\n'),
                        _ => {}
                    }
                    out.push_str(&format!("{}{key}:", " ".repeat(indent)));
                    write(value, indent + 2, style, out);
                }
            }
            Tree::List(items) => {
                out.push('\n');
                // Indentless (kubectl) or indented under the key.
                let at = if pick(style).is_multiple_of(2) {
                    indent.saturating_sub(2)
                } else {
                    indent
                };
                for item in items {
                    match item {
                        Tree::Map(members) if !pick(style).is_multiple_of(3) => {
                            // `- key: value` and the other members under it.
                            for (i, (key, value)) in members.iter().enumerate() {
                                let lead = if i == 0 {
                                    "- ".to_owned()
                                } else {
                                    "  ".to_owned()
                                };
                                out.push_str(&format!("{}{lead}{key}:", " ".repeat(at)));
                                write(value, at + 4, style, out);
                            }
                        }
                        Tree::Scalar(s) => out.push_str(&format!("{}- {s}\n", " ".repeat(at))),
                        _ => {
                            out.push_str(&format!("{}- k:", " ".repeat(at)));
                            write(item, at + 4, style, out);
                        }
                    }
                }
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]

        /// Whole manifests written from random trees, in the styles people
        /// use, load as the parser loads them (or are refused).
        #[test]
        fn generated_trees_load_as_the_parser_does(
            docs in proptest::collection::vec(tree(), 1..3),
            style in proptest::collection::vec(0u8..=255, 64),
        ) {
            let mut style = style.into_iter().cycle();
            let mut text = String::new();
            for (i, doc) in docs.iter().enumerate() {
                if i > 0 {
                    text.push_str("---\n");
                }
                text.push_str("kind: Test");
                write(&Tree::Map(vec![("spec".into(), doc.clone())]), 0, &mut style, &mut text);
            }
            agree(&text);
        }

        /// Manifest-like lines (keys, items, scalars of every kind, comments,
        /// blank lines, markers, at random indentation) load as the parser
        /// loads them, or are refused.
        #[test]
        fn generated_manifests_load_as_the_parser_does(
            lines in proptest::collection::vec(
                (
                    0usize..4,
                    proptest::sample::select(vec!["key", "item", "item-key", "open", "comment", "blank", "marker", "block"]),
                    "[a-z][a-z0-9.-]{0,4}",
                    scalar(),
                ),
                1..14,
            ),
        ) {
            let mut text = String::new();
            for (depth, kind, key, value) in &lines {
                let pad = " ".repeat(depth * 2);
                match *kind {
                    "key" => text.push_str(&format!("{pad}{key}: {value}\n")),
                    "item" => text.push_str(&format!("{pad}- {value}\n")),
                    "item-key" => text.push_str(&format!("{pad}- {key}: {value}\n")),
                    "open" => text.push_str(&format!("{pad}{key}:\n")),
                    "comment" => text.push_str(&format!("{pad}# {value}\n")),
                    "blank" => text.push('\n'),
                    "marker" => text.push_str("---\n"),
                    _ => text.push_str(&format!("{pad}{key}: |\n{pad}  {value}\n")),
                }
            }
            agree(&text);
        }
    }
}
