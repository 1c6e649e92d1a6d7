//! `karuna bench pdf`: the printed case file, end to end. Seeds the demo organisation on a
//! throw-away database, opens a case with N contacts of generated Thai notes, then times the
//! read (`App::case_export`: the access check, the case file, plan and closure, their audit
//! events) and the typesetting (`pages::case_pdf`: document, Typst layout, PDF export) R times,
//! the first run separately (it loads the fonts), each with Typst's memoised layouts forgotten
//! so no run reuses the one before. Prints pages, bytes and milliseconds; asserts nothing.
//! Issue 21 asks for a 40-page case file in ≤ 1 s.

use clap::Args;
use karuna_app::{App, Ctx, Settings};
use karuna_store::gen::rng::Rng;
use karuna_store::gen::text::note;
use karuna_store::Db;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
pub struct PdfBenchArgs {
    /// Contacts on the case (about seven and a half per page).
    #[arg(long, default_value_t = 300)]
    contacts: usize,
    /// Timed runs after the first.
    #[arg(long, default_value_t = 5)]
    runs: usize,
    /// Benchmark against this (empty) database instead of a temporary SQLite file.
    #[arg(long)]
    database_url: Option<String>,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub async fn run(args: PdfBenchArgs) -> Result<(), String> {
    let tmp = std::env::temp_dir().join(format!("karuna-bench-pdf-{}", uuid::Uuid::now_v7()));
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
            ..Settings::default()
        },
    );
    app.seed_demo_accounts().await.map_err(|e| e.to_string())?;
    let ctx = Ctx::default();
    let manager = app
        .login("demo-manager", "karuna-demo", &ctx)
        .await
        .map_err(|e| format!("login: {e}"))?
        .user;
    let intake = karuna_app::intake::IntakeInput {
        client: karuna_domain::person::PersonInput {
            first_name_th: "สมหญิง".into(),
            last_name_th: "ใจดี".into(),
            ..Default::default()
        },
        consent: karuna_app::intake::ConsentInput {
            status: "granted".into(),
            ..Default::default()
        },
        referral_source: "self".into(),
        presenting_problem: "ถูกทำร้ายร่างกายและต้องการที่พักปลอดภัย".into(),
        case_types: vec!["domestic_violence".into()],
        safety: karuna_domain::case::all_answered(karuna_domain::case::SafetyAnswer::No),
        ..Default::default()
    };
    let case = app
        .intake(&manager, &ctx, &intake)
        .await
        .map_err(|e| format!("intake: {e}"))?
        .case_id;
    let kinds = ["home_visit", "phone_call", "office_visit", "message"];
    for i in 0..args.contacts {
        let mut rng = Rng::derive(21, 4, i as u64);
        let (text, _) = note(&mut rng, "", "");
        let input = karuna_domain::contact::ContactInput {
            kind: kinds[i % kinds.len()].into(),
            date: "2026-11-01".into(),
            note: text,
            ..Default::default()
        };
        app.add_contact(&manager, &ctx, case, &input)
            .await
            .map_err(|e| format!("contact: {e}"))?;
    }
    let types = app
        .case_types(&manager, &ctx)
        .await
        .map_err(|e| e.to_string())?;
    let catalog = Arc::new(karuna_web::i18n::Catalog::load()?);
    println!(
        "karuna bench pdf: a case file with {} contacts, {} timed runs after the first",
        args.contacts, args.runs
    );
    let mut reads = Vec::new();
    let mut renders = Vec::new();
    let mut first = None;
    let mut shape = (0, 0);
    for run in 0..=args.runs {
        karuna_pdf::forget_layouts();
        let t = Instant::now();
        let x = app
            .case_export(&manager, &ctx, case)
            .await
            .map_err(|e| e.to_string())?;
        let read = t.elapsed();
        let t = Instant::now();
        let typeset = karuna_web::pages::case_pdf::render_case_file(
            catalog.clone(),
            &types,
            &x,
            &manager.display_name,
        )?;
        let render = t.elapsed();
        shape = (typeset.pages, typeset.pdf.len());
        if run == 0 {
            first = Some((read, render));
        } else {
            reads.push(read);
            renders.push(render);
        }
    }
    reads.sort();
    renders.sort();
    let median = |v: &[Duration]| v.get(v.len() / 2).copied().unwrap_or_default();
    let (pages, bytes) = shape;
    if let Some((read, render)) = first {
        println!(
            "first run (loads fonts)   read {:>8.1} ms  typeset {:>8.1} ms",
            ms(read),
            ms(render)
        );
    }
    let (read, render) = (median(&reads), median(&renders));
    println!(
        "median of {:<3} runs        read {:>8.1} ms  typeset {:>8.1} ms  total {:>8.1} ms",
        renders.len(),
        ms(read),
        ms(render),
        ms(read + render)
    );
    println!(
        "{pages} pages, {bytes} bytes: {:.1} ms per page; a 40-page file ≈ {:.0} ms",
        ms(read + render) / pages.max(1) as f64,
        ms(read + render) / pages.max(1) as f64 * 40.0
    );
    if args.database_url.is_none() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok(())
}
