//! Log queries: the stream selector and its matchers, line filters, parser
//! stages, formatting stages and label filters (`and`/`or`/`,` by a loop).

use std::borrow::Cow;

use crate::syntax::{ParseError, Span};

use super::super::ast::*;
use super::super::lexer::{unquote, Tok};
use super::super::regex;
use super::super::suggest::suggest;
use super::{PResult, Parser};

const STAGES: [&str; 11] = [
    "json",
    "logfmt",
    "regexp",
    "pattern",
    "unpack",
    "decolorize",
    "line_format",
    "label_format",
    "drop",
    "keep",
    "unwrap",
];

impl<'a> Parser<'a> {
    /// A log query outside ranges: selector and pipeline.
    pub(super) fn log_expr(&mut self) -> PResult<LogExpr<'a>> {
        let selector = self.selector()?;
        let mut pipeline = Vec::new();
        self.pipeline(&mut pipeline)?;
        if self.peek() == Tok::Pipe && self.peek_at(1) == Tok::Unwrap {
            return Err(ParseError::new(
                Self::span(self.toks[self.pos + 1]),
                "`unwrap` only goes inside a range aggregation",
            )
            .expected(&["|"])
            .help("unwrap a label inside e.g. sum_over_time({app=\"foo\"} | unwrap bytes [5m])"));
        }
        let span = selector.span.to(Span::at(self.prev_end()));
        Ok(LogExpr {
            selector,
            pipeline,
            span,
        })
    }

    /// `{name="value", ...}`, checked as Loki does (regexes compile, and at
    /// least one matcher does not match the empty string).
    pub(super) fn selector(&mut self) -> PResult<Selector<'a>> {
        if self.peek() != Tok::LBrace {
            let mut e = self.unexpected("a log selector such as {app=\"foo\"}", &["{"]);
            if e.help.is_none() && matches!(self.peek(), Tok::Ident | Tok::Other) {
                e = e.help(format!(
                    "LogQL selects streams with braces: {{app=\"{}\"}}",
                    self.text(self.token())
                ));
            }
            return Err(e);
        }
        let open = self.bump();
        let mut matchers = Vec::new();
        if self.peek() == Tok::RBrace {
            let close = self.bump();
            return Err(ParseError::new(
                Self::span(open).to(Self::span(close)),
                "a selector needs at least one label matcher; `{}` selects nothing",
            )
            .expected(&["label matcher"])
            .help("name the streams to read, e.g. {app=\"foo\"}"));
        }
        loop {
            matchers.push(self.matcher()?);
            match self.peek() {
                Tok::Comma => {
                    self.bump();
                    if self.peek() == Tok::RBrace {
                        return Err(self
                            .unexpected("a label matcher after `,`", &["label name"])
                            .help("remove the trailing `,`"));
                    }
                }
                Tok::RBrace => break,
                _ => {
                    let mut e = self.unexpected(
                        &format!(
                            "`,` or `}}` to close the selector opened at byte {}",
                            open.start
                        ),
                        &[",", "}"],
                    );
                    if e.help.is_none() {
                        if matches!(self.peek(), Tok::Ident | Tok::Other) {
                            e = e.help("separate matchers with `,`");
                        } else if self.peek() == Tok::Eof {
                            e = e.help("add the missing `}`");
                        }
                    }
                    return Err(e);
                }
            }
        }
        let close = self.bump();
        let span = Self::span(open).to(Self::span(close));
        if matchers.iter().all(matches_empty) {
            return Err(ParseError::new(
                span,
                "every matcher of this selector also matches streams without the label; \
                 Loki needs at least one that does not match the empty string",
            )
            .expected(&["label matcher"])
            .help("add a matcher such as app=\"foo\" or use app=~\".+\" instead of app=~\".*\""));
        }
        Ok(Selector { matchers, span })
    }

    /// `name op "value"` (in selectors, label filters, drop and keep).
    fn matcher(&mut self) -> PResult<Matcher<'a>> {
        let name = self.label_name("a label name")?;
        let op_tok = self.token();
        let op = match op_tok.tok {
            Tok::Eq => MatchOp::Eq,
            Tok::Neq => MatchOp::Neq,
            Tok::Re => MatchOp::Re,
            Tok::Nre => MatchOp::Nre,
            Tok::CmpEq => {
                return Err(
                    ParseError::new(Self::span(op_tok), "`==` does not match labels")
                        .expected(&["=", "!=", "=~", "!~"])
                        .help(format!("did you mean `{}=`?", name.name)),
                )
            }
            _ => {
                return Err(self.unexpected(
                    &format!("`=`, `!=`, `=~` or `!~` after `{}`", name.name),
                    &["=", "!=", "=~", "!~"],
                ))
            }
        };
        self.bump();
        let value = self.matcher_value(name.name, op)?;
        self.matcher_from(name, op, value)
    }

    fn matcher_value(&mut self, name: &str, op: MatchOp) -> PResult<StringLit<'a>> {
        if matches!(self.peek(), Tok::String | Tok::RawString) {
            return self.string("a string");
        }
        let t = self.token();
        let mut e = self.unexpected("a quoted value", &["string"]);
        if e.help.is_none()
            && matches!(t.tok, Tok::Ident | Tok::Number | Tok::Duration | Tok::Bytes)
        {
            e = e.help(format!(
                "label values are quoted: {name}{}\"{}\"",
                op.as_str(),
                self.text(t)
            ));
        }
        Err(e)
    }

    fn matcher_from(
        &self,
        name: Ident<'a>,
        op: MatchOp,
        value: StringLit<'a>,
    ) -> PResult<Matcher<'a>> {
        if matches!(op, MatchOp::Re | MatchOp::Nre) {
            if let Err(e) = regex::check(&value.value) {
                return Err(ParseError::new(
                    value.span,
                    format!("invalid regular expression: {e}"),
                )
                .help("matchers use RE2 syntax; escape special characters with \\\\"));
            }
        }
        let span = name.span.to(value.span);
        Ok(Matcher {
            name,
            op,
            value,
            span,
        })
    }

    /// A string literal token.
    pub(super) fn string(&mut self, wanted: &str) -> PResult<StringLit<'a>> {
        let t = self.token();
        let raw = match t.tok {
            Tok::String => false,
            Tok::RawString => true,
            _ => return Err(self.unexpected(wanted, &["string"])),
        };
        self.bump();
        let text = self.text(t);
        let value = if raw {
            Cow::Borrowed(&text[1..text.len() - 1])
        } else {
            unquote(text)
        };
        Ok(StringLit {
            value,
            raw,
            span: Self::span(t),
        })
    }

    /// Pipeline stages, up to (not including) `| unwrap` or anything else.
    pub(super) fn pipeline(&mut self, stages: &mut Vec<Stage<'a>>) -> PResult<()> {
        loop {
            match self.peek() {
                Tok::PipeExact
                | Tok::Neq
                | Tok::PipeMatch
                | Tok::Nre
                | Tok::PipePattern
                | Tok::Npa => {
                    stages.push(self.line_filter()?);
                }
                Tok::Pipe if self.peek_at(1) != Tok::Unwrap => {
                    stages.push(self.stage()?);
                }
                _ => return Ok(()),
            }
        }
    }

    fn line_filter(&mut self) -> PResult<Stage<'a>> {
        let op_tok = self.bump();
        let op = match op_tok.tok {
            Tok::PipeExact => LineFilterOp::Contains,
            Tok::Neq => LineFilterOp::NotContains,
            Tok::PipeMatch => LineFilterOp::Match,
            Tok::Nre => LineFilterOp::NotMatch,
            Tok::PipePattern => LineFilterOp::Pattern,
            _ => LineFilterOp::NotPattern,
        };
        let mut values = vec![self.line_filter_value(self.text(op_tok))?];
        while self.peek() == Tok::Or {
            self.bump();
            if matches!(
                self.peek(),
                Tok::PipeExact | Tok::Neq | Tok::PipeMatch | Tok::Nre | Tok::PipePattern | Tok::Npa
            ) {
                let again = self.text(self.token());
                return Err(self
                    .unexpected("a string after `or`", &["string", "ip"])
                    .help(format!(
                        "the operator applies to every alternative: write `{again} \"a\" or \"b\"`"
                    )));
            }
            values.push(self.line_filter_value("or")?);
        }
        let span = Self::span(op_tok).to(Span::at(self.prev_end()));
        Ok(Stage {
            kind: StageKind::LineFilter(LineFilter { op, values, span }),
            span,
        })
    }

    fn line_filter_value(&mut self, after: &str) -> PResult<LineFilterValue<'a>> {
        match self.peek() {
            Tok::String | Tok::RawString => Ok(LineFilterValue::String(self.string("a string")?)),
            Tok::Ip => {
                let ip = self.bump();
                let open = self.expect(Tok::LParen, "(", "`(` after `ip`")?;
                let s = self.string("the address or range as a string")?;
                self.close_paren(open, "ip")?;
                let _ = ip;
                Ok(LineFilterValue::Ip(s))
            }
            _ => {
                let t = self.token();
                let mut e =
                    self.unexpected(&format!("a string after `{after}`"), &["string", "ip"]);
                if e.help.is_none() && matches!(t.tok, Tok::Ident | Tok::Number) {
                    e = e.help(format!("quote the text: {after} \"{}\"", self.text(t)));
                }
                Err(e)
            }
        }
    }

    /// After `|`: a parser, a formatting stage or a label filter.
    fn stage(&mut self) -> PResult<Stage<'a>> {
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
    fn extractions(&mut self) -> PResult<Vec<Extraction<'a>>> {
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

    fn label_formats(&mut self) -> PResult<Vec<LabelFormat<'a>>> {
        let mut out = Vec::new();
        loop {
            let name = self.label_name("a label name")?;
            if self.peek() != Tok::Eq {
                let mut e = self.unexpected(&format!("`=` after `{}`", name.name), &["="]);
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
    fn named_matchers(&mut self) -> PResult<Vec<NamedMatcher<'a>>> {
        let mut out = Vec::new();
        loop {
            if matches!(
                self.peek_at(1),
                Tok::Eq | Tok::Neq | Tok::Re | Tok::Nre | Tok::CmpEq
            ) {
                out.push(NamedMatcher::Matcher(self.matcher()?));
            } else {
                out.push(NamedMatcher::Name(self.label_name("a label name")?));
            }
            if self.peek() != Tok::Comma {
                return Ok(out);
            }
            self.bump();
        }
    }

    /// Label filters joined by `or` (loosest), `and`, `,` or juxtaposition.
    pub(super) fn label_filter(&mut self) -> PResult<LabelFilter<'a>> {
        let mut lhs = self.label_filter_and()?;
        while self.peek() == Tok::Or {
            self.bump();
            let rhs = self.label_filter_and()?;
            lhs = LabelFilter::Or(Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn label_filter_and(&mut self) -> PResult<LabelFilter<'a>> {
        let mut lhs = self.label_filter_primary()?;
        loop {
            match self.peek() {
                Tok::And | Tok::Comma => {
                    self.bump();
                }
                Tok::Ident | Tok::Other | Tok::LParen => {}
                _ => return Ok(lhs),
            }
            let rhs = self.label_filter_primary()?;
            lhs = LabelFilter::And(Box::new(lhs), Box::new(rhs));
        }
    }

    fn label_filter_primary(&mut self) -> PResult<LabelFilter<'a>> {
        if self.peek() != Tok::LParen {
            return self.label_filter_leaf();
        }
        self.enter()?;
        let open = self.bump();
        let inner = self.label_filter()?;
        let close = self.close_paren(open, "")?;
        self.leave();
        Ok(LabelFilter::Paren(
            Box::new(inner),
            Self::span(open).to(Self::span(close)),
        ))
    }

    /// `name op value`.
    #[inline(never)]
    fn label_filter_leaf(&mut self) -> PResult<LabelFilter<'a>> {
        if !matches!(self.peek(), Tok::Ident | Tok::Other) {
            return Err(self.unexpected(
                "a label filter such as level=\"error\"",
                &["label name", "("],
            ));
        }
        let name = self.label_name("a label name")?;
        let op_tok = self.token();
        let op = match op_tok.tok {
            Tok::Eq => CmpOp::Eq,
            Tok::Neq => CmpOp::Neq,
            Tok::CmpEq => CmpOp::CmpEq,
            Tok::Gt => CmpOp::Gt,
            Tok::Gte => CmpOp::Gte,
            Tok::Lt => CmpOp::Lt,
            Tok::Lte => CmpOp::Lte,
            Tok::Re | Tok::Nre => {
                self.bump();
                let op = if op_tok.tok == Tok::Re {
                    MatchOp::Re
                } else {
                    MatchOp::Nre
                };
                let value = self.matcher_value(name.name, op)?;
                return Ok(LabelFilter::Matcher(self.matcher_from(name, op, value)?));
            }
            _ => return Err(self.filter_op_error(name)),
        };
        self.bump();
        let v = self.token();
        let span = |p: &Self| name.span.to(Span::at(p.prev_end()));
        match v.tok {
            Tok::String | Tok::RawString if matches!(op, CmpOp::Eq | CmpOp::Neq) => {
                let value = self.string("a string")?;
                let mop = if op == CmpOp::Eq {
                    MatchOp::Eq
                } else {
                    MatchOp::Neq
                };
                Ok(LabelFilter::Matcher(self.matcher_from(name, mop, value)?))
            }
            Tok::String | Tok::RawString => {
                let msg = format!(
                    "`{}` compares numbers, durations or sizes, not strings",
                    self.text(op_tok)
                );
                let mut e =
                    ParseError::new(Self::span(v), msg).expected(&["number", "duration", "bytes"]);
                if op == CmpOp::CmpEq {
                    e = e.help(format!(
                        "to compare strings use `=`: {}={}",
                        name.name,
                        self.text(v)
                    ));
                }
                Err(e)
            }
            Tok::Ip if matches!(op, CmpOp::Eq | CmpOp::Neq) => {
                self.bump();
                let open = self.expect(Tok::LParen, "(", "`(` after `ip`")?;
                let value = self.string("the address or range as a string")?;
                self.close_paren(open, "ip")?;
                Ok(LabelFilter::Ip {
                    name,
                    negated: op == CmpOp::Neq,
                    value,
                    span: span(self),
                })
            }
            Tok::Duration => {
                self.bump();
                Ok(LabelFilter::Duration {
                    name,
                    op,
                    value: Duration {
                        nanos: v.value,
                        span: Self::span(v),
                    },
                    span: span(self),
                })
            }
            Tok::Bytes => {
                self.bump();
                Ok(LabelFilter::Bytes {
                    name,
                    op,
                    value: Bytes {
                        bytes: v.value as u64,
                        span: Self::span(v),
                    },
                    span: span(self),
                })
            }
            Tok::Number | Tok::Add | Tok::Sub => {
                self.bump();
                let (from, n) = if v.tok == Tok::Number {
                    (v, v)
                } else {
                    if self.peek() != Tok::Number {
                        return Err(self.unexpected("a number", &["number"]));
                    }
                    (v, self.bump())
                };
                let value = self.number(from, n, v.tok == Tok::Sub);
                Ok(LabelFilter::Number {
                    name,
                    op,
                    value,
                    span: span(self),
                })
            }
            _ => {
                let mut e = self.unexpected(
                    &format!("a value after `{}`", self.text(op_tok)),
                    &["string", "number", "duration", "bytes"],
                );
                if e.help.is_none()
                    && matches!(v.tok, Tok::Ident)
                    && matches!(op, CmpOp::Eq | CmpOp::Neq)
                {
                    e = e.help(format!(
                        "label filter values are quoted: {}{}\"{}\"",
                        name.name,
                        self.text(op_tok),
                        self.text(v)
                    ));
                }
                Err(e)
            }
        }
    }

    fn filter_op_error(&self, name: Ident<'a>) -> ParseError {
        let e = self.unexpected(
            &format!("a comparison operator after `{}`", name.name),
            &["=", "!=", "=~", "!~", "==", ">", ">=", "<", "<="],
        );
        let after_pipe = self.pos >= 2 && self.toks[self.pos - 2].tok == Tok::Pipe;
        match suggest(name.name, &STAGES) {
            Some(stage) if e.help.is_none() && after_pipe => {
                e.help(format!("did you mean `{stage}`?"))
            }
            _ => e,
        }
    }
}

/// Whether Loki's matcher would also match a missing (empty) label value.
fn matches_empty(m: &Matcher<'_>) -> bool {
    match m.op {
        MatchOp::Eq => m.value.value.is_empty(),
        MatchOp::Neq => !m.value.value.is_empty(),
        MatchOp::Re => regex::check(&m.value.value).is_ok_and(|i| i.matches_empty),
        MatchOp::Nre => regex::check(&m.value.value).is_ok_and(|i| !i.matches_empty),
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
