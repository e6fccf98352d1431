//! Duration literals as Tempo reads them: Prometheus style (`1h30m`, `2d`,
//! `1w`, `1y`, integers in unit order) or Go style (`1.5s`, `100ns`, `10us`).

const MAX: u128 = i64::MAX as u128;

/// Nanoseconds of `text`, or `None` when neither syntax accepts it
/// (including values that overflow 64-bit nanoseconds).
pub fn parse(text: &str) -> Option<i64> {
    prometheus(text).or_else(|| go(text))
}

/// Whether the lexer may take `c` into a duration after the number.
pub fn is_duration_char(c: char) -> bool {
    matches!(c, 'n' | 's' | 'u' | 'm' | 'h' | 'µ' | 'd' | 'w' | 'y' | '.') || c.is_numeric()
}

/// Units `y w d h m s ms`, each at most once, largest first, integer counts.
fn prometheus(text: &str) -> Option<i64> {
    if text == "0" {
        return Some(0);
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut last_rank = 0;
    let mut total: u128 = 0;
    if bytes.is_empty() {
        return None;
    }
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        let count: u128 = text[start..i].parse::<u64>().ok()?.into();
        let unit_start = i;
        while i < bytes.len() && !bytes[i].is_ascii_digit() {
            i += 1;
        }
        let (rank, nanos): (u32, u128) = match &text[unit_start..i] {
            "y" => (1, 365 * 24 * 3_600_000_000_000),
            "w" => (2, 7 * 24 * 3_600_000_000_000),
            "d" => (3, 24 * 3_600_000_000_000),
            "h" => (4, 3_600_000_000_000),
            "m" => (5, 60_000_000_000),
            "s" => (6, 1_000_000_000),
            "ms" => (7, 1_000_000),
            _ => return None,
        };
        if rank <= last_rank {
            return None;
        }
        last_rank = rank;
        total += count * nanos;
        if total > MAX {
            return None;
        }
    }
    Some(total as i64)
}

/// Go's `time.ParseDuration` for an unsigned input.
fn go(text: &str) -> Option<i64> {
    if text == "0" {
        return Some(0);
    }
    let bytes = text.as_bytes();
    if bytes.is_empty() {
        return None;
    }
    let mut i = 0;
    let mut total: u128 = 0;
    while i < bytes.len() {
        if !(bytes[i] == b'.' || bytes[i].is_ascii_digit()) {
            return None;
        }
        let int_start = i;
        let mut whole: u128 = 0;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            whole = whole * 10 + u128::from(bytes[i] - b'0');
            if whole > 1 << 63 {
                return None;
            }
            i += 1;
        }
        let pre = i > int_start;
        let mut fraction: u128 = 0;
        let mut scale: f64 = 1.0;
        let mut post = false;
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            let frac_start = i;
            let mut overflow = false;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                if !overflow {
                    let next = fraction * 10 + u128::from(bytes[i] - b'0');
                    if next > 1 << 63 {
                        overflow = true;
                    } else {
                        fraction = next;
                        scale *= 10.0;
                    }
                }
                i += 1;
            }
            post = i > frac_start;
        }
        if !pre && !post {
            return None;
        }
        let unit_start = i;
        while i < bytes.len() && bytes[i] != b'.' && !bytes[i].is_ascii_digit() {
            i += 1;
        }
        let unit: u128 = match &text[unit_start..i] {
            "ns" => 1,
            "us" | "µs" | "μs" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return None,
        };
        if whole > (1 << 63) / unit {
            return None;
        }
        let mut value = whole * unit;
        if fraction > 0 {
            value += (fraction as f64 * (unit as f64 / scale)) as u128;
            if value > 1 << 63 {
                return None;
            }
        }
        total += value;
        if total > 1 << 63 {
            return None;
        }
    }
    if total > MAX {
        return None;
    }
    Some(total as i64)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn accepts_both_syntaxes() {
        let cases = [
            ("1h30m", Some(5_400_000_000_000)),
            ("1.5s", Some(1_500_000_000)),
            ("100ns", Some(100)),
            ("10us", Some(10_000)),
            ("10µs", Some(10_000)),
            ("2d", Some(172_800_000_000_000)),
            ("1w", Some(604_800_000_000_000)),
            ("1y", Some(31_536_000_000_000_000)),
            ("1s1h", Some(3_601_000_000_000)),
            ("5.s", Some(5_000_000_000)),
            (".5s", Some(500_000_000)),
            ("1.5d", None),
            ("1h30", None),
            ("1e3s", None),
            ("1s.", None),
            ("99999999999h", None),
            ("1000y", None),
        ];
        for (text, want) in cases {
            assert_eq!(parse(text), want, "{text}");
        }
    }
}
