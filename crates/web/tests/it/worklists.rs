//! Worklists (issue 16 items 3, 4, 9, 13): the supervisor's approval queue on the home page,
//! the case list and the API; the case list's perpetrator flag; what falls due in the next
//! week; the data analyst's figures with small counts suppressed.

use crate::common;

use common::TestServer;
use serde_json::{json, Value};

fn intake(first: &str, types: &[&str]) -> Value {
    json!({
        "client": {"first_name_th": first, "last_name_th": "รายการงาน", "birth_year": "2530"},
        "documents": [{"kind": "none"}],
        "consent": {"lawful_basis": "vital_interest"},
        "referral_source": "self", "presenting_problem": "ทดสอบรายการงาน",
        "safety": crate::common::no_risk(),
        "case_types": types,
    })
}

fn plan() -> Value {
    json!({"based_on": 0, "goals": [{"dimension": "economic", "statement": "มีงานทำ",
        "indicator": "มีสัญญาจ้าง", "target": "มีงานประจำ", "target_date": "31/05/2570",
        "interventions": [{"method": "job_placement", "provider": "จัดหางานจังหวัด", "start": "01/12/2569"}]}]})
}

async fn get_json(server: &TestServer, token: &str, path: &str) -> (u16, Value) {
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

async fn number_of(server: &TestServer, token: &str, id: &str) -> String {
    let (_, case) = get_json(server, token, &format!("/api/v1/cases/{id}")).await;
    case["number"].as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supervisor_sees_what_awaits_her_approval_and_not_her_own() {
    let server = TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let manager = server.token("demo-manager").await;
    let supervisor = server.token("demo-supervisor").await;
    let c = server.client();
    let resp = c
        .put(server.url("/api/v1/case-types/child_protection"))
        .bearer_auth(&admin)
        .json(&json!({"version": 0, "review_days": 30, "plan_approval": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let (_, before) = get_json(&server, &supervisor, "/api/v1/me/approvals").await;
    let before = before["count"].as_i64().unwrap();

    // The manager's plan awaits; the supervisor's own plan on another case does not count.
    let mine = server
        .open_case(&manager, &intake("รออนุมัติ", &["child_protection"]))
        .await;
    let own = server
        .open_case(&manager, &intake("หัวหน้าเขียน", &["child_protection"]))
        .await;
    for (id, token) in [(&mine, &manager), (&own, &supervisor)] {
        let resp = c
            .post(server.url(&format!("/api/v1/cases/{id}/plan")))
            .bearer_auth(token)
            .json(&plan())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 201);
    }
    let (status, queue) = get_json(&server, &supervisor, "/api/v1/me/approvals").await;
    assert_eq!(status, 200);
    assert_eq!(queue["count"].as_i64().unwrap(), before + 1, "{queue}");
    let ids: Vec<&str> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["case_id"].as_str())
        .collect();
    assert!(ids.contains(&mine.as_str()));
    assert!(
        !ids.contains(&own.as_str()),
        "no one approves their own plan"
    );
    let (_, none) = get_json(&server, &manager, "/api/v1/me/approvals").await;
    assert_eq!(none["count"], 0);
    assert!(server.audit_count("case.approvals", "success").await >= 1);

    // The case list's filter, and the home page, with counts.
    let (_, list) = get_json(
        &server,
        &supervisor,
        "/api/v1/cases?awaiting=approval&limit=200",
    )
    .await;
    let listed: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert!(listed.contains(&mine.as_str()) && !listed.contains(&own.as_str()));
    let number = number_of(&server, &supervisor, &mine).await;
    let (web, _) = server.login("demo-supervisor").await;
    let home = web
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let queue_html = home.split("id=\"approvals\"").nth(1).unwrap_or("");
    assert!(queue_html.contains(&number), "the home page lists it");
    let page = web
        .get(server.url("/cases?awaiting=approval"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("id=\"f-awaiting\""));
    assert!(page.contains(&number));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_case_list_flags_the_perpetrator_on_the_case_not_beside_the_client() {
    let server = TestServer::demo().await;
    let (web, _) = server.login("demo-supervisor").await;
    let html = web
        .get(server.url("/cases?limit=200"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for cell in html.split("<td class=\"case-client\">").skip(1) {
        let cell = cell.split("</td>").next().unwrap_or("");
        assert!(
            !cell.contains("badge"),
            "no badge beside the client's name: {cell}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_falls_due_this_week_reaches_the_home_page() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let c = server.client();
    let id = server
        .open_case(&manager, &intake("ครบกำหนด", &["other"]))
        .await;
    let in_three_days =
        karuna_thai::calendar::bangkok_date(chrono::Utc::now()) + chrono::Days::new(3);
    let due = format!(
        "{}/{}/{}",
        in_three_days.format("%d"),
        in_three_days.format("%m"),
        karuna_thai::calendar::be_year(chrono::Datelike::year(&in_three_days))
    );
    let resp = c
        .post(server.url(&format!("/api/v1/cases/{id}/promises")))
        .bearer_auth(&manager)
        .json(&json!({"what": "โทรติดตามผลการสมัครงาน", "due": due}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let resp = c
        .post(server.url(&format!("/api/v1/cases/{id}/contacts")))
        .bearer_auth(&manager)
        .json(
            &json!({"kind": "phone_call", "date": "01/11/2569", "note": "โทรคุยกับผู้รับบริการ",
            "follow_up_needed": true, "follow_up_note": "นัดเยี่ยมบ้าน"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201, "{}", resp.text().await.unwrap());

    let (status, due) = get_json(&server, &manager, "/api/v1/me/due").await;
    assert_eq!(status, 200);
    let promise = due["promises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["case_id"] == id.as_str())
        .cloned()
        .unwrap_or(Value::Null);
    assert!(
        promise["client"]
            .as_str()
            .unwrap_or("")
            .contains("ครบกำหนด"),
        "{due}"
    );
    let contact = due["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["case_id"] == id.as_str())
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(contact["what"], "นัดเยี่ยมบ้าน", "{due}");

    let number = number_of(&server, &manager, &id).await;
    let (web, _) = server.login("demo-manager").await;
    let home = web
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for list in [
        "due-soon-promises-heading-list",
        "due-soon-contacts-heading-list",
    ] {
        let section = home.split(&format!("id=\"{list}\"")).nth(1).unwrap_or("");
        let section = section.split("</ul>").next().unwrap_or("");
        assert!(section.contains(&number), "{list}");
        assert!(section.contains("ครบกำหนด"), "{list} names the client");
    }

    // A later contact is the follow-up: the contact leaves the list.
    let resp = c
        .post(server.url(&format!("/api/v1/cases/{id}/contacts")))
        .bearer_auth(&manager)
        .json(&json!({"kind": "home_visit", "date": "02/11/2569", "note": "เยี่ยมบ้านตามนัด"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let (_, due) = get_json(&server, &manager, "/api/v1/me/due").await;
    assert!(!due["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["case_id"] == id.as_str()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_analyst_sees_case_counts_with_small_counts_suppressed() {
    let server = TestServer::demo().await;
    let analyst = server.token("demo-analyst").await;
    let (status, f) = get_json(&server, &analyst, "/api/v1/reports/case-counts").await;
    assert_eq!(status, 200);
    assert_eq!(f["scope"], "organisation");
    assert_eq!(f["by_status"].as_array().unwrap().len(), 6);
    assert_eq!(f["by_month"].as_array().unwrap().len(), 12);
    let all = f["by_status"]
        .as_array()
        .unwrap()
        .iter()
        .chain(f["by_type"].as_array().unwrap())
        .chain(f["by_month"].as_array().unwrap());
    for c in all {
        match c["figure"]["kind"].as_str() {
            Some("count") => {
                let n = c["figure"]["value"].as_i64().unwrap();
                assert!(n == 0 || n >= 5, "{c}");
            }
            Some("suppressed") => {}
            other => panic!("{other:?}"),
        }
    }
    // Aggregates only: the analyst still opens no case.
    let (status, _) = get_json(&server, &analyst, "/api/v1/cases").await;
    assert_eq!(status, 403);
    let (status, _) = get_json(
        &server,
        &server.token("demo-manager").await,
        "/api/v1/reports/case-counts",
    )
    .await;
    assert_eq!(status, 403);

    let (web, _) = server.login("demo-analyst").await;
    let home = web
        .get(server.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("href=\"/reports/cases\""));
    let page = web.get(server.url("/reports/cases")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"by-month-table\""));
    assert!(!html.contains("/cases/"), "no link to a case");
    assert!(!html.contains("CM-"), "no case number");
}
