//! Reviews, closure and follow-up through the pages.

use crate::common;

use common::TestServer;
use serde_json::{json, Value};

/// A case of demo-manager's in implementation with a one-goal plan in force; returns its id.
pub(crate) async fn case_in_implementation(server: &TestServer) -> String {
    let token = server.token("demo-manager").await;
    let c = server.client();
    let intake = json!({
        "client": {"first_name_th": "ทองดี", "last_name_th": "มีสุข", "birth_year": "2510"},
        "documents": [{"kind": "none"}],
        "consent": {"lawful_basis": "vital_interest"},
        "referral_source": "self", "presenting_problem": "ตกงาน ไม่มีที่อยู่", "safety": crate::common::no_risk(),
        "case_types": ["poverty_homelessness"],
    });
    let id = server.open_case(&token, &intake).await;
    let url = |p: &str| server.url(&format!("/api/v1/cases/{id}{p}"));
    let contact =
        json!({"kind": "office_visit", "date": "01/11/2569", "note": "มาขอความช่วยเหลือที่สำนักงาน"});
    assert_eq!(
        c.post(url("/contacts"))
            .bearer_auth(&token)
            .json(&contact)
            .send()
            .await
            .unwrap()
            .status(),
        201
    );
    let plan = json!({"based_on": 0, "goals": [{"dimension": "economic", "statement": "มีงานทำ",
        "indicator": "มีสัญญาจ้าง", "target": "มีงานประจำ", "target_date": "31/05/2570",
        "interventions": [{"method": "job_placement", "provider": "จัดหางานจังหวัด", "start": "01/12/2569"}]}]});
    for to in ["assessment", "planning", "implementation"] {
        if to == "planning" {
            common::complete_holistic(server, &token, &id).await;
        }
        if to == "implementation" {
            assert_eq!(
                c.post(url("/plan"))
                    .bearer_auth(&token)
                    .json(&plan)
                    .send()
                    .await
                    .unwrap()
                    .status(),
                201
            );
        }
        let v = c
            .get(url(""))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap()["version"]
            .as_i64()
            .unwrap();
        let resp = c
            .post(url("/transitions"))
            .bearer_auth(&token)
            .json(&json!({"to": to, "version": v}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{to}");
    }
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn review_close_and_follow_up_through_the_pages() {
    let server = TestServer::demo().await;
    let id = case_in_implementation(&server).await;
    let (web, csrf) = server.login("demo-manager").await;
    let page = |p: &str| server.url(&format!("/cases/{id}{p}"));
    let html = web
        .get(page("/closure"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"next-review\""));
    assert!(html.contains("id=\"review-form\""));

    // A review without an outcome: 422, the note kept, the field named.
    let resp = web
        .post(page("/reviews"))
        .form(&[("csrf", csrf.as_str()), ("note", "พบนายจ้างแล้ว")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"outcome-error\""));
    assert!(html.contains("พบนายจ้างแล้ว"));
    let resp = web
        .post(page("/reviews"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("outcome", "close"),
            ("note", "ได้งานแล้ว พร้อมปิดรายกรณี"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);

    // The closure summary: every goal needs its outcome.
    let html = web
        .get(page("/closure"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("ได้งานแล้ว พร้อมปิดรายกรณี"));
    let goal = html
        .split("name=\"goals[0].goal_id\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let base = [
        ("csrf", csrf.as_str()),
        ("reason", "goals_achieved"),
        ("summary", "ได้งานประจำ เช่าห้องพักเอง"),
        ("goals[0].goal_id", goal.as_str()),
        ("follow_up_months", "1"),
        ("follow_up_months", "6"),
    ];
    let resp = web.post(page("/closure")).form(&base).send().await.unwrap();
    assert_eq!(resp.status(), 422);
    let mut ok = base.to_vec();
    ok.push(("goals[0].outcome", "achieved"));
    let resp = web.post(page("/closure")).form(&ok).send().await.unwrap();
    assert_eq!(resp.status(), 303);

    // No approval needed for this type: the page offers to close the case, and closing works.
    let html = web
        .get(page("/closure"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"close-case\""));
    let version = html
        .split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let resp = web
        .post(page("/status"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("to", "closed"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let html = web
        .get(page("/closure"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("id=\"close-case\""));
    let fid = html
        .split("/follow-ups/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let resp = web
        .post(page(&format!("/follow-ups/{fid}")))
        .form(&[("csrf", csrf.as_str()), ("note", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let resp = web
        .post(page(&format!("/follow-ups/{fid}")))
        .form(&[("csrf", csrf.as_str()), ("note", "ยังทำงานอยู่ที่เดิม")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let html = web
        .get(page("/closure"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("ยังทำงานอยู่ที่เดิม"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn overdue_reviews_and_stalled_interventions_reach_the_home_pages() {
    let server = TestServer::demo().await;
    let id = case_in_implementation(&server).await;
    // Time passes: the plan came into force 60 days ago and its intervention, planned to
    // start 40 days ago, never started.
    let ago = |d: i64| chrono::Utc::now() - chrono::Duration::days(d);
    let start = karuna_thai::calendar::bangkok_date(ago(40))
        .format("%Y-%m-%d")
        .to_string();
    let db = &server.app.db;
    let content: String = sqlx::query_scalar("SELECT content FROM plan_version WHERE case_id = $1")
        .bind(&id)
        .fetch_one(db.read())
        .await
        .unwrap();
    let mut plan: Value = serde_json::from_str(&content).unwrap();
    plan["goals"][0]["interventions"][0]["start"] = json!(start);
    let mut tx = db.begin().await.unwrap();
    sqlx::query("UPDATE plan_version SET content = $1, created_at = $2 WHERE case_id = $3")
        .bind(plan.to_string())
        .bind(karuna_store::time::to_db(ago(60)))
        .bind(&id)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let number: String = sqlx::query_scalar("SELECT number FROM case_file WHERE id = $1")
        .bind(&id)
        .fetch_one(db.read())
        .await
        .unwrap();
    for who in ["demo-manager", "demo-supervisor"] {
        let (web, _) = server.login(who).await;
        let html = web
            .get(server.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let section = |h: &str| {
            html.split(&format!("id=\"{h}\""))
                .nth(1)
                .and_then(|s| s.split("</section>").next())
                .unwrap_or("")
                .to_string()
        };
        assert!(
            section("reviews-heading").contains(&number),
            "{who}: overdue review"
        );
        assert!(
            section("stalled-heading").contains(&number),
            "{who}: stalled intervention"
        );
    }
    // The intervention's status changes without a new plan version: ending it early needs a
    // reason; once completed it is no longer stalled, and the plan shows the new status.
    let token = server.token("demo-manager").await;
    let plan: Value = server
        .client()
        .get(server.url(&format!("/api/v1/cases/{id}/plan")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let iid = plan["versions"][0]["goals"][0]["interventions"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let url = server.url(&format!("/api/v1/cases/{id}/interventions/{iid}"));
    let resp = server
        .client()
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({"status": "ended_early"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let resp = server
        .client()
        .post(&url)
        .bearer_auth(&token)
        .json(&json!({"status": "completed"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 204);
    let plan: Value = server
        .client()
        .get(server.url(&format!("/api/v1/cases/{id}/plan")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        plan["versions"][0]["goals"][0]["interventions"][0]["status"],
        "completed"
    );
    assert_eq!(plan["latest"], 1, "no new version");
    let (web, csrf) = server.login("demo-manager").await;
    let html = web
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let stalled = html
        .split("id=\"stalled-heading\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap_or("")
        .to_string();
    assert!(!stalled.contains(&number), "completed: no longer stalled");
    // The plan page's form does the same.
    let resp = web
        .post(server.url(&format!("/cases/{id}/interventions/{iid}")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("status", "cancelled"),
            ("note", "ผู้รับบริการย้ายออกนอกพื้นที่"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let html = web
        .get(server.url(&format!("/cases/{id}/plan")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("ยกเลิก"));

    // The psychologist is not on this case: nothing of it on her home page.
    let (web, _) = server.login("demo-psychologist").await;
    let html = web
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains(&number));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_timeline_shows_every_kind_of_record_in_order() {
    let server = TestServer::demo().await;
    let id = case_in_implementation(&server).await;
    let token = server.token("demo-manager").await;
    let c = server.client();
    let entries: Value = c
        .get(server.url(&format!("/api/v1/cases/{id}/timeline")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect();
    for k in ["contact", "assessment", "plan", "transition"] {
        assert!(kinds.contains(&k), "{k} in {kinds:?}");
    }
    let times: Vec<&str> = entries
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["at"].as_str())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first");
    let (web, _) = server.login("demo-manager").await;
    let resp = web
        .get(server.url(&format!("/cases/{id}/timeline")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains("มาขอความช่วยเหลือที่สำนักงาน"));
    assert!(html.contains("class=\"timeline-plan\""));
    let (other, _) = server.login("demo-psychologist").await;
    let resp = other
        .get(server.url(&format!("/cases/{id}/timeline")))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plans_and_assessment_notes_are_found_by_search() {
    let server = TestServer::demo().await;
    let id = case_in_implementation(&server).await;
    let token = server.token("demo-manager").await;
    let c = server.client();
    let search = |q: &str| {
        let c = c.clone();
        let url = server.url("/api/v1/search");
        let token = token.clone();
        let q = q.to_string();
        async move {
            c.get(url)
                .query(&[("q", q.as_str())])
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap()
        }
    };
    // The plan's indicator and the assessment's note on housing.
    let hits = search("สัญญาจ้าง").await;
    assert!(
        hits["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["kind"] == "plan" && h["case_id"] == id.as_str()),
        "{hits}"
    );
    let hits = search("ที่พักถาวร").await;
    assert!(
        hits["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["kind"] == "assessment"),
        "{hits}"
    );
    // Not for someone outside the case.
    let other = server.token("demo-psychologist").await;
    let resp: Value = c
        .get(server.url("/api/v1/search"))
        .query(&[("q", "สัญญาจ้าง")])
        .bearer_auth(other)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!resp["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|h| h["case_id"] == id.as_str()));
    server.stop().await;
}
