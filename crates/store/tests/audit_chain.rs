//! The audit hash chain on the configured backend: sealing, concurrent sealers, and every kind
//! of tampering found and named; rows older than the head are never sealed; a head kept
//! outside the database catches a shortened or rewritten chain.

use karuna_store::audit::{self, NewEvent, Tamper};
use karuna_store::testing::fresh_db;
use karuna_store::Db;

fn event(i: usize) -> NewEvent {
    NewEvent {
        org_id: None,
        actor_id: Some(uuid::Uuid::now_v7()),
        actor_username: Some(format!("user{i}")),
        action: "case.read".into(),
        entity_type: Some("case".into()),
        entity_id: Some(uuid::Uuid::now_v7().to_string()),
        outcome: "success".into(),
        reason: None,
        request_id: Some(format!("req-{i}")),
    }
}

async fn with_events(n: usize) -> Db {
    let (db, _) = fresh_db().await.expect("db");
    for i in 0..n {
        audit::append_alone(&db, &event(i)).await.expect("append");
    }
    db
}

async fn exec(db: &Db, sql: &str) {
    sqlx::query(sql).execute(db.read()).await.expect(sql);
}

#[tokio::test]
async fn sealed_chain_verifies() {
    let db = with_events(25).await;
    let before = audit::verify(&db, None).await.unwrap();
    assert_eq!(
        (before.checked, before.unsealed, before.tamper),
        (0, 25, None)
    );
    assert_eq!(audit::seal_all(&db).await.unwrap(), 25);
    let after = audit::verify(&db, None).await.unwrap();
    assert_eq!((after.checked, after.unsealed, after.tamper), (25, 0, None));
    // More events, sealed later, extend the same chain.
    audit::append_alone(&db, &event(99)).await.unwrap();
    assert_eq!(audit::seal_all(&db).await.unwrap(), 1);
    assert_eq!(audit::verify(&db, None).await.unwrap().checked, 26);
    db.close().await;
}

/// Events written on their own by many requests at once are committed in groups: every one is
/// stored once, with its own id, and they seal into one chain in id order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_reads_are_committed_in_groups() {
    let (db, _) = fresh_db().await.expect("db");
    let mut tasks = Vec::new();
    for i in 0..300 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            audit::append_alone(&db, &event(i)).await.expect("append")
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap());
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 300, "every event has its own id");
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_event")
        .fetch_one(db.read())
        .await
        .unwrap();
    assert_eq!(
        stored, 300,
        "each event stored once, committed before append returned"
    );
    assert_eq!(audit::seal_all(&db).await.unwrap(), 300);
    let r = audit::verify(&db, None).await.unwrap();
    assert_eq!((r.checked, r.unsealed, r.tamper), (300, 0, None));
    db.close().await;
}

#[tokio::test]
async fn concurrent_sealers_make_one_chain() {
    let db = with_events(200).await;
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let mut n = 0;
            loop {
                match audit::seal(&db, 7).await {
                    Ok(0) => break n,
                    Ok(k) => n += k,
                    // A sealer that lost the race retries.
                    Err(_) => tokio::task::yield_now().await,
                }
            }
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await.unwrap();
    }
    assert_eq!(total, 200);
    let r = audit::verify(&db, None).await.unwrap();
    assert_eq!((r.checked, r.unsealed, r.tamper), (200, 0, None));
    db.close().await;
}

#[tokio::test]
async fn an_altered_row_is_named() {
    let db = with_events(10).await;
    audit::seal_all(&db).await.unwrap();
    exec(
        &db,
        "UPDATE audit_event SET outcome = 'denied' WHERE chain_seq = 4",
    )
    .await;
    let r = audit::verify(&db, None).await.unwrap();
    assert!(
        matches!(r.tamper, Some(Tamper::Altered { seq: 4, .. })),
        "{r:?}"
    );
    assert_eq!(r.checked, 3);
    db.close().await;
}

#[tokio::test]
async fn a_removed_row_is_named() {
    let db = with_events(10).await;
    audit::seal_all(&db).await.unwrap();
    exec(&db, "DELETE FROM audit_event WHERE chain_seq = 6").await;
    let r = audit::verify(&db, None).await.unwrap();
    assert_eq!(r.tamper, Some(Tamper::Missing { seq: 6 }));
    db.close().await;
}

