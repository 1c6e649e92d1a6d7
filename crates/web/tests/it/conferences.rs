//! Case conferences (issue 18 item 1): a supervisor schedules a conference on two cases with
//! people of other agencies; the case manager writes the minutes (the client's views, two
//! decisions with action items); only the chair confirms, which assigns the action items as
//! tasks; confirmed minutes change only by a new version with a reason; the conference is on
//! the case's timeline and its minutes print. A colleague sees only the cases she may open.

use crate::common::{self, TestServer};
use crate::tasks::{due_in, field_codes, get, intake, post};
use serde_json::{json, Value};

async fn put(server: &TestServer, token: &str, path: &str, body: Value) -> (u16, Value) {
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conference_from_schedule_to_confirmed_minutes_and_tasks() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let supervisor = server.token("demo-supervisor").await;
    let psy = server.token("demo-psychologist").await;
    let a = server.open_case(&manager, &intake("ประชุมหนึ่ง")).await;
    let b = server.open_case(&manager, &intake("ประชุมสอง")).await;
    let psychologist = server.user_id("demo-psychologist").await.to_string();
    let manager_id = server.user_id("demo-manager").await.to_string();
    let supervisor_id = server.user_id("demo-supervisor").await.to_string();
    post(
        &server,
        &manager,
        &format!("/api/v1/cases/{a}/team"),
        json!({"account_id": psychologist}),
    )
    .await;
    let (_, file) = get(&server, &manager, &format!("/api/v1/cases/{b}")).await;
    let b_number = file["number"].as_str().unwrap().to_string();

    // Bad input: each field at once; a link that is not http(s); a case the psychologist may
    // not open is refused (403).
    let (status, p) = post(&server, &supervisor, "/api/v1/conferences", json!({})).await;
    assert_eq!(status, 422);
    assert_eq!(field_codes(&p).len(), 6, "{p}");
    let (status, p) = post(
        &server,
        &supervisor,
        "/api/v1/conferences",
        json!({"title": "x", "date": "10/12/2569", "time": "9.30", "online_link": "javascript:alert(1)",
               "chair_id": supervisor_id, "cases": [a]}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_codes(&p),
        vec![
            ("time".into(), "conference.time_invalid".into()),
            ("online_link".into(), "conference.link_invalid".into())
        ]
    );
    let schedule = json!({
        "title": "ประชุมทีมสหวิชาชีพประจำสัปดาห์", "date": due_in(2), "time": "09:30",
        "place": "ห้องประชุมชั้น 2", "chair_id": supervisor_id,
        "cases": [a, b_number], "staff_ids": [manager_id, psychologist],
        "outside": [
            {"name": "ร.ต.อ. สมชาย ใจกล้า", "organisation": "สภ.เมือง", "role": "พนักงานสอบสวน"},
            {"name": "นางสาวพิมพ์ใจ รักษา", "organisation": "โรงพยาบาลจังหวัด", "role": "พยาบาล OSCC"}
        ]
    });
    let (status, _) = post(&server, &psy, "/api/v1/conferences", schedule.clone()).await;
    assert_eq!(status, 403, "the psychologist may not open case B");
    let (status, p) = post(
        &server,
        &supervisor,
        "/api/v1/conferences",
        json!({"title": "x", "date": due_in(2), "time": "09:30", "place": "ห้อง", "chair_id": psychologist, "cases": [a, b]}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        field_codes(&p),
        vec![("chair_id".into(), "conference.chair_cannot_open".into())]
    );
    let (status, created) = post(&server, &supervisor, "/api/v1/conferences", schedule).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();

    // The psychologist is told, and sees case A only.
    let (_, inbox) = get(&server, &psy, "/api/v1/me/notifications?unread=true").await;
    assert!(inbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|n| n["kind"] == "conference_scheduled" && n["href"] == format!("/conferences/{id}")));
    let (status, seen) = get(&server, &psy, &format!("/api/v1/conferences/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(seen["cases"].as_array().unwrap().len(), 1);
    assert_eq!(seen["cases"][0]["case_id"], a.as_str());
    assert_eq!(seen["hidden_cases"], 1);
    assert_eq!(
        seen["attendees"].as_array().unwrap().len(),
        5,
        "chair, two colleagues, two outside"
    );
    let analyst = server.token("demo-analyst").await;
    let (status, _) = get(&server, &analyst, &format!("/api/v1/conferences/{id}")).await;
    assert_eq!(status, 403);
    let (status, _) = put(
        &server,
        &psy,
        &format!("/api/v1/conferences/{id}/cases/{b}/minutes"),
        json!({}),
    )
    .await;
    assert_eq!(status, 403, "minutes of a case she may not open");

    // The manager writes case A's minutes: an action item without owner or date is refused.
    let minutes = |views: &str, owner: Value| {
        json!({
            "based_on": 0, "client_attended": true, "family_attended": false,
            "client_views": views,
            "facts": "ผู้รับบริการอายุ 15 ปี ถูกทำร้ายร่างกาย",
            "discussion": "ที่ประชุมเห็นว่าควรแยกจากผู้กระทำ",
            "decisions": [
                {"text": "ส่งต่อบ้านพักเด็กและครอบครัวชั่วคราว", "actions": [
                    {"title": "ประเมินสภาพจิตใจก่อนย้าย", "assignee_id": owner, "due": due_in(3), "priority": "high"}
                ]},
                {"text": "ดำเนินคดีกับผู้กระทำ", "actions": [
                    {"title": "ส่งสำเนาบันทึกประจำวัน", "outside_name": "ร.ต.อ. สมชาย ใจกล้า",
                     "outside_organisation": "สภ.เมือง", "due": due_in(5)}
                ]}
            ]
        })
    };
    let path_a = format!("/api/v1/conferences/{id}/cases/{a}/minutes");
    let mut bad = minutes("x", json!(""));
    bad["decisions"][0]["actions"][0]["due"] = json!("");
    let (status, p) = put(&server, &manager, &path_a, bad).await;
    assert_eq!(status, 422);
    assert_eq!(
        field_codes(&p),
        vec![
            (
                "decisions[0].actions[0].assignee_id".into(),
                "task.assignee_required".into()
            ),
            ("decisions[0].actions[0].due".into(), "required".into())
        ]
    );
    let (status, p) = put(
        &server,
        &manager,
        &path_a,
        minutes("x", json!(supervisor_id.clone())).clone(),
    )
    .await;
    assert_eq!(status, 200, "the supervisor may open case A: {p}");
    let (status, _) = put(
        &server,
        &manager,
        &path_a,
        minutes("x", json!(psychologist.clone())),
    )
    .await;
    assert_eq!(status, 409, "based_on 0 is stale now");
    let mut second = minutes("<b>อยากกลับไปเรียนหนังสือ</b>", json!(psychologist.clone()));
    second["based_on"] = json!(1);
    let (status, v) = put(&server, &manager, &path_a, second).await;
    assert_eq!(status, 200);
    assert_eq!(v["version"], 2);

    // Only the chair confirms; her confirmation assigns the action items as tasks.
    let confirm = format!("/api/v1/conferences/{id}/confirm");
    let (status, _) = post(&server, &manager, &confirm, json!({})).await;
    assert_eq!(status, 403);
    let (status, done) = post(&server, &supervisor, &confirm, json!({})).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["tasks_created"], 2);
    let (status, p) = post(&server, &supervisor, &confirm, json!({})).await;
    assert_eq!(status, 422);
    assert_eq!(
        field_codes(&p),
        vec![("minutes".into(), "conference.nothing_to_confirm".into())]
    );
    let (_, mine) = get(&server, &psy, "/api/v1/tasks").await;
    let task = mine
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == "ประเมินสภาพจิตใจก่อนย้าย")
        .expect("the action item is the psychologist's task")
        .clone();
    assert_eq!(task["details"], "ส่งต่อบ้านพักเด็กและครอบครัวชั่วคราว");
    let (status, _) = post(
        &server,
        &psy,
        &format!("/api/v1/tasks/{}", task["id"].as_str().unwrap()),
        json!({"version": task["version"], "action": "done"}),
    )
    .await;
    assert_eq!(status, 200);

    // Confirmed minutes change only with a reason, by a new version the chair confirms again;
    // an unchanged action item is not assigned twice.
    let mut third = minutes("อยากกลับไปเรียนหนังสือ", json!(psychologist.clone()));
    third["based_on"] = json!(2);
    let (_, detail) = get(&server, &manager, &format!("/api/v1/conferences/{id}")).await;
    let confirmed = &detail["cases"][0]["minutes"][0];
    assert_eq!(confirmed["status"], "confirmed");
    for (i, d) in confirmed["content"]["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        third["decisions"][i]["id"] = d["id"].clone();
    }
    let (status, p) = put(&server, &manager, &path_a, third.clone()).await;
    assert_eq!(status, 422);
    assert_eq!(
        field_codes(&p),
        vec![("reason".into(), "conference.reason_required".into())]
    );
    third["reason"] = json!("แก้คำพูดของผู้รับบริการให้ตรงกับที่บันทึกเสียง");
    let (status, _) = put(&server, &manager, &path_a, third).await;
    assert_eq!(status, 200);
    let (_, done) = post(&server, &supervisor, &confirm, json!({})).await;
    assert_eq!(done["tasks_created"], 0, "{done}");

    // On case A's timeline; the list of case B's conferences holds it for the manager.
    let (_, timeline) = get(&server, &manager, &format!("/api/v1/cases/{a}/timeline")).await;
    assert!(timeline
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "conference" && e["page"] == format!("/conferences/{id}")));
    let (_, on_b) = get(&server, &manager, &format!("/api/v1/cases/{b}/conferences")).await;
    assert_eq!(on_b.as_array().unwrap().len(), 1);

    // The pages: the conference, the print (HTML kept as text), the psychologist's view.
    let (web, _) = server.login("demo-manager").await;
    let html = web
        .get(server.url(&format!("/conferences/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("ร.ต.อ. สมชาย ใจกล้า · พนักงานสอบสวน · สภ.เมือง"));
    let print = web
        .get(server.url(&format!("/conferences/{id}/print")))
        .send()
        .await
        .unwrap();
    assert_eq!(print.status(), 200);
    let print = print.text().await.unwrap();
    assert!(print.contains("รายงานการประชุม"));
    assert!(print.contains("ผู้ตรวจรายงานการประชุม"));
    assert!(print.contains("ส่งต่อบ้านพักเด็กและครอบครัวชั่วคราว"));
    let (pweb, _) = server.login("demo-psychologist").await;
    let html = pweb
        .get(server.url(&format!("/conferences/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !html.contains(&b_number),
        "case B is not named to the psychologist"
    );
    assert!(html.contains("ยังมีอีก 1 รายกรณี"));
    assert!(server.audit_count("conference.read", "success").await >= 4);
    assert_eq!(server.audit_count("conference.confirm", "denied").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_schedule_a_conference_and_refuse_an_action_item_without_an_owner() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let case = server.open_case(&manager, &intake("ประชุมหน้าเว็บ")).await;
    let (web, csrf) = server.login("demo-manager").await;
    let form = web
        .get(server.url(&format!("/conferences/new?case={case}")))
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    let html = form.text().await.unwrap();
    assert!(html.contains("id=\"conference-form\""));

    // Nothing but the case: each field's message, linked from the summary.
    let resp = web
        .post(server.url("/conferences"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("cases", case.as_str()),
            ("time", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains("href=\"#conference-title\""));
    assert!(html.contains("ระบุสถานที่หรือลิงก์ประชุมออนไลน์"));

    let manager_id = server.user_id("demo-manager").await.to_string();
    let date = due_in(1);
    let resp = web
        .post(server.url("/conferences"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("title", "ประชุมวางแผนส่งต่อ"),
            ("date", date.as_str()),
            ("time", "13:00"),
            ("place", "ห้องประชุม"),
            ("chair_id", manager_id.as_str()),
            ("cases", case.as_str()),
            ("outside[0].name", "ครูสมศรี"),
            ("outside[0].organisation", "โรงเรียนบ้านหนองบัว"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let to = common::location(&resp);
    assert!(to.starts_with("/conferences/"));
    let id = to
        .trim_start_matches("/conferences/")
        .split('?')
        .next()
        .unwrap()
        .to_string();
    let html = web
        .get(server.url(&to))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("นัดประชุมแล้ว"));
    assert!(html.contains(&format!(
        "action=\"/conferences/{id}/cases/{case}/minutes\""
    )));

    // An action item with no owner: 422, the form again with the message beside the owner.
    let resp = web
        .post(server.url(&format!("/conferences/{id}/cases/{case}/minutes")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("based_on", "0"),
            ("client_views", "อยากอยู่กับยาย"),
            ("decisions[0].id", ""),
            ("decisions[0].text", "ประสานยาย"),
            ("decisions[0].actions[0].title", "โทรหายาย"),
            ("decisions[0].actions[0].assignee_id", ""),
            ("decisions[0].actions[0].outside_name", ""),
            ("decisions[0].actions[0].outside_organisation", ""),
            ("decisions[0].actions[0].due", date.as_str()),
            ("decisions[0].actions[0].priority", "normal"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("id=\"m0-d0-a0-assignee-id-error\""),
        "the message beside the owner"
    );
    assert!(
        html.contains("href=\"#m0-d0-a0-assignee-id\""),
        "linked from the summary"
    );
    assert!(html.contains("อยากอยู่กับยาย"), "the input is kept");

    // With the manager as owner: saved, then confirmed by her (she chairs), the task is hers.
    let resp = web
        .post(server.url(&format!("/conferences/{id}/cases/{case}/minutes")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("based_on", "0"),
            ("client_views", "อยากอยู่กับยาย"),
            ("decisions[0].id", ""),
            ("decisions[0].text", "ประสานยาย"),
            ("decisions[0].actions[0].title", "โทรหายาย"),
            ("decisions[0].actions[0].assignee_id", manager_id.as_str()),
            ("decisions[0].actions[0].due", date.as_str()),
            ("decisions[0].actions[0].priority", "normal"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let resp = web
        .post(server.url(&format!("/conferences/{id}/confirm")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let (_, tasks) = get(&server, &manager, &format!("/api/v1/cases/{case}/tasks")).await;
    assert_eq!(tasks[0]["title"], "โทรหายาย");
    let tab = web
        .get(server.url(&format!("/cases/{case}/conferences")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(tab.contains("ประชุมวางแผนส่งต่อ"));
}
