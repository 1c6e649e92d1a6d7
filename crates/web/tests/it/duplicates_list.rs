//! The possible-duplicates list (issue 16 item 2): only pairs from the threshold, highest
//! first, reasons in words, and "not the same person" beside merge, as prominent.

use crate::common;

use common::{TestServer, DEMO_PASSWORD};
use karuna_app::Ctx;
use serde_json::Value;

/// Clients (first, last, sex, birth year BE) on cases of demo-manager, all with one phone;
/// returns their person ids.
async fn clients(server: &TestServer, people: &[(&str, &str, &str, &str)]) -> Vec<String> {
    let app = &server.app;
    let ctx = Ctx::default();
    let manager = app
        .login("demo-manager", DEMO_PASSWORD, &ctx)
        .await
        .unwrap()
        .user;
    let mut ids = Vec::new();
    for (first, last, sex, year) in people {
        let input = karuna_app::intake::IntakeInput {
            client: karuna_domain::person::PersonInput {
                first_name_th: first.to_string(),
                last_name_th: last.to_string(),
                birth_year: year.to_string(),
                sex: sex.to_string(),
                phones: vec!["086-555-1234".into()],
                ..Default::default()
            },
            consent: karuna_app::intake::ConsentInput {
                status: "granted".into(),
                ..Default::default()
            },
            referral_source: "self".into(),
            presenting_problem: "ทดสอบรายการบุคคลที่อาจซ้ำ".into(),
            case_types: vec!["other".into()],
            safety: karuna_domain::case::all_answered(karuna_domain::case::SafetyAnswer::No),
            ..Default::default()
        };
        ids.push(
            app.intake(&manager, &ctx, &input)
                .await
                .unwrap()
                .client_id
                .to_string(),
        );
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pair_that_shares_only_a_phone_is_not_offered() {
    let server = TestServer::demo().await;
    // A mother and her adult son: different sex, 30 years apart, different names.
    let family = clients(
        &server,
        &[
            ("บุญเรือน", "ทองคำ", "female", "2510"),
            ("ณัฐพล", "ศรีวงศ์", "male", "2540"),
        ],
    )
    .await;
    let token = server.token("demo-supervisor").await;
    let list: Value = server
        .client()
        .get(server.url("/api/v1/persons/duplicates?limit=100"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let items = list["items"].as_array().unwrap();
    let scores: Vec<i64> = items.iter().map(|p| p["score"].as_i64().unwrap()).collect();
    assert!(scores.iter().all(|s| *s >= 70), "{scores:?}");
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "highest first: {scores:?}"
    );
    let offered = items.iter().any(|p| {
        family.contains(&p["a"]["id"].as_str().unwrap_or("").to_string())
            && family.contains(&p["b"]["id"].as_str().unwrap_or("").to_string())
    });
    assert!(
        !offered,
        "a mother and son sharing a phone are not one person"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_the_same_person_is_as_prominent_as_merge() {
    let server = TestServer::demo().await;
    // One woman registered twice, her birth year a year apart.
    clients(
        &server,
        &[
            ("บุญเรือน", "ทองคำ", "female", "2510"),
            ("บุญเรือน", "ทองคำ", "female", "2511"),
        ],
    )
    .await;
    let (web, _) = server.login("demo-supervisor").await;
    let html = web
        .get(server.url("/persons/duplicates"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"duplicates-how\""));
    assert!(
        html.contains("id=\"merge-1\""),
        "the planted pair is listed"
    );
    {
        let button = |id: &str| {
            html.split(&format!("id=\"{id}\""))
                .next()
                .and_then(|s| s.rsplit("<button").next())
                .unwrap_or("")
                .to_string()
        };
        assert!(!button("merge-1").contains("secondary"));
        assert!(!button("not-same-1").contains("secondary"));
        // Which record stays is not chosen for the supervisor.
        let form = html.split("class=\"merge-form\"").nth(1).unwrap_or("");
        let form = form.split("</form>").next().unwrap_or("");
        assert!(!form.contains("checked"));
        // Reasons are words, not codes.
        assert!(!html.contains("first_name."));
        assert!(!html.contains("same_phone"));
    }
}
