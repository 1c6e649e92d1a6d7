//! The inbox (issue 18 item 5): a task assigned, a case transferred and reminders of what falls
//! due reach the right person once, are read through their link, and vanish (count included)
//! when their case can no longer be opened; nobody else can open them.

use crate::common::{self, TestServer};
use crate::tasks::{due_in, get, intake, post};
use serde_json::{json, Value};

async fn unread(server: &TestServer, token: &str) -> i64 {
    let (status, inbox) = get(server, token, "/api/v1/me/notifications").await;
    assert_eq!(status, 200);
    inbox["unread"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_assigned_reaches_the_assignees_inbox_and_nobody_elses() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let psy = server.token("demo-psychologist").await;
    let case = server.open_case(&manager, &intake("แจ้งเตือน")).await;
    let psychologist = server.user_id("demo-psychologist").await.to_string();
    post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/team"),
        json!({"account_id": psychologist}),
    )
    .await;
    let before = unread(&server, &psy).await;
    let (status, created) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/tasks"),
        json!({"title": "ประเมินสภาพจิตใจ", "assignee_id": psychologist, "due": due_in(5)}),
    )
    .await;
    assert_eq!(status, 201);
    let task = created["id"].as_str().unwrap();
    assert_eq!(unread(&server, &psy).await, before + 1);
    let (_, inbox) = get(&server, &psy, "/api/v1/me/notifications?unread=true").await;
    let n = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["entity_id"] == task)
        .expect("the task's notification")
        .clone();
    assert_eq!(n["kind"], "task_assigned");
    assert_eq!(n["actor_name"], "มาลี ศรีสุข");
    assert_eq!(n["href"], format!("/cases/{case}/tasks#task-{task}"));
    let id = n["id"].as_str().unwrap().to_string();
    // The one who assigned it is not told of her own act.
    let (_, mine) = get(&server, &manager, "/api/v1/me/notifications").await;
    assert!(!mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["entity_id"] == task));

    // The page: the badge, the line, and its link marks it read and leads to the task.
    let (web, _) = server.login("demo-psychologist").await;
    let html = web
        .get(server.url("/inbox"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("class=\"nav-badge\""), "the unread badge");
    assert!(html.contains("มาลี ศรีสุข มอบหมายงานให้คุณในรายกรณี"));
    let resp = web
        .get(server.url(&format!("/inbox/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert_eq!(
        common::location(&resp),
        format!("/cases/{case}/tasks#task-{task}")
    );
    assert_eq!(unread(&server, &psy).await, before);
    assert_eq!(server.audit_count("notification.read", "success").await, 1);

    // Someone else's notification is not found, on the page and in the API.
    let (mweb, _) = server.login("demo-manager").await;
    let resp = mweb
        .get(server.url(&format!("/inbox/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let (status, _) = post(
        &server,
        &manager,
        &format!("/api/v1/me/notifications/{id}/read"),
        json!({}),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = post(
        &server,
        &manager,
        "/api/v1/me/notifications/not-an-id/read",
        json!({}),
    )
    .await;
    assert_eq!(status, 404);

    // A second task, then off the team: neither it nor the count is shown any more.
    post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/tasks"),
        json!({"title": "นัดครอบครัว", "assignee_id": psychologist, "due": due_in(6)}),
    )
    .await;
    assert_eq!(unread(&server, &psy).await, before + 1);
    let resp = server
        .client()
        .delete(server.url(&format!("/api/v1/cases/{case}/team/{psychologist}")))
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success());
    assert_eq!(unread(&server, &psy).await, before);
    let (_, all) = get(&server, &psy, "/api/v1/me/notifications").await;
    assert!(!all["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["case_id"] == case.as_str()));
    let resp = web
        .get(server.url(&format!("/inbox/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    assert!(server.audit_count("notification.list", "success").await >= 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_transfer_is_announced_and_reminders_are_written_once_by_any_number_of_jobs() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let supervisor = server.token("demo-supervisor").await;
    let case = server.open_case(&manager, &intake("เตือนความจำ")).await;

    // A promise due tomorrow and a task for an outside person in two days: reminders to the
    // manager, written once however many jobs run at the same time.
    let (status, _) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/promises"),
        json!({"what": "โทรแจ้งผลการประสานงาน", "due": due_in(1)}),
    )
    .await;
    assert_eq!(status, 201);
    let (status, _) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/tasks"),
        json!({"title": "ส่งเอกสาร", "outside_name": "ร.ต.อ. สมชาย", "due": due_in(2)}),
    )
    .await;
    assert_eq!(status, 201);
    let app = server.app.clone();
    let (a, b) = tokio::join!(app.send_reminders(), server.app.send_reminders());
    let written = a.unwrap() + b.unwrap();
    assert!(written >= 2, "{written}");
    assert_eq!(
        server.app.send_reminders().await.unwrap(),
        0,
        "nothing twice"
    );
    let count = |kind: &'static str| {
        let db = server.app.db.clone();
        let case = case.clone();
        async move {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM notification WHERE kind = $1 AND case_id = $2",
            )
            .bind(kind)
            .bind(case)
            .fetch_one(db.read())
            .await
            .unwrap()
        }
    };
    assert_eq!(count("promise_due").await, 1);
    assert_eq!(count("task_due").await, 1);
    let (_, inbox) = get(&server, &manager, "/api/v1/me/notifications?unread=true").await;
    let kinds: Vec<&str> = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["case_id"] == case.as_str())
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"promise_due") && kinds.contains(&"task_due"),
        "{kinds:?}"
    );

    // A transfer without a handover note is refused.
    let (_, file) = get(&server, &manager, &format!("/api/v1/cases/{case}")).await;
    let (status, p) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/transfer"),
        json!({"version": file["version"], "manager_id": server.user_id("demo-supervisor").await, "reason": "ลาคลอด"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(p["errors"][0]["field"], "handover_note");

    // The case transferred to the supervisor: she is told.
    let (_, file) = get(&server, &manager, &format!("/api/v1/cases/{case}")).await;
    let version = file["version"].as_i64().unwrap();
    let supervisor_id = server.user_id("demo-supervisor").await.to_string();
    let (status, v) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/transfer"),
        json!({"version": version, "manager_id": supervisor_id, "reason": "ลาคลอด",
               "handover_note": "นัดเยี่ยมบ้านวันศุกร์ ผู้รับบริการกลัวบิดา อย่าโทรเข้าบ้าน"}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    let (_, inbox) = get(&server, &supervisor, "/api/v1/me/notifications?unread=true").await;
    let transfer: Vec<&Value> = inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "transfer_received" && n["case_id"] == case.as_str())
        .collect();
    assert_eq!(transfer.len(), 1);
    assert_eq!(transfer[0]["href"], format!("/cases/{case}"));

    // She acknowledges the handover note; the manager before her may not, nor twice.
    let (status, handovers) = get(
        &server,
        &supervisor,
        &format!("/api/v1/cases/{case}/handovers"),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        handovers[0]["note"],
        "นัดเยี่ยมบ้านวันศุกร์ ผู้รับบริการกลัวบิดา อย่าโทรเข้าบ้าน"
    );
    assert!(handovers[0]["acknowledged_at"].is_null());
    let ack = format!(
        "/api/v1/handovers/{}/acknowledge",
        handovers[0]["id"].as_str().unwrap()
    );
    let (status, _) = post(&server, &manager, &ack, json!({})).await;
    assert_eq!(status, 403);
    let (sweb, _) = server.login("demo-supervisor").await;
    let html = sweb
        .get(server.url(&format!("/cases/{case}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("class=\"handover-acknowledge\""),
        "the button on the case's overview"
    );
    let (status, _) = post(&server, &supervisor, &ack, json!({})).await;
    assert_eq!(status, 204);
    let (status, p) = post(&server, &supervisor, &ack, json!({})).await;
    assert_eq!(status, 422, "{p}");
    let (_, handovers) = get(
        &server,
        &supervisor,
        &format!("/api/v1/cases/{case}/handovers"),
    )
    .await;
    assert!(!handovers[0]["acknowledged_at"].is_null());

    // Mark all read: nothing unread, on the page too.
    let (status, marked) = post(
        &server,
        &supervisor,
        "/api/v1/me/notifications/read",
        json!({}),
    )
    .await;
    assert_eq!(status, 200);
    assert!(marked["marked"].as_u64().unwrap() >= 1);
    assert_eq!(unread(&server, &supervisor).await, 0);
    let (web, csrf) = server.login("demo-manager").await;
    let resp = web
        .post(server.url("/inbox/read"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let html = web
        .get(server.url("/inbox"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("class=\"nav-badge\""));
    assert!(html.contains("ยังไม่อ่าน 0 รายการ"));
}
