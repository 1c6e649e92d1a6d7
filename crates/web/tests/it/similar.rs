//! Similar closed cases (issue 22 item 3) on SQLite and PostgreSQL: on a generated agency a
//! case's manager sees the nearest closed cases of its type as totals only — what each kind of
//! intervention achieved, why they closed, how long they stayed open — with every figure for
//! fewer than five cases withheld; the read is audited. (Who may read it is the access
//! matrix's row: whoever may open the case.)

use crate::statements::{agency, PASSWORD};
use crate::tasks::get;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_nearest_closed_cases_are_shown_as_totals_only() {
    let server = agency(600, 0).await;
    let manager = server.token("gen-manager-001").await;
    let case: String = sqlx::query_scalar(
        "SELECT c.id FROM case_file c JOIN account a ON a.id = c.manager_id \
         WHERE a.username = 'gen-manager-001' AND c.status = 'implementation' \
         ORDER BY c.id LIMIT 1",
    )
    .fetch_one(server.app.db.read())
    .await
    .unwrap();

    let (status, body) = get(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/similar-cases"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let s = &body["summary"];
    let cases = s["cases"].as_u64().unwrap();
    assert!((5..=50).contains(&cases), "{s}");
    assert!(s["candidates"].as_u64().unwrap() >= cases);
    assert!(s["median_days_open"].as_i64().unwrap() > 0);
    let methods = s["methods"].as_array().unwrap();
    assert!(!methods.is_empty(), "{s}");
    for m in methods {
        assert!(m["cases"].as_u64().unwrap() >= 5, "{m}");
        if let Some(p) = m["achieved_percent"].as_i64() {
            assert!((0..=100).contains(&p));
        }
        if let Some(g) = m["mean_gas"].as_f64() {
            assert!((-2.0..=2.0).contains(&g));
        }
    }
    for r in s["reasons"].as_array().unwrap() {
        match r["count"].as_u64() {
            Some(n) => assert!(n == 0 || n >= 5, "{r}"),
            None => assert!(r["count"].is_null()),
        }
    }
    // No case's id or number anywhere in the answer.
    let text = body.to_string();
    assert!(!text.contains("CM-"), "{text}");
    assert_eq!(server.audit_count("similar.read", "success").await, 1);

    // The page.
    let (browser, _) = server
        .login_with("gen-manager-001", PASSWORD)
        .await
        .unwrap();
    let page = browser
        .get(server.url(&format!("/cases/{case}/similar")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"similar-methods\""));
    assert!(html.contains("id=\"similar-median\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_switch_similar_cases_off_and_on() {
    let server = crate::common::TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let manager = server.token("demo-manager").await;
    let case = server
        .open_case(&manager, &crate::tasks::intake("คล้ายกัน"))
        .await;
    let path = "/api/v1/decision-support/similar-cases";
    let (status, s) = get(&server, &admin, path).await;
    assert_eq!(status, 200);
    assert_eq!(
        (s["enabled"].as_bool(), s["version"].as_i64()),
        (Some(true), Some(0))
    );
    let (status, _) = get(&server, &manager, path).await;
    assert_eq!(status, 403);
    let (status, v) = crate::tasks::put(
        &server,
        &admin,
        path,
        serde_json::json!({"enabled": false, "version": 0}),
    )
    .await;
    assert_eq!((status, v["version"].as_i64()), (200, Some(1)), "{v}");

    // Off: the API says so, the page says so, the screening links to it no more.
    let (status, p) = get(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/similar-cases"),
    )
    .await;
    assert_eq!(status, 409, "{p}");
    assert!(p["type"].as_str().unwrap().ends_with("/similar_off"));
    let (browser, _) = server.login("demo-manager").await;
    let html = browser
        .get(server.url(&format!("/cases/{case}/similar")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"similar-off\""));
    let html = browser
        .get(server.url(&format!("/cases/{case}/screening")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("id=\"similar-link\""));

    // On again (over the version read): answered again.
    let (status, _) = crate::tasks::put(
        &server,
        &admin,
        path,
        serde_json::json!({"enabled": true, "version": 0}),
    )
    .await;
    assert_eq!(status, 409, "a stale version");
    crate::tasks::put(
        &server,
        &admin,
        path,
        serde_json::json!({"enabled": true, "version": 1}),
    )
    .await;
    let (status, _) = get(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/similar-cases"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        server
            .audit_count("similar.settings.update", "success")
            .await,
        2
    );
}
