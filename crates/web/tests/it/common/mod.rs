//! Test harness: a real Karuna server on a random port over a fresh database. The backend is
//! chosen by `KARUNA_TEST_DB` (`sqlite`, the default, or `postgres` with `KARUNA_TEST_PG_URL`
//! pointing at a server where the test may create databases); every test gets its own
//! database.
#![allow(dead_code)]

use karuna_app::{App, Settings};
use karuna_store::Db;
use karuna_web::i18n::Catalog;
use karuna_web::{AppState, WebSettings};
use std::path::PathBuf;
use std::sync::Arc;

pub const DEMO_PASSWORD: &str = "karuna-demo";

/// A running server.
pub struct TestServer {
    pub base: String,
    pub app: App,
    pub url: String,
    pub dir: PathBuf,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    handle: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

/// A fresh database URL for one test (SQLite or PostgreSQL by `KARUNA_TEST_DB`).
pub async fn fresh_database_url(dir: &std::path::Path) -> String {
    karuna_store::testing::fresh_database_url(dir)
        .await
        .expect("fresh test database")
}

pub fn temp_dir() -> PathBuf {
    karuna_store::testing::temp_dir().expect("temp dir")
}

impl TestServer {
    /// A demo server (demo accounts seeded and allowed).
    pub async fn demo() -> TestServer {
        let dir = temp_dir();
        let url = fresh_database_url(&dir).await;
        TestServer::start_on(
            url,
            dir,
            true,
            Settings {
                demo: true,
                ..Settings::default()
            },
        )
        .await
    }

    /// The demo organisation, units and accounts but none of the demo cases: every case on it
    /// is the test's own (so a test knows all the user data a page can show).
    pub async fn accounts_only() -> TestServer {
        let dir = temp_dir();
        let url = fresh_database_url(&dir).await;
        let server = TestServer::start_on(
            url,
            dir,
            false,
            Settings {
                demo: true,
                ..Settings::default()
            },
        )
        .await;
        server.app.seed_demo_accounts().await.expect("seed");
        server
    }

    /// A server over an existing database (for restarts), with `settings`.
    pub async fn start_on(url: String, dir: PathBuf, demo: bool, settings: Settings) -> TestServer {
        TestServer::start_full(
            url,
            dir,
            demo,
            settings,
            WebSettings {
                secure_cookies: false,
                demo,
                mail_enabled: false,
                security_contact: Some("mailto:security@example.go.th".into()),
            },
        )
        .await
    }

    /// A server with explicit adapter settings.
    pub async fn start_full(
        url: String,
        dir: PathBuf,
        demo: bool,
        settings: Settings,
        web: WebSettings,
    ) -> TestServer {
        let db = Db::connect(&url).await.expect("connect");
        db.migrate().await.expect("migrate");
        let app = App::new(db, settings);
        if demo {
            app.seed_demo().await.expect("seed");
        }
        let state = AppState {
            app: app.clone(),
            catalog: Arc::new(Catalog::load().expect("catalogue")),
            web,
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let handle = tokio::spawn(karuna_web::serve(listener, state, async {
            let _ = rx.await;
        }));
        TestServer {
            base,
            app,
            url,
            dir,
            stop: Some(tx),
            handle: Some(handle),
        }
    }

    /// Stops the server and closes its pools; returns the URL and folder for a restart.
    pub async fn stop(mut self) -> (String, PathBuf) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            let _ = h.await;
        }
        self.app.db.close().await;
        (self.url.clone(), self.dir.clone())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A browser-like client: cookie store, no redirect following.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// Logs `username` in through the login form; returns the client and the session's CSRF
    /// token (from the home page).
    pub async fn login(&self, username: &str) -> (reqwest::Client, String) {
        self.login_with(username, DEMO_PASSWORD)
            .await
            .unwrap_or_else(|s| panic!("login {username}: {s}"))
    }

    pub async fn login_with(
        &self,
        username: &str,
        password: &str,
    ) -> Result<(reqwest::Client, String), u16> {
        let c = self.client();
        let html = c
            .get(self.url("/login"))
            .send()
            .await
            .expect("GET /login")
            .text()
            .await
            .expect("body");
        let pre = csrf_of(&html).expect("csrf on the login page");
        let resp = c
            .post(self.url("/login"))
            .form(&[
                ("csrf", pre.as_str()),
                ("username", username),
                ("password", password),
            ])
            .send()
            .await
            .expect("POST /login");
        if resp.status() != 303 && resp.status() != 302 {
            return Err(resp.status().as_u16());
        }
        let home = c
            .get(self.url("/"))
            .send()
            .await
            .expect("GET /")
            .text()
            .await
            .expect("body");
        let csrf = csrf_of(&home).expect("csrf on the home page");
        Ok((c, csrf))
    }

    /// Id of an account by username.
    pub async fn user_id(&self, username: &str) -> uuid::Uuid {
        karuna_store::account::account_by_username(&self.app.db, username)
            .await
            .expect("query")
            .expect("user")
            .id
    }

