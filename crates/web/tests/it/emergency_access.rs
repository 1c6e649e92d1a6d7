//! Break-the-glass (issue 23 item 1) on SQLite and PostgreSQL: a case manager with no part in
//! a case opens it read-only after stating why; its manager and supervisor are told at once;
//! she reads but cannot change it; a supervisor of the case's unit sees every read of the
//! window and marks it justified; closing the window ends the access; a case type the
//! organisation forbids refuses it. The case page offers the form where it refuses.

use crate::common::{csrf_of, TestServer};
use crate::tasks::{get, intake, post, put};
use serde_json::{json, Value};

const DUTY_PASSWORD: &str = "เวรสายด่วน-1300-กลางคืน";

async fn duty_officer(server: &TestServer) -> String {
    let admin = server.token("demo-admin").await;
    let (status, body) = post(
        server,
        &admin,
        "/api/v1/users",
        json!({"username": "duty-1300", "display_name": "เวร สายด่วน", "role": "case_manager", "password": DUTY_PASSWORD}),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    server.token("duty-1300").await
}

/// A problem's code: the last segment of its type.
fn code(p: &Value) -> Option<&str> {
    p["type"].as_str().and_then(|t| t.rsplit('/').next())
}

fn kinds(inbox: &Value) -> Vec<(String, String)> {
    inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["kind"].as_str().unwrap_or_default().to_string(),
                n["href"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_is_opened_read_only_in_an_emergency_told_reviewed_and_closed() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let supervisor = server.token("demo-supervisor").await;
    let duty = duty_officer(&server).await;
    let case = server.open_case(&manager, &intake("ฉุกเฉิน")).await;
    let path = format!("/api/v1/cases/{case}/emergency-access");

    // Not on the case: refused, and no one else may break the glass.
    let (status, _) = get(&server, &duty, &format!("/api/v1/cases/{case}")).await;
    assert_eq!(status, 403);
    for who in [
        "demo-psychologist",
        "demo-admin",
        "demo-analyst",
        "demo-auditor",
    ] {
        let t = server.token(who).await;
        let (status, _) = post(&server, &t, &path, json!({"reason": "ต้องดูรายกรณีนี้ด่วนมาก"})).await;
        assert_eq!(status, 403, "{who}");
    }
    let (status, p) = post(
        &server,
        &manager,
        &path,
        json!({"reason": "ต้องดูรายกรณีนี้ด่วนมาก"}),
    )
    .await;
    assert_eq!(
        (status, code(&p)),
        (409, Some("emergency_not_needed")),
        "{p}"
    );
    let (status, p) = post(&server, &duty, &path, json!({"reason": "ด่วน"})).await;
    assert_eq!(status, 422);
    assert_eq!(p["errors"][0]["code"], "emergency_reason_short");

    // Opened: for three hours, the manager and the supervisor are told.
    let (status, e) = post(
        &server,
        &duty,
        &path,
        json!({"reason": "สายด่วน 1300 แจ้งว่าเด็กหายออกจากบ้าน ต้องการที่อยู่ญาติ"}),
    )
    .await;
    assert_eq!(status, 201, "{e}");
    assert_eq!(e["open"], true);
    let id = e["id"].as_str().unwrap().to_string();
    let opened = chrono::DateTime::parse_from_rfc3339(e["opened_at"].as_str().unwrap()).unwrap();
    let expires = chrono::DateTime::parse_from_rfc3339(e["expires_at"].as_str().unwrap()).unwrap();
    assert_eq!(expires - opened, chrono::Duration::hours(3));
    let href = format!("/emergency-access/{id}");
    for t in [&manager, &supervisor] {
        let (_, inbox) = get(&server, t, "/api/v1/me/notifications?unread=true").await;
        assert!(
            kinds(&inbox).contains(&("emergency_access".to_string(), href.clone())),
            "{inbox}"
        );
    }
    // A second request while the window is open returns the same window.
    let (status, again) = post(&server, &duty, &path, json!({"reason": "อีกครั้ง ขอดูข้อมูลญาติ"})).await;
    assert_eq!((status, again["id"].as_str()), (201, Some(id.as_str())));

    // She reads; she cannot change anything.
    let (status, _) = get(&server, &duty, &format!("/api/v1/cases/{case}")).await;
    assert_eq!(status, 200);
    let (status, _) = post(
        &server,
        &duty,
        &format!("/api/v1/cases/{case}/consultations"),
        json!({"subject": "x", "question": "y"}),
    )
    .await;
    assert_eq!(status, 403);
    // The case is not in her lists.
    let (_, list) = get(&server, &duty, "/api/v1/cases").await;
    assert!(!list.to_string().contains(&case), "{list}");

    // The supervisor reviews it with what was read.
    let (status, lists) = get(&server, &supervisor, "/api/v1/emergency-access").await;
    assert_eq!(status, 200);
    assert_eq!(lists["to_review"][0]["id"], id.as_str());
    let (status, d) = get(
        &server,
        &supervisor,
        &format!("/api/v1/emergency-access/{id}"),
    )
    .await;
    assert_eq!(status, 200, "{d}");
    assert_eq!(d["can_review"], true);
    let actions: Vec<&str> = d["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"case.emergency_access"), "{actions:?}");
    assert!(actions.contains(&"case.read"), "{actions:?}");
    // The reader and the case's manager see it, but neither reviews; no one else sees it.
    for t in [&duty, &manager] {
        let (status, d) = get(&server, t, &format!("/api/v1/emergency-access/{id}")).await;
        assert_eq!((status, d["can_review"].as_bool()), (200, Some(false)));
    }
    let review = format!("/api/v1/emergency-access/{id}/review");
    let (status, _) = post(
        &server,
        &duty,
        &review,
        json!({"version": 1, "review": "justified"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = post(
        &server,
        &manager,
        &review,
        json!({"version": 1, "review": "justified"}),
    )
    .await;
    assert_eq!(status, 403);
    let psy = server.token("demo-psychologist").await;
    let (status, _) = get(&server, &psy, &format!("/api/v1/emergency-access/{id}")).await;
    assert_eq!(status, 404);
    let (status, p) = post(
        &server,
        &supervisor,
        &review,
        json!({"version": 1, "review": "unjustified"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(p["errors"][0]["field"], "note");
    let (status, v) = post(
        &server,
        &supervisor,
        &review,
        json!({"version": 1, "review": "justified", "note": "เด็กพบแล้ว"}),
    )
    .await;
    assert_eq!((status, v["version"].as_i64()), (200, Some(2)), "{v}");
    let (status, _) = post(
        &server,
        &supervisor,
        &review,
        json!({"version": 2, "review": "unjustified", "note": "เปลี่ยนใจ"}),
    )
    .await;
    assert_eq!(status, 409);

    // Closed early: the access ends with it.
    let end = format!("/api/v1/emergency-access/{id}/end");
    let resp = server
        .client()
        .post(server.url(&end))
        .bearer_auth(&duty)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    let (status, _) = get(&server, &duty, &format!("/api/v1/cases/{case}")).await;
    assert_eq!(status, 403);
    let resp = server
        .client()
        .post(server.url(&end))
        .bearer_auth(&duty)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 409);

    // Every step is in the audit trail.
    assert_eq!(
        server.audit_count("case.emergency_access", "success").await,
        1
    );
    assert_eq!(
        server
            .audit_count("emergency_access.review", "success")
            .await,
        1
    );
    assert_eq!(
        server.audit_count("emergency_access.end", "success").await,
        1
    );
    assert!(server.audit_count("case.emergency_access", "denied").await >= 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forbidden_case_type_refuses_and_the_settings_are_the_administrators() {
    let server = TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let manager = server.token("demo-manager").await;
    let duty = duty_officer(&server).await;
    let case = server.open_case(&manager, &intake("ต้องห้าม")).await;

    let (status, s) = get(&server, &duty, "/api/v1/emergency-access-settings").await;
    assert_eq!(status, 200);
    assert_eq!(
        (s["hours"].as_i64(), s["version"].as_i64()),
        (Some(3), Some(0))
    );
    let settings = "/api/v1/emergency-access-settings";
    let (status, _) = put(
        &server,
        &manager,
        settings,
        json!({"version": 0, "hours": 2}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, p) = put(
        &server,
        &admin,
        settings,
        json!({"version": 0, "hours": 0, "forbidden_types": ["nope"]}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(p["errors"].as_array().unwrap().len(), 2, "{p}");
    let (status, v) = put(
        &server,
        &admin,
        settings,
        json!({"version": 0, "hours": 2, "forbidden_types": ["other"]}),
    )
    .await;
    assert_eq!((status, v["version"].as_i64()), (200, Some(1)), "{v}");
    let (status, _) = put(&server, &admin, settings, json!({"version": 0, "hours": 2})).await;
    assert_eq!(status, 409);

    let (status, p) = post(
        &server,
        &duty,
        &format!("/api/v1/cases/{case}/emergency-access"),
        json!({"reason": "สายด่วน 1300 แจ้งเหตุด่วนเรื่องนี้"}),
    )
    .await;
    assert_eq!(
        (status, code(&p)),
        (409, Some("emergency_forbidden")),
        "{p}"
    );
    assert_eq!(
        server.audit_count("case.emergency_access", "denied").await,
        1
    );
    assert_eq!(
        server
            .audit_count("emergency_access.configure", "success")
            .await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_case_page_offers_emergency_access_where_it_refuses() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    duty_officer(&server).await;
    let case = server.open_case(&manager, &intake("หน้าเว็บ")).await;
    let number: String = sqlx::query_scalar("SELECT number FROM case_file WHERE id = $1")
        .bind(&case)
        .fetch_one(server.app.db.read())
        .await
        .unwrap();
    let (browser, csrf) = server.login_with("duty-1300", DUTY_PASSWORD).await.unwrap();

    let page = browser
        .get(server.url(&format!("/cases/{case}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 403);
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"emergency-case-form\""), "{html}");
    let form_csrf = csrf_of(&html).unwrap_or(csrf.clone());

    // A reason too short is a field error on the same form.
    let resp = browser
        .post(server.url(&format!("/cases/{case}/emergency-access")))
        .form(&[("csrf", form_csrf.as_str()), ("reason", "ด่วน")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("id=\"reason-error\""));

    // By number, from the emergency page: the case opens with the banner.
    let resp = browser
        .post(server.url("/emergency-access"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("case", number.as_str()),
            ("reason", "สายด่วน 1300 แจ้งเหตุ ต้องการเบอร์ติดต่อญาติ"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let html = browser
        .get(server.url(&format!("/cases/{case}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"emergency-banner\""), "{html}");
    let list = browser
        .get(server.url("/emergency-access"))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
    assert!(list.text().await.unwrap().contains(&number));

    // An unknown number is a field error.
    let resp = browser
        .post(server.url("/emergency-access"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("case", "CM-0000-999999"),
            ("reason", "สายด่วน 1300 แจ้งเหตุด่วน"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("id=\"case-error\""));

    // The supervisor reviews it on its page.
    let (sup, sup_csrf) = server.login("demo-supervisor").await;
    let (_, lists) = get(
        &server,
        &server.token("demo-supervisor").await,
        "/api/v1/emergency-access",
    )
    .await;
    let id = lists["to_review"][0]["id"].as_str().unwrap().to_string();
    let page = sup
        .get(server.url(&format!("/emergency-access/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains("id=\"emergency-reads\""));
    let resp = sup
        .post(server.url(&format!("/emergency-access/{id}/review")))
        .form(&[
            ("csrf", sup_csrf.as_str()),
            ("version", "1"),
            ("review", "justified"),
            ("note", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);

    // The administrators' settings page.
    let (adm, adm_csrf) = server.login("demo-admin").await;
    let page = adm
        .get(server.url("/admin/emergency-access"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let resp = adm
        .post(server.url("/admin/emergency-access"))
        .form(&[
            ("csrf", adm_csrf.as_str()),
            ("version", "0"),
            ("hours", "99"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("id=\"hours-error\""));
}
