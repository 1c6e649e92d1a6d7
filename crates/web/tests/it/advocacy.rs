//! Advocacy reports (issue 21, item 2) on both databases: a report is pre-filled with the
//! figures of unmet needs of its period and scope (small counts suppressed); the examples
//! offered come only from the writer's own cases and name no one; drafts are edited with
//! optimistic versions (409 when stale or no longer a draft); a supervisor who did not create
//! it approves it, after which it is kept with its versions; others are refused.

use crate::common::TestServer;
use crate::tasks::{field_codes, get, intake, post, put};
use serde_json::{json, Value};

/// Refers `case` to an outside provider named ad hoc and has the provider decline it for lack
/// of capacity.
pub(crate) async fn declined_referral(server: &TestServer, token: &str, case: &str) {
    let (status, r) = post(
        server,
        token,
        &format!("/api/v1/cases/{case}/referrals"),
        json!({"provider_name": "บ้านพักทดสอบเต็ม", "need": "ที่พักปลอดภัย",
               "requested_service": "รับเข้าบ้านพัก", "urgency": "urgent"}),
    )
    .await;
    assert_eq!(status, 201, "{r}");
    let id = r["id"].as_str().unwrap().to_string();
    let steps = [
        json!({"version": 1, "step": "send"}),
        json!({"version": 2, "step": "decline", "reason": "เต็ม", "reason_code": "no_capacity"}),
    ];
    for s in steps {
        let (status, body) = post(server, token, &format!("/api/v1/referrals/{id}/steps"), s).await;
        assert_eq!(status, 200, "{body}");
    }
}

