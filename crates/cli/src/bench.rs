//! `karuna bench`: starts Karuna in-process on a throw-away database (SQLite in a temporary
//! folder, or `--database-url`), seeds the demo accounts and measures, over real HTTP: login
//! (argon2id dominates), the health probe, the signed-in home page and the `/api/v1/me`
//! endpoint with a bearer token. Prints figures; asserts nothing.

use clap::Args;
use karuna_app::{App, Ctx, Settings};
use karuna_store::Db;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct BenchArgs {
    /// A focused benchmark instead of the HTTP one.
    #[command(subcommand)]
    what: Option<BenchWhat>,
    /// Requests per measured endpoint.
    #[arg(long, default_value_t = 2000)]
    requests: usize,
    /// Concurrent clients for the throughput runs.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Logins to time (each costs one argon2id verification).
    #[arg(long, default_value_t = 20)]
    logins: usize,
    /// Benchmark against this database instead of a temporary SQLite file (it is migrated and
    /// gets the demo accounts).
    #[arg(long)]
    database_url: Option<String>,
}

/// Focused benchmarks.
#[derive(clap::Subcommand, Debug)]
pub enum BenchWhat {
    /// Duplicate-check latency over N synthetic persons (`karuna bench duplicates --persons N`).
    Duplicates(crate::bench_duplicates::DuplicatesArgs),
    /// Full-text search over N synthetic Thai notes: insert rate, search p50/p95.
    Search(crate::bench_search::SearchBenchArgs),
    /// Drive running servers over HTTP with virtual users (Primero's load-test mix plus
    /// contact notes), or with `--raw` the same operations straight to the database.
    Load(crate::bench_load::LoadArgs),
    /// Audit events written on their own: one transaction each vs group commit, then sealing.
    Audit(crate::bench_audit::AuditBenchArgs),
    /// The printed case file: reading it and typesetting it as PDF, with its page count.
    Pdf(crate::bench_pdf::PdfBenchArgs),
    /// The learned complexity screening on an existing (generated) database: reading the
    /// closed cases, the fit with its validation, and scoring.
    Screening(crate::bench_screening::ScreeningBenchArgs),
}

struct Figures {
    name: &'static str,
    lat: Vec<Duration>,
    wall: Duration,
    errors: usize,
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

impl Figures {
    fn print(mut self) {
        self.lat.sort();
        let rps = self.lat.len() as f64 / self.wall.as_secs_f64().max(1e-9);
        println!(
            "{:<28} n={:<6} {:>9.0} req/s  p50 {:>7.2} ms  p95 {:>7.2} ms  p99 {:>7.2} ms  errors {}",
            self.name,
            self.lat.len(),
            rps,
            pct(&self.lat, 0.50),
            pct(&self.lat, 0.95),
            pct(&self.lat, 0.99),
            self.errors
        );
    }
}

fn rss_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The hidden CSRF field of a rendered form.
fn csrf_of(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let rest = &html[at..];
    Some(rest[..rest.find('"')?].to_string())
}

async fn login(client: &reqwest::Client, base: &str) -> Result<(), String> {
    let page = client
        .get(format!("{base}/login"))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let html = page.text().await.map_err(|e| e.to_string())?;
    let csrf = csrf_of(&html).ok_or("no CSRF field on the login page")?;
    let resp = client
        .post(format!("{base}/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "demo-manager"),
            ("password", "karuna-demo"),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if resp.status().is_redirection() {
        Ok(())
    } else {
        Err(format!("login answered {}", resp.status()))
    }
}

fn client() -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())
}

async fn hammer(
    name: &'static str,
    clients: Vec<reqwest::Client>,
    url: String,
    bearer: Option<String>,
    total: usize,
) -> Figures {
    let per = total.div_ceil(clients.len().max(1));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for c in clients {
        let url = url.clone();
        let bearer = bearer.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(per);
            let mut errors = 0;
            for _ in 0..per {
                let t = Instant::now();
                let mut req = c.get(&url);
                if let Some(b) = &bearer {
                    req = req.bearer_auth(b);
                }
                match req.send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                    }
                    _ => errors += 1,
                }
                lat.push(t.elapsed());
            }
            (lat, errors)
        }));
    }
    let mut lat = Vec::new();
    let mut errors = 0;
    for t in tasks {
        if let Ok((l, e)) = t.await {
            lat.extend(l);
            errors += e;
        }
    }
    Figures {
        name,
        lat,
        wall: start.elapsed(),
        errors,
    }
}

