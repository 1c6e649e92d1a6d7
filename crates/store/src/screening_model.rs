//! The learned layer of the complexity screening: an organisation's training runs with their
//! fitted models (`domain::screening_model`), and the closed cases they are trained on, read in
//! bulk — a bounded number of statements however many cases there are.

use crate::assessment::AssessmentRow;
use crate::case::{case_from, CaseRow, CASE_COLS};
use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{instant, opt_date, opt_instant, uuid};
use crate::time::now_db;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use uuid::Uuid;

/// A training run.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelRow {
    /// Id.
    pub id: Uuid,
    /// Its number in the organisation (the model's version), from 1.
    pub number: i64,
    /// `training`, `ready`, `too_few` or `failed`.
    pub status: String,
    /// Closed cases read.
    pub closed_cases: i64,
    /// Long ones among them.
    pub long_cases: i64,
    /// The fitted model, as JSON (when `ready`).
    pub model: Option<String>,
    /// Who asked for it (name).
    pub requested_by_name: String,
    /// When.
    pub requested_at: DateTime<Utc>,
    /// When it finished.
    pub finished_at: Option<DateTime<Utc>>,
}

const COLS: &str = "m.id, m.number, m.status, m.closed_cases, m.long_cases, m.model, \
    a.display_name, m.requested_at, m.finished_at";

fn model_from(r: &sqlx::any::AnyRow) -> Result<ModelRow> {
    Ok(ModelRow {
        id: uuid(r, "id")?,
        number: r.try_get("number")?,
        status: r.try_get("status")?,
        closed_cases: r.try_get("closed_cases")?,
        long_cases: r.try_get("long_cases")?,
        model: r.try_get("model")?,
        requested_by_name: r.try_get("display_name")?,
        requested_at: instant(r, "requested_at")?,
        finished_at: opt_instant(r, "finished_at")?,
    })
}

/// The organisation's latest run, and its latest `ready` one (they may be the same).
pub async fn latest(db: &Db, org: Uuid) -> Result<(Option<ModelRow>, Option<ModelRow>)> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM screening_model m JOIN account a ON a.id = m.requested_by \
         WHERE m.id = (SELECT id FROM screening_model WHERE org_id = $1 \
                       ORDER BY number DESC LIMIT 1) \
            OR m.id = (SELECT id FROM screening_model WHERE org_id = $1 AND status = 'ready' \
                       ORDER BY number DESC LIMIT 1) \
         ORDER BY m.number DESC"
    ))
    .bind(org.to_string())
    .fetch_all(db.read())
    .await?;
    let rows: Vec<ModelRow> = rows.iter().map(model_from).collect::<Result<_>>()?;
    let ready = rows.iter().find(|r| r.status == "ready").cloned();
    Ok((rows.into_iter().next(), ready))
}

/// A run still `training` this long after it was asked for was cut off (the server stopped):
/// it is marked `failed` when the next run starts.
pub const ABANDONED_AFTER_MINUTES: i64 = 60;

