//! Splicing into YAML file text: replace a literal block (`spec.json`), set,
//! insert, rename or remove a scalar, re-encode `spec.gzipJson` — one YAML
//! document of a multi-document file at a time, every other byte kept.
//!
//! Every edit is checked by loading the result again: the document must read
//! back as before with exactly the one change, or the edit is refused.

mod nodes;
mod scalar;
mod verify;

use std::io::Write;

use base64::Engine;
use saphyr_parser::ScalarStyle;
use serde_json::Value;

use super::{escape_token, pointer_tokens, EditError};
use nodes::{all_nodes, document_nodes, Node, NodeKind};
pub(crate) use verify::load;
use verify::{check, set_at, take_at, verify, verify_block};

/// Sets the string at `pointer` to `content`, written as a literal block
/// (`|`, `|-` or `|+` as its trailing newlines need) indented like the
/// existing block; a quoted or plain scalar there becomes a literal block.
pub fn set_block(
    text: &str,
    document: usize,
    pointer: &str,
    content: &str,
) -> Result<String, EditError> {
    let (nodes, documents) = all_nodes(text, document)?;
    let node = find(&nodes, document, pointer)?;
    let NodeKind::Scalar {
        style,
        value,
        block,
        tagged,
    } = &node.kind
    else {
        return Err(not_scalar(pointer));
    };
    if value == content && *style == ScalarStyle::Literal {
        return Ok(text.to_owned());
    }
    let end = node
        .end
        .ok_or_else(|| unsupported(pointer, "its end is unclear"))?;
    if node.in_flow {
        return Err(unsupported(
            pointer,
            "a block cannot be written inside `{…}` or `[…]`",
        ));
    }
    let newline = newline_after(text, node.start);
    let invalid = |reason: String| EditError::InvalidValue {
        pointer: pointer.to_owned(),
        reason,
    };
    let mut out = String::with_capacity(text.len() + content.len());
    match block {
        Some(b) => {
            let indent = b.indent.unwrap_or(b.parent_indent + 2);
            let (header, body) =
                scalar::literal(content, indent, b.parent_indent, newline).map_err(invalid)?;
            let old_header = &text[b.header.0..b.header.1];
            let same = *style == ScalarStyle::Literal && same_header(old_header, &header);
            out.push_str(&text[..b.header.0]);
            out.push_str(if same { old_header } else { &header });
            out.push_str(&text[b.header.1..b.body_start]);
            if b.body_start > 0 && !text[..b.body_start].ends_with('\n') {
                out.push_str(newline);
            }
            out.push_str(&body);
            out.push_str(&text[after_keep(text, end, &header)..]);
        }
        None => {
            let parent = node.key.map_or(0, |k| column(text, k.0));
            let (header, body) =
                scalar::literal(content, parent + 2, parent, newline).map_err(invalid)?;
            let line_end = text[end..].find('\n').map(|i| end + i + 1);
            out.push_str(&text[..node.start]);
            out.push_str(&header);
            match line_end {
                Some(le) => {
                    out.push_str(&text[end..le]);
                    out.push_str(&body);
                    out.push_str(&text[after_keep(text, le, &header)..]);
                }
                None => {
                    out.push_str(&text[end..]);
                    out.push_str(newline);
                    out.push_str(&body);
                }
            }
        }
    }
    if *tagged {
        // A tag decides how the value loads: check by loading both.
        verify(
            text,
            &out,
            document,
            pointer,
            Some(Value::String(content.to_owned())),
        )?;
    } else {
        verify_block(&nodes, documents, &out, document, pointer, content)?;
    }
    Ok(out)
}

/// Sets the scalar at `pointer` to `value`, keeping its quoting style where
/// that can hold the new value (plain only if it reads back the same).
pub fn set_scalar(
    text: &str,
    document: usize,
    pointer: &str,
    value: &Value,
) -> Result<String, EditError> {
    let nodes = document_nodes(text, document)?;
    let node = find(&nodes, document, pointer)?;
    let NodeKind::Scalar { style, block, .. } = &node.kind else {
        return Err(not_scalar(pointer));
    };
    if block.is_some() {
        return match value {
            Value::String(s) => set_block(text, document, pointer, s),
            _ => Err(unsupported(pointer, "a block scalar can only hold text")),
        };
    }
    let end = node
        .end
        .ok_or_else(|| unsupported(pointer, "it spans several lines"))?;
    let written = scalar::format(value, Some(*style), node.in_flow).map_err(|reason| {
        EditError::InvalidValue {
            pointer: pointer.to_owned(),
            reason,
        }
    })?;
    let out = format!("{}{written}{}", &text[..node.start], &text[end..]);
    verify(text, &out, document, pointer, Some(value.clone()))?;
    Ok(out)
}

