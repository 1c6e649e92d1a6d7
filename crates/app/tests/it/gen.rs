//! `karuna gen` on the configured backend (SQLite, or PostgreSQL with KARUNA_TEST_DB): counts,
//! determinism for a seed, and that the generated agency works through the use cases — a
//! case opened by its generated manager, a note found by search, a person found by the
//! duplicate check, and a new case numbered after the generated ones.

use karuna_app::intake::{ConsentInput, IntakeInput};
use karuna_app::search::SearchRequest;
use karuna_app::{App, Ctx, Settings};
use karuna_domain::person::PersonInput;
use karuna_store::gen::{run, GenError, GenOptions};
use karuna_store::testing::fresh_db;
use karuna_store::Db;
use sqlx::Row;
use uuid::Uuid;

const PASSWORD: &str = "test-password-1";

async fn options(seed: u64) -> GenOptions {
    GenOptions {
        persons: 200,
        cases: 200,
        notes_per_case: 3,
        seed,
        force: false,
        password_hash: karuna_app::session::hash_password(PASSWORD.into())
            .await
            .unwrap(),
    }
}

async fn generated(seed: u64) -> Db {
    let (db, _) = fresh_db().await.unwrap();
    run(&db, &options(seed).await, &mut |_| {}).await.unwrap();
    db
}

async fn count(db: &Db, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(db.read()).await.unwrap()
}