fn finding<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["content"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == key)
        .unwrap_or_else(|| panic!("{key} missing"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_report_is_prefilled_edited_reviewed_and_kept_with_its_versions() {
    let server = TestServer::accounts_only().await;
    let manager = server.token("demo-manager").await;
    let supervisor = server.token("demo-supervisor").await;
    let analyst = server.token("demo-analyst").await;
    for i in 0..5 {
        let case = server
            .open_case(&manager, &intake(&format!("รายงาน{i}")))
            .await;
        declined_referral(&server, &manager, &case).await;
    }

    // Bad input is refused field by field; nothing is written.
    let (status, p) = post(
        &server,
        &manager,
        "/api/v1/advocacy-reports",
        json!({"kind": "memo", "title": "", "audience": "press", "period": "fy-99999", "province": "xx"}),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    let fields: Vec<String> = field_codes(&p).into_iter().map(|(f, _)| f).collect();
    for f in ["kind", "title", "audience", "period", "province"] {
        assert!(fields.contains(&f.to_string()), "{f} in {fields:?}");
    }
    let (_, list) = get(&server, &manager, "/api/v1/advocacy-reports").await;
    assert_eq!(list.as_array().unwrap().len(), 0);

    // Created: the declined referrals are counted by provider; nothing else happened.
    let (status, created) = post(
        &server,
        &manager,
        "/api/v1/advocacy-reports",
        json!({"kind": "advocacy", "title": "บ้านพักฉุกเฉินไม่พอ", "audience": "executives"}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let path = format!("/api/v1/advocacy-reports/{id}");
    let (_, r) = get(&server, &manager, &path).await;
    assert_eq!(r["status"], "draft");
    assert_eq!(r["version"], 1);
    assert!(r["period"].as_str().unwrap().starts_with("fy-"));
    let declined = finding(&r, "declined_no_capacity");
    assert_eq!(declined["rows"][0]["label"], "บ้านพักทดสอบเต็ม");
    assert_eq!(
        declined["rows"][0]["figure"],
        json!({"kind": "count", "value": 5})
    );
    assert_eq!(finding(&r, "waiting")["rows"], json!([]));

    // Examples: facts from the writer's cases, naming no one; an analyst is on no case.
    let (status, offers) = get(&server, &manager, &format!("{path}/examples")).await;
    assert_eq!(status, 200);
    assert_eq!(offers.as_array().unwrap().len(), 5);
    assert_eq!(offers[0]["kind"], "declined_no_capacity");
    assert!(!offers.to_string().contains("รายงาน0"), "no client's name");
    let (_, none) = get(&server, &analyst, &format!("{path}/examples")).await;
    assert_eq!(none, json!([]));

    // Edited by its writers: a stale version and an unknown figure are refused.
    let edit = |version: i64, findings: Vec<&str>| {
        json!({"version": version, "title": "บ้านพักฉุกเฉินไม่พอรองรับ", "audience": "government",
               "narrative": "ผู้หญิงและเด็กรอที่พักปลอดภัย", "problems": "บ้านพักเต็ม",
               "solutions": "เพิ่มเตียงฉุกเฉิน", "findings": findings,
               "examples": ["หญิง อายุ 30–39 ปี ถูกปฏิเสธเพราะบ้านพักเต็ม", " "]})
    };
    let (status, v) = put(
        &server,
        &manager,
        &path,
        edit(1, vec!["declined_no_capacity"]),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["version"], 2);
    let (status, _) = put(&server, &analyst, &path, edit(1, vec![])).await;
    assert_eq!(status, 409, "a stale version");
    let (status, p) = put(&server, &analyst, &path, edit(2, vec!["rumours"])).await;
    assert_eq!(status, 422);
    assert_eq!(
        field_codes(&p),
        vec![(
            "findings[0]".to_string(),
            "advocacy.finding_unknown".to_string()
        )]
    );
    let (_, r) = get(&server, &manager, &path).await;
    assert_eq!(r["audience"], "government");
    assert_eq!(r["content"]["examples"].as_array().unwrap().len(), 1);
    assert_eq!(finding(&r, "waiting")["included"], false);

    // Submitted: no longer editable; the writer may not approve it, a supervisor returns it
    // only with a reason, then approves it.
    let step = |version: i64, step: &str, reason: &str| json!({"version": version, "step": step, "reason": reason});
    let (status, _) = post(
        &server,
        &manager,
        &format!("{path}/steps"),
        step(2, "submit", ""),
    )
    .await;
    assert_eq!(status, 200);
    let (status, p) = put(&server, &manager, &path, edit(3, vec![])).await;
    assert_eq!(status, 409);
    assert!(
        p["type"].as_str().unwrap().ends_with("/report_not_draft"),
        "{p}"
    );
    let (status, _) = post(
        &server,
        &manager,
        &format!("{path}/steps"),
        step(3, "approve", ""),
    )
    .await;
    assert_eq!(status, 403);
    let (status, p) = post(
        &server,
        &supervisor,
        &format!("{path}/steps"),
        step(3, "return", ""),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(field_codes(&p)[0].0, "reason");
    let (status, p) = post(
        &server,
        &supervisor,
        &format!("{path}/steps"),
        step(3, "publish", ""),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(field_codes(&p)[0].1, "advocacy.step_unknown");
    let (status, v) = post(
        &server,
        &supervisor,
        &format!("{path}/steps"),
        step(3, "approve", ""),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let (_, r) = get(&server, &manager, &path).await;
    assert_eq!(r["status"], "approved");
    assert!(r["approved_at"].is_string());

    // Every change is a version, newest first, each with what it said then.
    let (_, versions) = get(&server, &manager, &format!("{path}/versions")).await;
    let changes: Vec<&str> = versions
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["approve", "submit", "edited", "created"]);
    assert_eq!(versions[3]["title"], "บ้านพักฉุกเฉินไม่พอ");
    assert_eq!(versions[3]["content"]["examples"], json!([]));

    // The page shows it approved, with its history linked.
    let (browser, _) = server.login("demo-manager").await;
    let html = browser
        .get(server.url(&format!("/reports/advocacy/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-status=\"approved\""));
    assert!(html.contains(&format!("/reports/advocacy/{id}/versions/1")));
    assert!(html.contains("id=\"adv-declined_no_capacity-table\""));
    assert!(html.contains("id=\"adv-revise-form\""));

    // Its PDF, over the API and from the page, is a PDF with the report's font embedded.
    let resp = server
        .client()
        .get(server.url(&format!("{path}/pdf")))
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    let pdf = resp.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(pdf.windows(7).any(|w| w == b"Sarabun"));
    let resp = browser
        .get(server.url(&format!("/reports/advocacy/{id}/report.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.bytes().await.unwrap().starts_with(b"%PDF-"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_report_writers_see_reports_and_an_unknown_one_is_not_found() {
    let server = TestServer::accounts_only().await;
    let admin = server.token("demo-admin").await;
    let auditor = server.token("demo-auditor").await;
    let manager = server.token("demo-manager").await;
    for token in [&admin, &auditor] {
        let (status, _) = get(&server, token, "/api/v1/advocacy-reports").await;
        assert_eq!(status, 403);
    }
    let (status, _) = post(
        &server,
        &admin,
        "/api/v1/advocacy-reports",
        json!({"kind": "advocacy", "title": "x", "audience": "executives"}),
    )
    .await;
    assert_eq!(status, 403);
    let unknown = uuid::Uuid::now_v7();
    let (status, _) = get(
        &server,
        &manager,
        &format!("/api/v1/advocacy-reports/{unknown}"),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = get(&server, &manager, "/api/v1/advocacy-reports/not-an-id").await;
    assert_eq!(status, 404);
    // A supervisor may not approve a report she created herself.
    let supervisor = server.token("demo-supervisor").await;
    let (_, created) = post(
        &server,
        &supervisor,
        "/api/v1/advocacy-reports",
        json!({"kind": "community_needs", "title": "ความต้องการของชุมชน", "audience": "community_leaders", "period": "q-2570-1"}),
    )
    .await;
    let path = format!(
        "/api/v1/advocacy-reports/{}",
        created["id"].as_str().unwrap()
    );
    let (status, _) = post(
        &server,
        &supervisor,
        &format!("{path}/steps"),
        json!({"version": 1, "step": "submit"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = post(
        &server,
        &supervisor,
        &format!("{path}/steps"),
        json!({"version": 2, "step": "approve"}),
    )
    .await;
    assert_eq!(status, 403);
}