#[tokio::test]
async fn rows_removed_from_the_end_are_found() {
    let db = with_events(10).await;
    audit::seal_all(&db).await.unwrap();
    exec(&db, "DELETE FROM audit_event WHERE chain_seq >= 9").await;
    let r = audit::verify(&db, None).await.unwrap();
    assert!(
        matches!(
            r.tamper,
            Some(Tamper::Truncated {
                expected_last: 10,
                found_last: 8
            })
        ),
        "{r:?}"
    );
    db.close().await;
}

#[tokio::test]
async fn an_inserted_row_is_named() {
    let db = with_events(10).await;
    audit::seal_all(&db).await.unwrap();
    // Make room at position 5 and slip a forged row in, copying a real hash.
    exec(
        &db,
        "UPDATE audit_event SET chain_seq = chain_seq + 100 WHERE chain_seq >= 5",
    )
    .await;
    exec(
        &db,
        "UPDATE audit_event SET chain_seq = chain_seq - 99 WHERE chain_seq >= 105",
    )
    .await;
    exec(
        &db,
        "INSERT INTO audit_event (id, occurred_at, action, outcome, chain_seq, hash) \
         SELECT 'forged', occurred_at, 'case.read', 'success', 5, hash FROM audit_event WHERE chain_seq = 4",
    )
    .await;
    let r = audit::verify(&db, None).await.unwrap();
    assert!(
        matches!(&r.tamper, Some(Tamper::Altered { seq: 5, id }) if id == "forged"),
        "{r:?}"
    );
    db.close().await;
}

/// Inserts a row straight into the table, as someone with database access would.
async fn forge(db: &Db, id: &str, occurred_at: &str) {
    sqlx::query(
        "INSERT INTO audit_event (id, occurred_at, action, outcome) VALUES ($1, $2, 'case.read', 'success')",
    )
    .bind(id)
    .bind(occurred_at)
    .execute(db.read())
    .await
    .expect("forge");
}

#[tokio::test]
async fn a_forged_row_older_than_the_head_is_never_sealed() {
    let db = with_events(5).await;
    audit::seal_all(&db).await.unwrap();
    // An old id (UUIDv7 of 2020) and an old time; then one with a fresh id but an old time.
    forge(
        &db,
        "01700000-0000-7000-8000-000000000000",
        "2020-01-01T00:00:00.000000Z",
    )
    .await;
    forge(
        &db,
        &uuid::Uuid::now_v7().to_string(),
        "2020-01-01T00:00:00.000000Z",
    )
    .await;
    audit::append_alone(&db, &event(7)).await.unwrap();
    let n = audit::seal_settled(&db, std::time::Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(
        (n.sealed, n.late),
        (1, 2),
        "only the genuine new row is sealed"
    );
    let r = audit::verify(&db, None).await.unwrap();
    assert_eq!((r.checked, r.unsealed, r.late, r.tamper), (6, 2, 2, None));
    // They stay unsealed however often the sealer runs.
    assert_eq!(audit::seal_all(&db).await.unwrap(), 0);
    db.close().await;
}

#[tokio::test]
async fn a_kept_head_catches_a_shorter_or_rewritten_chain() {
    let db = with_events(6).await;
    audit::seal_all(&db).await.unwrap();
    let (seq, hash) = audit::last_seal(&db).await.unwrap().expect("a seal");
    assert_eq!(seq, 6);
    let ok = audit::verify(&db, Some((seq, &hash))).await.unwrap();
    assert_eq!(ok.tamper, None);
    // More rows later: the kept head is still on the chain.
    audit::append_alone(&db, &event(8)).await.unwrap();
    audit::seal_all(&db).await.unwrap();
    assert_eq!(
        audit::verify(&db, Some((seq, &hash))).await.unwrap().tamper,
        None
    );
    // A copy that lost its tail, seals included, looks intact on its own, not against the head.
    exec(&db, "DELETE FROM audit_event WHERE chain_seq >= 5").await;
    exec(&db, "DELETE FROM audit_seal").await;
    let alone = audit::verify(&db, None).await.unwrap();
    assert_eq!(alone.tamper, None);
    let r = audit::verify(&db, Some((seq, &hash))).await.unwrap();
    assert_eq!(
        r.tamper,
        Some(Tamper::BehindKnownHead {
            known: 6,
            found_last: 4
        })
    );
    let r = audit::verify(&db, Some((4, &hash))).await.unwrap();
    assert_eq!(r.tamper, Some(Tamper::KnownHeadDiffers { seq: 4 }));
    db.close().await;
}
