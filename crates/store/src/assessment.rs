//! Assessment templates (every version, per organisation; a published version is never
//! updated: every update here says `status = 'draft'`) and the assessments made with them.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{instant, opt_instant, uuid};
use crate::time::now_db;
use chrono::{DateTime, Utc};
use karuna_domain::assessment::{shipped, Answers, DomainNotes, Scores, Template};
use sqlx::any::AnyRow;
use sqlx::Row;
use std::collections::BTreeMap;
use uuid::Uuid;

/// One stored template version.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TemplateRow {
    /// Id of this version.
    pub id: Uuid,
    /// Template key.
    pub key: String,
    /// Version number (1, 2 …) within the key.
    pub version: i64,
    /// `draft` or `published`.
    pub status: String,
    /// The template.
    pub template: Template,
    /// Imported.
    pub created_at: DateTime<Utc>,
    /// Published.
    pub published_at: Option<DateTime<Utc>>,
}

/// The worker's notes per domain code.
pub type Notes = BTreeMap<String, DomainNotes>;

/// One stored assessment.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AssessmentRow {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// The template version it was made with.
    pub template_id: Uuid,
    /// Template key.
    pub template_key: String,
    /// Template version number.
    pub template_version: i64,
    /// `draft` or `completed`.
    pub status: String,
    /// Answers by question id.
    pub answers: Answers,
    /// Notes by domain code.
    pub notes: Notes,
    /// Scores, once completed.
    pub scores: Option<Scores>,
    /// Version (optimistic locking).
    pub version: i64,
    /// Who started it (name).
    pub created_by_name: Option<String>,
    /// Started.
    pub created_at: DateTime<Utc>,
    /// Last saved.
    pub updated_at: DateTime<Utc>,
    /// Completed.
    pub completed_at: Option<DateTime<Utc>>,
}

fn json<T: serde::de::DeserializeOwned>(r: &AnyRow, col: &str) -> Result<T> {
    let s: String = r.try_get(col)?;
    serde_json::from_str(&s).map_err(|_| StoreError::Corrupt("assessment json"))
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|_| StoreError::Corrupt("assessment json"))
}

const TCOLS: &str = "id, template_key, version, status, body, created_at, published_at";

fn template_from(r: &AnyRow) -> Result<TemplateRow> {
    Ok(TemplateRow {
        id: uuid(r, "id")?,
        key: r.try_get("template_key")?,
        version: r.try_get("version")?,
        status: r.try_get("status")?,
        template: json(r, "body")?,
        created_at: instant(r, "created_at")?,
        published_at: opt_instant(r, "published_at")?,
    })
}

/// The next version number of a key in an organisation.
pub async fn next_template_version(tx: &mut Tx, org_id: Uuid, key: &str) -> Result<i64> {
    let max: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(version) FROM assessment_template WHERE org_id = $1 AND template_key = $2",
    )
    .bind(org_id.to_string())
    .bind(key)
    .fetch_one(&mut **tx)
    .await?;
    Ok(max.unwrap_or(0) + 1)
}

/// Stores a template version (draft, or published at once for the shipped ones).
pub async fn insert_template(
    tx: &mut Tx,
    org_id: Uuid,
    version: i64,
    template: &Template,
    published: bool,
    by: Option<Uuid>,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let now = now_db();
    sqlx::query(
        "INSERT INTO assessment_template (id, org_id, template_key, version, status, title_th, title_en, body, \
         created_at, created_by, published_at, published_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10)",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(&template.key)
    .bind(version)
    .bind(if published { "published" } else { "draft" })
    .bind(&template.title.th)
    .bind(&template.title.en)
    .bind(to_json(template)?)
    .bind(&now)
    .bind(by.map(|b| b.to_string()))
    .bind(published.then_some(now.clone()))
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(id)
}

/// Publishes a draft version; false when it is not a draft (a published version never changes).
pub async fn publish_template(tx: &mut Tx, id: Uuid, by: Uuid) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE assessment_template SET status = 'published', published_at = $1, published_by = $2 \
         WHERE id = $3 AND status = 'draft'",
    )
    .bind(now_db())
    .bind(by.to_string())
    .bind(id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Every template version of an organisation, by key then newest version first.
pub async fn templates(db: &Db, org_id: Uuid) -> Result<Vec<TemplateRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {TCOLS} FROM assessment_template WHERE org_id = $1 ORDER BY template_key, version DESC"
    ))
    .bind(org_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(template_from).collect()
}

