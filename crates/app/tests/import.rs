//! Bulk import of persons on the configured backend (SQLite, or PostgreSQL with
//! KARUNA_TEST_DB): the "3 bad rows among 10,000" in dry-run, all-or-nothing and
//! skip-bad-rows modes, an interrupted import, and the bad inputs (delimiters, BOM, CRLF,
//! TIS-620, headers, empty rows, Buddhist-era dates, XLSX formulas).

use karuna_app::account::NewUserInput;
use karuna_app::import::contacts::Vocabulary;
use karuna_app::import::source::{Format, SourceOptions};
use karuna_app::import::{ImportError, ImportOptions, ImportReport, Mode, Observer, Problem};
use karuna_app::intake::{ConsentInput, IntakeInput};
use karuna_app::search::SearchRequest;
use karuna_app::{App, AppError, Ctx, CurrentUser, Settings};
use karuna_domain::person::PersonInput;
use karuna_store::testing::{fresh_db, temp_dir};
use std::path::{Path, PathBuf};

/// An organisation with a case manager and an admin.
async fn app() -> (App, PathBuf) {
    let (db, dir) = fresh_db().await.unwrap();
    let app = App::new(db, Settings::default());
    let ctx = Ctx::default();
    let (org, unit) = app
        .bootstrap_org(&ctx, "พมจ.ทดสอบ", Some("กลุ่มงานคุ้มครอง"))
        .await
        .unwrap();
    for (username, role) in [
        ("manager", "case_manager"),
        ("other", "case_manager"),
        ("admin", "admin"),
    ] {
        let input = NewUserInput {
            username: username.into(),
            display_name: username.into(),
            role: role.into(),
            profession: None,
            unit_id: unit.map(|u| u.to_string()),
            password: Some("test-password-1".into()),
        };
        app.create_user_in(org, None, &ctx, input, false)
            .await
            .unwrap();
    }
    (app, dir)
}

async fn manager(app: &App) -> CurrentUser {
    app.acting_as("manager").await.unwrap()
}

/// A valid Thai national ID from a serial number (series 1, check digit computed).
fn national_id(serial: u64) -> String {
    let body = format!("1{:011}", serial);
    let sum: u32 = body
        .chars()
        .enumerate()
        .map(|(i, c)| c.to_digit(10).unwrap() * (13 - i as u32))
        .sum();
    format!("{body}{}", (11 - sum % 11) % 10)
}

/// Collects what the importer reports; can stop it after some rows.
#[derive(Default)]
struct Collect {
    problems: Vec<Problem>,
    rows: u64,
    stop_after: Option<u64>,
}

impl Observer for Collect {
    fn rows_done(&mut self, n: u64) {
        self.rows += n;
    }
    fn problem(&mut self, p: &Problem) {
        self.problems.push(p.clone());
    }
    fn cancelled(&self) -> bool {
        self.stop_after.is_some_and(|s| self.rows >= s)
    }
}

fn opts(path: &Path, dry_run: bool, mode: Mode) -> ImportOptions {
    ImportOptions {
        source: SourceOptions {
            path: path.to_path_buf(),
            format: None,
            tis620: false,
        },
        dry_run,
        mode,
        rejected_path: None,
        vocabulary: Default::default(),
    }
}

async fn count(app: &App, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(app.db.read())
        .await
        .unwrap()
}

async fn import(app: &App, o: &ImportOptions) -> (Result<ImportReport, ImportError>, Collect) {
    let user = manager(app).await;
    let mut c = Collect::default();
    let r = app.import_persons(&user, &Ctx::default(), o, &mut c).await;
    (r, c)
}

/// 10,000 rows; rows 101, 5002 and 9999 of the data (file lines 102, 5003, 10000) are bad.
fn ten_thousand(path: &Path) {
    let mut s = String::from("ชื่อ,นามสกุล,เลขประจำตัวประชาชน,วันเกิด,โทรศัพท์\n");
    for i in 1..=10_000u64 {
        let (first, id, birth) = match i {
            101 => (
                "สมชาย".to_string(),
                "1101700203452".to_string(),
                "15/03/2530",
            ),
            5002 => ("สมหญิง".to_string(), national_id(i), "31/02/2530"),
            9999 => (String::new(), national_id(i), "2530-03-15"),
            _ => (format!("สมชาย{i}"), national_id(i), "1987-03-15"),
        };
        s.push_str(&format!(
            "{first},ใจดี,{id},{birth},081-234-{:04}\n",
            i % 10_000
        ));
    }
    std::fs::write(path, s).unwrap();
}

