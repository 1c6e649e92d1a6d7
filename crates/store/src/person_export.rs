//! Reads for the persons export: the persons on the cases a scope may open (the case list's
//! need-to-know predicate), a page at a time in id order, and their phones, documents and
//! addresses for a page in one query each.

use crate::case_list::{scope_set_sql, Scope};
use crate::db::Db;
use crate::error::Result;
use crate::person::{person_from, AddressRow, PersonRow, PERSON_COLS};
use crate::row::placeholders;
use crate::row::uuid;
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

/// Up to `limit` persons on a case in `scope`, after `after` in id order.
pub async fn persons_in_scope(
    db: &Db,
    scope: Scope,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<PersonRow>> {
    let cols: Vec<String> = PERSON_COLS
        .split(", ")
        .map(|c| format!("p.{}", c.trim()))
        .collect();
    let sql = format!(
        "SELECT {} FROM person p WHERE p.org_id = $1 AND p.id > $4 AND EXISTS (SELECT 1 FROM case_person cp \
         JOIN case_file c ON c.id = cp.case_id WHERE cp.person_id = p.id AND {}) ORDER BY p.id LIMIT {}",
        cols.join(", "),
        scope_set_sql(1),
        limit.clamp(1, 10_000)
    );
    let rows = crate::case_list::scoped_page(db, &sql, scope, after).await?;
    rows.iter().map(person_from).collect()
}

async fn rows_for(db: &Db, select: &str, ids: &[Uuid]) -> Result<Vec<sqlx::any::AnyRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = select.replace("{ids}", &placeholders(1, ids.len()));
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(id.to_string());
    }
    Ok(q.fetch_all(db.read()).await?)
}

/// The phones (E.164, in order) of each of `ids`.
pub async fn phones_of(db: &Db, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<String>>> {
    let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
    let rows = rows_for(
        db,
        "SELECT person_id, e164 FROM person_phone WHERE person_id IN ({ids}) ORDER BY person_id, position",
        ids,
    )
    .await?;
    for r in &rows {
        out.entry(uuid(r, "person_id")?)
            .or_default()
            .push(r.try_get("e164")?);
    }
    Ok(out)
}

/// The identity documents (kind, number, country) of each of `ids`, oldest first.
pub async fn documents_of(
    db: &Db,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<(String, String, Option<String>)>>> {
    let mut out: HashMap<Uuid, Vec<(String, String, Option<String>)>> = HashMap::new();
    let rows = rows_for(
        db,
        "SELECT person_id, kind, number, country FROM identity_document WHERE person_id IN ({ids}) \
         ORDER BY person_id, created_at, id",
        ids,
    )
    .await?;
    for r in &rows {
        out.entry(uuid(r, "person_id")?).or_default().push((
            r.try_get("kind")?,
            r.try_get("number")?,
            r.try_get("country")?,
        ));
    }
    Ok(out)
}

/// The first current address of each of `ids`.
pub async fn addresses_of(db: &Db, ids: &[Uuid]) -> Result<HashMap<Uuid, AddressRow>> {
    let mut out = HashMap::new();
    let rows = rows_for(
        db,
        "SELECT person_id, kind, house_no, moo, village, soi, road, subdistrict_code, district_code, \
         province_code, postcode FROM person_address WHERE person_id IN ({ids}) AND kind = 'current' \
         ORDER BY person_id, created_at DESC",
        ids,
    )
    .await?;
    for r in &rows {
        out.entry(uuid(r, "person_id")?).or_insert(AddressRow {
            kind: r.try_get("kind")?,
            house_no: r.try_get("house_no")?,
            moo: r.try_get("moo")?,
            village: r.try_get("village")?,
            soi: r.try_get("soi")?,
            road: r.try_get("road")?,
            subdistrict_code: r.try_get("subdistrict_code")?,
            district_code: r.try_get("district_code")?,
            province_code: r.try_get("province_code")?,
            postcode: r.try_get("postcode")?,
        });
    }
    Ok(out)
}
