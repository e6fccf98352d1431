//! Turns `jsonschema` validation errors into sentences a person can act on:
//! the field, what is wrong, what is allowed. Shared by the CRD and dashboard checks.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde_json::Value;

use super::field_path;
use crate::validate::finding::pointer_token;

/// One schema deviation, worded; the caller picks code and severity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Issue {
    /// Pointer to the offending value (for an unknown or missing field: to
    /// that field's would-be place, `/spec/foo`).
    pub pointer: String,
    /// The schema keyword that failed (`required`, `type`, `pattern`…).
    pub keyword: &'static str,
    /// The field named by `required` / `additionalProperties`, if any.
    pub field: Option<String>,
    /// What is wrong and what is allowed.
    pub message: String,
    /// How to fix it, when there is something better to say than the message.
    pub fix: Option<String>,
    /// The JSON type of the offending value (`null`, `string`, `object`…).
    pub found: &'static str,
}

impl Issue {
    /// An unknown field, unworded: for callers that group unknown fields
    /// by container and word the group themselves.
    pub(super) fn unknown_field(parent: &str, name: &str, value: &Value) -> Self {
        Self {
            pointer: join(parent, name),
            keyword: "additionalProperties",
            field: Some(name.to_owned()),
            message: String::new(),
            fix: None,
            found: json_type(value),
        }
    }
}

/// How a `pattern` is explained for a field: given the pointer and the
/// pattern, a phrase such as "a duration such as `10m` or `1h30m`".
pub(super) type PatternHint = fn(&str, &str) -> Option<&'static str>;

/// Words every error of `err`, whose instance sits at `prefix` in the
/// document; an `additionalProperties` error yields one issue per unexpected field.
pub(super) fn describe(err: &ValidationError<'_>, prefix: &str, hint: PatternHint) -> Vec<Issue> {
    let at = format!("{prefix}{}", err.instance_path().as_str());
    let field = field_path(&at);
    let value = err.instance();
    let found = json_type(value);
    let issue = |keyword, message: String, fix: Option<String>| Issue {
        pointer: at.clone(),
        keyword,
        field: None,
        message,
        fix,
        found,
    };
    match err.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default().to_owned();
            let full = join(&at, &name);
            vec![Issue {
                pointer: full.clone(),
                keyword: "required",
                field: Some(name.clone()),
                message: if at.is_empty() {
                    format!("the document is missing the required field `{name}`")
                } else {
                    format!("`{field}` is missing the required field `{name}`")
                },
                fix: Some(format!("add `{}`", field_path(&full))),
                found,
            }]
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => unexpected
            .iter()
            .map(|name| {
                let full = join(&at, name);
                Issue {
                    pointer: full.clone(),
                    keyword: "additionalProperties",
                    field: Some(name.clone()),
                    message: if at.is_empty() {
                        format!("`{name}` is not a known top-level field")
                    } else {
                        format!("`{}` is not a known field of `{field}`", field_path(&full))
                    },
                    fix: Some(format!(
                        "remove `{name}`, or check its spelling and indentation"
                    )),
                    found,
                }
            })
            .collect(),
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => article(t.as_str()),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| article(t.as_str()))
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            let fix = match (kind, value.as_ref()) {
                (TypeKind::Single(t), Value::Number(_) | Value::Bool(_))
                    if t.as_str() == "string" =>
                {
                    Some(format!("quote the value: `\"{value}\"`"))
                }
                _ => None,
            };
            vec![issue(
                "type",
                format!("`{field}` must be {expected}, got {}", shown(value)),
                fix,
            )]
        }
        ValidationErrorKind::Enum { options } => vec![issue(
            "enum",
            format!(
                "`{field}` must be one of {}, got {}",
                list(options),
                shown(value)
            ),
            None,
        )],
        ValidationErrorKind::Constant { expected_value } => vec![issue(
            "const",
            format!("`{field}` must be `{expected_value}`, got {}", shown(value)),
            None,
        )],
        ValidationErrorKind::Pattern { pattern } => {
            let allowed = hint(&at, pattern)
                .map(str::to_owned)
                .unwrap_or_else(|| format!("a value matching `{pattern}`"));
            vec![issue(
                "pattern",
                format!("`{field}` must be {allowed}, got {}", shown(value)),
                None,
            )]
        }
        ValidationErrorKind::MaxLength { limit } => vec![issue(
            "maxLength",
            format!(
                "`{field}` is {} characters long; at most {limit} are allowed",
                chars(value)
            ),
            Some(format!("shorten `{field}` to {limit} characters or fewer")),
        )],
        ValidationErrorKind::MinLength { limit } => vec![issue(
            "minLength",
            if chars(value) == 0 {
                format!("`{field}` must not be empty")
            } else {
                format!(
                    "`{field}` is {} characters long; at least {limit} are required",
                    chars(value)
                )
            },
            None,
        )],
        ValidationErrorKind::MaxItems { limit } => vec![issue(
            "maxItems",
            format!(
                "`{field}` has {} items; at most {limit} are allowed",
                items(value)
            ),
            None,
        )],
        ValidationErrorKind::MinItems { limit } => vec![issue(
            "minItems",
            format!(
                "`{field}` has {} items; at least {limit} are required",
                items(value)
            ),
            None,
        )],
        ValidationErrorKind::Minimum { limit } => vec![issue(
            "minimum",
            format!("`{field}` must be at least {limit}, got {value}"),
            None,
        )],
        ValidationErrorKind::Maximum { limit } => vec![issue(
            "maximum",
            format!("`{field}` must be at most {limit}, got {value}"),
            None,
        )],
        ValidationErrorKind::ExclusiveMinimum { limit } => vec![issue(
            "exclusiveMinimum",
            format!("`{field}` must be greater than {limit}, got {value}"),
            None,
        )],
        ValidationErrorKind::ExclusiveMaximum { limit } => vec![issue(
            "exclusiveMaximum",
            format!("`{field}` must be less than {limit}, got {value}"),
            None,
        )],
        ValidationErrorKind::Format { format } => vec![issue(
            "format",
            match format.as_str() {
                "byte" => format!("`{field}` must be base64-encoded data"),
                other => format!("`{field}` must be a valid {other}, got {}", shown(value)),
            },
            None,
        )],
        ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::AnyOf { .. } => {
            vec![issue(
                "oneOf",
                format!(
                    "`{field}` has none of the allowed shapes, got {}",
                    shown(value)
                ),
                None,
            )]
        }
        other => vec![issue(
            other.keyword_static(),
            format!("`{field}`: {err}"),
            None,
        )],
    }
}

