//! Decision support: the organisation's settings per kind of suggestion, the suggestions made
//! on cases with their reasons, and the workers' decisions on them.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{instant, opt_instant, opt_uuid, uuid};
use crate::time::{now_db, to_db};
use chrono::{DateTime, Utc};
use sqlx::Row;
use uuid::Uuid;

/// An organisation's stored settings of one kind of suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingRow {
    /// Switched on.
    pub enabled: bool,
    /// The rules, as JSON.
    pub config: String,
    /// Version (1 on the first write).
    pub version: i64,
    /// Who wrote it last.
    pub updated_by_name: String,
    /// When.
    pub updated_at: DateTime<Utc>,
}

/// The stored settings of `kind`, if the organisation wrote any.
pub async fn setting(db: &Db, org: Uuid, kind: &str) -> Result<Option<SettingRow>> {
    let row = sqlx::query(
        "SELECT s.enabled, s.config, s.version, a.display_name, s.updated_at \
         FROM decision_support_setting s JOIN account a ON a.id = s.updated_by \
         WHERE s.org_id = $1 AND s.kind = $2",
    )
    .bind(org.to_string())
    .bind(kind)
    .fetch_optional(db.read())
    .await?;
    row.map(|r| {
        Ok(SettingRow {
            enabled: r.try_get::<i64, _>("enabled")? != 0,
            config: r.try_get("config")?,
            version: r.try_get("version")?,
            updated_by_name: r.try_get("display_name")?,
            updated_at: instant(&r, "updated_at")?,
        })
    })
    .transpose()
}

/// Writes the settings of `kind` over version `read` (0: none stored yet); another write in
/// between is [`StoreError::StaleVersion`]. Returns the new version.
pub async fn put_setting(
    tx: &mut Tx,
    org: Uuid,
    kind: &str,
    enabled: bool,
    config: &str,
    read: i64,
    by: Uuid,
) -> Result<i64> {
    let r = if read == 0 {
        sqlx::query(
            "INSERT INTO decision_support_setting (org_id, kind, enabled, config, version, \
             updated_by, updated_at) VALUES ($1, $2, $3, $4, 1, $5, $6) \
             ON CONFLICT (org_id, kind) DO NOTHING",
        )
        .bind(org.to_string())
        .bind(kind)
        .bind(i64::from(enabled))
        .bind(config)
        .bind(by.to_string())
        .bind(now_db())
        .execute(&mut **tx)
        .await?
    } else {
        sqlx::query(
            "UPDATE decision_support_setting SET enabled = $1, config = $2, \
             version = version + 1, updated_by = $3, updated_at = $4 \
             WHERE org_id = $5 AND kind = $6 AND version = $7",
        )
        .bind(i64::from(enabled))
        .bind(config)
        .bind(by.to_string())
        .bind(now_db())
        .bind(org.to_string())
        .bind(kind)
        .bind(read)
        .execute(&mut **tx)
        .await?
    };
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(read + 1)
}

/// The client's other cases opened before `opened_at`, and the referrals of any of the
/// client's cases that were declined or ended early, in one statement.
pub async fn client_history(
    db: &Db,
    client: Uuid,
    case_id: Uuid,
    opened_at: DateTime<Utc>,
) -> Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM case_file \
          WHERE client_id = $1 AND id <> $2 AND opened_at < $3) AS earlier, \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM referral r JOIN case_file c ON c.id = r.case_id \
          WHERE c.client_id = $1 AND r.status IN ('declined', 'ended_early')) AS failed",
    )
    .bind(client.to_string())
    .bind(case_id.to_string())
    .bind(to_db(opened_at))
    .fetch_one(db.read())
    .await?;
    Ok((row.try_get("earlier")?, row.try_get("failed")?))
}

/// A suggestion to record.
#[derive(Debug, Clone)]
pub struct NewSuggestion<'a> {
    /// Organisation.
    pub org_id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// `complexity`.
    pub kind: &'a str,
    /// What made it: `intake`, `assessment` or `manual`.
    pub trigger: &'a str,
    /// The settings' version used (0: the shipped rules).
    pub config_version: i64,
    /// What it is about (`service_match`: the need's category).
    pub subject: Option<&'a str>,
    /// What is suggested: a level, or a service's id.
    pub suggested: &'a str,
    /// The score.
    pub score: i64,
    /// The reasons, as JSON.
    pub reasons: &'a str,
    /// Who caused it.
    pub created_by: Option<Uuid>,
}

/// Records a suggestion.
pub async fn insert(tx: &mut Tx, s: &NewSuggestion<'_>) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO suggestion (id, org_id, case_id, kind, trigger_event, config_version, \
         subject, suggested, score, reasons, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(id.to_string())
    .bind(s.org_id.to_string())
    .bind(s.case_id.to_string())
    .bind(s.kind)
    .bind(s.trigger)
    .bind(s.config_version)
    .bind(s.subject)
    .bind(s.suggested)
    .bind(s.score)
    .bind(s.reasons)
    .bind(s.created_by.map(|u| u.to_string()))
    .bind(now_db())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(id)
}

/// A stored suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionRow {
    /// Id.
    pub id: Uuid,
    /// Organisation.
    pub org_id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Kind.
    pub kind: String,
    /// What made it.
    pub trigger: String,
    /// The settings' version used.
    pub config_version: i64,
    /// What it is about.
    pub subject: Option<String>,
    /// What was suggested (a level, or a service's id).
    pub suggested: String,
    /// Score.
    pub score: i64,
    /// Reasons (JSON).
    pub reasons: String,
    /// Made by (the worker whose action caused it).
    pub created_by_name: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// `accepted`, `changed`, `rejected`, or none yet.
    pub decision: Option<String>,
    /// What the worker set (the suggested value when accepted; none when rejected).
    pub decided: Option<String>,
    /// Her reason.
    pub decision_reason: Option<String>,
    /// Who decided.
    pub decided_by: Option<Uuid>,
    /// Her name.
    pub decided_by_name: Option<String>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
    /// Version.
    pub version: i64,
}

