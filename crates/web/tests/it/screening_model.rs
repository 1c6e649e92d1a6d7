//! The learned layer of the complexity screening (issue 22 item 1b), on SQLite and PostgreSQL:
//! with too few closed cases it says so and stays off; on a generated agency it trains in the
//! background, shows its validation figures and features, and every new screening carries its
//! estimate with the features that weighed most; switched off, screenings are the rules' alone.
//! Only administrators see or train it; each step is audited.

use crate::common::TestServer;
use crate::statements::{agency, PASSWORD};
use crate::tasks::{get, intake, post, put};
use serde_json::{json, Value};

const STATE: &str = "/api/v1/decision-support/complexity-model";
const RUNS: &str = "/api/v1/decision-support/complexity-model/runs";

/// Starts a run and reads the state until it ends.
async fn train(server: &TestServer, token: &str) -> Value {
    let (status, started) = post(server, token, RUNS, json!({})).await;
    assert_eq!(status, 202, "{started}");
    assert_eq!(started["status"], "training");
    for _ in 0..600 {
        let (status, state) = get(server, token, STATE).await;
        assert_eq!(status, 200, "{state}");
        if state["latest"]["status"] != "training" {
            assert_eq!(state["latest"]["id"], started["id"]);
            return state;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("training did not end within a minute");
}

async fn latest_screening(server: &TestServer, token: &str, case: &str) -> Value {
    let (status, all) = get(server, token, &format!("/api/v1/cases/{case}/screenings")).await;
    assert_eq!(status, 200, "{all}");
    all["suggestions"][0]["screening"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn too_few_closed_cases_leave_the_learned_layer_off() {
    let server = TestServer::demo().await;
    let admin = server.token("demo-admin").await;
    let manager = server.token("demo-manager").await;
    let (status, _) = get(&server, &manager, STATE).await;
    assert_eq!(status, 403);
    let (status, _) = post(&server, &manager, RUNS, json!({})).await;
    assert_eq!(status, 403);

    let (status, state) = get(&server, &admin, STATE).await;
    assert_eq!(status, 200, "{state}");
    assert_eq!(state["enabled"], true);
    assert!(state["latest"].is_null() && state["in_use"].is_null());
    let state = train(&server, &admin).await;
    assert_eq!(state["latest"]["status"], "too_few", "{state}");
    assert_eq!(state["latest"]["number"], 1);
    assert!(state["latest"]["model"].is_null());
    assert!(state["in_use"].is_null());
    // A new screening is the rules' alone.
    let case = server.open_case(&manager, &intake("เรียนรู้")).await;
    let s = latest_screening(&server, &manager, &case).await;
    assert!(s.get("learned").is_none(), "{s}");
    assert_eq!(
        server.audit_count("screening.model.train", "success").await,
        1
    );
    assert_eq!(
        server
            .audit_count("screening.model.trained", "success")
            .await,
        1
    );
    // A run under way refuses another (409); one cut off an hour ago (the server stopped) is
    // marked failed when the next starts.
    let (org, admin_id): (String, String) =
        sqlx::query_as("SELECT org_id, id FROM account WHERE username = 'demo-admin'")
            .fetch_one(server.app.db.read())
            .await
            .unwrap();
    let mut tx = server.app.db.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO screening_model (id, org_id, number, status, requested_by, requested_at) \
         VALUES ($1, $2, 2, 'training', $3, $4)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(&org)
    .bind(&admin_id)
    .bind(karuna_store::time::now_db())
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let (status, body) = post(&server, &admin, RUNS, json!({})).await;
    assert_eq!(status, 409, "{body}");
    assert!(body["type"].as_str().unwrap().ends_with("/model_training"));
    let mut tx = server.app.db.begin().await.unwrap();
    sqlx::query("UPDATE screening_model SET requested_at = $1 WHERE number = 2 AND org_id = $2")
        .bind(karuna_store::time::to_db(
            chrono::Utc::now() - chrono::Duration::minutes(61),
        ))
        .bind(&org)
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let state = train(&server, &admin).await;
    assert_eq!(state["latest"]["number"], 3);
    let abandoned: String =
        sqlx::query_scalar("SELECT status FROM screening_model WHERE number = 2 AND org_id = $1")
            .bind(&org)
            .fetch_one(server.app.db.read())
            .await
            .unwrap();
    assert_eq!(abandoned, "failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_generated_agency_the_model_trains_explains_and_can_be_switched_off() {
    let server = agency(600, 0).await;
    let admin = server.token("gen-admin").await;
    let manager = server.token("gen-manager-001").await;

    let state = train(&server, &admin).await;
    let run = &state["latest"];
    assert_eq!(run["status"], "ready", "{state}");
    assert_eq!(state["in_use"]["id"], run["id"]);
    let (closed, long) = (
        run["closed_cases"].as_i64().unwrap(),
        run["long_cases"].as_i64().unwrap(),
    );
    assert!(closed >= 200 && long >= 20 && closed - long >= 20, "{run}");
    let v = &run["model"]["validation"];
    assert_eq!(
        v["trained_on"].as_i64().unwrap() + v["validated_on"].as_i64().unwrap(),
        closed
    );
    // The generated world makes emergencies and needs lengthen cases: the model finds it.
    let auc = v["auc"].as_f64().unwrap();
    assert!(auc > 0.6, "auc {auc}");
    assert!(v["brier"].as_f64().unwrap() < v["base_brier"].as_f64().unwrap());
    let features = run["model"]["features"].as_array().unwrap();
    let weight = |k: &str| {
        features
            .iter()
            .find(|f| f["key"] == k)
            .and_then(|f| f["weight"].as_f64())
            .unwrap()
    };
    assert!(weight("emergency") > 0.0);
    for protected in ["sex", "nationality", "province", "document_kinds"] {
        assert!(!features.iter().any(|f| f["key"] == protected));
    }

    // A new screening carries the estimate and its reasons beside the rules' level.
    let case = server.open_case(&manager, &intake("แบบจำลอง")).await;
    let s = latest_screening(&server, &manager, &case).await;
    let learned = &s["learned"];
    assert_eq!(learned["model_version"], 1, "{s}");
    assert_eq!(learned["long_case_days"], 180);
    let p = learned["long_percent"].as_i64().unwrap();
    assert!((0..=100).contains(&p));
    assert!(!learned["reasons"].as_array().unwrap().is_empty());

    // The page shows the figures and the case shows the estimate.
    let (browser, _) = server.login_with("gen-admin", PASSWORD).await.unwrap();
    let page = browser
        .get(server.url("/admin/screening/model"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for id in [
        "model-auc",
        "model-calibration",
        "model-features",
        "model-verdict",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "{id}");
    }
    assert!(html.contains(&format!("{auc:.2}")));
    let (worker, _) = server
        .login_with("gen-manager-001", PASSWORD)
        .await
        .unwrap();
    let html = worker
        .get(server.url(&format!("/cases/{case}/screening")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("id=\"learned-estimate\""));
    assert!(html.contains(&format!("{p}%")));

    // Switched off: the next screening is the rules' alone.
    let (status, body) = put(&server, &manager, STATE, json!({"enabled": false})).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = put(
        &server,
        &admin,
        STATE,
        json!({"enabled": false, "version": 0}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["version"], 1);
    let (status, _) = put(
        &server,
        &admin,
        STATE,
        json!({"enabled": true, "version": 0}),
    )
    .await;
    assert_eq!(status, 409);
    let (status, _) = post(
        &server,
        &manager,
        &format!("/api/v1/cases/{case}/screenings"),
        json!({}),
    )
    .await;
    assert_eq!(status, 201);
    let s = latest_screening(&server, &manager, &case).await;
    assert!(s.get("learned").is_none(), "{s}");
    assert_eq!(
        server
            .audit_count("screening.model.switch", "success")
            .await,
        1
    );
    assert_eq!(
        server
            .audit_count("screening.model.trained", "success")
            .await,
        1
    );
}
