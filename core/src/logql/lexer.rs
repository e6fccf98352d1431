//! The LogQL lexer: bytes to tokens the way Loki's Go lexer (text/scanner plus
//! its duration, bytes, flag and function-name rules) splits a query.

use super::ast::{RangeOp, VectorOp};
use super::units;

/// What a token is. Keywords are matched case-insensitively, as Loki does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    Ident,
    /// A character Go's scanner does not know (`@`, `$`, `:`...): Loki treats
    /// it as an identifier.
    Other,
    Number,
    Duration,
    Bytes,
    String,
    RawString,
    /// `[5m]`, a whole range with its duration.
    Range,
    /// `--strict`, `--keep-empty`.
    Flag,
    LBrace,
    RBrace,
    LParen,
    RParen,
    RBracket,
    Comma,
    Dot,
    Eq,
    Neq,
    Re,
    Nre,
    CmpEq,
    Gt,
    Gte,
    Lt,
    Lte,
    Pipe,
    PipeExact,
    PipeMatch,
    PipePattern,
    Npa,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    By,
    Without,
    Bool,
    On,
    Ignoring,
    GroupLeft,
    GroupRight,
    Offset,
    Or,
    And,
    Unless,
    Json,
    Regexp,
    Logfmt,
    Unpack,
    Pattern,
    LabelFormat,
    LineFormat,
    Decolorize,
    Drop,
    Keep,
    Unwrap,
    Variants,
    Of,
    /// Function names, only when a `(` (or `by (`/`without (`) follows.
    RangeFn(RangeOp),
    VectorFn(VectorOp),
    Vector,
    LabelReplace,
    BytesConv,
    DurationConv,
    DurationSecondsConv,
    Ip,
    /// A lexical error; its message is in `Lexed::errors`.
    Error(u16),
    Eof,
}

#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub tok: Tok,
    pub start: u32,
    pub end: u32,
    /// Nanoseconds for `Duration` and `Range`, bytes for `Bytes`.
    pub value: i64,
}

pub struct Lexed {
    pub tokens: Vec<Token>,
    pub errors: Vec<String>,
}

/// Whitespace that separates tokens (Go's scanner: space, tab, CR, LF).
fn is_go_whitespace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_ident_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

fn is_ident_continue(c: char) -> bool {
    c == '_' || c.is_alphabetic() || is_unicode_digit(c)
}

/// Go's `unicode.IsDigit` (category Nd); `char::is_numeric` is wider, so
/// approximate with ASCII digits plus decimal digits of other scripts.
fn is_unicode_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric() && c.to_digit(10).is_none() && is_nd(c))
}

fn is_nd(c: char) -> bool {
    // Decimal digits of other scripts come in runs of ten starting at a zero;
    // a cheap check that excludes fractions and superscripts (No, Nl).
    !matches!(c, '\u{b2}' | '\u{b3}' | '\u{b9}' | '\u{bc}'..='\u{be}')
        && !('\u{2150}'..='\u{218f}').contains(&c)
        && !('\u{2070}'..='\u{209f}').contains(&c)
        && !('\u{2460}'..='\u{24ff}').contains(&c)
        && !('\u{2776}'..='\u{2793}').contains(&c)
        && !('\u{3007}'..='\u{3007}').contains(&c)
        && !('\u{16ee}'..='\u{16f0}').contains(&c)
}

/// `word` in ASCII lower case in `buf`, if it is short enough to be a keyword.
fn lowered<'b>(word: &str, buf: &'b mut [u8; 20]) -> Option<&'b str> {
    let bytes = word.as_bytes();
    if bytes.len() > buf.len() || !bytes.is_ascii() {
        return None;
    }
    let out = &mut buf[..bytes.len()];
    out.copy_from_slice(bytes);
    out.make_ascii_lowercase();
    std::str::from_utf8(out).ok()
}

