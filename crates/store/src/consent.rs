//! Consent records (PDPA): per person and purpose, granted, refused or withdrawn, or the lawful
//! basis used instead. Records are only ever added; the latest per purpose is in force.

use crate::db::{Db, Tx};
use crate::error::Result;
use crate::row::{instant, uuid};
use crate::time::now_db;
use chrono::{DateTime, Utc};
use sqlx::Row;
use uuid::Uuid;

/// A consent record to store.
#[derive(Debug, Clone)]
pub struct NewConsent<'a> {
    /// Organisation.
    pub org_id: Uuid,
    /// Whose consent.
    pub person_id: Uuid,
    /// The case it was recorded in.
    pub case_id: Option<Uuid>,
    /// Purpose code.
    pub purpose: &'a str,
    /// The named agency, for sharing.
    pub agency: Option<&'a str>,
    /// `granted`, `refused`, `withdrawn`, or `basis` when a lawful basis applies.
    pub status: &'a str,
    /// The lawful basis.
    pub lawful_basis: Option<&'a str>,
    /// Evidence.
    pub evidence_note: Option<&'a str>,
    /// Recorded by.
    pub recorded_by: Uuid,
}

/// Stores a consent record.
pub async fn insert(tx: &mut Tx, c: &NewConsent<'_>) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO consent (id, org_id, person_id, case_id, purpose, agency, status, lawful_basis, evidence_note, \
         recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id.to_string())
    .bind(c.org_id.to_string())
    .bind(c.person_id.to_string())
    .bind(c.case_id.map(|x| x.to_string()))
    .bind(c.purpose)
    .bind(c.agency)
    .bind(c.status)
    .bind(c.lawful_basis)
    .bind(c.evidence_note)
    .bind(now_db())
    .bind(c.recorded_by.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// A stored consent record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRow {
    /// Id.
    pub id: Uuid,
    /// Whose.
    pub person_id: Uuid,
    /// Purpose.
    pub purpose: String,
    /// Agency.
    pub agency: Option<String>,
    /// Status.
    pub status: String,
    /// Lawful basis.
    pub lawful_basis: Option<String>,
    /// Evidence.
    pub evidence_note: Option<String>,
    /// When.
    pub recorded_at: DateTime<Utc>,
    /// By whom (name).
    pub recorded_by: Option<String>,
}

/// Every consent record of the persons of a case, newest first.
pub async fn for_case_persons(db: &Db, case_id: Uuid) -> Result<Vec<ConsentRow>> {
    let rows = sqlx::query(
        "SELECT c.id, c.person_id, c.purpose, c.agency, c.status, c.lawful_basis, c.evidence_note, c.recorded_at, \
         a.display_name AS recorded_by FROM consent c LEFT JOIN account a ON a.id = c.recorded_by \
         WHERE c.person_id IN (SELECT person_id FROM case_person WHERE case_id = $1) ORDER BY c.recorded_at DESC, c.id DESC",
    )
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ConsentRow {
                id: uuid(r, "id")?,
                person_id: uuid(r, "person_id")?,
                purpose: r.try_get("purpose")?,
                agency: r.try_get("agency")?,
                status: r.try_get("status")?,
                lawful_basis: r.try_get("lawful_basis")?,
                evidence_note: r.try_get("evidence_note")?,
                recorded_at: instant(r, "recorded_at")?,
                recorded_by: r.try_get("recorded_by")?,
            })
        })
        .collect()
}

/// A file to keep as evidence.
#[derive(Debug, Clone)]
pub struct NewAttachment<'a> {
    /// Organisation.
    pub org_id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// The consent record it evidences.
    pub consent_id: Option<Uuid>,
    /// Original file name.
    pub filename: &'a str,
    /// MIME type (checked against the content).
    pub content_type: &'a str,
    /// The bytes.
    pub content: &'a [u8],
    /// SHA-256 of the bytes, hex.
    pub sha256: &'a str,
    /// Uploaded by.
    pub created_by: Uuid,
}

/// Stores a file (base64 in a TEXT column, portable across both databases).
pub async fn insert_attachment(tx: &mut Tx, a: &NewAttachment<'_>) -> Result<Uuid> {
    use base64::Engine;
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO attachment (id, org_id, case_id, consent_id, filename, content_type, size, sha256, content, \
         created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id.to_string())
    .bind(a.org_id.to_string())
    .bind(a.case_id.to_string())
    .bind(a.consent_id.map(|c| c.to_string()))
    .bind(a.filename)
    .bind(a.content_type)
    .bind(a.content.len() as i64)
    .bind(a.sha256)
    .bind(base64::engine::general_purpose::STANDARD.encode(a.content))
    .bind(now_db())
    .bind(a.created_by.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// A stored file's description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Consent record.
    pub consent_id: Option<Uuid>,
    /// File name.
    pub filename: String,
    /// MIME type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
}

fn info_from(r: &sqlx::any::AnyRow) -> Result<AttachmentInfo> {
    Ok(AttachmentInfo {
        id: uuid(r, "id")?,
        case_id: uuid(r, "case_id")?,
        consent_id: crate::row::opt_uuid(r, "consent_id")?,
        filename: r.try_get("filename")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
    })
}

/// The files of a case.
pub async fn attachments_of_case(db: &Db, case_id: Uuid) -> Result<Vec<AttachmentInfo>> {
    let rows = sqlx::query("SELECT id, case_id, consent_id, filename, content_type, size FROM attachment WHERE case_id = $1 ORDER BY created_at")
        .bind(case_id.to_string())
        .fetch_all(db.read())
        .await?;
    rows.iter().map(info_from).collect()
}

/// One file with its bytes.
pub async fn attachment(db: &Db, id: Uuid) -> Result<Option<(AttachmentInfo, Vec<u8>)>> {
    use base64::Engine;
    let row = sqlx::query("SELECT id, case_id, consent_id, filename, content_type, size, content FROM attachment WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    let Some(r) = row else { return Ok(None) };
    let content: String = r.try_get("content")?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content)
        .map_err(|_| crate::StoreError::Corrupt("attachment"))?;
    Ok(Some((info_from(&r)?, bytes)))
}
