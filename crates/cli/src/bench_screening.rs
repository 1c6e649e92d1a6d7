//! `karuna bench screening`: the learned layer of the complexity screening on an existing
//! database (a generated agency: `karuna gen`, then this with the same `--data-dir`). Times the
//! bulk read of the closed cases (`store::screening_model::closed_cases`), building their facts,
//! the fit with its validation, and scoring (the model's estimate for a case's facts, over every
//! closed case read). Prints counts, milliseconds and the validation figures; asserts nothing.
//! Issue 22 asks for training ≤ 60 s and scoring one case ≤ 10 ms at 1M cases.

use crate::config::DbOptions;
use clap::Args;
use karuna_domain::screening_model::{train, TRAIN_MAX};
use karuna_store::Db;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct ScreeningBenchArgs {
    #[command(flatten)]
    db: DbOptions,
    /// The most closed cases to read (the most recently closed).
    #[arg(long, default_value_t = TRAIN_MAX as i64)]
    limit: i64,
}

fn ms(since: Instant) -> f64 {
    since.elapsed().as_secs_f64() * 1000.0
}

pub async fn run(args: ScreeningBenchArgs) -> Result<(), String> {
    let file = crate::config::FileConfig::load(args.db.config.as_deref())?;
    let url = args.db.database_url(&file)?;
    let db = Db::connect(&url).await.map_err(|e| e.to_string())?;
    // The organisation with the most closed cases (the generated agency beside the demo).
    let org = karuna_store::screening_model::busiest_org(&db)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no closed cases in this database: run `karuna gen` first")?;

    let t = Instant::now();
    let closed = karuna_store::screening_model::closed_cases(&db, org, None, args.limit)
        .await
        .map_err(|e| e.to_string())?;
    let read_ms = ms(t);
    let t = Instant::now();
    let examples = karuna_app::screening_model::training_examples(&closed);
    let facts_ms = ms(t);
    let t = Instant::now();
    let model = train(&examples).map_err(|e| e.to_string())?;
    let fit_ms = ms(t);
    let t = Instant::now();
    let mut sum = 0i64;
    for e in &examples {
        sum += model.estimate(1, &e.facts).long_percent;
    }
    let score_us = t.elapsed().as_secs_f64() * 1e6 / examples.len().max(1) as f64;
    let v = &model.validation;
    println!(
        "closed cases read: {} ({} long), features: {}",
        examples.len(),
        examples.iter().filter(|e| e.long).count(),
        model.features.len()
    );
    println!(
        "read {read_ms:.0} ms, facts {facts_ms:.0} ms, fit + validation {fit_ms:.0} ms, \
         total {:.0} ms",
        read_ms + facts_ms + fit_ms
    );
    println!(
        "scoring: {score_us:.1} µs per case (model only; mean estimate {:.0}%)",
        sum as f64 / examples.len().max(1) as f64
    );
    println!(
        "validation on the {} most recently closed: AUC {}, Brier {:.3} (base rate {:.3})",
        v.validated_on,
        v.auc.map_or("–".into(), |a| format!("{a:.3}")),
        v.brier,
        v.base_brier
    );
    db.close().await;
    Ok(())
}