trait KeywordStatic {
    fn keyword_static(&self) -> &'static str;
}

impl KeywordStatic for ValidationErrorKind {
    fn keyword_static(&self) -> &'static str {
        match self {
            ValidationErrorKind::UniqueItems => "uniqueItems",
            ValidationErrorKind::MultipleOf { .. } => "multipleOf",
            ValidationErrorKind::OneOfMultipleValid { .. } => "oneOf",
            ValidationErrorKind::Not { .. } => "not",
            ValidationErrorKind::FalseSchema => "falseSchema",
            _ => "other",
        }
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn join(parent: &str, name: &str) -> String {
    format!("{parent}/{}", pointer_token(name))
}

fn article(t: &str) -> String {
    match t {
        "integer" => "an integer".to_owned(),
        "object" => "an object (a mapping)".to_owned(),
        "array" => "an array (a list)".to_owned(),
        "boolean" => "`true` or `false`".to_owned(),
        "null" => "null".to_owned(),
        other => format!("a {other}"),
    }
}

/// "a string (`ten minutes`)", "a number (`42`)", "a list", "null".
pub(super) fn shown(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Number(n) => format!("the number `{n}`"),
        Value::String(s) => format!("`{}`", ellipsis(s, 60)),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a mapping".to_owned(),
    }
}

fn ellipsis(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(max).collect();
        format!("{cut}…")
    }
}

fn list(options: &Value) -> String {
    match options {
        Value::Array(items) => items
            .iter()
            .map(|v| {
                format!(
                    "`{}`",
                    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => format!("`{other}`"),
    }
}

fn chars(value: &Value) -> usize {
    value.as_str().map_or(0, |s| s.chars().count())
}

fn items(value: &Value) -> usize {
    value.as_array().map_or(0, Vec::len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn no_hint(_: &str, _: &str) -> Option<&'static str> {
        None
    }

    fn worded(schema: Value, instance: Value) -> Vec<Issue> {
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft4)
            .build(&schema)
            .expect("schema compiles");
        validator
            .iter_errors(&instance)
            .flat_map(|e| describe(&e, "", no_hint))
            .collect()
    }

    #[test]
    fn common_kinds_read_as_sentences() {
        let schema = json!({"type": "object", "required": ["a"], "additionalProperties": false,
            "properties": {"a": {"type": "string", "maxLength": 3},
                           "b": {"enum": ["x", "y"]}, "c": {"type": "string", "pattern": "^[a-z]+$"},
                           "d": {"type": "integer", "minimum": 1}}});
        let cases: [(Value, &str, &str, &str); 7] = [
            (
                json!({}),
                "/a",
                "required",
                "the document is missing the required field `a`",
            ),
            (
                json!({"a": 12}),
                "/a",
                "type",
                "`a` must be a string, got the number `12`",
            ),
            (
                json!({"a": "long"}),
                "/a",
                "maxLength",
                "`a` is 4 characters long; at most 3 are allowed",
            ),
            (
                json!({"a": "x", "b": "z"}),
                "/b",
                "enum",
                "`b` must be one of `x`, `y`, got `z`",
            ),
            (
                json!({"a": "x", "c": "A1"}),
                "/c",
                "pattern",
                "`c` must be a value matching `^[a-z]+$`, got `A1`",
            ),
            (
                json!({"a": "x", "d": 0}),
                "/d",
                "minimum",
                "`d` must be at least 1, got 0",
            ),
            (
                json!({"a": "x", "e": 1}),
                "/e",
                "additionalProperties",
                "`e` is not a known top-level field",
            ),
        ];
        for (instance, pointer, keyword, message) in cases {
            let issues = worded(schema.clone(), instance.clone());
            assert_eq!(issues.len(), 1, "{instance}: {issues:?}");
            assert_eq!(issues[0].pointer, pointer, "{instance}");
            assert_eq!(issues[0].keyword, keyword, "{instance}");
            assert_eq!(issues[0].message, message, "{instance}");
        }
    }

    #[test]
    fn number_for_string_suggests_quoting() {
        let issues = worded(json!({"type": "string"}), json!(10));
        assert_eq!(issues[0].fix.as_deref(), Some("quote the value: `\"10\"`"));
    }
}