/// One template version of an organisation.
pub async fn template_by_id(db: &Db, org_id: Uuid, id: Uuid) -> Result<Option<TemplateRow>> {
    let row = sqlx::query(&format!(
        "SELECT {TCOLS} FROM assessment_template WHERE id = $1 AND org_id = $2"
    ))
    .bind(id.to_string())
    .bind(org_id.to_string())
    .fetch_optional(db.read())
    .await?;
    row.as_ref().map(template_from).transpose()
}

/// The latest published version of a key.
pub async fn latest_published(db: &Db, org_id: Uuid, key: &str) -> Result<Option<TemplateRow>> {
    let row = sqlx::query(&format!(
        "SELECT {TCOLS} FROM assessment_template WHERE org_id = $1 AND template_key = $2 AND status = 'published' \
         ORDER BY version DESC LIMIT 1"
    ))
    .bind(org_id.to_string())
    .bind(key)
    .fetch_optional(db.read())
    .await?;
    row.as_ref().map(template_from).transpose()
}

/// Seeds the shipped templates, as published version 1, for an organisation lacking them.
pub async fn seed_shipped(db: &Db, org_id: Uuid) -> Result<usize> {
    let present: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT template_key FROM assessment_template WHERE org_id = $1",
    )
    .bind(org_id.to_string())
    .fetch_all(db.read())
    .await?;
    let templates = shipped::shipped().map_err(|_| StoreError::Corrupt("shipped template"))?;
    let missing: Vec<&Template> = templates
        .iter()
        .filter(|t| !present.contains(&t.key))
        .collect();
    if missing.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    let mut added = 0;
    for t in missing {
        let exists: Option<String> = sqlx::query_scalar(
            "SELECT id FROM assessment_template WHERE org_id = $1 AND template_key = $2 LIMIT 1",
        )
        .bind(org_id.to_string())
        .bind(&t.key)
        .fetch_optional(&mut *tx)
        .await?;
        if exists.is_none() {
            insert_template(&mut tx, org_id, 1, t, true, None).await?;
            added += 1;
        }
    }
    tx.commit().await?;
    Ok(added)
}

/// Seeds the shipped templates for every organisation (at migrate).
pub async fn seed_shipped_all(db: &Db) -> Result<usize> {
    let orgs: Vec<String> = sqlx::query_scalar("SELECT id FROM org")
        .fetch_all(db.read())
        .await?;
    let mut added = 0;
    for o in orgs {
        let id = Uuid::parse_str(&o).map_err(|_| StoreError::Corrupt("uuid"))?;
        added += seed_shipped(db, id).await?;
    }
    Ok(added)
}

const ACOLS: &str = "s.id, s.case_id, s.template_id, s.template_key, s.template_version, s.status, s.answers, \
    s.notes, s.scores, s.version, a.display_name AS created_by_name, s.created_at, s.updated_at, s.completed_at";

fn assessment_from(r: &AnyRow) -> Result<AssessmentRow> {
    let scores: Option<String> = r.try_get("scores")?;
    Ok(AssessmentRow {
        id: uuid(r, "id")?,
        case_id: uuid(r, "case_id")?,
        template_id: uuid(r, "template_id")?,
        template_key: r.try_get("template_key")?,
        template_version: r.try_get("template_version")?,
        status: r.try_get("status")?,
        answers: json(r, "answers")?,
        notes: json(r, "notes")?,
        scores: scores
            .map(|s| serde_json::from_str(&s).map_err(|_| StoreError::Corrupt("assessment json")))
            .transpose()?,
        version: r.try_get("version")?,
        created_by_name: r.try_get("created_by_name")?,
        created_at: instant(r, "created_at")?,
        updated_at: instant(r, "updated_at")?,
        completed_at: opt_instant(r, "completed_at")?,
    })
}