pub async fn run(args: BenchArgs) -> Result<(), String> {
    if let Some(BenchWhat::Duplicates(a)) = args.what {
        return crate::bench_duplicates::run(a).await;
    }
    if let Some(BenchWhat::Search(a)) = args.what {
        return crate::bench_search::run(a).await;
    }
    if let Some(BenchWhat::Load(a)) = args.what {
        return crate::bench_load::run(a).await;
    }
    if let Some(BenchWhat::Audit(a)) = args.what {
        return crate::bench_audit::run(a).await;
    }
    if let Some(BenchWhat::Pdf(a)) = args.what {
        return crate::bench_pdf::run(a).await;
    }
    if let Some(BenchWhat::Screening(a)) = args.what {
        return crate::bench_screening::run(a).await;
    }
    let tmp = std::env::temp_dir().join(format!("karuna-bench-{}", uuid::Uuid::now_v7()));
    let url = match &args.database_url {
        Some(u) => u.clone(),
        None => Db::sqlite_url_for_dir(&tmp).map_err(|e| e.to_string())?,
    };
    let db = Db::connect(&url).await.map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    let app = App::new(
        db,
        Settings {
            demo: true,
            // Many logins from one address and name are the point of the benchmark.
            login: karuna_app::login_guard::LoginLimits::unthrottled(),
            ..Settings::default()
        },
    );
    app.seed_demo().await.map_err(|e| e.to_string())?;
    let catalog = karuna_web::i18n::Catalog::load()?;
    let state = karuna_web::AppState {
        app: app.clone(),
        catalog: Arc::new(catalog),
        web: karuna_web::WebSettings {
            secure_cookies: false,
            demo: true,
            mail_enabled: false,
            security_contact: None,
        },
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| e.to_string())?;
    let base = format!(
        "http://{}",
        listener.local_addr().map_err(|e| e.to_string())?
    );
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(karuna_web::serve(listener, state, async {
        let _ = stop_rx.await;
    }));
    let rss_idle = rss_kib("VmRSS:");
    println!(
        "karuna bench — backend {:?}, {} requests per endpoint, {} clients",
        app.db.backend(),
        args.requests,
        args.concurrency
    );

    // Login, one after another (argon2id is meant to be slow).
    let mut lat = Vec::new();
    let mut errors = 0;
    let start = Instant::now();
    for _ in 0..args.logins {
        let c = client()?;
        let t = Instant::now();
        if login(&c, &base).await.is_err() {
            errors += 1;
        }
        lat.push(t.elapsed());
    }
    Figures {
        name: "login (GET form + POST)",
        lat,
        wall: start.elapsed(),
        errors,
    }
    .print();

    let anon: Vec<_> = (0..args.concurrency)
        .map(|_| client())
        .collect::<Result<_, _>>()?;
    hammer(
        "GET /healthz",
        anon,
        format!("{base}/healthz"),
        None,
        args.requests,
    )
    .await
    .print();

    let mut signed_in = Vec::new();
    for _ in 0..args.concurrency {
        let c = client()?;
        login(&c, &base).await?;
        signed_in.push(c);
    }
    hammer(
        "GET / (home, session)",
        signed_in,
        format!("{base}/"),
        None,
        args.requests,
    )
    .await
    .print();

    let (_, token) = app
        .issue_token(None, &Ctx::default(), "demo-manager", "bench")
        .await
        .map_err(|e| e.to_string())?;
    let plain: Vec<_> = (0..args.concurrency)
        .map(|_| client())
        .collect::<Result<_, _>>()?;
    hammer(
        "GET /api/v1/me (bearer)",
        plain,
        format!("{base}/api/v1/me"),
        Some(token),
        args.requests,
    )
    .await
    .print();

    let sealed_start = Instant::now();
    let sealed = app.seal_audit().await.map_err(|e| e.to_string())?.sealed;
    println!(
        "audit seal: {sealed} events in {:.1} ms",
        sealed_start.elapsed().as_secs_f64() * 1000.0
    );
    let verify_start = Instant::now();
    let report = app.verify_audit(None).await.map_err(|e| e.to_string())?;
    println!(
        "audit verify: {} events in {:.1} ms ({})",
        report.checked,
        verify_start.elapsed().as_secs_f64() * 1000.0,
        if report.tamper.is_none() {
            "intact"
        } else {
            "BROKEN"
        }
    );
    println!(
        "memory (server and client in one process): RSS at start {} MiB, now {} MiB, peak {} MiB",
        rss_idle.map_or("?".into(), |k| (k / 1024).to_string()),
        rss_kib("VmRSS:").map_or("?".into(), |k| (k / 1024).to_string()),
        rss_kib("VmHWM:").map_or("?".into(), |k| (k / 1024).to_string()),
    );
    let _ = stop_tx.send(());
    let _ = server.await;
    app.db.close().await;
    if args.database_url.is_none() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok(())
}
