//! Each case type starts its cases' assessments with its own template (the law's steps for
//! domestic violence, older persons, disability …); administrators may choose another; the
//! page selects it and the API uses it when no template is named.

use crate::common;

use common::TestServer;
use serde_json::{json, Value};

fn intake(types: &[&str]) -> Value {
    json!({
        "client": {"first_name_th": "บุญมี", "last_name_th": "ใจกล้า", "birth_year": "2500"},
        "documents": [{"kind": "none"}],
        "consent": {"lawful_basis": "vital_interest"}, "safety": crate::common::no_risk(),
        "referral_source": "self",
        "presenting_problem": "ถูกบุตรชายทำร้ายร่างกาย",
        "case_types": types,
    })
}

/// Starts an assessment over the API without naming a template; returns its template key.
async fn start_default(server: &TestServer, token: &str, case: &str) -> String {
    let c = server.client();
    let resp = c
        .post(server.url(&format!("/api/v1/cases/{case}/assessments")))
        .bearer_auth(token)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let id = resp.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let a: Value = c
        .get(server.url(&format!("/api/v1/assessments/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    a["assessment"]["template_key"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The option the assessments page's start form selects.
async fn selected_on_page(server: &TestServer, case: &str) -> String {
    let (c, _) = server.login("demo-manager").await;
    let html = c
        .get(server.url(&format!("/cases/{case}/assessments")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let from = html.find("id=\"template_key\"").expect("the start form");
    let select = &html[from..from + html[from..].find("</select>").expect("select end")];
    let at = select.find("\" selected>").expect("a selected template");
    let start = select[..at].rfind("value=\"").expect("option value") + 7;
    select[start..at].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_starts_with_its_types_template() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    for (types, template) in [
        (&["domestic_violence"][..], "domestic_violence"),
        (&["older_person", "domestic_violence"][..], "older_person"),
        (&["disability"][..], "disability"),
        (&["trafficking"][..], "trafficking_care"),
        (&["other"][..], "holistic"),
    ] {
        let case = server.open_case(&manager, &intake(types)).await;
        assert_eq!(
            selected_on_page(&server, &case).await,
            template,
            "{types:?}"
        );
        assert_eq!(
            start_default(&server, &manager, &case).await,
            template,
            "{types:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn administrators_choose_a_types_template() {
    let server = TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let manager = server.token("demo-manager").await;
    let c = server.client();
    let url = server.url("/api/v1/case-types/other");
    let other: Value = c
        .get(&url)
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(other["assessment_template"], "holistic");

    let change = |key: &str| json!({"review_days": 30, "active": true, "assessment_template": key, "version": other["version"]});
    let resp = c
        .put(&url)
        .bearer_auth(&admin)
        .json(&change("no_such_template"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let p: Value = resp.json().await.unwrap();
    assert_eq!(p["errors"][0]["field"], "assessment_template");

    let resp = c
        .put(&url)
        .bearer_auth(&admin)
        .json(&change("safety"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let saved: Value = resp.json().await.unwrap();
    assert_eq!(saved["assessment_template"], "safety");

    let case = server.open_case(&manager, &intake(&["other"])).await;
    assert_eq!(selected_on_page(&server, &case).await, "safety");
    assert_eq!(start_default(&server, &manager, &case).await, "safety");

    // The administrator's form offers the published templates, the chosen one selected.
    let (admin_page, _) = server.login("demo-admin").await;
    let html = admin_page
        .get(server.url("/admin/case-types/other"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"assessment_template\""));
    assert!(html.contains("<option value=\"safety\" selected>"));
    assert!(html.contains("<option value=\"older_person\">"));
}
