//! The JSON API: problem+json for every kind of bad input, field-level messages, optimistic
//! concurrency, no partial writes.

use crate::common;

use common::TestServer;
use karuna_app::Ctx;
use serde_json::{json, Value};

async fn admin_token(server: &TestServer) -> String {
    server
        .app
        .issue_token(None, &Ctx::default(), "demo-admin", "test")
        .await
        .unwrap()
        .1
}

async fn problem(resp: reqwest::Response, status: u16) -> Value {
    assert_eq!(resp.status().as_u16(), status);
    assert_eq!(resp.headers()["content-type"], "application/problem+json");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()));
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_bodies_get_specific_problems() {
    let server = TestServer::demo().await;
    let token = admin_token(&server).await;
    let c = server.client();
    let url = server.url("/api/v1/users");

    let p = problem(
        c.post(&url)
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body("{\"username\": ")
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    assert!(p["type"].as_str().unwrap().ends_with("/bad_json"));

    let p = problem(
        c.post(&url)
            .bearer_auth(&token)
            .body("username=x")
            .send()
            .await
            .unwrap(),
        415,
    )
    .await;
    assert!(p["type"].as_str().unwrap().ends_with("/json_required"));

    let p = problem(
        c.post(&url)
            .bearer_auth(&token)
            .json(&json!({"username": 12}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "body");

    // The server answers 413 without reading the rest of the body and
    // closes that connection; a client of its own keeps the closed
    // connection out of the pool the later requests use.
    let big = "x".repeat(2 * 1024 * 1024);
    let resp = server
        .client()
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({ "username": big }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 413);

    let p = problem(
        c.get(server.url("/api/v1/no-such-thing"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    assert!(p["type"].as_str().unwrap().ends_with("/not_found"));
    let p = problem(
        c.get(server.url("/api/v1/users/not-a-uuid"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    assert!(p["type"].as_str().unwrap().ends_with("/not_found"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_fields_are_named_and_nothing_is_written() {
    let server = TestServer::demo().await;
    let token = admin_token(&server).await;
    let c = server.client();
    let before: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM account")
        .fetch_one(server.app.db.read())
        .await
        .unwrap();
    let resp = c
        .post(server.url("/api/v1/users"))
        .bearer_auth(&token)
        .header("accept-language", "en")
        .json(&json!({"username": "A", "display_name": "", "role": "king", "password": "short"}))
        .send()
        .await
        .unwrap();
    let p = problem(resp, 422).await;
    let fields: Vec<(String, String)> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (field, code) in [
        ("username", "username.invalid"),
        ("display_name", "required"),
        ("role", "role.unknown"),
        ("password", "password.too_short"),
    ] {
        assert!(
            fields.contains(&(field.to_string(), code.to_string())),
            "{field} {code} in {fields:?}"
        );
    }
    assert!(p["errors"].as_array().unwrap().iter().all(|e| e["message"]
        .as_str()
        .is_some_and(|m| !m.starts_with("error-"))));
    let after: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM account")
        .fetch_one(server.app.db.read())
        .await
        .unwrap();
    assert_eq!(before, after);

    // A team member needs a profession; a taken username is refused.
    let resp = c
        .post(server.url("/api/v1/users"))
        .bearer_auth(&token)
        .json(&json!({"username": "demo-manager", "display_name": "ซ้ำ", "role": "team_member"}))
        .send()
        .await
        .unwrap();
    let p = problem(resp, 422).await;
    let codes: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["code"].as_str())
        .collect();
    assert!(codes.contains(&"profession.required"), "{codes:?}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_then_update_with_versions() {
    let server = TestServer::demo().await;
    let token = admin_token(&server).await;
    let c = server.client();
    let resp = c
        .post(server.url("/api/v1/users"))
        .bearer_auth(&token)
        .json(&json!({"username": "somchai.s", "display_name": "สมชาย สายใจ", "role": "team_member", "profession": "lawyer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let created: Value = resp.json().await.unwrap();
    let password = created["generated_password"].as_str().unwrap().to_string();
    assert!(password.len() >= 16);
    let id = created["user"]["id"].as_str().unwrap().to_string();
    let version = created["user"]["version"].as_i64().unwrap();
    assert!(server.login_with("somchai.s", &password).await.is_ok());

    let change = json!({"version": version, "display_name": "สมชาย สายใจดี", "role": "team_member", "profession": "lawyer", "active": true});
    let ok = c
        .patch(server.url(&format!("/api/v1/users/{id}")))
        .bearer_auth(&token)
        .json(&change)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    let updated: Value = ok.json().await.unwrap();
    assert_eq!(updated["version"].as_i64().unwrap(), version + 1);
    // The same stale version again: 409, nothing changed.
    let stale = c
        .patch(server.url(&format!("/api/v1/users/{id}")))
        .bearer_auth(&token)
        .json(&change)
        .send()
        .await
        .unwrap();
    problem(stale, 409).await;
    // The earlier state is kept as a revision.
    let revisions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM revision WHERE entity_id = $1")
        .bind(&id)
        .fetch_one(server.app.db.read())
        .await
        .unwrap();
    assert!(revisions >= 1);
    // An admin cannot demote themself.
    let me: Value = c
        .get(server.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let my_id = me["id"].as_str().unwrap();
    let mine: Value = c
        .get(server.url(&format!("/api/v1/users/{my_id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let demote =
        json!({"version": mine["version"], "display_name": "x", "role": "auditor", "active": true});
    let p = problem(
        c.patch(server.url(&format!("/api/v1/users/{my_id}")))
            .bearer_auth(&token)
            .json(&demote)
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["code"], "account.cannot_demote_self");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn problems_follow_the_requested_language() {
    let server = TestServer::demo().await;
    let c = server.client();
    let th: Value = c
        .get(server.url("/api/v1/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(th["title"], "กรุณาเข้าสู่ระบบ");
    let en: Value = c
        .get(server.url("/api/v1/me"))
        .header("accept-language", "en-GB,en;q=0.8")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(en["title"], "Please log in");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_openapi_and_docs() {
    let server = TestServer::demo().await;
    let c = server.client();
    assert_eq!(
        c.get(server.url("/healthz")).send().await.unwrap().status(),
        200
    );
    assert_eq!(
        c.get(server.url("/readyz")).send().await.unwrap().status(),
        200
    );
    let spec: Value = c
        .get(server.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3."));
    // Every API route is documented.
    for s in karuna_web::route_specs()
        .iter()
        .filter(|s| s.kind == karuna_web::RouteKind::Api)
    {
        let op = &spec["paths"][s.path][s.method.to_lowercase()];
        assert!(
            op.is_object(),
            "{} {} missing from the OpenAPI document",
            s.method,
            s.path
        );
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_utf8_and_unknown_fields_are_refused_clearly() {
    let server = TestServer::demo().await;
    let token = admin_token(&server).await;
    let c = server.client();
    let url = server.url("/api/v1/users");
    let bytes: Vec<u8> = b"{\"username\": \"\xff\xfe\"}".to_vec();
    let resp = c
        .post(&url)
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert_eq!(resp.headers()["content-type"], "application/problem+json");
    let unknown =
        json!({"username": "newbie", "display_name": "N", "role": "auditor", "is_superuser": true});
    let p = problem(
        c.post(&url)
            .bearer_auth(&token)
            .json(&unknown)
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert!(
        p["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("is_superuser"),
        "{p}"
    );
    // A form with bad UTF-8: a friendly 400 page.
    let (browser, csrf) = server.login("demo-manager").await;
    let mut body = format!("csrf={csrf}&lang=").into_bytes();
    body.extend_from_slice(b"%FF%FE");
    let resp = browser
        .post(server.url("/profile/preferences"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    assert!(
        resp.status() == 400 || resp.status() == 422,
        "{}",
        resp.status()
    );
    server.stop().await;
}
