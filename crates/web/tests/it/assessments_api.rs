//! The assessment walk over the API: start, save, a stale save, answers that do not fit,
//! complete, compare; template import with path-named errors; export as YAML.

use crate::common;

use common::TestServer;
use karuna_app::Ctx;
use serde_json::{json, Value};

async fn token(server: &TestServer, username: &str) -> String {
    server
        .app
        .issue_token(None, &Ctx::default(), username, "test")
        .await
        .unwrap()
        .1
}

async fn new_case(server: &TestServer) -> String {
    let ctx = Ctx::default();
    let manager = server
        .app
        .login("demo-manager", common::DEMO_PASSWORD, &ctx)
        .await
        .unwrap()
        .user;
    let input = karuna_app::intake::IntakeInput {
        client: karuna_domain::person::PersonInput {
            first_name_th: "ทดสอบ".into(),
            ..Default::default()
        },
        consent: karuna_app::intake::ConsentInput {
            status: "granted".into(),
            ..Default::default()
        },
        referral_source: "self".into(),
        presenting_problem: "ทดสอบการประเมิน".into(),
        case_types: vec!["other".into()],
        safety: karuna_domain::case::all_answered(karuna_domain::case::SafetyAnswer::No),
        ..Default::default()
    };
    let created = server.app.intake(&manager, &ctx, &input).await.unwrap();
    created.case_id.to_string()
}

