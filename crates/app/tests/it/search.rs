//! Search on the configured backend (SQLite, or PostgreSQL with KARUNA_TEST_DB): Thai words
//! inside text without spaces, phrases, prefixes, filters, corrections, need-to-know inside
//! the query, sensitive clients, and bad input that never reaches the database as syntax.

use crate::search_support;

use search_support::*;

use karuna_app::search::SearchRequest;
use karuna_app::{AppError, Ctx};
use std::collections::BTreeSet;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thai_words_inside_text_without_spaces() {
    let (app, manager, _, a, _) = setup().await;
    let ctx = Ctx::default();
    let hit = app
        .add_contact(
            &manager,
            &ctx,
            a.case_id,
            &note("01/11/2569", "ผู้เสียหายได้รับการช่วยเหลือ"),
        )
        .await
        .unwrap();
    let follow = app
        .add_contact(
            &manager,
            &ctx,
            a.case_id,
            &note("02/11/2569", "ติดตามผลการช่วยเหลือ"),
        )
        .await
        .unwrap();
    let died = app
        .add_contact(&manager, &ctx, a.case_id, &note("03/11/2569", "สุนัขตาย"))
        .await
        .unwrap();
    let eye = app
        .add_contact(
            &manager,
            &ctx,
            a.case_id,
            &note("04/11/2569", "ตา ของเด็กอักเสบ"),
        )
        .await
        .unwrap();
    let r = find(&app, &manager, "ผู้เสียหาย").await;
    assert_eq!(ids(&r), BTreeSet::from([hit]));
    assert!(r.items[0]
        .snippet
        .iter()
        .any(|p| p.hit && p.text == "ผู้เสียหาย"));
    // A part of a compound finds the compound, marked in the snippet.
    let r = find(&app, &manager, "เสียหาย").await;
    assert_eq!(ids(&r), BTreeSet::from([hit]));
    assert!(r.items[0]
        .snippet
        .iter()
        .any(|p| p.hit && p.text == "ผู้เสียหาย"));
    // ตา is not found inside ตาม or ตาย, only as a word.
    let r = find(&app, &manager, "ตา").await;
    assert_eq!(ids(&r), BTreeSet::from([eye]));
    assert!(!ids(&r).contains(&follow) && !ids(&r).contains(&died));
    // Words are AND-ed; the best hit comes first.
    let r = find(&app, &manager, "การช่วยเหลือ").await;
    assert_eq!(ids(&r), BTreeSet::from([hit, follow]));
    assert_eq!(find(&app, &manager, "ผู้เสียหาย ติดตาม").await.total, 0);
    // The presenting problem and the client's name, numbers and phones are found too.
    let r = find(&app, &manager, "คู่สมรส").await;
    assert!(r
        .items
        .iter()
        .any(|i| i.kind == "case" && i.id == a.case_id));
    for q in [
        "กานดา",
        "kanda",
        "KANDA",
        "แดง",
        "0812345678",
        "+66 81 234 5678",
        "1-1037-00123-45-8",
    ] {
        let r = find(&app, &manager, q).await;
        assert!(
            r.items
                .iter()
                .any(|i| i.kind == "person" && i.case_id == a.case_id),
            "{q}"
        );
    }
    let r = find(&app, &manager, &a.number).await;
    assert_eq!(
        r.items[0].case_id, a.case_id,
        "the case number finds its case first"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phrases_prefixes_and_filters() {
    let (app, manager, _, a, b) = setup().await;
    let ctx = Ctx::default();
    let one = app
        .add_contact(
            &manager,
            &ctx,
            a.case_id,
            &note("01/11/2569", "meeting with the school counsellor"),
        )
        .await
        .unwrap();
    let two = app
        .add_contact(
            &manager,
            &ctx,
            b.case_id,
            &note("15/11/2569", "the counsellor of the school called"),
        )
        .await
        .unwrap();
    assert_eq!(
        ids(&find(&app, &manager, "school counsellor").await),
        BTreeSet::from([one, two])
    );
    assert_eq!(
        ids(&find(&app, &manager, "\"school counsellor\"").await),
        BTreeSet::from([one])
    );
    assert_eq!(
        ids(&find(&app, &manager, "counsel*").await),
        BTreeSet::from([one, two])
    );
    assert_eq!(find(&app, &manager, "counsel").await.total, 0);
    let with = |f: fn(&mut SearchRequest)| {
        let mut r = SearchRequest {
            q: "counsellor".into(),
            ..Default::default()
        };
        f(&mut r);
        r
    };
    let r = find_with(
        &app,
        &manager,
        with(|r| {
            r.from = "2026-11-10".into();
        }),
    )
    .await;
    assert_eq!(ids(&r), BTreeSet::from([two]));
    let r = find_with(
        &app,
        &manager,
        with(|r| {
            r.to = "2026-11-01".into();
        }),
    )
    .await;
    assert_eq!(ids(&r), BTreeSet::from([one]));
    // Both ends: the index matches the months, the date column the days; a range of more
    // than three years is left to the date column.
    for (from, to, expected) in [
        ("2026-11-10", "2026-11-30", vec![two]),
        ("2026-10-01", "2026-11-05", vec![one]),
        ("2020-01-01", "2026-12-31", vec![one, two]),
        ("2026-12-01", "2027-01-31", vec![]),
    ] {
        let r = SearchRequest {
            q: "counsellor".into(),
            from: from.into(),
            to: to.into(),
            ..Default::default()
        };
        let got = ids(&find_with(&app, &manager, r).await);
        assert_eq!(got, expected.into_iter().collect(), "{from}..{to}");
    }
    let r = find_with(
        &app,
        &manager,
        with(|r| {
            r.status = "closed".into();
        }),
    )
    .await;
    assert_eq!(r.total, 0);
    let r = find_with(
        &app,
        &manager,
        with(|r| {
            r.case_type = "domestic_violence".into();
        }),
    )
    .await;
    assert_eq!(ids(&r), BTreeSet::from([one, two]));
    let r = find_with(
        &app,
        &manager,
        with(|r| {
            r.case_type = "trafficking".into();
        }),
    )
    .await;
    assert_eq!(r.total, 0);
    let r = find_with(
        &app,
        &manager,
        with(|r| {
            r.kind = "person".into();
        }),
    )
    .await;
    assert_eq!(r.total, 0);
    // Paging: one at a time, the cursor leads to the other.
    let r = find_with(
        &app,
        &manager,
        with(|r| {
            r.limit = Some(1);
        }),
    )
    .await;
    assert_eq!((r.items.len(), r.total), (1, 2));
    let next = r.next.clone().unwrap();
    let r2 = find_with(
        &app,
        &manager,
        with(move |r| {
            r.limit = Some(1);
            r.after = "1".into();
        }),
    )
    .await;
    assert_eq!(next, "1");
    assert_ne!(r.items[0].id, r2.items[0].id);
    assert!(r2.next.is_none());
    // A page past the last hit is empty and still counts them.
    let r3 = find_with(
        &app,
        &manager,
        with(move |r| {
            r.limit = Some(1);
            r.after = "5".into();
        }),
    )
    .await;
    assert_eq!((r3.items.len(), r3.total), (0, 2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrected_note_is_found_by_its_new_text_only() {
    let (app, manager, _, a, _) = setup().await;
    let ctx = Ctx::default();
    let id = app
        .add_contact(
            &manager,
            &ctx,
            a.case_id,
            &note("01/11/2569", "นัดหมายที่โรงพยาบาล"),
        )
        .await
        .unwrap();
    assert_eq!(
        ids(&find(&app, &manager, "โรงพยาบาล").await),
        BTreeSet::from([id])
    );
    app.correct_contact(
        &manager,
        &ctx,
        id,
        1,
        &note("01/11/2569", "นัดหมายที่โรงเรียน"),
        "สถานที่ผิด",
    )
    .await
    .unwrap();
    assert_eq!(find(&app, &manager, "โรงพยาบาล").await.total, 0);
    assert_eq!(
        ids(&find(&app, &manager, "โรงเรียน").await),
        BTreeSet::from([id])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_hit_count_or_snippet_from_a_case_she_cannot_open() {
    let (app, manager, psychologist, a, b) = setup().await;
    let ctx = Ctx::default();
    app.add_contact(
        &manager,
        &ctx,
        a.case_id,
        &note("01/11/2569", "ครอบครัวให้ความร่วมมือ"),
    )
    .await
    .unwrap();
    app.add_contact(
        &manager,
        &ctx,
        b.case_id,
        &note("01/11/2569", "ครอบครัวปฏิเสธ ความลับ"),
    )
    .await
    .unwrap();
    let r = find(&app, &manager, "ครอบครัว").await;
    assert_eq!(r.total, 2);
    let r = find(&app, &psychologist, "ครอบครัว").await;
    assert_eq!(r.total, 1);
    assert!(r.items.iter().all(|i| i.case_id == a.case_id));
    let r = find(&app, &psychologist, "ความลับ").await;
    assert_eq!((r.total, r.items.len()), (0, 0));
    assert_eq!(find(&app, &psychologist, "บุษบา").await.total, 0);
    // On the team of the sensitive case: its notes, but not its client's name or numbers.
    app.add_team_member(&manager, &ctx, b.case_id, psychologist.actor.id, "")
        .await
        .unwrap();
    let r = find(&app, &psychologist, "ความลับ").await;
    assert_eq!(r.total, 1);
    assert_eq!(r.items[0].client, format!("[{}]", b.number));
    for q in ["บุษบา", "butsaba", "021234567"] {
        assert_eq!(find(&app, &psychologist, q).await.total, 0, "{q}");
        assert_eq!(find(&app, &manager, q).await.total, 1, "{q}");
    }
    // Off the team again: nothing from that case (the index's access tokens follow the team).
    app.remove_team_member(&manager, &ctx, b.case_id, psychologist.actor.id)
        .await
        .unwrap();
    assert_eq!(find(&app, &psychologist, "ความลับ").await.total, 0);
    assert_eq!(find(&app, &manager, "ความลับ").await.total, 1);
    // Roles without case content are refused, and the refusal is audited.
    let admin = user(&app, "demo-admin").await;
    assert!(matches!(
        app.search(
            &admin,
            &ctx,
            &SearchRequest {
                q: "ครอบครัว".into(),
                ..Default::default()
            }
        )
        .await,
        Err(AppError::Forbidden(_))
    ));
    // Searches are audited without the query's text.
    let reasons: Vec<Option<String>> =
        sqlx::query_scalar("SELECT reason FROM audit_event WHERE action = 'search'")
            .fetch_all(app.db.read())
            .await
            .unwrap();
    assert!(reasons.len() >= 8);
    assert!(reasons
        .iter()
        .flatten()
        .all(|r| !r.contains("ครอบครัว") && !r.contains("บุษบา")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_a_field_error_or_plain_text_never_a_database_error() {
    let (app, manager, _, a, _) = setup().await;
    let ctx = Ctx::default();
    app.add_contact(
        &manager,
        &ctx,
        a.case_id,
        &note("01/11/2569", "NEAR the river; a-b test (x) : y"),
    )
    .await
    .unwrap();
    for q in [
        "",
        "   ",
        "!!! ... ---",
        "่่้้",
        "\"",
        "\"\"",
        "* * *",
        "()",
        ":-",
        "\\",
    ] {
        let e = app
            .search(
                &manager,
                &ctx,
                &SearchRequest {
                    q: q.into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(codes(&e), vec!["q:search.empty"], "{q:?}");
    }
    for q in [
        "NEAR(river test)",
        "river*",
        "*river",
        "river -test",
        "river:test",
        "river AND test",
        "river OR nothing",
        "(river)",
        "\"the river",
        "river\"",
        "NOT river",
        "{river}",
        "river^2",
        "a'b",
        "x' OR '1'='1",
        "'; DROP TABLE contact; --",
        "river\u{0}test",
    ] {
        let r = find(&app, &manager, q).await;
        assert!(r.total <= 1, "{q}");
    }
    assert_eq!(find(&app, &manager, "NEAR river test").await.total, 1);
    let long = "แม่น้ำ ".repeat(2000);
    let r = find(&app, &manager, &long).await;
    assert!(r.truncated);
    let bad = SearchRequest {
        q: "river".into(),
        from: "2026-13-01".into(),
        to: "yesterday".into(),
        unit: "not-a-unit".into(),
        kind: "audit".into(),
        limit: Some(1000),
        after: "-5".into(),
        ..Default::default()
    };
    let e = app.search(&manager, &ctx, &bad).await.unwrap_err();
    assert_eq!(
        codes(&e),
        vec![
            "from:search.date",
            "to:search.date",
            "unit:search.unit",
            "type:search.kind",
            "limit:search.limit",
            "after:search.cursor"
        ]
    );
    let reversed = SearchRequest {
        q: "river".into(),
        from: "2026-11-02".into(),
        to: "2026-11-01".into(),
        ..Default::default()
    };
    assert_eq!(
        codes(&app.search(&manager, &ctx, &reversed).await.unwrap_err()),
        vec!["to:search.range"]
    );
}
