//! `karuna backup FILE` and `karuna restore FILE`: a consistent copy of the database taken
//! while the server serves, optionally encrypted to an age key, checked as it is written, and
//! restored only into an empty database, whose audit chain is then verified.
//!
//! SQLite: `VACUUM INTO` on a reading connection — one read transaction, so the copy is the
//! database at one instant while writers go on (WAL), compacted. PostgreSQL: `pg_dump
//! --format=custom` (one snapshot), checked with `pg_restore --list`; restored with
//! `pg_restore`. Both copies are first written beside the target and renamed into place, so a
//! failed backup never leaves a partial file under the given name. The check: the snapshot's
//! audit chain is verified before the backup is kept (SQLite), and its head is printed to
//! hand to `restore --head`, which proves the restored chain reaches it.

use crate::config::{DbOptions, FileConfig};
use crate::Failure;
use age::secrecy::ExposeSecret;
use clap::Args;
use karuna_store::{Backend, Db};
use std::fs::{self, File, OpenOptions};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

/// The first bytes of an age-encrypted file.
const AGE_MAGIC: &[u8] = b"age-encryption.org/v1";

/// `karuna backup`.
#[derive(Args, Debug)]
pub struct BackupArgs {
    #[command(flatten)]
    db: DbOptions,
    /// The backup file to write (never overwritten).
    #[arg(required_unless_present = "new_key")]
    file: Option<PathBuf>,
    /// An age identity file (`AGE-SECRET-KEY-1…`, as `--new-key` or `age-keygen` makes): the
    /// backup is encrypted to its public key, and only this file decrypts it.
    #[arg(long)]
    key_file: Option<PathBuf>,
    /// Write a new age identity to this file (readable by its owner only), print its public
    /// key, and exit.
    #[arg(long, conflicts_with_all = ["file", "key_file"])]
    new_key: Option<PathBuf>,
}

/// `karuna restore`.
#[derive(Args, Debug)]
pub struct RestoreArgs {
    /// Where to restore: an empty data folder or database (never overwritten).
    #[command(flatten)]
    db: DbOptions,
    /// The backup file.
    file: PathBuf,
    /// The age identity file the backup was encrypted to.
    #[arg(long)]
    key_file: Option<PathBuf>,
    /// The audit head `karuna backup` printed (`<seq>:<hash>`): the restored chain must reach
    /// it with that hash.
    #[arg(long, value_parser = crate::parse_head)]
    head: Option<(i64, String)>,
}

fn fail(msg: impl Into<String>, code: u8) -> Failure {
    Failure(msg.into(), code)
}

/// Creates `path` for writing, readable by its owner only; refused if it exists (a backup or
/// a key is never written over).
pub(crate) fn create_private(path: &Path) -> Result<File, Failure> {
    let mut o = OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => fail(
            format!(
                "{} exists already: a backup never overwrites a file",
                path.display()
            ),
            2,
        ),
        _ => fail(format!("{}: {e}", path.display()), 2),
    })
}

/// A sibling path for work in progress (`FILE.partial`), removed when dropped.
struct Partial(PathBuf);

impl Partial {
    fn beside(path: &Path, suffix: &str) -> Partial {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(suffix);
        Partial(path.with_file_name(name))
    }
}

impl Drop for Partial {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
        for side in ["-wal", "-shm"] {
            let mut name = self.0.as_os_str().to_os_string();
            name.push(side);
            let _ = fs::remove_file(PathBuf::from(name));
        }
    }
}

fn read_identity(path: &Path) -> Result<age::x25519::Identity, Failure> {
    let text = fs::read_to_string(path)
        .map_err(|e| fail(format!("key file {}: {e}", path.display()), 2))?;
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .and_then(|l| age::x25519::Identity::from_str(l).ok())
        .ok_or_else(|| {
            fail(
                format!(
                    "key file {}: no age identity (a line AGE-SECRET-KEY-1…); make one with \
                     `karuna backup --new-key FILE`",
                    path.display()
                ),
                2,
            )
        })
}

/// Copies `from` into `to` encrypted to `identity`'s public key.
fn encrypt(from: &Path, to: &Path, identity: &age::x25519::Identity) -> Result<(), Failure> {
    let io = |e: std::io::Error| fail(format!("encrypting: {e}"), 1);
    let recipient = identity.to_public();
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as _))
        .map_err(|e| fail(format!("encrypting: {e}"), 1))?;
    let out = BufWriter::new(create_private(to)?);
    let mut writer = encryptor.wrap_output(out).map_err(io)?;
    std::io::copy(
        &mut BufReader::new(File::open(from).map_err(io)?),
        &mut writer,
    )
    .map_err(io)?;
    writer.finish().and_then(|mut w| w.flush()).map_err(io)
}

