//! `karuna attachments`: the key files kept on cases are sealed with at rest
//! (`store::attachment_key`). `new-key FILE` writes a random key (readable by its owner only);
//! `encrypt` seals, with the configured key, every file stored before a key was configured.
//! The key comes from `KARUNA_ATTACHMENT_KEY_FILE` or the configuration's
//! `attachment_key_file`; every command that opens the database reads it, so a file sealed by
//! the server opens for `karuna export` too.

use crate::config::{DbOptions, FileConfig};
use crate::Failure;
use clap::{Args, Subcommand};
use karuna_store::attachment_key::AttachmentKey;
use std::io::Write;
use std::path::PathBuf;

/// `karuna attachments …`.
#[derive(Subcommand, Debug)]
pub enum AttachmentsCommand {
    /// Write a new random key to FILE (never over a file); point `attachment_key_file` (or
    /// KARUNA_ATTACHMENT_KEY_FILE) at it and keep a copy apart from the database and its
    /// backups: without it the files cannot be read.
    NewKey(NewKeyArgs),
    /// Seal, with the configured key, the files stored before it was configured.
    Encrypt(DbOptions),
}

/// `karuna attachments new-key`.
#[derive(Args, Debug)]
pub struct NewKeyArgs {
    /// Where to write the key.
    file: PathBuf,
}

/// The configured key, if any: a missing or malformed key file is an error (exit 2), never a
/// silent fall back to storing files in clear.
pub fn configured_key(file: &FileConfig) -> Result<Option<AttachmentKey>, Failure> {
    let path = std::env::var_os("KARUNA_ATTACHMENT_KEY_FILE")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| file.attachment_key_file.clone());
    let Some(path) = path else { return Ok(None) };
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Failure(format!("attachment key file {}: {e}", path.display()), 2))?;
    AttachmentKey::from_text(&text)
        .map(Some)
        .map_err(|e| Failure(format!("attachment key file {}: {e}", path.display()), 2))
}

/// Runs an `attachments` command.
pub async fn run(cmd: AttachmentsCommand) -> Result<(), Failure> {
    match cmd {
        AttachmentsCommand::NewKey(args) => {
            let mut f = crate::backup::create_private(&args.file)?;
            writeln!(
                f,
                "# karuna attachment key: keep a copy apart from the database and its backups\n{}",
                AttachmentKey::generate_text()
            )
            .map_err(|e| Failure(format!("{}: {e}", args.file.display()), 1))?;
            println!("attachment key written to {}", args.file.display());
            Ok(())
        }
        AttachmentsCommand::Encrypt(db) => {
            let file = FileConfig::load(db.config.as_deref()).map_err(|e| Failure(e, 2))?;
            let Some(key) = configured_key(&file)? else {
                return Err(Failure(
                    "no attachment key is configured: set attachment_key_file (or \
                     KARUNA_ATTACHMENT_KEY_FILE) to a file made by `karuna attachments new-key`"
                        .into(),
                    2,
                ));
            };
            let (app, _) = crate::open(&db, false).await?;
            let mut total = 0;
            loop {
                let found = karuna_store::attachment::seal_stored(&app.db, &key, 200).await?;
                if found == 0 {
                    break;
                }
                total += found;
            }
            app.db.close().await;
            println!("{total} files sealed; every file is sealed now");
            Ok(())
        }
    }
}
