//! The intake's safety screening (issue 16 item 1): nothing is pre-answered, an unanswered
//! question is refused by name on the page and the API, and "not asked" raises the case.

use crate::common;

use common::TestServer;
use serde_json::{json, Value};

fn intake(safety: Value) -> Value {
    json!({
        "client": {"first_name_th": "บุษบา", "last_name_th": "คัดกรอง", "birth_year": "2530"},
        "documents": [{"kind": "none"}],
        "consent": {"lawful_basis": "vital_interest"},
        "referral_source": "police", "presenting_problem": "ถูกทำร้าย ตำรวจนำส่ง",
        "safety": safety,
        "case_types": ["domestic_violence"],
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_intake_form_preselects_no_safety_answer() {
    let server = TestServer::demo().await;
    let (web, _) = server.login("demo-manager").await;
    let html = web
        .get(server.url("/cases/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let radios: Vec<&str> = html
        .split("<input")
        .filter(|i| i.contains("name=\"safety."))
        .collect();
    assert_eq!(radios.len(), 18, "yes, no and not asked for six questions");
    assert!(radios.iter().all(|r| !r.contains("checked")), "{radios:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unanswered_question_is_refused_next_to_it_on_the_page() {
    let server = TestServer::demo().await;
    let (web, csrf) = server.login("demo-manager").await;
    let mut form = common::intake_form(&csrf, "ละเว้น", "");
    form.retain(|(k, _)| k != "safety.self_harm_risk" && !k.starts_with("documents"));
    form.push(("confirm_new".into(), "on".into()));
    let resp = web
        .post(server.url("/cases"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("id=\"safety-self_harm_risk-error\""),
        "error beside the question"
    );
    assert!(!html.contains("id=\"safety-in_danger_now-error\""));
    // The answers given come back as given.
    assert!(html.contains("name=\"safety.no_safe_place_tonight\" value=\"yes\" checked"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_refuses_a_missing_answer_by_field() {
    let server = TestServer::demo().await;
    let token = server.token("demo-manager").await;
    let cases_before = server.audit_count("case.create", "success").await;
    let resp = server
        .client()
        .post(server.url("/api/v1/cases"))
        .bearer_auth(&token)
        .json(&intake(json!({"in_danger_now": false})))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let p: Value = resp.json().await.unwrap();
    let fields: Vec<&str> = p["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["code"] == "case.safety.unanswered")
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields.len(), 5, "{p}");
    assert!(fields.contains(&"safety.self_harm_risk"));
    assert_eq!(
        server.audit_count("case.create", "success").await,
        cases_before,
        "nothing written"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_not_asked_makes_the_case_urgent_and_says_so() {
    let server = TestServer::demo().await;
    let token = server.token("demo-manager").await;
    let answers = json!({"in_danger_now": false, "injured_needs_care": "no",
        "child_without_carer": false, "perpetrator_has_access": "not_asked",
        "no_safe_place_tonight": false, "self_harm_risk": "not_asked"});
    let resp = server
        .client()
        .post(server.url("/api/v1/cases"))
        .bearer_auth(&token)
        .json(&intake(answers))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let created: Value = resp.json().await.unwrap();
    assert_eq!(created["urgency"], "urgent");
    assert_eq!(
        created["safety_not_asked"],
        json!(["perpetrator_has_access", "self_harm_risk"])
    );
    assert_eq!(
        server.audit_count("case.safety_not_asked", "success").await,
        1
    );
    let id = created["case_id"].as_str().unwrap();
    let (web, _) = server.login("demo-manager").await;
    let html = web
        .get(server.url(&format!("/cases/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"safety-not-asked\""));
}
