//! The case use cases on the configured backend (SQLite, or PostgreSQL with KARUNA_TEST_DB):
//! intake, gap-free numbers under concurrency, optimistic concurrency, need-to-know, the
//! lifecycle, contacts and promises.

use karuna_app::account::NewUserInput;
use karuna_app::intake::{ConsentInput, IntakeInput};
use karuna_app::promise::PromiseUpdate;
use karuna_app::{App, AppError, Ctx, CurrentUser, Settings};
use karuna_domain::contact::ContactInput;
use karuna_domain::person::{DocumentInput, PersonInput};
use karuna_domain::promise::PromiseInput;
use karuna_store::case::CaseFilter;
use karuna_store::testing::fresh_db;

/// A fresh organisation with two units and one account per case role (no demo data, so
/// counts and numbers start from zero).
async fn app() -> App {
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

async fn user(app: &App, name: &str) -> CurrentUser {
    app.login(name, PASSWORD, &Ctx::default())
        .await
        .unwrap()
        .user
}

fn intake(first: &str, id_number: &str) -> IntakeInput {
    IntakeInput {
        client: PersonInput {
            prefix: "miss".into(),
            first_name_th: first.into(),
            last_name_th: "ทดสอบ".into(),
            birth_date: "14/02/2540".into(),
            phones: vec!["081-234-5678".into()],
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
        safety: {
            let mut a = karuna_domain::case::all_answered(karuna_domain::case::SafetyAnswer::No);
            a[4].1 = karuna_domain::case::SafetyAnswer::Yes; // no_safe_place_tonight
            a
        },
        case_types: vec!["domestic_violence".into()],
        ..Default::default()
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn intake_validates_the_id_and_audits_an_override() {
    let app = app().await;
    let manager = user(&app, "demo-manager").await;
    let ctx = Ctx::default();
    let ok = app
        .intake(&manager, &ctx, &intake("มาลี", "1103700123458"))
        .await
        .unwrap();
    assert!(
        ok.number.starts_with("CM-25") && ok.number.ends_with("-000001"),
        "{}",
        ok.number
    );
    assert_eq!(ok.urgency, "urgent");

    let bad = app
        .intake(&manager, &ctx, &intake("สมร", "1103700123459"))
        .await
        .unwrap_err();
    assert_eq!(codes(&bad), vec!["documents[0].number:thai.id.checksum"]);
    let mut overridden = intake("สมร", "1103700123459");
    overridden.documents[0].override_reason = "เลขตามสำเนาทะเบียนบ้านที่ผู้รับบริการนำมา".into();
    app.intake(&manager, &ctx, &overridden).await.unwrap();
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_event WHERE action = 'person.document.override'",
    )
    .fetch_one(app.db.read())
    .await
    .unwrap();
    assert_eq!(audited, 1);

    // The same ID number again is offered as a candidate before a new person is created.
    let again = intake("มาลี", "1103700123458");
    let found = app
        .find_candidates(&manager, &ctx, &again.client, &again.documents)
        .await
        .unwrap();
    // Both earlier clients share the phone; the one with the same ID number and name ranks first.
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].person_id, ok.client_id);
    assert_eq!(
        found[0].reasons,
        [
            "same_document",
            "first_name.exact",
            "last_name.exact",
            "same_birth_date",
            "same_phone"
        ]
    );
    assert_eq!(found[0].score, 100);
    // The other shares the phone and the surname but has another ID number.
    assert!(found[1].reasons.contains(&"same_phone".to_string()));
    assert!(found[1].reasons.contains(&"different_document".to_string()));
    assert!(found[0].score > found[1].score);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_named_and_nothing_is_written() {
    let app = app().await;
    let manager = user(&app, "demo-manager").await;
    let mut i = intake("", "12");
    i.client.first_name_th.clear();
    i.client.birth_date = "31/02/2569".into();
    i.client.phones = vec!["12345".into()];
    i.address.province_code = "10".into();
    i.address.district_code = "5001".into();
    i.address.subdistrict_code = "100101".into();
    i.referral_source = "rumour".into();
    i.case_types = vec![];
    i.consent = ConsentInput::default();
    let e = app.intake(&manager, &Ctx::default(), &i).await.unwrap_err();
    let got = codes(&e);
    for want in [
        "client.first_name_th:person.name_required",
        "client.birth_date:thai.date.day",
        "documents[0].number:thai.id.length",
        "address.district_code:thai.address.district_not_in_province",
        "referral_source:case.referral_unknown",
        "case_types:required",
        "consent.status:consent.required",
    ] {
        assert!(got.iter().any(|g| g == want), "{want} in {got:?}");
    }
    assert!(
        got.iter()
            .any(|g| g.starts_with("client.phones[0]:thai.phone.")),
        "{got:?}"
    );
    let persons: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM person")
        .fetch_one(app.db.read())
        .await
        .unwrap();
    let cases: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_file")
        .fetch_one(app.db.read())
        .await
        .unwrap();
    assert_eq!((persons, cases), (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_intakes_get_fifty_consecutive_numbers() {
    let app = app().await;
    let manager = user(&app, "demo-manager").await;
    let mut tasks = Vec::new();
    for i in 0..50 {
        let (app, manager) = (app.clone(), manager.clone());
        tasks.push(tokio::spawn(async move {
            let mut input = intake(&format!("ลูกค้า{i}"), "");
            input.documents.clear();
            app.intake(&manager, &Ctx::default(), &input)
                .await
                .map(|r| r.number)
        }));
    }
    let mut numbers = Vec::new();
    for t in tasks {
        numbers.push(t.await.unwrap().unwrap());
    }
    let mut seqs: Vec<i64> = numbers
        .iter()
        .map(|n| n.rsplit('-').next().unwrap().parse().unwrap())
        .collect();
    seqs.sort();
    assert_eq!(seqs, (1..=50).collect::<Vec<_>>());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_of_two_updates_with_the_same_version_wins() {
    let app = app().await;
    let manager = user(&app, "demo-manager").await;
    let ctx = Ctx::default();
    let r = app
        .intake(&manager, &ctx, &intake("ปราณี", ""))
        .await
        .unwrap();
    let v = app
        .open_case(&manager, &ctx, r.case_id)
        .await
        .unwrap()
        .case
        .version;
    let (ta, tb) = (
        vec!["domestic_violence".to_string()],
        vec!["other".to_string()],
    );
    let a = app.update_case(&manager, &ctx, r.case_id, v, "emergency", false, &ta, "ก");
    let b = app.update_case(&manager, &ctx, r.case_id, v, "routine", true, &tb, "ข");
    let (a, b) = tokio::join!(a, b);
    let conflicts = [&a, &b]
        .iter()
        .filter(|r| matches!(r, Err(AppError::Conflict)))
        .count();
    let wins = [&a, &b].iter().filter(|r| r.is_ok()).count();
    assert_eq!((wins, conflicts), (1, 1), "{a:?} {b:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn need_to_know_and_sensitivity() {
    let app = app().await;
    let manager = user(&app, "demo-manager").await;
    let psychologist = user(&app, "demo-psychologist").await;
    let supervisor = user(&app, "demo-supervisor").await;
    let admin = user(&app, "demo-admin").await;
    let ctx = Ctx::default();
    let a = app
        .intake(&manager, &ctx, &intake("กานดา", ""))
        .await
        .unwrap();
    let mut sensitive = intake("บุษบา", "");
    sensitive.sensitive = true;
    let b = app.intake(&manager, &ctx, &sensitive).await.unwrap();
    app.add_team_member(&manager, &ctx, a.case_id, psychologist.actor.id, "")
        .await
        .unwrap();

    // A team member of case A cannot open case B; the attempt is audited.
    assert!(app.open_case(&psychologist, &ctx, a.case_id).await.is_ok());
    assert!(matches!(
        app.open_case(&psychologist, &ctx, b.case_id).await,
        Err(AppError::Forbidden(_))
    ));
    let denied: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_event WHERE action = 'case.read' AND outcome = 'denied'",
    )
    .fetch_one(app.db.read())
    .await
    .unwrap();
    assert_eq!(denied, 1);
    // Nor steer case A.
    assert!(matches!(
        app.transfer_case(
            &psychologist,
            &ctx,
            a.case_id,
            &karuna_app::case::Transfer {
                version: 1,
                to_manager: psychologist.actor.id,
                reason: "x",
                handover_note: "x",
            },
        )
        .await,
        Err(AppError::Forbidden(_))
    ));
    // The admin reads no case content.
    assert!(matches!(
        app.open_case(&admin, &ctx, a.case_id).await,
        Err(AppError::Forbidden(_))
    ));
    assert!(matches!(
        app.list_cases(&admin, &ctx, &CaseFilter::default(), 50)
            .await,
        Err(AppError::Forbidden(_))
    ));

    // Lists hold only what each may open; a sensitive client is masked for others.
    let mine = app
        .list_cases(&psychologist, &ctx, &CaseFilter::default(), 50)
        .await
        .unwrap();
    assert_eq!(
        mine.iter().map(|c| c.id).collect::<Vec<_>>(),
        vec![a.case_id]
    );
    let unit = app
        .list_cases(&supervisor, &ctx, &CaseFilter::default(), 50)
        .await
        .unwrap();
    assert_eq!(unit.len(), 2);
    let sens = unit.iter().find(|c| c.id == b.case_id).unwrap();
    assert!(
        sens.client.contains("บุษบา"),
        "the unit supervisor sees the name"
    );
    // Put the psychologist on case B: they may open it but see a code, not the name.
    app.add_team_member(&manager, &ctx, b.case_id, psychologist.actor.id, "")
        .await
        .unwrap();
    let view = app.open_case(&psychologist, &ctx, b.case_id).await.unwrap();
    assert!(!view.identity_visible);
    assert_eq!(view.persons[0].0.display_name, format!("[{}]", b.number));
    let listed = app
        .list_cases(&psychologist, &ctx, &CaseFilter::default(), 50)
        .await
        .unwrap();
    assert!(listed
        .iter()
        .any(|c| c.id == b.case_id && c.client == format!("[{}]", b.number)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_contacts_and_promises() {
    let app = app().await;
    let manager = user(&app, "demo-manager").await;
    let ctx = Ctx::default();
    let r = app
        .intake(&manager, &ctx, &intake("วันดี", ""))
        .await
        .unwrap();
    let id = r.case_id;
    // The guard: no assessment before a contact.
    let e = app
        .change_status(&manager, &ctx, id, 1, "assessment", "")
        .await
        .unwrap_err();
    assert_eq!(codes(&e), vec!["to:case.guard.contact_required"]);
    let visit = ContactInput {
        kind: "home_visit".into(),
        date: "01/11/2569".into(),
        time: "10:00".into(),
        duration_minutes: "60".into(),
        note: "เยี่ยมบ้าน พบผู้รับบริการและบุตร".into(),
        sources: vec!["home_visit".into()],
        ..Default::default()
    };
    // Participants: persons of the case and staff; anyone else is refused.
    let stranger = ContactInput {
        person_ids: vec![uuid::Uuid::now_v7().to_string()],
        ..visit.clone()
    };
    assert_eq!(
        codes(
            &app.add_contact(&manager, &ctx, id, &stranger)
                .await
                .unwrap_err()
        ),
        vec!["person_ids:contact.participant_unknown"]
    );
    let visit = ContactInput {
        person_ids: vec![r.client_id.to_string()],
        account_ids: vec![manager.actor.id.to_string()],
        ..visit
    };
    let contact = app.add_contact(&manager, &ctx, id, &visit).await.unwrap();
    let listed = app.case_contacts(&manager, &ctx, id, 10).await.unwrap();
    assert_eq!(listed[0].participants.len(), 2);
    let corrected = ContactInput {
        note: "เยี่ยมบ้าน พบผู้รับบริการ บุตร และมารดา".into(),
        ..visit.clone()
    };
    assert_eq!(
        app.correct_contact(&manager, &ctx, contact, 1, &corrected, "เพิ่มผู้ที่พบ")
            .await
            .unwrap(),
        2
    );
    assert!(matches!(
        app.correct_contact(&manager, &ctx, contact, 1, &corrected, "ซ้ำ")
            .await,
        Err(AppError::Conflict)
    ));
    let revisions: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM revision WHERE entity_type = 'contact'")
            .fetch_one(app.db.read())
            .await
            .unwrap();
    assert_eq!(revisions, 1);

    let v = app
        .open_case(&manager, &ctx, id)
        .await
        .unwrap()
        .case
        .version;
    let v = app
        .change_status(&manager, &ctx, id, v, "assessment", "")
        .await
        .unwrap();
    assert!(app
        .change_status(&manager, &ctx, id, v, "review", "")
        .await
        .is_err());

    // A promise: renegotiated, then kept; history kept.
    let p = app
        .add_promise(
            &manager,
            &ctx,
            id,
            &PromiseInput {
                what: "พาไปทำบัตรประชาชนใหม่".into(),
                due: "30/12/2569".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let re = PromiseUpdate {
        version: 1,
        action: "renegotiate".into(),
        reason: "ผู้รับบริการไม่ว่าง".into(),
        due: "15/01/2570".into(),
        ..Default::default()
    };
    assert_eq!(app.change_promise(&manager, &ctx, p, &re).await.unwrap(), 2);
    let keep = PromiseUpdate {
        version: 2,
        action: "keep".into(),
        ..Default::default()
    };
    assert_eq!(
        app.change_promise(&manager, &ctx, p, &keep).await.unwrap(),
        3
    );
    let again = PromiseUpdate {
        version: 3,
        action: "keep".into(),
        ..Default::default()
    };
    assert_eq!(
        codes(
            &app.change_promise(&manager, &ctx, p, &again)
                .await
                .unwrap_err()
        ),
        vec!["status:promise.not_open"]
    );
    let (promises, events) = app.case_promises(&manager, &ctx, id).await.unwrap();
    assert_eq!(promises[0].status, "kept");
    assert_eq!(
        events.iter().map(|e| e.kind.as_str()).collect::<Vec<_>>(),
        vec!["made", "renegotiated", "kept"]
    );

    // Closing needs the closure summary first; then close, reopen with a reason; the
    // history names every step.
    let v = app
        .open_case(&manager, &ctx, id)
        .await
        .unwrap()
        .case
        .version;
    assert_eq!(
        codes(
            &app.change_status(&manager, &ctx, id, v, "closed", "")
                .await
                .unwrap_err()
        ),
        vec!["to:case.guard.closure_required"]
    );
    let closure = karuna_domain::closure::ClosureInput {
        reason: "moved_away".into(),
        summary: "ย้ายไปอยู่กับญาติต่างจังหวัด ส่งต่อข้อมูลให้ พมจ. ปลายทางแล้ว".into(),
        follow_up_months: Some(vec![1]),
        ..Default::default()
    };
    app.record_closure(&manager, &ctx, id, &closure)
        .await
        .unwrap();
    let v = app
        .change_status(&manager, &ctx, id, v, "closed", "ย้ายไปจังหวัดอื่น")
        .await
        .unwrap();
    app.reopen_case(
        &manager,
        &ctx,
        id,
        v,
        "assessment",
        "กลับมาขอความช่วยเหลืออีกครั้ง",
    )
    .await
    .unwrap();
    let view = app.open_case(&manager, &ctx, id).await.unwrap();
    let kinds: Vec<_> = view.history.iter().map(|h| h.kind.as_str()).collect();
    assert_eq!(kinds, vec!["open", "status", "status", "reopen"]);
    assert_eq!(view.case.status, "assessment");
    // Closing scheduled the follow-up a month later; the closure was used.
    let c = app.closure_view(&manager, &ctx, id).await.unwrap();
    assert_eq!(c.follow_ups.len(), 1);
    assert_eq!(c.closures[0].status, "done");
}
