//! Files kept on a case: the evidence of a consent (a signed form), or a file attached to a
//! contact (a police report, a photo of a home visit) or to an assessment (a medical
//! certificate). The bytes are stored base64-encoded in TEXT so that the same table serves
//! both databases, sealed with the configured key when there is one
//! (`attachment_key`); listings never read them.

use crate::attachment_key::{AttachmentKey, SEALED};
use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{instant, opt_uuid, uuid};
use crate::time::now_db;
use chrono::{DateTime, Utc};
use sqlx::Row;
use uuid::Uuid;

/// What a file is attached to, besides its case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachedTo {
    /// The case itself.
    Case,
    /// A consent record it evidences.
    Consent(Uuid),
    /// A contact.
    Contact(Uuid),
    /// An assessment.
    Assessment(Uuid),
    /// A payment (a ledger entry of a budget): its receipt.
    Payment(Uuid),
}

/// A file to keep.
#[derive(Debug, Clone)]
pub struct NewAttachment<'a> {
    /// Organisation.
    pub org_id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// The record it belongs to.
    pub to: AttachedTo,
    /// Original file name.
    pub filename: &'a str,
    /// What it is, in the uploader's words.
    pub description: Option<&'a str>,
    /// MIME type (checked against the content).
    pub content_type: &'a str,
    /// The bytes.
    pub content: &'a [u8],
    /// SHA-256 of the bytes, hex.
    pub sha256: &'a str,
    /// Uploaded by.
    pub created_by: Uuid,
}