/// Copies `from` into `to` decrypted with `identity`.
fn decrypt(from: &Path, to: &Path, identity: &age::x25519::Identity) -> Result<(), Failure> {
    let io = |e: std::io::Error| fail(format!("decrypting: {e}"), 1);
    let decryptor = age::Decryptor::new_buffered(BufReader::new(File::open(from).map_err(io)?))
        .map_err(|e| {
            fail(
                format!("{}: not a readable age file: {e}", from.display()),
                2,
            )
        })?;
    let mut reader = decryptor
        .decrypt(std::iter::once(identity as &dyn age::Identity))
        .map_err(|e| fail(format!("the key does not open {}: {e}", from.display()), 2))?;
    let mut out = BufWriter::new(create_private(to)?);
    std::io::copy(&mut reader, &mut out).map_err(io)?;
    out.flush().map_err(io)
}

fn is_encrypted(path: &Path) -> Result<bool, Failure> {
    let mut head = [0u8; 21];
    let mut f = File::open(path).map_err(|e| fail(format!("{}: {e}", path.display()), 2))?;
    let n = f
        .read(&mut head)
        .map_err(|e| fail(format!("{}: {e}", path.display()), 2))?;
    Ok(&head[..n] == AGE_MAGIC)
}

/// A PostgreSQL client program (`pg_dump`, `pg_restore`): `KARUNA_PG_BIN`, then `PATH`, then
/// the newest `/usr/lib/postgresql/*/bin`.
fn pg_program(name: &str) -> Result<PathBuf, Failure> {
    if let Some(dir) = std::env::var_os("KARUNA_PG_BIN") {
        return Ok(PathBuf::from(dir).join(name));
    }
    if Command::new(name).arg("--version").output().is_ok() {
        return Ok(PathBuf::from(name));
    }
    let mut dirs: Vec<PathBuf> = fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path().join("bin").join(name))
                .collect()
        })
        .unwrap_or_default();
    dirs.retain(|p| p.exists());
    dirs.sort();
    dirs.pop().ok_or_else(|| {
        fail(
            format!("{name} not found: install the PostgreSQL client, or set KARUNA_PG_BIN"),
            2,
        )
    })
}

fn run(program: &Path, args: &[&std::ffi::OsStr]) -> Result<(), Failure> {
    let o = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| fail(format!("{}: {e}", program.display()), 1))?;
    if o.status.success() {
        Ok(())
    } else {
        Err(fail(
            format!(
                "{} failed: {}",
                program.display(),
                String::from_utf8_lossy(&o.stderr).trim()
            ),
            1,
        ))
    }
}

/// The file a `sqlite://PATH?…` URL names.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite://")?;
    Some(PathBuf::from(rest.split('?').next()?))
}

async fn connect(db: &DbOptions) -> Result<(Db, String), Failure> {
    let file = FileConfig::load(db.config.as_deref()).map_err(|e| fail(e, 2))?;
    let url = db.database_url(&file).map_err(|e| fail(e, 2))?;
    Ok((Db::connect(&url).await?, url))
}

