//! The plan pages: the version form with errors beside their fields, the plan in force with a
//! progress form per goal and the GAS T-score.

use crate::common;

use common::TestServer;
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_plan_pages_write_and_measure() {
    let server = TestServer::demo().await;
    let manager = server.token("demo-manager").await;
    let intake = json!({
        "client": {"first_name_th": "สมใจ", "last_name_th": "รักงาน", "birth_year": "2520"},
        "documents": [{"kind": "none"}],
        "consent": {"lawful_basis": "vital_interest"},
        "referral_source": "self", "presenting_problem": "ตกงาน", "safety": crate::common::no_risk(),
        "case_types": ["poverty_homelessness"],
    });
    let id = server.open_case(&manager, &intake).await;
    let (web, csrf) = server.login("demo-manager").await;
    let page = web
        .get(server.url(&format!("/cases/{id}/plan/edit")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("name=\"goals[0].indicator\""));

    // A goal missing its indicator: 422, the input kept, the error next to the field.
    let mut form = vec![
        ("csrf", csrf.clone()),
        ("based_on", "0".into()),
        ("goals[0].id", String::new()),
        ("goals[0].dimension", "economic".into()),
        ("goals[0].statement", "มีงานทำ".into()),
        ("goals[0].indicator", String::new()),
        ("goals[0].baseline", "ว่างงาน".into()),
        ("goals[0].target", "มีงานประจำ".into()),
        ("goals[0].target_date", "31/05/2570".into()),
        ("goals[0].priority", "high".into()),
        ("goals[0].weight", "1".into()),
        ("goals[0].client_agreement", "อยากทำงานโรงงาน".into()),
        ("goals[0].interventions[0].id", String::new()),
        ("goals[0].interventions[0].method", "job_placement".into()),
        ("goals[0].interventions[0].responsible_id", String::new()),
        ("goals[0].interventions[0].provider", "จัดหางานจังหวัด".into()),
        ("goals[0].interventions[0].start", "01/12/2569".into()),
        ("goals[0].interventions[0].end", String::new()),
        ("goals[0].interventions[0].frequency", String::new()),
        ("goals[0].interventions[0].status", "planned".into()),
        ("goals[1].statement", String::new()),
        ("goals[1].interventions[0].method", String::new()),
    ];
    let resp = web
        .post(server.url(&format!("/cases/{id}/plan")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"goals-0-indicator-error\""));
    assert!(html.contains("อยากทำงานโรงงาน"));

    form[5].1 = "มีสัญญาจ้าง".into();
    let resp = web
        .post(server.url(&format!("/cases/{id}/plan")))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 303);
    let html = web
        .get(server.url(&format!("/cases/{id}/plan?saved=1")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("มีสัญญาจ้าง"));
    assert!(html.contains("จัดหางานจังหวัด"));
    let goal = html
        .split("name=\"goal_id\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();

    // Progress through the goal's form: a bad source is named; a good entry shows the T-score.
    let resp = web
        .post(server.url(&format!("/cases/{id}/progress")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("goal_id", &goal),
            ("gas", "1"),
            ("source", "gossip"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 422);
    let resp = web
        .post(server.url(&format!("/cases/{id}/progress")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("goal_id", &goal),
            ("gas", "1"),
            ("source", "interview"),
            ("note", "ได้งานแล้ว"),
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
    // One goal at +1 with weight 1: 50 + 10/sqrt(1) = 60.
    assert!(html.contains("<span id=\"gas-t\">60.0</span>"), "{html}");
    assert!(html.contains("ได้งานแล้ว"));

    // The edit form now carries the goal's id so a revision keeps it.
    let html = web
        .get(server.url(&format!("/cases/{id}/plan/edit")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("value=\"{goal}\"")));
    assert!(html.contains("name=\"reason\""));
    server.stop().await;
}
