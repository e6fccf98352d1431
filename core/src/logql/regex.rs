//! Just enough of RE2 (Go's regexp/syntax) to do what Loki does at parse time:
//! reject malformed regular expressions and tell whether one matches "".

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
    let mut p = Re {
        chars: re.chars().collect(),
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

struct Re {
    chars: Vec<char>,
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

fn bad(what: &str, text: &[char]) -> String {
    let t: String = text.iter().collect();
    format!("{what}: `{t}`")
}

impl Re {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
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
        let digits: String = self.chars[start..self.pos].iter().collect();
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
                Some('P') if self.chars.get(self.pos + 1) == Some(&'<') => {
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
                let name: String = self.chars[start..self.pos].iter().collect();
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

    /// After `[`: a character class up to its `]`.
    fn class(&mut self) -> Result<(), String> {
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
            if c == '[' && self.chars.get(self.pos + 1) == Some(&':') {
                let rest: String = self.chars[self.pos..].iter().collect();
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
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|c| *c != ']') {
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
        let e = *self.chars.get(at)?;
        let text: String = self.chars[at + 1..self.pos].iter().collect();
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
                let oct: String = self.chars[at..self.pos].iter().collect();
                char::from_u32(u32::from_str_radix(&oct, 8).ok()?)?
            }
            other => other,
        })
    }

    /// After `\`: whether the escape matches "".
    fn escape(&mut self, in_class: bool) -> Result<bool, String> {
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
                    && !(self.chars[self.pos] == '\\' && self.chars.get(self.pos + 1) == Some(&'E'))
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
                    let hex: String = self.chars[from..self.pos].iter().collect();
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
