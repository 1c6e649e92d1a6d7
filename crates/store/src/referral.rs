//! Referrals, their history, service agreements, check-ins and alerts; the alert job's queries
//! (no answer by the due date, check-ins missed, open referrals of a service that closed); and
//! the counts the advocacy reports build on.

use crate::case_list::{scope_sql, Scope};
use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{date_db, instant, opt_date, opt_instant, opt_uuid, uuid};
use crate::time::now_db;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// A new referral.
#[derive(Debug, Clone)]
pub struct NewReferral<'a> {
    /// Id.
    pub id: Uuid,
    /// Organisation.
    pub org_id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Directory service.
    pub service_id: Option<Uuid>,
    /// Its provider.
    pub provider_id: Option<Uuid>,
    /// The provider's name (the directory's at the time, or typed).
    pub provider_name: &'a str,
    /// The service's name at the time.
    pub service_name: Option<&'a str>,
    /// How to reach an ad hoc provider.
    pub provider_contact: Option<&'a str>,
    /// Plan intervention.
    pub intervention_id: Option<Uuid>,
    /// Need.
    pub need: &'a str,
    /// Requested service.
    pub requested_service: &'a str,
    /// Urgency code.
    pub urgency: &'a str,
    /// Shared item codes, space-separated.
    pub shared_items: &'a str,
    /// `consent` or a lawful basis code (none when nothing is shared).
    pub sharing_basis: Option<&'a str>,
    /// The consent record relied on.
    pub consent_id: Option<Uuid>,
    /// Why outside the client's area.
    pub area_reason: Option<&'a str>,
    /// Response due.
    pub response_due: NaiveDate,
    /// Who.
    pub created_by: Uuid,
}

/// Stores a new referral as a draft, with its first event.
pub async fn insert(tx: &mut Tx, r: &NewReferral<'_>) -> Result<()> {
    let now = now_db();
    sqlx::query(
        "INSERT INTO referral (id, org_id, case_id, service_id, provider_id, provider_name, service_name, \
         provider_contact, intervention_id, need, requested_service, urgency, shared_items, sharing_basis, \
         consent_id, area_reason, status, response_due, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'draft', $17, $18, $19, $19)",
    )
    .bind(r.id.to_string())
    .bind(r.org_id.to_string())
    .bind(r.case_id.to_string())
    .bind(r.service_id.map(|s| s.to_string()))
    .bind(r.provider_id.map(|s| s.to_string()))
    .bind(r.provider_name)
    .bind(r.service_name)
    .bind(r.provider_contact)
    .bind(r.intervention_id.map(|s| s.to_string()))
    .bind(r.need)
    .bind(r.requested_service)
    .bind(r.urgency)
    .bind(r.shared_items)
    .bind(r.sharing_basis)
    .bind(r.consent_id.map(|s| s.to_string()))
    .bind(r.area_reason)
    .bind(date_db(r.response_due))
    .bind(r.created_by.to_string())
    .bind(&now)
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    add_event(tx, r.id, "created", Some("draft"), None, Some(r.created_by)).await
}

