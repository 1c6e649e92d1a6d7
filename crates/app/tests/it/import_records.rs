//! Import and export of cases and contacts on the configured backend: each row goes only on
//! a case the importer may add to, cases open for clients on record and keep the earlier
//! system's number, and the exports follow the case list's access rules.

use crate::import_support;

use import_support::*;
use karuna_app::import::contacts::Vocabulary;
use karuna_app::import::source::Format;
use karuna_app::import::{ImportError, ImportOptions, ImportReport, Mode};
use karuna_app::intake::{ConsentInput, IntakeInput};
use karuna_app::search::SearchRequest;
use karuna_app::{App, Ctx};
use karuna_domain::person::PersonInput;
use karuna_store::testing::temp_dir;

/// A case registered by `username`; its number.
async fn case_of(app: &App, username: &str, first: &str) -> String {
    let user = app.acting_as(username).await.unwrap();
    let input = IntakeInput {
        client: PersonInput {
            first_name_th: first.into(),
            last_name_th: "ทดสอบ".into(),
            ..Default::default()
        },
        consent: ConsentInput {
            status: "granted".into(),
            evidence_note: "ลงนามในแบบฟอร์ม".into(),
            ..Default::default()
        },
        referral_source: "self".into(),
        presenting_problem: "ขอความช่วยเหลือ".into(),
        safety: karuna_domain::case::all_answered(karuna_domain::case::SafetyAnswer::No),
        case_types: vec!["poverty_homelessness".into()],
        ..Default::default()
    };
    app.intake(&user, &Ctx::default(), &input)
        .await
        .unwrap()
        .number
}

async fn import_contacts(
    app: &App,
    o: &ImportOptions,
) -> (Result<ImportReport, ImportError>, Collect) {
    let user = manager(app).await;
    let mut c = Collect::default();
    let r = app.import_contacts(&user, &Ctx::default(), o, &mut c).await;
    (r, c)
}

