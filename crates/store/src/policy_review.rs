//! Policy reviews (`domain::policy_review`): the organisation's review cycle, the reviews with
//! the measures kept as the JSON the use case gives, their findings, decisions and actions, and
//! the raw counts the measures are computed from. The counts hold no personal data: how many
//! cases, referrals, follow-ups and conferences met a condition in a period.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{date_db, instant, opt_date, opt_instant, opt_uuid, uuid};
use crate::time::now_db;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// The organisation's review cycle in months, and when it was set (none: never set).
pub async fn cycle(db: &Db, org: Uuid) -> Result<Option<(i64, DateTime<Utc>)>> {
    let row = sqlx::query("SELECT months, updated_at FROM policy_review_cycle WHERE org_id = $1")
        .bind(org.to_string())
        .fetch_optional(db.read())
        .await?;
    row.map(|r| Ok((r.try_get("months")?, instant(&r, "updated_at")?)))
        .transpose()
}

/// Sets the organisation's review cycle.
pub async fn set_cycle(tx: &mut Tx, org: Uuid, months: i64, by: Uuid) -> Result<()> {
    sqlx::query(
        "INSERT INTO policy_review_cycle (org_id, months, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (org_id) DO UPDATE SET months = excluded.months, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )
    .bind(org.to_string())
    .bind(months)
    .bind(by.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A review to create.
#[derive(Debug, Clone)]
pub struct NewReview<'a> {
    /// Organisation.
    pub org_id: Uuid,
    /// Title.
    pub title: &'a str,
    /// Period code.
    pub period: &'a str,
    /// Its first day.
    pub from: NaiveDate,
    /// Its last day.
    pub until: NaiveDate,
    /// The measures (JSON).
    pub measures: &'a str,
    /// Who starts it.
    pub created_by: Uuid,
}

/// A review as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewRow {
    /// Id.
    pub id: Uuid,
    /// Title.
    pub title: String,
    /// Period code.
    pub period: String,
    /// Its first day.
    pub from: NaiveDate,
    /// Its last day.
    pub until: NaiveDate,
    /// `open` or `concluded`.
    pub status: String,
    /// The measures (JSON).
    pub measures: String,
    /// When they were computed.
    pub measured_at: DateTime<Utc>,
    /// The conclusion.
    pub summary: Option<String>,
    /// Who started it, by name.
    pub created_by_name: String,
    /// Started.
    pub created_at: DateTime<Utc>,
    /// Who concluded it, by name.
    pub concluded_by_name: Option<String>,
    /// Concluded.
    pub concluded_at: Option<DateTime<Utc>>,
    /// Optimistic-concurrency version.
    pub version: i64,
    /// Its actions not yet done or dropped.
    pub open_actions: i64,
}

const REVIEW_COLS: &str = "r.id, r.title, r.period, r.period_from, r.period_until, r.status, \
     r.measures, r.measured_at, r.summary, cb.display_name AS created_by_name, r.created_at, \
     kb.display_name AS concluded_by_name, r.concluded_at, r.version, \
     (SELECT CAST(COUNT(*) AS BIGINT) FROM policy_review_item i WHERE i.review_id = r.id \
      AND i.kind = 'action' AND i.status IN ('open', 'in_progress')) AS open_actions \
     FROM policy_review r JOIN account cb ON cb.id = r.created_by \
     LEFT JOIN account kb ON kb.id = r.concluded_by";

fn review_from(r: &AnyRow) -> Result<ReviewRow> {
    let day = |col: &str| -> Result<NaiveDate> {
        let s: String = r.try_get(col)?;
        NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| StoreError::Corrupt("date"))
    };
    Ok(ReviewRow {
        id: uuid(r, "id")?,
        title: r.try_get("title")?,
        period: r.try_get("period")?,
        from: day("period_from")?,
        until: day("period_until")?,
        status: r.try_get("status")?,
        measures: r.try_get("measures")?,
        measured_at: instant(r, "measured_at")?,
        summary: r.try_get("summary")?,
        created_by_name: r.try_get("created_by_name")?,
        created_at: instant(r, "created_at")?,
        concluded_by_name: r.try_get("concluded_by_name")?,
        concluded_at: opt_instant(r, "concluded_at")?,
        version: r.try_get("version")?,
        open_actions: r.try_get("open_actions")?,
    })
}

