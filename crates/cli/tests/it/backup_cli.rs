//! `karuna backup` and `karuna restore` (issue 23 item 6) on SQLite and PostgreSQL: a backup
//! taken while writes go on, encrypted to a key made by `--new-key`, restored into an empty
//! database: the audit chain verifies up to the head the backup printed, and every write
//! acknowledged before the backup began is there. A restore never writes over a database, an
//! encrypted backup needs its key, and a backup never overwrites a file.

use karuna_store::audit::{self, NewEvent};
use karuna_store::testing::{fresh_database_url, temp_dir};
use karuna_store::Db;
use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const BIN: &str = env!("CARGO_BIN_EXE_karuna");

fn karuna(url: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--database-url")
        .arg(url)
        .env_remove("KARUNA_DATABASE_URL")
        .env_remove("KARUNA_DATA_DIR")
        .env_remove("KARUNA_CONFIG")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn event(n: u64) -> NewEvent {
    NewEvent {
        org_id: None,
        actor_id: None,
        actor_username: Some(format!("writer-{n}")),
        action: "bench.write".into(),
        entity_type: None,
        entity_id: None,
        outcome: "success".into(),
        reason: None,
        request_id: None,
    }
}

async fn count(url: &str, sql: &str) -> i64 {
    let db = Db::connect(url).await.unwrap();
    let n = sqlx::query_scalar(sql).fetch_one(db.read()).await.unwrap();
    db.close().await;
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_writing_restores_with_its_chain_and_every_acknowledged_write() {
    let dir = temp_dir().unwrap();
    let url = fresh_database_url(&dir).await.unwrap();
    let o = karuna(&url, &["migrate"]);
    assert!(o.status.success(), "{}", text(&o));
    let key = dir.join("backup.key");
    let o = karuna(&url, &["backup", "--new-key", key.to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("public key age1"), "{}", text(&o));

    // A writer acknowledging audit events (sealed as it goes) while the backup runs.
    let db = Db::connect(&url).await.unwrap();
    for n in 0..200 {
        audit::append_alone(&db, &event(n)).await.unwrap();
    }
    audit::seal_all(&db).await.unwrap();
    let before_backup = 200u64;
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (db, stop) = (db.clone(), stop.clone());
        tokio::spawn(async move {
            let mut n = before_backup;
            while !stop.load(Ordering::Relaxed) {
                audit::append_alone(&db, &event(n)).await.unwrap();
                n += 1;
                if n.is_multiple_of(50) {
                    audit::seal(&db, 1000).await.unwrap();
                }
            }
            n
        })
    };
    let file = dir.join("karuna.backup");
    let (u, f, k) = (url.clone(), file.clone(), key.clone());
    let o = tokio::task::spawn_blocking(move || {
        karuna(
            &u,
            &[
                "backup",
                f.to_str().unwrap(),
                "--key-file",
                k.to_str().unwrap(),
            ],
        )
    })
    .await
    .unwrap();
    stop.store(true, Ordering::Relaxed);
    let written = writer.await.unwrap();
    db.close().await;
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        written > before_backup,
        "the writer wrote during the backup"
    );
    let head = text(&o)
        .lines()
        .find_map(|l| l.strip_prefix("head ").map(str::to_string))
        .expect("the backup prints the chain's head");
    // Encrypted: no trace of the events in the file.
    let bytes = std::fs::read(&file).unwrap();
    assert!(bytes.starts_with(b"age-encryption.org/v1"));
    assert!(!bytes.windows(8).any(|w| w == b"writer-1"));
    // Never overwritten.
    let o = karuna(&url, &["backup", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));

    // Restored into an empty database: without its key, refused; with it, the chain verifies
    // to the printed head and every write acknowledged before the backup is there.
    let target_dir = temp_dir().unwrap();
    let target = fresh_database_url(&target_dir).await.unwrap();
    let o = karuna(&target, &["restore", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--key-file"), "{}", text(&o));
    let o = karuna(
        &target,
        &[
            "restore",
            file.to_str().unwrap(),
            "--key-file",
            key.to_str().unwrap(),
            "--head",
            &head,
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("audit chain intact"), "{}", text(&o));
    assert!(text(&o).contains("reaches the given head"), "{}", text(&o));
    for n in 0..before_backup {
        let sql = format!("SELECT COUNT(*) FROM audit_event WHERE actor_username = 'writer-{n}'");
        assert_eq!(count(&target, &sql).await, 1, "write {n} is in the restore");
    }
    let o = karuna(&target, &["audit", "verify"]);
    assert!(o.status.success(), "{}", text(&o));
    // A restore never writes over a database.
    let o = karuna(
        &target,
        &[
            "restore",
            file.to_str().unwrap(),
            "--key-file",
            key.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let _ = Path::new(&dir);
}

#[tokio::test]
async fn an_attachment_key_is_made_once_and_a_bad_one_stops_every_command() {
    let dir = temp_dir().unwrap();
    let url = fresh_database_url(&dir).await.unwrap();
    let key = dir.join("attachments.key");
    let run = |args: &[&str], key_env: Option<&Path>| {
        let mut c = Command::new(BIN);
        c.args(args);
        if args.get(1) != Some(&"new-key") {
            c.arg("--database-url").arg(&url);
        }
        c.env_remove("KARUNA_DATABASE_URL")
            .env_remove("KARUNA_DATA_DIR")
            .env_remove("KARUNA_CONFIG")
            .env_remove("KARUNA_ATTACHMENT_KEY_FILE");
        if let Some(k) = key_env {
            c.env("KARUNA_ATTACHMENT_KEY_FILE", k);
        }
        c.output().unwrap()
    };
    let o = run(&["attachments", "new-key", key.to_str().unwrap()], None);
    assert!(o.status.success(), "{}", text(&o));
    let written = std::fs::read_to_string(&key).unwrap();
    assert!(written
        .lines()
        .any(|l| l.len() == 64 && l.bytes().all(|b| b.is_ascii_hexdigit())));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Never over a key: losing it would lose every file.
    let o = run(&["attachments", "new-key", key.to_str().unwrap()], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    // No key: nothing to seal with.
    let o = run(&["attachments", "encrypt"], None);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    let o = run(&["attachments", "encrypt"], Some(&key));
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("0 files sealed"), "{}", text(&o));
    // A malformed or missing key file stops any command that opens the database.
    let bad = dir.join("bad.key");
    std::fs::write(&bad, "not a key").unwrap();
    for k in [bad.as_path(), dir.join("missing.key").as_path()] {
        let o = run(&["migrate"], Some(k));
        assert_eq!(o.status.code(), Some(2), "{}", text(&o));
        assert!(text(&o).contains("attachment key file"), "{}", text(&o));
    }
}
