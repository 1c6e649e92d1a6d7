//! No request's cost grows with the organisation: the SQL statements of each request type in
//! the load benchmark's mix (and a few more pages a worker opens every day), made by the same
//! generated case manager (the case pages on a case the test opens, so that they read a case of
//! the same shape in both), counted on a small and on a larger generated agency. The larger
//! one has 15× the cases and persons and more accounts than any picker page holds; the
//! manager's case list is full on both. Lists may cost more rows with their page size, never
//! more statements with the organisation.
//!
//! Statements are counted from sqlx's own events (target `sqlx::query`, one per statement
//! run) by a global tracing layer: the count is the process's, so this needs one process per
//! test, as `cargo nextest` runs them (the README's test command). The server under test runs
//! no background task (the audit sealer is the CLI's), so every statement counted between a
//! request's send and its answer is that request's. The PRAGMAs a new pooled SQLite connection
//! runs are not counted: when the pool opens one depends on timing, not on the request.

use crate::common::{csrf_of, fresh_database_url, temp_dir, TestServer};
use karuna_app::Settings;
use karuna_store::gen::{run, GenOptions};
use karuna_store::Db;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, Once};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::Layer;

static STATEMENTS: AtomicU64 = AtomicU64::new(0);
/// The statements' summaries (their first words), to name what grew.
static SEEN: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Counts sqlx's `sqlx::query` events and keeps their summaries.
struct Counter;

struct Summary(String);

impl tracing::field::Visit for Summary {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "summary" {
            self.0 = value.to_string();
        }
    }
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "summary" {
            self.0 = format!("{value:?}");
        }
    }
}

impl<S: tracing::Subscriber> Layer<S> for Counter {
    fn on_event(&self, event: &tracing::Event<'_>, _: Context<'_, S>) {
        if event.metadata().target() == "sqlx::query" {
            let mut summary = Summary(String::new());
            event.record(&mut summary);
            if summary.0.starts_with("PRAGMA ") {
                // A new pooled SQLite connection's set-up (db.rs), not the request's work.
                return;
            }
            if let Ok(mut seen) = SEEN.lock() {
                seen.push(summary.0);
            }
            STATEMENTS.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// How many statements ran since `from` (a count read before), and their summaries.
fn since(from: u64) -> (u64, Vec<String>) {
    let n = STATEMENTS.load(Ordering::SeqCst) - from;
    let seen = SEEN
        .lock()
        .map(|seen| seen.iter().skip(from as usize).cloned().collect())
        .unwrap_or_default();
    (n, seen)
}

fn install_counter() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let filter = tracing_subscriber::filter::Targets::new()
            .with_target("sqlx::query", tracing::Level::TRACE);
        let subscriber = tracing_subscriber::registry().with(Counter.with_filter(filter));
        tracing::subscriber::set_global_default(subscriber).expect("the only global subscriber");
    });
}

pub(crate) const PASSWORD: &str = "statement-count-1";
const MANAGER: &str = "gen-manager-001";
const SUPERVISOR: &str = "gen-supervisor-001";

/// A generated agency of `cases` cases (and as many persons) with `extra_accounts` more
/// team members in its first unit, served by a test server.
pub(crate) async fn agency(cases: u64, extra_accounts: usize) -> TestServer {
    let dir = temp_dir();
    let url = fresh_database_url(&dir).await;
    let db = Db::connect(&url).await.expect("connect");
    db.migrate().await.expect("migrate");
    let hash = karuna_app::session::hash_password(PASSWORD.into())
        .await
        .expect("hash");
    let options = GenOptions {
        persons: cases,
        cases,
        notes_per_case: 3,
        seed: 7,
        force: false,
        password_hash: hash.clone(),
    };
    let report = run(&db, &options, &mut |_| {}).await.expect("gen");
    let unit = karuna_store::account::list_units(&db, report.org_id)
        .await
        .expect("units")
        .first()
        .map(|u| u.id);
    let mut tx = db.begin().await.expect("tx");
    for i in 0..extra_accounts {
        karuna_store::account::insert_account(
            &mut tx,
            &karuna_store::account::NewAccount {
                org_id: report.org_id,
                unit_id: unit,
                username: format!("extra-{i:04}"),
                display_name: format!("ทีม {i}"),
                role: "team_member".into(),
                profession: Some("social_worker".into()),
                password_hash: hash.clone(),
                demo: false,
            },
        )
        .await
        .expect("account");
    }
    tx.commit().await.expect("commit");
    db.close().await;
    TestServer::start_on(url, dir, false, Settings::default()).await
}

