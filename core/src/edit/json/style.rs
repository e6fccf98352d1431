//! How a JSON document is laid out (indent unit, line ending, separators) and
//! writing new values in that layout, so added text looks like its neighbours.

use serde_json::Value;

use super::tree::{Kind, Node};

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
    pub(crate) fn detect(text: &str, root: &Node) -> Style {
        let mut style = Style {
            unit: "  ".to_owned(),
            newline: if text.contains("\r\n") { "\r\n" } else { "\n" },
            colon: ": ".to_owned(),
            comma: ", ".to_owned(),
            pretty: text.trim().contains('\n'),
        };
        let (mut colon, mut comma, mut unit) = (None, None, None);
        let mut stack = vec![root];
        while let Some(node) = stack.pop() {
            if colon.is_some() && comma.is_some() && unit.is_some() {
                break;
            }
            // The first two items' spans, and the container's children.
            let (first, second) = match &node.kind {
                Kind::Scalar => continue,
                Kind::Array(items) => {
                    stack.extend(items.iter().rev());
                    let span = |n: &Node| (n.start, n.end);
                    (items.first().map(span), items.get(1).map(span))
                }
                Kind::Object(members) => {
                    if let Some(m) = members.first() {
                        let between = &text[m.key_end..m.value.start];
                        if colon.is_none() && !between.contains('\n') {
                            colon = Some(between.to_owned());
                        }
                    }
                    stack.extend(members.iter().rev().map(|m| &m.value));
                    let span = |m: &super::tree::Member| (m.key_start, m.value.end);
                    (members.first().map(span), members.get(1).map(span))
                }
            };
            let Some(first) = first else { continue };
            let lead = &text[node.start + 1..first.0];
            if lead.contains('\n') {
                if unit.is_none() {
                    let outer = line_indent(text, node.start);
                    let inner = line_indent(text, first.0);
                    if let Some(u) = inner.strip_prefix(outer).filter(|u| !u.is_empty()) {
                        unit = Some(u.to_owned());
                    }
                }
            } else if let (None, Some(b)) = (&comma, second) {
                let between = &text[first.1..b.0];
                if !between.contains('\n') {
                    comma = Some(between.to_owned());
                }
            }
        }
        if let Some(c) = colon {
            style.colon = c;
        } else if !style.pretty {
            style.colon = ":".to_owned();
        }
        if let Some(c) = comma {
            style.comma = c;
        } else if !style.pretty {
            style.comma = ",".to_owned();
        }
        if let Some(u) = unit {
            style.unit = u;
        }
        style
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
