//! Consultation threads of a case: the question, replies, mentions and the resolution.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{instant, opt_instant, placeholders, uuid};
use crate::time::now_db;
use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// A thread.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultationRow {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Subject.
    pub subject: String,
    /// The question.
    pub question: String,
    /// Who asked.
    pub asked_by: Uuid,
    /// Their name.
    pub asked_by_name: String,
    /// `open` or `resolved`.
    pub status: String,
    /// The advice taken.
    pub resolution: Option<String>,
    /// Who resolved it (name).
    pub resolved_by_name: Option<String>,
    /// When.
    pub resolved_at: Option<DateTime<Utc>>,
    /// When asked.
    pub created_at: DateTime<Utc>,
    /// Version.
    pub version: i64,
}

const COLS: &str = "t.id, t.case_id, t.subject, t.question, t.asked_by, a.display_name AS asked_by_name, \
    t.status, t.resolution, r.display_name AS resolved_by_name, t.resolved_at, t.created_at, t.version \
    FROM consultation t JOIN account a ON a.id = t.asked_by LEFT JOIN account r ON r.id = t.resolved_by";

fn thread_from(r: &AnyRow) -> Result<ConsultationRow> {
    Ok(ConsultationRow {
        id: uuid(r, "id")?,
        case_id: uuid(r, "case_id")?,
        subject: r.try_get("subject")?,
        question: r.try_get("question")?,
        asked_by: uuid(r, "asked_by")?,
        asked_by_name: r.try_get("asked_by_name")?,
        status: r.try_get("status")?,
        resolution: r.try_get("resolution")?,
        resolved_by_name: r.try_get("resolved_by_name")?,
        resolved_at: opt_instant(r, "resolved_at")?,
        created_at: instant(r, "created_at")?,
        version: r.try_get("version")?,
    })
}

/// Records a thread (open).
pub async fn insert(
    tx: &mut Tx,
    org_id: Uuid,
    case_id: Uuid,
    subject: &str,
    question: &str,
    asked_by: Uuid,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let now = now_db();
    sqlx::query(
        "INSERT INTO consultation (id, org_id, case_id, subject, question, asked_by, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $7)",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(case_id.to_string())
    .bind(subject)
    .bind(question)
    .bind(asked_by.to_string())
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(id)
}

/// Records a reply (and moves the thread's version on, so a resolution made on what was read
/// before it is stale).
pub async fn insert_reply(tx: &mut Tx, thread: Uuid, body: &str, author: Uuid) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let now = now_db();
    sqlx::query(
        "INSERT INTO consultation_reply (id, consultation_id, body, author_id, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id.to_string())
    .bind(thread.to_string())
    .bind(body)
    .bind(author.to_string())
    .bind(&now)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE consultation SET updated_at = $1, version = version + 1 WHERE id = $2")
        .bind(&now)
        .bind(thread.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// Records the colleagues mentioned in the question or a reply.
pub async fn insert_mentions(
    tx: &mut Tx,
    thread: Uuid,
    reply: Option<Uuid>,
    accounts: &[Uuid],
) -> Result<()> {
    for a in accounts {
        sqlx::query(
            "INSERT INTO consultation_mention (id, consultation_id, reply_id, account_id, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(thread.to_string())
        .bind(reply.map(|r| r.to_string()))
        .bind(a.to_string())
        .bind(now_db())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Marks a thread resolved with the advice taken, if it is still open at `version`.
pub async fn resolve(tx: &mut Tx, id: Uuid, version: i64, summary: &str, by: Uuid) -> Result<i64> {
    let now = now_db();
    let r = sqlx::query(
        "UPDATE consultation SET status = 'resolved', resolution = $1, resolved_by = $2, resolved_at = $3, \
         updated_at = $3, version = version + 1 WHERE id = $4 AND version = $5 AND status = 'open'",
    )
    .bind(summary)
    .bind(by.to_string())
    .bind(now)
    .bind(id.to_string())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(version + 1)
}

/// One thread.
pub async fn by_id(db: &Db, id: Uuid) -> Result<Option<ConsultationRow>> {
    let row = sqlx::query(&format!("SELECT {COLS} WHERE t.id = $1"))
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    row.as_ref().map(thread_from).transpose()
}

/// One thread, in a write transaction.
pub async fn by_id_tx(tx: &mut Tx, id: Uuid) -> Result<Option<ConsultationRow>> {
    let row = sqlx::query(&format!("SELECT {COLS} WHERE t.id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    row.as_ref().map(thread_from).transpose()
}

/// The case a thread belongs to.
pub async fn case_of(db: &Db, id: Uuid) -> Result<Option<Uuid>> {
    let s: Option<String> = sqlx::query_scalar("SELECT case_id FROM consultation WHERE id = $1")
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    s.map(|s| Uuid::parse_str(&s).map_err(|_| StoreError::Corrupt("uuid")))
        .transpose()
}

/// A case's threads: open ones first, then newest first.
pub async fn for_case(db: &Db, case_id: Uuid) -> Result<Vec<ConsultationRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLS} WHERE t.case_id = $1 \
         ORDER BY CASE WHEN t.status = 'open' THEN 0 ELSE 1 END, t.created_at DESC, t.id DESC"
    ))
    .bind(case_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(thread_from).collect()
}

/// A reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyRow {
    /// Id.
    pub id: Uuid,
    /// Thread.
    pub consultation_id: Uuid,
    /// Text.
    pub body: String,
    /// Author's name.
    pub author_name: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A mention: who was asked, in the question (no reply) or a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MentionRow {
    /// Thread.
    pub consultation_id: Uuid,
    /// The reply it was made in.
    pub reply_id: Option<Uuid>,
    /// Who.
    pub account_id: Uuid,
    /// Their name.
    pub name: String,
}

/// The replies and mentions of the given threads, oldest first.
pub async fn replies_and_mentions(
    db: &Db,
    threads: &[Uuid],
) -> Result<(Vec<ReplyRow>, Vec<MentionRow>)> {
    let mut replies = Vec::new();
    let mut mentions = Vec::new();
    for chunk in threads.chunks(300) {
        let list = placeholders(1, chunk.len());
        let sql = format!(
            "SELECT r.id, r.consultation_id, r.body, a.display_name AS author_name, r.created_at \
             FROM consultation_reply r JOIN account a ON a.id = r.author_id \
             WHERE r.consultation_id IN ({list}) ORDER BY r.created_at, r.id"
        );
        let mut q = sqlx::query(&sql);
        for t in chunk {
            q = q.bind(t.to_string());
        }
        for r in q.fetch_all(db.read()).await? {
            replies.push(ReplyRow {
                id: uuid(&r, "id")?,
                consultation_id: uuid(&r, "consultation_id")?,
                body: r.try_get("body")?,
                author_name: r.try_get("author_name")?,
                created_at: instant(&r, "created_at")?,
            });
        }
        let sql = format!(
            "SELECT m.consultation_id, m.reply_id, m.account_id, a.display_name AS name \
             FROM consultation_mention m JOIN account a ON a.id = m.account_id \
             WHERE m.consultation_id IN ({list}) ORDER BY m.created_at, m.id"
        );
        let mut q = sqlx::query(&sql);
        for t in chunk {
            q = q.bind(t.to_string());
        }
        for r in q.fetch_all(db.read()).await? {
            mentions.push(MentionRow {
                consultation_id: uuid(&r, "consultation_id")?,
                reply_id: crate::row::opt_uuid(&r, "reply_id")?,
                account_id: uuid(&r, "account_id")?,
                name: r.try_get("name")?,
            });
        }
    }
    Ok((replies, mentions))
}
