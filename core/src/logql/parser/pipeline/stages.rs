//! Pipeline stages after `|`: parsers (json, logfmt, regexp, pattern, unpack)
//! and formatting stages, with Loki's checks of regexp and pattern strings.

use crate::syntax::{ParseError, Span};

use super::super::super::ast::*;
use super::super::super::lexer::Tok;
use super::super::super::regex;
use super::super::{PResult, Parser};

impl<'a> Parser<'a> {
    /// After `|`: a parser, a formatting stage or a label filter.
    pub(in crate::logql::parser) fn stage(&mut self) -> PResult<Stage<'a>> {
        let pipe = self.bump();
        let t = self.token();
        let kind = match t.tok {
            Tok::Json => {
                self.bump();
                StageKind::Json(self.extractions()?)
            }
            Tok::Logfmt => {
                self.bump();
                let (mut strict, mut keep_empty) = (false, false);
                while self.peek() == Tok::Flag {
                    let f = self.bump();
                    if self.text(f) == "--strict" {
                        strict = true;
                    } else {
                        keep_empty = true;
                    }
                }
                StageKind::Logfmt {
                    strict,
                    keep_empty,
                    params: self.extractions()?,
                }
            }
            Tok::Regexp => {
                self.bump();
                let s = self.string("the regular expression as a string")?;
                check_regexp_stage(&s)?;
                StageKind::Regexp(s)
            }
            Tok::Pattern => {
                self.bump();
                let s = self.string("the pattern as a string")?;
                check_pattern(&s)?;
                StageKind::Pattern(s)
            }
            Tok::Unpack => {
                self.bump();
                StageKind::Unpack
            }
            Tok::Decolorize => {
                self.bump();
                StageKind::Decolorize
            }
            Tok::LineFormat => {
                self.bump();
                StageKind::LineFormat(self.string("the template as a string")?)
            }
            Tok::LabelFormat => {
                self.bump();
                StageKind::LabelFormat(self.label_formats()?)
            }
            Tok::Drop | Tok::Keep => {
                self.bump();
                let list = self.named_matchers()?;
                if t.tok == Tok::Drop {
                    StageKind::Drop(list)
                } else {
                    StageKind::Keep(list)
                }
            }
            Tok::Ident | Tok::Other | Tok::LParen => StageKind::LabelFilter(self.label_filter()?),
            _ => {
                let mut e = self.unexpected(
                    "a parser (json, logfmt, ...), a formatting stage or a label filter after `|`",
                    &[
                        "json",
                        "logfmt",
                        "regexp",
                        "pattern",
                        "unpack",
                        "line_format",
                        "label_format",
                        "drop",
                        "keep",
                        "label filter",
                    ],
                );
                if e.help.is_none() {
                    e = match t.tok {
                        Tok::Eq | Tok::Re | Tok::Eof => {
                            e.help("remove the stray `|` or complete the stage")
                        }
                        Tok::Pipe => e.help("remove the doubled `|`"),
                        _ => e,
                    };
                }
                return Err(e);
            }
        };
        Ok(Stage {
            kind,
            span: Self::span(pipe).to(Span::at(self.prev_end())),
        })
    }

    /// `a, b="c.d"` after `json` / `logfmt` (possibly none).
    pub(in crate::logql::parser) fn extractions(&mut self) -> PResult<Vec<Extraction<'a>>> {
        let mut out = Vec::new();
        if !matches!(self.peek(), Tok::Ident | Tok::Other) {
            return Ok(out);
        }
        loop {
            let name = self.label_name("a label name")?;
            let mut expression = None;
            if self.peek() == Tok::Eq {
                self.bump();
                expression = Some(self.string("the expression as a string, e.g. \"a.b[0]\"")?);
            }
            let span = name.span.to(Span::at(self.prev_end()));
            out.push(Extraction {
                name,
                expression,
                span,
            });
            if self.peek() != Tok::Comma {
                return Ok(out);
            }
            self.bump();
        }
    }

    pub(in crate::logql::parser) fn label_formats(&mut self) -> PResult<Vec<LabelFormat<'a>>> {
        let mut out = Vec::new();
        loop {
            let name = self.label_name("a label name")?;
            if self.peek() != Tok::Eq {
                let mut e = self.unexpected(format_args!("`=` after `{}`", name.name), &["="]);
                if e.help.is_none() && self.peek() == Tok::CmpEq {
                    e = e.help("label_format assigns with a single `=`");
                }
                return Err(e);
            }
            self.bump();
            let value = match self.peek() {
                Tok::String | Tok::RawString => {
                    LabelFormatValue::Template(self.string("a template")?)
                }
                Tok::Ident | Tok::Other => {
                    LabelFormatValue::Rename(self.label_name("a label name")?)
                }
                _ => {
                    return Err(self.unexpected(
                        "a label to rename from or a template string",
                        &["label name", "string"],
                    ))
                }
            };
            out.push(LabelFormat {
                name,
                value,
                span: name.span.to(Span::at(self.prev_end())),
            });
            if self.peek() != Tok::Comma {
                return Ok(out);
            }
            self.bump();
        }
    }

    /// `a, b="v"` after `drop` / `keep`.
    pub(in crate::logql::parser) fn named_matchers(&mut self) -> PResult<Vec<NamedMatcher<'a>>> {
        let mut out = Vec::new();
        loop {
            if matches!(
                self.peek_at(1),
                Tok::Eq | Tok::Neq | Tok::Re | Tok::Nre | Tok::CmpEq
            ) {
                out.push(NamedMatcher::Matcher(self.matcher()?.0));
            } else {
                out.push(NamedMatcher::Name(self.label_name("a label name")?));
            }
            if self.peek() != Tok::Comma {
                return Ok(out);
            }
            self.bump();
        }
    }
}