fn keyword(word: &str) -> Option<Tok> {
    let mut buf = [0u8; 20];
    Some(match lowered(word, &mut buf)? {
        "by" => Tok::By,
        "on" => Tok::On,
        "or" => Tok::Or,
        "of" => Tok::Of,
        "and" => Tok::And,
        "bool" => Tok::Bool,
        "json" => Tok::Json,
        "drop" => Tok::Drop,
        "keep" => Tok::Keep,
        "offset" => Tok::Offset,
        "unless" => Tok::Unless,
        "regexp" => Tok::Regexp,
        "logfmt" => Tok::Logfmt,
        "unpack" => Tok::Unpack,
        "unwrap" => Tok::Unwrap,
        "without" => Tok::Without,
        "pattern" => Tok::Pattern,
        "ignoring" => Tok::Ignoring,
        "variants" => Tok::Variants,
        "group_left" => Tok::GroupLeft,
        "decolorize" => Tok::Decolorize,
        "group_right" => Tok::GroupRight,
        "line_format" => Tok::LineFormat,
        "label_format" => Tok::LabelFormat,
        _ => return None,
    })
}

/// Names Loki only reads as functions when a `(` follows.
pub fn function(word: &str) -> Option<Tok> {
    use RangeOp as R;
    use VectorOp as V;
    let mut buf = [0u8; 20];
    Some(match lowered(word, &mut buf)? {
        "rate" => Tok::RangeFn(R::Rate),
        "rate_counter" => Tok::RangeFn(R::RateCounter),
        "count_over_time" => Tok::RangeFn(R::CountOverTime),
        "bytes_rate" => Tok::RangeFn(R::BytesRate),
        "bytes_over_time" => Tok::RangeFn(R::BytesOverTime),
        "avg_over_time" => Tok::RangeFn(R::AvgOverTime),
        "sum_over_time" => Tok::RangeFn(R::SumOverTime),
        "min_over_time" => Tok::RangeFn(R::MinOverTime),
        "max_over_time" => Tok::RangeFn(R::MaxOverTime),
        "stdvar_over_time" => Tok::RangeFn(R::StdvarOverTime),
        "stddev_over_time" => Tok::RangeFn(R::StddevOverTime),
        "quantile_over_time" => Tok::RangeFn(R::QuantileOverTime),
        "first_over_time" => Tok::RangeFn(R::FirstOverTime),
        "last_over_time" => Tok::RangeFn(R::LastOverTime),
        "absent_over_time" => Tok::RangeFn(R::AbsentOverTime),
        "sum" => Tok::VectorFn(V::Sum),
        "avg" => Tok::VectorFn(V::Avg),
        "max" => Tok::VectorFn(V::Max),
        "min" => Tok::VectorFn(V::Min),
        "count" => Tok::VectorFn(V::Count),
        "stddev" => Tok::VectorFn(V::Stddev),
        "stdvar" => Tok::VectorFn(V::Stdvar),
        "bottomk" => Tok::VectorFn(V::Bottomk),
        "topk" => Tok::VectorFn(V::Topk),
        "sort" => Tok::VectorFn(V::Sort),
        "sort_desc" => Tok::VectorFn(V::SortDesc),
        "approx_topk" => Tok::VectorFn(V::ApproxTopk),
        "vector" => Tok::Vector,
        "label_replace" => Tok::LabelReplace,
        "bytes" => Tok::BytesConv,
        "duration" => Tok::DurationConv,
        "duration_seconds" => Tok::DurationSecondsConv,
        "ip" => Tok::Ip,
        _ => return None,
    })
}

struct Lexer<'a> {
    src: &'a str,
    b: &'a [u8],
    pos: usize,
    out: Lexed,
}

pub fn lex(src: &str) -> Lexed {
    let mut lx = Lexer {
        src,
        b: src.as_bytes(),
        pos: 0,
        out: Lexed {
            tokens: Vec::with_capacity(src.len() / 3 + 2),
            errors: Vec::new(),
        },
    };
    if src.starts_with('\u{feff}') {
        lx.pos = 3;
    }
    lx.run();
    lx.out
}

impl<'a> Lexer<'a> {
    fn char_at(&self, i: usize) -> Option<char> {
        self.src.get(i..).and_then(|s| s.chars().next())
    }

    fn push(&mut self, tok: Tok, start: usize, end: usize, value: i64) {
        self.out.tokens.push(Token {
            tok,
            start: start as u32,
            end: end as u32,
            value,
        });
    }

    fn error(&mut self, start: usize, end: usize, msg: impl Into<String>) {
        let idx = self.out.errors.len().min(u16::MAX as usize) as u16;
        self.out.errors.push(msg.into());
        self.push(Tok::Error(idx), start, end, 0);
    }

