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
