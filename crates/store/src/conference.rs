//! Case conferences: the meeting, its agenda of cases, its attendees, and each case's minutes
//! as versions.

use crate::case_list::{scope_sql, Scope};
use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{instant, opt_instant, opt_uuid, uuid};
use crate::time::{now_db, to_db};
use chrono::{DateTime, Utc};
use karuna_domain::conference::Minutes;
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// A conference to record.
#[derive(Debug, Clone)]
pub struct NewConference<'a> {
    /// Organisation.
    pub org_id: Uuid,
    /// Title.
    pub title: &'a str,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// Where.
    pub place: Option<&'a str>,
    /// Online link.
    pub online_link: Option<&'a str>,
    /// Chair.
    pub chair_id: Uuid,
    /// Who scheduled it.
    pub created_by: Uuid,
    /// The agenda, in order.
    pub cases: &'a [Uuid],
    /// Colleagues attending.
    pub staff: &'a [Uuid],
    /// People of other agencies: name, organisation, role.
    pub outside: &'a [(String, String, String)],
}

/// Records a conference with its agenda and attendees (status `scheduled`).
pub async fn insert(tx: &mut Tx, c: &NewConference<'_>) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO conference (id, org_id, title, starts_at, place, online_link, chair_id, status, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'scheduled', $8, $9)",
    )
    .bind(id.to_string())
    .bind(c.org_id.to_string())
    .bind(c.title)
    .bind(to_db(c.starts_at))
    .bind(c.place)
    .bind(c.online_link)
    .bind(c.chair_id.to_string())
    .bind(c.created_by.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    for (i, case) in c.cases.iter().enumerate() {
        sqlx::query(
            "INSERT INTO conference_case (conference_id, case_id, position) VALUES ($1, $2, $3)",
        )
        .bind(id.to_string())
        .bind(case.to_string())
        .bind(i as i64)
        .execute(&mut **tx)
        .await?;
    }
    let mut position = 0_i64;
    for a in c.staff {
        insert_attendee(tx, id, Some(*a), None, position).await?;
        position += 1;
    }
    for o in c.outside {
        insert_attendee(tx, id, None, Some(o), position).await?;
        position += 1;
    }
    Ok(id)
}

async fn insert_attendee(
    tx: &mut Tx,
    conference: Uuid,
    account: Option<Uuid>,
    outside: Option<&(String, String, String)>,
    position: i64,
) -> Result<()> {
    let opt = |s: &String| Some(s.clone()).filter(|s| !s.is_empty());
    sqlx::query(
        "INSERT INTO conference_attendee (id, conference_id, account_id, name, organisation, role, position) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(conference.to_string())
    .bind(account.map(|a| a.to_string()))
    .bind(outside.map(|o| o.0.clone()))
    .bind(outside.and_then(|o| opt(&o.1)))
    .bind(outside.and_then(|o| opt(&o.2)))
    .bind(position)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A stored conference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConferenceRow {
    /// Id.
    pub id: Uuid,
    /// Organisation.
    pub org_id: Uuid,
    /// Title.
    pub title: String,
    /// When it starts.
    pub starts_at: DateTime<Utc>,
    /// Where.
    pub place: Option<String>,
    /// Online link.
    pub online_link: Option<String>,
    /// Chair.
    pub chair_id: Uuid,
    /// Chair's name.
    pub chair_name: String,
    /// `scheduled` or `confirmed` (minutes confirmed at least once).
    pub status: String,
    /// Who scheduled it.
    pub created_by_name: String,
    /// When its minutes were last confirmed.
    pub confirmed_at: Option<DateTime<Utc>>,
}

const COLS: &str = "f.id, f.org_id, f.title, f.starts_at, f.place, f.online_link, f.chair_id, \
    ch.display_name AS chair_name, f.status, cr.display_name AS created_by_name, f.confirmed_at \
    FROM conference f JOIN account ch ON ch.id = f.chair_id JOIN account cr ON cr.id = f.created_by";

fn conference_from(r: &AnyRow) -> Result<ConferenceRow> {
    Ok(ConferenceRow {
        id: uuid(r, "id")?,
        org_id: uuid(r, "org_id")?,
        title: r.try_get("title")?,
        starts_at: instant(r, "starts_at")?,
        place: r.try_get("place")?,
        online_link: r.try_get("online_link")?,
        chair_id: uuid(r, "chair_id")?,
        chair_name: r.try_get("chair_name")?,
        status: r.try_get("status")?,
        created_by_name: r.try_get("created_by_name")?,
        confirmed_at: opt_instant(r, "confirmed_at")?,
    })
}

/// One conference.
pub async fn by_id(db: &Db, id: Uuid) -> Result<Option<ConferenceRow>> {
    let row = sqlx::query(&format!("SELECT {COLS} WHERE f.id = $1"))
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    row.as_ref().map(conference_from).transpose()
}

/// The conferences with `case_id` on the agenda, latest first.
pub async fn for_case(db: &Db, case_id: Uuid) -> Result<Vec<ConferenceRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} WHERE f.id IN (SELECT conference_id FROM conference_case WHERE case_id = $1) \
         ORDER BY f.starts_at DESC, f.id DESC"
    ))
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(conference_from).collect()
}