/// Loki's `regexp` stage: a valid RE2 expression whose capture groups are
/// all named, uniquely, and there is at least one.
fn check_regexp_stage(s: &StringLit<'_>) -> PResult<()> {
    let info = regex::check(&s.value)
        .map_err(|e| ParseError::new(s.span, format!("invalid regular expression: {e}")))?;
    if info.captures.is_empty() {
        return Err(ParseError::new(
            s.span,
            "the regexp stage needs at least one named capture group",
        )
        .help("name what to extract: regexp \"(?P<status>\\\\d+)\""));
    }
    let mut seen: Vec<&str> = Vec::new();
    for c in &info.captures {
        match c {
            None => {
                return Err(ParseError::new(
                    s.span,
                    "every capture group of the regexp stage must be named",
                )
                .help("name it with (?P<name>...) or make it non-capturing with (?:...)"))
            }
            Some(n) if seen.contains(&n.as_str()) => {
                return Err(ParseError::new(
                    s.span,
                    format!("capture group `{n}` is named twice"),
                ))
            }
            Some(n) => seen.push(n),
        }
    }
    Ok(())
}

/// Loki's `pattern` stage: at least one named capture `<name>`, no two
/// captures side by side, no name twice.
fn check_pattern(s: &StringLit<'_>) -> PResult<()> {
    #[derive(PartialEq)]
    enum Node<'s> {
        Literal,
        Capture(&'s str),
    }
    let text: &str = &s.value;
    let b = text.as_bytes();
    let mut nodes: Vec<Node<'_>> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<' {
            let name_start = i + 1;
            let mut j = name_start;
            while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                j += 1;
            }
            let starts_ok = b
                .get(name_start)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_');
            if starts_ok && j < b.len() && b[j] == b'>' {
                nodes.push(Node::Capture(&text[name_start..j]));
                i = j + 1;
                continue;
            }
        }
        if nodes.last() != Some(&Node::Literal) {
            nodes.push(Node::Literal);
        }
        i += 1;
    }
    let named: Vec<&str> = nodes
        .iter()
        .filter_map(|n| match n {
            Node::Capture(c) if *c != "_" => Some(*c),
            _ => None,
        })
        .collect();
    if named.is_empty() {
        return Err(ParseError::new(
            s.span,
            "the pattern needs at least one named capture such as <status>",
        )
        .help("name what to extract: pattern \"<ip> - <_> <status>\""));
    }
    for pair in nodes.chunks(2) {
        if let [Node::Capture(_), Node::Capture(_)] = pair {
            return Err(
                ParseError::new(s.span, "the pattern has two captures side by side")
                    .help("separate captures with literal text: \"<a> <b>\""),
            );
        }
    }
    for (k, n) in named.iter().enumerate() {
        if named[..k].contains(n) {
            return Err(ParseError::new(
                s.span,
                format!("capture `<{n}>` appears twice in the pattern"),
            ));
        }
    }
    Ok(())
}
