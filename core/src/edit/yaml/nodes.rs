//! Where each value of one YAML document is written, in bytes: runs the
//! saphyr parser's events and completes the spans it leaves open (scalar
//! ends, block scalar headers and bodies, the key of each mapping value).

use saphyr_parser::{Event, Parser, ScalarStyle};

use crate::edit::{escape_token, EditError};
use crate::yaml::YamlError;

/// One value of the document.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub pointer: String,
    pub kind: NodeKind,
    /// First byte of the value (for block scalars: of the header indicator).
    pub start: usize,
    /// Byte after the value (block scalars: after the body's last line
    /// break); `None` when this editor cannot tell (multi-line plain scalars).
    pub end: Option<usize>,
    /// The key's bytes when the value is a mapping member.
    pub key: Option<(usize, usize)>,
    /// Inside a flow collection (`{…}`, `[…]`): block syntax not allowed.
    pub in_flow: bool,
    /// Index of the parent node in the list.
    pub parent: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NodeKind {
    Scalar {
        style: ScalarStyle,
        value: String,
        /// For `|` and `>`: where the body lines start and their indentation.
        block: Option<Block>,
        /// An explicit tag (`!!str`, `!x`), which changes how the value loads.
        tagged: bool,
    },
    Mapping {
        flow: bool,
    },
    Sequence {
        flow: bool,
    },
}

/// The layout of a block scalar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Block {
    /// The header indicator's bytes (`|`, `|-`, `|+`, `|2-`…).
    pub header: (usize, usize),
    /// Byte after the header line's line break.
    pub body_start: usize,
    /// Indentation of the body in columns, if any body line says it.
    pub indent: Option<usize>,
    /// Column of the parent (the key's column or the `- `).
    pub parent_indent: usize,
}

/// The nodes of document `index` of `text`, in document order.
pub(crate) fn document_nodes(text: &str, index: usize) -> Result<Vec<Node>, EditError> {
    nodes_of(text, index, false).map(|(nodes, _)| nodes)
}

/// [`document_nodes`], the whole stream parsed: also how many documents it has.
pub(crate) fn all_nodes(text: &str, index: usize) -> Result<(Vec<Node>, usize), EditError> {
    nodes_of(text, index, true)
}