/// Adds `key: value` for a new `pointer` to its block mapping, on its own
/// line in the siblings' indentation: right after the one-line sibling whose
/// key shares the longest prefix (3+ characters) with it (`folderUID` after
/// `folder`), else after the last sibling written on one line (not after a
/// long `json: |` block), else after the last sibling.
pub fn insert_scalar(
    text: &str,
    document: usize,
    pointer: &str,
    value: &Value,
) -> Result<String, EditError> {
    let nodes = document_nodes(text, document)?;
    if nodes.iter().any(|n| n.pointer == pointer) {
        return Err(EditError::AlreadyExists {
            document,
            pointer: pointer.to_owned(),
        });
    }
    let (parent_pointer, key) = split_last(pointer).ok_or_else(|| not_found(document, pointer))?;
    let parent = nodes
        .iter()
        .position(|n| n.pointer == parent_pointer)
        .ok_or_else(|| not_found(document, &parent_pointer))?;
    if nodes[parent].kind != (NodeKind::Mapping { flow: false }) {
        return Err(unsupported(pointer, "its parent is not a block mapping"));
    }
    let children: Vec<&Node> = nodes.iter().filter(|n| n.parent == Some(parent)).collect();
    let one_line = |n: &&Node| {
        matches!(n.kind, NodeKind::Scalar { block: None, .. })
            && n.end
                .is_some_and(|e| n.key.is_some_and(|k| !text[k.0..e].contains('\n')))
    };
    let shared = |n: &&Node| {
        let k = n.key.map_or("", |k| &text[k.0..k.1]);
        k.bytes()
            .zip(key.bytes())
            .take_while(|(a, b)| a == b)
            .count()
    };
    let kin = children
        .iter()
        .filter(|n| one_line(n) && shared(n) >= 3)
        .max_by_key(|n| shared(n));
    let anchor = kin
        .or_else(|| children.iter().rev().find(|n| one_line(n)))
        .or(children.last())
        .ok_or_else(|| unsupported(pointer, "its mapping is empty"))?;
    let (Some(key_span), Some(end)) = (anchor.key, anchor.end) else {
        return Err(unsupported(pointer, "the siblings' layout is unclear"));
    };
    let newline = newline_after(text, key_span.0);
    let key_text = scalar::plain(&key, false).unwrap_or_else(|| scalar::double_quoted(&key));
    let written = scalar::format(value, None, false).map_err(|reason| EditError::InvalidValue {
        pointer: pointer.to_owned(),
        reason,
    })?;
    let line = format!(
        "{}{key_text}: {written}{newline}",
        " ".repeat(column(text, key_span.0))
    );
    let at = if text[..end].ends_with('\n') {
        end
    } else {
        text[end..].find('\n').map_or(text.len(), |i| end + i + 1)
    };
    let sep = if at == text.len() && !text.ends_with('\n') {
        newline
    } else {
        ""
    };
    let out = format!("{}{sep}{line}{}", &text[..at], &text[at..]);
    verify(text, &out, document, pointer, Some(value.clone()))?;
    Ok(out)
}

/// Sets the scalar at `pointer`, inserting the key if it is not there.
pub fn upsert_scalar(
    text: &str,
    document: usize,
    pointer: &str,
    value: &Value,
) -> Result<String, EditError> {
    let nodes = document_nodes(text, document)?;
    if nodes.iter().any(|n| n.pointer == pointer) {
        set_scalar(text, document, pointer, value)
    } else {
        insert_scalar(text, document, pointer, value)
    }
}

/// Removes the mapping member at `pointer`: exactly its line(s), from the
/// key to the end of its value.
pub fn remove(text: &str, document: usize, pointer: &str) -> Result<String, EditError> {
    let nodes = document_nodes(text, document)?;
    let node = find(&nodes, document, pointer)?;
    let (Some(key), Some(end), Some(parent)) = (node.key, node.end, node.parent) else {
        return Err(unsupported(
            pointer,
            "it is not a mapping member with a clear end",
        ));
    };
    if nodes[parent].kind != (NodeKind::Mapping { flow: false }) {
        return Err(unsupported(pointer, "its mapping is written inline"));
    }
    if nodes.iter().filter(|n| n.parent == Some(parent)).count() < 2 {
        return Err(unsupported(pointer, "it is the only key of its mapping"));
    }
    let line_start = text[..key.0].rfind('\n').map_or(0, |i| i + 1);
    if !text[line_start..key.0].bytes().all(|b| b == b' ') {
        return Err(unsupported(pointer, "its key shares a line with `- `"));
    }
    let cut = if text[..end].ends_with('\n') {
        end
    } else {
        text[end..].find('\n').map_or(text.len(), |i| end + i + 1)
    };
    let out = format!("{}{}", &text[..line_start], &text[cut..]);
    verify(text, &out, document, pointer, None)?;
    Ok(out)
}

