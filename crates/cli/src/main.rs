//! `karuna`: the one binary. `serve` runs the web application; the other commands manage the
//! database, accounts and the audit trail. Configuration comes from a TOML file, then the
//! environment, then flags (flags win). Every command takes the same database options.

mod attachments;
mod backup;
mod bench;
mod bench_audit;
mod bench_duplicates;
mod bench_load;
mod bench_pdf;
mod bench_raw;
mod bench_screening;
mod bench_search;
mod bench_web;
mod config;
mod export;
mod gen;
mod import;
mod resources;

use clap::{Args, Parser, Subcommand};
use config::{DbOptions, FileConfig};
use karuna_app::account::NewUserInput;
use karuna_app::{App, AppError, Ctx, Settings};
use karuna_store::audit::Tamper;
use karuna_store::Db;
use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

#[derive(Parser, Debug)]
#[command(
    name = "karuna",
    version,
    about = "Karuna — case management for social work"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the web application (pages and JSON API).
    Serve(ServeArgs),
    /// Apply the database migrations and exit.
    Migrate(DbOptions),
    /// Manage accounts and API tokens.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Seal and verify the audit trail's hash chain.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Copy the database into a backup file while the server serves (optionally encrypted to
    /// an age key), checked as it is written; or make a key with --new-key.
    Backup(backup::BackupArgs),
    /// Restore a backup into an empty data folder or database and verify its audit chain.
    Restore(backup::RestoreArgs),
    /// The key files kept on cases are sealed with at rest: make one, or seal the files stored
    /// before it was configured.
    #[command(subcommand)]
    Attachments(attachments::AttachmentsCommand),
    /// Measure login and request latency and memory on a throw-away database (or, with
    /// `search`, full-text search over synthetic notes); prints figures.
    Bench(bench::BenchArgs),
    /// Thai text tools.
    #[command(subcommand)]
    Text(TextCommand),
    /// Import persons from a CSV or XLSX file (docs/IMPORT.md).
    Import(import::ImportArgs),
    /// Export the persons an account may see to CSV or XLSX.
    Export(export::ExportArgs),
    /// Generate a synthetic agency (persons, cases, notes, accounts) into the database.
    Gen(gen::GenArgs),
    /// The resource directory in Open Referral HSDS: export, import, the national seed set.
    #[command(subcommand)]
    Resources(resources::ResourcesCommand),
}

#[derive(Subcommand, Debug)]
enum TextCommand {
    /// Reads UTF-8 lines on stdin and writes each line's words separated by `|` (spaces in
    /// the input are dropped).
    Segment,
}

#[derive(Args, Debug)]
struct ServeArgs {
    #[command(flatten)]
    db: DbOptions,
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "KARUNA_ADDR")]
    addr: Option<String>,
    /// Seed the demo organisation and accounts (once) and allow demo logins.
    #[arg(long, env = "KARUNA_DEMO")]
    demo: bool,
}

#[derive(Subcommand, Debug)]
enum AdminCommand {
    /// Create an account. The password is read from stdin with --password-stdin, otherwise a
    /// random one is generated and printed once.
    CreateUser(CreateUserArgs),
    /// Issue (default), list or revoke a user's API bearer tokens.
    Token(TokenArgs),
}

#[derive(Args, Debug)]
struct CreateUserArgs {
    #[command(flatten)]
    db: DbOptions,
    /// Login name (3–40 of a-z 0-9 . _ -).
    #[arg(long)]
    username: String,
    /// Name shown in the interface.
    #[arg(long = "name")]
    display_name: String,
    /// admin, supervisor, case_manager, team_member, data_analyst or auditor.
    #[arg(long)]
    role: String,
    /// For team members: social_worker, psychologist, doctor, nurse, teacher, lawyer, police,
    /// interpreter or other.
    #[arg(long)]
    profession: Option<String>,
    /// Organisation (created when missing).
    #[arg(long, default_value = "Karuna")]
    org: String,
    /// Unit of the organisation (created when missing).
    #[arg(long)]
    unit: Option<String>,
    /// Read the password from the first line of stdin instead of generating one.
    #[arg(long)]
    password_stdin: bool,
}