/// Stores a file, sealed with `key` when one is configured.
pub async fn insert(
    tx: &mut Tx,
    a: &NewAttachment<'_>,
    key: Option<&AttachmentKey>,
) -> Result<Uuid> {
    use base64::Engine;
    let id = Uuid::now_v7();
    let content = match key {
        Some(k) => k.seal(id, a.content).map_err(StoreError::Open)?,
        None => base64::engine::general_purpose::STANDARD.encode(a.content),
    };
    let link = |want: fn(AttachedTo) -> Option<Uuid>| want(a.to).map(|u| u.to_string());
    sqlx::query(
        "INSERT INTO attachment (id, org_id, case_id, consent_id, contact_id, assessment_id, \
         budget_entry_id, filename, description, content_type, size, sha256, content, created_at, \
         created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
    )
    .bind(id.to_string())
    .bind(a.org_id.to_string())
    .bind(a.case_id.to_string())
    .bind(link(|t| match t {
        AttachedTo::Consent(c) => Some(c),
        _ => None,
    }))
    .bind(link(|t| match t {
        AttachedTo::Contact(c) => Some(c),
        _ => None,
    }))
    .bind(link(|t| match t {
        AttachedTo::Assessment(c) => Some(c),
        _ => None,
    }))
    .bind(link(|t| match t {
        AttachedTo::Payment(e) => Some(e),
        _ => None,
    }))
    .bind(a.filename)
    .bind(a.description)
    .bind(a.content_type)
    .bind(a.content.len() as i64)
    .bind(a.sha256)
    .bind(content)
    .bind(now_db())
    .bind(a.created_by.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// A stored file's description (never its bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// The record it belongs to.
    pub to: AttachedTo,
    /// File name.
    pub filename: String,
    /// What it is.
    pub description: Option<String>,
    /// MIME type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// When it was uploaded.
    pub created_at: DateTime<Utc>,
    /// Who uploaded it (display name).
    pub created_by_name: Option<String>,
}

impl AttachmentInfo {
    /// The consent record it evidences, if any.
    pub fn consent_id(&self) -> Option<Uuid> {
        match self.to {
            AttachedTo::Consent(c) => Some(c),
            _ => None,
        }
    }
}

const INFO_COLUMNS: &str = "a.id, a.case_id, a.consent_id, a.contact_id, a.assessment_id, \
    a.budget_entry_id, a.filename, a.description, a.content_type, a.size, a.created_at, u.display_name";

fn info_from(r: &sqlx::any::AnyRow) -> Result<AttachmentInfo> {
    let to = if let Some(c) = opt_uuid(r, "consent_id")? {
        AttachedTo::Consent(c)
    } else if let Some(c) = opt_uuid(r, "contact_id")? {
        AttachedTo::Contact(c)
    } else if let Some(a) = opt_uuid(r, "assessment_id")? {
        AttachedTo::Assessment(a)
    } else if let Some(e) = opt_uuid(r, "budget_entry_id")? {
        AttachedTo::Payment(e)
    } else {
        AttachedTo::Case
    };
    Ok(AttachmentInfo {
        id: uuid(r, "id")?,
        case_id: uuid(r, "case_id")?,
        to,
        filename: r.try_get("filename")?,
        description: r.try_get("description")?,
        content_type: r.try_get("content_type")?,
        size: r.try_get("size")?,
        created_at: instant(r, "created_at")?,
        created_by_name: r.try_get("display_name")?,
    })
}

/// The files of a case, oldest first.
pub async fn of_case(db: &Db, case_id: Uuid) -> Result<Vec<AttachmentInfo>> {
    let rows = sqlx::query(&format!(
        "SELECT {INFO_COLUMNS} FROM attachment a LEFT JOIN account u ON u.id = a.created_by \
         WHERE a.case_id = $1 ORDER BY a.created_at, a.id"
    ))
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(info_from).collect()
}

/// The files of one assessment, oldest first.
pub async fn of_assessment(db: &Db, assessment_id: Uuid) -> Result<Vec<AttachmentInfo>> {
    let rows = sqlx::query(&format!(
        "SELECT {INFO_COLUMNS} FROM attachment a LEFT JOIN account u ON u.id = a.created_by \
         WHERE a.assessment_id = $1 ORDER BY a.created_at, a.id"
    ))
    .bind(assessment_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(info_from).collect()
}

/// The receipts of the payments of one allocation request, oldest first.
pub async fn of_request_payments(db: &Db, request_id: Uuid) -> Result<Vec<AttachmentInfo>> {
    let rows = sqlx::query(&format!(
        "SELECT {INFO_COLUMNS} FROM attachment a LEFT JOIN account u ON u.id = a.created_by \
         JOIN budget_entry e ON e.id = a.budget_entry_id WHERE e.request_id = $1 \
         ORDER BY a.created_at, a.id"
    ))
    .bind(request_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(info_from).collect()
}

/// One file's description.
pub async fn info(db: &Db, id: Uuid) -> Result<Option<AttachmentInfo>> {
    let row = sqlx::query(&format!(
        "SELECT {INFO_COLUMNS} FROM attachment a LEFT JOIN account u ON u.id = a.created_by \
         WHERE a.id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(db.read())
    .await?;
    row.as_ref().map(info_from).transpose()
}

/// One file with its bytes (opened with `key` when it was sealed).
pub async fn get(
    db: &Db,
    id: Uuid,
    key: Option<&AttachmentKey>,
) -> Result<Option<(AttachmentInfo, Vec<u8>)>> {
    use base64::Engine;
    let row = sqlx::query(&format!(
        "SELECT {INFO_COLUMNS}, a.content FROM attachment a \
         LEFT JOIN account u ON u.id = a.created_by WHERE a.id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(db.read())
    .await?;
    let Some(r) = row else { return Ok(None) };
    let content: String = r.try_get("content")?;
    let bytes = if content.starts_with(SEALED) {
        key.ok_or(StoreError::Corrupt(
            "attachment sealed, and no attachment key is configured",
        ))?
        .open(id, &content)
        .ok_or(StoreError::Corrupt(
            "attachment does not open with the configured key",
        ))?
    } else {
        base64::engine::general_purpose::STANDARD
            .decode(content)
            .map_err(|_| StoreError::Corrupt("attachment"))?
    };
    Ok(Some((info_from(&r)?, bytes)))
}

/// Seals up to `batch` files stored before a key was configured, each in its own transaction
/// (only if it is still as read); returns how many unsealed files it found (0: none left).
pub async fn seal_stored(db: &Db, key: &AttachmentKey, batch: i64) -> Result<u64> {
    use base64::Engine;
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, content FROM attachment WHERE content NOT LIKE 'enc1:%' ORDER BY id LIMIT $1",
    )
    .bind(batch)
    .fetch_all(db.read())
    .await?;
    let found = rows.len() as u64;
    for (id, content) in rows {
        let uuid = Uuid::parse_str(&id).map_err(|_| StoreError::Corrupt("uuid"))?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&content)
            .map_err(|_| StoreError::Corrupt("attachment"))?;
        let value = key.seal(uuid, &bytes).map_err(StoreError::Open)?;
        let mut tx = db.begin().await?;
        sqlx::query("UPDATE attachment SET content = $1 WHERE id = $2 AND content = $3")
            .bind(value)
            .bind(&id)
            .bind(&content)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(found)
}
