//! The audit trail: rows appended freely inside each change's transaction, then sealed into a
//! SHA-256 chain in id order by a sealer; `verify` walks the chain.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::time::real_now_db;
use karuna_domain::audit::{AuditRecord, GENESIS_HASH};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// An event about to be written.
#[derive(Debug, Clone, Default)]
pub struct NewEvent {
    /// Organisation, when known.
    pub org_id: Option<Uuid>,
    /// Acting account, when known.
    pub actor_id: Option<Uuid>,
    /// Acting (or attempted) username.
    pub actor_username: Option<String>,
    /// What was attempted.
    pub action: String,
    /// Kind of record.
    pub entity_type: Option<String>,
    /// Record id(s).
    pub entity_id: Option<String>,
    /// `success`, `denied` or `failure`.
    pub outcome: String,
    /// Why.
    pub reason: Option<String>,
    /// Request id.
    pub request_id: Option<String>,
}

/// A stored event with its seal.
#[derive(Debug, Clone)]
pub struct EventRow {
    /// The chained fields.
    pub record: AuditRecord,
    /// Position in the chain, once sealed.
    pub chain_seq: Option<i64>,
    /// The stored hash, once sealed.
    pub hash: Option<String>,
}

const EVENT_COLS: &str = "id, occurred_at, org_id, actor_id, actor_username, action, entity_type, \
    entity_id, outcome, reason, request_id, chain_seq, hash";

fn event_from(r: &AnyRow) -> Result<EventRow> {
    Ok(EventRow {
        record: AuditRecord {
            id: r.try_get("id")?,
            occurred_at: r.try_get("occurred_at")?,
            org_id: r.try_get("org_id")?,
            actor_id: r.try_get("actor_id")?,
            actor_username: r.try_get("actor_username")?,
            action: r.try_get("action")?,
            entity_type: r.try_get("entity_type")?,
            entity_id: r.try_get("entity_id")?,
            outcome: r.try_get("outcome")?,
            reason: r.try_get("reason")?,
            request_id: r.try_get("request_id")?,
        },
        chain_seq: r.try_get("chain_seq")?,
        hash: r.try_get("hash")?,
    })
}

/// Appends an event inside the caller's transaction, so it commits or rolls back with the change.
pub async fn append(tx: &mut Tx, e: &NewEvent) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO audit_event (id, occurred_at, org_id, actor_id, actor_username, action, \
         entity_type, entity_id, outcome, reason, request_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id.to_string())
    .bind(real_now_db())
    .bind(e.org_id.map(|u| u.to_string()))
    .bind(e.actor_id.map(|u| u.to_string()))
    .bind(e.actor_username.clone())
    .bind(&e.action)
    .bind(e.entity_type.clone())
    .bind(e.entity_id.clone())
    .bind(&e.outcome)
    .bind(e.reason.clone())
    .bind(e.request_id.clone())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(id)
}

/// Appends an event that goes with no change (denials, failed logins, reads): committed, in a
/// group with the others waiting at that moment (`audit_group`), before it returns.
pub async fn append_alone(db: &Db, e: &NewEvent) -> Result<Uuid> {
    db.audit_commit().append(e).await
}

/// What one sealing pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sealed {
    /// Rows given a chain position.
    pub sealed: usize,
    /// Unsealed rows older than the chain head (by id or by time), left unsealed: a row
    /// written straight into the table with an old id or time, which must not be sealed
    /// into the chain as if it had been there all along.
    pub late: i64,
}

/// The chain head: the last sealed position, its hash, and the id and time of its row.
struct Head {
    seq: i64,
    hash: String,
    id: String,
    occurred_at: String,
}

async fn head(tx: &mut Tx) -> Result<Option<Head>> {
    let row = sqlx::query(
        "SELECT s.seq_to, s.head_hash, e.id, e.occurred_at FROM audit_seal s \
         LEFT JOIN audit_event e ON e.chain_seq = s.seq_to ORDER BY s.seq_to DESC LIMIT 1",
    )
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| {
        Ok(Head {
            seq: r.try_get("seq_to")?,
            hash: r.try_get("head_hash")?,
            id: r.try_get::<Option<String>, _>("id")?.unwrap_or_default(),
            occurred_at: r
                .try_get::<Option<String>, _>("occurred_at")?
                .unwrap_or_default(),
        })
    })
    .transpose()
}

/// Unsealed rows whose id is older than the chain head's row, or whose time is older than
/// the head's less `SKEW` (`$2`): rows that will never be sealed (`verify` counts them).
const LATE: &str = "chain_seq IS NULL AND (id < $1 OR occurred_at < $2)";

