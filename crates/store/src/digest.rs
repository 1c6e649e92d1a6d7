//! The daily e-mail digest: each account's address and opt-in, and the claim that makes one
//! server, of however many, send an account its digest of a day. A claim is a row keyed by
//! (account, day) inserted with `ON CONFLICT DO NOTHING`; a claim its server left unsent (it
//! stopped between claim and send) is taken over once it is older than `stale_before`.

use crate::db::{Db, Tx};
use crate::error::Result;
use crate::row::{date_db, opt_instant, opt_uuid, uuid};
use crate::time::{now_db, to_db};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::Row;
use uuid::Uuid;

/// An account's e-mail settings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmailSettings {
    /// The address, if any.
    pub email: Option<String>,
    /// Whether the account wants the daily digest.
    pub daily_digest: bool,
}

/// The account's e-mail settings.
pub async fn email_settings(db: &Db, account: Uuid) -> Result<EmailSettings> {
    let row = sqlx::query("SELECT email, daily_digest FROM account WHERE id = $1")
        .bind(account.to_string())
        .fetch_optional(db.read())
        .await?;
    Ok(match row {
        Some(r) => EmailSettings {
            email: r.try_get("email")?,
            daily_digest: r.try_get::<i64, _>("daily_digest")? != 0,
        },
        None => EmailSettings::default(),
    })
}

/// Replaces the account's e-mail settings; returns its new version.
pub async fn set_email_settings(tx: &mut Tx, account: Uuid, s: &EmailSettings) -> Result<i64> {
    let v: i64 = sqlx::query_scalar(
        "UPDATE account SET email = $1, daily_digest = $2, version = version + 1, updated_at = $3 \
         WHERE id = $4 RETURNING version",
    )
    .bind(s.email.clone())
    .bind(i64::from(s.daily_digest))
    .bind(now_db())
    .bind(account.to_string())
    .fetch_one(&mut **tx)
    .await?;
    Ok(v)
}

/// An account that may be due a digest.
#[derive(Debug, Clone)]
pub struct Recipient {
    /// Account.
    pub id: Uuid,
    /// Organisation.
    pub org_id: Uuid,
    /// Unit.
    pub unit_id: Option<Uuid>,
    /// Role code.
    pub role: String,
    /// Name shown to colleagues (the mail greets by its first word).
    pub display_name: String,
    /// Address.
    pub email: String,
    /// Interface language code.
    pub lang: String,
    /// Calendar era code.
    pub era: String,
    /// When its last digest was sent, if ever.
    pub last_sent: Option<DateTime<Utc>>,
}

/// Active accounts that want the digest, have an address, have no live claim for `day`, and
/// have an unread notification written after `since`; at most `limit`.
pub async fn candidates(
    db: &Db,
    day: NaiveDate,
    since: DateTime<Utc>,
    stale_before: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<Recipient>> {
    let rows = sqlx::query(&format!(
        "SELECT a.id, a.org_id, a.unit_id, a.role, a.display_name, a.email, a.lang, a.era, \
         (SELECT MAX(p.sent_at) FROM notification_digest p WHERE p.account_id = a.id) AS last_sent \
         FROM account a WHERE a.active = 1 AND a.daily_digest = 1 AND a.email IS NOT NULL \
         AND NOT EXISTS (SELECT 1 FROM notification_digest d WHERE d.account_id = a.id \
             AND d.day = $1 AND (d.sent_at IS NOT NULL OR d.claimed_at >= $2)) \
         AND EXISTS (SELECT 1 FROM notification n WHERE n.account_id = a.id \
             AND n.read_at IS NULL AND n.created_at > $3) \
         ORDER BY a.id LIMIT {}",
        limit.clamp(1, 5000)
    ))
    .bind(date_db(day))
    .bind(to_db(stale_before))
    .bind(to_db(since))
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Recipient {
                id: uuid(r, "id")?,
                org_id: uuid(r, "org_id")?,
                unit_id: opt_uuid(r, "unit_id")?,
                role: r.try_get("role")?,
                display_name: r.try_get("display_name")?,
                email: r.try_get("email")?,
                lang: r.try_get("lang")?,
                era: r.try_get("era")?,
                last_sent: opt_instant(r, "last_sent")?,
            })
        })
        .collect()
}

/// Claims the account's digest of `day` for this server: true when this call made the claim
/// (a new one, or one left unsent since before `stale_before`), false when another holds it
/// or it was sent.
pub async fn claim(
    db: &Db,
    account: Uuid,
    day: NaiveDate,
    stale_before: DateTime<Utc>,
) -> Result<bool> {
    let now = now_db();
    let mut tx = db.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO notification_digest (account_id, day, claimed_at) VALUES ($1, $2, $3) \
         ON CONFLICT (account_id, day) DO NOTHING",
    )
    .bind(account.to_string())
    .bind(date_db(day))
    .bind(&now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let claimed = if inserted == 1 {
        true
    } else {
        sqlx::query(
            "UPDATE notification_digest SET claimed_at = $1 WHERE account_id = $2 AND day = $3 \
             AND sent_at IS NULL AND claimed_at < $4",
        )
        .bind(&now)
        .bind(account.to_string())
        .bind(date_db(day))
        .bind(to_db(stale_before))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1
    };
    tx.commit().await?;
    Ok(claimed)
}

/// Records that the claimed digest was sent with `items` notifications (0: nothing was left to
/// tell, no mail went out).
pub async fn mark_sent(tx: &mut Tx, account: Uuid, day: NaiveDate, items: i64) -> Result<()> {
    sqlx::query(
        "UPDATE notification_digest SET sent_at = $1, items = $2 WHERE account_id = $3 AND day = $4",
    )
    .bind(now_db())
    .bind(items)
    .bind(account.to_string())
    .bind(date_db(day))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Gives up an unsent claim (the mail could not be sent), so that a later run tries again.
pub async fn release(db: &Db, account: Uuid, day: NaiveDate) -> Result<()> {
    let mut tx = db.begin().await?;
    sqlx::query(
        "DELETE FROM notification_digest WHERE account_id = $1 AND day = $2 AND sent_at IS NULL",
    )
    .bind(account.to_string())
    .bind(date_db(day))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}
