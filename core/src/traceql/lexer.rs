//! TraceQL lexer over bytes, following Tempo's: Go-style numbers, strings and
//! comments, durations glued to numbers, and raw attribute names after a scope.

use crate::syntax::{ParseError, Span};

use super::ast::{AttributeScope, Intrinsic};
use super::duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    Eof,
    LBrace,
    RBrace,
    LParen,
    RParen,
    Comma,
    Pipe,
    Eq,
    Neq,
    Re,
    Nre,
    Gt,
    Gte,
    Lt,
    Lte,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Not,
    And,
    Or,
    Desc,
    Anc,
    Tilde,
    NotChild,
    NotParent,
    NotDesc,
    NotAnc,
    UnionChild,
    UnionParent,
    UnionDesc,
    UnionAnc,
    UnionSibl,
    /// A string literal; `escaped` when it needs unquoting.
    Str,
    Int,
    Float,
    Duration,
    Kw(Kw),
    /// `scope.name`: `scope` and whether `parent.` came first; the name
    /// (possibly empty) starts at `name_start`.
    Attr {
        scope: AttributeScope,
        parent: bool,
    },
    /// `span:`, `trace:`, `event:`, `link:`, `instrumentation:`.
    ScopeColon(ColonScope),
    /// An unknown word or character (Tempo's IDENTIFIER).
    Ident,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColonScope {
    Trace,
    Span,
    Event,
    Link,
    Instrumentation,
}

impl ColonScope {
    pub fn as_str(self) -> &'static str {
        match self {
            ColonScope::Trace => "trace:",
            ColonScope::Span => "span:",
            ColonScope::Event => "event:",
            ColonScope::Link => "link:",
            ColonScope::Instrumentation => "instrumentation:",
        }
    }

    /// The intrinsics that may follow, as written.
    pub fn names(self) -> &'static [&'static str] {
        match self {
            ColonScope::Trace => &["duration", "rootName", "rootService", "id"],
            ColonScope::Span => &[
                "duration",
                "name",
                "kind",
                "status",
                "statusMessage",
                "id",
                "parentID",
                "childCount",
            ],
            ColonScope::Event => &["name", "timeSinceStart"],
            ColonScope::Link => &["traceID", "spanID"],
            ColonScope::Instrumentation => &["name", "version"],
        }
    }

    pub fn intrinsic(self, kw: Kw) -> Option<Intrinsic> {
        use ColonScope as C;
        use Kw as K;
        Some(match (self, kw) {
            (C::Trace, K::Duration) => Intrinsic::TraceDuration,
            (C::Trace, K::RootName) => Intrinsic::RootName,
            (C::Trace, K::RootService) => Intrinsic::RootServiceName,
            (C::Trace, K::Id) => Intrinsic::TraceId,
            (C::Span, K::Duration) => Intrinsic::Duration,
            (C::Span, K::Name) => Intrinsic::Name,
            (C::Span, K::Kind) => Intrinsic::Kind,
            (C::Span, K::Status) => Intrinsic::Status,
            (C::Span, K::StatusMessage) => Intrinsic::StatusMessage,
            (C::Span, K::Id) => Intrinsic::SpanId,
            (C::Span, K::ParentId) => Intrinsic::ParentId,
            (C::Span, K::ChildCount) => Intrinsic::ChildCount,
            (C::Event, K::Name) => Intrinsic::EventName,
            (C::Event, K::TimeSinceStart) => Intrinsic::EventTimeSinceStart,
            (C::Link, K::TraceId) => Intrinsic::LinkTraceId,
            (C::Link, K::SpanId) => Intrinsic::LinkSpanId,
            (C::Instrumentation, K::Name) => Intrinsic::InstrumentationName,
            (C::Instrumentation, K::Version) => Intrinsic::InstrumentationVersion,
            _ => return None,
        })
    }
}