/// Creates an open review; a review of the same period is [`StoreError::Duplicate`].
pub async fn insert(tx: &mut Tx, n: &NewReview<'_>) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let now = now_db();
    sqlx::query(
        "INSERT INTO policy_review (id, org_id, title, period, period_from, period_until, status, \
         measures, measured_at, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9, $8)",
    )
    .bind(id.to_string())
    .bind(n.org_id.to_string())
    .bind(n.title)
    .bind(n.period)
    .bind(date_db(n.from))
    .bind(date_db(n.until))
    .bind(n.measures)
    .bind(&now)
    .bind(n.created_by.to_string())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(id)
}

/// One review of the organisation.
pub async fn get(db: &Db, org: Uuid, id: Uuid) -> Result<Option<ReviewRow>> {
    let row = sqlx::query(&format!(
        "SELECT {REVIEW_COLS} WHERE r.id = $1 AND r.org_id = $2"
    ))
    .bind(id.to_string())
    .bind(org.to_string())
    .fetch_optional(db.read())
    .await?;
    row.as_ref().map(review_from).transpose()
}

/// The review of the organisation whose period starts last before `from` (the one a review is
/// compared with).
pub async fn previous(db: &Db, org: Uuid, from: NaiveDate) -> Result<Option<ReviewRow>> {
    let row = sqlx::query(&format!(
        "SELECT {REVIEW_COLS} WHERE r.org_id = $1 AND r.period_from < $2 \
         ORDER BY r.period_from DESC, r.id DESC LIMIT 1"
    ))
    .bind(org.to_string())
    .bind(date_db(from))
    .fetch_optional(db.read())
    .await?;
    row.as_ref().map(review_from).transpose()
}

/// The organisation's reviews, latest period first, at most `limit`.
pub async fn list(db: &Db, org: Uuid, limit: i64) -> Result<Vec<ReviewRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {REVIEW_COLS} WHERE r.org_id = $1 ORDER BY r.period_from DESC, r.id DESC LIMIT $2"
    ))
    .bind(org.to_string())
    .bind(limit)
    .fetch_all(db.read())
    .await?;
    rows.iter().map(review_from).collect()
}

/// Replaces an open review's measures (recomputed); a review that moved on is
/// [`StoreError::StaleVersion`]. Returns the new version.
pub async fn set_measures(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    version: i64,
    measures: &str,
) -> Result<i64> {
    let r = sqlx::query(
        "UPDATE policy_review SET measures = $1, measured_at = $2, version = version + 1 \
         WHERE id = $3 AND org_id = $4 AND version = $5 AND status = 'open'",
    )
    .bind(measures)
    .bind(now_db())
    .bind(id.to_string())
    .bind(org.to_string())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(version + 1)
}

/// Concludes an open review with its summary; a review that moved on is
/// [`StoreError::StaleVersion`]. Returns the new version.
pub async fn conclude(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    version: i64,
    summary: &str,
    by: Uuid,
) -> Result<i64> {
    let r = sqlx::query(
        "UPDATE policy_review SET status = 'concluded', summary = $1, concluded_by = $2, \
         concluded_at = $3, version = version + 1 \
         WHERE id = $4 AND org_id = $5 AND version = $6 AND status = 'open'",
    )
    .bind(summary)
    .bind(by.to_string())
    .bind(now_db())
    .bind(id.to_string())
    .bind(org.to_string())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(version + 1)
}

/// An item to add.
#[derive(Debug, Clone)]
pub struct NewItem<'a> {
    /// Organisation.
    pub org_id: Uuid,
    /// Review.
    pub review_id: Uuid,
    /// `finding`, `decision` or `action`.
    pub kind: &'a str,
    /// Area code.
    pub area: &'a str,
    /// Text.
    pub text: &'a str,
    /// An action's owner.
    pub owner_id: Option<Uuid>,
    /// An action's due date.
    pub due_on: Option<NaiveDate>,
    /// Who adds it.
    pub by: Uuid,
}

