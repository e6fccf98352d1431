//! String literals: Go-quoted `"..."` with escapes checked as Go does, raw
//! `` `...` ``, and the single-quoted forms Loki takes for identifiers.

use std::borrow::Cow;

use super::{Lexer, Tok};

impl Lexer<'_> {
    pub(super) fn string(&mut self, start: usize) {
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

    pub(super) fn raw_string(&mut self, start: usize) {
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

    pub(super) fn char_literal(&mut self, start: usize) {
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
}

/// Scans a Go-quoted literal starting at `start` (the quote); returns its end
/// or the end of the scanned part and why it is invalid.
fn scan_quoted(src: &str, start: usize, quote: char) -> Result<usize, (usize, String)> {
    let base = start + 1;
    // Fast path: most strings have no escape; the quote, the backslash and the line
    // end are ASCII, so a byte scan finds them in UTF-8 text.
    let q = quote as u8;
    if let Some(i) = src.as_bytes()[base..]
        .iter()
        .position(|&b| b == q || b == b'\\' || b == b'\n')
    {
        if src.as_bytes()[base + i] == q {
            return Ok(base + i + 1);
        }
    }
    let mut chars = src[base..].char_indices().peekable();
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
pub fn unquote(text: &str) -> Cow<'_, str> {
    let inner = &text[1..text.len() - 1];
    if !inner.contains('\\') {
        return Cow::Borrowed(inner);
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
    Cow::Owned(out)
}
