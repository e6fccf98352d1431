//! Layout-preserving JSON rewrite: given a JSON text and the value it should
//! now hold, replace only the text of what changed and leave every other byte.
//!
//! Objects match members by key: a changed value is replaced in place, a
//! removed member is deleted with its comma, added members go after the last
//! kept member in the new value's key order. Arrays align their elements
//! (by a unique `id`/`uid`/`refId`/`name` when all have one, else by equality)
//! so inserting or removing one panel touches only its lines. New text takes
//! the document's indent unit, line ending and separators. Unchanged values
//! keep their text exactly (`1.0` stays `1.0`, escapes stay escapes), so
//! `rewrite(x, &parse(x)?)` returns `x`.

mod style;
mod tree;

use serde_json::{Map, Value};

use super::matching::{align, Step};
use super::EditError;
use style::{line_indent, Style};
use tree::{Member, Span};

/// Deeper new values are refused rather than risk the stack.
const MAX_DEPTH: usize = 512;

/// Parse a JSON text, with the line and column of the first error.
pub fn parse(text: &str) -> Result<Value, EditError> {
    serde_json::from_str(text).map_err(|e| EditError::Json {
        message: strip_position(&e.to_string()),
        line: e.line(),
        column: e.column(),
    })
}

/// `original` rewritten to hold `new`, changing only the text of what differs.
pub fn rewrite(original: &str, new: &Value) -> Result<String, EditError> {
    let old = parse(original)?;
    if old == *new {
        return Ok(original.to_owned());
    }
    let root = tree::root(original);
    let style = Style::detect(original, root);
    let mut rw = Rewriter {
        text: original,
        style: &style,
        edits: Vec::new(),
        too_deep: false,
    };
    rw.value(root, &old, new, style.pretty);
    if rw.too_deep {
        return Err(EditError::InvalidValue {
            pointer: String::new(),
            reason: format!("the new value nests deeper than {MAX_DEPTH} levels"),
        });
    }
    apply(original, rw.edits)
}

/// `serde_json` ends its messages with " at line L column C"; we report those apart.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// How deep a value nests (iteratively: a deep value must not overflow here).
fn depth(v: &Value) -> usize {
    let mut max = 0;
    let mut stack = vec![(v, 1)];
    while let Some((v, d)) = stack.pop() {
        max = max.max(d);
        match v {
            Value::Array(a) => stack.extend(a.iter().map(|x| (x, d + 1))),
            Value::Object(o) => stack.extend(o.values().map(|x| (x, d + 1))),
            _ => {}
        }
    }
    max
}

/// Replace `start..end` with `text`.
struct Edit {
    start: usize,
    end: usize,
    text: String,
}

struct Rewriter<'a> {
    text: &'a str,
    style: &'a Style,
    edits: Vec<Edit>,
    /// A value to write nests too deep: the rewrite is refused.
    too_deep: bool,
}