#[tokio::test]
async fn three_bad_rows_among_ten_thousand() {
    let (app, _) = app().await;
    let dir = temp_dir().unwrap();
    let file = dir.join("persons.csv");
    ten_thousand(&file);

    // Dry run: exactly the three rows, nothing written.
    let (r, c) = import(&app, &opts(&file, true, Mode::AllOrNothing)).await;
    let r = r.unwrap();
    assert_eq!(
        (r.rows, r.valid, r.rejected, r.written),
        (10_000, 9_997, 3, 0)
    );
    let mut rows: Vec<u64> = c.problems.iter().map(|p| p.row).collect();
    rows.dedup();
    assert_eq!(rows, vec![102, 5003, 10_000], "{:?}", c.problems);
    let by_row = |row| c.problems.iter().find(|p| p.row == row).unwrap();
    assert_eq!(by_row(102).column, "เลขประจำตัวประชาชน");
    assert_eq!(by_row(102).code, "thai.id.checksum");
    assert_eq!(by_row(5003).column, "วันเกิด");
    assert_eq!(by_row(10_000).column, "ชื่อ");
    assert_eq!(count(&app, "person").await, 0);

    // All or nothing: the same report, nothing written.
    let (r, c) = import(&app, &opts(&file, false, Mode::AllOrNothing)).await;
    let r = r.unwrap();
    assert_eq!((r.rejected, r.written), (3, 0));
    assert_eq!(c.problems.len(), 3);
    assert_eq!(count(&app, "person").await, 0);
    assert_eq!(count(&app, "person_match_key").await, 0);

    // Skip bad rows: 9,997 written with documents, phones and match keys; the three copied.
    let (r, _) = import(&app, &opts(&file, false, Mode::SkipBadRows)).await;
    let r = r.unwrap();
    assert_eq!((r.rejected, r.written), (3, 9_997));
    assert_eq!(count(&app, "person").await, 9_997);
    assert_eq!(count(&app, "identity_document").await, 9_997);
    assert_eq!(count(&app, "person_phone").await, 9_997);
    assert!(count(&app, "person_match_key").await >= 9_997 * 3);
    let rejected = std::fs::read_to_string(r.rejected_file.unwrap()).unwrap();
    let lines: Vec<&str> = rejected.lines().collect();
    assert_eq!(lines.len(), 4, "{rejected}");
    assert!(lines[0].ends_with(",error"));
    assert!(lines[1].starts_with("สมชาย,ใจดี,1101700203452,"));
    assert!(lines[1].contains("thai.id.checksum"));

    // The imported persons are found by the duplicate check like any other.
    let user = manager(&app).await;
    let input = karuna_domain::person::PersonInput {
        first_name_th: "สมชาย42".into(),
        last_name_th: "ใจดี".into(),
        ..Default::default()
    };
    let found = app
        .find_candidates(&user, &Ctx::default(), &input, &[])
        .await
        .unwrap();
    assert!(!found.is_empty());

    // Running the same file again finds every national ID already on record.
    let (r, _) = import(&app, &opts(&file, true, Mode::AllOrNothing)).await;
    assert_eq!(r.unwrap().rejected, 10_000);

    // One bulk audit event per import, with the counts.
    let reasons: Vec<String> = sqlx::query_scalar(
        "SELECT reason FROM audit_event WHERE action = 'person.import' ORDER BY id",
    )
    .fetch_all(app.db.read())
    .await
    .unwrap();
    assert_eq!(reasons.len(), 2);
    assert!(reasons[1].starts_with("rows=10000 valid=9997 rejected=3 written=9997"));
}

#[tokio::test]
async fn an_interrupted_import_writes_nothing() {
    let (app, _) = app().await;
    let dir = temp_dir().unwrap();
    let file = dir.join("persons.csv");
    ten_thousand(&file);
    let user = manager(&app).await;
    for mode in [Mode::AllOrNothing, Mode::SkipBadRows] {
        let mut c = Collect {
            stop_after: Some(3_000),
            ..Collect::default()
        };
        let r = app
            .import_persons(&user, &Ctx::default(), &opts(&file, false, mode), &mut c)
            .await;
        assert!(matches!(r, Err(ImportError::Interrupted)), "{r:?}");
        assert_eq!(count(&app, "person").await, 0);
        assert_eq!(count(&app, "person_match_key").await, 0);
    }
}

#[tokio::test]
async fn only_those_who_register_cases_import() {
    let (app, _) = app().await;
    let dir = temp_dir().unwrap();
    let file = dir.join("p.csv");
    std::fs::write(&file, "ชื่อ\nสมชาย\n").unwrap();
    let admin = app.acting_as("admin").await.unwrap();
    let r = app
        .import_persons(
            &admin,
            &Ctx::default(),
            &opts(&file, false, Mode::AllOrNothing),
            &mut Collect::default(),
        )
        .await;
    assert!(
        matches!(r, Err(ImportError::App(AppError::Forbidden(_)))),
        "{r:?}"
    );
}

async fn expect_file_error(app: &App, path: &Path, bytes: &[u8], needle: &str) {
    std::fs::write(path, bytes).unwrap();
    let (r, _) = import(app, &opts(path, true, Mode::AllOrNothing)).await;
    match r {
        Err(ImportError::File(p)) => assert!(p.join(" ").contains(needle), "{p:?}"),
        other => panic!("expected a file error with {needle}: {other:?}"),
    }
}