/// Adds an item (an action starts `open`).
pub async fn insert_item(tx: &mut Tx, n: &NewItem<'_>) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let now = now_db();
    sqlx::query(
        "INSERT INTO policy_review_item (id, org_id, review_id, kind, area, text, owner_id, \
         due_on, status, created_by, created_at, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $10, $11)",
    )
    .bind(id.to_string())
    .bind(n.org_id.to_string())
    .bind(n.review_id.to_string())
    .bind(n.kind)
    .bind(n.area)
    .bind(n.text)
    .bind(n.owner_id.map(|o| o.to_string()))
    .bind(n.due_on.map(date_db))
    .bind((n.kind == "action").then_some("open"))
    .bind(n.by.to_string())
    .bind(&now)
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(id)
}

/// An item as stored, with the title and period of its review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemRow {
    /// Id.
    pub id: Uuid,
    /// Review.
    pub review_id: Uuid,
    /// Review's title.
    pub review_title: String,
    /// `finding`, `decision` or `action`.
    pub kind: String,
    /// Area code.
    pub area: String,
    /// Text.
    pub text: String,
    /// An action's owner.
    pub owner_id: Option<Uuid>,
    /// Owner's name.
    pub owner_name: Option<String>,
    /// An action's due date.
    pub due_on: Option<NaiveDate>,
    /// An action's status code.
    pub status: Option<String>,
    /// The last progress note.
    pub note: Option<String>,
    /// Who changed it last, by name.
    pub updated_by_name: String,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// When it was done or dropped.
    pub done_at: Option<DateTime<Utc>>,
    /// Optimistic-concurrency version.
    pub version: i64,
}

const ITEM_COLS: &str = "i.id, i.review_id, r.title AS review_title, i.kind, i.area, i.text, \
     i.owner_id, o.display_name AS owner_name, i.due_on, i.status, i.note, \
     ub.display_name AS updated_by_name, i.updated_at, i.done_at, i.version \
     FROM policy_review_item i JOIN policy_review r ON r.id = i.review_id \
     LEFT JOIN account o ON o.id = i.owner_id JOIN account ub ON ub.id = i.updated_by";

fn item_from(r: &AnyRow) -> Result<ItemRow> {
    Ok(ItemRow {
        id: uuid(r, "id")?,
        review_id: uuid(r, "review_id")?,
        review_title: r.try_get("review_title")?,
        kind: r.try_get("kind")?,
        area: r.try_get("area")?,
        text: r.try_get("text")?,
        owner_id: opt_uuid(r, "owner_id")?,
        owner_name: r.try_get("owner_name")?,
        due_on: opt_date(r, "due_on")?,
        status: r.try_get("status")?,
        note: r.try_get("note")?,
        updated_by_name: r.try_get("updated_by_name")?,
        updated_at: instant(r, "updated_at")?,
        done_at: opt_instant(r, "done_at")?,
        version: r.try_get("version")?,
    })
}

/// A review's items, in the order they were added.
pub async fn items(db: &Db, org: Uuid, review: Uuid) -> Result<Vec<ItemRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {ITEM_COLS} WHERE i.review_id = $1 AND i.org_id = $2 \
         ORDER BY i.created_at, i.id"
    ))
    .bind(review.to_string())
    .bind(org.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(item_from).collect()
}

/// One item of the organisation.
pub async fn item(db: &Db, org: Uuid, id: Uuid) -> Result<Option<ItemRow>> {
    let row = sqlx::query(&format!(
        "SELECT {ITEM_COLS} WHERE i.id = $1 AND i.org_id = $2"
    ))
    .bind(id.to_string())
    .bind(org.to_string())
    .fetch_optional(db.read())
    .await?;
    row.as_ref().map(item_from).transpose()
}

/// The organisation's actions not yet done or dropped, soonest due first, at most `limit`.
pub async fn open_actions(db: &Db, org: Uuid, limit: i64) -> Result<Vec<ItemRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {ITEM_COLS} WHERE i.org_id = $1 AND i.kind = 'action' \
         AND i.status IN ('open', 'in_progress') ORDER BY i.due_on, i.id LIMIT $2"
    ))
    .bind(org.to_string())
    .bind(limit)
    .fetch_all(db.read())
    .await?;
    rows.iter().map(item_from).collect()
}