macro_rules! keywords {
    ($($variant:ident = $text:literal,)*) => {
        /// Reserved words of Tempo's lexer.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Kw { $($variant,)* }

        impl Kw {
            pub fn from_word(word: &str) -> Option<Kw> {
                match word { $($text => Some(Kw::$variant),)* _ => None }
            }

            pub fn as_str(self) -> &'static str {
                match self { $(Kw::$variant => $text,)* }
            }
        }

        /// Every keyword, for "did you mean" suggestions.
        pub const KEYWORDS: &[&str] = &[$($text,)*];
    };
}

keywords! {
    True = "true",
    False = "false",
    Nil = "nil",
    Ok = "ok",
    Error = "error",
    Unset = "unset",
    Unspecified = "unspecified",
    Internal = "internal",
    Server = "server",
    Client = "client",
    Producer = "producer",
    Consumer = "consumer",
    Duration = "duration",
    ChildCount = "childCount",
    Name = "name",
    Status = "status",
    StatusMessage = "statusMessage",
    Kind = "kind",
    RootName = "rootName",
    RootServiceName = "rootServiceName",
    RootService = "rootService",
    TraceDuration = "traceDuration",
    NestedSetLeft = "nestedSetLeft",
    NestedSetRight = "nestedSetRight",
    NestedSetParent = "nestedSetParent",
    Id = "id",
    TraceId = "traceID",
    SpanId = "spanID",
    ParentId = "parentID",
    TimeSinceStart = "timeSinceStart",
    Version = "version",
    Parent = "parent",
    Count = "count",
    Avg = "avg",
    Max = "max",
    Min = "min",
    Sum = "sum",
    By = "by",
    Coalesce = "coalesce",
    Select = "select",
    Rate = "rate",
    CountOverTime = "count_over_time",
    MinOverTime = "min_over_time",
    MaxOverTime = "max_over_time",
    AvgOverTime = "avg_over_time",
    SumOverTime = "sum_over_time",
    QuantileOverTime = "quantile_over_time",
    HistogramOverTime = "histogram_over_time",
    Compare = "compare",
    Topk = "topk",
    Bottomk = "bottomk",
    With = "with",
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    pub tok: Tok,
    pub span: Span,
    /// For `Attr`: where the name starts. For `Str`: whether it has escapes.
    pub aux: u32,
}

impl Token {
    pub fn start(&self) -> usize {
        self.span.start as usize
    }

    pub fn end(&self) -> usize {
        self.span.end as usize
    }
}

/// Lexes all of `src`; stops at the first error, which ends the stream.
pub fn lex(src: &str) -> (Vec<Token>, Option<ParseError>) {
    let mut lexer = Lexer {
        src,
        bytes: src.as_bytes(),
        pos: 0,
        parent_scope: false,
        tokens: Vec::with_capacity(src.len() / 3 + 1),
    };
    let error = lexer.run().err();
    let end = lexer.pos.min(src.len());
    lexer.tokens.push(Token {
        tok: Tok::Eof,
        span: Span::at(if error.is_some() { end } else { src.len() }),
        aux: 0,
    });
    (lexer.tokens, error)
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    /// Tempo remembers the last scope token; while it is `parent.`, a later
    /// `.resource.x` / `.span.x` lexes as a nested scope (a syntax error).
    parent_scope: bool,
    tokens: Vec<Token>,
}

/// Ends an attribute name (besides whitespace and the end).
fn ends_attribute(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '{' | '}' | '(' | ')' | '=' | '~' | '!' | '<' | '>' | '&' | '|' | '^' | ','
        )
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic())
}

