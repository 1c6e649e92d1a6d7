//! Merging two persons and undoing it, inside the caller's transaction. Every row that names
//! the loser is moved to the survivor and listed in `person_merge_row`, so an undo moves exactly
//! those rows back. The loser stays as a tombstone (`person.merged_into`).

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{instant, opt_instant, uuid};
use crate::time::now_db;
use chrono::{DateTime, Utc};
use karuna_domain::access::PersonFacts;
use sqlx::Row;
use uuid::Uuid;

/// A recorded merge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeRow {
    /// Id.
    pub id: Uuid,
    /// Organisation.
    pub org_id: Uuid,
    /// The person kept.
    pub survivor_id: Uuid,
    /// The person that became a tombstone.
    pub loser_id: Uuid,
    /// Why (the supervisor's words).
    pub reason: String,
    /// Who merged.
    pub merged_by: Uuid,
    /// When.
    pub merged_at: DateTime<Utc>,
    /// When undone, if it was.
    pub undone_at: Option<DateTime<Utc>>,
}

/// One row a merge moved (or removed).
#[derive(Debug, Clone, PartialEq, Eq)]
struct MovedRow {
    table: String,
    key: String,
    action: String,
    data: Option<String>,
}

/// The person column of each table a merge moves, and how a row is named.
const MOVED: &[(&str, &str, &str)] = &[
    ("case_file", "client_id", "id"),
    ("consent", "person_id", "id"),
    ("promise", "to_person_id", "id"),
    ("person_address", "person_id", "id"),
];

/// Bumps a live (not merged) person's version if it is still `version`, optionally turning it
/// into a tombstone of `merged_into`. `StaleVersion` when it changed or is a tombstone.
pub async fn bump(
    tx: &mut Tx,
    org_id: Uuid,
    id: Uuid,
    version: i64,
    merged_into: Option<Uuid>,
) -> Result<()> {
    let r = sqlx::query(
        "UPDATE person SET version = version + 1, updated_at = $1, merged_into = $2 \
         WHERE id = $3 AND org_id = $4 AND version = $5 AND merged_into IS NULL",
    )
    .bind(now_db())
    .bind(merged_into.map(|m| m.to_string()))
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(())
}

/// True when the two persons are on one case and one of them is its client (a person cannot be
/// their own relative: such a pair is not merged).
pub async fn share_a_case_as_client(tx: &mut Tx, a: Uuid, b: Uuid) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM case_person x JOIN case_person y ON y.case_id = x.case_id \
         WHERE x.person_id = $1 AND y.person_id = $2 \
         AND (x.relationship = 'client' OR y.relationship = 'client')",
    )
    .bind(a.to_string())
    .bind(b.to_string())
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}

async fn ids_where(tx: &mut Tx, sql: &str, person: Uuid) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(sql)
        .bind(person.to_string())
        .fetch_all(&mut **tx)
        .await?)
}

