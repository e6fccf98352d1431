//! Grafana's template variables in query text: finding references in every
//! syntax (`$var`, `${var}`, `${var:format}`, `[[var]]`) and interpolating
//! them as Grafana would, remembering where each substituted span came from.

use crate::model::Variable;

/// One variable reference in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference<'a> {
    /// Byte range of the whole reference (`${var:csv}`).
    pub start: usize,
    pub end: usize,
    pub name: &'a str,
    /// `csv` in `${var:csv}` or `[[var:csv]]`.
    pub format: Option<&'a str>,
}

/// Every variable reference, as Grafana's variable regex finds them:
/// `$name`, `[[name(:format)?]]`, `${name(.fieldpath)?(:format)?}`.
pub fn references(text: &str) -> Vec<Reference<'_>> {
    let bytes = text.as_bytes();
    let word_end = |mut i: usize| {
        while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
            i += 1;
        }
        i
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        // Only `$` and `[` can start a reference: jump to the next one.
        match memchr::memchr2(b'$', b'[', &bytes[i..]) {
            Some(n) => i += n,
            None => break,
        }
        match bytes[i] {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                let name_end = word_end(i + 2);
                let Some(close) = text[name_end..].find('}').map(|c| name_end + c) else {
                    i += 1;
                    continue;
                };
                if name_end > i + 2 && matches!(bytes[name_end], b'}' | b':' | b'.') {
                    let rest = &text[name_end..close];
                    let format = rest.split_once(':').map(|(_, f)| f);
                    out.push(Reference {
                        start: i,
                        end: close + 1,
                        name: &text[i + 2..name_end],
                        format,
                    });
                    i = close + 1;
                    continue;
                }
            }
            b'$' => {
                let name_end = word_end(i + 1);
                if name_end > i + 1 {
                    out.push(Reference {
                        start: i,
                        end: name_end,
                        name: &text[i + 1..name_end],
                        format: None,
                    });
                    i = name_end;
                    continue;
                }
            }
            b'[' if bytes.get(i + 1) == Some(&b'[') => {
                let name_end = word_end(i + 2);
                if name_end > i + 2 {
                    let format_end = if bytes.get(name_end) == Some(&b':') {
                        word_end(name_end + 1)
                    } else {
                        name_end
                    };
                    if text[format_end..].starts_with("]]") {
                        out.push(Reference {
                            start: i,
                            end: format_end + 2,
                            name: &text[i + 2..name_end],
                            format: (format_end > name_end)
                                .then(|| &text[name_end + 1..format_end]),
                        });
                        i = format_end + 2;
                        continue;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Grafana's global variables and the values we give them for parsing.
pub fn builtin(name: &str) -> Option<&'static str> {
    Some(match name {
        "__interval" | "__rate_interval" | "__auto" => "1m",
        _ if name.starts_with("__auto_interval") => "1m",
        "__range" => "1h",
        "__interval_ms" | "__rate_interval_ms" => "60000",
        "__range_s" => "3600",
        "__range_ms" => "3600000",
        "__from" | "__to" => "1700000000000",
        "__dashboard" | "__user" | "__org" | "__name" | "__timezone" => "placeholder",
        _ if name.starts_with("__") => "placeholder",
        _ => return None,
    })
}

/// How a variable's value is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Certainty {
    /// Fixed in the dashboard (constant, custom, interval, textbox, built-in).
    Known,
    /// Only known at run time (query, datasource, ad hoc variables); the
    /// dashboard's saved current value, or a placeholder, stands in.
    Unknowable,
}

/// A query after interpolation, with the map back to the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interpolated {
    pub text: String,
    /// (start in output, end in output, start in original, end in original)
    /// of every substitution, in order.
    pub spans: Vec<(usize, usize, usize, usize)>,
    /// Byte offset in the original of the first reference to a variable
    /// whose value is unknowable, if any.
    pub first_unknowable: Option<usize>,
}