/// How far a row's time may fall behind the row before it: ids and times are taken by two
/// calls, and on PostgreSQL concurrent requests may take them in different orders.
const SKEW: chrono::Duration = chrono::Duration::seconds(1);

/// A stored instant less `SKEW` (storage form; empty stays empty).
fn less_skew(at: &str) -> String {
    crate::time::from_db(at)
        .map(|t| crate::time::to_db(t - SKEW))
        .unwrap_or_default()
}

/// Seals up to `batch` unsealed rows in id order, only rows whose id and time are not older
/// than the chain head's and whose time is not after `until` (storage form; rows still
/// settling are left for the next pass); returns how many were sealed and how many late rows
/// were left unsealed. Two sealers racing collide on the unique `chain_seq`; the loser rolls
/// back and tries again later.
pub async fn seal_until(db: &Db, batch: i64, until: &str) -> Result<Sealed> {
    let mut tx = db.begin().await?;
    if db.backend() == crate::db::Backend::Postgres {
        // Sealers of several app servers take turns: each reads the head and the unsealed
        // rows only after the previous one committed (SQLite's single writer does this).
        sqlx::query("SELECT pg_advisory_xact_lock(7274001)")
            .execute(&mut *tx)
            .await?;
    }
    let head = head(&mut tx).await?;
    let (mut seq, mut prev, head_id, head_at) = match head {
        Some(h) => (h.seq, h.hash, h.id, less_skew(&h.occurred_at)),
        None => (0, GENESIS_HASH.to_string(), String::new(), String::new()),
    };
    // Both statements walk the partial index of unsealed rows from the head's id, so a pass
    // costs what it seals, not what is waiting. (SQLite's planner prefers the unique index on
    // `chain_seq` for `IS NULL` and then sorts every unsealed row: name the index there.)
    let unsealed = match db.backend() {
        crate::db::Backend::Sqlite => "audit_event INDEXED BY audit_event_unsealed",
        crate::db::Backend::Postgres => "audit_event",
    };
    let below_head: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM {unsealed} WHERE chain_seq IS NULL AND id < $1"
    ))
    .bind(&head_id)
    .fetch_one(&mut *tx)
    .await?;
    let rows = sqlx::query(&format!(
        "SELECT {EVENT_COLS} FROM {unsealed} WHERE chain_seq IS NULL AND id > $1 \
         AND occurred_at <= $2 ORDER BY id LIMIT $3"
    ))
    .bind(&head_id)
    .bind(until)
    .bind(batch)
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() {
        return Ok(Sealed {
            sealed: 0,
            late: below_head,
        });
    }
    let from = seq + 1;
    let mut last_at = head_at.clone();
    let mut seals = Vec::with_capacity(rows.len());
    for r in &rows {
        let e = event_from(r)?;
        if e.record.occurred_at < last_at {
            // Out of time order within the batch: older than a row sealed before it.
            continue;
        }
        let this_at = less_skew(&e.record.occurred_at);
        seq += 1;
        let hash = e.record.chain_hash(&prev);
        prev = hash.clone();
        seals.push((e.record.id, seq, hash));
        last_at = this_at;
    }
    for chunk in seals.chunks(SEAL_CHUNK) {
        set_positions(&mut tx, chunk).await?;
    }
    let sealed = (seq - from + 1) as usize;
    if sealed > 0 {
        sqlx::query(
            "INSERT INTO audit_seal (seq_to, seq_from, head_hash, sealed_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(seq)
        .bind(from)
        .bind(&prev)
        .bind(real_now_db())
        .execute(&mut *tx)
        .await
        .map_err(StoreError::from_insert)?;
    }
    tx.commit().await?;
    Ok(Sealed {
        sealed,
        late: below_head + (rows.len() - sealed) as i64,
    })
}

/// Rows given their chain position by one statement (3 parameters each).
const SEAL_CHUNK: usize = 300;