/// Moves every link of `loser` to `survivor` and records each moved row under a new merge;
/// returns the merge id and how many rows were moved or removed. Conflicts: the loser's
/// `case_person` row on a case the survivor is already on is removed (kept in the record);
/// identity documents (same kind and number) and phones (same number) the survivor already
/// has stay with the tombstone. The caller has bumped both versions (`bump`).
pub async fn merge(
    tx: &mut Tx,
    org_id: Uuid,
    survivor: Uuid,
    loser: Uuid,
    by: Uuid,
    reason: &str,
) -> Result<(Uuid, usize)> {
    let merge_id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO person_merge (id, org_id, survivor_id, loser_id, reason, merged_by, merged_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(merge_id.to_string())
    .bind(org_id.to_string())
    .bind(survivor.to_string())
    .bind(loser.to_string())
    .bind(reason)
    .bind(by.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await?;
    let (s, l) = (survivor.to_string(), loser.to_string());
    let mut moved: Vec<MovedRow> = Vec::new();
    let mv = |table: &str, key: String| MovedRow {
        table: table.into(),
        key,
        action: "moved".into(),
        data: None,
    };
    for (table, col, key) in MOVED {
        let sel = format!("SELECT {key} FROM {table} WHERE {col} = $1");
        for k in ids_where(tx, &sel, loser).await? {
            moved.push(mv(table, k));
        }
        sqlx::query(&format!("UPDATE {table} SET {col} = $1 WHERE {col} = $2"))
            .bind(&s)
            .bind(&l)
            .execute(&mut **tx)
            .await?;
    }
    // Involved persons: a case both are on keeps the survivor's row.
    let rows = sqlx::query(
        "SELECT case_id, relationship, added_at, (SELECT COUNT(*) FROM case_person o \
         WHERE o.case_id = cp.case_id AND o.person_id = $2) AS both_on \
         FROM case_person cp WHERE cp.person_id = $1",
    )
    .bind(&l)
    .bind(&s)
    .fetch_all(&mut **tx)
    .await?;
    for r in &rows {
        let case: String = r.try_get("case_id")?;
        let both: bool = crate::row::flag(r, "both_on")?;
        if both {
            let data = serde_json::json!({
                "relationship": r.try_get::<String, _>("relationship")?,
                "added_at": r.try_get::<String, _>("added_at")?,
            });
            sqlx::query("DELETE FROM case_person WHERE case_id = $1 AND person_id = $2")
                .bind(&case)
                .bind(&l)
                .execute(&mut **tx)
                .await?;
            moved.push(MovedRow {
                table: "case_person".into(),
                key: case,
                action: "removed".into(),
                data: Some(data.to_string()),
            });
        } else {
            moved.push(mv("case_person", case));
        }
    }
    sqlx::query("UPDATE case_person SET person_id = $1 WHERE person_id = $2")
        .bind(&s)
        .bind(&l)
        .execute(&mut **tx)
        .await?;
    // Contact participants have no id of their own: named by contact and position.
    let rows =
        sqlx::query("SELECT contact_id, position FROM contact_participant WHERE person_id = $1")
            .bind(&l)
            .fetch_all(&mut **tx)
            .await?;
    for r in &rows {
        let contact: String = r.try_get("contact_id")?;
        let position: i64 = r.try_get("position")?;
        moved.push(mv("contact_participant", format!("{contact}:{position}")));
    }
    sqlx::query("UPDATE contact_participant SET person_id = $1 WHERE person_id = $2")
        .bind(&s)
        .bind(&l)
        .execute(&mut **tx)
        .await?;
    // Documents the survivor does not already have.
    let docs: Vec<String> = sqlx::query_scalar(
        "SELECT d.id FROM identity_document d WHERE d.person_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM identity_document o WHERE o.person_id = $2 AND o.kind = d.kind AND o.number = d.number)",
    )
    .bind(&l)
    .bind(&s)
    .fetch_all(&mut **tx)
    .await?;
    for id in docs {
        set_person(tx, "identity_document", "id", &id, &s).await?;
        moved.push(mv("identity_document", id));
    }
    // Phones the survivor does not already have, after the survivor's own (old position kept).
    let next: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(position) + 1, 0) FROM person_phone WHERE person_id = $1",
    )
    .bind(&s)
    .fetch_one(&mut **tx)
    .await?;
    let phones = sqlx::query(
        "SELECT p.id, p.position FROM person_phone p WHERE p.person_id = $1 AND NOT EXISTS \
         (SELECT 1 FROM person_phone o WHERE o.person_id = $2 AND o.e164 = p.e164) ORDER BY p.position",
    )
    .bind(&l)
    .bind(&s)
    .fetch_all(&mut **tx)
    .await?;
    for (i, r) in phones.iter().enumerate() {
        let id: String = r.try_get("id")?;
        let old: i64 = r.try_get("position")?;
        sqlx::query("UPDATE person_phone SET person_id = $1, position = $2 WHERE id = $3")
            .bind(&s)
            .bind(next + i as i64)
            .bind(&id)
            .execute(&mut **tx)
            .await?;
        moved.push(MovedRow {
            table: "person_phone".into(),
            key: id,
            action: "moved".into(),
            data: Some(serde_json::json!({ "position": old }).to_string()),
        });
    }
    for (i, m) in moved.iter().enumerate() {
        sqlx::query(
            "INSERT INTO person_merge_row (merge_id, position, table_name, row_key, action, data) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(merge_id.to_string())
        .bind(i as i64)
        .bind(&m.table)
        .bind(&m.key)
        .bind(&m.action)
        .bind(m.data.clone())
        .execute(&mut **tx)
        .await?;
    }
    refresh(tx, &[survivor, loser]).await?;
    Ok((merge_id, moved.len()))
}

async fn set_person(
    tx: &mut Tx,
    table: &str,
    key_col: &str,
    key: &str,
    person: &str,
) -> Result<()> {
    let col = person_column(table);
    sqlx::query(&format!(
        "UPDATE {table} SET {col} = $1 WHERE {key_col} = $2"
    ))
    .bind(person)
    .bind(key)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn person_column(table: &str) -> &'static str {
    match table {
        "case_file" => "client_id",
        "promise" => "to_person_id",
        _ => "person_id",
    }
}

/// Match keys and search documents of the persons, from their rows as they are now (a
/// tombstone loses both: it is found neither by matching nor by search).
async fn refresh(tx: &mut Tx, persons: &[Uuid]) -> Result<()> {
    for p in persons {
        let tomb: Option<Option<String>> =
            sqlx::query_scalar("SELECT merged_into FROM person WHERE id = $1")
                .bind(p.to_string())
                .fetch_optional(&mut **tx)
                .await?;
        if matches!(tomb, Some(Some(_))) {
            sqlx::query("DELETE FROM person_match_key WHERE person_id = $1")
                .bind(p.to_string())
                .execute(&mut **tx)
                .await?;
            crate::search::index::remove_docs(tx, "person", *p).await?;
        } else {
            crate::matching::refresh_keys(tx, *p).await?;
            crate::search::index::reindex_person(tx, *p).await?;
        }
    }
    Ok(())
}

/// Why a merge can no longer be undone exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UndoBlocker {
    /// It was undone already.
    AlreadyUndone,
    /// The survivor was merged into someone else since (undo that merge first).
    SurvivorMerged,
    /// A moved row no longer names the survivor (moved again, deleted) or is gone.
    RowChanged,
}