/// `karuna backup`.
pub async fn backup(args: BackupArgs) -> Result<(), Failure> {
    if let Some(path) = &args.new_key {
        let identity = age::x25519::Identity::generate();
        let mut f = create_private(path)?;
        writeln!(
            f,
            "# created by karuna backup --new-key\n# public key: {}\n{}",
            identity.to_public(),
            identity.to_string().expose_secret()
        )
        .map_err(|e| fail(format!("{}: {e}", path.display()), 1))?;
        println!("public key {}", identity.to_public());
        println!(
            "keep {} apart from the backups: without it they cannot be read",
            path.display()
        );
        return Ok(());
    }
    let Some(target) = args.file.clone() else {
        return Err(fail("give the backup file to write", 2));
    };
    if target.exists() {
        return Err(fail(
            format!(
                "{} exists already: a backup never overwrites a file",
                target.display()
            ),
            2,
        ));
    }
    let identity = args.key_file.as_deref().map(read_identity).transpose()?;
    let (db, _) = connect(&args.db).await?;
    let plain = Partial::beside(&target, ".partial");
    let head = match db.backend() {
        Backend::Sqlite => {
            karuna_store::backup::sqlite_copy(&db, &plain.0)
                .await
                .map_err(|e| fail(format!("copying the database: {e}"), 1))?;
            db.close().await;
            // The check: the copy opens and its audit chain is intact.
            let copy = Db::connect(&format!("sqlite://{}?mode=rw", plain.0.display())).await?;
            let report = karuna_store::audit::verify(&copy, None).await?;
            let head = karuna_store::audit::last_seal(&copy).await?;
            copy.close().await;
            if report.tamper.is_some() {
                return Err(fail(
                    "the copy's audit chain does not verify: run `karuna audit verify` on the \
                     database; no backup was kept",
                    3,
                ));
            }
            println!(
                "copied: audit chain intact, {} sealed events, {} pending",
                report.checked, report.unsealed
            );
            head
        }
        Backend::Postgres => {
            let head = karuna_store::audit::last_seal(&db).await?;
            db.close().await;
            let (_, url) = connect(&args.db).await?;
            run(
                &pg_program("pg_dump")?,
                &[
                    "--format=custom".as_ref(),
                    "--no-owner".as_ref(),
                    "--file".as_ref(),
                    plain.0.as_os_str(),
                    url.as_ref(),
                ],
            )?;
            // The check: the archive reads back.
            run(
                &pg_program("pg_restore")?,
                &["--list".as_ref(), plain.0.as_os_str()],
            )?;
            println!("dumped with pg_dump; the archive reads back (pg_restore --list)");
            head
        }
    };
    match &identity {
        Some(id) => {
            let sealed = Partial::beside(&target, ".partial-age");
            encrypt(&plain.0, &sealed.0, id)?;
            fs::rename(&sealed.0, &target)
                .map_err(|e| fail(format!("{}: {e}", target.display()), 1))?;
            println!("encrypted to {}", id.to_public());
        }
        None => fs::rename(&plain.0, &target)
            .map_err(|e| fail(format!("{}: {e}", target.display()), 1))?,
    }
    let size = fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
    println!("backup {} ({size} bytes)", target.display());
    if let Some((seq, hash)) = head {
        println!("head {seq}:{hash}");
    }
    Ok(())
}

/// `karuna restore`.
pub async fn restore(args: RestoreArgs) -> Result<(), Failure> {
    if !args.file.is_file() {
        return Err(fail(
            format!("{}: no such backup file", args.file.display()),
            2,
        ));
    }
    let file = FileConfig::load(args.db.config.as_deref()).map_err(|e| fail(e, 2))?;
    let url = args.db.database_url(&file).map_err(|e| fail(e, 2))?;
    let encrypted = is_encrypted(&args.file)?;
    let scratch = std::env::temp_dir().join(format!("karuna-restore-{}", uuid::Uuid::now_v7()));
    let plain = Partial(scratch);
    let source: &Path = match (encrypted, &args.key_file) {
        (true, None) => {
            return Err(fail(
                "the backup is encrypted: give the key file it was made with (--key-file)",
                2,
            ))
        }
        (true, Some(key)) => {
            decrypt(&args.file, &plain.0, &read_identity(key)?)?;
            &plain.0
        }
        (false, _) => &args.file,
    };
    if let Some(path) = sqlite_path(&url) {
        if fs::metadata(&path).map(|m| m.len() > 0).unwrap_or(false) {
            return Err(fail(
                format!(
                    "{} holds a database already: restore into an empty data folder",
                    path.display()
                ),
                2,
            ));
        }
        let mut head = [0u8; 16];
        let n = File::open(source)
            .and_then(|mut f| f.read(&mut head))
            .map_err(|e| fail(format!("{}: {e}", source.display()), 2))?;
        if &head[..n] != b"SQLite format 3\0" {
            return Err(fail(
                format!(
                    "{} is not a SQLite backup (a PostgreSQL one restores into a PostgreSQL database)",
                    args.file.display()
                ),
                2,
            ));
        }
        let _ = fs::remove_file(&path);
        let mut out = create_private(&path)?;
        std::io::copy(
            &mut BufReader::new(File::open(source).map_err(|e| fail(e.to_string(), 1))?),
            &mut out,
        )
        .and_then(|_| out.sync_all())
        .map_err(|e| fail(format!("{}: {e}", path.display()), 1))?;
    } else {
        let db = Db::connect(&url).await?;
        let empty = karuna_store::backup::is_empty(&db).await?;
        db.close().await;
        if !empty {
            return Err(fail(
                "the target database is not empty: restore into a new, empty database",
                2,
            ));
        }
        run(
            &pg_program("pg_restore")?,
            &[
                "--no-owner".as_ref(),
                "--exit-on-error".as_ref(),
                "--dbname".as_ref(),
                url.as_ref(),
                source.as_os_str(),
            ],
        )?;
    }
    println!("restored {}", args.file.display());
    crate::verify(crate::VerifyArgs {
        db: args.db,
        head: args.head,
    })
    .await
}
