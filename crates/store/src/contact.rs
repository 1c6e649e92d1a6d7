//! Contacts of a case. A correction bumps the version; the earlier text is kept in `revision`
//! by the use case, in the same transaction.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{flag, instant, list, opt_uuid, uuid};
use crate::time::{now_db, to_db};
use chrono::{DateTime, Utc};
use karuna_domain::contact::ValidContact;
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// A stored contact.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ContactRow {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Kind code.
    pub kind: String,
    /// When.
    pub occurred_at: DateTime<Utc>,
    /// A time of day was recorded (else show the date only).
    pub time_known: bool,
    /// Minutes.
    pub duration_minutes: Option<i64>,
    /// Place.
    pub place: Option<String>,
    /// Note.
    pub note: String,
    /// Source codes.
    pub sources: Vec<String>,
    /// Follow-up needed.
    pub follow_up_needed: bool,
    /// Follow-up.
    pub follow_up_note: Option<String>,
    /// Version (1 = never corrected).
    pub version: i64,
    /// Who recorded it (name).
    pub created_by_name: Option<String>,
    /// Recorded.
    pub created_at: DateTime<Utc>,
    /// Who took part: persons of the case and staff, by id and name.
    pub participants: Vec<Participant>,
}

/// Someone who took part in a contact.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Participant {
    /// A person of the case.
    pub person_id: Option<Uuid>,
    /// A member of staff.
    pub account_id: Option<Uuid>,
}

const COLS: &str = "k.id, k.case_id, k.kind, k.occurred_at, k.time_known, k.duration_minutes, k.place, k.note, k.sources, \
    k.follow_up_needed, k.follow_up_note, k.version, a.display_name AS created_by_name, k.created_at";

fn contact_from(r: &AnyRow) -> Result<ContactRow> {
    Ok(ContactRow {
        id: uuid(r, "id")?,
        case_id: uuid(r, "case_id")?,
        kind: r.try_get("kind")?,
        occurred_at: instant(r, "occurred_at")?,
        time_known: flag(r, "time_known")?,
        duration_minutes: r.try_get("duration_minutes")?,
        place: r.try_get("place")?,
        note: r.try_get("note")?,
        sources: list(r, "sources")?,
        follow_up_needed: flag(r, "follow_up_needed")?,
        follow_up_note: r.try_get("follow_up_note")?,
        version: r.try_get("version")?,
        created_by_name: r.try_get("created_by_name")?,
        created_at: instant(r, "created_at")?,
        participants: Vec::new(),
    })
}