/// Starts an assessment of a case with a template version.
pub async fn insert(
    tx: &mut Tx,
    org_id: Uuid,
    case_id: Uuid,
    template: &TemplateRow,
    by: Uuid,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let now = now_db();
    sqlx::query(
        "INSERT INTO assessment (id, org_id, case_id, template_id, template_key, template_version, status, answers, notes, \
         created_at, created_by, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, 'draft', '{}', '{}', $7, $8, $7, $8)",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(case_id.to_string())
    .bind(template.id.to_string())
    .bind(&template.key)
    .bind(template.version)
    .bind(&now)
    .bind(by.to_string())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(id)
}

/// Saves a draft's answers and notes if it is still a draft at `version`; with `scores`, it
/// is completed at the same time. Returns the new version.
pub async fn save(
    tx: &mut Tx,
    id: Uuid,
    version: i64,
    answers: &Answers,
    notes: &Notes,
    scores: Option<&Scores>,
    by: Uuid,
) -> Result<i64> {
    let now = now_db();
    let r = sqlx::query(
        "UPDATE assessment SET answers = $1, notes = $2, scores = $3, total_score = $4, level = $5, \
         status = $6, completed_at = $7, completed_by = $8, version = version + 1, updated_at = $9, updated_by = $10 \
         WHERE id = $11 AND version = $12 AND status = 'draft'",
    )
    .bind(to_json(answers)?)
    .bind(to_json(notes)?)
    .bind(scores.map(to_json).transpose()?)
    .bind(scores.map(|s| s.total))
    .bind(scores.and_then(|s| s.level.clone()))
    .bind(if scores.is_some() { "completed" } else { "draft" })
    .bind(scores.map(|_| now.clone()))
    .bind(scores.map(|_| by.to_string()))
    .bind(&now)
    .bind(by.to_string())
    .bind(id.to_string())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    crate::search::index::reindex_assessment(tx, id).await?;
    Ok(version + 1)
}

/// One assessment.
pub async fn by_id(db: &Db, id: Uuid) -> Result<Option<AssessmentRow>> {
    let row = sqlx::query(&format!(
        "SELECT {ACOLS} FROM assessment s LEFT JOIN account a ON a.id = s.created_by WHERE s.id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(db.read())
    .await?;
    row.as_ref().map(assessment_from).transpose()
}

/// A case's assessments, oldest first.
pub async fn for_case(db: &Db, case_id: Uuid) -> Result<Vec<AssessmentRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {ACOLS} FROM assessment s LEFT JOIN account a ON a.id = s.created_by WHERE s.case_id = $1 \
         ORDER BY s.created_at, s.id"
    ))
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(assessment_from).collect()
}

/// The completed assessments of `cases` (at most a few hundred ids), in no set order.
pub async fn completed_for_cases(db: &Db, cases: &[Uuid]) -> Result<Vec<AssessmentRow>> {
    if cases.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {ACOLS} FROM assessment s LEFT JOIN account a ON a.id = s.created_by \
         WHERE s.status = 'completed' AND s.case_id IN ({})",
        crate::row::placeholders(1, cases.len())
    );
    let mut q = sqlx::query(&sql);
    for id in cases {
        q = q.bind(id.to_string());
    }
    let rows = q.fetch_all(db.read()).await?;
    rows.iter().map(assessment_from).collect()
}

/// The case an assessment belongs to.
pub async fn case_of(db: &Db, id: Uuid) -> Result<Option<Uuid>> {
    let s: Option<String> = sqlx::query_scalar("SELECT case_id FROM assessment WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    s.map(|s| Uuid::parse_str(&s).map_err(|_| StoreError::Corrupt("uuid")))
        .transpose()
}

/// The template version an assessment was made with (any status: it may since be replaced).
pub async fn template_of(db: &Db, template_id: Uuid) -> Result<Option<TemplateRow>> {
    let row = sqlx::query(&format!(
        "SELECT {TCOLS} FROM assessment_template WHERE id = $1"
    ))
    .bind(template_id.to_string())
    .fetch_optional(db.read())
    .await?;
    row.as_ref().map(template_from).transpose()
}