/// Renames the key of the mapping member at `pointer` to `new_key`, in place.
pub fn rename_key(
    text: &str,
    document: usize,
    pointer: &str,
    new_key: &str,
) -> Result<String, EditError> {
    let nodes = document_nodes(text, document)?;
    let node = find(&nodes, document, pointer)?;
    let (Some(key), Some(parent)) = (node.key, node.parent) else {
        return Err(unsupported(pointer, "it is not a mapping member"));
    };
    let (parent_pointer, _) = split_last(pointer).unwrap_or_default();
    let target = format!("{parent_pointer}/{}", escape_token(new_key));
    if nodes
        .iter()
        .any(|n| n.pointer == target && n.parent == Some(parent))
    {
        return Err(EditError::AlreadyExists {
            document,
            pointer: target,
        });
    }
    let written =
        scalar::plain(new_key, node.in_flow).unwrap_or_else(|| scalar::double_quoted(new_key));
    let out = format!("{}{written}{}", &text[..key.0], &text[key.1..]);
    let mut expected = load(text, document)?;
    let moved = take_at(&mut expected, &pointer_tokens(pointer));
    set_at(&mut expected, &pointer_tokens(&target), moved);
    check(&out, document, &expected, pointer)?;
    Ok(out)
}

/// The JSON text of a `spec.gzipJson` value (base64 of gzip).
pub fn decode_gzip_json(b64: &str) -> Result<String, EditError> {
    crate::crd::decode_gzip_json(b64).map_err(|e| EditError::Content(e.message))
}

/// `json` gzip-compressed and base64-encoded, as `spec.gzipJson` holds it.
pub fn encode_gzip_json(json: &str) -> Result<String, EditError> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(json.as_bytes())
        .and_then(|()| gz.finish())
        .map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes))
        .map_err(|e| EditError::Content(format!("cannot compress the dashboard: {e}")))
}

/// Replaces the `spec.gzipJson`-style scalar at `pointer` with `json`
/// compressed and encoded; a block keeps its line width.
pub fn set_gzip_json(
    text: &str,
    document: usize,
    pointer: &str,
    json: &str,
) -> Result<String, EditError> {
    let encoded = encode_gzip_json(json)?;
    let nodes = document_nodes(text, document)?;
    let node = find(&nodes, document, pointer)?;
    match &node.kind {
        NodeKind::Scalar {
            block: Some(_),
            value,
            ..
        } => {
            let width = value.lines().next().map_or(76, str::len).max(4);
            let mut wrapped = String::with_capacity(encoded.len() + encoded.len() / width + 1);
            for (i, chunk) in encoded.as_bytes().chunks(width).enumerate() {
                if i > 0 {
                    wrapped.push('\n');
                }
                wrapped.push_str(&String::from_utf8_lossy(chunk));
            }
            if value.ends_with('\n') {
                wrapped.push('\n');
            }
            set_block(text, document, pointer, &wrapped)
        }
        _ => set_scalar(text, document, pointer, &Value::String(encoded)),
    }
}

fn find<'a>(nodes: &'a [Node], document: usize, pointer: &str) -> Result<&'a Node, EditError> {
    nodes
        .iter()
        .find(|n| n.pointer == pointer)
        .ok_or_else(|| not_found(document, pointer))
}

fn not_found(document: usize, pointer: &str) -> EditError {
    EditError::NotFound {
        document,
        pointer: pointer.to_owned(),
    }
}

fn not_scalar(pointer: &str) -> EditError {
    EditError::InvalidValue {
        pointer: pointer.to_owned(),
        reason: "it is a mapping or a list, not a scalar".to_owned(),
    }
}

fn unsupported(pointer: &str, reason: &str) -> EditError {
    EditError::Unsupported {
        pointer: pointer.to_owned(),
        reason: reason.to_owned(),
    }
}

/// Where the text after a block body resumes: a `|+` block would take the
/// blank lines that follow as its own, so they go.
fn after_keep(text: &str, mut end: usize, header: &str) -> usize {
    if header.contains('+') {
        while let Some(next) = text[end..].find('\n').map(|i| end + i + 1) {
            if !text[end..next].trim().is_empty() {
                break;
            }
            end = next;
        }
    }
    end
}

/// Whether two block headers mean the same (`|2-` and `|-2` do).
fn same_header(a: &str, b: &str) -> bool {
    let norm = |h: &str| {
        let mut c: Vec<char> = h.chars().collect();
        c.sort_unstable();
        c
    };
    norm(a) == norm(b)
}

/// `"\r\n"` if the line holding `pos` ends so, else `"\n"`.
fn newline_after(text: &str, pos: usize) -> &'static str {
    match text[pos..].find('\n') {
        Some(i) if text[..pos + i].ends_with('\r') => "\r\n",
        _ => "\n",
    }
}

/// 0-based column (in characters) of byte `pos`.
fn column(text: &str, pos: usize) -> usize {
    let start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    text[start..pos].chars().count()
}

/// `"/a/b"` → `("/a", "b")`, the last token unescaped.
fn split_last(pointer: &str) -> Option<(String, String)> {
    let i = pointer.rfind('/')?;
    let key = pointer_tokens(&pointer[i..]).pop()?;
    Some((pointer[..i].to_owned(), key))
}

/// `s` as a YAML scalar for block context: plain when that reads back as
/// the same text, else double-quoted.
pub fn format_plain_or_quoted(s: &str) -> String {
    scalar::plain(s, false).unwrap_or_else(|| scalar::double_quoted(s))
}

/// `s` in YAML double quotes, every character YAML cannot hold escaped.
pub fn double_quoted(s: &str) -> String {
    scalar::double_quoted(s)
}

#[cfg(test)]
mod tests;