/// Adds a step of a referral's history.
pub async fn add_event(
    tx: &mut Tx,
    referral: Uuid,
    kind: &str,
    to_status: Option<&str>,
    reason: Option<&str>,
    actor: Option<Uuid>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO referral_event (id, referral_id, kind, to_status, reason, actor_id, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::now_v7().to_string())
    .bind(referral.to_string())
    .bind(kind)
    .bind(to_status)
    .bind(reason)
    .bind(actor.map(|a| a.to_string()))
    .bind(now_db())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A stored referral.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralRow {
    /// Id.
    pub id: Uuid,
    /// Organisation.
    pub org_id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Case number.
    pub case_number: String,
    /// Directory service.
    pub service_id: Option<Uuid>,
    /// Its provider.
    pub provider_id: Option<Uuid>,
    /// Provider name.
    pub provider_name: String,
    /// Service name.
    pub service_name: Option<String>,
    /// Ad hoc contact.
    pub provider_contact: Option<String>,
    /// Plan intervention.
    pub intervention_id: Option<Uuid>,
    /// Need.
    pub need: String,
    /// Requested service.
    pub requested_service: String,
    /// Urgency code.
    pub urgency: String,
    /// Shared item codes.
    pub shared_items: Vec<String>,
    /// `consent` or a lawful basis.
    pub sharing_basis: Option<String>,
    /// Why outside the area.
    pub area_reason: Option<String>,
    /// Status code.
    pub status: String,
    /// Why (the last step's reason).
    pub status_reason: Option<String>,
    /// Why declined, as a code.
    pub reason_code: Option<String>,
    /// Who ended it at the provider.
    pub ended_by: Option<String>,
    /// What was delivered.
    pub outcome: Option<String>,
    /// Answer due.
    pub response_due: Option<NaiveDate>,
    /// Sent.
    pub sent_at: Option<DateTime<Utc>>,
    /// Service began on.
    pub service_started_on: Option<NaiveDate>,
    /// Closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Who referred.
    pub created_by: Uuid,
    /// Their name.
    pub created_by_name: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Version.
    pub version: i64,
}

const COLS: &str = "r.id, r.org_id, r.case_id, c.number AS case_number, r.service_id, r.provider_id, \
    r.provider_name, r.service_name, r.provider_contact, r.intervention_id, r.need, r.requested_service, \
    r.urgency, r.shared_items, r.sharing_basis, r.area_reason, r.status, r.status_reason, r.reason_code, \
    r.ended_by, r.outcome, r.response_due, r.sent_at, r.service_started_on, r.closed_at, r.created_by, \
    a.display_name AS created_by_name, r.created_at, r.version \
    FROM referral r JOIN case_file c ON c.id = r.case_id JOIN account a ON a.id = r.created_by";

fn from_row(r: &AnyRow) -> Result<ReferralRow> {
    Ok(ReferralRow {
        id: uuid(r, "id")?,
        org_id: uuid(r, "org_id")?,
        case_id: uuid(r, "case_id")?,
        case_number: r.try_get("case_number")?,
        service_id: opt_uuid(r, "service_id")?,
        provider_id: opt_uuid(r, "provider_id")?,
        provider_name: r.try_get("provider_name")?,
        service_name: r.try_get("service_name")?,
        provider_contact: r.try_get("provider_contact")?,
        intervention_id: opt_uuid(r, "intervention_id")?,
        need: r.try_get("need")?,
        requested_service: r.try_get("requested_service")?,
        urgency: r.try_get("urgency")?,
        shared_items: r
            .try_get::<String, _>("shared_items")?
            .split_whitespace()
            .map(str::to_string)
            .collect(),
        sharing_basis: r.try_get("sharing_basis")?,
        area_reason: r.try_get("area_reason")?,
        status: r.try_get("status")?,
        status_reason: r.try_get("status_reason")?,
        reason_code: r.try_get("reason_code")?,
        ended_by: r.try_get("ended_by")?,
        outcome: r.try_get("outcome")?,
        response_due: opt_date(r, "response_due")?,
        sent_at: opt_instant(r, "sent_at")?,
        service_started_on: opt_date(r, "service_started_on")?,
        closed_at: opt_instant(r, "closed_at")?,
        created_by: uuid(r, "created_by")?,
        created_by_name: r.try_get("created_by_name")?,
        created_at: instant(r, "created_at")?,
        version: r.try_get("version")?,
    })
}

/// One referral.
pub async fn get(db: &Db, id: Uuid) -> Result<Option<ReferralRow>> {
    let row = sqlx::query(&format!("SELECT {COLS} WHERE r.id = $1"))
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// A case's referrals, newest first.
pub async fn for_case(db: &Db, case_id: Uuid) -> Result<Vec<ReferralRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} WHERE r.case_id = $1 ORDER BY r.created_at DESC, r.id DESC LIMIT 500"
    ))
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(from_row).collect()
}

/// The open referrals on cases within `scope` (a supervisor's unit, a worker's cases), the
/// ones past their answer's due date first.
pub async fn open_in_scope(db: &Db, scope: Scope, limit: i64) -> Result<Vec<ReferralRow>> {
    let sql = format!(
        "SELECT {COLS} WHERE {} AND r.status IN ('sent', 'acknowledged', 'accepted', 'in_service') \
         ORDER BY r.response_due, r.created_at LIMIT {}",
        scope_sql(1),
        limit.clamp(1, 1000)
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
    rows.iter().map(from_row).collect()
}

/// What a step changes.
#[derive(Debug, Clone)]
pub struct StepWrite<'a> {
    /// The new status code.
    pub status: &'a str,
    /// The step's reason.
    pub reason: Option<&'a str>,
    /// Why declined.
    pub reason_code: Option<&'a str>,
    /// Who ended it.
    pub ended_by: Option<&'a str>,
    /// What was delivered.
    pub outcome: Option<&'a str>,
    /// The step is `send`.
    pub sent: bool,
    /// The step starts the service (today).
    pub started_on: Option<NaiveDate>,
    /// The step closes the referral; reopening clears it.
    pub closed: Option<bool>,
}