    fn run(&mut self) {
        loop {
            while self.pos < self.b.len() && is_go_whitespace(self.b[self.pos]) {
                self.pos += 1;
            }
            let start = self.pos;
            let c = match self.b.get(start) {
                Some(&b) if b.is_ascii() => Some(b as char),
                _ => self.char_at(start),
            };
            let Some(c) = c else {
                self.push(Tok::Eof, start, start, 0);
                return;
            };
            match c {
                '#' => {
                    while self.pos < self.b.len() && self.b[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                '/' if matches!(self.b.get(start + 1), Some(b'/')) => {
                    while self.pos < self.b.len() && self.b[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                '/' if matches!(self.b.get(start + 1), Some(b'*')) => {
                    match self.src[start + 2..].find("*/") {
                        Some(i) => self.pos = start + 2 + i + 2,
                        None => {
                            self.pos = self.b.len();
                            self.error(start, start + 2, "comment `/*` is never closed by `*/`");
                        }
                    }
                }
                c if is_ident_start(c) => self.ident(start),
                '0'..='9' => self.number(start),
                '.' if matches!(self.b.get(start + 1), Some(b'0'..=b'9')) => self.number(start),
                '"' => self.string(start),
                '`' => self.raw_string(start),
                '\'' => self.char_literal(start),
                '[' => self.range(start),
                '-' => self.minus(start),
                '\0' => {
                    self.pos += 1;
                    self.error(
                        start,
                        start + 1,
                        "the NUL character is not allowed in a query",
                    );
                }
                _ => self.operator(start, c),
            }
        }
    }

    fn ident(&mut self, start: usize) {
        let mut end = start;
        // ASCII fast path; fall back to characters at the first non-ASCII byte.
        while end < self.b.len() && (self.b[end].is_ascii_alphanumeric() || self.b[end] == b'_') {
            end += 1;
        }
        let ascii_end = end;
        for (i, c) in self.src[ascii_end..]
            .char_indices()
            .map(|(i, c)| (i + ascii_end - start, c))
        {
            if !is_ident_continue(c) {
                end = start + i;
                break;
            }
            end = start + i + c.len_utf8();
        }
        self.pos = end;
        let word = &self.src[start..end];
        let tok = match function(word) {
            Some(f) if self.is_function(end) => f,
            Some(_) => Tok::Ident,
            None => keyword(word).unwrap_or(Tok::Ident),
        };
        self.push(tok, start, end, 0);
    }

    /// Loki's `isFunction`: the next non-space text is `(`, or `by`/`without`
    /// then `(`.
    fn is_function(&self, at: usize) -> bool {
        let rest = self.src[at..].trim_start_matches(char::is_whitespace);
        if rest.starts_with('(') {
            return true;
        }
        let word_then_paren = |w: &str| {
            rest.get(..w.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(w))
                && rest[w.len()..]
                    .trim_start_matches(char::is_whitespace)
                    .starts_with('(')
        };
        let starts = |w: &str| {
            rest.get(..w.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(w))
        };
        if starts("by") {
            return word_then_paren("by");
        }
        starts("without") && word_then_paren("without")
    }

    fn number(&mut self, start: usize) {
        let (end, err) = scan_number(self.b, start);
        self.pos = end;
        if let Some(msg) = err {
            self.error(start, end, msg);
            return;
        }
        let text = &self.src[start..end];
        if let Some((dend, nanos)) = self.try_duration(text, end) {
            self.pos = dend;
            self.push(Tok::Duration, start, dend, nanos);
            return;
        }
        if let Some((bend, bytes)) = self.try_bytes(text, end) {
            self.pos = bend;
            self.push(Tok::Bytes, start, bend, bytes as i64);
            return;
        }
        self.push(Tok::Number, start, end, 0);
    }

    /// Extends `prefix` (ending at `at`) with duration characters up to the
    /// next space, as Loki's `tryScanDuration`.
    fn try_duration(&self, prefix: &str, at: usize) -> Option<(usize, i64)> {
        let end = self.scan_while(at, |c| {
            c.is_numeric() || matches!(c, 'n' | 'u' | 'µ' | 'm' | 's' | 'h' | 'd' | 'w' | 'y' | '.')
        });
        if end == at {
            return None;
        }
        let mut text = String::with_capacity(prefix.len() + end - at);
        text.push_str(prefix);
        text.push_str(&self.src[at..end]);
        units::duration(&text).map(|n| (end, n))
    }

    fn try_bytes(&self, prefix: &str, at: usize) -> Option<(usize, u64)> {
        let end = self.scan_while(at, |c| {
            c.is_numeric() || matches!(c, 'B' | 'i' | 'k' | 'K' | 'M' | 'G' | 'T' | 'P' | '.')
        });
        if end == at {
            return None;
        }
        let mut text = String::with_capacity(prefix.len() + end - at);
        text.push_str(prefix);
        text.push_str(&self.src[at..end]);
        units::bytes(&text).map(|n| (end, n))
    }

    fn scan_while(&self, at: usize, ok: impl Fn(char) -> bool) -> usize {
        let mut end = at;
        for c in self.src[at..].chars() {
            if c.is_whitespace() || !ok(c) {
                break;
            }
            end += c.len_utf8();
        }
        end
    }

    fn string(&mut self, start: usize) {
        match scan_quoted(self.src, start, '"') {
            Ok(end) => {
                self.pos = end;
                self.push(Tok::String, start, end, 0);
            }
            Err((end, msg)) => {
                self.pos = end;
                self.error(start, end, msg);
            }
        }
    }

    fn raw_string(&mut self, start: usize) {
        match self.src[start + 1..].find('`') {
            Some(i) => {
                self.pos = start + 1 + i + 1;
                self.push(Tok::RawString, start, self.pos, 0);
            }
            None => {
                self.pos = self.b.len();
                self.error(start, self.pos, "string opened with ` is never closed");
            }
        }
    }

    fn char_literal(&mut self, start: usize) {
        match scan_quoted(self.src, start, '\'') {
            Ok(end) => {
                self.pos = end;
                let inner = &self.src[start + 1..end - 1];
                let one_char = inner.starts_with('\\') || inner.chars().count() == 1;
                if one_char {
                    // Go scans 'x' as a character literal, which Loki then
                    // takes for an identifier.
                    self.push(Tok::Other, start, end, 0);
                } else {
                    self.error(
                        start,
                        end,
                        "strings are written in double quotes or backticks, not single quotes",
                    );
                }
            }
            Err((end, _)) => {
                self.pos = end;
                self.error(
                    start,
                    end,
                    "strings are written in double quotes or backticks, not single quotes",
                );
            }
        }
    }

    fn range(&mut self, start: usize) {
        let Some(i) = self.src[start + 1..].find(']') else {
            self.pos = self.b.len();
            self.error(
                start,
                start + 1,
                "`[` is never closed: expected a range such as [5m]",
            );
            return;
        };
        let end = start + 1 + i + 1;
        self.pos = end;
        let inner = &self.src[start + 1..end - 1];
        match units::prometheus_duration(inner) {
            Some(n) => self.push(Tok::Range, start, end, n),
            None => self.error(
                start,
                end,
                format!(
                    "`{inner}` is not a duration: a range is written like [5m], [1h30m] or [500ms]"
                ),
            ),
        }
    }

    fn minus(&mut self, start: usize) {
        if self.b.get(start + 1) == Some(&b'-') {
            let end = self.scan_while(start + 1, |c| c.is_alphabetic() || c == '-');
            let flag = &self.src[start..end];
            if flag == "--strict" || flag == "--keep-empty" {
                self.pos = end;
                self.push(Tok::Flag, start, end, 0);
                return;
            }
        }
        if let Some((end, nanos)) = self.try_duration("-", start + 1) {
            self.pos = end;
            self.push(Tok::Duration, start, end, nanos);
            return;
        }
        self.pos = start + 1;
        self.push(Tok::Sub, start, start + 1, 0);
    }

    fn operator(&mut self, start: usize, c: char) {
        let next = self.b.get(start + 1).copied();
        let two = match (c, next) {
            ('!', Some(b'=')) => Some(Tok::Neq),
            ('!', Some(b'~')) => Some(Tok::Nre),
            ('!', Some(b'>')) => Some(Tok::Npa),
            ('=', Some(b'~')) => Some(Tok::Re),
            ('=', Some(b'=')) => Some(Tok::CmpEq),
            ('|', Some(b'=')) => Some(Tok::PipeExact),
            ('|', Some(b'~')) => Some(Tok::PipeMatch),
            ('|', Some(b'>')) => Some(Tok::PipePattern),
            ('>', Some(b'=')) => Some(Tok::Gte),
            ('<', Some(b'=')) => Some(Tok::Lte),
            _ => None,
        };
        if let Some(tok) = two {
            self.pos = start + 2;
            self.push(tok, start, start + 2, 0);
            return;
        }
        let tok = match c {
            ',' => Tok::Comma,
            '.' => Tok::Dot,
            '{' => Tok::LBrace,
            '}' => Tok::RBrace,
            '(' => Tok::LParen,
            ')' => Tok::RParen,
            ']' => Tok::RBracket,
            '=' => Tok::Eq,
            '|' => Tok::Pipe,
            '+' => Tok::Add,
            '*' => Tok::Mul,
            '/' => Tok::Div,
            '%' => Tok::Mod,
            '^' => Tok::Pow,
            '>' => Tok::Gt,
            '<' => Tok::Lt,
            _ => Tok::Other,
        };
        let end = start + c.len_utf8();
        self.pos = end;
        self.push(tok, start, end, 0);
    }
}

/// Go's `scanNumber`: the end of the number at `start` and the error Go's
/// scanner reports for it, if any.
fn scan_number(b: &[u8], start: usize) -> (usize, Option<&'static str>) {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let lower = |c: u8| c | 0x20;
    let mut i = start;
    let mut base = 10u32;
    let mut prefix = 0u8;
    let mut has_digits = false;
    let mut has_sep = false;
    let mut invalid = false;
    let mut float = false;
    let mut err: Option<&'static str> = None;
    let digits = |i: &mut usize,
                  base: u32,
                  has_digits: &mut bool,
                  has_sep: &mut bool,
                  invalid: &mut bool| {
        loop {
            let c = at(*i);
            let ok = if base <= 10 {
                c.is_ascii_digit()
            } else {
                c.is_ascii_hexdigit()
            };
            if c == b'_' {
                *has_sep = true;
            } else if ok {
                *has_digits = true;
                if base <= 10 && u32::from(c - b'0') >= base {
                    *invalid = true;
                }
            } else {
                break;
            }
            *i += 1;
        }
    };
    let mut seen_dot = at(i) == b'.';
    if seen_dot {
        i += 1;
    } else {
        if at(i) == b'0' {
            i += 1;
            match lower(at(i)) {
                b'x' => {
                    i += 1;
                    base = 16;
                    prefix = b'x';
                }
                b'o' => {
                    i += 1;
                    base = 8;
                    prefix = b'o';
                }
                b'b' => {
                    i += 1;
                    base = 2;
                    prefix = b'b';
                }
                _ => {
                    base = 8;
                    prefix = b'0';
                    has_digits = true;
                }
            }
        }
        digits(&mut i, base, &mut has_digits, &mut has_sep, &mut invalid);
        if at(i) == b'.' {
            i += 1;
            seen_dot = true;
        }
    }
    if seen_dot {
        float = true;
        if prefix == b'o' || prefix == b'b' {
            err = err.or(Some(
                "a radix point is not allowed in an octal or binary number",
            ));
        }
        let mut inv = false;
        digits(&mut i, base, &mut has_digits, &mut has_sep, &mut inv);
    }
    if !has_digits {
        err = err.or(Some("number has no digits"));
    }
    let e = lower(at(i));
    if e == b'e' || e == b'p' {
        if e == b'e' && prefix != 0 && prefix != b'0' {
            err = err.or(Some("an `e` exponent requires a decimal number"));
        } else if e == b'p' && prefix != b'x' {
            err = err.or(Some("a `p` exponent requires a hexadecimal number"));
        }
        i += 1;
        float = true;
        if at(i) == b'+' || at(i) == b'-' {
            i += 1;
        }
        let mut exp_digits = false;
        let mut inv = false;
        digits(&mut i, 10, &mut exp_digits, &mut has_sep, &mut inv);
        if !exp_digits {
            err = err.or(Some("exponent has no digits"));
        }
    } else if prefix == b'x' && float {
        err = err.or(Some(
            "a hexadecimal number with a fraction needs a `p` exponent",
        ));
    }
    if !float && invalid {
        err = err.or(Some(if prefix == b'b' {
            "invalid digit in binary number"
        } else {
            "invalid digit in octal number (a leading 0 makes a number octal)"
        }));
    }
    if has_sep && invalid_separator(&b[start..i]) {
        err = err.or(Some("`_` must separate successive digits"));
    }
    (i, err)
}

fn invalid_separator(x: &[u8]) -> bool {
    let mut x1 = b' ';
    let mut d = b'.';
    let mut i = 0;
    if x.len() >= 2 && x[0] == b'0' {
        x1 = x[1] | 0x20;
        if matches!(x1, b'x' | b'o' | b'b') {
            d = b'0';
            i = 2;
        }
    }
    while i < x.len() {
        let p = d;
        d = x[i];
        if d == b'_' {
            if p != b'0' {
                return true;
            }
        } else if d.is_ascii_digit() || (x1 == b'x' && d.is_ascii_hexdigit()) {
            d = b'0';
        } else {
            if p == b'_' {
                return true;
            }
            d = b'.';
        }
        i += 1;
    }
    d == b'_'
}

/// Scans a Go-quoted literal starting at `start` (the quote); returns its end
/// or the end of the scanned part and why it is invalid.
fn scan_quoted(src: &str, start: usize, quote: char) -> Result<usize, (usize, String)> {
    let mut chars = src[start + 1..].char_indices().peekable();
    let base = start + 1;
    let mut err: Option<String> = None;
    while let Some((i, c)) = chars.next() {
        if c == quote {
            return match err {
                None => Ok(base + i + 1),
                Some(e) => Err((base + i + 1, e)),
            };
        }
        if c == '\n' {
            return Err((
                base + i,
                "string is not closed before the end of the line".into(),
            ));
        }
        if c == '\\' {
            let Some((_, e)) = chars.next() else { break };
            let (base_n, count, max) = match e {
                'a' | 'b' | 'f' | 'n' | 'r' | 't' | 'v' | '\\' => continue,
                e if e == quote => continue,
                '0'..='7' => (8, 2, 255),
                'x' => (16, 2, 255),
                'u' => (16, 4, 0x10ffff),
                'U' => (16, 8, 0x10ffff),
                other => {
                    err.get_or_insert_with(|| format!("invalid escape `\\{other}` in string"));
                    continue;
                }
            };
            let mut value: u32 = if base_n == 8 {
                e as u32 - '0' as u32
            } else {
                0
            };
            let mut ok = true;
            for _ in 0..count {
                match chars.peek().and_then(|(_, d)| d.to_digit(base_n)) {
                    Some(d) => {
                        value = value.saturating_mul(base_n).saturating_add(d);
                        chars.next();
                    }
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok {
                err.get_or_insert_with(|| format!("incomplete escape `\\{e}` in string"));
            } else if value > max || (0xd800..0xe000).contains(&value) {
                err.get_or_insert_with(|| format!("escape `\\{e}` is not a valid character"));
            }
        }
    }
    Err((
        src.len(),
        format!("string opened with {quote} is never closed"),
    ))
}

/// The value of a `"`-quoted string token (escapes resolved).
pub fn unquote(text: &str) -> std::borrow::Cow<'_, str> {
    let inner = &text[1..text.len() - 1];
    if !inner.contains('\\') {
        return std::borrow::Cow::Borrowed(inner);
    }
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else { break };
        let simple = match e {
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\u{b}'),
            '\\' | '"' | '\'' => Some(e),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            continue;
        }
        let (radix, count, mut value) = match e {
            '0'..='7' => (8, 2, e as u32 - '0' as u32),
            'x' => (16, 2, 0),
            'u' => (16, 4, 0),
            _ => (16, 8, 0),
        };
        for _ in 0..count {
            if let Some(d) = chars.peek().and_then(|d| d.to_digit(radix)) {
                value = value.saturating_mul(radix).saturating_add(d);
                chars.next();
            }
        }
        out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
    }
    std::borrow::Cow::Owned(out)
}
