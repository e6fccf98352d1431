//! String literals: Go-style double-quoted strings with their escapes
//! checked here (unescaped later, only when needed), and raw backtick strings.

use crate::syntax::ParseError;

use super::{Lexer, Tok};

impl Lexer<'_> {
    pub(super) fn string(&mut self, start: usize) -> Result<(), ParseError> {
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

    pub(super) fn raw_string(&mut self, start: usize) -> Result<(), ParseError> {
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
}