fn is_ident_continue(c: char) -> bool {
    is_ident_start(c) || c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

impl<'a> Lexer<'a> {
    fn peek_char(&self) -> Option<char> {
        self.src.get(self.pos..).and_then(|s| s.chars().next())
    }

    fn byte(&self, at: usize) -> u8 {
        self.bytes.get(at).copied().unwrap_or(0)
    }

    fn push(&mut self, tok: Tok, start: usize, aux: u32) {
        self.tokens.push(Token {
            tok,
            span: Span::new(start, self.pos),
            aux,
        });
    }

    fn error(&self, start: usize, end: usize, message: impl Into<String>) -> ParseError {
        ParseError::new(Span::new(start, end.min(self.src.len())), message)
    }

    fn run(&mut self) -> Result<(), ParseError> {
        loop {
            self.skip_trivia()?;
            let start = self.pos;
            let Some(c) = self.peek_char() else {
                return Ok(());
            };
            match c {
                '0'..='9' => self.number(start)?,
                '.' if self.byte(start + 1).is_ascii_digit() => self.number(start)?,
                '.' => {
                    self.pos += 1;
                    self.attribute(start, AttributeScope::None, false)?;
                }
                '"' => self.string(start)?,
                '`' => self.raw_string(start)?,
                '\'' => {
                    return Err(self
                        .error(
                            start,
                            start + 1,
                            "single quotes do not make a string in TraceQL",
                        )
                        .expected(&["\"", "`"])
                        .help("use double quotes (\"text\") or backticks (`text`)"));
                }
                c if is_ident_start(c) => self.word(start)?,
                _ => self.operator(start, c)?,
            }
        }
    }

    fn skip_trivia(&mut self) -> Result<(), ParseError> {
        loop {
            match self.byte(self.pos) {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                b'/' if self.byte(self.pos + 1) == b'/' => {
                    while self.pos < self.bytes.len() && self.bytes[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                b'/' if self.byte(self.pos + 1) == b'*' => {
                    let start = self.pos;
                    match self.src[self.pos + 2..].find("*/") {
                        Some(i) => self.pos += 2 + i + 2,
                        None => {
                            return Err(self
                                .error(start, self.src.len(), "comment not terminated")
                                .expected(&["*/"])
                                .help("close the comment with `*/`"));
                        }
                    }
                }
                0xEF if start_is_bom(self.bytes, self.pos) && self.pos == 0 => self.pos += 3,
                _ => return Ok(()),
            }
        }
    }

    fn operator(&mut self, start: usize, c: char) -> Result<(), ParseError> {
        let next = self.byte(start + 1);
        let next2 = self.byte(start + 2);
        let (tok, len) = match c {
            '{' => (Tok::LBrace, 1),
            '}' => (Tok::RBrace, 1),
            '(' => (Tok::LParen, 1),
            ')' => (Tok::RParen, 1),
            ',' => (Tok::Comma, 1),
            '|' if next == b'|' => (Tok::Or, 2),
            '|' => (Tok::Pipe, 1),
            '=' if next == b'~' => (Tok::Re, 2),
            '=' => (Tok::Eq, 1),
            '!' if next == b'=' => (Tok::Neq, 2),
            '!' if next == b'~' => (Tok::Nre, 2),
            '!' if next == b'>' && next2 == b'>' => (Tok::NotDesc, 3),
            '!' if next == b'>' => (Tok::NotChild, 2),
            '!' if next == b'<' && next2 == b'<' => (Tok::NotAnc, 3),
            '!' if next == b'<' => (Tok::NotParent, 2),
            '!' => (Tok::Not, 1),
            '>' if next == b'=' => (Tok::Gte, 2),
            '>' if next == b'>' => (Tok::Desc, 2),
            '>' => (Tok::Gt, 1),
            '<' if next == b'=' => (Tok::Lte, 2),
            '<' if next == b'<' => (Tok::Anc, 2),
            '<' => (Tok::Lt, 1),
            '&' if next == b'&' => (Tok::And, 2),
            '&' if next == b'>' && next2 == b'>' => (Tok::UnionDesc, 3),
            '&' if next == b'>' => (Tok::UnionChild, 2),
            '&' if next == b'<' && next2 == b'<' => (Tok::UnionAnc, 3),
            '&' if next == b'<' => (Tok::UnionParent, 2),
            '&' if next == b'~' => (Tok::UnionSibl, 2),
            '~' => (Tok::Tilde, 1),
            '+' => (Tok::Add, 1),
            '-' => (Tok::Sub, 1),
            '*' => (Tok::Mul, 1),
            '/' => (Tok::Div, 1),
            '%' => (Tok::Mod, 1),
            '^' => (Tok::Pow, 1),
            '\0' => {
                return Err(self.error(start, start + 1, "invalid character NUL"));
            }
            '\u{feff}' => {
                return Err(self.error(
                    start,
                    start + 3,
                    "invalid byte order mark inside the query",
                ));
            }
            // Tempo reads any other character as an identifier of its own.
            other => (Tok::Ident, other.len_utf8()),
        };
        self.pos = start + len;
        self.push(tok, start, 0);
        Ok(())
    }

    fn word(&mut self, start: usize) -> Result<(), ParseError> {
        let mut end = start;
        for c in self.src[start..].chars() {
            if !is_ident_continue(c) {
                break;
            }
            end += c.len_utf8();
        }
        self.pos = end;
        let word = &self.src[start..end];
        let next = self.byte(end);
        if next == b'.' {
            let scope = match word {
                "span" => Some((AttributeScope::Span, false)),
                "resource" => Some((AttributeScope::Resource, false)),
                "event" => Some((AttributeScope::Event, false)),
                "link" => Some((AttributeScope::Link, false)),
                "instrumentation" => Some((AttributeScope::Instrumentation, false)),
                "parent" => Some((AttributeScope::None, true)),
                _ => None,
            };
            if let Some((scope, parent)) = scope {
                self.pos += 1;
                self.parent_scope = parent;
                return self.attribute(start, scope, parent);
            }
        } else if next == b':' {
            let scope = match word {
                "trace" => Some(ColonScope::Trace),
                "span" => Some(ColonScope::Span),
                "event" => Some(ColonScope::Event),
                "link" => Some(ColonScope::Link),
                "instrumentation" => Some(ColonScope::Instrumentation),
                _ => None,
            };
            if let Some(scope) = scope {
                self.pos += 1;
                self.parent_scope = false;
                self.push(Tok::ScopeColon(scope), start, 0);
                return Ok(());
            }
        }
        let tok = Kw::from_word(word).map_or(Tok::Ident, Tok::Kw);
        self.push(tok, start, 0);
        Ok(())
    }

    /// After `.` or `scope.`: the raw name up to a character that ends it.
    fn attribute(
        &mut self,
        start: usize,
        mut scope: AttributeScope,
        parent: bool,
    ) -> Result<(), ParseError> {
        if self.peek_char().is_none_or(ends_attribute) {
            self.push(Tok::Attr { scope, parent }, start, self.pos as u32);
            return Ok(());
        }
        let rest = &self.src[self.pos..];
        let nested = if rest.starts_with("resource.") {
            Some((AttributeScope::Resource, 9))
        } else if rest.starts_with("span.") {
            Some((AttributeScope::Span, 5))
        } else {
            None
        };
        if let Some((inner, len)) = nested {
            if self.parent_scope {
                if !parent || scope != AttributeScope::None {
                    // `.resource.x` after an earlier `parent.` attribute: Tempo's
                    // lexer still has the parent scope and emits `resource.`.
                    let at = self.pos;
                    return Err(self
                        .error(at, at + len, format!("unexpected `{}` here", &rest[..len]))
                        .expected(&["attribute name"])
                        .help(
                            "Tempo reads this as a nested scope because an earlier attribute \
                             used `parent.`; quote the name: .\"resource.x\"",
                        ));
                }
                self.pos += len;
                self.parent_scope = false;
                scope = inner;
                if self.peek_char().is_none_or(ends_attribute) {
                    self.push(Tok::Attr { scope, parent }, start, self.pos as u32);
                    return Ok(());
                }
            }
        }
        let name_start = self.pos;
        while let Some(c) = self.peek_char() {
            if c == '"' {
                let quote = self.pos;
                self.pos += 1;
                loop {
                    match self.peek_char() {
                        None => {
                            return Err(self
                                .error(quote, self.src.len(), "attribute name quote not closed")
                                .expected(&["\""])
                                .help("close the quoted part of the name with `\"`"));
                        }
                        Some('"') => {
                            self.pos += 1;
                            break;
                        }
                        Some('\\') => {
                            let next = self.byte(self.pos + 1);
                            if next == b'"' || next == b'\\' {
                                self.pos += 2;
                            } else {
                                let bad = self.pos;
                                return Err(self
                                    .error(
                                        bad,
                                        bad + 1,
                                        "invalid escape sequence in attribute name",
                                    )
                                    .help(
                                        "only `\\\"` and `\\\\` may be escaped in a quoted name",
                                    ));
                            }
                        }
                        Some(c) => self.pos += c.len_utf8(),
                    }
                }
            } else if ends_attribute(c) {
                break;
            } else {
                self.pos += c.len_utf8();
            }
        }
        self.push(Tok::Attr { scope, parent }, start, name_start as u32);
        Ok(())
    }

    fn string(&mut self, start: usize) -> Result<(), ParseError> {
        let mut i = start + 1;
        let mut escaped = false;
        loop {
            match self.byte(i) {
                _ if i >= self.bytes.len() => {
                    return Err(self
                        .error(start, self.src.len(), "string not terminated")
                        .expected(&["\""])
                        .help("close the string with `\"`"));
                }
                b'\n' => {
                    return Err(self
                        .error(start, i, "string not terminated before the end of the line")
                        .expected(&["\""])
                        .help("use a backtick string for text spanning lines"));
                }
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    i = self.escape(i)?;
                }
                _ => i += 1,
            }
        }
        self.pos = i + 1;
        self.push(Tok::Str, start, u32::from(escaped));
        Ok(())
    }

    /// Validates the escape at `at` (a backslash); returns the index after it.
    fn escape(&self, at: usize) -> Result<usize, ParseError> {
        let bad = |len: usize, what: &str| {
            Err(self
                .error(at, at + len, format!("invalid escape `{what}` in string"))
                .help("valid escapes are \\\" \\\\ \\n \\t \\r \\xHH \\uHHHH; use a backtick string to keep backslashes"))
        };
        let c = self.byte(at + 1);
        let hex = |n: usize| -> Option<u32> {
            let digits = self.src.get(at + 2..at + 2 + n)?;
            if digits.bytes().all(|b| b.is_ascii_hexdigit()) {
                u32::from_str_radix(digits, 16).ok()
            } else {
                None
            }
        };
        match c {
            b'a' | b'b' | b'f' | b'n' | b'r' | b't' | b'v' | b'\\' | b'"' => Ok(at + 2),
            b'0'..=b'7' => {
                let digits = self.src.get(at + 1..at + 4).unwrap_or("");
                match u32::from_str_radix(digits, 8) {
                    Ok(v) if digits.len() == 3 && v <= 0o377 => Ok(at + 4),
                    _ => bad(digits.len() + 1, &format!("\\{digits}")),
                }
            }
            b'x' => match hex(2) {
                Some(_) => Ok(at + 4),
                None => bad(2, "\\x"),
            },
            b'u' => match hex(4).and_then(char::from_u32) {
                Some(_) => Ok(at + 6),
                None => bad(2, "\\u"),
            },
            b'U' => match hex(8).and_then(char::from_u32) {
                Some(_) => Ok(at + 10),
                None => bad(2, "\\U"),
            },
            _ => {
                let shown = self.src[at + 1..].chars().next().map_or(0, char::len_utf8);
                let text = self.src.get(at..at + 1 + shown).unwrap_or("\\");
                bad(1 + shown, text)
            }
        }
    }

    fn raw_string(&mut self, start: usize) -> Result<(), ParseError> {
        match self.src[start + 1..].find('`') {
            Some(i) => {
                self.pos = start + 1 + i + 1;
                let has_cr = self.src[start..self.pos].contains('\r');
                self.push(Tok::Str, start, u32::from(has_cr));
                Ok(())
            }
            None => Err(self
                .error(start, self.src.len(), "raw string not terminated")
                .expected(&["`"])
                .help("close the string with a backtick")),
        }
    }

    /// A Go number literal, then a duration if the characters after it make one.
    fn number(&mut self, start: usize) -> Result<(), ParseError> {
        let b = self.bytes;
        let mut i = start;
        if b[i] == b'0' && matches!(self.byte(i + 1) | 0x20, b'x' | b'b' | b'o') {
            let mut end = i + 2;
            while end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'_') {
                end += 1;
            }
            return Err(self
                .error(start, end, "only decimal numbers are supported")
                .help("write the value in decimal"));
        }
        let mut is_float = false;
        let mut bad_octal = None;
        let digits = |i: &mut usize| -> Result<(), ParseError> {
            let from = *i;
            while *i < b.len() && (b[*i].is_ascii_digit() || b[*i] == b'_') {
                *i += 1;
            }
            let run = &b[from..*i];
            if run.first() == Some(&b'_') && from > start
                || run.last() == Some(&b'_')
                || run.windows(2).any(|w| w == b"__")
            {
                return Err(ParseError::new(
                    Span::new(from, *i),
                    "'_' must separate successive digits",
                ));
            }
            Ok(())
        };
        digits(&mut i)?;
        if b[start] == b'0' && i > start + 1 {
            bad_octal = b[start..i].iter().position(|&d| d == b'8' || d == b'9');
        }
        if self.byte(i) == b'.' {
            is_float = true;
            i += 1;
            if self.byte(i) == b'_' {
                return Err(self.error(i, i + 1, "'_' must separate successive digits"));
            }
            digits(&mut i)?;
        }
        if matches!(self.byte(i), b'e' | b'E') {
            is_float = true;
            i += 1;
            if matches!(self.byte(i), b'+' | b'-') {
                i += 1;
            }
            let exp_start = i;
            digits(&mut i)?;
            if i == exp_start {
                return Err(self
                    .error(start, i, "exponent has no digits")
                    .help("write the exponent's digits (1e3) or a duration unit (1m, 1ms)"));
            }
        }
        let number_end = i;
        // Tempo tries a duration first: the number plus the unit-ish characters after it.
        let mut end = number_end;
        for c in self.src[number_end..].chars() {
            if !duration::is_duration_char(c) {
                break;
            }
            end += c.len_utf8();
        }
        if end > number_end {
            if let Some(nanos) = duration::parse(&self.src[start..end]) {
                let _ = nanos;
                self.pos = end;
                self.push(Tok::Duration, start, 0);
                return Ok(());
            }
        }
        self.pos = number_end;
        let text = &self.src[start..number_end];
        if is_float {
            let clean: String = text.chars().filter(|&c| c != '_').collect();
            match clean.parse::<f64>() {
                Ok(v) if v.is_finite() => {}
                _ => return Err(self.error(start, number_end, "number out of range")),
            }
            self.push(Tok::Float, start, 0);
        } else {
            if let Some(at) = bad_octal {
                return Err(self
                    .error(
                        start,
                        number_end,
                        format!("invalid digit '{}' in octal literal", b[start + at] as char),
                    )
                    .help("numbers starting with 0 are octal; drop the leading zero"));
            }
            if text.contains('_') {
                return Err(self
                    .error(start, number_end, format!("invalid integer `{text}`"))
                    .help("write the integer without underscores"));
            }
            if text.parse::<i64>().is_err() {
                return Err(self.error(start, number_end, "integer out of range"));
            }
            self.push(Tok::Int, start, 0);
        }
        Ok(())
    }
}

fn start_is_bom(bytes: &[u8], at: usize) -> bool {
    bytes.get(at..at + 3) == Some(&[0xEF, 0xBB, 0xBF])
}