impl Interpolated {
    /// The original offset of an offset in the interpolated text (inside a
    /// substitution: the start of the reference).
    pub fn original(&self, offset: usize) -> usize {
        let mut shift: isize = 0;
        for &(out_start, out_end, in_start, in_end) in &self.spans {
            if offset < out_start {
                break;
            }
            if offset < out_end {
                return in_start;
            }
            shift = in_end as isize - out_end as isize;
        }
        (offset as isize + shift).max(0) as usize
    }
}

/// Interpolates `text`. `placeholder` gives the stand-in for an unknowable
/// value, from the text before the reference (`[` → a duration, say).
pub fn interpolate(
    text: &str,
    variables: &[Variable],
    placeholder: &dyn Fn(&str) -> String,
) -> Interpolated {
    let mut out = String::with_capacity(text.len());
    let mut spans = Vec::new();
    let mut first_unknowable = None;
    let mut last = 0;
    for r in references(text) {
        let value = match variables.iter().find(|v| v.name == r.name) {
            Some(v) => {
                let (values, certainty) = values_of(v);
                if certainty == Certainty::Unknowable {
                    first_unknowable.get_or_insert(r.start);
                }
                let all = v
                    .current
                    .as_deref()
                    .is_some_and(|c| c.split(',').any(|x| x == "$__all"));
                match (values, &v.all_value) {
                    // A custom "All" value is used as written.
                    (Some(_), Some(all_value)) if all => all_value.clone(),
                    (Some(values), _) => format_values(&values, r.format, v.multi || v.include_all),
                    (None, _) => placeholder(&text[..r.start]),
                }
            }
            None => match builtin(r.name) {
                Some(v) => v.to_owned(),
                // Undefined: Grafana leaves the text as it is.
                None => continue,
            },
        };
        out.push_str(&text[last..r.start]);
        let out_start = out.len();
        out.push_str(&value);
        spans.push((out_start, out.len(), r.start, r.end));
        last = r.end;
    }
    out.push_str(&text[last..]);
    Interpolated {
        text: out,
        spans,
        first_unknowable,
    }
}

/// The values a variable holds (several when multi-valued) and how sure we are.
pub fn values_of(v: &Variable) -> (Option<Vec<String>>, Certainty) {
    let certainty = match v.r#type.as_str() {
        "constant" | "custom" | "interval" | "textbox" => Certainty::Known,
        _ => Certainty::Unknowable,
    };
    // An interval variable set to "auto" holds `$__auto_interval_<name>`.
    let resolve = |value: &str| match value.strip_prefix('$').and_then(builtin) {
        Some(b) if value.starts_with("$__auto_interval") => b.to_owned(),
        _ => value.to_owned(),
    };
    let current: Option<Vec<String>> = v
        .current
        .as_deref()
        .map(|c| c.split(',').map(resolve).collect::<Vec<_>>())
        .filter(|c: &Vec<String>| !c.is_empty());
    let values = match current {
        Some(c) if c.iter().any(|x| x == "$__all") => Some(match &v.all_value {
            Some(all) => vec![all.clone()],
            None if !v.options.is_empty() => v.options.clone(),
            None => vec![".*".to_owned()],
        }),
        Some(c) => Some(c),
        None => match v.r#type.as_str() {
            "constant" | "textbox" => Some(vec![v.query.clone().unwrap_or_default()]),
            _ => v.options.first().map(|o| vec![o.clone()]),
        },
    };
    (values, certainty)
}

