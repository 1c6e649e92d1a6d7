//! An organisation's case-type rows (changes to built-in types and its own types).

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::flag;
use crate::time::now_db;
use karuna_domain::case_type::CaseType;
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

fn from_row(r: &AnyRow) -> Result<CaseType> {
    Ok(CaseType {
        code: r.try_get("code")?,
        built_in: false,
        label_th: r.try_get("label_th")?,
        label_en: r.try_get("label_en")?,
        active: flag(r, "active")?,
        review_days: r.try_get("review_days")?,
        plan_approval: flag(r, "plan_approval")?,
        closure_approval: flag(r, "closure_approval")?,
        assessment_template: r.try_get("assessment_template")?,
        version: r.try_get("version")?,
    })
}

const COLS: &str = "code, label_th, label_en, active, review_days, plan_approval, \
    closure_approval, assessment_template, version";

/// The organisation's stored rows (merge them with `domain::case_type::effective`).
pub async fn rows(db: &Db, org_id: Uuid) -> Result<Vec<CaseType>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM case_type WHERE org_id = $1 ORDER BY code"
    ))
    .bind(org_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(from_row).collect()
}

/// The same rows read inside a write transaction (for checks that must see committed state).
pub async fn rows_tx(tx: &mut Tx, org_id: Uuid) -> Result<Vec<CaseType>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM case_type WHERE org_id = $1 ORDER BY code"
    ))
    .bind(org_id.to_string())
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(from_row).collect()
}

/// Writes `t`: inserts when `t.version` is 0 (a built-in type never changed, or a new type),
/// otherwise updates the row at that version. A stale version or a lost race is
/// `StaleVersion`. Returns the new version.
pub async fn save(tx: &mut Tx, org_id: Uuid, t: &CaseType, by: Uuid) -> Result<i64> {
    let now = now_db();
    if t.version == 0 {
        sqlx::query(
            "INSERT INTO case_type (org_id, code, label_th, label_en, active, review_days, \
             plan_approval, closure_approval, version, updated_by, updated_at, \
             assessment_template) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11)",
        )
        .bind(org_id.to_string())
        .bind(&t.code)
        .bind(t.label_th.clone())
        .bind(t.label_en.clone())
        .bind(i64::from(t.active))
        .bind(t.review_days)
        .bind(i64::from(t.plan_approval))
        .bind(i64::from(t.closure_approval))
        .bind(by.to_string())
        .bind(&now)
        .bind(t.assessment_template.clone())
        .execute(&mut **tx)
        .await
        .map_err(|e| match StoreError::from_insert(e) {
            StoreError::Duplicate => StoreError::StaleVersion,
            other => other,
        })?;
        return Ok(1);
    }
    let r = sqlx::query(
        "UPDATE case_type SET label_th = $1, label_en = $2, active = $3, review_days = $4, \
         plan_approval = $5, closure_approval = $6, version = version + 1, updated_by = $7, \
         updated_at = $8, assessment_template = $12 \
         WHERE org_id = $9 AND code = $10 AND version = $11",
    )
    .bind(t.label_th.clone())
    .bind(t.label_en.clone())
    .bind(i64::from(t.active))
    .bind(t.review_days)
    .bind(i64::from(t.plan_approval))
    .bind(i64::from(t.closure_approval))
    .bind(by.to_string())
    .bind(&now)
    .bind(org_id.to_string())
    .bind(&t.code)
    .bind(t.version)
    .bind(t.assessment_template.clone())
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(t.version + 1)
}