/// A merge of the organisation by id.
pub async fn merge_by_id(db: &Db, org_id: Uuid, id: Uuid) -> Result<Option<MergeRow>> {
    let r = sqlx::query(
        "SELECT id, org_id, survivor_id, loser_id, reason, merged_by, merged_at, undone_at \
         FROM person_merge WHERE id = $1 AND org_id = $2",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .fetch_optional(db.read())
    .await?;
    r.map(|r| {
        Ok(MergeRow {
            id: uuid(&r, "id")?,
            org_id: uuid(&r, "org_id")?,
            survivor_id: uuid(&r, "survivor_id")?,
            loser_id: uuid(&r, "loser_id")?,
            reason: r.try_get("reason")?,
            merged_by: uuid(&r, "merged_by")?,
            merged_at: instant(&r, "merged_at")?,
            undone_at: opt_instant(&r, "undone_at")?,
        })
    })
    .transpose()
}

async fn moved_rows(tx: &mut Tx, merge_id: Uuid) -> Result<Vec<MovedRow>> {
    let rows = sqlx::query(
        "SELECT table_name, row_key, action, data FROM person_merge_row WHERE merge_id = $1 ORDER BY position",
    )
    .bind(merge_id.to_string())
    .fetch_all(&mut **tx)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(MovedRow {
                table: r.try_get("table_name")?,
                key: r.try_get("row_key")?,
                action: r.try_get("action")?,
                data: r.try_get("data")?,
            })
        })
        .collect()
}