/// Moves a referral at `version`; returns the new version.
pub async fn set_status(tx: &mut Tx, id: Uuid, version: i64, w: &StepWrite<'_>) -> Result<i64> {
    let now = now_db();
    let r = sqlx::query(
        "UPDATE referral SET status = $1, status_reason = $2, \
         reason_code = COALESCE($3, reason_code), ended_by = COALESCE($4, ended_by), \
         outcome = COALESCE($5, outcome), \
         sent_at = CASE WHEN $6 = 1 THEN $7 ELSE sent_at END, \
         service_started_on = COALESCE($8, service_started_on), \
         closed_at = CASE WHEN $9 = 1 THEN $7 WHEN $9 = 0 THEN NULL ELSE closed_at END, \
         updated_at = $7, version = version + 1 WHERE id = $10 AND version = $11",
    )
    .bind(w.status)
    .bind(w.reason)
    .bind(w.reason_code)
    .bind(w.ended_by)
    .bind(w.outcome)
    .bind(i64::from(w.sent))
    .bind(&now)
    .bind(w.started_on.map(date_db))
    .bind(match w.closed {
        Some(true) => 1_i64,
        Some(false) => 0,
        None => 2,
    })
    .bind(id.to_string())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(version + 1)
}

/// Bumps a referral's version (an agreement or a check-in changed it); stale: an error.
pub async fn touch(tx: &mut Tx, id: Uuid, version: i64) -> Result<i64> {
    let r = sqlx::query(
        "UPDATE referral SET updated_at = $1, version = version + 1 WHERE id = $2 AND version = $3",
    )
    .bind(now_db())
    .bind(id.to_string())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(version + 1)
}

/// One step of a referral's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRow {
    /// `created`, a step code, `agreement` or `check_in`.
    pub kind: String,
    /// The status it led to.
    pub to_status: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// Who (name).
    pub actor: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

impl EventRow {
    /// Reads a history row selected as `kind, to_status, reason, actor, at` (the referral's
    /// and the allocation request's histories share the shape).
    pub(crate) fn from_row(r: &AnyRow) -> Result<EventRow> {
        Ok(EventRow {
            kind: r.try_get("kind")?,
            to_status: r.try_get("to_status")?,
            reason: r.try_get("reason")?,
            actor: r.try_get("actor")?,
            at: instant(r, "at")?,
        })
    }
}

/// A referral's history, oldest first.
pub async fn events(db: &Db, referral: Uuid) -> Result<Vec<EventRow>> {
    let rows = sqlx::query(
        "SELECT e.kind, e.to_status, e.reason, a.display_name AS actor, e.at FROM referral_event e \
         LEFT JOIN account a ON a.id = e.actor_id WHERE e.referral_id = $1 ORDER BY e.at, e.id",
    )
    .bind(referral.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(EventRow::from_row).collect()
}

/// The events of a case's referrals, for its timeline: (referral, provider name, event).
pub async fn events_of_case(db: &Db, case_id: Uuid) -> Result<Vec<(Uuid, String, EventRow)>> {
    let rows = sqlx::query(
        "SELECT e.referral_id, r.provider_name, e.kind, e.to_status, e.reason, a.display_name AS actor, e.at \
         FROM referral_event e JOIN referral r ON r.id = e.referral_id \
         LEFT JOIN account a ON a.id = e.actor_id WHERE r.case_id = $1 ORDER BY e.at, e.id LIMIT 5000",
    )
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok((
                uuid(r, "referral_id")?,
                r.try_get("provider_name")?,
                EventRow::from_row(r)?,
            ))
        })
        .collect()
}

/// A service agreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementRow {
    /// What.
    pub what: String,
    /// How often.
    pub frequency: String,
    /// From.
    pub start_on: NaiveDate,
    /// To.
    pub end_on: NaiveDate,
    /// Contact.
    pub contact_person: String,
}

