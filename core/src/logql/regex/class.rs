//! Character classes (`[a-z]`, `[[:alpha:]]`) and backslash escapes of RE2,
//! checked as Go's regexp/syntax does, with the text of each error.

use super::{bad, Re, Unit};

impl<C: Unit> Re<'_, C> {
    /// After `[`: a character class up to its `]`.
    pub(super) fn class(&mut self) -> Result<(), String> {
        let open = self.pos - 1;
        if self.peek() == Some('^') {
            self.pos += 1;
        }
        let mut first = true;
        loop {
            let Some(c) = self.peek() else {
                return Err(bad("missing closing ]", &self.chars[open..]));
            };
            if c == ']' && !first {
                self.pos += 1;
                return Ok(());
            }
            first = false;
            if c == '[' && self.at(self.pos + 1) == Some(':') {
                let rest = self.text(self.pos..);
                if let Some(end) = rest[2..].find(":]") {
                    let name = rest[2..2 + end].trim_start_matches('^');
                    const POSIX: [&str; 14] = [
                        "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower",
                        "print", "punct", "space", "upper", "word", "xdigit",
                    ];
                    if !POSIX.contains(&name) {
                        let len = rest[..2 + end + 2].chars().count();
                        return Err(bad(
                            "invalid character class range",
                            &self.chars[self.pos..self.pos + len],
                        ));
                    }
                    self.pos += rest[..2 + end + 2].chars().count();
                    continue;
                }
            }
            let lo_start = self.pos;
            let lo = self.class_char()?;
            if self.peek() == Some('-') && self.at(self.pos + 1).is_some_and(|c| c != ']') {
                self.pos += 1;
                let hi = self.class_char()?;
                match (lo, hi) {
                    (Some(lo), Some(hi)) if lo <= hi => {}
                    _ => {
                        return Err(bad(
                            "invalid character class range",
                            &self.chars[lo_start..self.pos],
                        ))
                    }
                }
            }
        }
    }

    /// One character of a class: `Some(char)`, or `None` for `\d`-like sets.
    fn class_char(&mut self) -> Result<Option<char>, String> {
        let Some(c) = self.peek() else {
            return Ok(None);
        };
        self.pos += 1;
        if c != '\\' {
            return Ok(Some(c));
        }
        let at = self.pos;
        match self.peek() {
            Some('d' | 'D' | 's' | 'S' | 'w' | 'W' | 'p' | 'P') => {
                self.escape(true)?;
                Ok(None)
            }
            _ => {
                self.escape(true)?;
                Ok(self.escaped_char(at))
            }
        }
    }

    /// The literal character of the escape that starts at `at` (after `\`).
    fn escaped_char(&self, at: usize) -> Option<char> {
        let e = self.at(at)?;
        let text = self.text(at + 1..self.pos);
        Some(match e {
            'a' => '\u{7}',
            'f' => '\u{c}',
            't' => '\t',
            'n' => '\n',
            'r' => '\r',
            'v' => '\u{b}',
            'x' => {
                let hex = text.trim_start_matches('{').trim_end_matches('}');
                char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
            }
            '0'..='7' => {
                let oct = self.text(at..self.pos);
                char::from_u32(u32::from_str_radix(&oct, 8).ok()?)?
            }
            other => other,
        })
    }

    /// After `\`: whether the escape matches "".
    pub(super) fn escape(&mut self, in_class: bool) -> Result<bool, String> {
        let Some(c) = self.peek() else {
            return Err("trailing backslash at end of expression".into());
        };
        let start = self.pos - 1;
        self.pos += 1;
        match c {
            'A' | 'z' | 'B' if !in_class => Ok(true),
            'b' if !in_class => Ok(false),
            'd' | 'D' | 's' | 'S' | 'w' | 'W' => Ok(false),
            'a' | 'f' | 't' | 'n' | 'r' | 'v' => Ok(false),
            'p' | 'P' => {
                match self.peek() {
                    Some('{') => {
                        let from = self.pos;
                        while self.peek().is_some_and(|c| c != '}') {
                            self.pos += 1;
                        }
                        if self.peek() != Some('}') || self.pos == from + 1 {
                            return Err(bad("invalid character class range", &self.chars[start..]));
                        }
                        self.pos += 1;
                    }
                    Some(_) => self.pos += 1,
                    None => return Err(bad("invalid character class range", &self.chars[start..])),
                }
                Ok(false)
            }
            'Q' if !in_class => {
                let from = self.pos;
                while self.pos < self.chars.len()
                    && !(self.at(self.pos) == Some('\\') && self.at(self.pos + 1) == Some('E'))
                {
                    self.pos += 1;
                }
                let empty = self.pos == from;
                if self.pos < self.chars.len() {
                    self.pos += 2;
                }
                Ok(empty)
            }
            'x' => {
                if self.peek() == Some('{') {
                    self.pos += 1;
                    let from = self.pos;
                    while self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                        self.pos += 1;
                    }
                    let hex = self.text(from..self.pos);
                    let valid = u32::from_str_radix(&hex, 16).is_ok_and(|v| v <= 0x10ffff);
                    if self.peek() != Some('}') || !valid {
                        return Err(bad(
                            "invalid escape sequence",
                            &self.chars[start..self.pos.min(self.chars.len())],
                        ));
                    }
                    self.pos += 1;
                } else {
                    for _ in 0..2 {
                        if !self.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                            return Err(bad(
                                "invalid escape sequence",
                                &self.chars[start..self.pos],
                            ));
                        }
                        self.pos += 1;
                    }
                }
                Ok(false)
            }
            '1'..='7' if !self.peek().is_some_and(|c| ('0'..='7').contains(&c)) => {
                Err(bad("invalid escape sequence", &self.chars[start..self.pos]))
            }
            '0'..='7' => {
                for _ in 0..2 {
                    if self.peek().is_some_and(|c| ('0'..='7').contains(&c)) {
                        self.pos += 1;
                    }
                }
                Ok(false)
            }
            c if c.is_ascii() && !c.is_ascii_alphanumeric() => Ok(false),
            _ => Err(bad("invalid escape sequence", &self.chars[start..self.pos])),
        }
    }
}
