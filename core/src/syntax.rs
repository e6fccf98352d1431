//! What the query parsers (LogQL, TraceQL) share: byte spans into the query
//! text, the parse error they report with the tokens expected and a fix,
//! and the "did you mean" search behind many of those fixes.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::Serialize;

mod did_you_mean;

pub use did_you_mean::{did_you_mean, edit_distance};

/// A byte range `start..end` in the query text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end);
        Self {
            start: start as u32,
            end: end as u32,
        }
    }

    /// The empty span at `at`.
    pub fn at(at: usize) -> Self {
        Self::new(at, at)
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// Why a query does not parse: where, what was expected there, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParseError {
    /// The offending bytes (empty at the end of the input when it ended early).
    pub span: Span,
    /// What is wrong, for a person: "expected a range such as [5m] after the selector".
    pub message: Cow<'static, str>,
    /// The tokens or constructs that would have been accepted at `span.start`,
    /// as written in the language (`"|="`, `")"`) or named (`"duration"`).
    /// Usually a fixed list, so borrowed rather than allocated.
    pub expected: Cow<'static, [&'static str]>,
    /// A concrete fix when we can tell what was meant ("did you mean `|~`?").
    pub help: Option<Cow<'static, str>>,
}

impl ParseError {
    pub fn new(span: Span, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            span,
            message: message.into(),
            expected: Cow::Borrowed(&[]),
            help: None,
        }
    }

    /// What would have been accepted: a fixed list (`&["=", "!="]`) or one
    /// built for the occasion (a `Vec`).
    pub fn expected(mut self, expected: impl Into<Cow<'static, [&'static str]>>) -> Self {
        self.expected = expected.into();
        self
    }

    pub fn help(mut self, help: impl Into<Cow<'static, str>>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.message, self.span.start)?;
        if let Some(help) = &self.help {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}

/// ASCII letters, digits and `_`, by byte: one load per byte where the
/// lexers scan words.
const WORD_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'_';
        b += 1;
    }
    table
};

/// Whether `b` is an ASCII letter, digit or `_`.
#[inline]
pub fn is_ascii_word_byte(b: u8) -> bool {
    WORD_BYTES[b as usize]
}

/// The largest char boundary of `text` at or before byte `offset` (the
/// text's length past its end); `str::floor_char_boundary` is newer than
/// the workspace's rust-version.
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
/// Offsets past the end or inside a character are clamped to a boundary.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_from_one() {
        let text = "ab\ncé d";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // 'é' is two bytes: byte 6 is the space after it, the third character.
        assert_eq!(line_col(text, 6), (2, 3));
        // Inside 'é' clamps back to its start; past the end clamps to the end.
        assert_eq!(line_col(text, 5), (2, 2));
        assert_eq!(line_col(text, 99), (2, 5));
    }

    #[test]
    fn error_display_names_place_and_fix() {
        let e = ParseError::new(Span::new(3, 6), "unknown operator `|=~`")
            .expected(&["|=", "|~"])
            .help("did you mean `|~`?");
        assert_eq!(
            e.to_string(),
            "unknown operator `|=~` (at byte 3); did you mean `|~`?"
        );
        assert_eq!(e.span.range(), 3..6);
    }
}
