//! The API's edges: every extractor rejection and router-level error is problem+json in the
//! request's language; client request ids are checked and never reach the audit log; HSTS
//! when cookies are Secure.

use crate::common;

use common::{temp_dir, TestServer};
use karuna_app::Settings;
use karuna_web::WebSettings;
use serde_json::Value;

async fn problem(resp: reqwest::Response, status: u16) -> Value {
    assert_eq!(resp.status().as_u16(), status);
    assert_eq!(resp.headers()["content-type"], "application/problem+json");
    let body: Value = resp.json().await.expect("problem body");
    assert_eq!(body["status"], status);
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()));
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_query_strings_are_field_level_problems_in_the_callers_language() {
    let server = TestServer::demo().await;
    let token = server.token("demo-manager").await;
    let c = server.client();
    for (lang, needle) in [("en", "wrong form"), ("th", "รูปแบบ")] {
        let p = problem(
            c.get(server.url("/api/v1/cases?limit=many&mine=perhaps"))
                .bearer_auth(&token)
                .header("accept-language", lang)
                .send()
                .await
                .unwrap(),
            400,
        )
        .await;
        assert!(p["type"].as_str().unwrap().ends_with("/bad_query"), "{p}");
        let field = &p["errors"][0];
        assert!(
            field["field"] == "limit" || field["field"] == "mine",
            "the field is named: {p}"
        );
        assert_eq!(field["code"], "query.value");
        assert!(
            field["message"].as_str().unwrap().contains(needle),
            "{lang}: {p}"
        );
    }
    // An auditor's date filter.
    let auditor = server.token("demo-auditor").await;
    let p = problem(
        c.get(server.url("/api/v1/audit-events?from=yesterday"))
            .bearer_auth(&auditor)
            .send()
            .await
            .unwrap(),
        400,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "from");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn router_errors_under_api_are_problems() {
    let server = TestServer::demo().await;
    let token = server.token("demo-admin").await;
    let c = server.client();
    // A method the path does not take: axum's bare 405 becomes a problem, Allow kept.
    let resp = c
        .delete(server.url("/api/v1/users"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let allow = resp.headers().get("allow").cloned();
    let p = problem(resp, 405).await;
    assert!(p["type"].as_str().unwrap().ends_with("/method_not_allowed"));
    assert!(allow.is_some(), "Allow header kept");
    // An unknown API path.
    problem(
        c.get(server.url("/api/v1/nothing-here"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    // A path segment that is not UTF-8.
    problem(
        c.get(server.url("/api/v1/users/%FF%FE"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap(),
        404,
    )
    .await;
    // Pages keep their HTML error pages.
    let resp = c.get(server.url("/nothing-here")).send().await.unwrap();
    assert_eq!(resp.status(), 404);
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    server.stop().await;
}

/// Request ids of the audit events written for one request.
async fn audited_request_ids(server: &TestServer, action: &str) -> Vec<Option<String>> {
    sqlx::query_scalar::<_, Option<String>>("SELECT request_id FROM audit_event WHERE action = $1")
        .bind(action)
        .fetch_all(server.app.db.read())
        .await
        .expect("query")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_request_ids_are_checked_and_never_audited() {
    let server = TestServer::demo().await;
    let c = server.client();
    // Unauthenticated API calls are audited (`auth.required`) with the request id.
    let forged = "x\"; DROP TABLE audit_event; --";
    let resp = c
        .get(server.url("/api/v1/me"))
        .header("x-request-id", forged)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let server_id = resp.headers()["x-request-id"].to_str().unwrap().to_string();
    assert!(uuid::Uuid::parse_str(&server_id).is_ok(), "{server_id}");
    assert!(resp.headers().get("x-client-request-id").is_none());

    let good = "client-trace.42_A";
    let resp = c
        .get(server.url("/api/v1/me"))
        .header("x-request-id", good)
        .header("x-client-request-id", "smuggled")
        .send()
        .await
        .unwrap();
    let server_id2 = resp.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_ne!(server_id2, good);
    assert!(uuid::Uuid::parse_str(&server_id2).is_ok());
    assert_eq!(resp.headers()["x-client-request-id"], good);

    let too_long = "a".repeat(65);
    let resp = c
        .get(server.url("/api/v1/me"))
        .header("x-request-id", too_long.as_str())
        .send()
        .await
        .unwrap();
    assert!(resp.headers().get("x-client-request-id").is_none());

    let ids = audited_request_ids(&server, "auth.required").await;
    let ids: Vec<String> = ids.into_iter().flatten().collect();
    assert!(
        ids.contains(&server_id) && ids.contains(&server_id2),
        "{ids:?}"
    );
    for id in &ids {
        assert!(uuid::Uuid::parse_str(id).is_ok(), "audited id {id}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_only_when_cookies_are_secure() {
    let plain = TestServer::demo().await;
    let resp = plain
        .client()
        .get(plain.url("/login"))
        .send()
        .await
        .unwrap();
    assert!(resp.headers().get("strict-transport-security").is_none());
    plain.stop().await;

    let dir = temp_dir();
    let url = common::fresh_database_url(&dir).await;
    let secure = TestServer::start_full(
        url,
        dir,
        true,
        Settings {
            demo: true,
            ..Settings::default()
        },
        WebSettings {
            secure_cookies: true,
            demo: true,
            mail_enabled: false,
            security_contact: None,
        },
    )
    .await;
    for path in ["/login", "/api/openapi.json", "/api/v1/me"] {
        let resp = secure.client().get(secure.url(path)).send().await.unwrap();
        let hsts = resp.headers()["strict-transport-security"]
            .to_str()
            .unwrap();
        assert!(hsts.starts_with("max-age="), "{path}: {hsts}");
    }
    secure.stop().await;
}