#[derive(Args, Debug)]
struct TokenArgs {
    #[command(flatten)]
    db: DbOptions,
    /// The account the token belongs to.
    #[arg(long)]
    user: String,
    /// A label to recognise the token by.
    #[arg(long, default_value = "cli")]
    label: String,
    /// List the user's tokens instead of issuing one.
    #[arg(long, conflicts_with = "revoke")]
    list: bool,
    /// Revoke the token with this id instead of issuing one.
    #[arg(long)]
    revoke: Option<uuid::Uuid>,
}

#[derive(Subcommand, Debug)]
enum AuditCommand {
    /// Walk the hash chain; exit non-zero naming the first altered, inserted or removed row.
    Verify(VerifyArgs),
    /// Seal every pending event into the chain now (the server does this continuously) and
    /// print the chain's head (`head <seq>:<hash>`) to keep outside the database.
    Seal(DbOptions),
}

#[derive(Args, Debug)]
struct VerifyArgs {
    #[command(flatten)]
    db: DbOptions,
    /// A head printed by an earlier `karuna audit seal`, as `<seq>:<hash>`: the chain must
    /// reach that position with that hash (a shorter or rewritten chain fails with exit 3).
    #[arg(long, value_parser = parse_head)]
    head: Option<(i64, String)>,
}

/// Parses `<seq>:<hash>` (a positive position and 64 hex digits).
fn parse_head(text: &str) -> Result<(i64, String), String> {
    let (seq, hash) = text
        .trim()
        .split_once(':')
        .ok_or("expected <seq>:<hash>, as printed by `karuna audit seal`")?;
    let seq: i64 = seq
        .parse()
        .ok()
        .filter(|s| *s > 0)
        .ok_or("the position before ':' must be a positive number")?;
    let hash = hash.to_ascii_lowercase();
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("the hash after ':' must be 64 hexadecimal digits".into());
    }
    Ok((seq, hash))
}

/// A command's failure: the message for the operator and the exit code.
struct Failure(String, u8);

impl From<AppError> for Failure {
    fn from(e: AppError) -> Failure {
        match e {
            AppError::Invalid(fields) => {
                let list: Vec<String> = fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.code))
                    .collect();
                Failure(format!("invalid input — {}", list.join("; ")), 2)
            }
            AppError::NotFound => Failure("not found".into(), 2),
            other => Failure(other.to_string(), 1),
        }
    }
}

impl From<karuna_store::StoreError> for Failure {
    fn from(e: karuna_store::StoreError) -> Failure {
        Failure(e.to_string(), 1)
    }
}

/// Every password hash or check needs a 19 MiB argon2id buffer. glibc's malloc raises its mmap
/// threshold after the first such buffer is freed, so later ones come from the heap and stay
/// resident (one per blocking thread: 100+ MB after a few logins). A fixed threshold keeps
/// large buffers mmapped, returned to the system when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: mallopt only changes allocator parameters; called once before any thread starts.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("karuna: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(msg, code)) => {
            eprintln!("karuna: {msg}");
            ExitCode::from(code)
        }
    }
}

async fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::Migrate(db) => {
            let (app, _) = open(&db, false).await?;
            println!("migrations applied");
            app.db.close().await;
            Ok(())
        }
        Command::Admin(AdminCommand::CreateUser(args)) => create_user(args).await,
        Command::Admin(AdminCommand::Token(args)) => token(args).await,
        Command::Audit(AuditCommand::Seal(db)) => {
            let (app, _) = open(&db, false).await?;
            let n = app.seal_audit().await?;
            println!("sealed {} events", n.sealed);
            if n.late > 0 {
                println!(
                    "left {} events unsealed: older than the chain head (see `karuna audit verify`)",
                    n.late
                );
            }
            match app.audit_head().await? {
                Some((seq, hash)) => println!("head {seq}:{hash}"),
                None => println!("the chain is empty"),
            }
            app.db.close().await;
            Ok(())
        }
        Command::Audit(AuditCommand::Verify(args)) => verify(args).await,
        Command::Backup(args) => backup::backup(args).await,
        Command::Restore(args) => backup::restore(args).await,
        Command::Attachments(cmd) => attachments::run(cmd).await,
        Command::Bench(args) => bench::run(args).await.map_err(|e| Failure(e, 1)),
        Command::Text(TextCommand::Segment) => segment_stdin(),
        Command::Import(args) => import::run(args).await,
        Command::Export(args) => export::run(args).await,
        Command::Resources(cmd) => resources::run(cmd).await,
        Command::Gen(args) => gen::run(args).await,
    }
}