/// Sets the chain position and hash of each `(id, seq, hash)` with one `UPDATE … FROM
/// (VALUES …)` (both databases; SQLite since 3.33), never overwriting a sealed row. The
/// "not yet sealed" test is written so that no index can serve it: given `chain_seq IS NULL`,
/// SQLite walks every unsealed row through the unique index on `chain_seq` instead of looking
/// up the few ids by primary key.
async fn set_positions(tx: &mut Tx, seals: &[(String, i64, String)]) -> Result<()> {
    let values: Vec<String> = (0..seals.len())
        .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
        .collect();
    let sql = format!(
        "UPDATE audit_event SET chain_seq = v.column2, hash = v.column3 \
         FROM (VALUES {}) AS v \
         WHERE audit_event.id = v.column1 AND coalesce(audit_event.chain_seq, 0) = 0",
        values.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for (id, seq, hash) in seals {
        q = q.bind(id.clone()).bind(*seq).bind(hash.clone());
    }
    let done = q
        .execute(&mut **tx)
        .await
        .map_err(StoreError::from_insert)?;
    if done.rows_affected() != seals.len() as u64 {
        // Another sealer got there first: roll back and let the next pass try again.
        return Err(StoreError::Duplicate);
    }
    Ok(())
}

/// Seals up to `batch` rows, whatever their age (see `seal_until`).
pub async fn seal(db: &Db, batch: i64) -> Result<usize> {
    Ok(seal_until(db, batch, "9999").await?.sealed)
}

/// Seals until nothing is left that may be sealed; rows are sealed only once they are at
/// least `settle` old (the server's sealer leaves a moment for transactions still open).
pub async fn seal_settled(db: &Db, settle: std::time::Duration) -> Result<Sealed> {
    let until = crate::time::to_db(
        chrono::Utc::now() - chrono::Duration::from_std(settle).unwrap_or_default(),
    );
    let mut total = Sealed::default();
    loop {
        let n = seal_until(db, 1000, &until).await?;
        total.late = n.late;
        if n.sealed == 0 {
            return Ok(total);
        }
        total.sealed += n.sealed;
    }
}

/// Seals until nothing is left that may be sealed.
pub async fn seal_all(db: &Db) -> Result<usize> {
    Ok(seal_settled(db, std::time::Duration::ZERO).await?.sealed)
}

/// The last seal: the chain position it ends at and its head hash (to be kept elsewhere and
/// given back to `verify`).
pub async fn last_seal(db: &Db) -> Result<Option<(i64, String)>> {
    let row = sqlx::query("SELECT seq_to, head_hash FROM audit_seal ORDER BY seq_to DESC LIMIT 1")
        .fetch_optional(db.read())
        .await?;
    row.map(|r| Ok((r.try_get("seq_to")?, r.try_get("head_hash")?)))
        .transpose()
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tamper {
    /// A sealed row's content no longer matches its hash (altered).
    Altered {
        /// Chain position.
        seq: i64,
        /// Row id.
        id: String,
    },
    /// A chain position is missing (a row was removed).
    Missing {
        /// The first missing chain position.
        seq: i64,
    },
    /// The chain ends before the last seal says it does (rows removed from the end).
    Truncated {
        /// The last chain position the seals record.
        expected_last: i64,
        /// The last chain position present.
        found_last: i64,
    },
    /// The chain's end does not match the hash the seal recorded.
    HeadMismatch {
        /// The seal's last position.
        seq: i64,
    },
    /// The chain ends before the head kept outside the database (rows and seals removed
    /// from the end, or the database restored from an older copy).
    BehindKnownHead {
        /// The position of the head kept outside.
        known: i64,
        /// The last chain position present.
        found_last: i64,
    },
    /// The chain's row at the position of the head kept outside has another hash (the
    /// chain was rewritten from there or before).
    KnownHeadDiffers {
        /// The position of the head kept outside.
        seq: i64,
    },
}

/// The result of walking the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Sealed rows checked.
    pub checked: i64,
    /// Rows appended but not yet sealed.
    pub unsealed: i64,
    /// Of those, rows older than the chain head (by id or time): never sealed, reported.
    pub late: i64,
    /// The first problem found, if any.
    pub tamper: Option<Tamper>,
}

/// Walks the chain in `chain_seq` order, recomputing every hash; stops at the first problem.
/// With `known_head` (a position and hash printed by an earlier seal and kept elsewhere), the
/// chain must reach that position with that hash.
pub async fn verify(db: &Db, known_head: Option<(i64, &str)>) -> Result<VerifyReport> {
    let unsealed: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM audit_event WHERE chain_seq IS NULL")
            .fetch_one(db.read())
            .await?;
    let (head_id, head_at): (Option<String>, Option<String>) = match sqlx::query(
        "SELECT id, occurred_at FROM audit_event WHERE chain_seq IS NOT NULL \
         ORDER BY chain_seq DESC LIMIT 1",
    )
    .fetch_optional(db.read())
    .await?
    {
        Some(r) => (r.try_get("id")?, r.try_get("occurred_at")?),
        None => (None, None),
    };
    let late: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM audit_event WHERE {LATE}"))
        .bind(head_id.unwrap_or_default())
        .bind(less_skew(&head_at.unwrap_or_default()))
        .fetch_one(db.read())
        .await?;
    let mut prev = GENESIS_HASH.to_string();
    let mut expected = 1i64;
    let mut checked = 0i64;
    let mut known_hash: Option<String> = None;
    loop {
        let rows = sqlx::query(&format!(
            "SELECT {EVENT_COLS} FROM audit_event WHERE chain_seq >= $1 ORDER BY chain_seq LIMIT 2000"
        ))
        .bind(expected)
        .fetch_all(db.read())
        .await?;
        if rows.is_empty() {
            break;
        }
        for r in &rows {
            let e = event_from(r)?;
            let seq = e.chain_seq.unwrap_or(0);
            let report = |tamper| {
                Ok(VerifyReport {
                    checked,
                    unsealed,
                    late,
                    tamper: Some(tamper),
                })
            };
            if seq != expected {
                return report(Tamper::Missing { seq: expected });
            }
            let stored = e.hash.clone().unwrap_or_default();
            if e.record.chain_hash(&prev) != stored {
                // The row's content, or the row itself, is not what was sealed.
                return report(Tamper::Altered {
                    seq,
                    id: e.record.id,
                });
            }
            if known_head.is_some_and(|(k, _)| k == seq) {
                known_hash = Some(stored.clone());
            }
            prev = stored;
            expected += 1;
            checked += 1;
        }
    }
    let report = |tamper| VerifyReport {
        checked,
        unsealed,
        late,
        tamper,
    };
    if let Some((seq_to, head_hash)) = last_seal(db).await? {
        if seq_to != checked {
            return Ok(report(Some(Tamper::Truncated {
                expected_last: seq_to,
                found_last: checked,
            })));
        }
        if head_hash != prev {
            return Ok(report(Some(Tamper::HeadMismatch { seq: seq_to })));
        }
    }
    if let Some((known, hash)) = known_head {
        if known > checked {
            return Ok(report(Some(Tamper::BehindKnownHead {
                known,
                found_last: checked,
            })));
        }
        if known_hash.as_deref() != Some(hash) {
            return Ok(report(Some(Tamper::KnownHeadDiffers { seq: known })));
        }
    }
    Ok(report(None))
}

/// Filters for browsing the log.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Exact actor username.
    pub actor: Option<String>,
    /// Action prefix (e.g. `account.`).
    pub action: Option<String>,
    /// Exact outcome code.
    pub outcome: Option<String>,
    /// Exact entity type.
    pub entity_type: Option<String>,
    /// Exact entity id.
    pub entity_id: Option<String>,
    /// From this instant (inclusive, storage form).
    pub from: Option<String>,
    /// Before this instant (exclusive, storage form).
    pub to: Option<String>,
    /// Keyset cursor: only ids below this one (newest first).
    pub before_id: Option<String>,
}

