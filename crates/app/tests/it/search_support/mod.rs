//! What the search tests share: an organisation with two units and an account per case role,
//! two cases, notes, and shorthands for searching.

#![allow(dead_code)]

use karuna_app::account::NewUserInput;
use karuna_app::intake::{ConsentInput, IntakeInput, IntakeResult};
use karuna_app::search::{SearchRequest, SearchResults};
use karuna_app::{App, AppError, Ctx, CurrentUser, Settings};
use karuna_domain::contact::ContactInput;
use karuna_domain::person::{DocumentInput, PersonInput};
use karuna_store::testing::fresh_db;
use std::collections::BTreeSet;
use uuid::Uuid;

/// A fresh organisation with two units and one account per case role (no demo data, so
/// counts and numbers start from zero).
pub async fn app() -> App {
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
    let accounts = [
        ("demo-manager", "case_manager", None, office),
        ("demo-supervisor", "supervisor", None, office),
        (
            "demo-psychologist",
            "team_member",
            Some("psychologist"),
            shelter,
        ),
        ("demo-admin", "admin", None, office),
    ];
    for (username, role, profession, unit) in accounts {
        let input = NewUserInput {
            username: username.into(),
            display_name: username.into(),
            role: role.into(),
            profession: profession.map(str::to_string),
            unit_id: unit.map(|u| u.to_string()),
            password: Some(PASSWORD.into()),
        };
        app.create_user_in(org, None, &ctx, input, false)
            .await
            .unwrap();
    }
    app
}

const PASSWORD: &str = "test-password-1";

pub async fn user(app: &App, name: &str) -> CurrentUser {
    app.login(name, PASSWORD, &Ctx::default())
        .await
        .unwrap()
        .user
}

pub fn intake(first: &str, latin: &str, phone: &str, id_number: &str) -> IntakeInput {
    IntakeInput {
        client: PersonInput {
            prefix: "miss".into(),
            first_name_th: first.into(),
            last_name_th: "ทดสอบ".into(),
            first_name_latin: latin.into(),
            last_name_latin: "Thodsob".into(),
            nickname: "แดง".into(),
            birth_date: "14/02/2540".into(),
            phones: vec![phone.into()],
            ..Default::default()
        },
        documents: vec![DocumentInput {
            kind: "thai_national_id".into(),
            number: id_number.into(),
            ..Default::default()
        }],
        consent: ConsentInput {
            status: "granted".into(),
            evidence_note: "ลงนามในแบบฟอร์ม".into(),
            ..Default::default()
        },
        referral_source: "hotline_1300".into(),
        presenting_problem: "ถูกทำร้ายร่างกายโดยคู่สมรส".into(),
        safety: karuna_domain::case::all_answered(karuna_domain::case::SafetyAnswer::No),
        case_types: vec!["domestic_violence".into()],
        ..Default::default()
    }
}

pub fn note(date: &str, text: &str) -> ContactInput {
    ContactInput {
        kind: "home_visit".into(),
        date: date.into(),
        time: "10:00".into(),
        duration_minutes: "30".into(),
        note: text.into(),
        sources: vec!["home_visit".into()],
        ..Default::default()
    }
}

pub async fn find(app: &App, who: &CurrentUser, q: &str) -> SearchResults {
    find_with(
        app,
        who,
        SearchRequest {
            q: q.into(),
            ..Default::default()
        },
    )
    .await
}

pub async fn find_with(app: &App, who: &CurrentUser, r: SearchRequest) -> SearchResults {
    match app.search(who, &Ctx::default(), &r).await {
        Ok(res) => res,
        Err(e) => panic!("{:?} for {:?}", e, r.q),
    }
}

pub fn ids(r: &SearchResults) -> BTreeSet<Uuid> {
    r.items.iter().map(|i| i.id).collect()
}

pub fn codes(e: &AppError) -> Vec<String> {
    match e {
        AppError::Invalid(list) => list
            .iter()
            .map(|f| format!("{}:{}", f.field, f.code))
            .collect(),
        other => vec![format!("{other:?}")],
    }
}

/// Two cases of the manager: A (with the psychologist on its team) and B (sensitive).
pub async fn setup() -> (App, CurrentUser, CurrentUser, IntakeResult, IntakeResult) {
    let app = app().await;
    let manager = user(&app, "demo-manager").await;
    let psychologist = user(&app, "demo-psychologist").await;
    let ctx = Ctx::default();
    let a = app
        .intake(
            &manager,
            &ctx,
            &intake("กานดา", "Kanda", "081-234-5678", "1103700123458"),
        )
        .await
        .unwrap();
    let mut sens = intake("บุษบา", "Butsaba", "02 123 4567", "");
    sens.sensitive = true;
    let b = app.intake(&manager, &ctx, &sens).await.unwrap();
    app.add_team_member(&manager, &ctx, a.case_id, psychologist.actor.id, "")
        .await
        .unwrap();
    (app, manager, psychologist, a, b)
}
