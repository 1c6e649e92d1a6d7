//! `karuna import` and `karuna export` end to end: exit codes, the problem lines, the
//! rejected-rows file, the export's refusal for roles without case access.

use karuna_store::testing::{fresh_database_url, temp_dir};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_karuna");

struct Env {
    url: String,
    dir: PathBuf,
}

impl Env {
    async fn new() -> Env {
        let dir = temp_dir().unwrap();
        let url = fresh_database_url(&dir).await.unwrap();
        Env { url, dir }
    }

    fn run(&self, args: &[&str], stdin: &str) -> Output {
        let mut child = Command::new(BIN)
            .args(args)
            .arg("--database-url")
            .arg(&self.url)
            .current_dir(&self.dir)
            .env_remove("KARUNA_DATABASE_URL")
            .env_remove("KARUNA_DATA_DIR")
            .env_remove("KARUNA_CONFIG")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    fn user(&self, name: &str, role: &str) {
        let o = self.run(
            &[
                "admin",
                "create-user",
                "--username",
                name,
                "--name",
                name,
                "--role",
                role,
                "--unit",
                "หน่วยทดสอบ",
                "--password-stdin",
            ],
            "test-password-1\n",
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
}

#[tokio::test]
async fn import_reports_rows_and_exits_by_mode_export_refuses_auditors() {
    let env = Env::new().await;
    env.user("worker", "case_manager");
    env.user("checker", "auditor");
    let file = env.dir.join("persons.csv");
    std::fs::write(
        &file,
        "ชื่อ,นามสกุล,วันเกิด\nสมชาย,ใจดี,15/03/2530\nสมศรี,มีสุข,31/02/2530\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let args = |extra: &[&'static str]| {
        let mut v = vec!["import", "persons", f, "--as", "worker", "--lang", "en"];
        v.extend_from_slice(extra);
        v
    };

    let o = env.run(&args(&["--dry-run"]), "");
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(3), "{out}");
    assert!(out.starts_with("row 3, column \"วันเกิด\": "), "{out}");
    assert_eq!(out.lines().count(), 1, "{out}");

    let o = env.run(&args(&[]), "");
    assert_eq!(o.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing written"));

    let o = env.run(&args(&["--skip-bad-rows"]), "");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rejected = std::fs::read_to_string(env.dir.join("persons.csv.rejected.csv")).unwrap();
    assert_eq!(rejected.lines().count(), 2, "{rejected}");

    let o = env.run(&["import", "persons", f, "--as", "nobody", "--dry-run"], "");
    assert_eq!(o.status.code(), Some(2));

    let o = env.run(
        &["export", "persons", "--as", "worker", "--output", "out.csv"],
        "",
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = env.run(
        &[
            "export", "persons", "--as", "checker", "--output", "out.csv",
        ],
        "",
    );
    assert_eq!(o.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&o.stderr).contains("auditor"));
}
