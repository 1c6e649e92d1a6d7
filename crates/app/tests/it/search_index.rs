//! The search index kept and ranked on the configured backend: ranking by occurrences and
//! length, the same on both databases, and the migrations that rebuild or extend existing
//! documents.

use crate::search_support;

use search_support::*;

use karuna_app::Ctx;
use std::collections::BTreeSet;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn more_occurrences_in_a_shorter_note_rank_first_on_both_databases() {
    let (app, manager, _, a, _) = setup().await;
    let filler = "ครอบครัวมีรายได้น้อย ".repeat(30);
    let mut ids = Vec::new();
    for (date, text) in [
        ("01/11/2569", format!("{filler}ประสานโรงพยาบาล")),
        (
            "02/11/2569",
            "ประสานโรงพยาบาล แล้วไปโรงพยาบาล และโรงพยาบาลรับตัวไว้".to_string(),
        ),
        ("03/11/2569", "ประสานโรงพยาบาล".to_string()),
    ] {
        let id = app
            .add_contact(&manager, &Ctx::default(), a.case_id, &note(date, &text))
            .await
            .unwrap();
        ids.push(id);
    }
    let r = find(&app, &manager, "โรงพยาบาล").await;
    let order: Vec<Uuid> = r
        .items
        .iter()
        .filter(|i| i.kind == "contact")
        .map(|i| i.id)
        .collect();
    // Three times first; then once in a short note before once in a long one.
    assert_eq!(order, [ids[1], ids[2], ids[0]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_migration_backfill_indexes_existing_rows() {
    let (app, manager, _, a, _) = setup().await;
    let note = note("01/11/2569", "ผู้เสียหายได้รับการช่วยเหลือ");
    let id = app
        .add_contact(&manager, &Ctx::default(), a.case_id, &note)
        .await
        .unwrap();
    let mut tx = app.db.begin().await.unwrap();
    sqlx::query("DELETE FROM search_doc")
        .execute(&mut *tx)
        .await
        .unwrap();
    karuna_store::search::index::backfill(&mut tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        ids(&find(&app, &manager, "ผู้เสียหาย").await),
        BTreeSet::from([id])
    );
    assert_eq!(find(&app, &manager, "กานดา").await.total, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_parts_backfill_reaches_bodies_written_before_it() {
    let (app, manager, _, a, _) = setup().await;
    let note = note("01/11/2569", "ผู้เสียหายได้รับการช่วยเหลือ");
    let id = app
        .add_contact(&manager, &Ctx::default(), a.case_id, &note)
        .await
        .unwrap();
    // A body as written before migration 0017: the text's tokens, then the access tokens.
    let mut tx = app.db.begin().await.unwrap();
    let body: String = sqlx::query_scalar("SELECT body FROM search_doc WHERE entity_id = $1")
        .bind(id.to_string())
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    let old: Vec<&str> = body.split(' ').filter(|t| *t != "เสียหาย").collect();
    sqlx::query("UPDATE search_doc SET body = $1 WHERE entity_id = $2")
        .bind(old.join(" "))
        .bind(id.to_string())
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(find(&app, &manager, "เสียหาย").await.total, 0);
    let mut tx = app.db.begin().await.unwrap();
    karuna_store::search::scope::backfill_parts(&mut tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        ids(&find(&app, &manager, "เสียหาย").await),
        BTreeSet::from([id])
    );
    // Access tokens stay last, and the user's other searches are unchanged.
    let body: String = sqlx::query_scalar("SELECT body FROM search_doc WHERE entity_id = $1")
        .bind(id.to_string())
        .fetch_one(app.db.read())
        .await
        .unwrap();
    assert!(body
        .split(' ')
        .next_back()
        .is_some_and(|t| t.starts_with("zq")));
    assert_eq!(find(&app, &manager, "ผู้เสียหาย").await.total, 1);
}