/// Replaces a contact's participants.
pub async fn set_participants(
    tx: &mut Tx,
    contact_id: Uuid,
    persons: &[Uuid],
    accounts: &[Uuid],
) -> Result<()> {
    sqlx::query("DELETE FROM contact_participant WHERE contact_id = $1")
        .bind(contact_id.to_string())
        .execute(&mut **tx)
        .await?;
    let all = persons
        .iter()
        .map(|p| (Some(*p), None))
        .chain(accounts.iter().map(|a| (None, Some(*a))));
    for (i, (person, account)) in all.enumerate() {
        sqlx::query("INSERT INTO contact_participant (contact_id, person_id, account_id, position) VALUES ($1, $2, $3, $4)")
            .bind(contact_id.to_string())
            .bind(person.map(|p: Uuid| p.to_string()))
            .bind(account.map(|a: Uuid| a.to_string()))
            .bind(i as i64)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn attach_participants(db: &Db, contacts: &mut [ContactRow]) -> Result<()> {
    if contacts.is_empty() {
        return Ok(());
    }
    let rows = sqlx::query(
        "SELECT p.contact_id, p.person_id, p.account_id FROM contact_participant p JOIN contact k ON k.id = p.contact_id \
         WHERE k.case_id = $1 ORDER BY p.position",
    )
    .bind(contacts[0].case_id.to_string())
    .fetch_all(db.read())
    .await?;
    for r in &rows {
        let cid = uuid(r, "contact_id")?;
        if let Some(c) = contacts.iter_mut().find(|c| c.id == cid) {
            c.participants.push(Participant {
                person_id: opt_uuid(r, "person_id")?,
                account_id: opt_uuid(r, "account_id")?,
            });
        }
    }
    Ok(())
}

/// Up to `limit` contacts on the cases in `scope` (the case list's need-to-know set), after
/// `after` in id order, each with its case's number: the contacts export's pages.
pub async fn contacts_in_scope(
    db: &Db,
    scope: crate::case_list::Scope,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<(String, ContactRow)>> {
    let sql = format!(
        "SELECT {COLS}, c.number AS case_number FROM contact k JOIN case_file c ON c.id = k.case_id \
         LEFT JOIN account a ON a.id = k.created_by WHERE k.id > $4 AND {} ORDER BY k.id LIMIT {}",
        crate::case_list::scope_set_sql(1),
        limit.clamp(1, 10_000)
    );
    let rows = crate::case_list::scoped_page(db, &sql, scope, after).await?;
    rows.iter()
        .map(|r| Ok((r.try_get("case_number")?, contact_from(r)?)))
        .collect()
}

/// Records a contact.
pub async fn insert(
    tx: &mut Tx,
    org_id: Uuid,
    case_id: Uuid,
    c: &ValidContact,
    by: Uuid,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let now = now_db();
    sqlx::query(
        "INSERT INTO contact (id, org_id, case_id, kind, occurred_at, duration_minutes, place, note, sources, \
         follow_up_needed, follow_up_note, created_at, created_by, updated_at, updated_by, time_known) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $12, $13, $14)",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(case_id.to_string())
    .bind(&c.kind)
    .bind(to_db(c.occurred_at))
    .bind(c.duration_minutes)
    .bind(c.place.clone())
    .bind(&c.note)
    .bind(c.sources.join(","))
    .bind(i64::from(c.follow_up_needed))
    .bind(c.follow_up_note.clone())
    .bind(&now)
    .bind(by.to_string())
    .bind(i64::from(c.time_known))
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    crate::search::index::reindex_contact(tx, id).await?;
    Ok(id)
}

/// Replaces a contact's content if it is still at `version`; returns the new version.
pub async fn correct(
    tx: &mut Tx,
    id: Uuid,
    version: i64,
    c: &ValidContact,
    by: Uuid,
) -> Result<i64> {
    let r = sqlx::query(
        "UPDATE contact SET kind = $1, occurred_at = $2, duration_minutes = $3, place = $4, note = $5, sources = $6, \
         follow_up_needed = $7, follow_up_note = $8, version = version + 1, updated_at = $9, updated_by = $10, \
         time_known = $13 WHERE id = $11 AND version = $12",
    )
    .bind(&c.kind)
    .bind(to_db(c.occurred_at))
    .bind(c.duration_minutes)
    .bind(c.place.clone())
    .bind(&c.note)
    .bind(c.sources.join(","))
    .bind(i64::from(c.follow_up_needed))
    .bind(c.follow_up_note.clone())
    .bind(now_db())
    .bind(by.to_string())
    .bind(id.to_string())
    .bind(version)
    .bind(i64::from(c.time_known))
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    crate::search::index::reindex_contact(tx, id).await?;
    Ok(version + 1)
}

/// One contact with its participants, read in a write transaction.
pub async fn by_id_tx(tx: &mut Tx, id: Uuid) -> Result<Option<ContactRow>> {
    let row = sqlx::query(&format!(
        "SELECT {COLS} FROM contact k LEFT JOIN account a ON a.id = k.created_by WHERE k.id = $1"
    ))
    .bind(id.to_string())
    .fetch_optional(&mut **tx)
    .await?;
    let Some(mut contact) = row.as_ref().map(contact_from).transpose()? else {
        return Ok(None);
    };
    let rows = sqlx::query("SELECT person_id, account_id FROM contact_participant WHERE contact_id = $1 ORDER BY position")
        .bind(id.to_string())
        .fetch_all(&mut **tx)
        .await?;
    for r in &rows {
        contact.participants.push(Participant {
            person_id: opt_uuid(r, "person_id")?,
            account_id: opt_uuid(r, "account_id")?,
        });
    }
    Ok(Some(contact))
}

/// A case's contacts, newest first.
pub async fn for_case(db: &Db, case_id: Uuid, limit: i64) -> Result<Vec<ContactRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} FROM contact k LEFT JOIN account a ON a.id = k.created_by WHERE k.case_id = $1 \
         ORDER BY k.occurred_at DESC, k.id DESC LIMIT $2"
    ))
    .bind(case_id.to_string())
    .bind(limit)
    .fetch_all(db.read())
    .await?;
    let mut contacts = rows.iter().map(contact_from).collect::<Result<Vec<_>>>()?;
    attach_participants(db, &mut contacts).await?;
    Ok(contacts)
}

/// The case a contact belongs to.
pub async fn case_of(db: &Db, id: Uuid) -> Result<Option<Uuid>> {
    let s: Option<String> = sqlx::query_scalar("SELECT case_id FROM contact WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    s.map(|s| Uuid::parse_str(&s).map_err(|_| StoreError::Corrupt("uuid")))
        .transpose()
}
