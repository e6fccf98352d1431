//! Just enough of RE2 (Go's regexp/syntax) to do what Loki does at parse time:
//! reject malformed regular expressions and tell whether one matches "".

mod class;

/// What parsing a regular expression tells us.
#[derive(Debug, Default)]
pub struct RegexInfo {
    /// Whether the whole (anchored) expression matches the empty string.
    pub matches_empty: bool,
    /// Capture groups: `Some(name)` for `(?P<name>...)`, `None` for `(...)`.
    pub captures: Vec<Option<String>>,
}

/// Checks `re` with RE2's rules; the error is Go's message, roughly.
pub fn check(re: &str) -> Result<RegexInfo, String> {
    // Fast path: literal text, maybe alternatives (`prod|staging`).
    let meta = |b: &u8| b"\\.+*?()[]{}^$".contains(b);
    if !re.as_bytes().iter().any(meta) {
        return Ok(RegexInfo {
            matches_empty: re.split('|').any(str::is_empty),
            captures: Vec::new(),
        });
    }
    if re.is_ascii() {
        // Bytes are characters: no need to decode into a vector.
        check_units(re.as_bytes())
    } else {
        check_units(&re.chars().collect::<Vec<char>>())
    }
}

fn check_units<C: Unit>(chars: &[C]) -> Result<RegexInfo, String> {
    let mut p = Re {
        chars,
        pos: 0,
        captures: Vec::new(),
        depth: 0,
    };
    let matches_empty = p.alternation()?;
    if p.pos < p.chars.len() {
        return Err("unexpected ): unmatched parenthesis".into());
    }
    Ok(RegexInfo {
        matches_empty,
        captures: p.captures,
    })
}

/// A character of the expression: a byte of an ASCII one, else a `char`.
trait Unit: Copy + Into<char> {}
impl Unit for u8 {}
impl Unit for char {}

struct Re<'r, C> {
    chars: &'r [C],
    pos: usize,
    captures: Vec<Option<String>>,
    depth: usize,
}

/// Nesting Go's parser allows before "expression nests too deeply".
const MAX_DEPTH: usize = 1000;

enum Atom {
    /// Something a repetition can apply to; whether it matches "".
    Item(bool),
    /// A flag group such as `(?i)`: matches "" and takes no repetition.
    Flags,
}

fn bad<C: Unit>(what: &str, text: &[C]) -> String {
    let t: String = text.iter().map(|&c| c.into()).collect();
    format!("{what}: `{t}`")
}

