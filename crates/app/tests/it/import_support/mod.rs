//! What the import tests share: an organisation with two case managers and an admin, valid
//! national IDs, an observer that collects problems, options and counts.

#![allow(dead_code)]

use karuna_app::account::NewUserInput;
use karuna_app::import::source::SourceOptions;
use karuna_app::import::{ImportError, ImportOptions, ImportReport, Mode, Observer, Problem};
use karuna_app::{App, Ctx, CurrentUser, Settings};
use karuna_store::testing::fresh_db;
use std::path::{Path, PathBuf};

/// An organisation with a case manager and an admin.
pub async fn app() -> (App, PathBuf) {
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

pub async fn manager(app: &App) -> CurrentUser {
    app.acting_as("manager").await.unwrap()
}

/// A valid Thai national ID from a serial number (series 1, check digit computed).
pub fn national_id(serial: u64) -> String {
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
pub struct Collect {
    pub problems: Vec<Problem>,
    pub rows: u64,
    pub stop_after: Option<u64>,
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

pub fn opts(path: &Path, dry_run: bool, mode: Mode) -> ImportOptions {
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

pub async fn count(app: &App, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(app.db.read())
        .await
        .unwrap()
}

pub async fn import(app: &App, o: &ImportOptions) -> (Result<ImportReport, ImportError>, Collect) {
    let user = manager(app).await;
    let mut c = Collect::default();
    let r = app.import_persons(&user, &Ctx::default(), o, &mut c).await;
    (r, c)
}
