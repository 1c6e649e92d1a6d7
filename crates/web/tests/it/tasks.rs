//! Tasks of the case team (issue 18 item 2): assigned only to someone who may open the case
//! (or to a named outside person whom the case manager follows up), changed by the assignee or
//! whoever steers the case, listed as "my tasks" (overdue first) and as a unit's tasks, and
//! never seen (not even as a count) by anyone who may not open the case.

use crate::common;

use common::{csrf_of, TestServer};
use serde_json::{json, Value};

pub(crate) fn intake(name: &str) -> Value {
    json!({
        "client": {"first_name_th": name, "last_name_th": "ทดสอบงาน", "birth_year": "2530"},
        "documents": [{"kind": "none"}],
        "consent": {"lawful_basis": "vital_interest"},
        "referral_source": "self", "presenting_problem": "ทดสอบงานที่มอบหมาย",
        "safety": common::no_risk(),
        "case_types": ["other"],
    })
}

/// A future date in the Buddhist era, `days` from today (Bangkok).
pub(crate) fn due_in(days: i64) -> String {
    let d = karuna_thai::calendar::bangkok_date(chrono::Utc::now()) + chrono::Duration::days(days);
    use chrono::Datelike;
    format!("{}/{}/{}", d.day(), d.month(), d.year() + 543)
}