impl<C: Unit> Re<'_, C> {
    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&c| c.into())
    }

    fn peek(&self) -> Option<char> {
        self.at(self.pos)
    }

    fn text(&self, range: impl std::slice::SliceIndex<[C], Output = [C]>) -> String {
        self.chars[range].iter().map(|&c| c.into()).collect()
    }

    /// `a|b|c`: matches "" if any branch does.
    fn alternation(&mut self) -> Result<bool, String> {
        let mut nullable = self.concat()?;
        while self.peek() == Some('|') {
            self.pos += 1;
            nullable |= self.concat()?;
        }
        Ok(nullable)
    }

    /// A sequence: matches "" if every item does.
    fn concat(&mut self) -> Result<bool, String> {
        let mut before_last = true;
        let mut last: Option<bool> = None;
        let mut last_was_repeat = false;
        while let Some(c) = self.peek() {
            match c {
                '|' | ')' => break,
                '*' | '+' | '?' | '{' => {
                    let start = self.pos;
                    let Some(min) = self.repetition()? else {
                        // `{` that does not start `{n,m}` is a literal.
                        self.pos = start + 1;
                        before_last &= last.unwrap_or(true);
                        last = Some(false);
                        last_was_repeat = false;
                        continue;
                    };
                    let op = &self.chars[start..self.pos];
                    if last.is_none() {
                        return Err(bad("missing argument to repetition operator", op));
                    }
                    if last_was_repeat {
                        return Err(bad("invalid nested repetition operator", op));
                    }
                    if min == 0 {
                        last = Some(true);
                    }
                    last_was_repeat = true;
                }
                _ => match self.atom()? {
                    Atom::Item(nullable) => {
                        before_last &= last.unwrap_or(true);
                        last = Some(nullable);
                        last_was_repeat = false;
                    }
                    Atom::Flags => {}
                },
            }
        }
        Ok(before_last && last.unwrap_or(true))
    }

    /// `*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}` (each maybe followed by `?`):
    /// the minimum count, or `None` when `{` is not a repetition.
    fn repetition(&mut self) -> Result<Option<u32>, String> {
        let start = self.pos;
        let min = match self.peek() {
            Some('*') | Some('?') => {
                self.pos += 1;
                0
            }
            Some('+') => {
                self.pos += 1;
                1
            }
            _ => {
                self.pos += 1;
                let Some(min) = self.count() else {
                    return Ok(None);
                };
                let mut max = Some(min);
                if self.peek() == Some(',') {
                    self.pos += 1;
                    max = if self.peek() == Some('}') {
                        None
                    } else {
                        match self.count() {
                            Some(m) => Some(m),
                            None => return Ok(None),
                        }
                    };
                }
                if self.peek() != Some('}') {
                    return Ok(None);
                }
                self.pos += 1;
                if min > 1000 || max.is_some_and(|m| m > 1000 || m < min) {
                    return Err(bad("invalid repeat count", &self.chars[start..self.pos]));
                }
                min
            }
        };
        if self.peek() == Some('?') {
            self.pos += 1;
        }
        Ok(Some(min))
    }

    fn count(&mut self) -> Option<u32> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        if self.pos == start {
            return None;
        }
        let digits = self.text(start..self.pos);
        Some(digits.parse::<u32>().unwrap_or(u32::MAX))
    }

    fn atom(&mut self) -> Result<Atom, String> {
        let Some(c) = self.peek() else {
            return Ok(Atom::Item(true));
        };
        self.pos += 1;
        Ok(match c {
            '(' => return self.group(),
            '[' => {
                self.class()?;
                Atom::Item(false)
            }
            '^' | '$' => Atom::Item(true),
            '\\' => Atom::Item(self.escape(false)?),
            _ => Atom::Item(false),
        })
    }

    fn group(&mut self) -> Result<Atom, String> {
        let open = self.pos - 1;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("expression nests too deeply".into());
        }
        if self.peek() == Some('?') {
            self.pos += 1;
            let named = match self.peek() {
                Some('P') if self.at(self.pos + 1) == Some('<') => {
                    self.pos += 2;
                    true
                }
                Some('<') => {
                    self.pos += 1;
                    true
                }
                _ => false,
            };
            if named {
                let start = self.pos;
                while self.peek().is_some_and(|c| c != '>' && c != ')') {
                    self.pos += 1;
                }
                let name = self.text(start..self.pos);
                if self.peek() != Some('>')
                    || name.is_empty()
                    || !name.chars().all(|c| c.is_alphanumeric() || c == '_')
                {
                    let end = (self.pos + 1).min(self.chars.len());
                    return Err(bad("invalid named capture", &self.chars[open..end]));
                }
                self.pos += 1;
                self.captures.push(Some(name));
            } else {
                // Flags: (?i) (?i-s) (?i:re) (?:re)
                let mut saw_flag = false;
                let mut negated = false;
                loop {
                    match self.peek() {
                        Some('i' | 'm' | 's' | 'U') => {
                            saw_flag = true;
                            self.pos += 1;
                        }
                        Some('-') if !negated => {
                            negated = true;
                            saw_flag = false;
                            self.pos += 1;
                        }
                        Some(':') if !negated || saw_flag => {
                            self.pos += 1;
                            break;
                        }
                        Some(')') if saw_flag => {
                            self.pos += 1;
                            self.depth -= 1;
                            return Ok(Atom::Flags);
                        }
                        _ => {
                            let end = (self.pos + 1).min(self.chars.len());
                            return Err(bad(
                                "invalid or unsupported Perl syntax",
                                &self.chars[open..end],
                            ));
                        }
                    }
                }
            }
        } else {
            self.captures.push(None);
        }
        let nullable = self.alternation()?;
        if self.peek() != Some(')') {
            return Err(bad("missing closing )", &self.chars[open..]));
        }
        self.pos += 1;
        self.depth -= 1;
        Ok(Atom::Item(nullable))
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn empty_matching() {
        for (re, empty) in [
            (".*", true),
            (".+", false),
            ("", true),
            ("a?", true),
            ("a|", true),
            ("(a|b)*", true),
            ("foo", false),
            ("^$", true),
            ("a{0,3}", true),
            ("a{2}", false),
            ("(?i)x*", true),
            ("[a-z]*", true),
            ("\\b", false),
            ("prod|staging", false),
        ] {
            assert_eq!(check(re).map(|i| i.matches_empty), Ok(empty), "{re}");
        }
    }

    #[test]
    fn rejects_what_re2_rejects() {
        for re in [
            "(", ")", "*", "a**", "[a", "[z-a]", "\\q", "(?P<>x)", "(?z)", "a{2,1}", "x{1001}",
            "\\1", "\\",
        ] {
            assert!(check(re).is_err(), "{re}");
        }
        for re in [
            "a{",
            "a{,2}",
            "\\.",
            "[]a]",
            "[^]]",
            "(?P<n>x)",
            "(?<n>x)",
            "(?:x)",
            "a*?",
            "[[:alpha:]]",
            "\\pL",
            "\\p{Greek}",
            "\\x{41}",
        ] {
            assert!(check(re).is_ok(), "{re}");
        }
    }
}