/// The nodes of document `index`; with `whole`, parsing on to the end of
/// the stream (every later document must parse too) and counting documents.
fn nodes_of(text: &str, index: usize, whole: bool) -> Result<(Vec<Node>, usize), EditError> {
    let bytes_of = CharIndex::new(text);
    let mut nodes: Vec<Node> = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    let mut doc = None::<usize>;
    let mut seen = 0;
    let mut pending_key: Option<(String, (usize, usize))> = None;
    for next in Parser::new_from_str(text) {
        let (event, span) = next.map_err(|e| {
            EditError::Yaml(YamlError {
                message: e.info().to_owned(),
                line: e.marker().line(),
                column: e.marker().col() + 1,
            })
        })?;
        let start = bytes_of.byte(span.start.index());
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                doc = Some(seen);
                seen += 1;
                continue;
            }
            Event::DocumentEnd => {
                if doc == Some(index) && !whole {
                    return Ok((nodes, seen));
                }
                doc = None;
                continue;
            }
            _ => {}
        }
        if doc != Some(index) {
            continue;
        }
        let in_flow = stack.iter().any(|f| f.flow);
        match event {
            Event::Scalar(value, style, _, tag) => {
                // A mapping key: remember it for the value that follows.
                if let Some(Frame {
                    mapping: true,
                    expect_key: expect @ true,
                    ..
                }) = stack.last_mut()
                {
                    *expect = false;
                    let end = scalar_end(text, start, style, &value, in_flow);
                    pending_key = Some((value.into_owned(), (start, end.unwrap_or(start))));
                    continue;
                }
                let (pointer, key, parent) = place(&mut stack, &mut pending_key, &nodes);
                let (start, end, block) = match style {
                    ScalarStyle::Literal | ScalarStyle::Folded => {
                        match block_layout(text, start, key.map(|k| k.0)) {
                            Some((block, end)) => (block.header.0, Some(end), Some(block)),
                            None => (start, None, None),
                        }
                    }
                    _ => (start, scalar_end(text, start, style, &value, in_flow), None),
                };
                nodes.push(Node {
                    pointer,
                    kind: NodeKind::Scalar {
                        style,
                        value: value.into_owned(),
                        block,
                        tagged: tag.is_some(),
                    },
                    start,
                    end,
                    key,
                    in_flow,
                    parent,
                });
                finish_child(&mut stack, end);
            }
            Event::Alias(_) => {
                let (pointer, key, parent) = place(&mut stack, &mut pending_key, &nodes);
                nodes.push(Node {
                    pointer,
                    kind: NodeKind::Scalar {
                        style: ScalarStyle::Plain,
                        value: String::new(),
                        block: None,
                        tagged: false,
                    },
                    start,
                    end: None,
                    key,
                    in_flow,
                    parent,
                });
                finish_child(&mut stack, None);
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let mapping = matches!(event, Event::MappingStart(..));
                let flow = matches!(text.as_bytes().get(start), Some(b'{' | b'['));
                if stack.last().is_some_and(|f| f.mapping && f.expect_key) {
                    // A complex key: positions below it are not tracked.
                    return Err(EditError::Unsupported {
                        pointer: String::new(),
                        reason: "a mapping key is a collection".to_owned(),
                    });
                }
                let (pointer, key, parent) = place(&mut stack, &mut pending_key, &nodes);
                nodes.push(Node {
                    pointer,
                    kind: if mapping {
                        NodeKind::Mapping { flow }
                    } else {
                        NodeKind::Sequence { flow }
                    },
                    start,
                    end: None,
                    key,
                    in_flow,
                    parent,
                });
                stack.push(Frame {
                    node: nodes.len() - 1,
                    mapping,
                    flow,
                    expect_key: mapping,
                    items: 0,
                    last_end: None,
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(frame) = stack.pop() {
                    let end = if frame.flow {
                        Some(bytes_of.byte(span.end.index()))
                    } else {
                        // A block collection ends where its last value ends.
                        frame.last_end
                    };
                    nodes[frame.node].end = end;
                    finish_child(&mut stack, end);
                }
            }
            _ => {}
        }
    }
    if index < seen {
        return Ok((nodes, seen));
    }
    Err(EditError::NoDocument { index, count: seen })
}

struct Frame {
    node: usize,
    mapping: bool,
    flow: bool,
    expect_key: bool,
    items: usize,
    /// Where the last completed value ends.
    last_end: Option<usize>,
}

/// The pointer, key span and parent of a value starting now.
fn place(
    stack: &mut [Frame],
    pending_key: &mut Option<(String, (usize, usize))>,
    nodes: &[Node],
) -> (String, Option<(usize, usize)>, Option<usize>) {
    let Some(frame) = stack.last_mut() else {
        return (String::new(), None, None);
    };
    let parent = &nodes[frame.node].pointer;
    if frame.mapping {
        let (key, span) = pending_key.take().unwrap_or_default();
        (
            format!("{parent}/{}", escape_token(&key)),
            Some(span),
            Some(frame.node),
        )
    } else {
        frame.items += 1;
        (
            format!("{parent}/{}", frame.items - 1),
            None,
            Some(frame.node),
        )
    }
}

/// A value ending at `end` is complete: in a mapping, a key comes next.
fn finish_child(stack: &mut [Frame], end: Option<usize>) {
    if let Some(f) = stack.last_mut() {
        f.last_end = end;
        if f.mapping {
            f.expect_key = true;
        }
    }
}

