//! The history of person merges a supervisor may see: who merged whom, when and why, how many
//! rows moved, and whether and why it was undone, newest first — so a merge found wrong weeks
//! later can still be undone. A merge is listed under the rule of the duplicates list
//! (`duplicates::candidate_pairs`): one of its two persons is on a case of the supervisor's
//! unit, and neither is the client of another unit's sensitive case that she does not manage.

use crate::db::Db;
use crate::error::Result;
use crate::row::{instant, opt_instant, uuid};
use chrono::{DateTime, Utc};
use sqlx::Row;
use uuid::Uuid;

/// One merge as the history lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeEntry {
    /// The merge.
    pub id: Uuid,
    /// The person kept.
    pub survivor_id: Uuid,
    /// The person merged into the survivor.
    pub loser_id: Uuid,
    /// Why (the supervisor's words).
    pub reason: String,
    /// Who merged (display name).
    pub merged_by: String,
    /// When.
    pub merged_at: DateTime<Utc>,
    /// Rows moved (or removed as duplicates of the survivor's).
    pub rows: i64,
    /// When it was undone, if it was.
    pub undone_at: Option<DateTime<Utc>>,
    /// Who undid it (display name).
    pub undone_by: Option<String>,
    /// Why it was undone.
    pub undo_reason: Option<String>,
}

/// The visibility rule, with `$1` the organisation, `$2` the unit and `$3` the viewer.
const VISIBLE: &str = "g.org_id = $1 AND EXISTS (SELECT 1 FROM case_person cp \
     JOIN case_file c ON c.id = cp.case_id WHERE c.org_id = $1 AND c.unit_id = $2 \
     AND cp.person_id IN (g.survivor_id, g.loser_id)) \
     AND NOT EXISTS (SELECT 1 FROM case_file s WHERE s.client_id IN (g.survivor_id, g.loser_id) \
     AND s.sensitive = 1 AND s.unit_id <> $2 AND s.manager_id <> $3)";

/// A page of the merges visible to `viewer`, a supervisor of `unit`, newest first, and how
/// many there are in all.
pub async fn merges_for_unit(
    db: &Db,
    org_id: Uuid,
    unit: Uuid,
    viewer: Uuid,
    limit: i64,
    offset: i64,
) -> Result<(Vec<MergeEntry>, i64)> {
    let binds = [org_id.to_string(), unit.to_string(), viewer.to_string()];
    let sql = format!(
        "SELECT g.id, g.survivor_id, g.loser_id, g.reason, g.merged_at, g.undone_at, g.undo_reason, \
         a.display_name AS merged_by, u.display_name AS undone_by, \
         (SELECT COUNT(*) FROM person_merge_row r WHERE r.merge_id = g.id) AS moved \
         FROM person_merge g JOIN account a ON a.id = g.merged_by \
         LEFT JOIN account u ON u.id = g.undone_by WHERE {VISIBLE} \
         ORDER BY g.merged_at DESC, g.id DESC LIMIT {} OFFSET {}",
        limit.max(1),
        offset.max(0)
    );
    let mut q = sqlx::query(&sql);
    for b in &binds {
        q = q.bind(b.clone());
    }
    let items = q
        .fetch_all(db.read())
        .await?
        .iter()
        .map(|r| {
            Ok(MergeEntry {
                id: uuid(r, "id")?,
                survivor_id: uuid(r, "survivor_id")?,
                loser_id: uuid(r, "loser_id")?,
                reason: r.try_get("reason")?,
                merged_by: r.try_get("merged_by")?,
                merged_at: instant(r, "merged_at")?,
                rows: r.try_get("moved")?,
                undone_at: opt_instant(r, "undone_at")?,
                undone_by: r.try_get("undone_by")?,
                undo_reason: r.try_get("undo_reason")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let count = format!("SELECT COUNT(*) FROM person_merge g WHERE {VISIBLE}");
    let mut q = sqlx::query_scalar::<_, i64>(&count);
    for b in binds {
        q = q.bind(b);
    }
    let total = q.fetch_one(db.read()).await?;
    Ok((items, total))
}
