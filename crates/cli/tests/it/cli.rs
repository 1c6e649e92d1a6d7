//! The `karuna` binary end to end: commands, exit codes, configuration precedence, the audit
//! chain verified and broken, and `serve` started and stopped.

use karuna_store::testing::{fresh_database_url, temp_dir};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_karuna");

/// A fresh database for one test, and a folder to run in.
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

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args)
            .arg("--database-url")
            .arg(&self.url)
            .current_dir(&self.dir);
        c.env_remove("KARUNA_DATABASE_URL")
            .env_remove("KARUNA_DATA_DIR")
            .env_remove("KARUNA_CONFIG");
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    fn run_with_stdin(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    async fn exec(&self, sql: &str) {
        let db = karuna_store::Db::connect(&self.url).await.unwrap();
        sqlx::query(sql).execute(db.read()).await.unwrap();
        db.close().await;
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).to_string()
}

#[test]
fn version_and_help() {
    let o = Command::new(BIN).arg("--version").output().unwrap();
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("karuna "));
    let o = Command::new(BIN).arg("no-such-command").output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no-such-command"));
}

#[tokio::test]
async fn create_user_token_and_verify() {
    let env = Env::new().await;
    let o = env.run(&["migrate"]);
    assert!(o.status.success(), "{}", stderr(&o));

    // Generated password, printed once.
    let o = env.run(&[
        "admin",
        "create-user",
        "--username",
        "somsri",
        "--name",
        "สมศรี มีสุข",
        "--role",
        "admin",
        "--org",
        "พมจ.ลำปาง",
        "--unit",
        "กลุ่มงานคุ้มครอง",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("created user somsri"));
    let line = out
        .lines()
        .find(|l| l.starts_with("generated password"))
        .expect("password line");
    assert!(line.rsplit(' ').next().unwrap().len() >= 16);

    // Password from stdin.
    let o = env.run_with_stdin(
        &[
            "admin",
            "create-user",
            "--username",
            "wichai",
            "--name",
            "วิชัย",
            "--role",
            "case_manager",
            "--org",
            "พมจ.ลำปาง",
            "--password-stdin",
        ],
        "a long enough password\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stdout(&o).contains("generated password"));

    // Bad input: a clear message naming the field, exit 2, nothing written.
    let o = env.run(&[
        "admin",
        "create-user",
        "--username",
        "x",
        "--name",
        "",
        "--role",
        "king",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("username: username.invalid") && err.contains("role: role.unknown"),
        "{err}"
    );
    let o = env.run_with_stdin(
        &[
            "admin",
            "create-user",
            "--username",
            "short",
            "--name",
            "S",
            "--role",
            "auditor",
            "--password-stdin",
        ],
        "short\n",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("password.too_short"));
    let o = env.run(&[
        "admin",
        "create-user",
        "--username",
        "somsri",
        "--name",
        "ซ้ำ",
        "--role",
        "admin",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("username.taken"));

    // Tokens: issue, list, revoke.
    let o = env.run(&["admin", "token", "--user", "wichai", "--label", "reporting"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let token = stdout(&o).trim().to_string();
    assert!(token.len() >= 32);
    let o = env.run(&["admin", "token", "--user", "wichai", "--list"]);
    let listed = stdout(&o);
    assert!(listed.contains("reporting") && listed.contains("active"));
    let id = listed.split('\t').next().unwrap().to_string();
    let o = env.run(&["admin", "token", "--user", "wichai", "--revoke", &id]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&env.run(&["admin", "token", "--user", "wichai", "--list"])).contains("revoked")
    );
    let o = env.run(&["admin", "token", "--user", "nobody"]);
    assert_eq!(o.status.code(), Some(2));

    // Every command sealed what it wrote: the chain is intact.
    let o = env.run(&["audit", "verify"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("audit chain intact"));

    // Alter one row: verify fails and names it.
    env.exec("UPDATE audit_event SET actor_username = 'someone-else' WHERE chain_seq = 2")
        .await;
    let o = env.run(&["audit", "verify"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("row 2"), "{}", stderr(&o));
}

#[tokio::test]
async fn a_removed_audit_row_is_named() {
    let env = Env::new().await;
    for name in ["aaa1", "aaa2", "aaa3"] {
        let o = env.run(&[
            "admin",
            "create-user",
            "--username",
            name,
            "--name",
            name,
            "--role",
            "auditor",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    env.exec("DELETE FROM audit_event WHERE chain_seq = 2")
        .await;
    let o = env.run(&["audit", "verify"]);
    assert_eq!(o.status.code(), Some(3));
    assert!(stderr(&o).contains("row 2 was removed"), "{}", stderr(&o));
}

#[test]
fn configuration_precedence_file_then_env_then_flags() {
    let dir = temp_dir().unwrap();
    std::fs::write(dir.join("karuna.toml"), "data_dir = \"from-file\"\n").unwrap();
    let run = |envs: &[(&str, &str)], args: &[&str]| {
        let mut c = Command::new(BIN);
        c.arg("migrate").args(args).current_dir(&dir);
        c.env_remove("KARUNA_DATABASE_URL")
            .env_remove("KARUNA_DATA_DIR")
            .env_remove("KARUNA_CONFIG");
        for (k, v) in envs {
            c.env(k, v);
        }
        let o = c.output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    };
    run(&[], &[]);
    assert!(dir.join("from-file/karuna.db").exists());
    run(&[("KARUNA_DATA_DIR", "from-env")], &[]);
    assert!(dir.join("from-env/karuna.db").exists());
    run(
        &[("KARUNA_DATA_DIR", "from-env")],
        &["--data-dir", "from-flag"],
    );
    assert!(dir.join("from-flag/karuna.db").exists());

    // A broken file or an unknown key is a clear error.
    std::fs::write(dir.join("karuna.toml"), "data_dri = \"x\"\n").unwrap();
    let o = Command::new(BIN)
        .arg("migrate")
        .current_dir(&dir)
        .env_remove("KARUNA_DATA_DIR")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("karuna.toml") && stderr(&o).contains("data_dri"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_file(dir.join("karuna.toml")).unwrap();
    let o = Command::new(BIN)
        .args(["migrate", "--database-url", "mysql://x/y"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(stderr(&o).contains("sqlite: or postgres://"));
}

#[test]
fn sqlite_by_default_in_wal_mode() {
    let dir = temp_dir().unwrap();
    let o = Command::new(BIN)
        .arg("migrate")
        .current_dir(&dir)
        .env_remove("KARUNA_DATABASE_URL")
        .env_remove("KARUNA_DATA_DIR")
        .env_remove("KARUNA_CONFIG")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let db = dir.join("karuna-data/karuna.db");
    let header = std::fs::read(&db).unwrap();
    // SQLite file header; bytes 18 and 19 are 2 in WAL mode.
    assert!(header.starts_with(b"SQLite format 3\0"));
    assert_eq!((header[18], header[19]), (2, 2), "journal mode WAL");
}

fn wait_for_line(reader: &mut impl BufRead, prefix: &str) -> String {
    let mut line = String::new();
    loop {
        line.clear();
        assert!(
            reader.read_line(&mut line).unwrap() > 0,
            "server exited before `{prefix}`"
        );
        if line.starts_with(prefix) {
            return line.trim().to_string();
        }
    }
}

#[tokio::test]
async fn serve_starts_seeds_once_and_stops_cleanly() {
    let env = Env::new().await;
    for round in 0..2 {
        let mut child = env
            .cmd(&["serve", "--demo", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let line = wait_for_line(&mut out, "karuna listening on ");
        let base = line.trim_start_matches("karuna listening on ").to_string();
        let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
        assert_eq!(health.status(), 200, "round {round}");
        let login = reqwest::get(format!("{base}/login"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(login.contains("demo-auditor"));
        Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status()
            .unwrap();
        let status = child.wait().unwrap();
        assert!(status.success(), "graceful exit on SIGTERM");
    }
    // Seeded once: one demo organisation, six demo accounts.
    let db = karuna_store::Db::connect(&env.url).await.unwrap();
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM account")
        .fetch_one(db.read())
        .await
        .unwrap();
    assert_eq!(accounts, 6);
    db.close().await;
    let o = env.run(&["audit", "verify"]);
    assert!(
        o.status.success() && stdout(&o).contains(", 0 pending"),
        "{}",
        stdout(&o)
    );
    let _ = Path::new(&env.dir);
}

#[test]
fn text_segment_writes_one_line_per_line() {
    let mut child = Command::new(BIN)
        .args(["text", "segment"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all("นักสังคมสงเคราะห์เยี่ยมบ้าน\n\nผู้เสียหาย อายุ 17 ปี\r\n".as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<String> = stdout(&o).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0], "นักสังคมสงเคราะห์|เยี่ยมบ้าน");
    assert_eq!(lines[1], "");
    assert!(lines[2].starts_with("ผู้เสียหาย|อายุ|17|ปี"), "{}", lines[2]);

    let mut child = Command::new(BIN)
        .args(["text", "segment"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"ok\n\xff\xfe\n")
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line 2: not valid UTF-8"));
}

/// The `head <seq>:<hash>` line `audit seal` prints.
fn printed_head(o: &Output) -> String {
    stdout(o)
        .lines()
        .find_map(|l| l.strip_prefix("head "))
        .unwrap_or_else(|| panic!("no head line in {}", stdout(o)))
        .to_string()
}

#[tokio::test]
async fn audit_verify_checks_a_head_kept_outside() {
    let env = Env::new().await;
    for name in ["bbb1", "bbb2", "bbb3"] {
        let o = env.run(&[
            "admin",
            "create-user",
            "--username",
            name,
            "--name",
            name,
            "--role",
            "auditor",
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = env.run(&["audit", "seal"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let head = printed_head(&o);
    let o = env.run(&["audit", "verify", "--head", &head]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("reaches the given head"));
    // A malformed head is a usage error.
    let o = env.run(&["audit", "verify", "--head", "12"]);
    assert_eq!(o.status.code(), Some(2));
    // An older copy (the tail and its seals gone) verifies on its own, not against the head.
    let (seq, _) = head.split_once(':').unwrap();
    let keep = seq.parse::<i64>().unwrap() - 2;
    env.exec(&format!("DELETE FROM audit_event WHERE chain_seq > {keep}"))
        .await;
    env.exec("DELETE FROM audit_seal").await;
    assert!(env.run(&["audit", "verify"]).status.success());
    let o = env.run(&["audit", "verify", "--head", &head]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("before the given head"),
        "{}",
        stderr(&o)
    );
}

#[tokio::test]
async fn a_forged_old_row_is_reported_and_left_unsealed() {
    let env = Env::new().await;
    let o = env.run(&[
        "admin",
        "create-user",
        "--username",
        "ccc1",
        "--name",
        "ccc1",
        "--role",
        "auditor",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    env.exec(
        "INSERT INTO audit_event (id, occurred_at, action, outcome) VALUES \
         ('01700000-0000-7000-8000-000000000000', '2020-01-01T00:00:00.000000Z', 'case.read', 'success')",
    )
    .await;
    let o = env.run(&["audit", "seal"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("sealed 0 events"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains("left 1 events unsealed"),
        "{}",
        stdout(&o)
    );
    let o = env.run(&["audit", "verify"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 unsealed events are older than the chain head"));
}

#[tokio::test]
async fn a_security_contact_that_is_not_a_uri_stops_serve() {
    let env = Env::new().await;
    let o = env
        .cmd(&["serve", "--addr", "127.0.0.1:0"])
        .env("KARUNA_SECURITY_CONTACT", "security at example.go.th")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("security_contact must be a mailto:"),
        "{}",
        stderr(&o)
    );
}
