//! Duration and byte-size literals as Loki reads them: Prometheus durations
//! (`1h30m`), Go durations (`1.5s`, `500us`, `-5m`) and humanized sizes (`5KiB`).

/// Nanoseconds of a Prometheus duration (`[0-9]+(y|w|d|h|m|s|ms)` repeated,
/// units from largest to smallest, each at most once; `0` alone allowed).
/// This is the only form accepted inside `[...]` ranges.
pub fn prometheus_duration(s: &str) -> Option<i64> {
    if s == "0" {
        return Some(0);
    }
    if s.is_empty() {
        return None;
    }
    const UNITS: [(&str, u64); 7] = [
        ("y", 365 * 24 * 3_600_000_000_000),
        ("w", 7 * 24 * 3_600_000_000_000),
        ("d", 24 * 3_600_000_000_000),
        ("h", 3_600_000_000_000),
        ("m", 60_000_000_000),
        ("s", 1_000_000_000),
        ("ms", 1_000_000),
    ];
    let b = s.as_bytes();
    let mut i = 0;
    let mut total: u64 = 0;
    let mut last_unit: Option<usize> = None;
    while i < b.len() {
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return None;
        }
        let value: u64 = s[start..i].parse().ok()?;
        let unit_start = i;
        while i < b.len() && !b[i].is_ascii_digit() {
            i += 1;
        }
        let unit = &s[unit_start..i];
        let pos = UNITS.iter().position(|(u, _)| *u == unit)?;
        if last_unit.is_some_and(|last| pos <= last) {
            return None;
        }
        last_unit = Some(pos);
        let mult = UNITS[pos].1;
        if value > (1u64 << 63) / mult {
            return None;
        }
        total = total.checked_add(value * mult)?;
        if total > i64::MAX as u64 {
            return None;
        }
    }
    i64::try_from(total).ok()
}

/// Nanoseconds of a Go `time.ParseDuration` string: `[-+]?([0-9]*(\.[0-9]*)?unit)+`
/// with units ns, us, µs, μs, ms, s, m, h; `0` alone allowed.
pub fn go_duration(s: &str) -> Option<i64> {
    let mut rest = s;
    let mut neg = false;
    if let Some(r) = rest.strip_prefix('-') {
        neg = true;
        rest = r;
    } else if let Some(r) = rest.strip_prefix('+') {
        rest = r;
    }
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    let mut exact: u128 = 0;
    while !rest.is_empty() {
        let b = rest.as_bytes();
        let mut i = 0;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        let int_part = &rest[..i];
        let mut frac_part = "";
        if i < b.len() && b[i] == b'.' {
            let f = i + 1;
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            frac_part = &rest[f..i];
        }
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        let unit_start = i;
        while i < b.len() && b[i] != b'.' && !b[i].is_ascii_digit() {
            i += 1;
        }
        let unit = &rest[unit_start..i];
        let mult: u64 = match unit {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return None,
        };
        let whole: u128 = if int_part.is_empty() {
            0
        } else {
            int_part.parse::<u128>().ok()?
        };
        exact = exact.checked_add(whole.checked_mul(u128::from(mult))?)?;
        if !frac_part.is_empty() {
            let f: f64 = format!("0.{frac_part}").parse().ok()?;
            total += f * mult as f64;
        }
        if exact > 1u128 << 63 {
            return None;
        }
        rest = &rest[i..];
    }
    let nanos = exact as f64 + total;
    if nanos > i64::MAX as f64 {
        return None;
    }
    let n = exact as i64 + total as i64;
    Some(if neg { -n } else { n })
}

/// A duration outside ranges: Prometheus form first, then Go's.
pub fn duration(s: &str) -> Option<i64> {
    prometheus_duration(s).or_else(|| go_duration(s))
}

/// Bytes of a humanized size (`5KiB`, `1.5GB`, `10M`), as go-humanize reads it.
pub fn bytes(s: &str) -> Option<u64> {
    let digits = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))
        .unwrap_or(s.len());
    let number_text = &s[..digits];
    let number: f64 = if number_text.contains(',') {
        number_text.replace(',', "").parse().ok()?
    } else {
        number_text.parse().ok()?
    };
    let unit = s[digits..].trim();
    const UNITS: [(&str, &str, f64); 7] = [
        ("b", "", 1.0),
        ("kib", "ki", 1024.0),
        ("mib", "mi", 1_048_576.0),
        ("gib", "gi", 1_073_741_824.0),
        ("tib", "ti", 1_099_511_627_776.0),
        ("pib", "pi", 1_125_899_906_842_624.0),
        ("eib", "ei", 1_152_921_504_606_846_976.0),
    ];
    const SI: [(&str, &str, f64); 6] = [
        ("kb", "k", 1e3),
        ("mb", "m", 1e6),
        ("gb", "g", 1e9),
        ("tb", "t", 1e12),
        ("pb", "p", 1e15),
        ("eb", "e", 1e18),
    ];
    let mult = UNITS
        .iter()
        .chain(SI.iter())
        .find(|(long, short, _)| {
            unit.eq_ignore_ascii_case(long) || unit.eq_ignore_ascii_case(short)
        })
        .map(|(_, _, m)| *m)?;
    let v = number * mult;
    if v >= u64::MAX as f64 {
        return None;
    }
    Some(v as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prometheus_durations() {
        assert_eq!(prometheus_duration("5m"), Some(300_000_000_000));
        assert_eq!(prometheus_duration("1h30m"), Some(5_400_000_000_000));
        assert_eq!(prometheus_duration("0"), Some(0));
        assert_eq!(prometheus_duration("30m1h"), None);
        assert_eq!(prometheus_duration("1.5m"), None);
        assert_eq!(prometheus_duration("5us"), None);
        assert_eq!(prometheus_duration(""), None);
        assert_eq!(prometheus_duration("5m5m"), None);
    }

    #[test]
    fn go_durations() {
        assert_eq!(go_duration("1.5s"), Some(1_500_000_000));
        assert_eq!(go_duration("500us"), Some(500_000));
        assert_eq!(go_duration("-5m"), Some(-300_000_000_000));
        assert_eq!(go_duration(".5s"), Some(500_000_000));
        assert_eq!(go_duration("1d"), None);
        assert_eq!(go_duration("5"), None);
        assert_eq!(go_duration("."), None);
        assert_eq!(duration("1d"), Some(86_400_000_000_000));
    }

    #[test]
    fn byte_sizes() {
        assert_eq!(bytes("5KiB"), Some(5120));
        assert_eq!(bytes("1.5KB"), Some(1500));
        assert_eq!(bytes("10M"), Some(10_000_000));
        assert_eq!(bytes("5B"), Some(5));
        assert_eq!(bytes("5i"), None);
        assert_eq!(bytes("5BB"), None);
    }
}