impl Rewriter<'_> {
    fn edit(&mut self, start: usize, end: usize, text: String) {
        self.edits.push(Edit { start, end, text });
    }

    /// Rewrites `node` (holding `old`) to hold `new`; `multiline` is the
    /// layout of its container.
    fn value(&mut self, node: Span, old: &Value, new: &Value, multiline: bool) {
        if old == new {
            return;
        }
        let inner_multiline = self.text[node.start..node.end].contains('\n');
        match (old, new) {
            (Value::Object(o), Value::Object(n))
                if !o.is_empty() && self.text.as_bytes().get(node.start) == Some(&b'{') =>
            {
                let members = tree::members(self.text, node);
                if members.len() >= o.len() {
                    return self.object(node, &members, o, n, new, inner_multiline);
                }
                self.replace(node, new, multiline);
            }
            (Value::Array(o), Value::Array(n))
                if !o.is_empty() && self.text.as_bytes().get(node.start) == Some(&b'[') =>
            {
                let items = tree::items(self.text, node);
                if items.len() == o.len() {
                    return self.array(node, &items, o, n, new, inner_multiline);
                }
                self.replace(node, new, multiline);
            }
            _ => self.replace(node, new, multiline),
        }
    }

    /// Writes `new` in place of the whole value at `node`.
    fn replace(&mut self, node: Span, new: &Value, multiline: bool) {
        if depth(new) > MAX_DEPTH {
            self.too_deep = true;
            return;
        }
        let indent = line_indent(self.text, node.start).to_owned();
        let text = self.style.write(new, &indent, multiline);
        self.edit(node.start, node.end, text);
    }

    fn object(
        &mut self,
        node: Span,
        members: &[Member],
        old: &Map<String, Value>,
        new: &Map<String, Value>,
        whole: &Value,
        multiline: bool,
    ) {
        let mut keep = Vec::with_capacity(members.len());
        // A duplicated key: the last one is the value; earlier ones stay as written.
        let last: std::collections::HashMap<&str, usize> = members
            .iter()
            .enumerate()
            .map(|(i, m)| (m.key.as_str(), i))
            .collect();
        for (i, m) in members.iter().enumerate() {
            let kept = new.contains_key(&m.key);
            keep.push(kept);
            let last = last.get(m.key.as_str()) == Some(&i);
            if let (true, Some(o), Some(n)) = (last, old.get(&m.key), new.get(&m.key)) {
                self.value(m.value, o, n, multiline);
            }
        }
        let indent = line_indent(self.text, members[0].key_start).to_owned();
        let added: Vec<String> = new
            .iter()
            .filter(|(k, v)| !old.contains_key(*k) && depth(v) <= MAX_DEPTH)
            .map(|(k, v)| self.style.member(k, v, &indent, multiline))
            .collect();
        self.too_deep |= new
            .iter()
            .any(|(k, v)| !old.contains_key(k) && depth(v) > MAX_DEPTH);
        let spans: Vec<(usize, usize)> =
            members.iter().map(|m| (m.key_start, m.value.end)).collect();
        let last_kept = keep.iter().rposition(|k| *k);
        let inserts = if added.is_empty() {
            Vec::new()
        } else {
            vec![(last_kept, added)]
        };
        self.splice(node, &spans, &keep, inserts, whole, multiline);
    }

    fn array(
        &mut self,
        node: Span,
        items: &[Span],
        old: &[Value],
        new: &[Value],
        whole: &Value,
        multiline: bool,
    ) {
        let mut keep = vec![false; items.len()];
        let indent = line_indent(self.text, items[0].start).to_owned();
        let mut inserts: Vec<(Option<usize>, Vec<String>)> = Vec::new();
        let mut previous = None;
        for step in align(old, new) {
            match step {
                Step::Both(i, j) => {
                    keep[i] = true;
                    previous = Some(i);
                    self.value(items[i], &old[i], &new[j], multiline);
                }
                Step::Old(_) => {}
                Step::New(j) => {
                    if depth(&new[j]) > MAX_DEPTH {
                        self.too_deep = true;
                        continue;
                    }
                    let text = self.style.write(&new[j], &indent, multiline);
                    match inserts.last_mut() {
                        Some((after, texts)) if *after == previous => texts.push(text),
                        _ => inserts.push((previous, vec![text])),
                    }
                }
            }
        }
        let spans: Vec<(usize, usize)> = items.iter().map(|n| (n.start, n.end)).collect();
        self.splice(node, &spans, &keep, inserts, whole, multiline);
    }

    /// Deletes the items not kept (with their commas) and inserts new items
    /// after kept item `after` (`None`: before the first kept one).
    fn splice(
        &mut self,
        node: Span,
        spans: &[(usize, usize)],
        keep: &[bool],
        inserts: Vec<(Option<usize>, Vec<String>)>,
        new: &Value,
        multiline: bool,
    ) {
        if !keep.contains(&true) {
            // Nothing of the old container survives: write it anew.
            if depth(new) > MAX_DEPTH {
                self.too_deep = true;
                return;
            }
            let indent = line_indent(self.text, node.start).to_owned();
            let text = self.style.write(
                new,
                &indent,
                multiline || self.text[node.start..node.end].contains('\n'),
            );
            self.edits
                .retain(|e| e.end <= node.start || e.start >= node.end);
            self.edit(node.start, node.end, text);
            return;
        }
        let sep = if spans.len() >= 2 {
            self.text[spans[0].1..spans[1].0].to_owned()
        } else {
            let lead = &self.text[node.start + 1..spans[0].0];
            if lead.contains('\n') {
                format!(",{lead}")
            } else {
                self.style.comma.clone()
            }
        };
        let mut i = 0;
        while i < spans.len() {
            if keep[i] {
                i += 1;
                continue;
            }
            let run = i;
            while i < spans.len() && !keep[i] {
                i += 1;
            }
            if i < spans.len() {
                self.edit(spans[run].0, spans[i].0, String::new());
            } else {
                self.edit(spans[run - 1].1, spans[i - 1].1, String::new());
            }
        }
        for (after, texts) in inserts {
            let joined = texts.join(&sep);
            match after {
                Some(k) => self.edit(spans[k].1, spans[k].1, format!("{sep}{joined}")),
                None => {
                    let first = keep.iter().position(|k| *k).unwrap_or(0);
                    self.edit(spans[first].0, spans[first].0, format!("{joined}{sep}"));
                }
            }
        }
    }
}

/// Applies non-overlapping edits (insertions before deletions at the same place).
fn apply(text: &str, mut edits: Vec<Edit>) -> Result<String, EditError> {
    edits.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for e in edits {
        if e.start < pos || e.end < e.start || e.end > text.len() {
            return Err(EditError::Unsupported {
                pointer: String::new(),
                reason: "overlapping JSON edits (a bug in the editor)".to_owned(),
            });
        }
        out.push_str(&text[pos..e.start]);
        out.push_str(&e.text);
        pos = e.end;
    }
    out.push_str(&text[pos..]);
    Ok(out)
}

#[cfg(test)]
mod tests;
