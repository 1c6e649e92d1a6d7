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
