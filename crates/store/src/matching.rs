//! Match keys of persons (`person_match_key`) and the reads the duplicate check needs: the
//! persons behind a set of keys, loaded in bulk for scoring, and which of them are clients of
//! sensitive cases the viewer may not identify.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::person::{person_from, PersonRow, PERSON_COLS};
use crate::row::placeholders;
use karuna_thai::matching::{match_keys, MatchPerson};
use sqlx::Row;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// What matching compares, from a stored person, their phones and their documents.
pub fn match_person(
    p: &PersonRow,
    phones: Vec<String>,
    documents: Vec<(String, String)>,
) -> MatchPerson {
    MatchPerson {
        first_th: p.first_name_th.clone(),
        last_th: p.last_name_th.clone(),
        first_latin: p.first_name_latin.clone(),
        last_latin: p.last_name_latin.clone(),
        nickname: p.nickname.clone(),
        birth_date: p.birth_date,
        birth_year: p.birth_year.and_then(|y| i32::try_from(y).ok()),
        birth_estimated: p.birth_estimated,
        documents,
        phones,
    }
}

/// Writes the keys of one person (replacing any earlier ones).
pub async fn write_keys(tx: &mut Tx, org_id: Uuid, person_id: Uuid, keys: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM person_match_key WHERE person_id = $1")
        .bind(person_id.to_string())
        .execute(&mut **tx)
        .await?;
    insert_keys(tx, &[(person_id, org_id, keys.to_vec())]).await
}

/// Inserts the keys of many persons in multi-row statements (no deletion first): the bulk path.
pub async fn insert_keys(tx: &mut Tx, rows: &[(Uuid, Uuid, Vec<String>)]) -> Result<()> {
    let flat: Vec<(String, String, &String)> = rows
        .iter()
        .flat_map(|(p, o, ks)| ks.iter().map(move |k| (p.to_string(), o.to_string(), k)))
        .collect();
    for chunk in flat.chunks(300) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
            .collect();
        let sql = format!(
            "INSERT INTO person_match_key (person_id, org_id, match_key) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (p, o, k) in chunk {
            q = q.bind(p.clone()).bind(o.clone()).bind((*k).clone());
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Recomputes a person's keys inside the transaction that changed them (their details, phones
/// or documents), so the keys never lag behind the record.
pub async fn refresh_keys(tx: &mut Tx, person_id: Uuid) -> Result<()> {
    let row = sqlx::query(&format!("SELECT {PERSON_COLS} FROM person WHERE id = $1"))
        .bind(person_id.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else {
        return Ok(());
    };
    let p = person_from(&row)?;
    let phones: Vec<String> =
        sqlx::query_scalar("SELECT e164 FROM person_phone WHERE person_id = $1")
            .bind(person_id.to_string())
            .fetch_all(&mut **tx)
            .await?;
    let docs = sqlx::query("SELECT kind, number FROM identity_document WHERE person_id = $1")
        .bind(person_id.to_string())
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("kind")?, r.try_get("number")?)))
        .collect::<Result<Vec<(String, String)>>>()?;
    let keys = match_keys(&match_person(&p, phones, docs), false);
    write_keys(tx, p.org_id, person_id, &keys).await
}

/// Computes the keys of every person (run by migrations 0006 and 0050, in their transaction).
pub async fn backfill(tx: &mut Tx) -> Result<u64> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM person ORDER BY id")
        .fetch_all(&mut **tx)
        .await?;
    for id in &ids {
        let id = Uuid::parse_str(id).map_err(|_| StoreError::Corrupt("uuid"))?;
        refresh_keys(tx, id).await?;
    }
    Ok(ids.len() as u64)
}

/// The persons of an organisation sharing at least one key with `keys`, most shared keys first,
/// at most `limit`.
pub async fn candidate_ids(
    db: &Db,
    org_id: Uuid,
    keys: &[String],
    limit: i64,
) -> Result<Vec<Uuid>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT person_id, COUNT(*) AS hits FROM person_match_key WHERE org_id = $1 AND match_key IN ({}) \
         GROUP BY person_id ORDER BY hits DESC, person_id LIMIT {}",
        placeholders(2, keys.len()),
        limit.max(1)
    );
    let mut q = sqlx::query(&sql).bind(org_id.to_string());
    for k in keys {
        q = q.bind(k.clone());
    }
    q.fetch_all(db.read())
        .await?
        .iter()
        .map(|r| crate::row::uuid(r, "person_id"))
        .collect()
}

