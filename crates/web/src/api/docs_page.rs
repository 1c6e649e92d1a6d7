//! `GET /api/docs`: the OpenAPI document rendered on the server as a plain, accessible HTML
//! page (operations by tag, their parameters, bodies and answers, then the schemas). No
//! script, no web components: it passes axe like every other page and works without
//! JavaScript. The machine-readable document is `/api/openapi.json`.

use crate::api::docs::ApiDoc;
use crate::auth::Visitor;
use crate::pages::{render, Chrome};
use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::Value;
use utoipa::OpenApi;

/// One parameter of an operation.
pub struct DocParam {
    /// Name.
    pub name: String,
    /// `path` or `query`.
    pub place: String,
    /// Its type, readable.
    pub kind: String,
    /// Must be sent.
    pub required: bool,
    /// What it is.
    pub description: String,
}

/// One answer of an operation.
pub struct DocResponse {
    /// HTTP status.
    pub status: String,
    /// What it means.
    pub description: String,
    /// Media type and body type, if any.
    pub body: String,
    /// The schema the body links to, if it is one.
    pub schema: Option<String>,
}

/// One operation.
pub struct DocOp {
    /// `GET`, `POST` …
    pub method: String,
    /// Path template.
    pub path: String,
    /// The operation id (also the anchor).
    pub id: String,
    /// The summary.
    pub summary: String,
    /// Longer description, if any.
    pub description: String,
    /// Needs a token or session.
    pub signed_in: bool,
    /// Parameters.
    pub params: Vec<DocParam>,
    /// The request body's type, if any.
    pub body: Option<String>,
    /// The schema the request body links to, if it is one.
    pub body_schema: Option<String>,
    /// Answers.
    pub responses: Vec<DocResponse>,
}

/// The operations of one tag.
pub struct DocTag {
    /// Tag name (also the anchor).
    pub name: String,
    /// What it covers.
    pub description: String,
    /// Its operations.
    pub ops: Vec<DocOp>,
}

/// One property of a schema.
pub struct DocProp {
    /// Name.
    pub name: String,
    /// Its type, readable.
    pub kind: String,
    /// Must be present.
    pub required: bool,
    /// What it is.
    pub description: String,
}

/// One schema.
pub struct DocSchema {
    /// Name (also the anchor).
    pub name: String,
    /// What it is.
    pub description: String,
    /// Its type when it has no properties (an enum, an array …).
    pub kind: String,
    /// Its properties.
    pub props: Vec<DocProp>,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct DocsPage {
    c: Chrome,
    title: String,
    version: String,
    description: String,
    tags: Vec<DocTag>,
    schemas: Vec<DocSchema>,
}

const METHODS: &[&str] = &["get", "post", "put", "patch", "delete"];

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// Prose of the document as HTML: escaped, with `backticked` spans as `<code>`.
pub fn prose(s: &str) -> String {
    let escaped = s
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    let mut out = String::with_capacity(escaped.len() + 16);
    for (i, part) in escaped.split('`').enumerate() {
        // Odd parts sit between backticks; an unpaired last backtick stays plain text.
        if i % 2 == 1 && escaped.split('`').count() > i + 1 {
            out.push_str("<code>");
            out.push_str(part);
            out.push_str("</code>");
        } else {
            if i % 2 == 1 {
                out.push('`');
            }
            out.push_str(part);
        }
    }
    out
}

/// Document prose (descriptions, summaries) made HTML by `prose`.
fn html(v: &Value) -> String {
    prose(v.as_str().unwrap_or_default())
}

/// The schema name a `$ref` points at.
fn ref_name(v: &Value) -> Option<String> {
    v.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
        .map(str::to_string)
}

/// A readable type: `string (date)`, `array of Case`, `Case | null`, `one of: a, b`.
pub fn type_of(v: &Value) -> String {
    if let Some(name) = ref_name(v) {
        return name;
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(list) = v.get(key).and_then(Value::as_array) {
            let parts: Vec<String> = list.iter().map(type_of).collect();
            return parts.join(if key == "allOf" { " & " } else { " | " });
        }
    }
    if let Some(values) = v.get("enum").and_then(Value::as_array) {
        let parts: Vec<String> = values
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect();
        return format!("one of: {}", parts.join(", "));
    }
    let kinds: Vec<String> = match v.get("type") {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a.iter().map(text).collect(),
        _ => Vec::new(),
    };
    let mut out: Vec<String> = kinds
        .iter()
        .map(|k| match k.as_str() {
            "array" => format!(
                "array of {}",
                v.get("items").map(type_of).unwrap_or_else(|| "any".into())
            ),
            other => match v.get("format").and_then(Value::as_str) {
                Some(f) if other != "null" => format!("{other} ({f})"),
                _ => other.to_string(),
            },
        })
        .collect();
    if out.is_empty() {
        out.push("any".into());
    }
    out.join(" | ")
}

/// The schema name a type links to (the first `$ref` in it), for a link to its definition.
fn linked_schema(v: &Value) -> Option<String> {
    if let Some(name) = ref_name(v) {
        return Some(name);
    }
    for key in ["items", "oneOf", "anyOf", "allOf"] {
        match v.get(key) {
            Some(Value::Array(list)) => {
                if let Some(n) = list.iter().find_map(linked_schema) {
                    return Some(n);
                }
            }
            Some(x @ Value::Object(_)) => {
                if let Some(n) = linked_schema(x) {
                    return Some(n);
                }
            }
            _ => {}
        }
    }
    None
}

fn operation(path: &str, method: &str, op: &Value) -> DocOp {
    let params = op["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| DocParam {
            name: text(&p["name"]),
            place: text(&p["in"]),
            kind: type_of(&p["schema"]),
            required: p["required"].as_bool().unwrap_or(false),
            description: html(&p["description"]),
        })
        .collect();
    let body_schema_value = op["requestBody"]["content"]
        .as_object()
        .and_then(|c| c.values().next())
        .map(|c| c["schema"].clone());
    let mut responses: Vec<DocResponse> = op["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(status, r)| {
            let (body, schema) = match r["content"].as_object().and_then(|c| c.iter().next()) {
                Some((media, c)) => (
                    format!("{media}: {}", type_of(&c["schema"])),
                    linked_schema(&c["schema"]),
                ),
                None => (String::new(), None),
            };
            DocResponse {
                status: status.clone(),
                description: html(&r["description"]),
                body,
                schema,
            }
        })
        .collect();
    responses.sort_by(|a, b| a.status.cmp(&b.status));
    DocOp {
        method: method.to_uppercase(),
        path: path.to_string(),
        id: text(&op["operationId"]),
        summary: html(&op["summary"]),
        description: html(&op["description"]),
        signed_in: op["security"].as_array().is_some_and(|s| !s.is_empty()),
        params,
        body: body_schema_value.as_ref().map(type_of),
        body_schema: body_schema_value.as_ref().and_then(linked_schema),
        responses,
    }
}