#[tokio::test]
async fn bad_files_get_clear_reports() {
    let (app, _) = app().await;
    let dir = temp_dir().unwrap();
    let f = dir.join("in.csv");
    // Semicolons, a byte-order mark, Windows line endings and empty rows are read.
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(
        "ชื่อ;นามสกุล;วันเกิด\r\nสมชาย;ใจดี;15/03/2530\r\n;;\r\n\r\nสมศรี;มีสุข;2530-03-16\r\n".as_bytes(),
    );
    std::fs::write(&f, &bytes).unwrap();
    let (r, c) = import(&app, &opts(&f, false, Mode::AllOrNothing)).await;
    let r = r.unwrap();
    assert!(c.problems.is_empty(), "{:?}", c.problems);
    // The row of empty cells is counted; a blank line is no record at all.
    assert_eq!((r.rows, r.written, r.empty_rows), (2, 2, 1), "{r:?}");
    assert!(r.notes.iter().any(|n| n.contains("semicolon")), "{r:?}");
    assert!(r.notes.iter().any(|n| n.contains("byte-order")), "{r:?}");
    let dates: Vec<String> =
        sqlx::query_scalar("SELECT birth_date FROM person ORDER BY first_name_th")
            .fetch_all(app.db.read())
            .await
            .unwrap();
    assert_eq!(dates, vec!["1987-03-15", "1987-03-16"]);

    // TIS-620: refused with a hint, or converted when asked.
    let (tis, _, _) = encoding_rs::WINDOWS_874.encode("ชื่อ,นามสกุล\nสมปอง,ใจดี\n");
    expect_file_error(&app, &f, &tis, "TIS-620").await;
    let mut o = opts(&f, false, Mode::AllOrNothing);
    o.source.tis620 = true;
    let (r, _) = import(&app, &o).await;
    assert_eq!(r.unwrap().written, 1);
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT first_name_th FROM person WHERE last_name_th = 'ใจดี' ORDER BY first_name_th",
    )
    .fetch_all(app.db.read())
    .await
    .unwrap();
    assert!(names.contains(&"สมปอง".to_string()), "{names:?}");

    // Header problems, all at once.
    expect_file_error(&app, &f, "ชื่อ,first_name\nก,ข\n".as_bytes(), "both").await;
    expect_file_error(
        &app,
        &f,
        "นามสกุล,วันเกิด\nก,ข\n".as_bytes(),
        "missing required",
    )
    .await;
    expect_file_error(&app, &f, "ชื่อ:นามสกุล\nก:ข\n".as_bytes(), "delimiter").await;
    expect_file_error(&app, &f, b"", "empty").await;
    expect_file_error(&app, &f, &[0xFF, 0xFE, 0x41, 0x00], "UTF-16").await;

    // A row with more cells than the header is reported, not guessed at.
    std::fs::write(&f, "ชื่อ,นามสกุล\nก,ข,ค\n").unwrap();
    let (r, c) = import(&app, &opts(&f, true, Mode::AllOrNothing)).await;
    assert_eq!(r.unwrap().rejected, 1);
    assert!(c.problems[0]
        .text
        .as_deref()
        .unwrap_or("")
        .contains("3 cells"));
}

#[tokio::test]
async fn xlsx_is_read_and_formulas_are_refused() {
    use rust_xlsxwriter::{Formula, Workbook};
    let (app, _) = app().await;
    let dir = temp_dir().unwrap();
    let f = dir.join("persons.xlsx");
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["first_name", "last_name", "birth_date", "national_id"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    sheet.write_string(1, 0, "สมชาย").unwrap();
    sheet.write_string(1, 1, "ใจดี").unwrap();
    sheet.write_string(1, 2, "15/03/2530").unwrap();
    // A number cell, as Excel stores a typed national ID.
    sheet
        .write_number(1, 3, national_id(7).parse::<f64>().unwrap())
        .unwrap();
    sheet.write_string(2, 0, "สมศรี").unwrap();
    sheet
        .write_formula(2, 1, Formula::new("=\"ใจ\"&\"ดี\"").set_result("ใจดี"))
        .unwrap();
    book.save(&f).unwrap();

    let mut o = opts(&f, false, Mode::SkipBadRows);
    o.source.format = Some(Format::Xlsx);
    let (r, c) = import(&app, &o).await;
    let r = r.unwrap();
    assert_eq!(
        (r.rows, r.written, r.rejected),
        (2, 1, 1),
        "{:?}",
        c.problems
    );
    assert_eq!(c.problems[0].row, 3);
    assert_eq!(c.problems[0].column, "last_name");
    assert_eq!(c.problems[0].code, "import.formula");
    let doc: String = sqlx::query_scalar("SELECT number FROM identity_document")
        .fetch_one(app.db.read())
        .await
        .unwrap();
    assert_eq!(doc, national_id(7));
}

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
        safety: vec![
            ("in_danger_now".into(), false),
            ("no_safe_place_tonight".into(), false),
        ],
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
