//! `karuna bench audit`: the cost of the events written on their own (reads, denials): N
//! events from C concurrent writers, first each in its own transaction (how every read was
//! audited before group commit), then through the group committer, on the same database in
//! the same run; then the sealer over everything written. Prints figures; asserts nothing.

use clap::Args;
use karuna_store::audit::{self, NewEvent};
use karuna_store::Db;
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
pub struct AuditBenchArgs {
    /// Events written per phase.
    #[arg(long, default_value_t = 20_000)]
    events: usize,
    /// Concurrent writers (requests in flight).
    #[arg(long, default_value_t = 32)]
    concurrency: usize,
    /// Benchmark against this (empty) database instead of a temporary SQLite file.
    #[arg(long)]
    database_url: Option<String>,
}

fn read_event(i: usize) -> NewEvent {
    NewEvent {
        org_id: Some(uuid::Uuid::now_v7()),
        actor_id: Some(uuid::Uuid::now_v7()),
        actor_username: Some("bench-worker".into()),
        action: "case.read".into(),
        entity_type: Some("case".into()),
        entity_id: Some(uuid::Uuid::now_v7().to_string()),
        outcome: "success".into(),
        reason: None,
        request_id: Some(format!("bench-{i}")),
    }
}

/// Runs `events` writes from `concurrency` tasks; returns the wall time and sorted latencies.
async fn phase(
    db: &Db,
    events: usize,
    concurrency: usize,
    grouped: bool,
) -> Result<(Duration, Vec<Duration>), String> {
    let start = Instant::now();
    let per = events.div_ceil(concurrency.max(1));
    let mut tasks = Vec::new();
    for w in 0..concurrency.max(1) {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::with_capacity(per);
            for i in 0..per {
                let e = read_event(w * per + i);
                let t = Instant::now();
                if grouped {
                    audit::append_alone(&db, &e).await?;
                } else {
                    let mut tx = db.begin().await?;
                    audit::append(&mut tx, &e).await?;
                    tx.commit().await?;
                }
                lat.push(t.elapsed());
            }
            Ok::<_, karuna_store::StoreError>(lat)
        }));
    }
    let mut all = Vec::with_capacity(events);
    for t in tasks {
        all.extend(
            t.await
                .map_err(|e| e.to_string())?
                .map_err(|e| e.to_string())?,
        );
    }
    all.sort();
    Ok((start.elapsed(), all))
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

pub async fn run(args: AuditBenchArgs) -> Result<(), String> {
    let tmp = std::env::temp_dir().join(format!("karuna-bench-audit-{}", uuid::Uuid::now_v7()));
    let url = match &args.database_url {
        Some(u) => u.clone(),
        None => Db::sqlite_url_for_dir(&tmp).map_err(|e| e.to_string())?,
    };
    let db = Db::connect(&url).await.map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    println!(
        "audit events written on their own: {} per phase, {} concurrent writers, {:?}",
        args.events,
        args.concurrency,
        db.backend()
    );
    let mut rates = Vec::new();
    for (name, grouped) in [("one transaction each", false), ("group commit", true)] {
        let (wall, lat) = phase(&db, args.events, args.concurrency, grouped).await?;
        let rate = lat.len() as f64 / wall.as_secs_f64().max(1e-9);
        rates.push(rate);
        println!(
            "{name:<22} {rate:>9.0} events/s  p50 {:>7.2} ms  p99 {:>7.2} ms",
            pct(&lat, 0.50),
            pct(&lat, 0.99)
        );
    }
    if let [before, after] = rates[..] {
        println!("group commit / one each: {:.1}×", after / before.max(1e-9));
    }
    let start = Instant::now();
    let sealed = audit::seal_all(&db).await.map_err(|e| e.to_string())?;
    let wall = start.elapsed();
    println!(
        "sealed {sealed} events in {:.2} s: {:.0} events/s",
        wall.as_secs_f64(),
        sealed as f64 / wall.as_secs_f64().max(1e-9)
    );
    db.close().await;
    if args.database_url.is_none() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    Ok(())
}
