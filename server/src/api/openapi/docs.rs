//! `GET /api/docs`: the OpenAPI document as one server-rendered page, every
//! operation by tag, its parameters, bodies, responses and the role it needs.
//! Plain HTML and the studio's stylesheet rules allow: no script at all.

use std::fmt::Write;

use serde_json::{Map, Value};

use crate::html::escape as esc;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The page for `doc` (an OpenAPI document as JSON).
pub fn render(doc: &Value) -> String {
    let title = text(&doc["info"]["title"]);
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{t}</title></head>\n<body style=\"font-family: system-ui, sans-serif; max-width: 70rem; margin: 1rem auto; padding: 0 1rem; line-height: 1.4\">\n\
         <h1>{t} <small>{v}</small></h1>\n<p>The machine-readable document: <a href=\"/api/openapi.json\">/api/openapi.json</a> (OpenAPI {o}).</p>\n{d}\n",
        t = esc(&title),
        v = esc(&text(&doc["info"]["version"])),
        o = esc(&text(&doc["openapi"])),
        d = prose(&text(&doc["info"]["description"])),
    );
    security_schemes(&mut h, doc);
    let ops = operations(doc);
    let tags = tag_order(doc, &ops);
    h.push_str("<nav><h2>Contents</h2><ul>");
    for (tag, _) in &tags {
        let _ = write!(h, "<li><a href=\"#tag-{0}\">{0}</a></li>", esc(tag));
    }
    h.push_str("<li><a href=\"#schemas\">schemas</a></li></ul></nav>\n");
    for (tag, description) in &tags {
        let _ = writeln!(
            h,
            "<section id=\"tag-{0}\"><h2>{0}</h2>{1}",
            esc(tag),
            prose(description)
        );
        for op in ops.iter().filter(|o| &o.tag == tag) {
            operation(&mut h, doc, op);
        }
        h.push_str("</section>\n");
    }
    schemas(&mut h, doc);
    h.push_str("</body></html>\n");
    h
}

struct Op<'a> {
    method: &'a str,
    path: &'a str,
    tag: String,
    op: &'a Value,
}

fn operations(doc: &Value) -> Vec<Op<'_>> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                let tag = op["tags"][0].as_str().unwrap_or("other").to_owned();
                ops.push(Op {
                    method,
                    path,
                    tag,
                    op,
                });
            }
        }
    }
    ops
}

/// The document's tags in their order, then any an operation uses that the
/// document does not declare.
fn tag_order(doc: &Value, ops: &[Op<'_>]) -> Vec<(String, String)> {
    let mut tags: Vec<(String, String)> = doc["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| (text(&t["name"]), text(&t["description"])))
        .filter(|(name, _)| ops.iter().any(|o| &o.tag == name))
        .collect();
    for op in ops {
        if !tags.iter().any(|(name, _)| name == &op.tag) {
            tags.push((op.tag.clone(), String::new()));
        }
    }
    tags
}

fn security_schemes(h: &mut String, doc: &Value) {
    let Some(schemes) = doc["components"]["securitySchemes"].as_object() else {
        return;
    };
    h.push_str("<h2>Authentication</h2><ul>");
    for (name, s) in schemes {
        let how = match text(&s["type"]).as_str() {
            "http" => format!("HTTP {}", text(&s["scheme"])),
            "apiKey" => format!("{} `{}`", text(&s["in"]), text(&s["name"])),
            other => other.to_owned(),
        };
        let _ = write!(
            h,
            "<li><strong>{}</strong> ({}): {}</li>",
            esc(name),
            inline(&how),
            inline(&text(&s["description"]))
        );
    }
    h.push_str("</ul>\n");
}

fn operation(h: &mut String, doc: &Value, o: &Op<'_>) {
    let op = o.op;
    let _ = write!(
        h,
        "<article id=\"{id}\" style=\"border-top: 1px solid #ccc; margin-top: 1rem\">\
         <h3><code>{m} {p}</code> — {s}</h3>\n{d}\n<p><em>Auth:</em> {a}</p>\n",
        id = esc(&text(&op["operationId"])),
        m = o.method.to_ascii_uppercase(),
        p = esc(o.path),
        s = inline(&text(&op["summary"])),
        d = prose(&text(&op["description"])),
        a = auth(doc, op),
    );
    if let Some(params) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
        h.push_str("<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>type</th><th>required</th><th>description</th></tr>");
        for p in params {
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&text(&p["name"])),
                esc(&text(&p["in"])),
                type_of(&p["schema"]),
                if p["required"].as_bool() == Some(true) {
                    "yes"
                } else {
                    "no"
                },
                inline(&text(&p["description"])),
            );
        }
        h.push_str("</table>\n");
    }
    if let Some(body) = op.get("requestBody") {
        let _ = write!(
            h,
            "<h4>Request body{}</h4>{}",
            if body["required"].as_bool() == Some(true) {
                " (required)"
            } else {
                ""
            },
            prose(&text(&body["description"]))
        );
        content(h, &body["content"]);
    }
    h.push_str("<h4>Responses</h4><ul>");
    for (status, r) in op["responses"].as_object().into_iter().flatten() {
        let _ = write!(
            h,
            "<li><strong>{}</strong> {}",
            esc(status),
            inline(&text(&r["description"]))
        );
        for (name, header) in r["headers"].as_object().into_iter().flatten() {
            let _ = write!(
                h,
                " <em>Header</em> <code>{}</code>: {}",
                esc(name),
                inline(&text(&header["description"]))
            );
        }
        content(h, &r["content"]);
        h.push_str("</li>");
    }
    h.push_str("</ul></article>\n");
}