/// A change of an action's progress.
#[derive(Debug, Clone)]
pub struct ActionChange<'a> {
    /// The status code it moves to.
    pub status: &'a str,
    /// What was done or why it was dropped (none keeps the last note).
    pub note: Option<&'a str>,
    /// Done or dropped: the instant is recorded.
    pub done: bool,
    /// Who.
    pub by: Uuid,
}

/// Records an action's progress at `version`; one that moved on is
/// [`StoreError::StaleVersion`]. Returns the new version.
pub async fn update_action(
    tx: &mut Tx,
    org: Uuid,
    id: Uuid,
    version: i64,
    c: &ActionChange<'_>,
) -> Result<i64> {
    let (status, note, done, by) = (c.status, c.note, c.done, c.by);
    let now = now_db();
    let r = sqlx::query(
        "UPDATE policy_review_item SET status = $1, note = COALESCE($2, note), updated_by = $3, \
         updated_at = $4, done_at = CASE WHEN $5 = 1 THEN $4 ELSE NULL END, \
         version = version + 1 WHERE id = $6 AND org_id = $7 AND version = $8 AND kind = 'action'",
    )
    .bind(status)
    .bind(note)
    .bind(by.to_string())
    .bind(&now)
    .bind(i64::from(done))
    .bind(id.to_string())
    .bind(org.to_string())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(version + 1)
}

/// How many of a base met a measure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Share {
    /// The base.
    pub base: i64,
    /// Those of it that met the measure.
    pub met: i64,
}

/// The raw counts behind a review's rates, for an organisation between two stored instants
/// (`from` inclusive, `until` exclusive) and the same period as days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RatesRaw {
    /// Cases opened in the period; with a completed assessment.
    pub assessed: Share,
    /// Cases open at the period's end for more than six months; assessed in its last six.
    pub reassessed: Share,
    /// Cases open in the period with a plan in force before its end; reviewed in it.
    pub plans_reviewed: Share,
    /// Cases closed in the period; with a GAS level measured on a goal.
    pub gas_at_closure: Share,
    /// Referrals sent in the period; completed.
    pub referrals_completed: Share,
    /// The same referrals; ended early by the provider.
    pub referrals_ended_early: Share,
    /// Follow-ups after closure due in the period; done.
    pub follow_ups_done: Share,
    /// Cases open in the period; discussed at a conference held in it.
    pub cases_conferenced: Share,
    /// Conferences held in the period; with someone from outside the agency.
    pub conferences_with_outside: Share,
    /// Cases open in the period; referred in it.
    pub cases_referred: Share,
}

async fn share(db: &Db, sql: &str, binds: &[&str]) -> Result<Share> {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(*b);
    }
    let row = q.fetch_one(db.read()).await?;
    Ok(Share {
        base: row.try_get(0)?,
        met: row.try_get::<Option<i64>, _>(1)?.unwrap_or(0),
    })
}

