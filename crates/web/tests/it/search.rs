//! Search over HTTP: the page (form without JavaScript, marked and escaped snippets, field
//! errors) and `GET /api/v1/search` (JSON, problem+json for bad input, never a 500).

use crate::common;

use common::{TestServer, DEMO_PASSWORD};
use serde_json::Value;

/// A case of demo-manager with a note that holds markup, so escaping shows.
async fn seed(server: &TestServer) -> String {
    use karuna_app::Ctx;
    let app = &server.app;
    let ctx = Ctx::default();
    let manager = app
        .login("demo-manager", DEMO_PASSWORD, &ctx)
        .await
        .unwrap()
        .user;
    let input = karuna_app::intake::IntakeInput {
        client: karuna_domain::person::PersonInput {
            first_name_th: "ค้นหาทดสอบ".into(),
            ..Default::default()
        },
        consent: karuna_app::intake::ConsentInput {
            status: "granted".into(),
            ..Default::default()
        },
        referral_source: "self".into(),
        presenting_problem: "ทดสอบการค้นหา".into(),
        case_types: vec!["other".into()],
        safety: karuna_domain::case::all_answered(karuna_domain::case::SafetyAnswer::No),
        ..Default::default()
    };
    let created = app.intake(&manager, &ctx, &input).await.unwrap();
    let note = karuna_domain::contact::ContactInput {
        kind: "phone_call".into(),
        date: "01/11/2569".into(),
        note: "ผู้เสียหายได้รับการช่วยเหลือ <script>alert(1)</script> zqxjkv".into(),
        ..Default::default()
    };
    app.add_contact(&manager, &ctx, created.case_id, &note)
        .await
        .unwrap();
    created.case_id.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_search_page() {
    let server = TestServer::demo().await;
    let case_id = seed(&server).await;
    let (c, _) = server.login("demo-manager").await;
    let home = c
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("href=\"/search\""), "a link in the nav");
    let page = c.get(server.url("/search")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("name=\"q\"") && !html.contains("id=\"search-results\""));

    let resp = c
        .get(server.url("/search"))
        .query(&[("q", "zqxjkv ผู้เสียหาย")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("<mark>ผู้เสียหาย</mark>"), "the hit is marked");
    assert!(html.contains(&format!("/cases/{case_id}")));
    assert!(
        (html.contains("&lt;script&gt;") || html.contains("&#60;script&#62;"))
            && !html.contains("<script>alert"),
        "the note's markup is escaped"
    );
    assert!(
        html.contains("value=\"zqxjkv ผู้เสียหาย\""),
        "the query stays in the form"
    );

    // Nothing searchable: the form again with the message beside the field.
    let resp = c
        .get(server.url("/search"))
        .query(&[("q", "!!! ---")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains("s-q-error") && html.contains("กรุณาพิมพ์คำค้น"));
    // A bad date and a bad limit are named, never a 500.
    let resp = c
        .get(server.url("/search"))
        .query(&[("q", "ผู้เสียหาย"), ("from", "31/02/2569"), ("limit", "many")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    // Nothing found is a page that says so.
    let resp = c
        .get(server.url("/search"))
        .query(&[("q", "qqqqqqqqqq")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("ไม่พบรายการ"));
    // A role without case content may not search.
    let (analyst, _) = server.login("demo-analyst").await;
    let resp = analyst.get(server.url("/search")).send().await.unwrap();
    assert_eq!(resp.status(), 403);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_search_api() {
    let server = TestServer::demo().await;
    let case_id = seed(&server).await;
    let (c, _) = server.login("demo-manager").await;
    let get = |q: Vec<(&'static str, String)>| {
        let c = c.clone();
        let url = server.url("/api/v1/search");
        async move {
            c.get(url)
                .query(&q)
                .header("accept-language", "en")
                .send()
                .await
                .unwrap()
        }
    };
    let resp = get(vec![("q", "zqxjkv".into())]).await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["total"], 1);
    assert_eq!(body["items"][0]["case_id"], case_id.as_str());
    assert_eq!(body["items"][0]["kind"], "contact");
    assert!(body["items"][0]["snippet"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["hit"] == true && p["text"] == "zqxjkv"));

    // Empty and punctuation-only queries: 422 problem+json naming the field.
    for q in ["", "   ", "\"\"", "*", ":-()"] {
        let resp = get(vec![("q", q.into())]).await;
        assert_eq!(resp.status(), 422, "{q:?}");
        assert!(resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/problem+json"));
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["errors"][0]["field"], "q");
        assert!(body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Type at least"));
    }
    let resp = get(vec![]).await;
    assert_eq!(resp.status(), 422);
    // User-typed FTS syntax is text; a 10,000-character query is cut and says so.
    for q in [
        "NEAR(zqxjkv)",
        "zqxjkv*",
        "zqx*",
        "-zqxjkv",
        "zqxjkv:*",
        "zqxjkv AND OR NOT",
        "\"zqxjkv",
        "body:zqxjkv",
    ] {
        let resp = get(vec![("q", q.into())]).await;
        assert_eq!(resp.status(), 200, "{q}");
        let body: Value = resp.json().await.unwrap();
        assert!(body["total"].as_i64().unwrap() <= 1, "{q}");
    }
    let resp = get(vec![("q", "zqxjkv ".repeat(1700))]).await;
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["truncated"], true);
    assert_eq!(body["total"], 1);
    // Filters and paging parameters are checked.
    let resp = get(vec![
        ("q", "zqxjkv".into()),
        ("type", "audit".into()),
        ("from", "2569-99-01".into()),
        ("unit", "x".into()),
        ("limit", "abc".into()),
        ("after", "z".into()),
    ])
    .await;
    assert_eq!(resp.status(), 422);
    let body: Value = resp.json().await.unwrap();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["from", "unit", "type", "limit", "after"]);
    let resp = get(vec![("q", "zqxjkv".into()), ("type", "person".into())]).await;
    assert_eq!(resp.json::<Value>().await.unwrap()["total"], 0);
    // Described in the OpenAPI document.
    let doc: Value = c
        .get(server.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["paths"]["/api/v1/search"]["get"].is_object());
    // Others get no hit from this case: the psychologist is not on it.
    let (p, _) = server.login("demo-psychologist").await;
    let resp = p
        .get(server.url("/api/v1/search"))
        .query(&[("q", "zqxjkv")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["total"], 0);
    assert_eq!(body["items"].as_array().unwrap().len(), 0);
    server.stop().await;
}
