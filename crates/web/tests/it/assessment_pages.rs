//! The assessment pages without JavaScript: start, show-if by re-rendering, field errors
//! beside the questions, complete, compare with an inline SVG chart; the admin's template
//! preview with path-named errors, import and publish.

use crate::common;

use common::{location, TestServer};
use karuna_app::Ctx;

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
        presenting_problem: "ทดสอบหน้าการประเมิน".into(),
        case_types: vec!["other".into()],
        safety: karuna_domain::case::all_answered(karuna_domain::case::SafetyAnswer::No),
        ..Default::default()
    };
    let created = server.app.intake(&manager, &ctx, &input).await.unwrap();
    created.case_id.to_string()
}

fn form(
    csrf: &str,
    version: &str,
    action: &str,
    answers: &[(&str, &str)],
) -> Vec<(String, String)> {
    let mut f = vec![
        ("csrf".to_string(), csrf.to_string()),
        ("version".to_string(), version.to_string()),
        ("action".to_string(), action.to_string()),
    ];
    f.extend(
        answers
            .iter()
            .map(|(k, v)| (format!("a.{k}"), v.to_string())),
    );
    f
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fill_complete_and_compare_without_javascript() {
    let server = TestServer::demo().await;
    let case = new_case(&server).await;
    let (c, csrf) = server.login("demo-manager").await;
    let file = c
        .get(server.url(&format!("/cases/{case}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(file.contains(&format!("/cases/{case}/assessments")));
    let list = c
        .get(server.url(&format!("/cases/{case}/assessments")))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
    assert!(list.text().await.unwrap().contains("value=\"safety\""));

    let mut ids = Vec::new();
    for (round, danger) in [(0, "yes"), (1, "no")] {
        let started = c
            .post(server.url(&format!("/cases/{case}/assessments")))
            .form(&[("csrf", csrf.as_str()), ("template_key", "safety")])
            .send()
            .await
            .unwrap();
        assert_eq!(started.status(), 303);
        let at = location(&started);
        let html = c
            .get(server.url(&at))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("name=\"a.self_harm_risk\""));
        assert!(
            !html.contains("name=\"a.self_harm_plan\""),
            "hidden until self-harm risk is yes"
        );

        let saved = c
            .post(server.url(&at))
            .form(&form(&csrf, "1", "save", &[("self_harm_risk", "yes")]))
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 303);
        let html = c
            .get(server.url(&at))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("name=\"a.self_harm_plan\""),
            "shown after the re-render"
        );

        let missing = c
            .post(server.url(&at))
            .form(&form(&csrf, "2", "complete", &[("self_harm_risk", "yes")]))
            .send()
            .await
            .unwrap();
        assert_eq!(missing.status(), 422);
        let html = missing.text().await.unwrap();
        assert!(
            html.contains("id=\"q-self_harm_plan-note\"") || html.contains("q-self_harm_plan-note")
        );
        assert!(html.contains("field-error"));

        let all = [
            ("in_danger_now", danger),
            ("injured_needs_care", "no"),
            ("child_without_carer", "no"),
            ("perpetrator_has_access", "no"),
            ("no_safe_place_tonight", "no"),
            ("self_harm_risk", "yes"),
            ("self_harm_plan", "no"),
            ("safety_plan_made", "yes"),
        ];
        let mut f = form(&csrf, "2", "complete", &all);
        f.push((
            "n.immediate_danger.sources".into(),
            "client_interview".into(),
        ));
        f.push(("n.immediate_danger.needs".into(), format!("รอบที่ {round}")));
        let done = c.post(server.url(&at)).form(&f).send().await.unwrap();
        assert_eq!(
            done.status(),
            303,
            "{}",
            done.text().await.unwrap_or_default()
        );
        let html = c
            .get(server.url(&at))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("id=\"assessment-overall\""));
        assert!(
            !html.contains("id=\"assessment-save\""),
            "a completed assessment has no form"
        );
        ids.push(at);
    }
    let cmp = c
        .get(server.url(&format!(
            "/cases/{case}/assessments/compare?template_key=safety"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(cmp.status(), 200);
    let html = cmp.text().await.unwrap();
    assert!(html.contains("<svg") && html.contains("<rect"));
    assert!(!html.contains("style="), "no inline styles");

    // The psychologist is not on this case.
    let (other, _) = server.login("demo-psychologist").await;
    assert_eq!(
        other
            .get(server.url(&ids[0]))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_previews_imports_and_publishes() {
    let server = TestServer::demo().await;
    let (c, csrf) = server.login("demo-admin").await;
    let list = c
        .get(server.url("/admin/assessment-templates"))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
    let bad = "key: bad\ntitle: {th: ก, en: A}\nsections:\n  - code: s\n    title: {th: ก, en: A}\n    questions:\n      - {id: q, type: yes_no, label: {th: ก, en: A}, show_if: {question: q, any_of: [\"yes\"]}}\n";
    let r = c
        .post(server.url("/admin/assessment-templates"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("source", bad),
            ("action", "preview"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 422);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("sections[0].questions[0].show_if"));
    let good = bad.replace(", show_if: {question: q, any_of: [\"yes\"]}", "");
    let r = c
        .post(server.url("/admin/assessment-templates"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("source", good.as_str()),
            ("action", "preview"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = c
        .post(server.url("/admin/assessment-templates"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("source", good.as_str()),
            ("action", "import"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let at = location(&r);
    let html = c
        .get(server.url(&at))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"template-publish\""));
    let r = c
        .post(server.url(&format!("{at}/publish")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let html = c
        .get(server.url(&at))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!html.contains("id=\"template-publish\""));
    let export = c
        .get(server.url(&format!("{at}/export?format=yaml")))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), 200);
    assert!(export.text().await.unwrap().contains("key: bad"));
    server.stop().await;
}