/// Loads the configuration, connects, migrates.
async fn open(db: &DbOptions, demo: bool) -> Result<(App, FileConfig), Failure> {
    let file = FileConfig::load(db.config.as_deref()).map_err(|e| Failure(e, 2))?;
    let url = db.database_url(&file).map_err(|e| Failure(e, 2))?;
    let database = Db::connect(&url).await?;
    database.migrate().await?;
    let mut settings = Settings {
        demo,
        ..Settings::default()
    };
    if let Some(m) = file.idle_timeout_minutes {
        settings.idle_timeout = Duration::from_secs(m.max(1) * 60);
    }
    if let Some(d) = file.reminder_days {
        settings.reminder_days = i64::from(d.min(60));
    }
    if let Some(d) = file.resource_stale_days {
        settings.resource_stale_days = i64::from(d.clamp(1, 3650));
    }
    settings.attachment_key = attachments::configured_key(&file)?;
    let per_minute = |n: u32| {
        karuna_app::login_guard::Quota::per_minute(
            std::num::NonZeroU32::MIN.saturating_add(n.saturating_sub(1)),
        )
    };
    if let Some(n) = file.login_attempts_per_address_per_minute {
        settings.login.per_address = per_minute(n);
    }
    if let Some(n) = file.login_attempts_per_name_per_minute {
        settings.login.per_name = per_minute(n);
    }
    Ok((App::new(database, settings), file))
}

fn init_logging(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("KARUNA_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    if format == "json" {
        let _ = builder.json().try_init();
    } else {
        let _ = builder
            .with_ansi(std::io::stderr().is_terminal())
            .try_init();
    }
}