async fn new_colleague(server: &TestServer, username: &str, role: &str) -> String {
    let admin = server.token("demo-admin").await;
    let resp = server
        .client()
        .post(server.url("/api/v1/users"))
        .bearer_auth(&admin)
        .json(&json!({"username": username, "display_name": format!("{username} ทดสอบ"), "role": role, "profession": "nurse"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());
    resp.json::<Value>().await.unwrap()["user"]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

pub(crate) async fn post(
    server: &TestServer,
    token: &str,
    path: &str,
    body: Value,
) -> (u16, Value) {
    let resp = server
        .client()
        .post(server.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn put(server: &TestServer, token: &str, path: &str, body: Value) -> (u16, Value) {
    let resp = server
        .client()
        .put(server.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

pub(crate) async fn get(server: &TestServer, token: &str, path: &str) -> (u16, Value) {
    let resp = server
        .client()
        .get(server.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

pub(crate) fn field_codes(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| {
                    (
                        e["field"].as_str().unwrap_or("").to_string(),
                        e["code"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn count(server: &TestServer, table: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(server.app.db.read())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tasks_go_only_to_people_who_may_open_the_case_and_are_followed_to_done() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let case = server.open_case(&manager, &intake("งานหนึ่ง")).await;
    let nurse_id = new_colleague(&server, "nurse.task", "team_member").await;
    let nurse = server.token("nurse.task").await;
    let tasks_path = format!("/api/v1/cases/{case}/tasks");

    // Not on the case: refused with the reason, nothing written.
    let before = count(&server, "task").await;
    let (status, p) = post(
        &server,
        &manager,
        &tasks_path,
        json!({"title": "เยี่ยมบ้าน", "assignee_id": nurse_id, "due": due_in(3)}),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(
        field_codes(&p),
        vec![("assignee_id".into(), "task.assignee_cannot_open".into())]
    );
    assert!(p["errors"][0]["message"].as_str().unwrap().contains("ทีม"));
    assert_eq!(count(&server, "task").await, before, "nothing half-written");

    // Every field's problem at once: no one, a past date, an unknown priority, a title too long.
    let (status, p) = post(
        &server,
        &manager,
        &tasks_path,
        json!({"title": "ก".repeat(201), "due": "1/1/2560", "priority": "asap"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_codes(&p),
        vec![
            ("title".into(), "too_long".into()),
            ("assignee_id".into(), "task.assignee_required".into()),
            ("due".into(), "task.due_past".into()),
            ("priority".into(), "task.priority_unknown".into()),
        ]
    );
    // A year in the wrong era (2026 read as Buddhist is 1483): a date error, not a 500.
    let (status, p) = post(
        &server,
        &manager,
        &tasks_path,
        json!({"title": "x", "assignee_id": nurse_id, "due": "10/12/1483"}),
    )
    .await;
    assert_eq!(status, 422, "{p}");
    assert_eq!(field_codes(&p)[0].0, "due");

    // On the team, the nurse gets the task; HTML in the title is kept as text.
    let (status, _) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/team"),
        json!({"account_id": nurse_id}),
    )
    .await;
    assert!(status == 200 || status == 201 || status == 204, "{status}");
    let (status, created) = post(
        &server,
        &manager,
        &tasks_path,
        json!({"title": "<script>alert(1)</script> เยี่ยมบ้าน", "details": "พร้อมครูประจำชั้น",
               "assignee_id": nurse_id, "due": due_in(3), "priority": "high"}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let task = created["id"].as_str().unwrap().to_string();
    // And one for an outside police officer, followed up by the case manager.
    let (status, _) = post(
        &server,
        &manager,
        &tasks_path,
        json!({"title": "ส่งสำเนาบันทึกประจำวัน", "outside_name": "ร.ต.อ. สมชาย",
               "outside_organisation": "สภ.เมือง พนักงานสอบสวน", "due": due_in(1), "priority": "urgent"}),
    )
    .await;
    assert_eq!(status, 201);

    // The nurse sees hers only; the manager sees the outside person's (she follows it up).
    let (_, mine) = get(&server, &nurse, "/api/v1/tasks").await;
    let mine = mine.as_array().unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["id"], task.as_str());
    assert_eq!(mine[0]["priority"], "high");
    assert_eq!(mine[0]["can_progress"], true);
    assert_eq!(
        mine[0]["can_steer"], false,
        "the assignee does not cancel it"
    );
    let (_, managers) = get(&server, &manager, "/api/v1/tasks").await;
    assert_eq!(managers.as_array().unwrap().len(), 1);
    assert_eq!(managers[0]["outside_name"], "ร.ต.อ. สมชาย");

    // The nurse may not cancel it (403) but starts it and marks it done; a stale version is 409.
    let change = format!("/api/v1/tasks/{task}");
    let (status, _) = post(
        &server,
        &nurse,
        &change,
        json!({"version": 1, "action": "cancel", "reason": "ไม่ใช่งานของฉัน"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, v) = post(
        &server,
        &nurse,
        &change,
        json!({"version": 1, "action": "start"}),
    )
    .await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["version"], 2);
    let (status, _) = post(
        &server,
        &nurse,
        &change,
        json!({"version": 1, "action": "done"}),
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = post(
        &server,
        &nurse,
        &change,
        json!({"version": 2, "action": "done", "reason": "เยี่ยมแล้ว ครอบครัวให้ความร่วมมือ"}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, p) = post(
        &server,
        &nurse,
        &change,
        json!({"version": 3, "action": "done"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_codes(&p),
        vec![("action".into(), "task.not_active".into())]
    );
    let (status, detail) = get(&server, &manager, &change).await;
    assert_eq!(status, 200);
    assert_eq!(detail["status"], "done");
    assert_eq!(detail["status_reason"], "เยี่ยมแล้ว ครอบครัวให้ความร่วมมือ");
    let kinds: Vec<&str> = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["created", "started", "done"]);
    let (_, mine) = get(&server, &nurse, "/api/v1/tasks").await;
    assert!(mine.as_array().unwrap().is_empty(), "done is off the list");
    let (_, done) = get(&server, &nurse, "/api/v1/tasks?status=done").await;
    assert_eq!(done.as_array().unwrap().len(), 1);

    // The manager reopens it (with a reason) and reassigns it; a deactivated colleague is refused.
    let (status, _) = post(
        &server,
        &manager,
        &change,
        json!({"version": 3, "action": "reopen", "reason": "ต้องเยี่ยมซ้ำ"}),
    )
    .await;
    assert_eq!(status, 200);
    server
        .app
        .db
        .execute_on_writer("UPDATE account SET active = 0 WHERE username = 'nurse.task'")
        .await
        .unwrap();
    let (status, p) = post(
        &server,
        &manager,
        &tasks_path,
        json!({"title": "อีกงาน", "assignee_id": nurse_id, "due": due_in(2)}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_codes(&p),
        vec![("assignee_id".into(), "task.assignee_inactive".into())]
    );
    let supervisor_id = server.user_id("demo-supervisor").await.to_string();
    let (status, _) = post(
        &server,
        &manager,
        &change,
        json!({"version": 4, "action": "reassign", "assignee_id": supervisor_id}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, p) = post(
        &server,
        &manager,
        &change,
        json!({"version": 5, "action": "reschedule", "due": due_in(5)}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(field_codes(&p), vec![("reason".into(), "required".into())]);

    // The supervisor sees it among her unit's tasks.
    let supervisor = server.token("demo-supervisor").await;
    let (status, unit) = get(&server, &supervisor, "/api/v1/tasks?list=unit").await;
    assert_eq!(status, 200);
    assert_eq!(unit.as_array().unwrap().len(), 2);
    assert!(unit
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["can_steer"] == true));
    let (status, _) = get(&server, &manager, "/api/v1/tasks?list=unit").await;
    assert_eq!(status, 403, "a unit's list is its supervisor's");
    let (status, _) = get(&server, &manager, "/api/v1/tasks?list=everyone").await;
    assert_eq!(status, 400, "an unknown list is a bad query");

    // Every read is audited.
    assert!(server.audit_count("task.list", "success").await >= 5);
    assert!(server.audit_count("task.read", "success").await >= 1);
    assert_eq!(server.audit_count("task.update", "denied").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn who_may_not_open_the_case_never_sees_its_tasks_not_even_a_count() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let case = server.open_case(&manager, &intake("งานสอง")).await;
    let psychologist = server.user_id("demo-psychologist").await.to_string();
    let psy = server.token("demo-psychologist").await;
    post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/team"),
        json!({"account_id": psychologist}),
    )
    .await;
    let (status, created) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/tasks"),
        json!({"title": "ประเมินสภาพจิตใจ", "assignee_id": psychologist, "due": due_in(0)}),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let task = created["id"].as_str().unwrap().to_string();
    let (web, _) = server.login("demo-psychologist").await;
    let home = web
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("งานค้าง 1 งาน"), "the count on the home page");

    // Off the team: the task, the list, the count and the case's tasks are all gone.
    let resp = server
        .client()
        .delete(server.url(&format!("/api/v1/cases/{case}/team/{psychologist}")))
        .bearer_auth(&manager)
        .send()
        .await
        .unwrap();
    assert!(resp.status().is_success(), "{}", resp.status());
    let (_, mine) = get(&server, &psy, "/api/v1/tasks?status=all").await;
    assert!(mine.as_array().unwrap().is_empty());
    let (status, _) = get(&server, &psy, &format!("/api/v1/tasks/{task}")).await;
    assert_eq!(status, 403);
    let (status, _) = get(&server, &psy, &format!("/api/v1/cases/{case}/tasks")).await;
    assert_eq!(status, 403);
    let (status, _) = post(
        &server,
        &psy,
        &format!("/api/v1/tasks/{task}"),
        json!({"version": 1, "action": "done"}),
    )
    .await;
    assert_eq!(status, 403);
    let home = web
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("งานค้าง 0 งาน"), "no count either");
    let page = web.get(server.url("/tasks")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(!page.text().await.unwrap().contains("ประเมินสภาพจิตใจ"));
    // The analyst and the admin have no tasks list at all.
    for who in ["demo-analyst", "demo-admin", "demo-auditor"] {
        let t = server.token(who).await;
        let (status, _) = get(&server, &t, "/api/v1/tasks").await;
        assert_eq!(status, 403, "{who}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tasks_tab_assigns_reports_each_field_and_the_card_is_marked_done() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let case = server.open_case(&manager, &intake("งานสาม")).await;
    let (web, csrf) = server.login("demo-manager").await;
    let page = web
        .get(server.url(&format!("/cases/{case}/tasks")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"tab-tasks\" aria-current=\"page\""));
    assert!(html.contains("id=\"task-form\""));

    // Nothing chosen, a bad date: 422, the form again with each message, the input kept.
    let resp = web
        .post(server.url(&format!("/cases/{case}/tasks")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("title", "<b>นัดครู</b>"),
            ("due", "31/02/2569"),
            ("priority", "high"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains("error-summary"));
    assert!(html.contains("href=\"#task-assignee-id\""));
    assert!(html.contains("เลือกเพื่อนร่วมทีม หรือกรอกชื่อบุคคลภายนอก"));
    assert!(
        html.contains("&#60;b&#62;นัดครู&#60;/b&#62;"),
        "kept, escaped"
    );
    assert!(html.contains("<option value=\"high\" selected>"));

    // To the outside person: saved, back on the tab with the card.
    let resp = web
        .post(server.url(&format!("/cases/{case}/tasks")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("title", "นัดครูประจำชั้น"),
            ("outside_name", "ครูสมศรี"),
            ("outside_organisation", "โรงเรียนบ้านหนองบัว"),
            ("due", due_in(2).as_str()),
            ("priority", "normal"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let html = web
        .get(server.url(&common::location(&resp)))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("ครูสมศรี (โรงเรียนบ้านหนองบัว)"));
    let (_, list) = get(&server, &manager, &format!("/api/v1/cases/{case}/tasks")).await;
    let task = list[0]["id"].as_str().unwrap().to_string();

    // Cancelling without a reason: the message on the card, 422.
    let resp = web
        .post(server.url(&format!("/tasks/{task}")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", "1"),
            ("action", "cancel"),
            ("back", &format!("/cases/{case}/tasks")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    assert!(resp
        .text()
        .await
        .unwrap()
        .contains(&format!("id=\"task-{task}-error\"")));

    // Done from "my tasks": back to the list, kept filters.
    let mine = web
        .get(server.url("/tasks"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(mine.contains("นัดครูประจำชั้น"));
    let csrf = csrf_of(&mine).unwrap();
    let resp = web
        .post(server.url(&format!("/tasks/{task}")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", "1"),
            ("action", "done"),
            ("back", "/tasks?list=mine&status=active"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    assert!(common::location(&resp).starts_with("/tasks?list=mine&status=active&saved=1"));
    let (_, detail) = get(&server, &manager, &format!("/api/v1/tasks/{task}")).await;
    assert_eq!(detail["status"], "done");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn my_tasks_download_as_csv_and_xlsx_under_the_list_filters() {
    let server = TestServer::accounts_only().await;
    let manager = server.token("demo-manager").await;
    let manager_id = server.user_id("demo-manager").await;
    let case = server.open_case(&manager, &intake("งานดาวน์โหลด")).await;
    let (status, p) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/tasks"),
        json!({"title": "โทรนัดเยี่ยมบ้าน", "assignee_id": manager_id, "due": due_in(3)}),
    )
    .await;
    assert_eq!(status, 201, "{p}");
    let (browser, _) = server.login("demo-manager").await;
    let html = browser
        .get(server.url("/tasks"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("href=\"/tasks.csv?list=mine&amp;status=active\""));
    let csv = browser
        .get(server.url("/tasks.csv?list=mine&status=active"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lines.len(), 2, "{csv}");
    assert!(lines[1].contains("โทรนัดเยี่ยมบ้าน"));
    // Done tasks only: none yet.
    let csv = browser
        .get(server.url("/tasks.csv?list=mine&status=done"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), 1);
    let xlsx = browser
        .get(server.url("/tasks.xlsx"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert!(xlsx.starts_with(b"PK"));
}
