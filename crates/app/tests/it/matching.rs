//! The duplicate check on the configured backend (SQLite, or PostgreSQL with KARUNA_TEST_DB):
//! fuzzy Thai and Latin candidates with score and reasons, clients of sensitive cases never
//! offered to those who may not identify them, keys that follow updates and the backfill.

use karuna_app::account::NewUserInput;
use karuna_app::intake::{ConsentInput, IntakeInput};
use karuna_app::{App, Ctx, CurrentUser, Settings};
use karuna_domain::person::PersonInput;
use karuna_store::testing::fresh_db;

const PASSWORD: &str = "test-password-1";

/// An organisation with two units, a case manager and a supervisor in each.
pub(crate) async fn app() -> App {
    let (db, _) = fresh_db().await.unwrap();
    let app = App::new(db, Settings::default());
    let ctx = Ctx::default();
    let (org, office) = app
        .bootstrap_org(&ctx, "พมจ.ทดสอบ", Some("กลุ่มงานคุ้มครอง"))
        .await
        .unwrap();
    let (_, shelter) = app
        .bootstrap_org(&ctx, "พมจ.ทดสอบ", Some("บ้านพักเด็กและครอบครัว"))
        .await
        .unwrap();
    for (username, role, unit) in [
        ("manager", "case_manager", office),
        ("supervisor", "supervisor", office),
        ("other-manager", "case_manager", shelter),
        ("other-supervisor", "supervisor", shelter),
    ] {
        let input = NewUserInput {
            username: username.into(),
            display_name: username.into(),
            role: role.into(),
            profession: None,
            unit_id: unit.map(|u| u.to_string()),
            password: Some(PASSWORD.into()),
        };
        app.create_user_in(org, None, &ctx, input, false)
            .await
            .unwrap();
    }
    app
}

pub(crate) async fn user(app: &App, name: &str) -> CurrentUser {
    app.login(name, PASSWORD, &Ctx::default())
        .await
        .unwrap()
        .user
}

fn person(first: &str, last: &str, year_be: &str) -> PersonInput {
    PersonInput {
        first_name_th: first.into(),
        last_name_th: last.into(),
        birth_year: year_be.into(),
        ..Default::default()
    }
}

pub(crate) fn intake(client: PersonInput) -> IntakeInput {
    IntakeInput {
        client,
        consent: ConsentInput {
            status: "granted".into(),
            evidence_note: "ลงนามในแบบฟอร์ม".into(),
            ..Default::default()
        },
        referral_source: "hotline_1300".into(),
        presenting_problem: "ขอรับคำปรึกษา".into(),
        safety: karuna_domain::case::all_answered(karuna_domain::case::SafetyAnswer::No),
        case_types: vec!["domestic_violence".into()],
        ..Default::default()
    }
}