/// Statements per request type, made by the generated manager.
async fn count_requests(s: &TestServer) -> BTreeMap<&'static str, (u64, Vec<String>)> {
    let mut counts = BTreeMap::new();
    let before = STATEMENTS.load(Ordering::SeqCst);
    let (c, _) = s
        .login_with(MANAGER, PASSWORD)
        .await
        .unwrap_or_else(|st| panic!("login answered {st}"));
    // login_with also fetched the home page once; log in is counted with it.
    counts.insert("log in (and the home page)", since(before));
    let list = c.get(s.url("/cases")).send().await.expect("list");
    let list = list.text().await.expect("body");
    let csrf = csrf_of(&list).expect("csrf");

    // The writes first, on a case this test opens, so that the pages below read a case of the
    // same shape in both agencies (a generated case's records differ from one seed to another,
    // and with them which optional reads a page makes).
    let post = |path: String, body: serde_json::Value| {
        let c = c.clone();
        let csrf = csrf.clone();
        async move {
            let before = STATEMENTS.load(Ordering::SeqCst);
            let resp = c
                .post(s.url(&path))
                .header("x-csrf-token", &csrf)
                .json(&body)
                .send()
                .await
                .expect("post");
            let status = resp.status();
            let text = resp.text().await.unwrap_or_default();
            assert!(status.is_success(), "{path} answered {status}: {text}");
            (since(before), text)
        }
    };
    let (n, created) = post(
        "/api/v1/cases".into(),
        serde_json::json!({
            "client": {"first_name_th": "ทดสอบ", "last_name_th": "นับคำสั่ง",
                       "birth_year": "2530", "sex": "female"},
            "consent": {"lawful_basis": "vital_interest"},
            "safety": crate::common::no_risk(),
            "referral_source": "self",
            "presenting_problem": "ขอความช่วยเหลือด้านที่พักอาศัย",
            "case_types": ["poverty_homelessness"],
        }),
    )
    .await;
    counts.insert("create a case", n);
    let created: serde_json::Value = serde_json::from_str(&created).expect("json");
    let case = created["case_id"].as_str().expect("case_id").to_string();
    let (n, _) = post(
        format!("/api/v1/cases/{case}/contacts"),
        serde_json::json!({"kind": "phone_call", "date": yesterday_be(),
                           "note": "โทรศัพท์ติดตามอาการ ผู้รับบริการนอนหลับได้ดีขึ้น"}),
    )
    .await;
    counts.insert("add a contact note", n);

    let pages: &[(&'static str, String)] = &[
        ("home page", "/".into()),
        ("case list", "/cases".into()),
        ("case search", "/search?q=%E0%B9%80%E0%B8%A2%E0%B8%B5%E0%B9%88%E0%B8%A2%E0%B8%A1%E0%B8%9A%E0%B9%89%E0%B8%B2%E0%B8%99".into()),
        ("open a case", format!("/cases/{case}")),
        ("case contacts tab", format!("/cases/{case}?tab=contacts")),
        ("case team tab", format!("/cases/{case}?tab=team")),
        ("case team tab, staff search", format!("/cases/{case}?tab=team&staff_q=%E0%B8%97%E0%B8%B5%E0%B8%A1")),
        ("case timeline", format!("/cases/{case}/timeline")),
        ("case plan", format!("/cases/{case}/plan")),
        ("case API", format!("/api/v1/cases/{case}")),
        ("case contacts API", format!("/api/v1/cases/{case}/contacts")),
    ];
    for (name, path) in pages {
        let before = STATEMENTS.load(Ordering::SeqCst);
        let resp = c.get(s.url(path)).send().await.expect("get");
        let status = resp.status();
        let _ = resp.bytes().await;
        assert!(status.is_success(), "{name} ({path}) answered {status}");
        counts.insert(*name, since(before));
    }

    // The supervisor's pages read the unit's work: approvals, monitoring, the whole unit's list,
    // its figures and its forecast.
    let (c, _) = s
        .login_with(SUPERVISOR, PASSWORD)
        .await
        .unwrap_or_else(|st| panic!("supervisor login answered {st}"));
    for (name, path) in [
        ("supervisor's home page", "/"),
        ("supervisor's case list", "/cases"),
        ("supervisor's dashboard", "/reports/dashboard"),
        ("supervisor's trends", "/reports/trends"),
    ] {
        let before = STATEMENTS.load(Ordering::SeqCst);
        let resp = c.get(s.url(path)).send().await.expect("get");
        let status = resp.status();
        let _ = resp.bytes().await;
        assert!(status.is_success(), "{name} ({path}) answered {status}");
        counts.insert(name, since(before));
    }
    counts
}

/// Yesterday in Bangkok as the API reads a date (d/m/yyyy, Buddhist era): never in the
/// future, whatever the hour.
fn yesterday_be() -> String {
    use chrono::Datelike;
    let d = karuna_thai::calendar::bangkok_date(chrono::Utc::now()) - chrono::Duration::days(1);
    format!("{:02}/{:02}/{}", d.day(), d.month(), d.year() + 543)
}

#[tokio::test]
async fn statements_per_request_do_not_grow_with_the_organisation() {
    assert!(
        std::env::var_os("NEXTEST_RUN_ID").is_some(),
        "counts statements per process: run under `cargo nextest` (one process per test)"
    );
    install_counter();
    let small = agency(40, 0).await;
    let small_counts = count_requests(&small).await;
    small.stop().await;
    let large = agency(600, 250).await;
    let large_counts = count_requests(&large).await;
    large.stop().await;

    let mut grown = Vec::new();
    println!("{:<28} {:>6} {:>6}", "request", "small", "large");
    for (name, (n, small_sql)) in &small_counts {
        let (m, large_sql) = large_counts.get(name).cloned().unwrap_or_default();
        println!("{name:<28} {n:>6} {m:>6}");
        if m > *n {
            grown.push(format!(
                "{name}: {n} → {m}\n  small: {small_sql:#?}\n  large: {large_sql:#?}"
            ));
        }
    }
    assert!(
        grown.is_empty(),
        "statements per request grew with the organisation: {}",
        grown.join("; ")
    );
}