const COLUMNS: &str = "s.id, s.org_id, s.case_id, s.kind, s.trigger_event, s.config_version, \
     s.subject, s.suggested, s.score, s.reasons, m.display_name AS created_by_name, s.created_at, \
     s.decision, s.decided, s.decision_reason, s.decided_by, d.display_name AS decided_by_name, \
     s.decided_at, s.version FROM suggestion s LEFT JOIN account m ON m.id = s.created_by \
     LEFT JOIN account d ON d.id = s.decided_by";

fn read(r: &sqlx::any::AnyRow) -> Result<SuggestionRow> {
    Ok(SuggestionRow {
        id: uuid(r, "id")?,
        org_id: uuid(r, "org_id")?,
        case_id: uuid(r, "case_id")?,
        kind: r.try_get("kind")?,
        trigger: r.try_get("trigger_event")?,
        config_version: r.try_get("config_version")?,
        subject: r.try_get("subject")?,
        suggested: r.try_get("suggested")?,
        score: r.try_get("score")?,
        reasons: r.try_get("reasons")?,
        created_by_name: r.try_get("created_by_name")?,
        created_at: instant(r, "created_at")?,
        decision: r.try_get("decision")?,
        decided: r.try_get("decided")?,
        decision_reason: r.try_get("decision_reason")?,
        decided_by: opt_uuid(r, "decided_by")?,
        decided_by_name: r.try_get("decided_by_name")?,
        decided_at: opt_instant(r, "decided_at")?,
        version: r.try_get("version")?,
    })
}

/// The case's suggestions of `kind` (every kind: `None`), newest first, at most `limit`.
pub async fn for_case(
    db: &Db,
    case_id: Uuid,
    kind: Option<&str>,
    limit: i64,
) -> Result<Vec<SuggestionRow>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} WHERE s.case_id = $1 AND ($2 = '' OR s.kind = $2) \
         ORDER BY s.created_at DESC, s.id DESC LIMIT $3"
    ))
    .bind(case_id.to_string())
    .bind(kind.unwrap_or_default())
    .bind(limit)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(read)
    .collect()
}

/// One suggestion.
pub async fn get(db: &Db, id: Uuid) -> Result<Option<SuggestionRow>> {
    sqlx::query(&format!("SELECT {COLUMNS} WHERE s.id = $1"))
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?
        .as_ref()
        .map(read)
        .transpose()
}

/// Records the worker's decision on an undecided suggestion at `version`; one decided or
/// changed meanwhile is [`StoreError::StaleVersion`]. Returns the new version.
pub async fn decide(
    tx: &mut Tx,
    id: Uuid,
    version: i64,
    decision: &str,
    decided: Option<&str>,
    reason: Option<&str>,
    by: Uuid,
) -> Result<i64> {
    let r = sqlx::query(
        "UPDATE suggestion SET decision = $1, decided = $2, decision_reason = $3, \
         decided_by = $4, decided_at = $5, version = version + 1 \
         WHERE id = $6 AND version = $7 AND decision IS NULL",
    )
    .bind(decision)
    .bind(decided)
    .bind(reason)
    .bind(by.to_string())
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

/// How the organisation's suggestions of `kind` were decided: `(decision or none, count)`.
pub async fn decision_counts(db: &Db, org: Uuid, kind: &str) -> Result<Vec<(Option<String>, i64)>> {
    sqlx::query(
        "SELECT decision, CAST(COUNT(*) AS BIGINT) AS n FROM suggestion \
         WHERE org_id = $1 AND kind = $2 GROUP BY decision",
    )
    .bind(org.to_string())
    .bind(kind)
    .fetch_all(db.read())
    .await?
    .iter()
    .map(|r| Ok((r.try_get("decision")?, r.try_get("n")?)))
    .collect()
}

/// How the organisation's referrals to each of `services` went: per service, the closed ones
/// completed and those declined or ended early, and the days from sending to acceptance of the
/// accepted ones (for a median), in one statement.
pub async fn referral_outcomes(
    db: &Db,
    org: Uuid,
    services: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, (i64, i64, Vec<i64>)>> {
    let mut out: std::collections::HashMap<Uuid, (i64, i64, Vec<i64>)> =
        std::collections::HashMap::new();
    if services.is_empty() {
        return Ok(out);
    }
    let sql = format!(
        "SELECT service_id, status, sent_at, accepted_at FROM referral \
         WHERE org_id = $1 AND service_id IN ({}) \
         AND (status IN ('completed', 'declined', 'ended_early') OR accepted_at IS NOT NULL)",
        crate::row::placeholders(2, services.len())
    );
    let mut q = sqlx::query(&sql).bind(org.to_string());
    for s in services {
        q = q.bind(s.to_string());
    }
    for r in q.fetch_all(db.read()).await? {
        let service = uuid(&r, "service_id")?;
        let status: String = r.try_get("status")?;
        let e = out.entry(service).or_default();
        match status.as_str() {
            "completed" => e.0 += 1,
            "declined" | "ended_early" => e.1 += 1,
            _ => {}
        }
        if let (Some(sent), Some(accepted)) =
            (opt_instant(&r, "sent_at")?, opt_instant(&r, "accepted_at")?)
        {
            e.2.push((accepted - sent).num_days().max(0));
        }
    }
    Ok(out)
}