/// The byte after a flow scalar (plain or quoted) starting at `start`, if
/// the text there is exactly one line that reads back as `value`.
fn scalar_end(
    text: &str,
    start: usize,
    style: ScalarStyle,
    value: &str,
    in_flow: bool,
) -> Option<usize> {
    let bytes = text.as_bytes();
    match style {
        ScalarStyle::DoubleQuoted => {
            let mut i = start + 1;
            loop {
                match bytes.get(i)? {
                    b'\\' => i += 2,
                    b'"' => return Some(i + 1),
                    _ => i += 1,
                }
            }
        }
        ScalarStyle::SingleQuoted => {
            let mut i = start + 1;
            loop {
                match bytes.get(i)? {
                    b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    b'\'' => return Some(i + 1),
                    _ => i += 1,
                }
            }
        }
        ScalarStyle::Plain => {
            let line_end = text[start..]
                .find(['\n', '\r'])
                .map_or(text.len(), |i| start + i);
            let mut end = start;
            let line = &text[start..line_end];
            for (i, c) in line.char_indices() {
                if c == '#' && i > 0 && line[..i].ends_with([' ', '\t']) {
                    break;
                }
                if in_flow && matches!(c, ',' | ']' | '}') {
                    break;
                }
                if c == ':' && line[i + 1..].starts_with([' ', '\t']) {
                    break;
                }
                if !c.is_whitespace() {
                    end = start + i + c.len_utf8();
                }
            }
            let written = text[start..end].trim_end();
            (written == value).then_some(start + written.len())
        }
        _ => None,
    }
}

/// The header and body of a block scalar whose body saphyr says starts at
/// `content` (or whose next token is there, for an empty body), and the byte
/// after its last body line. `key_start`: the key's first byte, if any.
fn block_layout(text: &str, content: usize, key_start: Option<usize>) -> Option<(Block, usize)> {
    let content_line = text[..content].rfind('\n').map_or(0, |i| i + 1);
    // The header line: the last non-blank line before the body.
    let mut line_end = content_line;
    let header_line = loop {
        if line_end == 0 {
            return None;
        }
        let prev_start = text[..line_end - 1].rfind('\n').map_or(0, |i| i + 1);
        if !text[prev_start..line_end].trim().is_empty() {
            break prev_start;
        }
        line_end = prev_start;
    };
    let body_start = line_end;
    let search_from = key_start
        .filter(|k| *k >= header_line)
        .unwrap_or(header_line);
    // A tagged block (`key: !!str |`): saphyr's span starts at the tag, on
    // the header line itself; its layout is not worked out here.
    let line = text.get(search_from..body_start)?;
    let rel = line
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, '|' | '>') && (i == 0 || line[..i].ends_with([' ', ':', '-', '\t', '!']))
        })
        .map(|(i, _)| i)?;
    let h_start = search_from + rel;
    let h_len = text[h_start + 1..]
        .bytes()
        .take_while(|b| matches!(b, b'+' | b'-' | b'1'..=b'9'))
        .count()
        + 1;
    let header = &text[h_start..h_start + h_len];
    let parent_indent = match key_start {
        Some(k) => k - text[..k].rfind('\n').map_or(0, |i| i + 1),
        None => {
            // A sequence item or a document: the line's own indentation.
            text[header_line..]
                .bytes()
                .take_while(|b| *b == b' ')
                .count()
        }
    };
    let explicit = header
        .bytes()
        .find(u8::is_ascii_digit)
        .map(|d| parent_indent + usize::from(d - b'0'));
    let keep = header.contains('+');
    // Body lines: blank, or indented at least as deep as the block.
    let mut indent = explicit;
    let mut pos = body_start;
    let mut end = body_start;
    while pos < text.len() {
        let next = text[pos..].find('\n').map_or(text.len(), |i| pos + i + 1);
        let line = &text[pos..next];
        let spaces = line.bytes().take_while(|b| *b == b' ').count();
        let blank = line
            .trim_end_matches(['\n', '\r'])
            .bytes()
            .all(|b| b == b' ');
        if blank {
            if keep {
                end = next;
            }
        } else {
            let need = *indent.get_or_insert(spaces);
            if spaces < need || need <= parent_indent && explicit.is_none() {
                if indent == Some(spaces) && explicit.is_none() {
                    indent = None;
                }
                break;
            }
            end = next;
        }
        pos = next;
    }
    Some((
        Block {
            header: (h_start, h_start + h_len),
            body_start,
            indent,
            parent_indent,
        },
        end,
    ))
}

/// Character index (what saphyr counts) to byte offset.
struct CharIndex(Option<Vec<usize>>);

impl CharIndex {
    fn new(text: &str) -> CharIndex {
        if text.is_ascii() {
            return CharIndex(None);
        }
        let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        v.push(text.len());
        CharIndex(Some(v))
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.0 {
            None => char_index,
            Some(v) => v
                .get(char_index)
                .copied()
                .unwrap_or_else(|| v.last().copied().unwrap_or(0)),
        }
    }
}
