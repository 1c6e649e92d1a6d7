//! `karuna export persons|cases|contacts --as USER --output FILE`: the persons, cases or
//! contacts the account may see, in the import's columns, to CSV or XLSX; a progress bar on
//! stderr when it is a terminal.

use crate::config::DbOptions;
use crate::import::{FormatArg, Kind};
use crate::Failure;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use karuna_app::import::source::Format;
use karuna_app::{AppError, Ctx};
use std::io::IsTerminal;
use std::path::PathBuf;

/// `karuna export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    db: DbOptions,
    /// What to export.
    kind: Kind,
    /// The account whose access rights apply (as on the case list).
    #[arg(long = "as", value_name = "USERNAME")]
    acting_as: String,
    /// The file to write (.csv or .xlsx).
    #[arg(long, short)]
    output: PathBuf,
    /// The format (default: from the output's extension).
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
}

/// `karuna export …`.
pub async fn run(args: ExportArgs) -> Result<(), Failure> {
    let format = match args.format {
        Some(f) => f.format(),
        None => Format::from_path(&args.output).ok_or_else(|| {
            Failure(
                format!(
                    "{}: say --format csv or --format xlsx (the extension does not tell)",
                    args.output.display()
                ),
                2,
            )
        })?,
    };
    let (app, _) = crate::open(&args.db, false).await?;
    let user = app.acting_as(&args.acting_as).await.map_err(|_| {
        Failure(
            format!("--as {}: no such active account", args.acting_as),
            2,
        )
    })?;
    let bar = if std::io::stderr().is_terminal() {
        let b = ProgressBar::new_spinner();
        if let Ok(style) = ProgressStyle::with_template("{spinner} {human_pos} rows  {elapsed}") {
            b.set_style(style);
        }
        b
    } else {
        ProgressBar::hidden()
    };
    let progress_bar = bar.clone();
    let mut progress = move |n: u64| progress_bar.inc(n);
    let result = match args.kind {
        Kind::Persons => {
            app.export_persons(&user, &Ctx::default(), &args.output, format, &mut progress)
                .await
        }
        Kind::Cases => {
            app.export_cases(&user, &Ctx::default(), &args.output, format, &mut progress)
                .await
        }
        Kind::Contacts => {
            app.export_contacts(&user, &Ctx::default(), &args.output, format, &mut progress)
                .await
        }
    };
    let what = match args.kind {
        Kind::Persons => "persons",
        Kind::Cases => "cases",
        Kind::Contacts => "contacts",
    };
    bar.finish_and_clear();
    let _ = app.seal_audit().await;
    app.db.close().await;
    match result {
        Ok(n) => {
            eprintln!("karuna: {n} {what} written to {}", args.output.display());
            Ok(())
        }
        Err(AppError::Forbidden(_)) => Err(Failure(
            format!(
                "{} may not export {what}: the {} role has no access to case records",
                user.username,
                user.role().code()
            ),
            4,
        )),
        Err(e) => Err(e.into()),
    }
}
