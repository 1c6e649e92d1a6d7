//! Revisions: the readable history of every corrected record (entity, id, version, snapshot,
//! who, why), written by the same helper in the same transaction as the change.

use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::time::now_db;
use uuid::Uuid;

/// Stores the snapshot of `entity_type/entity_id` as it was at `version`.
pub async fn record(
    tx: &mut Tx,
    entity_type: &str,
    entity_id: Uuid,
    version: i64,
    snapshot: &serde_json::Value,
    actor_id: Option<Uuid>,
    reason: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO revision (id, entity_type, entity_id, version, snapshot, actor_id, reason, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(entity_type)
    .bind(entity_id.to_string())
    .bind(version)
    .bind(snapshot.to_string())
    .bind(actor_id.map(|a| a.to_string()))
    .bind(reason)
    .bind(now_db())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(())
}

/// One stored revision, as a history lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionRow {
    /// The version it stores.
    pub version: i64,
    /// Who made it (name), if known.
    pub actor: Option<String>,
    /// Why, if said.
    pub reason: Option<String>,
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// The revisions of `entity_type/entity_id`, newest first, at most 200.
pub async fn history(
    db: &crate::db::Db,
    entity_type: &str,
    entity_id: Uuid,
) -> Result<Vec<RevisionRow>> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT r.version, a.display_name AS actor, r.reason, r.created_at FROM revision r \
         LEFT JOIN account a ON a.id = r.actor_id WHERE r.entity_type = $1 AND r.entity_id = $2 \
         ORDER BY r.version DESC LIMIT 200",
    )
    .bind(entity_type)
    .bind(entity_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(RevisionRow {
                version: r.try_get("version")?,
                actor: r.try_get("actor")?,
                reason: r.try_get("reason")?,
                at: crate::row::instant(r, "created_at")?,
            })
        })
        .collect()
}
