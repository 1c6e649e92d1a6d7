//! The OpenAPI document is valid and complete: unique operation ids, every `$ref` resolves,
//! every path parameter declared, every error status a route can answer documented as
//! problem+json. (The e2e stage `e2e/api-fuzz.sh` also runs openapi-spec-validator and
//! schemathesis over the served document.)

use karuna_web::api::docs::ApiDoc;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use utoipa::OpenApi;

fn document() -> Value {
    serde_json::to_value(ApiDoc::openapi()).expect("the document serialises")
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Every (path, method, operation) of the document.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for m in METHODS {
            if let Some(op) = item.get(*m) {
                out.push((path.clone(), m.to_string(), op.clone()));
            }
        }
    }
    out
}

fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                if k == "$ref" {
                    if let Some(s) = x.as_str() {
                        out.push(s.to_string());
                    }
                } else {
                    refs(x, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// Resolves a local JSON pointer (`#/components/schemas/X`).
fn resolve<'a>(doc: &'a Value, pointer: &str) -> Option<&'a Value> {
    let p = pointer.strip_prefix('#')?;
    doc.pointer(p)
}

#[test]
fn operation_ids_are_present_unique_and_descriptive() {
    let doc = document();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    for (path, method, op) in operations(&doc) {
        let id = op["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path} has no operationId"))
            .to_string();
        // utoipa's default is the function's name (snake case): ids must be set by hand,
        // lowerCamelCase, verb first (`listCaseContacts`).
        assert!(
            id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && id.chars().all(|c| c.is_ascii_alphanumeric())
                && id.chars().any(|c| c.is_ascii_uppercase()),
            "{method} {path}: operationId `{id}` is not a descriptive lowerCamelCase id"
        );
        if let Some(other) = seen.insert(id.clone(), format!("{method} {path}")) {
            panic!("operationId `{id}` used by {other} and {method} {path}");
        }
    }
    assert!(seen.len() >= 60, "only {} operations", seen.len());
}

#[test]
fn every_ref_resolves() {
    let doc = document();
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    let missing: BTreeSet<_> = all.iter().filter(|r| resolve(&doc, r).is_none()).collect();
    assert!(missing.is_empty(), "unresolved $ref: {missing:?}");
}

/// Schemas whose `default` is not of their `type` (openapi-spec-validator refuses them).
fn bad_defaults(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            if let (Some(kind), Some(default)) = (map.get("type"), map.get("default")) {
                let kinds: Vec<&str> = match kind {
                    Value::String(s) => vec![s.as_str()],
                    Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                    _ => Vec::new(),
                };
                let actual = match default {
                    Value::Null => "null",
                    Value::Bool(_) => "boolean",
                    Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
                    Value::Number(_) => "number",
                    Value::String(_) => "string",
                    Value::Array(_) => "array",
                    Value::Object(_) => "object",
                };
                let fits =
                    kinds.contains(&actual) || (actual == "integer" && kinds.contains(&"number"));
                if !kinds.is_empty() && !fits {
                    out.push(format!("{at}: default {default} is not {kinds:?}"));
                }
            }
            for (k, x) in map {
                bad_defaults(x, &format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                bad_defaults(x, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_default_fits_its_type() {
    let mut bad = Vec::new();
    bad_defaults(&document(), "#", &mut bad);
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn every_path_parameter_is_declared_and_used() {
    let doc = document();
    for (path, method, op) in operations(&doc) {
        let in_template: BTreeSet<String> = path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
            .map(str::to_string)
            .collect();
        let declared: BTreeSet<String> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "path")
            .map(|p| {
                assert_eq!(
                    p["required"], true,
                    "{method} {path}: path parameters are required"
                );
                p["name"].as_str().unwrap_or_default().to_string()
            })
            .collect();
        assert_eq!(in_template, declared, "{method} {path}: path parameters");
        // Query parameters are not declared twice.
        let names: Vec<_> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| format!("{}:{}", p["in"], p["name"]))
            .collect();
        let unique: BTreeSet<_> = names.iter().collect();
        assert_eq!(
            names.len(),
            unique.len(),
            "{method} {path}: repeated parameter"
        );
    }
}

#[test]
fn error_statuses_are_documented_as_problems() {
    let doc = document();
    assert!(doc["components"]["schemas"]["Problem"].is_object());
    for (path, method, op) in operations(&doc) {
        let responses = op["responses"].as_object().expect("responses");
        let has = |s: &str| responses.contains_key(s);
        let signed_in = op["security"].as_array().is_some_and(|s| !s.is_empty());
        let params = |place: &str| {
            op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|p| p["in"] == place)
        };
        let what = format!("{method} {path}");
        if signed_in {
            assert!(has("401"), "{what}: 401");
        }
        if method != "get" && signed_in {
            assert!(has("403"), "{what}: 403 (CSRF)");
        }
        if params("path") {
            assert!(has("404"), "{what}: 404");
        }
        if params("query") {
            assert!(has("400"), "{what}: 400");
        }
        if op.get("requestBody").is_some() {
            for s in ["400", "413", "415", "422"] {
                assert!(has(s), "{what}: {s}");
            }
        }
        for (status, r) in responses {
            if status.starts_with('4') {
                let schema = &r["content"]["application/problem+json"]["schema"]["$ref"];
                assert_eq!(
                    schema, "#/components/schemas/Problem",
                    "{what}: {status} is not a problem+json Problem"
                );
            }
        }
    }
}

#[test]
fn every_api_route_is_in_the_document_and_nothing_else() {
    let doc = document();
    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .map(|(p, m, _)| (p, m.to_uppercase()))
        .collect();
    let routed: BTreeSet<(String, String)> = karuna_web::route_specs()
        .into_iter()
        .filter(|s| {
            s.kind == karuna_web::RouteKind::Api || matches!(s.path, "/healthz" | "/readyz")
        })
        .map(|s| (s.path.to_string(), s.method.to_string()))
        .collect();
    assert_eq!(documented, routed);
}
