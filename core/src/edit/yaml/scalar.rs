//! Writing YAML scalars: plain when that reads back as the same value,
//! else quoted in the existing style; literal block bodies for long text.

use saphyr_parser::ScalarStyle;
use serde_json::Value;

/// Whether YAML can hold `c` unescaped (`c-printable` minus the byte order mark).
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
        && c != '\u{feff}'
}

/// A string in double quotes, every non-printable escaped.
pub(crate) fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if printable(c) => out.push(c),
            c if u32::from(c) <= 0xff => out.push_str(&format!("\\x{:02x}", u32::from(c))),
            c if u32::from(c) <= 0xffff => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push_str(&format!("\\U{:08x}", u32::from(c))),
        }
    }
    out.push('"');
    out
}

/// `s` as a plain scalar, if it reads back as the same string.
pub(crate) fn plain(s: &str, in_flow: bool) -> Option<String> {
    let first = s.chars().next()?;
    let unsafe_start = "-?:,[]{}#&*!|>'\"%@`".contains(first);
    let bad = unsafe_start
        || s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace)
        || s.ends_with(':')
        || s.contains(": ")
        || s.contains(" #")
        || s.chars()
            .any(|c| c == '\t' || c == '\n' || c == '\r' || !printable(c))
        || (in_flow && s.contains([',', '[', ']', '{', '}']));
    if bad {
        return None;
    }
    // Reads back as a string (not `true`, `10`, `null`, `~`, `.inf`…)?
    let docs = crate::yaml::load_documents(&format!("k: {s}\n")).ok()?;
    (docs.first()?.value.get("k")? == &Value::String(s.to_owned())).then(|| s.to_owned())
}

/// A scalar value written for a place that was written in `style`
/// (`None`: a new key); `Err` with a reason for collections.
pub(crate) fn format(
    value: &Value,
    style: Option<ScalarStyle>,
    in_flow: bool,
) -> Result<String, String> {
    let s = match value {
        Value::Array(_) | Value::Object(_) => {
            return Err("only scalars (text, numbers, booleans, null) can be written".to_owned())
        }
        Value::String(s) => s,
        other => return Ok(other.to_string()),
    };
    Ok(match style {
        Some(ScalarStyle::DoubleQuoted) => double_quoted(s),
        Some(ScalarStyle::SingleQuoted)
            if s.chars().all(|c| printable(c) && c != '\n' && c != '\t') =>
        {
            format!("'{}'", s.replace('\'', "''"))
        }
        Some(ScalarStyle::Plain) | None => plain(s, in_flow).unwrap_or_else(|| double_quoted(s)),
        _ => double_quoted(s),
    })
}

/// The header indicator and body lines of a literal block holding exactly
/// `content`, its lines indented by `indent` columns under a parent at `parent`.
pub(crate) fn literal(
    content: &str,
    indent: usize,
    parent: usize,
    newline: &str,
) -> Result<(String, String), String> {
    if let Some(c) = content.chars().find(|c| !printable(*c)) {
        return Err(format!(
            "the text holds {c:?}, which a YAML literal block cannot"
        ));
    }
    let only_breaks = content.bytes().all(|b| b == b'\n');
    let chomp = if content.is_empty() || !content.ends_with('\n') {
        "-"
    } else if content.ends_with("\n\n") || only_breaks {
        "+"
    } else {
        ""
    };
    let lines = content.strip_suffix('\n').unwrap_or(content);
    let first = lines.split('\n').find(|l| !l.is_empty());
    let mut header = "|".to_owned();
    if first.is_some_and(|l| l.starts_with(' ')) || (only_breaks && !content.is_empty()) {
        let digit = indent
            .checked_sub(parent)
            .filter(|d| (1..=9).contains(d))
            .ok_or_else(|| {
                "the text starts with spaces and its block indentation cannot be stated".to_owned()
            })?;
        header.push_str(&digit.to_string());
    }
    header.push_str(chomp);
    let pad = " ".repeat(indent);
    let mut body = String::with_capacity(content.len() + content.len() / 8);
    if !content.is_empty() {
        for line in lines.split('\n') {
            if !line.is_empty() {
                body.push_str(&pad);
                body.push_str(line);
            }
            body.push_str(newline);
        }
    }
    Ok((header, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_only_when_it_reads_back_as_the_string() {
        assert_eq!(plain("my-dash", false).as_deref(), Some("my-dash"));
        for s in [
            "true", "10", "null", "~", "", " a", "a: b", "#x", "- x", "1e3", "a #b",
        ] {
            assert_eq!(plain(s, false), None, "{s}");
        }
        assert_eq!(plain("a,b", true), None);
    }

    #[test]
    fn double_quotes_escape_what_yaml_cannot_hold() {
        assert_eq!(double_quoted("a\"\\\n\u{7f}é"), "\"a\\\"\\\\\\n\\x7fé\"");
    }

    #[test]
    fn literal_headers_follow_the_trailing_newlines() {
        let l = |c: &str| literal(c, 4, 2, "\n").expect("representable");
        assert_eq!(l("{\n}\n"), ("|".into(), "    {\n    }\n".into()));
        assert_eq!(l("{}"), ("|-".into(), "    {}\n".into()));
        assert_eq!(l("a\n\nb\n\n"), ("|+".into(), "    a\n\n    b\n\n".into()));
        assert_eq!(l(" x\n"), ("|2".into(), "     x\n".into()));
        assert!(literal("a\rb", 4, 2, "\n").is_err());
    }
}