/// Persons by id with what matching compares, in one query per table
/// (`person::persons_by_ids`, then phones and documents by person); persons of another
/// organisation are dropped.
pub async fn load(db: &Db, org_id: Uuid, ids: &[Uuid]) -> Result<Vec<(PersonRow, MatchPerson)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholders(1, ids.len());
    fn bound<'q>(
        sql: &'q str,
        ids: &[Uuid],
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        let mut q = sqlx::query(sql);
        for id in ids {
            q = q.bind(id.to_string());
        }
        q
    }
    let persons = crate::person::persons_by_ids(db, org_id, ids).await?;
    let mut phones: HashMap<String, Vec<String>> = HashMap::new();
    let sql = format!("SELECT person_id, e164 FROM person_phone WHERE person_id IN ({list})");
    for r in bound(&sql, ids).fetch_all(db.read()).await? {
        phones
            .entry(r.try_get("person_id")?)
            .or_default()
            .push(r.try_get("e164")?);
    }
    let mut docs: HashMap<String, Vec<(String, String)>> = HashMap::new();
    let sql = format!(
        "SELECT person_id, kind, number FROM identity_document WHERE person_id IN ({list})"
    );
    for r in bound(&sql, ids).fetch_all(db.read()).await? {
        docs.entry(r.try_get("person_id")?)
            .or_default()
            .push((r.try_get("kind")?, r.try_get("number")?));
    }
    Ok(persons
        .into_iter()
        .map(|p| {
            let id = p.id.to_string();
            let m = match_person(
                &p,
                phones.remove(&id).unwrap_or_default(),
                docs.remove(&id).unwrap_or_default(),
            );
            (p, m)
        })
        .collect())
}

/// Of `ids`, the clients of a sensitive case whose identity the viewer may not see: anyone but
/// the case's manager and (when `supervised_unit` is given) the supervisors of its unit — the
/// rule of `domain::access` for `SeeClientIdentity`, as SQL.
pub async fn hidden_clients(
    db: &Db,
    ids: &[Uuid],
    viewer: Uuid,
    supervised_unit: Option<Uuid>,
) -> Result<HashSet<Uuid>> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let sql = format!(
        "SELECT DISTINCT client_id FROM case_file WHERE sensitive = 1 AND manager_id <> $1 \
         AND unit_id <> $2 AND client_id IN ({})",
        placeholders(3, ids.len())
    );
    let unit = supervised_unit.map(|u| u.to_string()).unwrap_or_default();
    let mut q = sqlx::query(&sql).bind(viewer.to_string()).bind(unit);
    for id in ids {
        q = q.bind(id.to_string());
    }
    q.fetch_all(db.read())
        .await?
        .iter()
        .map(|r| crate::row::uuid(r, "client_id"))
        .collect()
}

/// Inserts many persons with their phones, documents and match keys in multi-row statements:
/// the bulk path for generated data (`karuna bench duplicates`). Only what matching reads is
/// written (names, birth year, phones, documents); sex is `unknown`.
pub async fn insert_persons_bulk(
    tx: &mut Tx,
    org_id: Uuid,
    persons: &[MatchPerson],
) -> Result<Vec<Uuid>> {
    let now = crate::time::now_db();
    let ids: Vec<Uuid> = persons.iter().map(|_| Uuid::now_v7()).collect();
    let org = org_id.to_string();
    for (chunk_ids, chunk) in ids.chunks(50).zip(persons.chunks(50)) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = 7 * i;
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${}, ${}, 'unknown', ${}, ${})",
                    b + 1,
                    b + 2,
                    b + 3,
                    b + 4,
                    b + 5,
                    b + 6,
                    b + 7,
                    7 * chunk.len() + 1,
                    7 * chunk.len() + 1
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO person (id, org_id, first_name_th, last_name_th, first_name_latin, last_name_latin, \
             birth_year, sex, created_at, updated_at) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (id, p) in chunk_ids.iter().zip(chunk) {
            q = q
                .bind(id.to_string())
                .bind(org.clone())
                .bind(p.first_th.clone())
                .bind(p.last_th.clone())
                .bind(p.first_latin.clone())
                .bind(p.last_latin.clone())
                .bind(p.birth_year.map(i64::from));
        }
        q.bind(now.clone()).execute(&mut **tx).await?;
    }
    let phones: Vec<(String, &String)> = ids
        .iter()
        .zip(persons)
        .flat_map(|(id, p)| p.phones.iter().map(move |ph| (id.to_string(), ph)))
        .collect();
    for chunk in phones.chunks(200) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, ${}, ${}, 0)", 3 * i + 1, 3 * i + 2, 3 * i + 3))
            .collect();
        let sql = format!(
            "INSERT INTO person_phone (id, person_id, e164, position) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (pid, ph) in chunk {
            q = q
                .bind(Uuid::now_v7().to_string())
                .bind(pid.clone())
                .bind((*ph).clone());
        }
        q.execute(&mut **tx).await?;
    }
    let docs: Vec<(String, &(String, String))> = ids
        .iter()
        .zip(persons)
        .flat_map(|(id, p)| p.documents.iter().map(move |d| (id.to_string(), d)))
        .collect();
    for chunk in docs.chunks(150) {
        let n = chunk.len();
        let values: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    "(${}, ${}, ${}, ${}, ${}, ${})",
                    4 * i + 1,
                    4 * n + 1,
                    4 * i + 2,
                    4 * i + 3,
                    4 * i + 4,
                    4 * n + 2
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO identity_document (id, org_id, person_id, kind, number, created_at) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for (pid, (kind, number)) in chunk {
            q = q
                .bind(Uuid::now_v7().to_string())
                .bind(pid.clone())
                .bind(kind.clone())
                .bind(number.clone());
        }
        q.bind(org.clone())
            .bind(now.clone())
            .execute(&mut **tx)
            .await?;
    }
    let keyed: Vec<(Uuid, Uuid, Vec<String>)> = ids
        .iter()
        .zip(persons)
        .map(|(id, p)| (*id, org_id, match_keys(p, false)))
        .collect();
    insert_keys(tx, &keyed).await?;
    Ok(ids)
}