/// Who may call: the operation's security (else the document's), in words.
fn auth(doc: &Value, op: &Value) -> String {
    let security = op.get("security").unwrap_or(&doc["security"]);
    let mut ways: Vec<String> = Vec::new();
    let mut public = false;
    for requirement in security.as_array().into_iter().flatten() {
        match requirement.as_object() {
            Some(r) if !r.is_empty() => {
                ways.extend(r.keys().map(|k| format!("<code>{}</code>", esc(k))))
            }
            _ => public = true,
        }
    }
    match (public, ways.is_empty()) {
        (true, _) | (false, true) => "none (public)".to_owned(),
        (false, false) => format!(
            "{} — the role is in the description above",
            ways.join(" or ")
        ),
    }
}

fn content(h: &mut String, content: &Value) {
    let Some(types) = content.as_object() else {
        return;
    };
    h.push_str("<ul>");
    for (media, c) in types {
        let _ = write!(
            h,
            "<li><code>{}</code>: {}</li>",
            esc(media),
            type_of(&c["schema"])
        );
    }
    h.push_str("</ul>");
}

fn schemas(h: &mut String, doc: &Value) {
    h.push_str("<section id=\"schemas\"><h2>Schemas</h2>\n");
    let empty = Map::new();
    let schemas = doc["components"]["schemas"].as_object().unwrap_or(&empty);
    for (name, s) in schemas {
        let _ = write!(
            h,
            "<article id=\"schema-{0}\"><h3>{0}</h3>{1}",
            esc(name),
            prose(&text(&s["description"]))
        );
        schema_body(h, s);
        h.push_str("</article>\n");
    }
    h.push_str("</section>\n");
}

fn schema_body(h: &mut String, s: &Value) {
    if let Some(props) = s["properties"].as_object() {
        let required: Vec<&str> = s["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        h.push_str(
            "<table><tr><th>field</th><th>type</th><th>required</th><th>description</th></tr>",
        );
        for (field, p) in props {
            let _ = write!(
                h,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(field),
                type_of(p),
                if required.contains(&field.as_str()) {
                    "yes"
                } else {
                    "no"
                },
                inline(&text(&p["description"])),
            );
        }
        h.push_str("</table>");
    } else {
        let _ = write!(h, "<p>{}</p>", type_of(s));
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(parts) = s[key].as_array() {
            let _ = write!(h, "<p>{key}:</p><ul>");
            for part in parts {
                h.push_str("<li>");
                schema_body(h, part);
                h.push_str("</li>");
            }
            h.push_str("</ul>");
        }
    }
}

/// A schema in a few words, with links to the named schemas it uses.
fn type_of(s: &Value) -> String {
    if let Some(r) = s["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap_or(r);
        return format!("<a href=\"#schema-{0}\">{0}</a>", esc(name));
    }
    if let Some(values) = s["enum"].as_array() {
        let values: Vec<String> = values
            .iter()
            .map(|v| format!("<code>{}</code>", esc(&v.to_string())))
            .collect();
        return format!("one of {}", values.join(", "));
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(parts) = s[key].as_array() {
            let parts: Vec<String> = parts.iter().map(type_of).collect();
            let joiner = if key == "allOf" { " and " } else { " | " };
            return parts.join(joiner);
        }
    }
    let types: Vec<String> = match &s["type"] {
        Value::String(t) => vec![t.clone()],
        Value::Array(ts) => ts.iter().map(text).collect(),
        _ => Vec::new(),
    };
    if types.is_empty() {
        return if s.get("properties").is_some() {
            "object".to_owned()
        } else {
            "any JSON".to_owned()
        };
    }
    types
        .iter()
        .map(|t| match t.as_str() {
            "array" => format!("array of {}", type_of(&s["items"])),
            "object" if s.get("properties").is_some() => {
                let fields: Vec<String> = s["properties"]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| format!("<code>{}</code>: {}", esc(k), type_of(v)))
                    .collect();
                format!("{{ {} }}", fields.join(", "))
            }
            other => esc(other),
        })
        .collect::<Vec<_>>()
        .join(" | ")
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Escaped text with the Markdown the descriptions use: `code` and **bold**.
fn inline(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in esc(s).split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{part}</code>");
        } else {
            for (j, bit) in part.split("**").enumerate() {
                if j % 2 == 1 {
                    let _ = write!(out, "<strong>{bit}</strong>");
                } else {
                    out.push_str(bit);
                }
            }
        }
    }
    out
}

/// Paragraphs (blank-line separated) of [`inline`] text.
fn prose(s: &str) -> String {
    s.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| format!("<p>{}</p>", inline(p)))
        .collect()
}