/// Reads the raw counts of [`RatesRaw`] for `org` between the stored instants `from` and
/// `until`, `six_months_before_until` being the instant six months before the end, and `days`
/// the period's first and last day (`YYYY-MM-DD`).
pub async fn rates(
    db: &Db,
    org: Uuid,
    (from, until): (&str, &str),
    six_months_before_until: &str,
    days: (&str, &str),
) -> Result<RatesRaw> {
    let org = org.to_string();
    let org = org.as_str();
    // Cases open at some time in the period.
    let open_in =
        "c.org_id = $1 AND c.opened_at < $3 AND (c.closed_at IS NULL OR c.closed_at >= $2)";
    let count = |cond: &str| format!("CAST(SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS BIGINT)");
    // The referrals sent in the period by status, once for both of their rates.
    let mut by_status: Vec<(String, i64)> = Vec::new();
    for r in sqlx::query(
        "SELECT r.status, CAST(COUNT(*) AS BIGINT) FROM referral r WHERE r.org_id = $1 \
         AND r.created_at >= $2 AND r.created_at < $3 AND r.status <> 'draft' GROUP BY r.status",
    )
    .bind(org)
    .bind(from)
    .bind(until)
    .fetch_all(db.read())
    .await?
    {
        by_status.push((r.try_get(0)?, r.try_get(1)?));
    }
    let sent: i64 = by_status.iter().map(|(_, n)| n).sum();
    let referral = |status: &str| Share {
        base: sent,
        met: by_status
            .iter()
            .filter(|(s, _)| s == status)
            .map(|(_, n)| n)
            .sum(),
    };
    Ok(RatesRaw {
        assessed: share(
            db,
            &format!(
                "SELECT CAST(COUNT(*) AS BIGINT), {} FROM case_file c WHERE c.org_id = $1 \
                 AND c.opened_at >= $2 AND c.opened_at < $3",
                count(
                    "EXISTS (SELECT 1 FROM assessment a WHERE a.case_id = c.id \
                     AND a.completed_at IS NOT NULL)"
                )
            ),
            &[org, from, until],
        )
        .await?,
        reassessed: share(
            db,
            &format!(
                "SELECT CAST(COUNT(*) AS BIGINT), {} FROM case_file c WHERE c.org_id = $1 \
                 AND c.opened_at < $2 AND (c.closed_at IS NULL OR c.closed_at >= $3)",
                count(
                    "EXISTS (SELECT 1 FROM assessment a WHERE a.case_id = c.id \
                     AND a.completed_at >= $2 AND a.completed_at < $3)"
                )
            ),
            &[org, six_months_before_until, until],
        )
        .await?,
        plans_reviewed: share(
            db,
            &format!(
                "SELECT CAST(COUNT(*) AS BIGINT), {} FROM case_file c WHERE {open_in} \
                 AND EXISTS (SELECT 1 FROM plan_version p WHERE p.case_id = c.id \
                  AND p.status IN ('active', 'superseded') AND p.created_at < $3)",
                count(
                    "EXISTS (SELECT 1 FROM case_review v WHERE v.case_id = c.id \
                     AND v.held_on >= $4 AND v.held_on <= $5)"
                )
            ),
            &[org, from, until, days.0, days.1],
        )
        .await?,
        gas_at_closure: share(
            db,
            &format!(
                "SELECT CAST(COUNT(*) AS BIGINT), {} FROM case_file c WHERE c.org_id = $1 \
                 AND c.closed_at >= $2 AND c.closed_at < $3",
                count(
                    "EXISTS (SELECT 1 FROM goal_progress g WHERE g.case_id = c.id \
                     AND g.gas IS NOT NULL)"
                )
            ),
            &[org, from, until],
        )
        .await?,
        referrals_completed: referral("completed"),
        referrals_ended_early: referral("ended_early"),
        follow_ups_done: share(
            db,
            &format!(
                "SELECT CAST(COUNT(*) AS BIGINT), {} FROM follow_up f WHERE f.org_id = $1 \
                 AND f.due_on >= $2 AND f.due_on <= $3",
                count("f.done_on IS NOT NULL")
            ),
            &[org, days.0, days.1],
        )
        .await?,
        cases_conferenced: share(
            db,
            &format!(
                "SELECT CAST(COUNT(*) AS BIGINT), {} FROM case_file c WHERE {open_in}",
                count(
                    "EXISTS (SELECT 1 FROM conference_case k JOIN conference f \
                     ON f.id = k.conference_id WHERE k.case_id = c.id AND f.starts_at >= $2 \
                     AND f.starts_at < $3)"
                )
            ),
            &[org, from, until],
        )
        .await?,
        conferences_with_outside: share(
            db,
            &format!(
                "SELECT CAST(COUNT(*) AS BIGINT), {} FROM conference f WHERE f.org_id = $1 \
                 AND f.starts_at >= $2 AND f.starts_at < $3",
                count(
                    "EXISTS (SELECT 1 FROM conference_attendee t \
                     WHERE t.conference_id = f.id AND t.account_id IS NULL)"
                )
            ),
            &[org, from, until],
        )
        .await?,
        cases_referred: share(
            db,
            &format!(
                "SELECT CAST(COUNT(*) AS BIGINT), {} FROM case_file c WHERE {open_in}",
                count(
                    "EXISTS (SELECT 1 FROM referral r WHERE r.case_id = c.id \
                     AND r.status <> 'draft' AND r.created_at >= $2 AND r.created_at < $3)"
                )
            ),
            &[org, from, until],
        )
        .await?,
    })
}
