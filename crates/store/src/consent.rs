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