/// Starts a run: its row in `training`, numbered after the organisation's last. Returns its
/// id and number, or none when another run is still training (one cut off
/// [`ABANDONED_AFTER_MINUTES`] ago is marked `failed` first).
pub async fn start(tx: &mut Tx, org: Uuid, by: Uuid) -> Result<Option<(Uuid, i64)>> {
    let cutoff =
        crate::time::to_db(crate::time::now() - chrono::Duration::minutes(ABANDONED_AFTER_MINUTES));
    sqlx::query(
        "UPDATE screening_model SET status = 'failed', finished_at = $1 \
         WHERE org_id = $2 AND status = 'training' AND requested_at < $3",
    )
    .bind(now_db())
    .bind(org.to_string())
    .bind(cutoff)
    .execute(&mut **tx)
    .await?;
    let id = Uuid::now_v7();
    let number: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(MAX(number), 0) + 1 AS BIGINT) FROM screening_model \
         WHERE org_id = $1",
    )
    .bind(org.to_string())
    .fetch_one(&mut **tx)
    .await?;
    let inserted = sqlx::query(
        "INSERT INTO screening_model (id, org_id, number, status, requested_by, requested_at) \
         SELECT $1, $2, $3, 'training', $4, $5 WHERE NOT EXISTS \
         (SELECT 1 FROM screening_model WHERE org_id = $2 AND status = 'training')",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .bind(number)
    .bind(by.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok((inserted.rows_affected() == 1).then_some((id, number)))
}

/// Ends a run with its status, the counts read and the model (when `ready`).
pub async fn finish(
    tx: &mut Tx,
    id: Uuid,
    status: &str,
    (closed, long): (i64, i64),
    model: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "UPDATE screening_model SET status = $1, closed_cases = $2, long_cases = $3, \
         model = $4, finished_at = $5 WHERE id = $6 AND status = 'training'",
    )
    .bind(status)
    .bind(closed)
    .bind(long)
    .bind(model)
    .bind(now_db())
    .bind(id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A closed case to train on, with what its facts are built from.
#[derive(Debug, Clone)]
pub struct ClosedCase {
    /// The case.
    pub case: CaseRow,
    /// The client's birth date, if known.
    pub birth_date: Option<NaiveDate>,
    /// Or the year only.
    pub birth_year: Option<i64>,
    /// The client's cases opened before this one.
    pub earlier_cases: i64,
    /// Referrals of the client's cases declined or ended early.
    pub failed_referrals: i64,
    /// Its assessments.
    pub assessments: Vec<AssessmentRow>,
}

/// How many case ids one assessment statement asks for.
const CHUNK: usize = 500;

/// The organisation's most recently closed cases (of case type `of_type`, when given), at most
/// `limit`, in the order they closed (oldest first), with their clients' birth, history and
/// assessments: one statement for the cases and one per 500 cases for the assessments.
pub async fn closed_cases(
    db: &Db,
    org: Uuid,
    of_type: Option<&str>,
    limit: i64,
) -> Result<Vec<ClosedCase>> {
    let rows = sqlx::query(&format!(
        "SELECT {CASE_COLS}, p.birth_date, p.birth_year, \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM case_file e \
          WHERE e.client_id = c.client_id AND e.id <> c.id AND e.opened_at < c.opened_at) \
          AS earlier_cases, \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM referral r JOIN case_file rc ON rc.id = r.case_id \
          WHERE rc.client_id = c.client_id AND r.status IN ('declined', 'ended_early')) \
          AS failed_referrals \
         FROM case_file c JOIN person p ON p.id = c.client_id \
         WHERE c.org_id = $1 AND c.status = 'closed' AND c.closed_at IS NOT NULL \
         AND ($3 = '' OR (',' || c.case_types || ',') LIKE ('%,' || $3 || ',%')) \
         ORDER BY c.closed_at DESC, c.id DESC LIMIT $2"
    ))
    .bind(org.to_string())
    .bind(limit)
    .bind(of_type.unwrap_or_default())
    .fetch_all(db.read())
    .await?;
    let mut out: Vec<ClosedCase> = rows
        .iter()
        .map(|r| {
            Ok(ClosedCase {
                case: case_from(r)?,
                birth_date: opt_date(r, "birth_date")?,
                birth_year: r.try_get("birth_year")?,
                earlier_cases: r.try_get("earlier_cases")?,
                failed_referrals: r.try_get("failed_referrals")?,
                assessments: Vec::new(),
            })
        })
        .collect::<Result<_>>()?;
    out.reverse();
    let mut at: std::collections::HashMap<Uuid, usize> = std::collections::HashMap::new();
    for (i, c) in out.iter().enumerate() {
        at.insert(c.case.id, i);
    }
    let ids: Vec<Uuid> = out.iter().map(|c| c.case.id).collect();
    for chunk in ids.chunks(CHUNK) {
        for a in crate::assessment::completed_for_cases(db, chunk).await? {
            if let Some(i) = at.get(&a.case_id) {
                out[*i].assessments.push(a);
            }
        }
    }
    Ok(out)
}

/// The organisation with the most closed cases, if any (the benchmark's generated agency).
pub async fn busiest_org(db: &Db) -> Result<Option<Uuid>> {
    let org: Option<String> = sqlx::query_scalar(
        "SELECT org_id FROM case_file WHERE status = 'closed' GROUP BY org_id \
         ORDER BY COUNT(*) DESC LIMIT 1",
    )
    .fetch_optional(db.read())
    .await?;
    Ok(org.and_then(|o| Uuid::parse_str(&o).ok()))
}