async fn serve(args: ServeArgs) -> Result<(), Failure> {
    let file = FileConfig::load(args.db.config.as_deref()).map_err(|e| Failure(e, 2))?;
    init_logging(file.log_format.as_deref().unwrap_or("pretty"));
    let demo = args.demo || file.demo.unwrap_or(false);
    let (app, file) = open(&args.db, demo).await?;
    if demo && app.seed_demo().await? {
        tracing::info!("demo organisation seeded");
    }
    if demo {
        if let Some(org) = karuna_store::account::list_orgs(&app.db)
            .await?
            .into_iter()
            .find(|o| o.demo)
        {
            app.seed_national_directory(org.id).await?;
        }
    }
    let addr_text = args
        .addr
        .or(file.addr.clone())
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    let addr: SocketAddr = addr_text.parse().map_err(|_| {
        Failure(
            format!("--addr: `{addr_text}` is not an address like 127.0.0.1:8080"),
            2,
        )
    })?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Failure(format!("cannot listen on {addr}: {e}"), 1))?;
    let local = listener
        .local_addr()
        .map_err(|e| Failure(e.to_string(), 1))?;
    let catalog = karuna_web::i18n::Catalog::load()
        .map_err(|e| Failure(format!("message catalogue: {e}"), 1))?;
    let catalog = Arc::new(catalog);
    let mail = config::mail_settings(&file, std::env::var("KARUNA_SMTP_URL").ok())
        .map_err(|e| Failure(e, 2))?
        .map(|m| karuna_web::mail::Mailer::new(&m, catalog.clone()))
        .transpose()
        .map_err(|e| Failure(e, 2))?;
    let secure_cookies = file.secure_cookies.unwrap_or(!local.ip().is_loopback());
    let security_contact = std::env::var("KARUNA_SECURITY_CONTACT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| file.security_contact.clone())
        .map(|c| karuna_web::security_txt::check_contact(&c))
        .transpose()
        .map_err(|e| Failure(e, 2))?;
    let state = karuna_web::AppState {
        app: app.clone(),
        catalog,
        web: karuna_web::WebSettings {
            secure_cookies,
            demo,
            mail_enabled: mail.is_some(),
            security_contact,
        },
    };

    // Seal the audit trail continuously (rows at least two seconds old, so that a transaction
    // still open is not overtaken), and once more on the way out.
    let sealer_app = app.clone();
    let sealer = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        let mut late_seen = 0;
        loop {
            tick.tick().await;
            match sealer_app.seal_audit_settled(Duration::from_secs(2)).await {
                Ok(n) if n.late != late_seen => {
                    late_seen = n.late;
                    if n.late > 0 {
                        // A count only: the rows may hold personal data.
                        tracing::warn!(
                            late = n.late,
                            "audit rows older than the chain head left unsealed (written \
                             outside Karuna?); see `karuna audit verify`"
                        );
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "audit sealing failed; will retry"),
            }
        }
    });

    // Reminders of promises, tasks and follow-ups falling due: at start and every ten minutes.
    // Each reminder is written once whatever the number of servers (see `send_reminders`).
    let reminder_app = app.clone();
    let reminders = tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            match reminder_app.send_reminders().await {
                Ok(0) => {}
                Ok(n) => tracing::info!(written = n, "reminders"),
                Err(e) => tracing::warn!(error = %e, "reminders failed; will retry"),
            }
        }
    });

    // The daily digest by e-mail, when SMTP is configured: every five minutes from the digest
    // hour on, each account's digest of the day is claimed by one server and sent once.
    let digests = mail.map(|mailer| {
        let digest_app = app.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(300));
            loop {
                tick.tick().await;
                match mailer.send_digests(&digest_app, chrono::Utc::now()).await {
                    Ok(run) if run.sent + run.failed > 0 => {
                        tracing::info!(sent = run.sent, failed = run.failed, "daily digests")
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "daily digests failed; will retry"),
                }
            }
        })
    });

    tracing::info!(%local, backend = ?app.db.backend(), demo, mail = digests.is_some(), "listening");
    println!("karuna listening on http://{local}");
    let result = karuna_web::serve(listener, state, shutdown_signal()).await;
    sealer.abort();
    reminders.abort();
    if let Some(d) = digests {
        d.abort();
    }
    let sealed = app.seal_audit().await.map(|_| ());
    app.db.close().await;
    result.map_err(|e| Failure(format!("server error: {e}"), 1))?;
    sealed?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

async fn create_user(args: CreateUserArgs) -> Result<(), Failure> {
    let (app, _) = open(&args.db, false).await?;
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure(format!("cannot read the password from stdin: {e}"), 2))?;
        let p = line.trim_end_matches(['\r', '\n']).to_string();
        if p.is_empty() {
            return Err(Failure(
                "--password-stdin: stdin held no password".into(),
                2,
            ));
        }
        Some(p)
    } else {
        None
    };
    let ctx = Ctx::default();
    let (org_id, unit_id) = app
        .bootstrap_org(&ctx, &args.org, args.unit.as_deref())
        .await?;
    let input = NewUserInput {
        username: args.username,
        display_name: args.display_name,
        role: args.role,
        profession: args.profession,
        unit_id: unit_id.map(|u| u.to_string()),
        password,
    };
    let created = app.create_user_in(org_id, None, &ctx, input, false).await?;
    println!(
        "created user {} ({})",
        created.user.username, created.user.id
    );
    if let Some(p) = created.generated_password {
        println!("generated password (shown once): {p}");
    }
    let _ = app.seal_audit().await;
    app.db.close().await;
    Ok(())
}

