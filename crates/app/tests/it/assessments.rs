//! Assessment use cases on the configured backend (SQLite, or PostgreSQL with KARUNA_TEST_DB):
//! template versions, answers that do not fit, optimistic locking, need-to-know, comparison.

use karuna_app::account::NewUserInput;
use karuna_app::assessment::AssessmentInput;
use karuna_app::intake::{ConsentInput, IntakeInput};
use karuna_app::{App, AppError, Ctx, CurrentUser, Settings};
use karuna_domain::person::PersonInput;
use karuna_store::testing::fresh_db;
use serde_json::json;
use uuid::Uuid;

const PASSWORD: &str = "test-password-1";

async fn app() -> App {
    let (db, _) = fresh_db().await.unwrap();
    let app = App::new(db, Settings::default());
    let ctx = Ctx::default();
    let (org, office) = app
        .bootstrap_org(&ctx, "พมจ.ทดสอบ", Some("กลุ่มงานคุ้มครอง"))
        .await
        .unwrap();
    for (username, role, profession) in [
        ("manager", "case_manager", None),
        ("other-manager", "case_manager", None),
        ("psychologist", "team_member", Some("psychologist")),
        ("admin", "admin", None),
    ] {
        let input = NewUserInput {
            username: username.into(),
            display_name: username.into(),
            role: role.into(),
            profession: profession.map(str::to_string),
            unit_id: office.map(|u| u.to_string()),
            password: Some(PASSWORD.into()),
        };
        app.create_user_in(org, None, &ctx, input, false)
            .await
            .unwrap();
    }
    app
}

async fn user(app: &App, name: &str) -> CurrentUser {
    app.login(name, PASSWORD, &Ctx::default())
        .await
        .unwrap()
        .user
}

async fn case(app: &App, manager: &CurrentUser) -> Uuid {
    let input = IntakeInput {
        client: PersonInput {
            first_name_th: "ทดสอบ".into(),
            ..Default::default()
        },
        consent: ConsentInput {
            status: "granted".into(),
            ..Default::default()
        },
        referral_source: "self".into(),
        presenting_problem: "ทดสอบการประเมิน".into(),
        case_types: vec!["other".into()],
        safety: karuna_domain::case::all_answered(karuna_domain::case::SafetyAnswer::No),
        ..Default::default()
    };
    app.intake(manager, &Ctx::default(), &input)
        .await
        .unwrap()
        .case_id
}

fn input(version: i64, answers: serde_json::Value) -> AssessmentInput {
    AssessmentInput {
        version,
        answers: serde_json::from_value(answers).unwrap(),
        notes: Default::default(),
    }
}

fn codes(e: &AppError) -> Vec<String> {
    match e {
        AppError::Invalid(list) => list
            .iter()
            .map(|f| format!("{}:{}", f.field, f.code))
            .collect(),
        other => vec![format!("{other:?}")],
    }
}

