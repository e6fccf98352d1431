//! Numbers as Go reads them (decimal integers and floats with `_`
//! separators), and the durations Tempo reads when a unit follows.

use crate::syntax::{ParseError, Span};

use super::super::duration;
use super::{Lexer, Tok};

impl Lexer<'_> {
    /// A Go number literal, then a duration if the characters after it make one.
    pub(super) fn number(&mut self, start: usize) -> Result<(), ParseError> {
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
        while let Some(&unit) = b.get(end) {
            if unit < 0x80 {
                if !duration::is_duration_char(char::from(unit)) {
                    break;
                }
                end += 1;
            } else {
                match self.char_at(end) {
                    Some(c) if duration::is_duration_char(c) => end += c.len_utf8(),
                    _ => break,
                }
            }
        }
        if end > number_end && duration::parse(&self.src[start..end]).is_some() {
            self.pos = end;
            self.push(Tok::Duration, start, 0);
            return Ok(());
        }
        self.pos = number_end;
        let text = &self.src[start..number_end];
        if is_float {
            match parse_float(text) {
                Some(v) if v.is_finite() => {}
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
            // 18 digits always fit in an i64.
            if text.len() > 18 && text.parse::<i64>().is_err() {
                return Err(self.error(start, number_end, "integer out of range"));
            }
            self.push(Tok::Int, start, 0);
        }
        Ok(())
    }
}

/// A Go float literal's value; `_` separators are dropped first.
pub fn parse_float(text: &str) -> Option<f64> {
    if text.contains('_') {
        text.replace('_', "").parse().ok()
    } else {
        text.parse().ok()
    }
}