/// Grafana's formats; several values default to a regex alternation, as the
/// Prometheus and Loki datasources format multi-value variables.
fn format_values(values: &[String], format: Option<&str>, multi: bool) -> String {
    let escape = |v: &String| regex_escape(v);
    match format.map(|f| f.split(':').next().unwrap_or(f)) {
        Some("csv") | Some("text") => values.join(","),
        Some("pipe") => values.join("|"),
        Some("raw") => values.join(","),
        Some("doublequote") => values
            .iter()
            .map(|v| format!("\"{v}\""))
            .collect::<Vec<_>>()
            .join(","),
        Some("singlequote") => values
            .iter()
            .map(|v| format!("'{v}'"))
            .collect::<Vec<_>>()
            .join(","),
        Some("regex") => alternation(&values.iter().map(escape).collect::<Vec<_>>()),
        Some("glob") => format!("{{{}}}", values.join(",")),
        _ if multi && values.len() > 1 => {
            alternation(&values.iter().map(escape).collect::<Vec<_>>())
        }
        _ if multi => values.iter().map(escape).collect::<Vec<_>>().join("|"),
        _ => values.join(","),
    }
}

fn alternation(values: &[String]) -> String {
    if values.len() == 1 {
        values[0].clone()
    } else {
        format!("({})", values.join("|"))
    }
}

/// Grafana's regex escaping of variable values (`\` doubled for PromQL strings).
fn regex_escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if "\\^$*+?.()|{}[]".contains(c) {
            out.push_str("\\\\");
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(name: &str, kind: &str, current: Option<&str>) -> Variable {
        Variable {
            pointer: String::new(),
            name: name.into(),
            r#type: kind.into(),
            query: None,
            current: current.map(Into::into),
            multi: false,
            include_all: false,
            all_value: None,
            options: Vec::new(),
        }
    }

    #[test]
    fn finds_every_syntax() {
        let text = "a $x ${y} ${z:csv} [[w]] [[v:raw]] ${f.path:json} $1 $ ${ [[";
        let refs: Vec<_> = references(text)
            .into_iter()
            .map(|r| (r.name, r.format, &text[r.start..r.end]))
            .collect();
        assert_eq!(
            refs,
            [
                ("x", None, "$x"),
                ("y", None, "${y}"),
                ("z", Some("csv"), "${z:csv}"),
                ("w", None, "[[w]]"),
                ("v", Some("raw"), "[[v:raw]]"),
                ("f", Some("json"), "${f.path:json}"),
                ("1", None, "$1"),
            ]
        );
    }

    #[test]
    fn interpolates_and_maps_offsets_back() {
        let vars = [var("ns", "custom", Some("prod")), var("pod", "query", None)];
        let text = "rate(x{ns=\"$ns\", pod=~\"$pod\"}[$__rate_interval]) $undefined";
        let out = interpolate(text, &vars, &|_| "PH".to_owned());
        assert_eq!(out.text, "rate(x{ns=\"prod\", pod=~\"PH\"}[1m]) $undefined");
        assert_eq!(out.first_unknowable, text.find("$pod"));
        // After the first substitution offsets shift by len("prod") - len("$ns") = 1.
        let ns_end = out.text.find("\", pod").expect("present");
        assert_eq!(out.original(ns_end), text.find("\", pod").expect("present"));
        // Inside a substitution: the start of the reference.
        assert_eq!(
            out.original(out.text.find("PH").expect("present") + 1),
            text.find("$pod").expect("present")
        );
        assert_eq!(out.original(out.text.len()), text.len());
    }

    #[test]
    fn multi_value_and_all() {
        let mut v = var("job", "custom", Some("a.b,c"));
        v.multi = true;
        let out = interpolate(
            "{job=~\"$job\"} ${job:pipe} ${job:csv}",
            &[v.clone()],
            &|_| String::new(),
        );
        assert_eq!(out.text, "{job=~\"(a\\\\.b|c)\"} a.b|c a.b,c");
        v.current = Some("$__all".into());
        v.include_all = true;
        v.options = vec!["x".into(), "y".into()];
        assert_eq!(
            interpolate("$job", &[v.clone()], &|_| String::new()).text,
            "(x|y)"
        );
        v.all_value = Some(".+".into());
        assert_eq!(interpolate("$job", &[v], &|_| String::new()).text, ".+");
    }
}