/// Records (or replaces) a referral's agreement and replaces its planned check-ins not yet
/// done.
pub async fn put_agreement(
    tx: &mut Tx,
    referral: Uuid,
    a: &AgreementRow,
    check_ins: &[NaiveDate],
    by: Uuid,
) -> Result<()> {
    let now = now_db();
    sqlx::query("DELETE FROM referral_agreement WHERE referral_id = $1")
        .bind(referral.to_string())
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO referral_agreement (referral_id, what, frequency, start_on, end_on, contact_person, \
         recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(referral.to_string())
    .bind(&a.what)
    .bind(&a.frequency)
    .bind(date_db(a.start_on))
    .bind(date_db(a.end_on))
    .bind(&a.contact_person)
    .bind(by.to_string())
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM referral_check_in WHERE referral_id = $1 AND done_on IS NULL")
        .bind(referral.to_string())
        .execute(&mut **tx)
        .await?;
    for d in check_ins {
        sqlx::query("INSERT INTO referral_check_in (id, referral_id, due_on) VALUES ($1, $2, $3)")
            .bind(Uuid::now_v7().to_string())
            .bind(referral.to_string())
            .bind(date_db(*d))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A referral's agreement, if any.
pub async fn agreement(db: &Db, referral: Uuid) -> Result<Option<AgreementRow>> {
    let row = sqlx::query(
        "SELECT what, frequency, start_on, end_on, contact_person FROM referral_agreement WHERE referral_id = $1",
    )
    .bind(referral.to_string())
    .fetch_optional(db.read())
    .await?;
    row.map(|r| {
        Ok(AgreementRow {
            what: r.try_get("what")?,
            frequency: r.try_get("frequency")?,
            start_on: crate::row::date(&r, "start_on")?,
            end_on: crate::row::date(&r, "end_on")?,
            contact_person: r.try_get("contact_person")?,
        })
    })
    .transpose()
}

/// A check-in, planned or done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInRow {
    /// Id.
    pub id: Uuid,
    /// Planned for.
    pub due_on: Option<NaiveDate>,
    /// Done on.
    pub done_on: Option<NaiveDate>,
    /// `as_agreed`, `partly`, `not_delivered`.
    pub delivered: Option<String>,
    /// The client's view.
    pub client_view: Option<String>,
    /// The note.
    pub note: Option<String>,
}

/// A referral's check-ins by date.
pub async fn check_ins(db: &Db, referral: Uuid) -> Result<Vec<CheckInRow>> {
    let rows = sqlx::query(
        "SELECT id, due_on, done_on, delivered, client_view, note FROM referral_check_in \
         WHERE referral_id = $1 ORDER BY COALESCE(due_on, done_on), id",
    )
    .bind(referral.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(CheckInRow {
                id: uuid(r, "id")?,
                due_on: opt_date(r, "due_on")?,
                done_on: opt_date(r, "done_on")?,
                delivered: r.try_get("delivered")?,
                client_view: r.try_get("client_view")?,
                note: r.try_get("note")?,
            })
        })
        .collect()
}

/// Records a check-in: the planned one of `due` (false when there is none not yet done), or
/// a new one when `due` is none.
#[allow(clippy::too_many_arguments)]
pub async fn record_check_in(
    tx: &mut Tx,
    referral: Uuid,
    due: Option<NaiveDate>,
    today: NaiveDate,
    delivered: &str,
    client_view: Option<&str>,
    note: Option<&str>,
    by: Uuid,
) -> Result<bool> {
    let now = now_db();
    match due {
        Some(d) => {
            let r = sqlx::query(
                "UPDATE referral_check_in SET done_on = $1, delivered = $2, client_view = $3, note = $4, \
                 recorded_by = $5, recorded_at = $6 WHERE referral_id = $7 AND due_on = $8 AND done_on IS NULL",
            )
            .bind(date_db(today))
            .bind(delivered)
            .bind(client_view)
            .bind(note)
            .bind(by.to_string())
            .bind(&now)
            .bind(referral.to_string())
            .bind(date_db(d))
            .execute(&mut **tx)
            .await?;
            Ok(r.rows_affected() > 0)
        }
        None => {
            sqlx::query(
                "INSERT INTO referral_check_in (id, referral_id, done_on, delivered, client_view, note, \
                 recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(Uuid::now_v7().to_string())
            .bind(referral.to_string())
            .bind(date_db(today))
            .bind(delivered)
            .bind(client_view)
            .bind(note)
            .bind(by.to_string())
            .bind(&now)
            .execute(&mut **tx)
            .await?;
            Ok(true)
        }
    }
}

/// An alert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRow {
    /// Id.
    pub id: Uuid,
    /// Referral.
    pub referral_id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Kind code.
    pub kind: String,
    /// The provider's name.
    pub provider_name: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Acknowledged.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// By (name).
    pub acknowledged_by: Option<String>,
    /// What was done.
    pub action_taken: Option<String>,
}

/// Writes an alert unless one with the same key exists; returns its id when written.
pub async fn raise(
    tx: &mut Tx,
    org_id: Uuid,
    referral: Uuid,
    case_id: Uuid,
    kind: &str,
    key: &str,
) -> Result<Option<Uuid>> {
    let id = Uuid::now_v7();
    let n = sqlx::query(
        "INSERT INTO referral_alert (id, org_id, referral_id, case_id, kind, dedupe_key, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(referral.to_string())
    .bind(case_id.to_string())
    .bind(kind)
    .bind(key)
    .bind(now_db())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok((n == 1).then_some(id))
}

const ALERT_COLS: &str = "l.id, l.referral_id, l.case_id, l.kind, r.provider_name, l.created_at, \
    l.acknowledged_at, a.display_name AS acknowledged_by, l.action_taken FROM referral_alert l \
    JOIN referral r ON r.id = l.referral_id LEFT JOIN account a ON a.id = l.acknowledged_by";

fn alert_from(r: &AnyRow) -> Result<AlertRow> {
    Ok(AlertRow {
        id: uuid(r, "id")?,
        referral_id: uuid(r, "referral_id")?,
        case_id: uuid(r, "case_id")?,
        kind: r.try_get("kind")?,
        provider_name: r.try_get("provider_name")?,
        created_at: instant(r, "created_at")?,
        acknowledged_at: opt_instant(r, "acknowledged_at")?,
        acknowledged_by: r.try_get("acknowledged_by")?,
        action_taken: r.try_get("action_taken")?,
    })
}

/// A case's alerts, unacknowledged first, newest first.
pub async fn alerts_of_case(db: &Db, case_id: Uuid) -> Result<Vec<AlertRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {ALERT_COLS} WHERE l.case_id = $1 \
         ORDER BY CASE WHEN l.acknowledged_at IS NULL THEN 0 ELSE 1 END, l.created_at DESC LIMIT 500"
    ))
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(alert_from).collect()
}