/// The conferences with at least one case within `scope` on the agenda, latest first, at most
/// `limit`.
pub async fn list(db: &Db, scope: Scope, limit: i64) -> Result<Vec<ConferenceRow>> {
    let sql = format!(
        "SELECT {COLS} WHERE f.org_id = $1 AND EXISTS (SELECT 1 FROM conference_case cc \
         JOIN case_file c ON c.id = cc.case_id WHERE cc.conference_id = f.id AND {scope}) \
         ORDER BY f.starts_at DESC, f.id DESC LIMIT {limit}",
        scope = scope_sql(1),
        limit = limit.clamp(1, 500)
    );
    let rows = sqlx::query(&sql)
        .bind(scope.org_id.to_string())
        .bind(scope.actor_id.to_string())
        .bind(
            scope
                .supervisor_unit
                .map(|u| u.to_string())
                .unwrap_or_default(),
        )
        .fetch_all(db.read())
        .await?;
    rows.iter().map(conference_from).collect()
}

/// The agenda: (case id, case number), in order.
pub async fn cases(db: &Db, id: Uuid) -> Result<Vec<(Uuid, String)>> {
    let rows = sqlx::query(
        "SELECT cc.case_id, c.number FROM conference_case cc JOIN case_file c ON c.id = cc.case_id \
         WHERE cc.conference_id = $1 ORDER BY cc.position",
    )
    .bind(id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| Ok((uuid(r, "case_id")?, r.try_get("number")?)))
        .collect()
}

/// An attendee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendeeRow {
    /// A colleague's account.
    pub account_id: Option<Uuid>,
    /// Name (the account's display name for a colleague).
    pub name: String,
    /// Agency (outside) or none.
    pub organisation: Option<String>,
    /// Role (outside) or the colleague's profession code.
    pub role: Option<String>,
}

/// The attendees, colleagues first, in the order given.
pub async fn attendees(db: &Db, id: Uuid) -> Result<Vec<AttendeeRow>> {
    let rows = sqlx::query(
        "SELECT t.account_id, COALESCE(a.display_name, t.name) AS name, t.organisation, \
         COALESCE(t.role, a.profession) AS role FROM conference_attendee t \
         LEFT JOIN account a ON a.id = t.account_id WHERE t.conference_id = $1 ORDER BY t.position",
    )
    .bind(id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AttendeeRow {
                account_id: opt_uuid(r, "account_id")?,
                name: r.try_get::<Option<String>, _>("name")?.unwrap_or_default(),
                organisation: r.try_get("organisation")?,
                role: r.try_get("role")?,
            })
        })
        .collect()
}

/// One version of a case's minutes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutesRow {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Version number (1, 2, …) within the case.
    pub number: i64,
    /// The minutes.
    pub content: Minutes,
    /// Why it changed confirmed minutes.
    pub reason: Option<String>,
    /// `draft`, `confirmed` or `superseded`.
    pub status: String,
    /// Author's name.
    pub written_by_name: String,
    /// When written.
    pub written_at: DateTime<Utc>,
    /// Who confirmed it.
    pub confirmed_by_name: Option<String>,
    /// When.
    pub confirmed_at: Option<DateTime<Utc>>,
}

const MINUTES_COLS: &str = "m.id, m.case_id, m.number, m.content, m.reason, m.status, \
    w.display_name AS written_by_name, m.written_at, k.display_name AS confirmed_by_name, m.confirmed_at \
    FROM conference_minutes m JOIN account w ON w.id = m.written_by LEFT JOIN account k ON k.id = m.confirmed_by";

