//! Referrals (issue 19 items 2–5) over the API on both databases: sharing personal data needs
//! the client's consent for sharing (refused with the reason otherwise); the referral follows
//! the provider's answers; the agreement's dates are checked; a service ended early alerts the
//! case manager and the supervisor, who acknowledge it with the action taken; the timeline, the
//! letter (only the shared data), the figures, and nobody outside the case sees any of it.

use crate::common::TestServer;
use crate::tasks::{field_codes, get, intake, post, put};
use serde_json::{json, Value};

fn be(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}/{}/{}", d.day(), d.month(), d.year() + 543)
}

async fn step(server: &TestServer, token: &str, id: &str, body: Value) -> (u16, Value) {
    post(
        server,
        token,
        &format!("/api/v1/referrals/{id}/steps"),
        body,
    )
    .await
}

async fn version(server: &TestServer, token: &str, id: &str) -> i64 {
    let (_, r) = get(server, token, &format!("/api/v1/referrals/{id}")).await;
    r["referral"]["version"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_referral_shares_only_consented_data_and_is_followed_until_the_service_ends() {
    let server = TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let manager = server.token("demo-manager").await;
    let supervisor = server.token("demo-supervisor").await;
    let analyst = server.token("demo-analyst").await;
    let psychologist = server.token("demo-psychologist").await;

    // A shelter in the directory serving Chiang Mai.
    let (_, p) = post(
        &server,
        &admin,
        "/api/v1/resources/providers",
        json!({"name": "บ้านพักทดสอบการส่งต่อ"}),
    )
    .await;
    let provider = p["id"].as_str().unwrap().to_string();
    let (status, s) = post(
        &server,
        &admin,
        &format!("/api/v1/resources/providers/{provider}/services"),
        json!({"name": "ที่พักฉุกเฉินทดสอบ", "categories": ["shelter"], "areas": ["50"]}),
    )
    .await;
    assert_eq!(status, 201, "{s}");
    let service = s["id"].as_str().unwrap().to_string();

    let case = server.open_case(&manager, &intake("สมหญิง")).await;
    let (_, file) = get(&server, &manager, &format!("/api/v1/cases/{case}")).await;
    let client = file["persons"][0]["person"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let referral = |items: Vec<&str>| {
        json!({"service_id": service, "need": "ที่พักปลอดภัยจากผู้กระทำ", "requested_service": "รับเข้าบ้านพักฉุกเฉิน",
               "urgency": "urgent", "shared_items": items, "area_reason": "ใกล้โรงเรียนของบุตร"})
    };

    // Without consent for sharing, sharing is refused with the reason; nothing is written.
    let (status, p) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/referrals"),
        referral(vec!["name", "phone"]),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(
        field_codes(&p),
        vec![(
            "shared_items".to_string(),
            "referral.no_consent_to_share".to_string()
        )]
    );
    let (_, list) = get(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/referrals"),
    )
    .await;
    assert_eq!(list["referrals"].as_array().unwrap().len(), 0);

    // Consent recorded: two items are shared, under consent.
    let (status, c) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/consents"),
        json!({"person_id": client, "purpose": "sharing", "agency": "บ้านพักทดสอบการส่งต่อ", "status": "granted", "evidence_note": "ลงนามในแบบยินยอม"}),
    )
    .await;
    assert!(
        status == 201 || status == 200 || status == 204,
        "{status} {c}"
    );
    let (status, created) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/referrals"),
        referral(vec!["phone", "name"]),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let (_, r) = get(&server, &manager, &format!("/api/v1/referrals/{id}")).await;
    assert_eq!(r["referral"]["status"], "draft");
    assert_eq!(r["referral"]["shared_items"], json!(["name", "phone"]));
    assert_eq!(r["referral"]["sharing_basis"], "consent");
    assert_eq!(r["referral"]["provider_name"], "บ้านพักทดสอบการส่งต่อ");

    // Steps out of order are refused; the process goes on.
    let (status, p) = step(
        &server,
        &manager,
        &id,
        json!({"version": 1, "step": "complete"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(field_codes(&p)[0].1, "referral.step_not_allowed");
    let (status, _) = step(
        &server,
        &manager,
        &id,
        json!({"version": 1, "step": "send"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = step(
        &server,
        &manager,
        &id,
        json!({"version": 1, "step": "accept"}),
    )
    .await;
    assert_eq!(status, 409, "stale version");
    let v = version(&server, &manager, &id).await;
    let (status, p) = step(
        &server,
        &manager,
        &id,
        json!({"version": v, "step": "decline"}),
    )
    .await;
    assert_eq!(status, 422);
    let fields: Vec<String> = field_codes(&p).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, vec!["reason", "reason_code"]);
    let (status, _) = step(
        &server,
        &manager,
        &id,
        json!({"version": v, "step": "accept"}),
    )
    .await;
    assert_eq!(status, 200);

    // The agreement: ending before it starts is refused; then recorded with two check-ins.
    let today = karuna_thai::calendar::bangkok_date(chrono::Utc::now());
    let day = |n: i64| be(today + chrono::Duration::days(n));
    let v = version(&server, &manager, &id).await;
    let (status, p) = put(
        &server,
        &manager,
        &format!("/api/v1/referrals/{id}/agreement"),
        json!({"version": v, "what": "ที่พัก 30 วัน", "contact_person": "คุณสมใจ", "start": day(10), "end": day(1)}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(field_codes(&p).contains(&(
        "end".to_string(),
        "referral.agreement_ends_before_start".to_string()
    )));
    let (status, _) = put(
        &server,
        &manager,
        &format!("/api/v1/referrals/{id}/agreement"),
        json!({"version": v, "what": "ที่พัก 30 วัน พร้อมอาหาร", "frequency": "ทุกวัน", "contact_person": "คุณสมใจ",
               "start": day(0), "end": day(30), "check_ins": [day(7), day(14)]}),
    )
    .await;
    assert_eq!(status, 200);
    let v = version(&server, &manager, &id).await;
    let (status, _) = step(
        &server,
        &manager,
        &id,
        json!({"version": v, "step": "start"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = post(
        &server,
        &manager,
        &format!("/api/v1/referrals/{id}/check-ins"),
        json!({"due": day(7), "delivered": "as_agreed", "client_view": "ปลอดภัยดี นอนหลับได้"}),
    )
    .await;
    assert_eq!(status, 204);
    let (status, p) = post(
        &server,
        &manager,
        &format!("/api/v1/referrals/{id}/check-ins"),
        json!({"due": day(7), "delivered": "as_agreed"}),
    )
    .await;
    assert_eq!(status, 422, "already recorded: {p}");

    // The provider ends the service early: the manager and the supervisor are alerted.
    let v = version(&server, &manager, &id).await;
    let (status, _) = step(
        &server,
        &manager,
        &id,
        json!({"version": v, "step": "end_early", "reason": "บ้านพักเต็ม ย้ายผู้รับบริการออก", "ended_by": "หัวหน้าบ้านพัก",
               "outcome": "ให้ที่พัก 9 วัน"}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, list) = get(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/referrals"),
    )
    .await;
    let alerts = list["alerts"].as_array().unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0]["kind"], "ended_early");
    let alert = alerts[0]["id"].as_str().unwrap().to_string();
    for token in [&supervisor] {
        let (_, inbox) = get(&server, token, "/api/v1/me/notifications?unread=true").await;
        assert!(
            inbox["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["kind"] == "referral_alert" && n["case_id"] == case.as_str()),
            "{inbox}"
        );
    }
    let (status, p) = post(
        &server,
        &manager,
        &format!("/api/v1/referral-alerts/{alert}/acknowledge"),
        json!({"action_taken": " "}),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    let (status, _) = post(
        &server,
        &manager,
        &format!("/api/v1/referral-alerts/{alert}/acknowledge"),
        json!({"action_taken": "ประสานบ้านพักอื่นและนัดเยี่ยมบ้าน"}),
    )
    .await;
    assert_eq!(status, 204);
    let (status, _) = post(
        &server,
        &supervisor,
        &format!("/api/v1/referral-alerts/{alert}/acknowledge"),
        json!({"action_taken": "ซ้ำ"}),
    )
    .await;
    assert_eq!(status, 409);

    // The history, the timeline and the letter.
    let (_, r) = get(&server, &manager, &format!("/api/v1/referrals/{id}")).await;
    let kinds: Vec<&str> = r["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec![
            "created",
            "send",
            "accept",
            "agreement",
            "start",
            "check_in",
            "end_early",
            "alert_acknowledged"
        ]
    );
    assert_eq!(r["referral"]["ended_by"], "หัวหน้าบ้านพัก");
    assert_eq!(r["agreement"]["contact_person"], "คุณสมใจ");
    assert_eq!(r["check_ins"].as_array().unwrap().len(), 2);
    let (_, timeline) = get(&server, &manager, &format!("/api/v1/cases/{case}/timeline")).await;
    assert!(
        timeline
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["kind"] == "referral")
            .count()
            >= 7,
        "{timeline}"
    );
    let (web, _) = server.login("demo-manager").await;
    let letter = web
        .get(server.url(&format!("/referrals/{id}/letter")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(letter.contains("สมหญิง"), "the name is shared");
    assert!(letter.contains("บ้านพักทดสอบการส่งต่อ"));
    assert!(
        !letter.contains("ทดสอบงานที่มอบหมาย"),
        "the presenting problem is not shared"
    );

    // The supervisor's list of referrals being followed has it (in service again later).
    let (status, open) = get(&server, &supervisor, "/api/v1/referrals").await;
    assert_eq!(status, 200);
    assert!(
        !open
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == id.as_str()),
        "ended early is no longer followed: {open}"
    );
    assert!(letter.contains("อ้างถึง"));

    // Reopened with a note; a referral made by mistake is revoked, never deleted.
    let v = version(&server, &manager, &id).await;
    let (status, _) = step(
        &server,
        &manager,
        &id,
        json!({"version": v, "step": "reopen", "reason": "บ้านพักมีที่ว่างแล้ว"}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, open) = get(&server, &supervisor, "/api/v1/referrals").await;
    assert!(
        open.as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == id.as_str()),
        "{open}"
    );
    let (status, _) = get(&server, &analyst, "/api/v1/referrals").await;
    assert_eq!(status, 403);
    let v = version(&server, &manager, &id).await;
    let (status, _) = step(
        &server,
        &manager,
        &id,
        json!({"version": v, "step": "revoke", "reason": "ครอบครัวรับกลับไปดูแล"}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, r) = get(&server, &manager, &format!("/api/v1/referrals/{id}")).await;
    assert_eq!(r["referral"]["status"], "revoked");

    // Figures for a supervisor and an analyst: counts only.
    let (status, f) = get(&server, &analyst, "/api/v1/reports/referrals").await;
    assert_eq!(status, 200, "{f}");
    assert!(f["by_service"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["provider"] == "บ้านพักทดสอบการส่งต่อ" && x["status"] == "revoked"));
    assert_eq!(f["started"], 1);
    let (status, _) = get(&server, &manager, "/api/v1/reports/referrals").await;
    assert_eq!(status, 403);
    let (status, _) = get(
        &server,
        &analyst,
        "/api/v1/reports/referrals?from=2026-13-01",
    )
    .await;
    assert_eq!(status, 422);

    // Nobody outside the case sees the referral, its alerts or its letter.
    let (status, _) = get(&server, &psychologist, &format!("/api/v1/referrals/{id}")).await;
    assert_eq!(status, 403);
    let (status, _) = get(
        &server,
        &analyst,
        &format!("/api/v1/cases/{case}/referrals"),
    )
    .await;
    assert_eq!(status, 403);
    let (_, inbox) = get(&server, &psychologist, "/api/v1/me/notifications").await;
    assert!(!inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["kind"] == "referral_alert"));

    // A service that closes alerts its open referrals.
    let (_, second) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/referrals"),
        referral(vec![]),
    )
    .await;
    let second = second["id"].as_str().unwrap().to_string();
    let (status, _) = step(
        &server,
        &manager,
        &second,
        json!({"version": 1, "step": "send"}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, s) = get(
        &server,
        &admin,
        &format!("/api/v1/resources/services/{service}"),
    )
    .await;
    let mut fields = s["fields"].clone();
    fields["status"] = json!("temporarily_closed");
    let (status, _) = put(
        &server,
        &admin,
        &format!("/api/v1/resources/services/{service}"),
        json!({"version": s["version"], "fields": fields}),
    )
    .await;
    assert_eq!(status, 200);
    let (_, list) = get(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/referrals"),
    )
    .await;
    assert!(list["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a["kind"] == "service_closed" && a["referral_id"] == second.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unanswered_referrals_and_missed_check_ins_are_alerted_once_by_the_job() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let case = server.open_case(&manager, &intake("ไม่ตอบ")).await;
    let (status, created) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/referrals"),
        json!({"provider_name": "มูลนิธิทดสอบ", "provider_contact": "โทร 1300", "need": "อาหาร", "requested_service": "ถุงยังชีพ"}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let (status, _) = step(
        &server,
        &manager,
        &id,
        json!({"version": 1, "step": "send"}),
    )
    .await;
    assert_eq!(status, 200);
    // Its answer falls due in seven days: no reminder yet (three days ahead by default); the
    // reminder job run as if five days later writes one, once.
    server.app.send_reminders().await.unwrap();
    let reminders = || async {
        let (_, inbox) = get(&server, &manager, "/api/v1/me/notifications").await;
        inbox["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "referral_due" && n["entity_id"] == id.as_str())
            .count()
    };
    assert_eq!(reminders().await, 0);
    let soon = karuna_thai::calendar::bangkok_date(chrono::Utc::now()) + chrono::Duration::days(5);
    let until = soon + chrono::Duration::days(3);
    for _ in 0..2 {
        karuna_store::notification::write_reminders(&server.app.db, soon, until)
            .await
            .unwrap();
    }
    assert_eq!(reminders().await, 1);
    // Ten days later, twice (two servers): one alert.
    let later =
        karuna_thai::calendar::bangkok_date(chrono::Utc::now()) + chrono::Duration::days(10);
    let (a, b) = tokio::join!(
        server.app.referral_alerts(later),
        server.app.referral_alerts(later)
    );
    assert_eq!(a.unwrap() + b.unwrap(), 1);
    assert_eq!(server.app.referral_alerts(later).await.unwrap(), 0);
    let (_, list) = get(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/referrals"),
    )
    .await;
    assert_eq!(list["alerts"][0]["kind"], "no_response");
    assert_eq!(list["alerts"][0]["provider_name"], "มูลนิธิทดสอบ");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_followed_referrals_download_as_csv_and_xlsx() {
    let server = TestServer::accounts_only().await;
    let manager = server.token("demo-manager").await;
    let case = server.open_case(&manager, &intake("ส่งต่อดาวน์โหลด")).await;
    let (status, r) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/referrals"),
        json!({"provider_name": "ศูนย์ฟื้นฟูทดสอบ", "need": "ฟื้นฟูจิตใจ",
               "requested_service": "ปรึกษา", "urgency": "routine"}),
    )
    .await;
    assert_eq!(status, 201, "{r}");
    let id = r["id"].as_str().unwrap().to_string();
    let (status, body) = post(
        &server,
        &manager,
        &format!("/api/v1/referrals/{id}/steps"),
        json!({"version": 1, "step": "send"}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (browser, _) = server.login("demo-manager").await;
    let csv = browser
        .get(server.url("/referrals.csv"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[1].starts_with("ศูนย์ฟื้นฟูทดสอบ"));
    let xlsx = browser
        .get(server.url("/referrals.xlsx"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(xlsx.starts_with(b"PK"));
    let (analyst, _) = server.login("demo-analyst").await;
    let resp = analyst
        .get(server.url("/referrals.csv"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
}
