//! `karuna resources export|import|seed --as USER`: the resource directory in Open Referral
//! HSDS 3.0 — exported as one JSON file or as the CSV files of the tabular form (a folder),
//! imported from either (every record checked first; nothing written unless all pass), and
//! the national seed set shipped with Karuna.

use crate::config::DbOptions;
use crate::Failure;
use clap::{Args, Subcommand};
use karuna_app::resource_exchange::ImportReport;
use karuna_app::{AppError, Ctx};
use karuna_domain::resource_hsds::{from_hsds_csv, from_hsds_json, to_hsds_csv, to_hsds_json};
use std::path::{Path, PathBuf};

/// `karuna resources`.
#[derive(Subcommand, Debug)]
pub enum ResourcesCommand {
    /// Write the directory as HSDS JSON (a .json file) or HSDS CSV (a folder of .csv files).
    Export(ExportArgs),
    /// Read an HSDS JSON file, or a folder of HSDS CSV files, into the directory.
    Import(ImportArgs),
    /// Load the national seed set (public knowledge, to be verified locally).
    Seed(SeedArgs),
}

/// `karuna resources export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    db: DbOptions,
    /// The account whose organisation's directory is exported.
    #[arg(long = "as", value_name = "USERNAME")]
    acting_as: String,
    /// A .json file, or a folder for the CSV files.
    #[arg(long, short)]
    output: PathBuf,
}

/// `karuna resources import`.
#[derive(Args, Debug)]
pub struct ImportArgs {
    #[command(flatten)]
    db: DbOptions,
    /// An administrator or designated resource editor.
    #[arg(long = "as", value_name = "USERNAME")]
    acting_as: String,
    /// A .json file, or a folder of HSDS .csv files.
    input: PathBuf,
}

/// `karuna resources seed`.
#[derive(Args, Debug)]
pub struct SeedArgs {
    #[command(flatten)]
    db: DbOptions,
    /// An administrator or designated resource editor.
    #[arg(long = "as", value_name = "USERNAME")]
    acting_as: String,
}

fn app_error(e: AppError) -> Failure {
    match e {
        AppError::Invalid(errors) => {
            let lines: Vec<String> = errors
                .iter()
                .take(50)
                .map(|e| format!("  {}: {}", e.field, e.code))
                .collect();
            Failure(
                format!(
                    "the file was not imported ({} problems):\n{}",
                    errors.len(),
                    lines.join("\n")
                ),
                1,
            )
        }
        AppError::Forbidden(_) => Failure(
            "only an administrator or a designated resource editor may change the directory".into(),
            2,
        ),
        e => Failure(e.to_string(), 1),
    }
}

fn report(r: &ImportReport) {
    println!(
        "organisations: {} added, {} updated; locations: {} added, {} updated; services: {} added, {} updated",
        r.providers_added,
        r.providers_updated,
        r.locations_added,
        r.locations_updated,
        r.services_added,
        r.services_updated
    );
}

fn read(path: &Path) -> Result<String, Failure> {
    let bytes = std::fs::read(path).map_err(|e| Failure(format!("{}: {e}", path.display()), 2))?;
    String::from_utf8(bytes).map_err(|_| Failure(format!("{}: not UTF-8 text", path.display()), 2))
}

/// `karuna resources …`.
pub async fn run(cmd: ResourcesCommand) -> Result<(), Failure> {
    let (db, acting_as) = match &cmd {
        ResourcesCommand::Export(a) => (&a.db, &a.acting_as),
        ResourcesCommand::Import(a) => (&a.db, &a.acting_as),
        ResourcesCommand::Seed(a) => (&a.db, &a.acting_as),
    };
    let (app, _) = crate::open(db, false).await?;
    let user = app
        .acting_as(acting_as)
        .await
        .map_err(|_| Failure(format!("--as {acting_as}: no such active account"), 2))?;
    let ctx = Ctx::default();
    match cmd {
        ResourcesCommand::Export(a) => {
            let dir = app.export_directory(&user, &ctx).await.map_err(app_error)?;
            if a.output.extension().is_some_and(|e| e == "json") {
                let text = serde_json::to_string_pretty(&to_hsds_json(&dir))
                    .map_err(|e| Failure(e.to_string(), 1))?;
                std::fs::write(&a.output, text)
                    .map_err(|e| Failure(format!("{}: {e}", a.output.display()), 1))?;
            } else {
                std::fs::create_dir_all(&a.output)
                    .map_err(|e| Failure(format!("{}: {e}", a.output.display()), 1))?;
                for (name, text) in to_hsds_csv(&dir) {
                    let path = a.output.join(name);
                    std::fs::write(&path, text)
                        .map_err(|e| Failure(format!("{}: {e}", path.display()), 1))?;
                }
            }
            println!(
                "{} organisations written to {}",
                dir.organizations.len(),
                a.output.display()
            );
        }
        ResourcesCommand::Import(a) => {
            let parsed = if a.input.is_dir() {
                let mut files = Vec::new();
                let entries = std::fs::read_dir(&a.input)
                    .map_err(|e| Failure(format!("{}: {e}", a.input.display()), 2))?;
                for entry in entries.flatten() {
                    let path = entry.path();
                    if path.extension().is_some_and(|e| e == "csv") {
                        let name = entry.file_name().to_string_lossy().to_string();
                        files.push((name, read(&path)?));
                    }
                }
                from_hsds_csv(&files)
            } else {
                from_hsds_json(&read(&a.input)?)
            };
            let dir =
                parsed.map_err(|e| app_error(karuna_app::resource_exchange::record_errors(e)))?;
            let r = app
                .import_directory(&user, &ctx, &dir)
                .await
                .map_err(app_error)?;
            report(&r);
        }
        ResourcesCommand::Seed(_) => {
            let r = app
                .import_national_seed(&user, &ctx)
                .await
                .map_err(app_error)?;
            report(&r);
        }
    }
    app.db.close().await;
    Ok(())
}