fn minutes_from(r: &AnyRow) -> Result<MinutesRow> {
    let content: String = r.try_get("content")?;
    Ok(MinutesRow {
        id: uuid(r, "id")?,
        case_id: uuid(r, "case_id")?,
        number: r.try_get("number")?,
        content: serde_json::from_str(&content).map_err(|_| StoreError::Corrupt("minutes"))?,
        reason: r.try_get("reason")?,
        status: r.try_get("status")?,
        written_by_name: r.try_get("written_by_name")?,
        written_at: instant(r, "written_at")?,
        confirmed_by_name: r.try_get("confirmed_by_name")?,
        confirmed_at: opt_instant(r, "confirmed_at")?,
    })
}

/// Every version of the minutes of a conference, per case newest first.
pub async fn minutes(db: &Db, conference: Uuid) -> Result<Vec<MinutesRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {MINUTES_COLS} WHERE m.conference_id = $1 ORDER BY m.case_id, m.number DESC"
    ))
    .bind(conference.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(minutes_from).collect()
}

/// The latest version of one case's minutes, in a write transaction.
pub async fn latest_tx(tx: &mut Tx, conference: Uuid, case_id: Uuid) -> Result<Option<MinutesRow>> {
    let row = sqlx::query(&format!(
        "SELECT {MINUTES_COLS} WHERE m.conference_id = $1 AND m.case_id = $2 ORDER BY m.number DESC LIMIT 1"
    ))
    .bind(conference.to_string())
    .bind(case_id.to_string())
    .fetch_optional(&mut **tx)
    .await?;
    row.as_ref().map(minutes_from).transpose()
}

/// The drafts awaiting the chair's confirmation (the latest version of each case, if a draft).
pub async fn drafts_tx(tx: &mut Tx, conference: Uuid) -> Result<Vec<MinutesRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {MINUTES_COLS} WHERE m.conference_id = $1 AND m.status = 'draft' ORDER BY m.case_id"
    ))
    .bind(conference.to_string())
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(minutes_from).collect()
}

/// Writes a new version of one case's minutes (status `draft`); a draft it replaces is
/// superseded (a confirmed one stays confirmed until its successor is).
pub async fn insert_minutes(
    tx: &mut Tx,
    conference: Uuid,
    case_id: Uuid,
    number: i64,
    content: &Minutes,
    reason: Option<&str>,
    by: Uuid,
) -> Result<Uuid> {
    let json = serde_json::to_string(content).map_err(|_| StoreError::Corrupt("minutes"))?;
    sqlx::query(
        "UPDATE conference_minutes SET status = 'superseded' WHERE conference_id = $1 AND case_id = $2 \
         AND status = 'draft'",
    )
    .bind(conference.to_string())
    .bind(case_id.to_string())
    .execute(&mut **tx)
    .await?;
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO conference_minutes (id, conference_id, case_id, number, content, reason, status, \
         written_by, written_at) VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8)",
    )
    .bind(id.to_string())
    .bind(conference.to_string())
    .bind(case_id.to_string())
    .bind(number)
    .bind(json)
    .bind(reason)
    .bind(by.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(id)
}

/// Confirms a draft: it becomes the case's confirmed minutes, the one before superseded.
pub async fn confirm_minutes(
    tx: &mut Tx,
    m: &MinutesRow,
    conference: Uuid,
    by: Uuid,
) -> Result<()> {
    sqlx::query(
        "UPDATE conference_minutes SET status = 'superseded' WHERE conference_id = $1 AND case_id = $2 \
         AND status = 'confirmed'",
    )
    .bind(conference.to_string())
    .bind(m.case_id.to_string())
    .execute(&mut **tx)
    .await?;
    let r = sqlx::query(
        "UPDATE conference_minutes SET status = 'confirmed', confirmed_by = $1, confirmed_at = $2 \
         WHERE id = $3 AND status = 'draft'",
    )
    .bind(by.to_string())
    .bind(now_db())
    .bind(m.id.to_string())
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(())
}

/// Marks the conference's minutes confirmed (now).
pub async fn set_confirmed(tx: &mut Tx, id: Uuid) -> Result<()> {
    sqlx::query(
        "UPDATE conference SET status = 'confirmed', confirmed_at = $1, version = version + 1 WHERE id = $2",
    )
    .bind(now_db())
    .bind(id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
