//! Periodic policy reviews (issue 21, item 3) on both databases: a supervisor starts a review
//! of a period with its measures computed for the organisation (small bases suppressed);
//! findings, decisions and actions with an owner and a due date are recorded; an action is
//! tracked to done by its owner even after the review is concluded; a review is compared with
//! the one before it; the cycle says when the next review falls due. Bad input is refused
//! field by field, a second review of a period and a change of a concluded review with 409,
//! and everyone but the owner or a supervisor with 403.

use crate::common::TestServer;
use crate::tasks::{field_codes, get, intake, post, put};
use karuna_thai::calendar::{bangkok_date, fiscal_year_be};
use serde_json::{json, Value};

fn measure<'a>(review: &'a Value, key: &str) -> &'a Value {
    review["measures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["key"] == key)
        .unwrap_or_else(|| panic!("{key} missing"))
}

fn fields(p: &Value) -> Vec<String> {
    field_codes(p).into_iter().map(|(f, _)| f).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_review_is_measured_recorded_tracked_to_done_and_compared() {
    let server = TestServer::accounts_only().await;
    let manager = server.token("demo-manager").await;
    let supervisor = server.token("demo-supervisor").await;
    let analyst = server.token("demo-analyst").await;
    let mut cases = Vec::new();
    for i in 0..5 {
        cases.push(
            server
                .open_case(&manager, &intake(&format!("ทบทวน{i}")))
                .await,
        );
    }
    crate::advocacy::declined_referral(&server, &manager, &cases[0]).await;
    let fy = fiscal_year_be(bangkok_date(chrono::Utc::now()));

    // Bad input is refused field by field; a period not yet begun too; nothing is written.
    let (status, p) = post(
        &server,
        &supervisor,
        "/api/v1/policy-reviews",
        json!({"title": " ", "period": "fy-x"}),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(fields(&p), ["title", "period"]);
    let (status, p) = post(
        &server,
        &supervisor,
        "/api/v1/policy-reviews",
        json!({"title": "ปีหน้า", "period": format!("fy-{}", fy + 1)}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(field_codes(&p)[0].1, "policy.period_future");
    let (status, _) = post(
        &server,
        &manager,
        "/api/v1/policy-reviews",
        json!({"title": "x", "period": format!("fy-{fy}")}),
    )
    .await;
    assert_eq!(status, 403, "only a supervisor starts a review");
    let (_, o) = get(&server, &analyst, "/api/v1/policy-reviews").await;
    assert_eq!(o["reviews"], json!([]));
    assert_eq!(o["cycle_months"], 12);
    assert_eq!(o["next_due"], Value::Null);

    // Last fiscal year: no cases then, every base zero and no value.
    let (status, created) = post(
        &server,
        &supervisor,
        "/api/v1/policy-reviews",
        json!({"title": "ทบทวนปีที่แล้ว", "period": format!("fy-{}", fy - 1)}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let last = format!("/api/v1/policy-reviews/{}", created["id"].as_str().unwrap());
    let (_, r) = get(&server, &analyst, &last).await;
    assert_eq!(r["status"], "open");
    assert_eq!(r["measures"].as_array().unwrap().len(), 14);
    assert_eq!(
        measure(&r, "assessed")["base"],
        json!({"kind": "count", "value": 0})
    );
    assert_eq!(measure(&r, "assessed")["value"], Value::Null);
    assert_eq!(r["previous"], Value::Null);
    let (status, p) = post(
        &server,
        &supervisor,
        "/api/v1/policy-reviews",
        json!({"title": "อีกครั้ง", "period": format!("fy-{}", fy - 1)}),
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        p["type"]
            .as_str()
            .unwrap()
            .ends_with("/review_period_taken"),
        "{p}"
    );

    // Items: an action needs an owner who may read reviews and a due date.
    let items = format!("{last}/items");
    let (status, p) = post(
        &server,
        &supervisor,
        &items,
        json!({"kind": "action", "area": "budget", "text": "", "owner_id": server.user_id("demo-psychologist").await}),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    let codes = field_codes(&p);
    for (f, c) in [
        ("area", "policy.area_unknown"),
        ("text", "required"),
        ("owner_id", "policy.owner_unknown"),
        ("due", "required"),
    ] {
        assert!(
            codes.contains(&(f.to_string(), c.to_string())),
            "{f} {c} in {codes:?}"
        );
    }
    for (kind, area, text) in [
        ("finding", "follow_up", "การติดตามหลังปิดรายกรณีไม่ครบ"),
        ("decision", "follow_up", "ติดตามทุกรายภายใน 3 เดือนหลังปิด"),
    ] {
        let (status, _) = post(
            &server,
            &supervisor,
            &items,
            json!({"kind": kind, "area": area, "text": text}),
        )
        .await;
        assert_eq!(status, 201);
    }
    let manager_id = server.user_id("demo-manager").await;
    let (status, action) = post(
        &server,
        &supervisor,
        &items,
        json!({"kind": "action", "area": "follow_up", "text": "จัดตารางโทรติดตาม",
               "owner_id": manager_id, "due": "2099-03-31"}),
    )
    .await;
    assert_eq!(status, 201, "{action}");
    let action = format!("/api/v1/policy-actions/{}", action["id"].as_str().unwrap());

    // The owner records progress; a stale version is a conflict; another reader may not.
    let (status, v) = post(
        &server,
        &manager,
        &action,
        json!({"version": 1, "status": "in_progress", "note": "เริ่มแล้ว"}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let (status, _) = post(
        &server,
        &manager,
        &action,
        json!({"version": 1, "status": "done"}),
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = post(
        &server,
        &analyst,
        &action,
        json!({"version": 2, "status": "done"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, p) = post(
        &server,
        &manager,
        &action,
        json!({"version": 2, "status": "dropped"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(fields(&p), ["note"]);

    // Concluded with a summary: no more items, but the action is still followed to done.
    let (status, p) = post(
        &server,
        &supervisor,
        &format!("{last}/conclude"),
        json!({"version": 1, "summary": ""}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(fields(&p), ["summary"]);
    let (status, _) = post(
        &server,
        &supervisor,
        &format!("{last}/conclude"),
        json!({"version": 1, "summary": "ปรับขั้นตอนการติดตามหลังปิดรายกรณี"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, p) = post(
        &server,
        &supervisor,
        &items,
        json!({"kind": "finding", "area": "referral", "text": "สาย"}),
    )
    .await;
    assert_eq!(status, 409);
    assert!(p["type"].as_str().unwrap().ends_with("/review_concluded"));
    let (status, _) = post(
        &server,
        &supervisor,
        &format!("{last}/refresh"),
        json!({"version": 2}),
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = post(
        &server,
        &manager,
        &action,
        json!({"version": 2, "status": "done", "note": "โทรครบทุกราย"}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, r) = get(&server, &manager, &last).await;
    assert_eq!(r["status"], "concluded");
    let kinds: Vec<&str> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["finding", "decision", "action"]);
    assert_eq!(r["items"][2]["status"], "done");
    assert_eq!(r["items"][2]["note"], "โทรครบทุกราย");
    assert!(r["items"][2]["done_at"].is_string());
    let resp = server
        .client()
        .get(server.url(&format!("{last}/pdf")))
        .bearer_auth(&analyst)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    assert!(resp.bytes().await.unwrap().starts_with(b"%PDF-"));
    assert_eq!(server.audit_count("policy.export", "success").await, 1);

    // This fiscal year: the five new cases are its base; compared with last year's review.
    let (_, created) = post(
        &server,
        &supervisor,
        "/api/v1/policy-reviews",
        json!({"title": "ทบทวนปีนี้", "period": format!("fy-{fy}")}),
    )
    .await;
    let this = format!("/api/v1/policy-reviews/{}", created["id"].as_str().unwrap());
    let (_, r) = get(&server, &supervisor, &this).await;
    assert_eq!(
        measure(&r, "assessed")["base"],
        json!({"kind": "count", "value": 5})
    );
    assert_eq!(measure(&r, "assessed")["value"], 0);
    // One referral sent (and declined): counted, but too few to show a rate.
    assert_eq!(
        measure(&r, "referrals_completed")["base"],
        json!({"kind": "suppressed"})
    );
    assert_eq!(measure(&r, "referrals_completed")["value"], Value::Null);
    assert_eq!(
        measure(&r, "cases_referred")["value"],
        20,
        "one case in five"
    );
    assert_eq!(
        measure(&r, "days_to_assessment")["base"],
        json!({"kind": "count", "value": 0})
    );
    assert_eq!(r["previous"]["period"], format!("fy-{}", fy - 1));
    let (status, v) = post(
        &server,
        &supervisor,
        &format!("{this}/refresh"),
        json!({"version": 1}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["version"], 2);

    // The overview: the next review falls due a cycle after the latest period; no open action.
    let (status, p) = put(
        &server,
        &supervisor,
        "/api/v1/policy-review-cycle",
        json!({"months": 7}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(field_codes(&p)[0].1, "policy.cycle_unknown");
    let (status, _) = put(
        &server,
        &supervisor,
        "/api/v1/policy-review-cycle",
        json!({"months": 6}),
    )
    .await;
    assert_eq!(status, 204);
    let (_, o) = get(&server, &manager, "/api/v1/policy-reviews").await;
    assert_eq!(o["cycle_months"], 6);
    assert_eq!(o["reviews"].as_array().unwrap().len(), 2);
    assert_eq!(o["reviews"][0]["period"], format!("fy-{fy}"));
    assert_eq!(o["open_actions"], json!([]));
    // This fiscal year ends on 30 September of CE year fy − 543; six months later is March.
    assert_eq!(o["next_due"], format!("{}-03-30", fy - 543 + 1));

    // The page shows the measures beside the previous review's and the concluded action.
    let (browser, _) = server.login("demo-supervisor").await;
    let page = |path: String| {
        let browser = browser.clone();
        let url = server.url(&path);
        async move { browser.get(url).send().await.unwrap().text().await.unwrap() }
    };
    let html = page(this.replace("/api/v1/policy-reviews", "/reports/policy")).await;
    assert!(html.contains("id=\"measures-follow_up\""));
    assert!(html.contains("id=\"policy-previous\""));
    assert!(html.contains("id=\"policy-add\""));
    let html = page(last.replace("/api/v1/policy-reviews", "/reports/policy")).await;
    assert!(html.contains("data-status=\"done\""));
    assert!(html.contains("ปรับขั้นตอนการติดตามหลังปิดรายกรณี"));
    assert!(
        !html.contains("id=\"policy-add\""),
        "concluded: no new items"
    );
    let html = page("/reports/policy".into()).await;
    assert!(html.contains("id=\"policy-list\""));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviews_are_for_report_writers_and_an_unknown_one_is_not_found() {
    let server = TestServer::accounts_only().await;
    let manager = server.token("demo-manager").await;
    for who in ["demo-admin", "demo-auditor", "demo-psychologist"] {
        let token = server.token(who).await;
        let (status, _) = get(&server, &token, "/api/v1/policy-reviews").await;
        assert_eq!(status, 403, "{who}");
    }
    let unknown = uuid::Uuid::now_v7();
    for path in [
        format!("/api/v1/policy-reviews/{unknown}"),
        "/api/v1/policy-reviews/not-an-id".to_string(),
    ] {
        let (status, _) = get(&server, &manager, &path).await;
        assert_eq!(status, 404, "{path}");
    }
    let (status, _) = post(
        &server,
        &manager,
        &format!("/api/v1/policy-actions/{unknown}"),
        json!({"version": 1, "status": "done"}),
    )
    .await;
    assert_eq!(status, 404);
}