async fn json_of(resp: reqwest::Response, status: u16) -> Value {
    assert_eq!(resp.status().as_u16(), status, "{:?}", resp.url().path());
    resp.json().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_walk_start_save_complete_compare() {
    let server = TestServer::demo().await;
    let t = token(&server, "demo-manager").await;
    let c = server.client();
    let case = new_case(&server).await;
    let published = json_of(
        c.get(server.url("/api/v1/published-templates"))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(
        published.as_array().unwrap().len(),
        karuna_domain::assessment::shipped::SHIPPED.len()
    );

    let mut ids = Vec::new();
    for feels_unsafe in [3, 1] {
        let created = json_of(
            c.post(server.url(&format!("/api/v1/cases/{case}/assessments")))
                .bearer_auth(&t)
                .json(&json!({"template_key": "holistic"}))
                .send()
                .await
                .unwrap(),
            201,
        )
        .await;
        let id = created["id"].as_str().unwrap().to_string();
        let url = server.url(&format!("/api/v1/assessments/{id}"));
        let detail = json_of(c.get(&url).bearer_auth(&t).send().await.unwrap(), 200).await;
        assert_eq!(detail["assessment"]["template_version"], 1);
        assert_eq!(detail["template"]["template"]["key"], "holistic");

        let draft = json!({"version": 1, "answers": {"ph_condition": "fair"},
            "notes": {"housing": {"sources": ["home_visit"], "strengths": "ญาติช่วยค่าเช่า", "needs": "ที่พักถาวร"}}});
        let saved = json_of(
            c.put(&url)
                .bearer_auth(&t)
                .json(&draft)
                .send()
                .await
                .unwrap(),
            200,
        )
        .await;
        assert_eq!(saved["version"], 2);
        let stale = c
            .put(&url)
            .bearer_auth(&t)
            .json(&draft)
            .send()
            .await
            .unwrap();
        assert_eq!(stale.status(), 409);

        let bad = json!({"version": 2, "answers": {"ph_condition": 4, "ghost": true}});
        let problem = json_of(
            c.put(&url).bearer_auth(&t).json(&bad).send().await.unwrap(),
            422,
        )
        .await;
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["answers.ghost", "answers.ph_condition"]);
        assert!(problem["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));

        let incomplete = json_of(
            c.post(format!("{url}/complete"))
                .bearer_auth(&t)
                .json(&json!({"version": 2, "answers": {"ph_condition": "fair"}}))
                .send()
                .await
                .unwrap(),
            422,
        )
        .await;
        assert!(incomplete["errors"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["field"] == "answers.mh_mood" && e["code"] == "required"));

        let full = json!({"version": 2, "answers": {
            "ph_condition": "fair", "mh_mood": 2, "fam_relationship": "some_conflict", "soc_network": "some",
            "eco_work": "irregular", "hou_type": "rented", "leg_status": "thai_with_card", "saf_feels_unsafe": feels_unsafe},
            "notes": draft["notes"]});
        let done = json_of(
            c.post(format!("{url}/complete"))
                .bearer_auth(&t)
                .json(&full)
                .send()
                .await
                .unwrap(),
            200,
        )
        .await;
        assert_eq!(done["version"], 3);
        ids.push(id);
    }
    let list = json_of(
        c.get(server.url(&format!("/api/v1/cases/{case}/assessments")))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert_eq!(
        list[0]["notes"]["housing"]["sources"],
        json!(["home_visit"])
    );
    let cmp = json_of(
        c.get(server.url(&format!(
            "/api/v1/cases/{case}/assessments/compare?template_key=holistic"
        )))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap(),
        200,
    )
    .await;
    assert!(cmp["domains"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "safety" && d["title"]["th"] == "ความปลอดภัย"));
    let rows = cmp["assessments"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let safety = |i: usize| {
        rows[i]["scores"]["domains"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "safety")
            .unwrap()["score"]
            .as_i64()
    };
    assert_eq!((safety(0), safety(1)), (Some(3), Some(1)));

    // The admin cannot read it; the psychologist not on this case cannot either.
    for who in ["demo-admin", "demo-psychologist"] {
        let other = token(&server, who).await;
        let r = c
            .get(server.url(&format!("/api/v1/assessments/{}", ids[0])))
            .bearer_auth(&other)
            .send()
            .await
            .unwrap();
        assert!(
            r.status() == 403 || r.status() == 404,
            "{who}: {}",
            r.status()
        );
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_imports_exports_and_publishes_templates() {
    let server = TestServer::demo().await;
    let t = token(&server, "demo-admin").await;
    let c = server.client();
    let bad = "key: bad\ntitle: {th: ก, en: A}\nsections:\n  - code: s\n    title: {th: ก, en: A}\n    questions:\n      - {id: q, type: text, scored: true, label: {th: ก, en: A}}\n";
    let p = json_of(
        c.post(server.url("/api/v1/assessment-templates"))
            .bearer_auth(&t)
            .json(&json!({"source": bad}))
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    assert_eq!(p["errors"][0]["field"], "sections[0].questions[0]");
    assert_eq!(
        p["errors"][0]["code"],
        "assessment.template.scoring_not_allowed"
    );

    let all = json_of(
        c.get(server.url("/api/v1/assessment-templates"))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    let safety = all
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["key"] == "safety")
        .unwrap();
    let id = safety["id"].as_str().unwrap();
    let export = c
        .get(server.url(&format!("/api/v1/assessment-templates/{id}?format=yaml")))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    assert!(export.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/yaml"));
    let yaml = export.text().await.unwrap();
    let preview = json_of(
        c.post(server.url("/api/v1/assessment-templates/preview"))
            .bearer_auth(&t)
            .json(&json!({"source": yaml}))
            .send()
            .await
            .unwrap(),
        200,
    )
    .await;
    assert_eq!(preview["key"], "safety");
    let draft = json_of(
        c.post(server.url("/api/v1/assessment-templates"))
            .bearer_auth(&t)
            .json(&json!({"source": yaml}))
            .send()
            .await
            .unwrap(),
        201,
    )
    .await;
    assert_eq!(
        (draft["version"].as_i64(), draft["status"].as_str()),
        (Some(2), Some("draft"))
    );
    let did = draft["id"].as_str().unwrap();
    let publish = server.url(&format!("/api/v1/assessment-templates/{did}/publish"));
    assert_eq!(
        c.post(&publish)
            .bearer_auth(&t)
            .send()
            .await
            .unwrap()
            .status(),
        204
    );
    assert_eq!(
        c.post(&publish)
            .bearer_auth(&t)
            .send()
            .await
            .unwrap()
            .status(),
        422
    );
    assert!(
        server
            .audit_count("assessment_template.publish", "success")
            .await
            == 1
    );
    server.stop().await;
}
