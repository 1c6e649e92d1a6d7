//! Bulk import of persons on the configured backend (SQLite, or PostgreSQL with
//! KARUNA_TEST_DB): the "3 bad rows among 10,000" in dry-run, all-or-nothing and
//! skip-bad-rows modes, an interrupted import, and the bad inputs (delimiters, BOM, CRLF,
//! TIS-620, headers, empty rows, Buddhist-era dates, XLSX formulas).

use crate::import_support;

use import_support::*;
use karuna_app::import::source::Format;
use karuna_app::import::{ImportError, Mode};
use karuna_app::{App, AppError, Ctx};
use karuna_store::testing::temp_dir;
use std::path::Path;
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
