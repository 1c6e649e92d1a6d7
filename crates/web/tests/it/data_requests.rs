//! Data-subject requests (issue 23 item 4) on SQLite and PostgreSQL: a case manager records a
//! person's requests (refused field by field when wrong; only case managers and supervisors,
//! only about a person on a case they may edit), the register shows them with the due date 30
//! days on and due-soon marked, an access request's export holds the person's record and her
//! case file as JSON and as a PDF, an erasure cannot be marked done and is refused naming its
//! legal ground, once. The pages do the same. Audited throughout.

use crate::common::TestServer;
use crate::tasks::{get, intake, post};
use chrono::Duration;
use serde_json::{json, Value};

fn code(p: &Value) -> Option<&str> {
    p["type"].as_str().and_then(|t| t.rsplit('/').next())
}

fn field_codes(p: &Value) -> Vec<(String, String)> {
    crate::tasks::field_codes(p)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_persons_requests_are_recorded_exported_and_answered() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let case = server.open_case(&manager, &intake("ขอข้อมูล")).await;
    let person: String = sqlx::query_scalar("SELECT person_id FROM case_person WHERE case_id = $1")
        .bind(&case)
        .fetch_one(server.app.db.read())
        .await
        .unwrap();
    let record = format!("/api/v1/persons/{person}/data-requests");
    let today = karuna_thai::calendar::bangkok_date(chrono::Utc::now());

    for who in [
        "demo-admin",
        "demo-psychologist",
        "demo-analyst",
        "demo-auditor",
    ] {
        let t = server.token(who).await;
        let (status, _) = post(
            &server,
            &t,
            &record,
            json!({"kind": "access", "received_on": today.to_string(), "details": "ขอสำเนา"}),
        )
        .await;
        assert_eq!(status, 403, "{who}");
    }
    let (status, p) = post(
        &server,
        &manager,
        &record,
        json!({"kind": "forget-me", "received_on": (today + Duration::days(1)).to_string(), "details": " "}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_codes(&p),
        [
            ("kind".to_string(), "data_request_kind_unknown".to_string()),
            ("received_on".into(), "date_in_future".into()),
            ("details".into(), "required".into())
        ]
    );
    let received = today - Duration::days(25);
    let (status, access) = post(
        &server,
        &manager,
        &record,
        json!({"kind": "access", "received_on": received.to_string(), "details": "ขอสำเนาข้อมูลทั้งหมดที่หน่วยงานเก็บ"}),
    )
    .await;
    assert_eq!(status, 201, "{access}");
    let access = access["id"].as_str().unwrap().to_string();
    let (status, erasure) = post(
        &server,
        &manager,
        &record,
        json!({"kind": "erasure", "received_on": today.to_string(), "details": "ขอให้ลบข้อมูล"}),
    )
    .await;
    assert_eq!(status, 201);
    let erasure = erasure["id"].as_str().unwrap().to_string();

    // The register: open ones first by due date; the access request is due in five days.
    let (status, list) = get(&server, &manager, "/api/v1/data-requests").await;
    assert_eq!(status, 200);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["id"], access.as_str());
    assert_eq!(
        list[0]["due_on"],
        (received + Duration::days(30)).to_string()
    );
    assert_eq!(list[0]["urgency"], "due_soon");
    assert_eq!(list[0]["person_name"], "ขอข้อมูล ทดสอบงาน");
    assert_eq!(list[1]["urgency"], "on_time");
    let supervisor = server.token("demo-supervisor").await;
    let (_, theirs) = get(&server, &supervisor, "/api/v1/data-requests").await;
    assert_eq!(
        theirs.as_array().unwrap().len(),
        2,
        "the unit's supervisor sees them"
    );
    let psychologist = server.token("demo-psychologist").await;
    let (status, _) = get(
        &server,
        &psychologist,
        &format!("/api/v1/data-requests/{access}"),
    )
    .await;
    assert_eq!(status, 403);

    // The access request's export: her record and her case file.
    let (status, x) = get(
        &server,
        &manager,
        &format!("/api/v1/data-requests/{access}/export"),
    )
    .await;
    assert_eq!(status, 200, "{x}");
    assert_eq!(x["person"]["display_name"], "ขอข้อมูล ทดสอบงาน");
    let cases = x["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 1);
    assert!(!cases[0]["sections"].as_array().unwrap().is_empty());
    assert!(
        x.to_string().contains("ทดสอบงานที่มอบหมาย"),
        "the presenting problem is in it"
    );
    let resp = server
        .client()
        .get(server.url(&format!("/api/v1/data-requests/{access}/pdf")))
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    assert!(resp.bytes().await.unwrap().starts_with(b"%PDF"));
    let (status, p) = get(
        &server,
        &manager,
        &format!("/api/v1/data-requests/{erasure}/export"),
    )
    .await;
    assert_eq!((status, code(&p)), (409, Some("data_request_not_access")));

    // Erasure: not "done" (Karuna does not anonymise yet); refused with its ground, once.
    let answer = format!("/api/v1/data-requests/{erasure}/answer");
    let (status, p) = post(
        &server,
        &manager,
        &answer,
        json!({"version": 1, "status": "completed", "note": "ลบแล้ว"}),
    )
    .await;
    assert_eq!((status, code(&p)), (409, Some("erasure_not_available")));
    let (status, p) = post(
        &server,
        &manager,
        &answer,
        json!({"version": 1, "status": "refused", "note": "ต้องเก็บไว้ตามกฎหมาย"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(field_codes(&p)[0].1, "data_request_ground_required");
    let (status, v) = post(
        &server,
        &manager,
        &answer,
        json!({"version": 1, "status": "refused", "ground": "legal_obligation", "note": "ต้องเก็บไว้ตามกฎหมายคุ้มครองเด็ก"}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["version"], 2);
    let (status, p) = post(
        &server,
        &supervisor,
        &answer,
        json!({"version": 2, "status": "refused", "ground": "legal_claims", "note": "x"}),
    )
    .await;
    assert_eq!((status, code(&p)), (409, Some("data_request_answered")));
    let (_, r) = get(
        &server,
        &supervisor,
        &format!("/api/v1/data-requests/{erasure}"),
    )
    .await;
    assert_eq!(r["status"], "refused");
    assert_eq!(r["ground"], "legal_obligation");
    assert_eq!(r["urgency"], Value::Null);

    // The pages: the register, the form refused beside its fields, the PDF download.
    let (c, csrf) = server.login("demo-manager").await;
    let html = c
        .get(server.url("/data-requests"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("ขอข้อมูล ทดสอบงาน"), "{html}");
    assert!(html.contains("badge-warn"), "due soon is marked");
    let html = c
        .get(server.url(&format!("/cases/{case}?tab=persons")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("/persons/{person}/data-requests/new")));
    let resp = c
        .post(server.url(&format!("/persons/{person}/data-requests")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "objection"),
            ("received_on", "2020-01-01"),
            ("details", "คัดค้านการส่งข้อมูล"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains("id=\"received_on-error\""));
    let resp = c
        .get(server.url(&format!("/data-requests/{access}/export.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.bytes().await.unwrap().starts_with(b"%PDF"));

    assert_eq!(
        server.audit_count("data_request.record", "success").await,
        2
    );
    assert_eq!(
        server.audit_count("data_request.export", "success").await,
        3
    );
    assert_eq!(
        server.audit_count("data_request.answer", "success").await,
        1
    );
    assert!(server.audit_count("case.export", "success").await >= 3);
}