/// One alert.
pub async fn alert(db: &Db, id: Uuid) -> Result<Option<AlertRow>> {
    let row = sqlx::query(&format!("SELECT {ALERT_COLS} WHERE l.id = $1"))
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    row.as_ref().map(alert_from).transpose()
}

/// Acknowledges an alert with the action taken; false when it already was.
pub async fn acknowledge(tx: &mut Tx, id: Uuid, by: Uuid, action: &str) -> Result<bool> {
    let r = sqlx::query(
        "UPDATE referral_alert SET acknowledged_at = $1, acknowledged_by = $2, action_taken = $3 \
         WHERE id = $4 AND acknowledged_at IS NULL",
    )
    .bind(now_db())
    .bind(by.to_string())
    .bind(action)
    .bind(id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// A referral due an alert: (org, referral, case, the key's detail).
#[derive(Debug, Clone)]
pub struct Due {
    /// Organisation.
    pub org_id: Uuid,
    /// Referral.
    pub referral_id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// What makes the key unique (a due date, a check-in id).
    pub detail: String,
}

fn due_from(r: &AnyRow) -> Result<Due> {
    Ok(Due {
        org_id: uuid(r, "org_id")?,
        referral_id: uuid(r, "id")?,
        case_id: uuid(r, "case_id")?,
        detail: r.try_get("detail")?,
    })
}

/// Referrals sent and still unanswered after their due date (before `today`).
pub async fn unanswered(db: &Db, today: NaiveDate) -> Result<Vec<Due>> {
    let rows = sqlx::query(
        "SELECT r.org_id, r.id, r.case_id, r.response_due AS detail FROM referral r \
         WHERE r.status IN ('sent', 'acknowledged') AND r.response_due < $1 LIMIT 5000",
    )
    .bind(date_db(today))
    .fetch_all(db.read())
    .await?;
    rows.iter().map(due_from).collect()
}

/// Planned check-ins of referrals in service (or accepted) not done by their date.
pub async fn missed_check_ins(db: &Db, today: NaiveDate) -> Result<Vec<Due>> {
    let rows = sqlx::query(
        "SELECT r.org_id, r.id, r.case_id, k.id AS detail FROM referral_check_in k \
         JOIN referral r ON r.id = k.referral_id \
         WHERE k.done_on IS NULL AND k.due_on < $1 AND r.status IN ('accepted', 'in_service') LIMIT 5000",
    )
    .bind(date_db(today))
    .fetch_all(db.read())
    .await?;
    rows.iter().map(due_from).collect()
}

/// Open referrals to a service (when its status changes).
pub async fn open_of_service(db: &Db, service: Uuid) -> Result<Vec<Due>> {
    let rows = sqlx::query(
        "SELECT r.org_id, r.id, r.case_id, r.status AS detail FROM referral r \
         WHERE r.service_id = $1 AND r.status IN ('sent', 'acknowledged', 'accepted', 'in_service')",
    )
    .bind(service.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(due_from).collect()
}

/// Referral figures of an organisation for referrals made from `from` to `until` (dates,
/// inclusive): counts by provider, service and status; declines by reason; services ended
/// early by provider; and the days from referral to the service's start.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Figures {
    /// (provider, service, status, count).
    pub by_service: Vec<(String, String, String, i64)>,
    /// (reason code, count).
    pub declines: Vec<(String, i64)>,
    /// (provider, count).
    pub ended_early: Vec<(String, i64)>,
    /// Days from referral to the start of the service, one per referral that started.
    pub days_to_start: Vec<i64>,
}

/// The figures (see `Figures`).
pub async fn figures(db: &Db, org_id: Uuid, from: NaiveDate, until: NaiveDate) -> Result<Figures> {
    let lo = format!("{}T00:00:00", date_db(from));
    let hi = format!("{}T23:59:59.999999Z", date_db(until));
    let bind = |sql: &'static str| {
        sqlx::query(sql)
            .bind(org_id.to_string())
            .bind(lo.clone())
            .bind(hi.clone())
    };
    let mut f = Figures::default();
    for r in bind(
        "SELECT provider_name, COALESCE(service_name, '') AS service_name, status, \
         CAST(COUNT(*) AS BIGINT) AS n FROM referral WHERE org_id = $1 AND created_at >= $2 \
         AND created_at <= $3 GROUP BY provider_name, COALESCE(service_name, ''), status \
         ORDER BY provider_name, service_name, status",
    )
    .fetch_all(db.read())
    .await?
    {
        f.by_service.push((
            r.try_get("provider_name")?,
            r.try_get("service_name")?,
            r.try_get("status")?,
            r.try_get("n")?,
        ));
    }
    for r in bind(
        "SELECT COALESCE(reason_code, 'other') AS reason, CAST(COUNT(*) AS BIGINT) AS n FROM referral \
         WHERE org_id = $1 AND created_at >= $2 AND created_at <= $3 AND status = 'declined' \
         GROUP BY COALESCE(reason_code, 'other') ORDER BY reason",
    )
    .fetch_all(db.read())
    .await?
    {
        f.declines.push((r.try_get("reason")?, r.try_get("n")?));
    }
    for r in bind(
        "SELECT provider_name, CAST(COUNT(*) AS BIGINT) AS n FROM referral \
         WHERE org_id = $1 AND created_at >= $2 AND created_at <= $3 AND status = 'ended_early' \
         GROUP BY provider_name ORDER BY provider_name",
    )
    .fetch_all(db.read())
    .await?
    {
        f.ended_early
            .push((r.try_get("provider_name")?, r.try_get("n")?));
    }
    for r in bind(
        "SELECT created_at, service_started_on FROM referral WHERE org_id = $1 AND created_at >= $2 \
         AND created_at <= $3 AND service_started_on IS NOT NULL",
    )
    .fetch_all(db.read())
    .await?
    {
        let created = instant(&r, "created_at")?;
        if let Some(start) = opt_date(&r, "service_started_on")? {
            let made = karuna_thai::calendar::bangkok_date(created);
            f.days_to_start.push((start - made).num_days().max(0));
        }
    }
    f.days_to_start.sort_unstable();
    Ok(f)
}

/// Ties a referral made to a provider named ad hoc to the directory's entry made from it.
pub async fn set_provider(tx: &mut Tx, id: Uuid, provider: Uuid) -> Result<()> {
    sqlx::query(
        "UPDATE referral SET provider_id = $1, updated_at = $2, version = version + 1 \
         WHERE id = $3 AND provider_id IS NULL",
    )
    .bind(provider.to_string())
    .bind(now_db())
    .bind(id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
