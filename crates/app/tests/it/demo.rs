//! The demo seed on the configured backend (SQLite, or PostgreSQL with KARUNA_TEST_DB): the
//! organisation, its accounts and about fifty cases in every state, made once.

use karuna_app::{App, Settings};
use karuna_store::testing::fresh_db;
use std::time::Instant;

async fn count(app: &App, sql: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(app.db.read())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_seed_loads_cases_in_every_state_once() {
    let (db, _) = fresh_db().await.unwrap();
    let app = App::new(
        db,
        Settings {
            demo: true,
            ..Settings::default()
        },
    );
    let started = Instant::now();
    assert!(app.seed_demo().await.unwrap());
    eprintln!("demo seed took {:?}", started.elapsed());

    let cases = count(&app, "SELECT COUNT(*) FROM case_file").await;
    assert!(cases >= 45, "{cases} cases");
    let per_status: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM case_file GROUP BY status ORDER BY status")
            .fetch_all(app.db.read())
            .await
            .unwrap();
    eprintln!("cases per status: {per_status:?}");
    for status in [
        "intake",
        "assessment",
        "planning",
        "implementation",
        "review",
        "closed",
    ] {
        assert!(
            per_status.iter().any(|(s, n)| s == status && *n > 0),
            "no {status} case in {per_status:?}"
        );
    }
    let reopened = count(
        &app,
        "SELECT COUNT(*) FROM case_transition WHERE kind = 'reopen'",
    )
    .await;
    assert!(reopened >= 1);
    let transferred = count(
        &app,
        "SELECT COUNT(*) FROM case_transition WHERE kind = 'transfer'",
    )
    .await;
    assert!(transferred >= 1);

    let perpetrators = count(
        &app,
        "SELECT COUNT(DISTINCT case_id) FROM case_person WHERE relationship = 'alleged_perpetrator'",
    )
    .await;
    assert!(perpetrators >= 2, "{perpetrators}");
    for rel in ["parent", "household_member"] {
        let n = count(
            &app,
            &format!("SELECT COUNT(*) FROM case_person WHERE relationship = '{rel}'"),
        )
        .await;
        assert!(n >= 1, "{rel}");
    }

    // Promises in every state; dates are ISO text on both backends.
    let today = karuna_thai::calendar::bangkok_date(chrono::Utc::now()).to_string();
    let open_future = count(
        &app,
        &format!("SELECT COUNT(*) FROM promise WHERE status = 'open' AND due_date > '{today}'"),
    )
    .await;
    let overdue = count(
        &app,
        &format!("SELECT COUNT(*) FROM promise WHERE status = 'open' AND due_date < '{today}'"),
    )
    .await;
    let kept = count(&app, "SELECT COUNT(*) FROM promise WHERE status = 'kept'").await;
    let missed = count(
        &app,
        "SELECT COUNT(*) FROM promise WHERE status = 'missed' AND status_reason IS NOT NULL",
    )
    .await;
    let renegotiated = count(
        &app,
        "SELECT COUNT(*) FROM promise_event WHERE kind = 'renegotiated'",
    )
    .await;
    eprintln!(
        "promises: open future {open_future}, overdue {overdue}, kept {kept}, missed {missed}, \
         renegotiated {renegotiated}"
    );
    for (what, n) in [
        ("open future", open_future),
        ("overdue", overdue),
        ("kept", kept),
        ("missed", missed),
        ("renegotiated", renegotiated),
    ] {
        assert!(n > 0, "no {what} promise");
    }
    let by_psychologist = count(
        &app,
        "SELECT COUNT(*) FROM promise p JOIN account a ON a.id = p.made_by \
         WHERE a.username = 'demo-psychologist'",
    )
    .await;
    assert!(by_psychologist > 0);
    let psychologist_cases = count(
        &app,
        "SELECT COUNT(*) FROM case_member m JOIN account a ON a.id = m.account_id \
         WHERE a.username = 'demo-psychologist'",
    )
    .await;
    assert!(
        (5..=15).contains(&psychologist_cases),
        "{psychologist_cases}"
    );

    let provinces = count(
        &app,
        "SELECT COUNT(DISTINCT province_code) FROM person_address",
    )
    .await;
    assert!(provinces >= 5, "{provinces}");
    for (what, sql) in [
        (
            "sensitive",
            "SELECT COUNT(*) FROM case_file WHERE sensitive = 1",
        ),
        (
            "emergency",
            "SELECT COUNT(*) FROM case_file WHERE urgency = 'emergency'",
        ),
        (
            "urgent",
            "SELECT COUNT(*) FROM case_file WHERE urgency = 'urgent'",
        ),
        (
            "routine",
            "SELECT COUNT(*) FROM case_file WHERE urgency = 'routine'",
        ),
        (
            "refused",
            "SELECT COUNT(*) FROM consent WHERE status = 'refused'",
        ),
        (
            "vital interest",
            "SELECT COUNT(*) FROM consent WHERE lawful_basis = 'vital_interest'",
        ),
        (
            "pink card",
            "SELECT COUNT(*) FROM identity_document WHERE kind = 'pink_card'",
        ),
    ] {
        assert!(count(&app, sql).await > 0, "no {what}");
    }
    // Every contact is in the past; no case has fewer than two.
    let thin = count(
        &app,
        "SELECT COUNT(*) FROM case_file c WHERE \
         (SELECT COUNT(*) FROM contact k WHERE k.case_id = c.id) < 2",
    )
    .await;
    assert_eq!(thin, 0);

    // Seeding again adds nothing.
    let events = count(&app, "SELECT COUNT(*) FROM audit_event").await;
    assert!(!app.seed_demo().await.unwrap());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM case_file").await, cases);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM audit_event").await,
        events
    );
    assert_eq!(count(&app, "SELECT COUNT(*) FROM org").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_accounts_only_seed_has_no_cases() {
    let (db, _) = fresh_db().await.unwrap();
    let app = App::new(db, Settings::default());
    let started = Instant::now();
    assert!(app.seed_demo_accounts().await.unwrap());
    eprintln!("accounts-only demo seed took {:?}", started.elapsed());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM case_file").await, 0);
    assert!(!app.seed_demo().await.unwrap());
    assert_eq!(count(&app, "SELECT COUNT(*) FROM case_file").await, 0);
}

/// Every instant a demo case's timeline shows, with its case's intake.
const CASE_EVENTS: &str = "SELECT c.opened_at, x.at FROM case_file c JOIN (
      SELECT case_id, occurred_at AS at FROM contact
      UNION ALL SELECT case_id, created_at FROM contact
      UNION ALL SELECT case_id, created_at FROM assessment
      UNION ALL SELECT case_id, completed_at FROM assessment WHERE completed_at IS NOT NULL
      UNION ALL SELECT case_id, created_at FROM plan_version
      UNION ALL SELECT case_id, created_at FROM goal_progress
      UNION ALL SELECT case_id, created_at FROM case_review
      UNION ALL SELECT case_id, created_at FROM case_closure
      UNION ALL SELECT case_id, at FROM case_transition
      UNION ALL SELECT case_id, created_at FROM promise
      UNION ALL SELECT p.case_id, e.at FROM promise_event e JOIN promise p ON p.id = e.promise_id
    ) x ON x.case_id = c.id";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_tells_every_case_in_the_past_and_in_order() {
    let (db, _) = fresh_db().await.unwrap();
    let app = App::new(
        db,
        Settings {
            demo: true,
            ..Settings::default()
        },
    );
    assert!(app.seed_demo().await.unwrap());
    let now = karuna_store::time::real_now_db();
    let yesterday = karuna_store::time::to_db(chrono::Utc::now() - chrono::Duration::days(1));

    // Every case was opened at least a day ago, and nothing on a case precedes its intake
    // or lies in the future.
    let late = count(
        &app,
        &format!("SELECT COUNT(*) FROM case_file WHERE opened_at > '{yesterday}'"),
    )
    .await;
    assert_eq!(late, 0, "cases opened within the last day");
    let events: Vec<(String, String)> = sqlx::query_as(CASE_EVENTS)
        .fetch_all(app.db.read())
        .await
        .unwrap();
    assert!(events.len() > 500, "{}", events.len());
    for (opened, at) in &events {
        assert!(
            at >= opened,
            "an event at {at} precedes the intake at {opened}"
        );
        assert!(*at <= now, "an event at {at} is in the future");
    }
    // Dates of reviews and progress fall on or after the day of intake.
    let early = count(
        &app,
        "SELECT COUNT(*) FROM case_file c JOIN (
           SELECT case_id, held_on AS d FROM case_review
           UNION ALL SELECT case_id, measured_on FROM goal_progress
         ) x ON x.case_id = c.id WHERE x.d < substr(c.opened_at, 1, 10)",
    )
    .await;
    assert_eq!(early, 0);

    // The lifecycle happened in the order it was made: the transitions by time are the
    // transitions by creation (UUIDv7 ids), and an assessment was completed before the plan.
    let moves: Vec<(String, String, String)> =
        sqlx::query_as("SELECT case_id, at, id FROM case_transition ORDER BY case_id, id")
            .fetch_all(app.db.read())
            .await
            .unwrap();
    for w in moves.windows(2) {
        if w[0].0 == w[1].0 {
            assert!(w[0].1 <= w[1].1, "transitions out of order: {w:?}");
        }
    }
    let plan_first = count(
        &app,
        "SELECT COUNT(*) FROM plan_version v WHERE NOT EXISTS (
           SELECT 1 FROM assessment a WHERE a.case_id = v.case_id
             AND a.completed_at IS NOT NULL AND a.completed_at < v.created_at)",
    )
    .await;
    assert_eq!(plan_first, 0, "a plan made before any completed assessment");
    let review_first = count(
        &app,
        "SELECT COUNT(*) FROM case_review r WHERE NOT EXISTS (
           SELECT 1 FROM plan_version v WHERE v.case_id = r.case_id AND v.created_at < r.created_at)",
    )
    .await;
    assert_eq!(review_first, 0, "a review before any plan");
}
