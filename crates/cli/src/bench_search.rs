//! `karuna bench search`: writes N synthetic Thai notes (multi-row inserts, their index
//! documents in the same transactions) into a throw-away database, then times a mix of
//! searches through the search use case (access check, query, count, snippets, audit) as a
//! case manager and as a unit supervisor. Prints figures; asserts nothing.

use clap::Args;
use karuna_app::account::NewUserInput;
use karuna_app::search::SearchRequest;
use karuna_app::{App, Ctx, CurrentUser, Settings};
use karuna_store::search::synthetic::{seed, Owners};
use karuna_store::Db;
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
pub struct SearchBenchArgs {
    /// Notes to write.
    #[arg(long, default_value_t = 100_000)]
    notes: usize,
    /// Cases the notes are spread over (default: one per 50 notes).
    #[arg(long)]
    cases: Option<usize>,
    /// Times each query is run per user.
    #[arg(long, default_value_t = 20)]
    rounds: usize,
    /// Benchmark against this (empty) database instead of a temporary SQLite file.
    #[arg(long, conflicts_with = "data_dir")]
    database_url: Option<String>,
    /// Keep the SQLite database in this folder. A later run over the same folder finds the
    /// notes written and only measures again (after a change, on the same data).
    #[arg(long)]
    data_dir: Option<std::path::PathBuf>,
}

/// The query mix: common and rare words, AND, phrase, prefix, Latin, a name, filters.
const QUERIES: &[(&str, &str)] = &[
    ("common word", "ผู้เสียหาย"),
    ("word inside compound", "โรงพยาบาล"),
    ("two words AND", "โรงพยาบาล ติดตาม"),
    ("phrase", "\"ทีมสหวิชาชีพ\""),
    ("three words", "มารดา บุตร โรงเรียน"),
    ("name", "บุษบา"),
    ("name + word", "สมศรี เยี่ยมบ้าน"),
    ("prefix (Latin)", "lin*"),
    ("rare word", "ไดโนเสาร์ ผู้เสียหาย"),
    ("case number", "CM-2569-900120"),
    ("no hit", "ยูนิคอร์น"),
];

const PASSWORD: &str = "bench-password-1";

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

async fn account(
    app: &App,
    org: uuid::Uuid,
    name: &str,
    role: &str,
    unit: uuid::Uuid,
) -> Result<CurrentUser, String> {
    let input = NewUserInput {
        username: name.into(),
        display_name: name.into(),
        role: role.into(),
        profession: None,
        unit_id: Some(unit.to_string()),
        password: Some(PASSWORD.into()),
    };
    app.create_user_in(org, None, &Ctx::default(), input, false)
        .await
        .map_err(|e| e.to_string())?;
    Ok(app
        .login(name, PASSWORD, &Ctx::default())
        .await
        .map_err(|e| e.to_string())?
        .user)
}

