//! What the query parsers (LogQL, TraceQL) share: byte spans into the query
//! text, the parse error they report with the tokens expected and a fix,
//! and the "did you mean" search behind many of those fixes.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::Serialize;

mod suggest;

pub use suggest::suggest;

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

/// The candidate closest to `word` by edit distance, when it is close enough
/// to be what the user meant (at most a third of the word's length, min 1).
/// ASCII letters compare without case.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    // Words people mistype are short: on the stack up to 32 characters.
    let (mut chars, mut row) = (['\0'; 32], [0usize; 33]);
    let (mut long_chars, mut long_row) = (Vec::new(), Vec::new());
    let n = word.chars().count();
    let (word, row) = if n <= chars.len() {
        for (slot, c) in chars.iter_mut().zip(word.chars()) {
            *slot = c.to_ascii_lowercase();
        }
        (&chars[..n], &mut row[..=n])
    } else {
        long_chars.extend(word.chars().map(|c| c.to_ascii_lowercase()));
        long_row.resize(n + 1, 0);
        (&long_chars[..], &mut long_row[..])
    };
    let limit = (n / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for &c in candidates {
        // Only a strictly closer candidate can replace the best so far.
        let Some(bound) = best.map_or(Some(limit), |(b, _)| b.checked_sub(1)) else {
            break;
        };
        // The distance is at least the difference in length.
        if c.chars().count().abs_diff(n) > bound {
            continue;
        }
        let candidate = c.chars().map(|c| c.to_ascii_lowercase());
        if let Some(d) = distance(word, candidate, row, bound) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let mut row = vec![0; a.len() + 1];
    distance(&a, b.chars(), &mut row, usize::MAX).unwrap_or(usize::MAX)
}

/// Levenshtein distance between `a` and the characters of `b`, when it is
/// at most `bound` (`None` as soon as every path exceeds it). `row` has
/// room for `a.len() + 1` entries.
fn distance(
    a: &[char],
    b: impl Iterator<Item = char>,
    row: &mut [usize],
    bound: usize,
) -> Option<usize> {
    for (j, slot) in row.iter_mut().enumerate() {
        *slot = j;
    }
    for (i, cb) in b.enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        let mut lowest = row[0];
        for (j, ca) in a.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if *ca == cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            lowest = lowest.min(row[j + 1]);
            prev = cur;
        }
        if lowest > bound {
            return None;
        }
    }
    let d = row[a.len()];
    (d <= bound).then_some(d)
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
    fn did_you_mean_picks_close_candidates_only() {
        let funcs = ["rate", "count_over_time", "bytes_rate"];
        assert_eq!(did_you_mean("rat", &funcs), Some("rate"));
        assert_eq!(
            did_you_mean("count_over_tim", &funcs),
            Some("count_over_time")
        );
        assert_eq!(did_you_mean("histogram", &funcs), None);
        // Case does not count; the first of equally close candidates wins.
        assert_eq!(did_you_mean("RATE", &funcs), Some("rate"));
        assert_eq!(did_you_mean("ab", &["ax", "ay", "ab"]), Some("ab"));
        assert_eq!(did_you_mean("ab", &["ax", "ay"]), Some("ax"));
        // Words longer than the stack buffer take the same path on the heap.
        let long = "a_very_long_label_name_with_many_parts";
        let near = "a_very_long_label_name_with_many_part";
        assert_eq!(did_you_mean(near, &["rate", long]), Some(long));
        assert_eq!(did_you_mean("", &funcs), None);
    }

    #[test]
    fn edit_distance_is_levenshtein() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
        assert_eq!(edit_distance("abc", ""), 3);
        assert_eq!(edit_distance("héllo", "hello"), 1);
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
