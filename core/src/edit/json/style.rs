//! How a JSON document is laid out (indent unit, line ending, separators) and
//! writing new values in that layout, so added text looks like its neighbours.

use serde_json::Value;

use super::tree::{self, Span};

/// The layout of one JSON document, read from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Style {
    /// One level of indentation: spaces or a tab.
    pub unit: String,
    /// `"\n"` or `"\r\n"`.
    pub newline: &'static str,
    /// Between a key and its value: `": "` in Grafana exports, `":"` minified.
    pub colon: String,
    /// Between items written on one line: `", "` or `","`.
    pub comma: String,
    /// Whether the document spreads over several lines at all.
    pub pretty: bool,
}

impl Style {
    pub(crate) fn detect(text: &str, root: Span) -> Style {
        let pretty = text.trim().contains('\n');
        let (mut colon, mut comma) = (None, None);
        // One pass outside strings: the first `:` and the first `,` that is
        // not at the end of a line tell the separators.
        let b = text.as_bytes();
        let (mut i, mut last_string_end) = (0, 0);
        // (Within the first 64 KiB: a pretty document may have no inline comma.)
        let scan = b.len().min(64 * 1024);
        while i < scan && (colon.is_none() || comma.is_none()) {
            match b[i] {
                b'"' => {
                    i = tree::value_end(b, i);
                    last_string_end = i;
                    continue;
                }
                b':' if colon.is_none() => {
                    let after = i + 1 + count_spaces(&b[i + 1..]);
                    let between = &text[last_string_end..after];
                    if !between.contains('\n') {
                        colon = Some(between.to_owned());
                    }
                }
                b',' if comma.is_none() => {
                    let spaces = count_spaces(&b[i + 1..]);
                    if !matches!(b.get(i + 1 + spaces), Some(b'\n' | b'\r')) {
                        comma = Some(text[i..i + 1 + spaces].to_owned());
                    }
                }
                _ => {}
            }
            i += 1;
        }
        // The indent unit: down the first children to one on its own line.
        let mut unit = None;
        let mut node = root;
        for _ in 0..64 {
            let first = match b.get(node.start) {
                Some(b'{') => tree::members(text, node)
                    .first()
                    .map(|m| (m.key_start, m.value)),
                Some(b'[') => tree::items(text, node).first().map(|s| (s.start, *s)),
                _ => None,
            };
            let Some((first_start, child)) = first else {
                break;
            };
            if text[node.start + 1..first_start].contains('\n') {
                let outer = line_indent(text, node.start);
                let inner = line_indent(text, first_start);
                unit = inner
                    .strip_prefix(outer)
                    .filter(|u| !u.is_empty())
                    .map(str::to_owned);
                break;
            }
            node = child;
        }
        Style {
            unit: unit.unwrap_or_else(|| "  ".to_owned()),
            newline: if text.contains("\r\n") { "\r\n" } else { "\n" },
            colon: colon.unwrap_or_else(|| if pretty { ": " } else { ":" }.to_owned()),
            comma: comma.unwrap_or_else(|| if pretty { ", " } else { "," }.to_owned()),
            pretty,
        }
    }

    /// `value` written in this style; `indent` is the indentation of the line
    /// it starts on, `multiline` whether its container spreads over lines.
    pub(crate) fn write(&self, value: &Value, indent: &str, multiline: bool) -> String {
        let mut out = String::new();
        self.write_into(&mut out, value, indent, multiline && self.pretty);
        out
    }

    /// `"key": value` in this style.
    pub(crate) fn member(&self, key: &str, value: &Value, indent: &str, multiline: bool) -> String {
        let mut out = quote(key);
        out.push_str(&self.colon);
        self.write_into(&mut out, value, indent, multiline && self.pretty);
        out
    }

    fn write_into(&self, out: &mut String, value: &Value, indent: &str, multiline: bool) {
        let (open, close, len) = match value {
            Value::Array(a) => ('[', ']', a.len()),
            Value::Object(o) => ('{', '}', o.len()),
            scalar => {
                out.push_str(&scalar.to_string());
                return;
            }
        };
        out.push(open);
        if len == 0 {
            out.push(close);
            return;
        }
        let inner = format!("{indent}{}", self.unit);
        let sep = if multiline {
            format!(",{}{inner}", self.newline)
        } else {
            self.comma.clone()
        };
        if multiline {
            out.push_str(self.newline);
            out.push_str(&inner);
        }
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(&sep);
                    }
                    self.write_into(out, item, &inner, multiline);
                }
            }
            Value::Object(members) => {
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push_str(&sep);
                    }
                    out.push_str(&quote(k));
                    out.push_str(&self.colon);
                    self.write_into(out, v, &inner, multiline);
                }
            }
            _ => {}
        }
        if multiline {
            out.push_str(self.newline);
            out.push_str(indent);
        }
        out.push(close);
    }
}

fn quote(s: &str) -> String {
    Value::String(s.to_owned()).to_string()
}

fn count_spaces(b: &[u8]) -> usize {
    b.iter().take_while(|c| **c == b' ' || **c == b'\t').count()
}

/// The spaces and tabs that start the line holding byte `pos`.
pub(crate) fn line_indent(text: &str, pos: usize) -> &str {
    let start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[start..];
    let width = line
        .bytes()
        .take_while(|b| *b == b' ' || *b == b'\t')
        .count();
    &line[..width]
}
