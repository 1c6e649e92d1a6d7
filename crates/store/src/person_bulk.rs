//! The bulk path for validated persons (the importer): persons, phones, identity documents,
//! addresses and match keys in multi-row statements, inside the caller's transaction. Writes
//! the same rows as `person::insert_person` + `insert_document` + `insert_address` and the same
//! keys as `matching::refresh_keys`. Persons on no case have no search document (the index
//! holds persons per case), so none is written here.

use crate::db::Tx;
use crate::error::{Result, StoreError};
use crate::matching::insert_keys;
use crate::person::AddressRow;
use crate::row::date_db;
use karuna_domain::person::{ValidDocument, ValidPerson};
use karuna_thai::matching::{match_keys, MatchPerson};
use uuid::Uuid;

/// One person to write with their documents and address.
#[derive(Debug, Clone, Copy)]
pub struct BulkPerson<'a> {
    /// The validated person (with phones).
    pub person: &'a ValidPerson,
    /// Their identity documents.
    pub documents: &'a [ValidDocument],
    /// Their current address.
    pub address: Option<&'a AddressRow>,
}

/// `($1, …, $k), (…)` for `rows` rows of `cols` parameters.
pub fn values_sql(rows: usize, cols: usize) -> String {
    let mut s = String::with_capacity(rows * cols * 5);
    for r in 0..rows {
        if r > 0 {
            s.push_str(", ");
        }
        s.push('(');
        for c in 0..cols {
            if c > 0 {
                s.push_str(", ");
            }
            s.push('$');
            s.push_str(&(r * cols + c + 1).to_string());
        }
        s.push(')');
    }
    s
}

/// What matching compares, from a validated person and their documents.
pub fn match_person_of(p: &ValidPerson, docs: &[ValidDocument]) -> MatchPerson {
    MatchPerson {
        first_th: p.first_name_th.clone(),
        last_th: p.last_name_th.clone(),
        first_latin: p.first_name_latin.clone(),
        last_latin: p.last_name_latin.clone(),
        nickname: p.nickname.clone(),
        birth_date: p.birth_date,
        birth_year: p.birth_year,
        birth_estimated: p.birth_estimated,
        documents: docs
            .iter()
            .map(|d| (d.kind.code().to_string(), d.number.clone()))
            .collect(),
        phones: p.phones.clone(),
    }
}