const SAFETY_ALL_NO: &str = r#"{"in_danger_now": false, "injured_needs_care": false,
  "child_without_carer": false, "perpetrator_has_access": true, "no_safe_place_tonight": false,
  "self_harm_risk": false, "safety_plan_made": true}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn walk_start_save_complete_compare() {
    let app = app().await;
    let ctx = Ctx::default();
    let m = user(&app, "manager").await;
    let c = case(&app, &m).await;
    let keys: Vec<String> = app
        .available_templates(&m, &ctx)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.key)
        .collect();
    assert_eq!(
        keys.len(),
        karuna_domain::assessment::shipped::SHIPPED.len(),
        "{keys:?}"
    );

    let first = app.start_assessment(&m, &ctx, c, "safety").await.unwrap();
    let mut notes = std::collections::BTreeMap::new();
    notes.insert(
        "perpetrator".to_string(),
        karuna_domain::assessment::DomainNotes {
            sources: vec!["client_interview".into()],
            needs: "ย้ายที่พักชั่วคราว".into(),
            ..Default::default()
        },
    );
    let mut draft = input(1, json!({"in_danger_now": false}));
    draft.notes = notes;
    let v = app
        .save_assessment(&m, &ctx, first, &draft, false)
        .await
        .unwrap();
    assert_eq!(v, 2);
    // Stale version: 409, nothing changes.
    let stale = app.save_assessment(&m, &ctx, first, &draft, false).await;
    assert!(matches!(stale, Err(AppError::Conflict)), "{stale:?}");
    // Completing with required answers missing names them.
    let missing = app
        .save_assessment(&m, &ctx, first, &input(2, json!({})), true)
        .await
        .unwrap_err();
    assert!(codes(&missing).contains(&"answers.injured_needs_care:required".to_string()));
    let answers: serde_json::Value = serde_json::from_str(SAFETY_ALL_NO).unwrap();
    // Saving replaces answers and notes as a whole, as the form sends them.
    let mut done = input(2, answers.clone());
    done.notes = draft.notes.clone();
    let v = app
        .save_assessment(&m, &ctx, first, &done, true)
        .await
        .unwrap();
    let view = app.assessment(&m, &ctx, first).await.unwrap();
    assert_eq!(view.assessment.status, "completed");
    assert_eq!(
        view.assessment.notes["perpetrator"].sources,
        ["client_interview"]
    );
    let scores = view.assessment.scores.clone().unwrap();
    assert_eq!(scores.urgency.as_deref(), Some("urgent"));
    // The safety level raised the case's urgency (it was routine), with a revision.
    assert_eq!(
        app.open_case(&m, &ctx, c).await.unwrap().case.urgency,
        "urgent"
    );
    // A completed assessment does not change.
    let again = app
        .save_assessment(&m, &ctx, first, &input(v, answers.clone()), false)
        .await
        .unwrap_err();
    assert_eq!(codes(&again), ["status:assessment.not_draft"]);

    // A reassessment, then the comparison.
    let second = app.start_assessment(&m, &ctx, c, "safety").await.unwrap();
    let mut better = answers.clone();
    better["perpetrator_has_access"] = json!(false);
    app.save_assessment(&m, &ctx, second, &input(1, better), true)
        .await
        .unwrap();
    let cmp = app
        .compare_assessments(&m, &ctx, c, "safety")
        .await
        .unwrap();
    assert_eq!(cmp.assessments.len(), 2);
    assert!(cmp.domains.iter().any(|d| d.code == "perpetrator"));
    assert_eq!(cmp.assessments[0].scores.total, 4);
    assert_eq!(cmp.assessments[1].scores.total, 0);
    assert_eq!(app.case_assessments(&m, &ctx, c).await.unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_that_do_not_fit_save_nothing() {
    let app = app().await;
    let ctx = Ctx::default();
    let m = user(&app, "manager").await;
    let c = case(&app, &m).await;
    let a = app.start_assessment(&m, &ctx, c, "holistic").await.unwrap();
    let bad = input(
        1,
        json!({"ph_condition": "splendid", "mh_mood": 7, "nonsense": 1, "ph_chronic": "yes"}),
    );
    let e = app
        .save_assessment(&m, &ctx, a, &bad, false)
        .await
        .unwrap_err();
    let got = codes(&e);
    for want in [
        "answers.ph_condition:assessment.answer.not_an_option",
        "answers.mh_mood:assessment.answer.out_of_range",
        "answers.nonsense:assessment.answer.unknown_question",
        "answers.ph_chronic:assessment.answer.wrong_type",
    ] {
        assert!(got.contains(&want.to_string()), "{want} in {got:?}");
    }
    let view = app.assessment(&m, &ctx, a).await.unwrap();
    assert_eq!(view.assessment.version, 1);
    assert!(view.assessment.answers.is_empty());
    let unknown = app
        .start_assessment(&m, &ctx, c, "astrology")
        .await
        .unwrap_err();
    assert_eq!(
        codes(&unknown),
        ["template_key:assessment.template.unknown"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_version_leaves_existing_assessments_unchanged() {
    let app = app().await;
    let ctx = Ctx::default();
    let m = user(&app, "manager").await;
    let admin = user(&app, "admin").await;
    let c = case(&app, &m).await;
    let old = app.start_assessment(&m, &ctx, c, "safety").await.unwrap();

    let list = app.list_templates(&admin, &ctx).await.unwrap();
    let v1 = list.iter().find(|t| t.key == "safety").unwrap();
    let (_, yaml) = app
        .export_template(&admin, &ctx, v1.id, true)
        .await
        .unwrap();
    let changed = yaml.replace("in_danger_now", "danger_now");
    let draft = app.import_template(&admin, &ctx, &changed).await.unwrap();
    assert_eq!((draft.version, draft.status.as_str()), (2, "draft"));
    // A draft is not used for new assessments.
    let still_v1 = app.start_assessment(&m, &ctx, c, "safety").await.unwrap();
    assert_eq!(
        app.assessment(&m, &ctx, still_v1)
            .await
            .unwrap()
            .template
            .version,
        1
    );
    app.publish_template(&admin, &ctx, draft.id).await.unwrap();
    let again = app
        .publish_template(&admin, &ctx, draft.id)
        .await
        .unwrap_err();
    assert_eq!(codes(&again), ["id:assessment.template.not_draft"]);

    let new = app.start_assessment(&m, &ctx, c, "safety").await.unwrap();
    let new_view = app.assessment(&m, &ctx, new).await.unwrap();
    assert_eq!(new_view.template.version, 2);
    assert!(new_view.template.template.question("danger_now").is_some());
    let old_view = app.assessment(&m, &ctx, old).await.unwrap();
    assert_eq!(old_view.assessment.template_version, 1);
    assert!(old_view
        .template
        .template
        .question("in_danger_now")
        .is_some());
    // The old assessment is still completed against version 1's questions.
    let answers: serde_json::Value = serde_json::from_str(SAFETY_ALL_NO).unwrap();
    app.save_assessment(&m, &ctx, old, &input(1, answers), true)
        .await
        .unwrap();
    // JSON import works too, and the export round-trips.
    let (_, json_text) = app
        .export_template(&admin, &ctx, draft.id, false)
        .await
        .unwrap();
    let v3 = app.import_template(&admin, &ctx, &json_text).await.unwrap();
    assert_eq!(v3.template, draft.template);
    assert_eq!(v3.version, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_templates_are_refused_with_their_paths() {
    let app = app().await;
    let ctx = Ctx::default();
    let admin = user(&app, "admin").await;
    let bad = r#"
key: bad
title: {th: "ทดสอบ", en: "Test"}
sections:
  - code: one
    title: {th: "หนึ่ง", en: "One"}
    questions:
      - {id: a, type: text, yes_points: 1, label: {th: "ก", en: "A"}}
      - {id: a, type: yes_no, label: {th: "ข", en: "B"}, show_if: {question: c, any_of: ["yes"]}}
      - {id: c, type: yes_no, label: {th: "ค", en: "C"}}
    levels:
      - {min: 5, code: high, label: {th: "สูง", en: "High"}}
      - {min: 0, code: low, label: {th: "ต่ำ", en: "Low"}}
"#;
    let e = app.import_template(&admin, &ctx, bad).await.unwrap_err();
    let got = codes(&e);
    for want in [
        "sections[0].questions[0]:assessment.template.scoring_not_allowed",
        "sections[0].questions[1].id:assessment.template.duplicate_id",
        "sections[0].questions[1].show_if:assessment.template.show_if_later",
        "sections[0].levels[1].min:assessment.template.levels_out_of_order",
    ] {
        assert!(got.contains(&want.to_string()), "{want} in {got:?}");
    }
    assert!(app.preview_template(&admin, &ctx, bad).await.is_err());
    let list = app.list_templates(&admin, &ctx).await.unwrap();
    assert!(!list.iter().any(|t| t.key == "bad"), "nothing saved");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn need_to_know_on_assessments_and_templates() {
    let app = app().await;
    let ctx = Ctx::default();
    let m = user(&app, "manager").await;
    let other = user(&app, "other-manager").await;
    let psychologist = user(&app, "psychologist").await;
    let admin = user(&app, "admin").await;
    let c = case(&app, &m).await;
    let a = app.start_assessment(&m, &ctx, c, "holistic").await.unwrap();
    // A member of staff not on the case, and the admin, cannot read it.
    for u in [&other, &psychologist, &admin] {
        let r = app.assessment(u, &ctx, a).await;
        assert!(
            matches!(r, Err(AppError::Forbidden(_))),
            "{}: {r:?}",
            u.username
        );
        let r = app.compare_assessments(u, &ctx, c, "holistic").await;
        assert!(matches!(r, Err(AppError::Forbidden(_))), "{}", u.username);
    }
    // Once on the team, the psychologist can.
    app.add_team_member(&m, &ctx, c, psychologist.actor.id, "")
        .await
        .unwrap();
    assert!(app.assessment(&psychologist, &ctx, a).await.is_ok());
    // Only admins manage templates.
    for u in [&m, &psychologist] {
        let r = app.list_templates(u, &ctx).await;
        assert!(matches!(r, Err(AppError::Forbidden(_))), "{}", u.username);
        let r = app.import_template(u, &ctx, "key: x").await;
        assert!(matches!(r, Err(AppError::Forbidden(_))), "{}", u.username);
    }
    assert!(matches!(
        app.available_templates(&admin, &ctx).await,
        Err(AppError::Forbidden(_))
    ));
}