fn schema(name: &str, s: &Value) -> DocSchema {
    let required: Vec<&str> = s["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let props = s["properties"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(n, p)| DocProp {
            name: n.clone(),
            kind: type_of(p),
            required: required.contains(&n.as_str()),
            description: html(&p["description"]),
        })
        .collect::<Vec<_>>();
    DocSchema {
        name: name.to_string(),
        description: html(&s["description"]),
        kind: if props.is_empty() {
            type_of(s)
        } else {
            String::new()
        },
        props,
    }
}

/// The document, arranged for reading.
pub fn arrange(doc: &Value) -> (Vec<DocTag>, Vec<DocSchema>) {
    let mut tags: Vec<DocTag> = doc["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| DocTag {
            name: text(&t["name"]),
            description: html(&t["description"]),
            ops: Vec::new(),
        })
        .collect();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for m in METHODS {
            let Some(op) = item.get(*m) else { continue };
            let tag = op["tags"]
                .as_array()
                .and_then(|t| t.first())
                .map(text)
                .unwrap_or_else(|| "other".into());
            let doc_op = operation(path, m, op);
            match tags.iter_mut().find(|t| t.name == tag) {
                Some(t) => t.ops.push(doc_op),
                None => tags.push(DocTag {
                    name: tag,
                    description: String::new(),
                    ops: vec![doc_op],
                }),
            }
        }
    }
    tags.retain(|t| !t.ops.is_empty());
    let schemas = doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(n, s)| schema(n, s))
        .collect();
    (tags, schemas)
}

/// `GET /api/docs`.
pub async fn page(v: Visitor) -> Response {
    let doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null);
    let (tags, schemas) = arrange(&doc);
    let c = Chrome::anonymous(&v.tr, "", "/api/docs");
    render(
        StatusCode::OK,
        &DocsPage {
            c,
            title: text(&doc["info"]["title"]),
            version: text(&doc["info"]["version"]),
            description: html(&doc["info"]["description"]),
            tags,
            schemas,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_escapes_and_marks_code() {
        assert_eq!(
            prose("`GET /x` <b> & `a"),
            "<code>GET /x</code> &lt;b&gt; &amp; `a"
        );
    }

    #[test]
    fn types_read_well() {
        let v = serde_json::json!({"type": ["array", "null"], "items": {"$ref": "#/components/schemas/Case"}});
        assert_eq!(type_of(&v), "array of Case | null");
        assert_eq!(linked_schema(&v).as_deref(), Some("Case"));
    }
}