/// Writes many persons; returns their new ids in order.
pub async fn insert_persons(
    tx: &mut Tx,
    org_id: Uuid,
    by: Option<Uuid>,
    rows: &[BulkPerson<'_>],
) -> Result<Vec<Uuid>> {
    let now = crate::time::now_db();
    let org = org_id.to_string();
    let by = by.map(|b| b.to_string());
    let ids: Vec<Uuid> = rows.iter().map(|_| Uuid::now_v7()).collect();
    const PCOLS: usize = 20;
    for (chunk_ids, chunk) in ids.chunks(200).zip(rows.chunks(200)) {
        let sql = format!(
            "INSERT INTO person (id, org_id, prefix, first_name_th, middle_name_th, last_name_th, first_name_latin, \
             middle_name_latin, last_name_latin, nickname, sex, birth_date, birth_year, birth_estimated, nationality, \
             ethnicity, languages, created_at, created_by, updated_at) VALUES {}",
            values_sql(chunk.len(), PCOLS)
        );
        let mut q = sqlx::query(&sql);
        for (id, r) in chunk_ids.iter().zip(chunk) {
            let p = r.person;
            q = q
                .bind(id.to_string())
                .bind(org.clone())
                .bind(p.prefix.clone())
                .bind(p.first_name_th.clone())
                .bind(p.middle_name_th.clone())
                .bind(p.last_name_th.clone())
                .bind(p.first_name_latin.clone())
                .bind(p.middle_name_latin.clone())
                .bind(p.last_name_latin.clone())
                .bind(p.nickname.clone())
                .bind(p.sex.clone())
                .bind(p.birth_date.map(date_db))
                .bind(p.birth_year.map(i64::from))
                .bind(i64::from(p.birth_estimated))
                .bind(p.nationality.clone())
                .bind(p.ethnicity.clone())
                .bind(p.languages.join(","))
                .bind(now.clone())
                .bind(by.clone())
                .bind(now.clone());
        }
        q.execute(&mut **tx)
            .await
            .map_err(StoreError::from_insert)?;
    }

    let phones: Vec<(String, &String, i64)> = ids
        .iter()
        .zip(rows)
        .flat_map(|(id, r)| {
            r.person
                .phones
                .iter()
                .enumerate()
                .map(move |(i, ph)| (id.to_string(), ph, i as i64))
        })
        .collect();
    for chunk in phones.chunks(500) {
        let sql = format!(
            "INSERT INTO person_phone (id, person_id, e164, position) VALUES {}",
            values_sql(chunk.len(), 4)
        );
        let mut q = sqlx::query(&sql);
        for (pid, ph, pos) in chunk {
            q = q
                .bind(Uuid::now_v7().to_string())
                .bind(pid.clone())
                .bind((*ph).clone())
                .bind(*pos);
        }
        q.execute(&mut **tx).await?;
    }

    let docs: Vec<(String, &ValidDocument)> = ids
        .iter()
        .zip(rows)
        .flat_map(|(id, r)| r.documents.iter().map(move |d| (id.to_string(), d)))
        .collect();
    for chunk in docs.chunks(300) {
        let sql = format!(
            "INSERT INTO identity_document (id, org_id, person_id, kind, number, country, override_reason, \
             overridden_check, created_at, created_by) VALUES {}",
            values_sql(chunk.len(), 10)
        );
        let mut q = sqlx::query(&sql);
        for (pid, d) in chunk {
            q = q
                .bind(Uuid::now_v7().to_string())
                .bind(org.clone())
                .bind(pid.clone())
                .bind(d.kind.code())
                .bind(d.number.clone())
                .bind(d.country.clone())
                .bind(d.override_reason.clone())
                .bind(d.overridden_check.clone())
                .bind(now.clone())
                .bind(by.clone());
        }
        q.execute(&mut **tx).await?;
    }

    let addresses: Vec<(String, &AddressRow)> = ids
        .iter()
        .zip(rows)
        .filter_map(|(id, r)| r.address.map(|a| (id.to_string(), a)))
        .collect();
    for chunk in addresses.chunks(200) {
        let sql = format!(
            "INSERT INTO person_address (id, person_id, kind, house_no, moo, village, soi, road, subdistrict_code, \
             district_code, province_code, postcode, created_at) VALUES {}",
            values_sql(chunk.len(), 13)
        );
        let mut q = sqlx::query(&sql);
        for (pid, a) in chunk {
            q = q
                .bind(Uuid::now_v7().to_string())
                .bind(pid.clone())
                .bind(a.kind.clone())
                .bind(a.house_no.clone())
                .bind(a.moo.clone())
                .bind(a.village.clone())
                .bind(a.soi.clone())
                .bind(a.road.clone())
                .bind(a.subdistrict_code.clone())
                .bind(a.district_code.clone())
                .bind(a.province_code.clone())
                .bind(a.postcode.clone())
                .bind(now.clone());
        }
        q.execute(&mut **tx).await?;
    }

    let keyed: Vec<(Uuid, Uuid, Vec<String>)> = ids
        .iter()
        .zip(rows)
        .map(|(id, r)| {
            let keys = match_keys(&match_person_of(r.person, r.documents), false);
            (*id, org_id, keys)
        })
        .collect();
    insert_keys(tx, &keyed).await?;
    Ok(ids)
}

/// Which of `numbers` (documents of `kind`) the organisation already has on record.
pub async fn numbers_on_record(
    db: &crate::Db,
    org_id: Uuid,
    kind: &str,
    numbers: &[String],
) -> Result<std::collections::HashSet<String>> {
    let mut found = std::collections::HashSet::new();
    for chunk in numbers.chunks(500) {
        let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 3)).collect();
        let sql = format!(
            "SELECT number FROM identity_document WHERE org_id = $1 AND kind = $2 AND number IN ({})",
            list.join(", ")
        );
        let mut q = sqlx::query_scalar::<_, String>(&sql)
            .bind(org_id.to_string())
            .bind(kind.to_string());
        for n in chunk {
            q = q.bind(n.clone());
        }
        found.extend(q.fetch_all(db.read()).await?);
    }
    Ok(found)
}

/// The persons (not merged away) holding a document with one of `numbers`, any kind:
/// `(number, person id)` pairs, several per number when several persons hold it.
pub async fn persons_by_document(
    db: &crate::Db,
    org_id: Uuid,
    numbers: &[String],
) -> Result<Vec<(String, Uuid)>> {
    let mut found = Vec::new();
    for chunk in numbers.chunks(500) {
        let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT DISTINCT d.number, d.person_id FROM identity_document d \
             JOIN person p ON p.id = d.person_id \
             WHERE d.org_id = $1 AND p.merged_into IS NULL AND d.number IN ({})",
            list.join(", ")
        );
        let mut q = sqlx::query_as::<_, (String, String)>(&sql).bind(org_id.to_string());
        for n in chunk {
            q = q.bind(n.clone());
        }
        for (number, id) in q.fetch_all(db.read()).await? {
            let id = Uuid::parse_str(&id).map_err(|_| crate::error::StoreError::Corrupt("uuid"))?;
            found.push((number, id));
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_parameters_row_by_row() {
        assert_eq!(values_sql(2, 2), "($1, $2), ($3, $4)");
    }
}