#[tokio::test]
async fn contacts_go_on_the_cases_the_importer_may_add_to() {
    let (app, _) = app().await;
    let mine = case_of(&app, "manager", "มาลี").await;
    let theirs = case_of(&app, "other", "สมศรี").await;
    let dir = temp_dir().unwrap();
    let file = dir.join("contacts.csv");
    std::fs::write(
        &file,
        format!(
            "เลขที่รายกรณี,ประเภทการติดต่อ,วันที่,เวลา,บันทึก,แหล่งข้อมูล,ต้องติดตาม\n\
             {mine},เยี่ยมบ้าน,2569-01-15,10:30,เยี่ยมบ้าน พบมารดา,ครอบครัว,ใช่\n\
             {mine},phone_call,16/01/2569,,โทรติดตามอาการ,,\n\
             {theirs},phone_call,16/01/2569,,ไม่ใช่รายกรณีของฉัน,,\n\
             CM-2500-999999,phone_call,16/01/2569,,ไม่มีรายกรณีนี้,,\n\
             {mine},ไปเที่ยว,31/02/2569,,,,บางที\n"
        ),
    )
    .unwrap();
    let mut vocabulary = Vocabulary::default();
    vocabulary.add("kind", "เยี่ยมบ้าน", "home_visit");
    vocabulary.add("sources", "ครอบครัว", "family");
    let with = |dry_run, mode| ImportOptions {
        vocabulary: vocabulary.clone(),
        ..opts(&file, dry_run, mode)
    };

    // Dry run: the other manager's case and an unknown number read the same (existence is
    // not revealed); the bad row reports each of its columns.
    let (r, c) = import_contacts(&app, &with(true, Mode::AllOrNothing)).await;
    let r = r.unwrap();
    assert_eq!((r.rows, r.valid, r.rejected, r.written), (5, 2, 3, 0));
    let on = |row| -> Vec<(String, String)> {
        c.problems
            .iter()
            .filter(|p| p.row == row)
            .map(|p| (p.column.clone(), p.code.clone()))
            .collect()
    };
    let unknown = vec![("เลขที่รายกรณี".to_string(), "import.case_unknown".to_string())];
    assert_eq!(on(4), unknown);
    assert_eq!(on(5), unknown);
    let bad: Vec<String> = on(6).into_iter().map(|(col, _)| col).collect();
    for col in ["ประเภทการติดต่อ", "วันที่", "บันทึก", "ต้องติดตาม"]
    {
        assert!(bad.contains(&col.to_string()), "{col}: {:?}", c.problems);
    }
    assert_eq!(count(&app, "contact").await, 0);

    // All or nothing: nothing.
    let (r, _) = import_contacts(&app, &with(false, Mode::AllOrNothing)).await;
    assert_eq!(r.unwrap().written, 0);
    assert_eq!(count(&app, "contact").await, 0);

    // Skip bad rows: the two good ones, on the importer's case, found by search.
    let (r, _) = import_contacts(&app, &with(false, Mode::SkipBadRows)).await;
    let r = r.unwrap();
    assert_eq!(r.written, 2);
    let rejected = std::fs::read_to_string(r.rejected_file.unwrap()).unwrap();
    assert_eq!(rejected.lines().count(), 4, "{rejected}");
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT c.number, k.kind, k.follow_up_needed FROM contact k JOIN case_file c ON c.id = k.case_id \
         ORDER BY k.occurred_at",
    )
    .fetch_all(app.db.read())
    .await
    .unwrap();
    assert_eq!(
        rows,
        vec![
            (mine.clone(), "home_visit".to_string(), 1),
            (mine.clone(), "phone_call".to_string(), 0)
        ]
    );
    let user = manager(&app).await;
    let hits = app
        .search(
            &user,
            &Ctx::default(),
            &SearchRequest {
                q: "ติดตามอาการ".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(hits.total, 1);
    let reason: String = sqlx::query_scalar(
        "SELECT reason FROM audit_event WHERE action = 'contact.import' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(app.db.read())
    .await
    .unwrap();
    assert!(
        reason.contains("written=2") && reason.contains("cases_refused=1"),
        "{reason}"
    );

    // The export gives the manager her two contacts in the import's columns (so the file
    // imports again as it is), and the other manager none of them.
    let out = dir.join("export.csv");
    let n = app
        .export_contacts(&user, &Ctx::default(), &out, Format::Csv, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(n, 2);
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "case_number,kind,date,time,duration_minutes,place,note,sources,follow_up_needed,follow_up_note"
    );
    assert!(
        lines.contains(
            &format!("{mine},home_visit,2026-01-15,10:30,,,เยี่ยมบ้าน พบมารดา,family,1,").as_str()
        ),
        "{text}"
    );
    let (r, c) = import_contacts(&app, &opts(&out, true, Mode::AllOrNothing)).await;
    assert_eq!((r.unwrap().valid, c.problems.len()), (2, 0));
    let other = app.acting_as("other").await.unwrap();
    let n = app
        .export_contacts(&other, &Ctx::default(), &out, Format::Csv, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn a_contacts_file_without_its_required_columns_is_refused_whole() {
    let (app, _) = app().await;
    let dir = temp_dir().unwrap();
    let file = dir.join("contacts.csv");
    std::fs::write(&file, "ประเภทการติดต่อ,บันทึก\nphone_call,โทร\n").unwrap();
    let (r, _) = import_contacts(&app, &opts(&file, true, Mode::AllOrNothing)).await;
    match r {
        Err(ImportError::File(problems)) => {
            let all = problems.join("\n");
            assert!(all.contains("case_number") && all.contains("date"), "{all}");
        }
        other => panic!("{other:?}"),
    }
}

async fn import_cases(
    app: &App,
    user: &str,
    o: &ImportOptions,
) -> (Result<ImportReport, ImportError>, Collect) {
    let user = app.acting_as(user).await.unwrap();
    let mut c = Collect::default();
    let r = app.import_cases(&user, &Ctx::default(), o, &mut c).await;
    (r, c)
}

#[tokio::test]
async fn cases_open_for_clients_on_record_and_keep_their_earlier_numbers() {
    let (app, _) = app().await;
    let dir = temp_dir().unwrap();
    let persons = dir.join("persons.csv");
    std::fs::write(
        &persons,
        format!(
            "ชื่อ,นามสกุล,เลขประจำตัวประชาชน\nมาลี,ใจดี,{}\nสมศรี,มีสุข,{}\n",
            national_id(1),
            national_id(2)
        ),
    )
    .unwrap();
    let (r, _) = import(&app, &opts(&persons, false, Mode::AllOrNothing)).await;
    assert_eq!(r.unwrap().written, 2);

    let (one, two) = (national_id(1), national_id(2));
    let dashed = format!("{}-{}-{}", &one[..1], &one[1..5], &one[5..]);
    let file = dir.join("cases.csv");
    std::fs::write(
        &file,
        format!(
            "เลขประจำตัวผู้รับบริการ,เลขที่รายกรณีเดิม,ประเภทรายกรณี,แหล่งที่ส่งต่อ,ปัญหาที่นำมา,\
             ความเร่งด่วน,วันที่เปิดรายกรณี,ผู้จัดการรายกรณี,ความยินยอม,ฐานทางกฎหมายอื่น\n\
             {dashed},OLD-1,ยากจน / ไร้ที่พึ่ง,self,ไม่มีที่อยู่อาศัย,เร่งด่วน,2560-06-01,,ยินยอม,\n\
             {two},OLD-2,other,self,ขอความช่วยเหลือ,,,other,granted,\n\
             {},OLD-3,other,self,ไม่มีบุคคลนี้,,,,granted,\n\
             {two},OLD-1,other,self,เลขเดิมซ้ำ,,,,granted,\n\
             {two},OLD-5,other,police,ถูกทำร้าย,emergency,,,,vital_interest\n",
            national_id(99)
        ),
    )
    .unwrap();
    let mut vocabulary = Vocabulary::default();
    vocabulary.add("case_types", "ยากจน / ไร้ที่พึ่ง", "poverty_homelessness");
    vocabulary.add("urgency", "เร่งด่วน", "urgent");
    vocabulary.add("consent", "ยินยอม", "granted");
    let with = |dry_run, mode| ImportOptions {
        vocabulary: vocabulary.clone(),
        ..opts(&file, dry_run, mode)
    };

    // Dry run: a manager may not give a case to another manager; a client not on record and
    // an earlier number used twice are refused, each on its column.
    let (r, c) = import_cases(&app, "manager", &with(true, Mode::AllOrNothing)).await;
    let r = r.unwrap();
    assert_eq!(
        (r.rows, r.valid, r.rejected, r.written),
        (5, 2, 3, 0),
        "{:?}",
        c.problems
    );
    let got: Vec<(u64, &str, &str)> = c
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_str(), p.code.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (3, "ผู้จัดการรายกรณี", "case.manager_invalid"),
            (4, "เลขประจำตัวผู้รับบริการ", "import.client_unknown"),
            (5, "เลขที่รายกรณีเดิม", "import.legacy_number_repeated"),
        ]
    );
    let (r, _) = import_cases(&app, "manager", &with(false, Mode::AllOrNothing)).await;
    assert_eq!(r.unwrap().written, 0);
    assert_eq!(count(&app, "case_file").await, 0);

    // Skip mode: the two good rows become cases in intake, with their consent or lawful
    // basis, their earlier numbers, and the first one dated as the file says.
    let (r, _) = import_cases(&app, "manager", &with(false, Mode::SkipBadRows)).await;
    assert_eq!(r.unwrap().written, 2);
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT legacy_number, urgency, status, opened_at FROM case_file ORDER BY legacy_number",
    )
    .fetch_all(app.db.read())
    .await
    .unwrap();
    assert_eq!(rows[0].0, "OLD-1");
    assert_eq!(rows[0].1, "urgent");
    assert_eq!(rows[0].2, "intake");
    assert!(rows[0].3.starts_with("2017-06-01"), "{}", rows[0].3);
    assert_eq!(
        (rows[1].0.as_str(), rows[1].1.as_str()),
        ("OLD-5", "emergency")
    );
    assert_eq!(count(&app, "consent").await, 2);
    let reason: String = sqlx::query_scalar(
        "SELECT reason FROM audit_event WHERE action = 'case.import' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(app.db.read())
    .await
    .unwrap();
    assert!(reason.contains("written=2"), "{reason}");

    // The earlier number finds the case.
    let hits = app
        .search(
            &manager(&app).await,
            &Ctx::default(),
            &SearchRequest {
                q: "OLD-5".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(hits.total, 1);

    // Imported again, the earlier numbers are taken.
    let (r, c) = import_cases(&app, "manager", &with(true, Mode::AllOrNothing)).await;
    assert_eq!(r.unwrap().valid, 0);
    assert!(c
        .problems
        .iter()
        .any(|p| p.row == 2 && p.code == "import.legacy_number_taken"));

    // The earlier system's contacts name the case by its earlier number.
    let contacts = dir.join("contacts.csv");
    std::fs::write(
        &contacts,
        "case_number,kind,date,note\nOLD-1,phone_call,16/01/2569,โทรติดตามจากระบบเดิม\n",
    )
    .unwrap();
    let (r, c) = import_contacts(&app, &opts(&contacts, false, Mode::AllOrNothing)).await;
    assert_eq!(r.unwrap().written, 1, "{:?}", c.problems);

    // The export: Karuna's number and status, then the import's columns; none for the
    // other manager.
    let out = dir.join("cases-export.csv");
    let user = manager(&app).await;
    let n = app
        .export_cases(&user, &Ctx::default(), &out, Format::Csv, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(n, 2);
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("case_number,status,client_id_number,legacy_number,case_types"),
        "{}",
        lines[0]
    );
    assert!(
        lines.iter().any(|l| l
            .contains(&format!(",intake,{one},OLD-1,poverty_homelessness,self,"))
            && l.contains(",urgent,0,2017-06-01,manager,granted,")),
        "{text}"
    );
    let other = app.acting_as("other").await.unwrap();
    let n = app
        .export_cases(&other, &Ctx::default(), &out, Format::Csv, &mut |_| {})
        .await
        .unwrap();
    assert_eq!(n, 0);
}