/// A moved row found again: the WHERE clause over its key and the person it must name, with
/// parameters numbered from `$n` (key, person, then the position of a contact participant).
fn row_cond(m: &MovedRow, n: usize) -> Result<(String, String, Option<i64>)> {
    let (k, p, pos) = (n, n + 1, n + 2);
    Ok(match m.table.as_str() {
        "case_person" => (
            format!("case_id = ${k} AND person_id = ${p}"),
            m.key.clone(),
            None,
        ),
        "contact_participant" => {
            let (contact, position) = m
                .key
                .split_once(':')
                .ok_or(StoreError::Corrupt("person_merge_row"))?;
            let position = position
                .parse::<i64>()
                .map_err(|_| StoreError::Corrupt("person_merge_row"))?;
            (
                format!("contact_id = ${k} AND person_id = ${p} AND position = ${pos}"),
                contact.to_string(),
                Some(position),
            )
        }
        "case_file" | "consent" | "promise" | "person_address" | "identity_document"
        | "person_phone" => (
            format!("id = ${k} AND {} = ${p}", person_column(&m.table)),
            m.key.clone(),
            None,
        ),
        _ => return Err(StoreError::Corrupt("person_merge_row")),
    })
}

/// Whether the merge can still be undone exactly: every moved row still exists and still
/// names the survivor, the loser is still its tombstone and the survivor is not a tombstone.
pub async fn undo_blocker(tx: &mut Tx, m: &MergeRow) -> Result<Option<UndoBlocker>> {
    let undone: Option<String> =
        sqlx::query_scalar("SELECT undone_at FROM person_merge WHERE id = $1")
            .bind(m.id.to_string())
            .fetch_one(&mut **tx)
            .await?;
    if undone.is_some() {
        return Ok(Some(UndoBlocker::AlreadyUndone));
    }
    if merged_into(tx, m.survivor_id).await?.is_some() {
        return Ok(Some(UndoBlocker::SurvivorMerged));
    }
    if merged_into(tx, m.loser_id).await? != Some(m.survivor_id.to_string()) {
        return Ok(Some(UndoBlocker::RowChanged));
    }
    for row in moved_rows(tx, m.id).await? {
        if row.action != "moved" {
            continue;
        }
        let (cond, key, position) = row_cond(&row, 1)?;
        let sql = format!("SELECT COUNT(*) FROM {} WHERE {cond}", row.table);
        let mut q = sqlx::query_scalar::<_, i64>(&sql)
            .bind(key)
            .bind(m.survivor_id.to_string());
        if let Some(p) = position {
            q = q.bind(p);
        }
        if q.fetch_one(&mut **tx).await? != 1 {
            return Ok(Some(UndoBlocker::RowChanged));
        }
    }
    Ok(None)
}