async fn token(args: TokenArgs) -> Result<(), Failure> {
    let (app, _) = open(&args.db, false).await?;
    let ctx = Ctx::default();
    if args.list {
        for t in app.list_tokens(None, &ctx, &args.user).await? {
            let state = if t.revoked { "revoked" } else { "active" };
            println!(
                "{}\t{}\t{}\t{}",
                t.id,
                t.label,
                t.created_at.to_rfc3339(),
                state
            );
        }
    } else if let Some(id) = args.revoke {
        app.revoke_token(None, &ctx, &args.user, id).await?;
        println!("revoked token {id}");
    } else {
        let (id, secret) = app.issue_token(None, &ctx, &args.user, &args.label).await?;
        eprintln!(
            "token {id} issued; it is shown once — use it as `Authorization: Bearer <token>`"
        );
        println!("{secret}");
    }
    let _ = app.seal_audit().await;
    app.db.close().await;
    Ok(())
}

/// `karuna text segment`: one output line per input line; invalid UTF-8 stops with the line
/// number (what was written before it stays written).
fn segment_stdin() -> Result<(), Failure> {
    use std::io::Write;
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    let mut tokens = Vec::new();
    loop {
        buf.clear();
        let n = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| Failure(format!("cannot read stdin: {e}"), 1))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let text = std::str::from_utf8(&buf)
            .map_err(|_| Failure(format!("line {line_no}: not valid UTF-8"), 2))?;
        let text = text.trim_end_matches(['\n', '\r']);
        karuna_thai::segment::segment_into(text, &mut tokens);
        let mut first = true;
        for (start, end) in &tokens {
            if !first {
                out.write_all(b"|").map_err(|e| Failure(e.to_string(), 1))?;
            }
            first = false;
            out.write_all(&text.as_bytes()[*start..*end])
                .map_err(|e| Failure(e.to_string(), 1))?;
        }
        out.write_all(b"\n")
            .map_err(|e| Failure(e.to_string(), 1))?;
    }
    out.flush()
        .map_err(|e| Failure(format!("cannot write: {e}"), 1))
}

async fn verify(args: VerifyArgs) -> Result<(), Failure> {
    let (app, _) = open(&args.db, false).await?;
    let known = args.head.as_ref().map(|(seq, hash)| (*seq, hash.as_str()));
    let report = app.verify_audit(known).await?;
    app.db.close().await;
    if report.late > 0 {
        println!(
            "{} unsealed events are older than the chain head: written after later events were \
             sealed (inserted outside Karuna, or a restored copy); they are left unsealed",
            report.late
        );
    }
    match report.tamper {
        None => {
            println!(
                "audit chain intact: {} sealed events checked, {} pending",
                report.checked,
                report.unsealed - report.late
            );
            if let Some((seq, _)) = known {
                println!("the chain reaches the given head {seq} with its hash");
            }
            Ok(())
        }
        Some(t) => {
            let what = match t {
                Tamper::Altered { seq, id } => {
                    format!("row {seq} (event {id}) was altered or inserted: its hash does not match its content and the previous row")
                }
                Tamper::Missing { seq } => format!("row {seq} was removed: the chain skips it"),
                Tamper::Truncated {
                    expected_last,
                    found_last,
                } => {
                    format!("rows after {found_last} were removed: the seals record the chain up to row {expected_last}")
                }
                Tamper::HeadMismatch { seq } => {
                    format!("row {seq}: the chain's end does not match the hash its seal recorded")
                }
                Tamper::BehindKnownHead { known, found_last } => format!(
                    "the chain ends at row {found_last}, before the given head {known}: rows \
                     were removed from the end, or this is an older copy of the database"
                ),
                Tamper::KnownHeadDiffers { seq } => format!(
                    "row {seq} does not have the given head's hash: the chain was rewritten"
                ),
            };
            Err(Failure(
                format!(
                    "audit chain broken after {} good rows: {what}",
                    report.checked
                ),
                3,
            ))
        }
    }
}