/// A page of events, newest first, matching the filter.
pub async fn list(db: &Db, f: &EventFilter, limit: i64) -> Result<Vec<EventRow>> {
    let mut sql = format!("SELECT {EVENT_COLS} FROM audit_event WHERE 1 = 1");
    let mut binds: Vec<String> = Vec::new();
    let mut add = |clause: &str, value: &Option<String>, sql: &mut String| {
        if let Some(v) = value {
            binds.push(v.clone());
            sql.push_str(&clause.replace('?', &format!("${}", binds.len())));
        }
    };
    add(" AND actor_username = ?", &f.actor, &mut sql);
    add(
        " AND action LIKE ?",
        &f.action
            .as_ref()
            .map(|a| format!("{}%", a.replace(['%', '_'], ""))),
        &mut sql,
    );
    add(" AND outcome = ?", &f.outcome, &mut sql);
    add(" AND entity_type = ?", &f.entity_type, &mut sql);
    add(" AND entity_id = ?", &f.entity_id, &mut sql);
    add(" AND occurred_at >= ?", &f.from, &mut sql);
    add(" AND occurred_at < ?", &f.to, &mut sql);
    add(" AND id < ?", &f.before_id, &mut sql);
    sql.push_str(&format!(" ORDER BY id DESC LIMIT {}", limit.clamp(1, 500)));
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b.as_str());
    }
    let rows = q.fetch_all(db.read()).await?;
    rows.iter().map(event_from).collect()
}