async fn merged_into(tx: &mut Tx, id: Uuid) -> Result<Option<String>> {
    Ok(
        sqlx::query_scalar::<_, Option<String>>("SELECT merged_into FROM person WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut **tx)
            .await?
            .flatten(),
    )
}

/// Moves the merge's rows back to the loser (phones to their old positions, removed
/// `case_person` rows inserted again), makes the loser a live person again, bumps both
/// versions and marks the merge undone; returns how many rows went back. The caller checked
/// `undo_blocker` in the same transaction.
pub async fn undo(tx: &mut Tx, m: &MergeRow, by: Uuid, reason: &str) -> Result<usize> {
    let rows = moved_rows(tx, m.id).await?;
    let (s, l) = (m.survivor_id.to_string(), m.loser_id.to_string());
    for row in &rows {
        let data: serde_json::Value = match &row.data {
            Some(d) => {
                serde_json::from_str(d).map_err(|_| StoreError::Corrupt("person_merge_row"))?
            }
            None => serde_json::Value::Null,
        };
        if row.action == "removed" {
            let text = |k: &str| {
                data.get(k)
                    .and_then(|v| v.as_str())
                    .map(str::to_string)
                    .ok_or(StoreError::Corrupt("person_merge_row"))
            };
            sqlx::query(
                "INSERT INTO case_person (case_id, person_id, relationship, added_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(&row.key)
            .bind(&l)
            .bind(text("relationship")?)
            .bind(text("added_at")?)
            .execute(&mut **tx)
            .await?;
            continue;
        }
        let (cond, key, position) = row_cond(row, 2)?;
        let col = person_column(&row.table);
        let sql = if row.table == "person_phone" {
            format!(
                "UPDATE person_phone SET {col} = $1, position = ${} WHERE {cond}",
                4
            )
        } else {
            format!("UPDATE {} SET {col} = $1 WHERE {cond}", row.table)
        };
        let mut q = sqlx::query(&sql).bind(&l).bind(key).bind(&s);
        if let Some(p) = position {
            q = q.bind(p);
        }
        if row.table == "person_phone" {
            let old = data
                .get("position")
                .and_then(|v| v.as_i64())
                .ok_or(StoreError::Corrupt("person_merge_row"))?;
            q = q.bind(old);
        }
        q.execute(&mut **tx).await?;
    }
    sqlx::query(
        "UPDATE person SET merged_into = NULL, version = version + 1, updated_at = $1 WHERE id = $2",
    )
    .bind(now_db())
    .bind(&l)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE person SET version = version + 1, updated_at = $1 WHERE id = $2")
        .bind(now_db())
        .bind(&s)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "UPDATE person_merge SET undone_at = $1, undone_by = $2, undo_reason = $3 WHERE id = $4",
    )
    .bind(now_db())
    .bind(by.to_string())
    .bind(reason)
    .bind(m.id.to_string())
    .execute(&mut **tx)
    .await?;
    refresh(tx, &[m.survivor_id, m.loser_id]).await?;
    Ok(rows.len())
}

/// The facts the policy needs about each person: units of their cases, and (unit, manager) of
/// the sensitive cases they are the client of.
pub async fn facts(db: &Db, org_id: Uuid, ids: &[Uuid]) -> Result<Vec<PersonFacts>> {
    let mut out = Vec::new();
    for id in ids {
        let units: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT c.unit_id FROM case_person cp JOIN case_file c ON c.id = cp.case_id              WHERE cp.person_id = $1",
        )
        .bind(id.to_string())
        .fetch_all(db.read())
        .await?;
        let sensitive = sqlx::query(
            "SELECT unit_id, manager_id FROM case_file WHERE client_id = $1 AND sensitive = 1",
        )
        .bind(id.to_string())
        .fetch_all(db.read())
        .await?;
        out.push(PersonFacts {
            org_id,
            case_units: units
                .iter()
                .map(|u| Uuid::parse_str(u).map_err(|_| StoreError::Corrupt("uuid")))
                .collect::<Result<_>>()?,
            sensitive_client_of: sensitive
                .iter()
                .map(|r| Ok((uuid(r, "unit_id")?, uuid(r, "manager_id")?)))
                .collect::<Result<_>>()?,
        });
    }
    Ok(out)
}

/// Records that two persons are not the same (the pair stored smaller id first); false when it
/// was recorded already.
pub async fn dismiss(
    tx: &mut Tx,
    org_id: Uuid,
    a: Uuid,
    b: Uuid,
    by: Uuid,
    reason: &str,
) -> Result<bool> {
    let (x, y) = if a.to_string() <= b.to_string() {
        (a, b)
    } else {
        (b, a)
    };
    let exists: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM person_not_duplicate WHERE person_a = $1 AND person_b = $2",
    )
    .bind(x.to_string())
    .bind(y.to_string())
    .fetch_optional(&mut **tx)
    .await?;
    if exists.is_some() {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO person_not_duplicate (org_id, person_a, person_b, reason, decided_by, decided_at)          VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(org_id.to_string())
    .bind(x.to_string())
    .bind(y.to_string())
    .bind(reason)
    .bind(by.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await?;
    Ok(true)
}
