//! Numbers, durations and byte sizes: Go's `scanNumber` with its errors, then
//! Loki's extension of a number into `1h30m`, `1.5s` or `5KiB` up to a space.

use super::super::units;
use super::{Lexer, Tok};

impl Lexer<'_> {
    pub(super) fn number(&mut self, start: usize) {
        let (end, err) = scan_number(self.b, start);
        self.pos = end;
        if let Some(msg) = err {
            self.error(start, end, msg);
            return;
        }
        if let Some((dend, nanos)) = self.try_duration(start, end) {
            self.pos = dend;
            self.push(Tok::Duration, start, dend, nanos);
            return;
        }
        if let Some((bend, bytes)) = self.try_bytes(start, end) {
            self.pos = bend;
            self.push(Tok::Bytes, start, bend, bytes as i64);
            return;
        }
        self.push(Tok::Number, start, end, 0);
    }

    /// Extends the text from `start` to `at` with duration characters up to
    /// the next space, as Loki's `tryScanDuration`.
    pub(super) fn try_duration(&self, start: usize, at: usize) -> Option<(usize, i64)> {
        let end = self.scan_while(at, |c| {
            c.is_numeric() || matches!(c, 'n' | 'u' | 'µ' | 'm' | 's' | 'h' | 'd' | 'w' | 'y' | '.')
        });
        if end == at {
            return None;
        }
        units::duration(&self.src[start..end]).map(|n| (end, n))
    }

    fn try_bytes(&self, start: usize, at: usize) -> Option<(usize, u64)> {
        let end = self.scan_while(at, |c| {
            c.is_numeric() || matches!(c, 'B' | 'i' | 'k' | 'K' | 'M' | 'G' | 'T' | 'P' | '.')
        });
        if end == at {
            return None;
        }
        units::bytes(&self.src[start..end]).map(|n| (end, n))
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