async fn find(app: &App, u: &CurrentUser, p: &PersonInput) -> Vec<(uuid::Uuid, u8, Vec<String>)> {
    app.find_candidates(u, &Ctx::default(), p, &[])
        .await
        .unwrap()
        .into_iter()
        .map(|c| (c.person_id, c.score, c.reasons))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn variants_of_a_name_find_the_person_with_reasons() {
    let app = app().await;
    let manager = user(&app, "manager").await;
    let ctx = Ctx::default();
    let r = app
        .intake(&manager, &ctx, &intake(person("สมศักดิ์", "ใจดี", "2523")))
        .await
        .unwrap();
    let id = r.client_id;

    let found = find(&app, &manager, &person("สมศักดิ", "ใจดี", "2524")).await;
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, id);
    assert_eq!(
        found[0].2,
        [
            "first_name.normalised",
            "last_name.exact",
            "birth_year_close"
        ]
    );

    let latin = PersonInput {
        first_name_latin: "Somsak".into(),
        last_name_latin: "Chaidee".into(),
        birth_year: "1980".into(),
        ..Default::default()
    };
    let found = find(&app, &manager, &latin).await;
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].2.contains(&"first_name.romanised".to_string()));

    let swapped = find(&app, &manager, &person("ใจดี", "สมศักดิ์", "2523")).await;
    assert_eq!(swapped[0].2[0], "swapped");

    // A brother with the same surname and birth year is not offered.
    assert!(find(&app, &manager, &person("สมชาย", "ใจดี", "2523"))
        .await
        .is_empty());
    // Nor is the same name born thirty years later.
    assert!(find(&app, &manager, &person("สมศักดิ์", "ใจดี", "2553"))
        .await
        .is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sensitive_clients_identity_is_offered_only_to_who_may_see_it() {
    let app = app().await;
    let manager = user(&app, "manager").await;
    let mut input = intake(person("บุษบา", "ทดสอบ", "2530"));
    input.sensitive = true;
    app.intake(&manager, &Ctx::default(), &input).await.unwrap();
    let query = person("บุษบา", "ทดสอบ", "2530");
    for (name, offered) in [
        ("manager", true),
        ("supervisor", true),
        ("other-manager", false),
        ("other-supervisor", false),
    ] {
        let u = user(&app, name).await;
        assert_eq!(!find(&app, &u, &query).await.is_empty(), offered, "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_follow_updates_and_are_backfilled() {
    let app = app().await;
    let manager = user(&app, "manager").await;
    let ctx = Ctx::default();
    let r = app
        .intake(&manager, &ctx, &intake(person("มาลี", "ทองดี", "2520")))
        .await
        .unwrap();
    app.update_person(
        &manager,
        &ctx,
        r.client_id,
        1,
        &person("ดวงใจ", "ทองดี", "2520"),
    )
    .await
    .unwrap();
    assert!(find(&app, &manager, &person("มาลี", "ทองดี", "2520"))
        .await
        .is_empty());
    let new = person("ดวงไจ", "ทองดี", "2520");
    assert_eq!(find(&app, &manager, &new).await.len(), 1);

    // Keys lost (as for persons written before migration 0006) come back from the backfill.
    sqlx::query("DELETE FROM person_match_key")
        .execute(app.db.read())
        .await
        .unwrap();
    assert!(find(&app, &manager, &new).await.is_empty());
    let mut tx = app.db.begin().await.unwrap();
    assert_eq!(karuna_store::matching::backfill(&mut tx).await.unwrap(), 1);
    tx.commit().await.unwrap();
    assert_eq!(find(&app, &manager, &new).await.len(), 1);
    // The keys of migration 0050 too: a first name a letter off, with no birth year.
    let no_year = person("ดวงใด", "ทองดี", "");
    assert_eq!(find(&app, &manager, &no_year).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_nickname_a_surname_and_an_approximate_age_find_the_person() {
    let app = app().await;
    let manager = user(&app, "manager").await;
    let ctx = Ctx::default();
    let mut client = person("วรวิทย์", "เลียงประสิทธิ์", "2528");
    client.nickname = "วิทย์".into();
    let id = app
        .intake(&manager, &ctx, &intake(client))
        .await
        .unwrap()
        .client_id;
    let query = PersonInput {
        nickname: "วิทย์".into(),
        last_name_th: "เลียงประสิทธิ์".into(),
        ..Default::default()
    };
    let this_year =
        chrono::Datelike::year(&karuna_thai::calendar::bangkok_date(chrono::Utc::now()));
    // About 1983: two years off the estimate on record.
    let found = app
        .find_candidates_aged(&manager, &ctx, &query, &[], Some((this_year - 1983) as u32))
        .await
        .unwrap();
    assert_eq!(found.first().map(|c| c.person_id), Some(id), "{found:?}");
    assert!(found[0].reasons.contains(&"birth_year_close".to_string()));
    // Thirty years off is someone else.
    let far = app
        .find_candidates_aged(&manager, &ctx, &query, &[], Some((this_year - 2015) as u32))
        .await
        .unwrap();
    assert!(far.is_empty(), "{far:?}");
    // The correct RTGS romanisation finds him with no date at all.
    let rtgs = PersonInput {
        first_name_latin: "Worawit".into(),
        last_name_latin: "Liangprasit".into(),
        ..Default::default()
    };
    assert_eq!(find(&app, &manager, &rtgs).await[0].0, id);
    // An age past 120 is a field error, not a search.
    let e = app
        .find_candidates_aged(&manager, &ctx, &query, &[], Some(121))
        .await
        .unwrap_err();
    assert!(
        matches!(&e, karuna_app::AppError::Invalid(v) if v[0].field == "age"),
        "{e:?}"
    );
}