    /// A new API bearer token for a (demo) user.
    #[allow(dead_code)]
    pub async fn token(&self, username: &str) -> String {
        let ctx = karuna_app::Ctx::default();
        self.app
            .issue_token(None, &ctx, username, "test")
            .await
            .expect("token")
            .1
    }

    /// Opens a case through `POST /api/v1/cases` with `intake` as the body (answer the safety
    /// screen, e.g. with [`no_risk`]); returns its id.
    #[allow(dead_code)]
    pub async fn open_case(&self, token: &str, intake: &serde_json::Value) -> String {
        let resp = self
            .client()
            .post(self.url("/api/v1/cases"))
            .bearer_auth(token)
            .json(intake)
            .send()
            .await
            .expect("intake");
        let status = resp.status();
        let body: serde_json::Value = resp.json().await.expect("json");
        assert_eq!(status, 201, "intake: {body}");
        body["case_id"].as_str().expect("case_id").to_string()
    }

    /// Audit events with this action and outcome.
    pub async fn audit_count(&self, action: &str, outcome: &str) -> i64 {
        sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM audit_event WHERE action = $1 AND outcome = $2",
        )
        .bind(action)
        .bind(outcome)
        .fetch_one(self.app.db.read())
        .await
        .expect("count")
    }
}

/// The value of the hidden `csrf` field (or the csrf meta tag).
pub fn csrf_of(html: &str) -> Option<String> {
    for marker in ["name=\"csrf\" value=\"", "name=\"csrf-token\" content=\""] {
        if let Some(at) = html.find(marker) {
            let rest = &html[at + marker.len()..];
            let v = &rest[..rest.find('"')?];
            if !v.is_empty() {
                return Some(v.to_string());
            }
        }
    }
    None
}

/// A complete intake form for a new client (Bangkok address, an ID number if given).
pub fn intake_form(csrf: &str, first: &str, id_number: &str) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = [
        ("csrf", csrf),
        ("client.prefix", "miss"),
        ("client.first_name_th", first),
        ("client.last_name_th", "ทดสอบระบบ"),
        ("client.sex", "female"),
        ("client.birth_date", "14/02/2540"),
        ("client.phones[0]", "081-234-5678"),
        ("documents[0].kind", "thai_national_id"),
        ("documents[0].number", id_number),
        ("address.house_no", "12/3"),
        ("address.province_code", "10"),
        ("address.district_code", "1001"),
        ("address.subdistrict_code", "100101"),
        ("address.postcode", ""),
        ("consent.status", "granted"),
        ("referral_source", "hotline_1300"),
        ("presenting_problem", "ถูกทำร้ายร่างกาย ต้องการที่พักปลอดภัย"),
        ("safety.in_danger_now", "no"),
        ("safety.injured_needs_care", "no"),
        ("safety.child_without_carer", "no"),
        ("safety.perpetrator_has_access", "no"),
        ("safety.no_safe_place_tonight", "yes"),
        ("safety.self_harm_risk", "no"),
        ("case_types", "domestic_violence"),
        ("case_types", "poverty_homelessness"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    f.push(("unit_id".into(), String::new()));
    f
}

/// The Location header of a redirect.
pub fn location(resp: &reqwest::Response) -> String {
    resp.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// Completes a holistic assessment of `case` through the API (planning needs one).
#[allow(dead_code)]
pub async fn complete_holistic(server: &TestServer, token: &str, case: &str) {
    let c = server.client();
    let created: serde_json::Value = c
        .post(server.url(&format!("/api/v1/cases/{case}/assessments")))
        .bearer_auth(token)
        .json(&serde_json::json!({"template_key": "holistic"}))
        .send()
        .await
        .expect("start")
        .json()
        .await
        .expect("json");
    let id = created["id"].as_str().expect("id").to_string();
    let full = serde_json::json!({"version": 1, "answers": {
        "ph_condition": "fair", "mh_mood": 2, "fam_relationship": "some_conflict", "soc_network": "some",
        "eco_work": "irregular", "hou_type": "rented", "leg_status": "thai_with_card", "saf_feels_unsafe": 1},
        "notes": {"housing": {"sources": ["home_visit"], "needs": "ที่พักถาวร"}}});
    let resp = c
        .post(server.url(&format!("/api/v1/assessments/{id}/complete")))
        .bearer_auth(token)
        .json(&full)
        .send()
        .await
        .expect("complete");
    assert_eq!(resp.status(), 200, "completing the assessment");
}

/// An intake's safety screen with every question answered "no" (the API refuses a question
/// left unanswered).
pub fn no_risk() -> serde_json::Value {
    serde_json::json!({"in_danger_now": false, "injured_needs_care": false,
                       "child_without_carer": false, "perpetrator_has_access": false,
                       "no_safe_place_tonight": false, "self_harm_risk": false})
}