/// The rows of a query as text lines (every column read as text).
async fn dump(db: &Db, sql: &str) -> Vec<String> {
    let rows = sqlx::query(sql).fetch_all(db.read()).await.unwrap();
    rows.iter()
        .map(|r| {
            (0..r.len())
                .map(|i| {
                    r.try_get::<Option<String>, _>(i)
                        .map(|v| v.unwrap_or_default())
                        .or_else(|_| r.try_get::<Option<i64>, _>(i).map(|v| format!("{v:?}")))
                        .unwrap()
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect()
}

const DUMPS: &[&str] = &[
    "SELECT id, first_name_th, last_name_th, first_name_latin, nickname, sex, birth_date, created_at FROM person ORDER BY id",
    "SELECT id, number, client_id, manager_id, unit_id, status, urgency, case_types, opened_at, closed_at, updated_at FROM case_file ORDER BY id",
    "SELECT id, case_id, kind, occurred_at, note FROM contact ORDER BY id",
    "SELECT entity_type, entity_id, case_id, doc_date, body FROM search_doc ORDER BY entity_type, entity_id, case_id",
    "SELECT person_id, match_key FROM person_match_key ORDER BY person_id, match_key",
    "SELECT id, username, display_name, role FROM account ORDER BY id",
    "SELECT id, case_id, template_id, answers, notes, scores FROM assessment ORDER BY id",
    "SELECT id, case_id, content FROM plan_version ORDER BY id",
    "SELECT id, case_id, what, due_date, status FROM promise ORDER BY id",
    "SELECT year_be, last_seq FROM case_number_seq ORDER BY year_be",
];

#[tokio::test]
async fn generates_counts_and_the_same_rows_for_a_seed() {
    let a = generated(7).await;
    assert_eq!(count(&a, "SELECT COUNT(*) FROM person").await, 200);
    assert_eq!(count(&a, "SELECT COUNT(*) FROM case_file").await, 200);
    assert_eq!(count(&a, "SELECT COUNT(*) FROM contact").await, 600);
    assert_eq!(
        count(
            &a,
            "SELECT COUNT(*) FROM search_doc WHERE entity_type = 'contact'"
        )
        .await,
        600
    );
    assert_eq!(
        count(
            &a,
            "SELECT COUNT(*) FROM search_doc WHERE entity_type = 'case'"
        )
        .await,
        200
    );
    assert!(count(&a, "SELECT COUNT(*) FROM person_match_key").await > 1000);
    assert_eq!(
        count(
            &a,
            "SELECT COUNT(*) FROM audit_event WHERE action = 'gen.run'"
        )
        .await,
        1
    );
    // Guards: past intake means a contact; planning or later an assessment; implementation
    // or later a plan; closed a closure.
    assert_eq!(
        count(&a, "SELECT COUNT(*) FROM case_file c WHERE c.status IN ('planning', 'implementation', 'review') \
                   AND NOT EXISTS (SELECT 1 FROM assessment s WHERE s.case_id = c.id AND s.status = 'completed')").await,
        0
    );
    assert_eq!(
        count(&a, "SELECT COUNT(*) FROM case_file c WHERE c.status IN ('implementation', 'review') \
                   AND NOT EXISTS (SELECT 1 FROM plan_version p WHERE p.case_id = c.id AND p.status = 'active')").await,
        0
    );
    assert_eq!(
        count(
            &a,
            "SELECT COUNT(*) FROM case_file c WHERE c.status = 'closed' \
                   AND NOT EXISTS (SELECT 1 FROM case_closure x WHERE x.case_id = c.id)"
        )
        .await,
        0
    );
    assert!(count(&a, "SELECT COUNT(DISTINCT status) FROM case_file").await >= 5);

    let b = generated(7).await;
    for sql in DUMPS {
        assert_eq!(dump(&a, sql).await, dump(&b, sql).await, "{sql}");
    }
    let c = generated(8).await;
    assert_ne!(dump(&a, DUMPS[0]).await, dump(&c, DUMPS[0]).await);

    // A second run is refused, and so is a run into a database with cases.
    let again = run(&a, &options(7).await, &mut |_| {}).await;
    assert!(
        matches!(again, Err(GenError::AlreadyGenerated)),
        "{again:?}"
    );
    for db in [a, b, c] {
        db.close().await;
    }
}

#[tokio::test]
async fn the_generated_agency_works_through_the_use_cases() {
    let db = generated(1).await;
    let app = App::new(db.clone(), Settings::default());
    let ctx = Ctx::default();
    // A case still open, its manager, and one of its notes.
    let r = sqlx::query(
        "SELECT c.id, c.number, a.username, n.id AS note_id, n.note FROM case_file c \
         JOIN account a ON a.id = c.manager_id JOIN contact n ON n.case_id = c.id \
         WHERE c.status <> 'closed' AND c.sensitive = 0 ORDER BY c.id, n.id LIMIT 1",
    )
    .fetch_one(db.read())
    .await
    .unwrap();
    let case_id = Uuid::parse_str(&r.get::<String, _>("id")).unwrap();
    let username: String = r.get("username");
    let note_id = Uuid::parse_str(&r.get::<String, _>("note_id")).unwrap();
    let note: String = r.get("note");
    let manager = app.login(&username, PASSWORD, &ctx).await.unwrap().user;
    let view = app.open_case(&manager, &ctx, case_id).await.unwrap();
    assert_eq!(view.case.number, r.get::<String, _>("number"));
    assert!(view.persons.iter().any(|(_, rel)| rel == "client"));

    // The note's first phrase finds it.
    let phrase = note.split([' ', '\n']).next().unwrap();
    let found = app
        .search(
            &manager,
            &ctx,
            &SearchRequest {
                q: format!("\"{phrase}\""),
                kind: "contact".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(
        found.total > 0,
        "no hit for {phrase}: {:?}",
        found.items.len()
    );
    let mut hit = found.items.iter().any(|i| i.id == note_id);
    let mut next = found.next.clone();
    while !hit {
        let Some(after) = next else { break };
        let page = app
            .search(
                &manager,
                &ctx,
                &SearchRequest {
                    q: format!("\"{phrase}\""),
                    kind: "contact".into(),
                    after,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        hit = page.items.iter().any(|i| i.id == note_id);
        next = page.next;
    }
    assert!(hit, "the note was not found by {phrase}");

    // The duplicate check finds the client.
    let p = sqlx::query(
        "SELECT p.first_name_th, p.last_name_th FROM case_file c JOIN person p ON p.id = c.client_id WHERE c.id = $1",
    )
    .bind(case_id.to_string())
    .fetch_one(db.read())
    .await
    .unwrap();
    let person = PersonInput {
        first_name_th: p.get("first_name_th"),
        last_name_th: p.get("last_name_th"),
        ..Default::default()
    };
    let candidates = app
        .find_candidates(&manager, &ctx, &person, &[])
        .await
        .unwrap();
    assert!(!candidates.is_empty());

    // A new case continues the year's sequence.
    let before: Vec<String> = sqlx::query_scalar("SELECT number FROM case_file")
        .fetch_all(db.read())
        .await
        .unwrap();
    let input = IntakeInput {
        client: PersonInput {
            prefix: "miss".into(),
            first_name_th: "ทดสอบ".into(),
            last_name_th: "หลังสร้าง".into(),
            ..Default::default()
        },
        consent: ConsentInput {
            status: "granted".into(),
            ..Default::default()
        },
        referral_source: "hotline_1300".into(),
        presenting_problem: "ทดสอบหลังสร้างข้อมูล".into(),
        safety: karuna_domain::case::all_answered(karuna_domain::case::SafetyAnswer::No),
        case_types: vec!["other".into()],
        ..Default::default()
    };
    let created = app.intake(&manager, &ctx, &input).await.unwrap();
    assert!(!before.contains(&created.number), "{}", created.number);
    db.close().await;
}
