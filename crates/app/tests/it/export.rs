//! Export of persons on the configured backend: the case list's access rules (only persons on
//! the acting user's cases, no hidden clients of sensitive cases, refusal for roles without
//! case access), and the round trip — export to CSV and XLSX, import into a fresh database,
//! the same persons.

use karuna_app::account::NewUserInput;
use karuna_app::import::source::{Format, SourceOptions};
use karuna_app::import::{ImportOptions, Mode, Observer, Problem};
use karuna_app::intake::{ConsentInput, IntakeInput};
use karuna_app::{App, AppError, Ctx, Settings};
use karuna_store::testing::{fresh_db, temp_dir};
use sqlx::Row;
use std::path::Path;

async fn app() -> App {
    let (db, _) = fresh_db().await.unwrap();
    let app = App::new(db, Settings::default());
    let ctx = Ctx::default();
    let (org, unit) = app
        .bootstrap_org(&ctx, "พมจ.ทดสอบ", Some("กลุ่มงานคุ้มครอง"))
        .await
        .unwrap();
    for (username, role) in [
        ("manager", "case_manager"),
        ("other", "case_manager"),
        ("analyst", "data_analyst"),
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
    app
}

struct Quiet;
impl Observer for Quiet {
    fn rows_done(&mut self, _: u64) {}
    fn problem(&mut self, p: &Problem) {
        panic!("unexpected problem {p:?}");
    }
}

async fn import(app: &App, path: &Path, format: Format) -> u64 {
    let user = app.acting_as("manager").await.unwrap();
    let o = ImportOptions {
        source: SourceOptions {
            path: path.to_path_buf(),
            format: Some(format),
            tis620: false,
        },
        dry_run: false,
        mode: Mode::AllOrNothing,
        rejected_path: None,
        vocabulary: Default::default(),
    };
    app.import_persons(&user, &Ctx::default(), &o, &mut Quiet)
        .await
        .unwrap()
        .written
}

/// Every person with documents, phones and address, as comparable text, sorted.
async fn persons(app: &App) -> Vec<String> {
    let rows = sqlx::query(
        "SELECT id, prefix, first_name_th, middle_name_th, last_name_th, first_name_latin, middle_name_latin, \
         last_name_latin, nickname, sex, birth_date, birth_year, birth_estimated, nationality, ethnicity, languages \
         FROM person",
    )
    .fetch_all(app.db.read())
    .await
    .unwrap();
    let mut out = Vec::new();
    for r in rows {
        let id: String = r.get("id");
        let mut s = String::new();
        for c in [
            "prefix",
            "first_name_th",
            "middle_name_th",
            "last_name_th",
            "first_name_latin",
            "middle_name_latin",
            "last_name_latin",
            "nickname",
            "sex",
            "birth_date",
            "nationality",
            "ethnicity",
            "languages",
        ] {
            s.push_str(&r.get::<Option<String>, _>(c).unwrap_or_default());
            s.push('|');
        }
        s.push_str(&format!(
            "{:?}|{}|",
            r.get::<Option<i64>, _>("birth_year"),
            r.get::<i64, _>("birth_estimated")
        ));
        for sql in [
            "SELECT kind || ':' || number || ':' || COALESCE(country, '') FROM identity_document WHERE person_id = $1 ORDER BY kind",
            "SELECT e164 FROM person_phone WHERE person_id = $1 ORDER BY position",
            "SELECT COALESCE(house_no, '') || '/' || COALESCE(moo, '') || '/' || COALESCE(soi, '') || '/' || subdistrict_code || '/' || postcode FROM person_address WHERE person_id = $1",
        ] {
            let v: Vec<String> = sqlx::query_scalar(sql)
                .bind(&id)
                .fetch_all(app.db.read())
                .await
                .unwrap();
            s.push_str(&v.join(","));
            s.push('|');
        }
        out.push(s);
    }
    out.sort();
    out
}

/// A valid Thai national ID from a serial number.
fn national_id(serial: u64) -> String {
    let body = format!("3{:011}", serial);
    let sum: u32 = body
        .chars()
        .enumerate()
        .map(|(i, c)| c.to_digit(10).unwrap() * (13 - i as u32))
        .sum();
    format!("{body}{}", (11 - sum % 11) % 10)
}

#[tokio::test]
async fn export_follows_access_and_round_trips_through_csv_and_xlsx() {
    let app = app().await;
    let dir = temp_dir().unwrap();
    let source = dir.join("source.csv");
    let mut csv = String::from(
        "คำนำหน้า,ชื่อ,นามสกุล,first_name_latin,last_name_latin,ชื่อเล่น,เพศ,วันเกิด,ปีเกิด,เลขประจำตัวประชาชน,\
         document_kind,document_number,document_country,โทรศัพท์,สัญชาติ,ภาษา,บ้านเลขที่,หมู่ที่,ซอย,\
         รหัสจังหวัด,รหัสอำเภอ,รหัสตำบล\n",
    );
    for i in 0..30u64 {
        let (birth, year) = if i % 3 == 0 {
            (String::new(), "2520".to_string())
        } else {
            (
                format!("{:02}/0{}/25{}", 1 + i % 28, 1 + i % 9, 10 + i),
                String::new(),
            )
        };
        let (dk, dn, dc) = if i % 5 == 0 {
            ("passport", format!("AA{i:07}"), "MMR")
        } else {
            ("", String::new(), "")
        };
        let address = if i % 2 == 0 {
            format!("{i}/1,3,ลาดพร้าว {i},10,1001,100101")
        } else {
            ",,,,,".to_string()
        };
        csv.push_str(&format!(
            "{},สมชาย{i},ใจดี,Somchai,Jaidee,ต้น,{},{birth},{year},{},{dk},{dn},{dc},\"081-234-{i:04}, 02 123 {i:04}\",ไทย,\"ไทย, อังกฤษ\",{address}\n",
            if i % 2 == 0 { "นาย" } else { "นางสาว" },
            if i % 2 == 0 { "ชาย" } else { "female" },
            national_id(i)
        ));
    }
    std::fs::write(&source, csv).unwrap();
    assert_eq!(import(&app, &source, Format::Csv).await, 30);

    // Nobody sees persons on no case; the manager's cases bring theirs into her export.
    let manager = app.acting_as("manager").await.unwrap();
    let out = dir.join("out.csv");
    let mut none = |_| {};
    let n = app
        .export_persons(&manager, &Ctx::default(), &out, Format::Csv, &mut none)
        .await
        .unwrap();
    assert_eq!(n, 0);
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM person ORDER BY id")
        .fetch_all(app.db.read())
        .await
        .unwrap();
    let mut case_ids = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let intake = IntakeInput {
            existing_client_id: id.clone(),
            consent: ConsentInput {
                status: "granted".into(),
                ..Default::default()
            },
            referral_source: "hotline_1300".into(),
            presenting_problem: "ขอรับคำปรึกษา".into(),
            safety: karuna_domain::case::all_answered(karuna_domain::case::SafetyAnswer::No),
            case_types: vec!["domestic_violence".into()],
            sensitive: i == 0,
            ..Default::default()
        };
        let made = app
            .intake(&manager, &Ctx::default(), &intake)
            .await
            .unwrap();
        case_ids.push(made.case_id);
    }
    let n = app
        .export_persons(&manager, &Ctx::default(), &out, Format::Csv, &mut none)
        .await
        .unwrap();
    assert_eq!(n, 30);
    let xlsx = dir.join("out.xlsx");
    let n = app
        .export_persons(&manager, &Ctx::default(), &xlsx, Format::Xlsx, &mut none)
        .await
        .unwrap();
    assert_eq!(n, 30);

    // Another case manager is on none of these cases; on the team of two, one of them
    // sensitive, she gets only the other case's client (SeeClientIdentity).
    let other = app.acting_as("other").await.unwrap();
    let o_csv = dir.join("o.csv");
    let n = app
        .export_persons(&other, &Ctx::default(), &o_csv, Format::Csv, &mut none)
        .await
        .unwrap();
    assert_eq!(n, 0);
    for case in &case_ids[..2] {
        app.add_team_member(&manager, &Ctx::default(), *case, other.actor.id, "")
            .await
            .unwrap();
    }
    let n = app
        .export_persons(&other, &Ctx::default(), &o_csv, Format::Csv, &mut none)
        .await
        .unwrap();
    assert_eq!(n, 1);
    let id_of = |i: usize| {
        sqlx::query_scalar::<_, String>(
            "SELECT number FROM identity_document WHERE person_id = $1 AND kind = 'thai_national_id'",
        )
        .bind(ids[i].clone())
        .fetch_one(app.db.read())
    };
    let (hidden, shown) = (id_of(0).await.unwrap(), id_of(1).await.unwrap());
    let exported = std::fs::read_to_string(&o_csv).unwrap();
    assert!(!exported.contains(&hidden) && exported.contains(&shown));
    let analyst = app.acting_as("analyst").await.unwrap();
    let r = app
        .export_persons(
            &analyst,
            &Ctx::default(),
            &dir.join("a.csv"),
            Format::Csv,
            &mut none,
        )
        .await;
    assert!(matches!(r, Err(AppError::Forbidden(_))), "{r:?}");

    // Round trip: the same persons in a fresh database, from either format.
    let want = persons(&app).await;
    assert_eq!(want.len(), 30);
    for (file, format) in [(&out, Format::Csv), (&xlsx, Format::Xlsx)] {
        let fresh = self::app().await;
        assert_eq!(import(&fresh, file, format).await, 30);
        assert_eq!(persons(&fresh).await, want, "{format:?}");
    }
}