/// Runs the search benchmark.
pub async fn run(args: SearchBenchArgs) -> Result<(), String> {
    let tmp = match &args.data_dir {
        Some(d) => d.clone(),
        None => std::env::temp_dir().join(format!("karuna-bench-search-{}", uuid::Uuid::now_v7())),
    };
    let url = match &args.database_url {
        Some(u) => u.clone(),
        None => Db::sqlite_url_for_dir(&tmp).map_err(|e| e.to_string())?,
    };
    let db = Db::connect(&url).await.map_err(|e| e.to_string())?;
    let t = Instant::now();
    let ran = db.migrate().await.map_err(|e| e.to_string())?;
    let app = App::new(db, Settings::default());
    let ctx = Ctx::default();
    if args.data_dir.is_some() {
        if let Ok(supervisor) = app.login("bench-supervisor", PASSWORD, &ctx).await {
            println!(
                "karuna bench search — the notes kept in {} ({ran} migrations applied in {:.1} s)",
                tmp.display(),
                t.elapsed().as_secs_f64()
            );
            let manager = app
                .login("bench-manager-0", PASSWORD, &ctx)
                .await
                .map_err(|e| e.to_string())?
                .user;
            return measure(&app, args.rounds, &manager, &supervisor.user).await;
        }
    }
    let mut units = Vec::new();
    let mut org = None;
    for i in 0..10 {
        let (o, u) = app
            .bootstrap_org(&ctx, "พมจ.ทดสอบประสิทธิภาพ", Some(&format!("หน่วย {i}")))
            .await
            .map_err(|e| e.to_string())?;
        org = Some(o);
        units.extend(u);
    }
    let org = org.ok_or("no organisation")?;
    let mut managers = Vec::new();
    for i in 0..20 {
        let m = account(
            &app,
            org,
            &format!("bench-manager-{i}"),
            "case_manager",
            units[i % 10],
        )
        .await?;
        managers.push(m);
    }
    let supervisor = account(&app, org, "bench-supervisor", "supervisor", units[0]).await?;
    let cases = args.cases.unwrap_or((args.notes / 50).max(20));
    println!(
        "karuna bench search — backend {:?}, {} notes over {} cases, 10 units, 20 case managers",
        app.db.backend(),
        args.notes,
        cases
    );
    let owners = Owners {
        org_id: org,
        units: units.clone(),
        managers: managers.iter().map(|m| m.actor.id).collect(),
    };
    let t = Instant::now();
    let mut last = Instant::now();
    seed(&app.db, &owners, cases, args.notes, |n| {
        if last.elapsed() > Duration::from_secs(10) || n == args.notes {
            last = Instant::now();
            println!("  … {n} notes written ({:.0} s)", t.elapsed().as_secs_f64());
        }
    })
    .await
    .map_err(|e| e.to_string())?;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "insert: {} notes with their index in {:.1} s ({:.0} notes/s)",
        args.notes,
        secs,
        args.notes as f64 / secs.max(1e-9)
    );
    sqlx_analyze(&app.db, "ANALYZE").await?;
    measure(&app, args.rounds, &managers[0], &supervisor).await?;
    app.db.close().await;
    if args.database_url.is_none() && args.data_dir.is_none() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok(())
}

/// Times the query mix as a case manager and as a supervisor, and prints the figures.
async fn measure(
    app: &App,
    rounds: usize,
    manager: &CurrentUser,
    supervisor: &CurrentUser,
) -> Result<(), String> {
    let ctx = Ctx::default();
    let who = [
        ("case manager (5% of cases)", manager),
        ("supervisor (10% of cases)", supervisor),
    ];
    let mut all = Vec::new();
    for (label, user) in who {
        println!("as {label}:");
        for (name, q) in QUERIES {
            let mut lat = Vec::with_capacity(rounds);
            let mut total = 0;
            for _ in 0..rounds {
                let r = SearchRequest {
                    q: (*q).to_string(),
                    ..Default::default()
                };
                let t = Instant::now();
                let res = app
                    .search(user, &ctx, &r)
                    .await
                    .map_err(|e| e.to_string())?;
                lat.push(t.elapsed());
                total = res.total;
            }
            let first = lat.first().map_or(0.0, |d| d.as_secs_f64() * 1000.0);
            lat.sort();
            println!(
                "  {name:<22} hits {total:>5}  p50 {:>7.2} ms  p95 {:>7.2} ms  first {first:>7.2} ms",
                pct(&lat, 0.5),
                pct(&lat, 0.95)
            );
            all.extend(lat);
        }
        // A filtered search: a case type and a date range.
        let mut lat = Vec::with_capacity(rounds);
        for _ in 0..rounds {
            let r = SearchRequest {
                q: "ผู้เสียหาย".into(),
                case_type: "child_protection".into(),
                from: "2024-03-01".into(),
                to: "2024-06-30".into(),
                ..Default::default()
            };
            let t = Instant::now();
            app.search(user, &ctx, &r)
                .await
                .map_err(|e| e.to_string())?;
            lat.push(t.elapsed());
        }
        let first = lat.first().map_or(0.0, |d| d.as_secs_f64() * 1000.0);
        lat.sort();
        println!(
            "  {:<22}             p50 {:>7.2} ms  p95 {:>7.2} ms  first {first:>7.2} ms",
            "filters (type + dates)",
            pct(&lat, 0.5),
            pct(&lat, 0.95)
        );
        all.extend(lat);
    }
    all.sort();
    println!(
        "all searches: n={}  p50 {:.2} ms  p95 {:.2} ms  max {:.2} ms",
        all.len(),
        pct(&all, 0.5),
        pct(&all, 0.95),
        pct(&all, 1.0)
    );
    Ok(())
}

async fn sqlx_analyze(db: &Db, sql: &str) -> Result<(), String> {
    let mut tx = db.begin().await.map_err(|e| e.to_string())?;
    karuna_store::search::synthetic::run_statement(&mut tx, sql)
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}
