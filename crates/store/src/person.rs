//! Persons, their phones, addresses and identity documents.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{date_db, flag, instant, opt_date, uuid};
use crate::time::now_db;
use chrono::{DateTime, NaiveDate, Utc};
use karuna_domain::person::{ValidDocument, ValidPerson};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// A stored person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    /// Id.
    pub id: Uuid,
    /// Organisation.
    pub org_id: Uuid,
    /// Prefix code.
    pub prefix: Option<String>,
    /// First name (Thai).
    pub first_name_th: Option<String>,
    /// Middle name (Thai).
    pub middle_name_th: Option<String>,
    /// Last name (Thai).
    pub last_name_th: Option<String>,
    /// First name (Latin).
    pub first_name_latin: Option<String>,
    /// Middle name (Latin).
    pub middle_name_latin: Option<String>,
    /// Last name (Latin).
    pub last_name_latin: Option<String>,
    /// Nickname.
    pub nickname: Option<String>,
    /// Sex code.
    pub sex: String,
    /// Exact birth date.
    pub birth_date: Option<NaiveDate>,
    /// Birth year (CE).
    pub birth_year: Option<i64>,
    /// Year only, estimated.
    pub birth_estimated: bool,
    /// Nationality.
    pub nationality: Option<String>,
    /// Ethnicity (sensitive).
    pub ethnicity: Option<String>,
    /// Languages, comma-separated.
    pub languages: String,
    /// Version.
    pub version: i64,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Set on a tombstone: the person this record was merged into.
    pub merged_into: Option<Uuid>,
}

/// A stored identity document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentRow {
    /// Id.
    pub id: Uuid,
    /// Kind code.
    pub kind: String,
    /// Number.
    pub number: String,
    /// Country.
    pub country: Option<String>,
    /// Override reason, when a failed check was overridden.
    pub override_reason: Option<String>,
}

/// A stored address.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AddressRow {
    /// Kind: `current`, `registered` (ทะเบียนบ้าน) or `other`.
    pub kind: String,
    /// House number.
    pub house_no: Option<String>,
    /// หมู่ที่.
    pub moo: Option<String>,
    /// Village or building.
    pub village: Option<String>,
    /// ซอย.
    pub soi: Option<String>,
    /// Road.
    pub road: Option<String>,
    /// Subdistrict code (6 digits).
    pub subdistrict_code: String,
    /// District code (4 digits).
    pub district_code: String,
    /// Province code (2 digits).
    pub province_code: String,
    /// Postcode.
    pub postcode: String,
}

pub(crate) const PERSON_COLS: &str = "id, org_id, prefix, first_name_th, middle_name_th, last_name_th, first_name_latin, \
    middle_name_latin, last_name_latin, nickname, sex, birth_date, birth_year, birth_estimated, nationality, \
    ethnicity, languages, version, created_at, merged_into";

pub(crate) fn person_from(r: &AnyRow) -> Result<PersonRow> {
    Ok(PersonRow {
        id: uuid(r, "id")?,
        org_id: uuid(r, "org_id")?,
        prefix: r.try_get("prefix")?,
        first_name_th: r.try_get("first_name_th")?,
        middle_name_th: r.try_get("middle_name_th")?,
        last_name_th: r.try_get("last_name_th")?,
        first_name_latin: r.try_get("first_name_latin")?,
        middle_name_latin: r.try_get("middle_name_latin")?,
        last_name_latin: r.try_get("last_name_latin")?,
        nickname: r.try_get("nickname")?,
        sex: r.try_get("sex")?,
        birth_date: opt_date(r, "birth_date")?,
        birth_year: r.try_get("birth_year")?,
        birth_estimated: flag(r, "birth_estimated")?,
        nationality: r.try_get("nationality")?,
        ethnicity: r.try_get("ethnicity")?,
        languages: r.try_get("languages")?,
        version: r.try_get("version")?,
        created_at: instant(r, "created_at")?,
        merged_into: crate::row::opt_uuid(r, "merged_into")?,
    })
}

/// Creates a person and their phones.
pub async fn insert_person(
    tx: &mut Tx,
    org_id: Uuid,
    p: &ValidPerson,
    by: Option<Uuid>,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let now = now_db();
    sqlx::query(
        "INSERT INTO person (id, org_id, prefix, first_name_th, middle_name_th, last_name_th, first_name_latin, \
         middle_name_latin, last_name_latin, nickname, sex, birth_date, birth_year, birth_estimated, nationality, \
         ethnicity, languages, created_at, created_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $18)",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(p.prefix.clone())
    .bind(p.first_name_th.clone())
    .bind(p.middle_name_th.clone())
    .bind(p.last_name_th.clone())
    .bind(p.first_name_latin.clone())
    .bind(p.middle_name_latin.clone())
    .bind(p.last_name_latin.clone())
    .bind(p.nickname.clone())
    .bind(&p.sex)
    .bind(p.birth_date.map(date_db))
    .bind(p.birth_year.map(i64::from))
    .bind(i64::from(p.birth_estimated))
    .bind(p.nationality.clone())
    .bind(p.ethnicity.clone())
    .bind(p.languages.join(","))
    .bind(&now)
    .bind(by.map(|b| b.to_string()))
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    for (i, phone) in p.phones.iter().enumerate() {
        sqlx::query(
            "INSERT INTO person_phone (id, person_id, e164, position) VALUES ($1, $2, $3, $4)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(id.to_string())
        .bind(phone)
        .bind(i as i64)
        .execute(&mut **tx)
        .await?;
    }
    crate::matching::refresh_keys(tx, id).await?;
    Ok(id)
}

/// Adds an identity document to a person.
pub async fn insert_document(
    tx: &mut Tx,
    org_id: Uuid,
    person_id: Uuid,
    d: &ValidDocument,
    by: Option<Uuid>,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO identity_document (id, org_id, person_id, kind, number, country, override_reason, \
         overridden_check, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(person_id.to_string())
    .bind(d.kind.code())
    .bind(&d.number)
    .bind(d.country.clone())
    .bind(d.override_reason.clone())
    .bind(d.overridden_check.clone())
    .bind(now_db())
    .bind(by.map(|b| b.to_string()))
    .execute(&mut **tx)
    .await?;
    crate::matching::refresh_keys(tx, person_id).await?;
    crate::search::index::reindex_person(tx, person_id).await?;
    Ok(id)
}

/// Adds an address to a person.
pub async fn insert_address(tx: &mut Tx, person_id: Uuid, a: &AddressRow) -> Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO person_address (id, person_id, kind, house_no, moo, village, soi, road, subdistrict_code, \
         district_code, province_code, postcode, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(id.to_string())
    .bind(person_id.to_string())
    .bind(&a.kind)
    .bind(a.house_no.clone())
    .bind(a.moo.clone())
    .bind(a.village.clone())
    .bind(a.soi.clone())
    .bind(a.road.clone())
    .bind(&a.subdistrict_code)
    .bind(&a.district_code)
    .bind(&a.province_code)
    .bind(&a.postcode)
    .bind(now_db())
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// One person of an organisation.
pub async fn person_by_id(db: &Db, org_id: Uuid, id: Uuid) -> Result<Option<PersonRow>> {
    let row = sqlx::query(&format!(
        "SELECT {PERSON_COLS} FROM person WHERE id = $1 AND org_id = $2"
    ))
    .bind(id.to_string())
    .bind(org_id.to_string())
    .fetch_optional(db.read())
    .await?;
    row.as_ref().map(person_from).transpose()
}

/// Persons of an organisation by id, in one query (ids of other organisations and unknown
/// ids are left out). The lookup goes by primary key only: an `org_id` condition there lets
/// SQLite pick an index led by `org_id` and scan the organisation, so it is checked after.
pub async fn persons_by_ids(db: &Db, org_id: Uuid, ids: &[Uuid]) -> Result<Vec<PersonRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (1..=ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT {PERSON_COLS} FROM person WHERE id IN ({})",
        list.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(id.to_string());
    }
    q.fetch_all(db.read())
        .await?
        .iter()
        .map(person_from)
        .filter(|p| p.as_ref().map_or(true, |p| p.org_id == org_id))
        .collect()
}

/// A person's phones (E.164), in order.
pub async fn phones(db: &Db, person_id: Uuid) -> Result<Vec<String>> {
    Ok(
        sqlx::query_scalar("SELECT e164 FROM person_phone WHERE person_id = $1 ORDER BY position")
            .bind(person_id.to_string())
            .fetch_all(db.read())
            .await?,
    )
}

/// A person's identity documents.
pub async fn documents(db: &Db, person_id: Uuid) -> Result<Vec<DocumentRow>> {
    let rows = sqlx::query(
        "SELECT id, kind, number, country, override_reason FROM identity_document WHERE person_id = $1 ORDER BY created_at",
    )
    .bind(person_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(DocumentRow {
                id: uuid(r, "id")?,
                kind: r.try_get("kind")?,
                number: r.try_get("number")?,
                country: r.try_get("country")?,
                override_reason: r.try_get("override_reason")?,
            })
        })
        .collect()
}

/// A person's addresses.
pub async fn addresses(db: &Db, person_id: Uuid) -> Result<Vec<AddressRow>> {
    let rows = sqlx::query(
        "SELECT kind, house_no, moo, village, soi, road, subdistrict_code, district_code, province_code, postcode \
         FROM person_address WHERE person_id = $1 ORDER BY created_at",
    )
    .bind(person_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter()
        .map(|r| {
            Ok(AddressRow {
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
            })
        })
        .collect()
}

/// Replaces a person's details and phones if still at `version`; returns the new version.
pub async fn update_person(tx: &mut Tx, id: Uuid, version: i64, p: &ValidPerson) -> Result<i64> {
    let r = sqlx::query(
        "UPDATE person SET prefix = $1, first_name_th = $2, middle_name_th = $3, last_name_th = $4, \
         first_name_latin = $5, middle_name_latin = $6, last_name_latin = $7, nickname = $8, sex = $9, birth_date = $10, \
         birth_year = $11, birth_estimated = $12, nationality = $13, ethnicity = $14, languages = $15, \
         version = version + 1, updated_at = $16 WHERE id = $17 AND version = $18",
    )
    .bind(p.prefix.clone())
    .bind(p.first_name_th.clone())
    .bind(p.middle_name_th.clone())
    .bind(p.last_name_th.clone())
    .bind(p.first_name_latin.clone())
    .bind(p.middle_name_latin.clone())
    .bind(p.last_name_latin.clone())
    .bind(p.nickname.clone())
    .bind(&p.sex)
    .bind(p.birth_date.map(date_db))
    .bind(p.birth_year.map(i64::from))
    .bind(i64::from(p.birth_estimated))
    .bind(p.nationality.clone())
    .bind(p.ethnicity.clone())
    .bind(p.languages.join(","))
    .bind(now_db())
    .bind(id.to_string())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    sqlx::query("DELETE FROM person_phone WHERE person_id = $1")
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    for (i, phone) in p.phones.iter().enumerate() {
        sqlx::query(
            "INSERT INTO person_phone (id, person_id, e164, position) VALUES ($1, $2, $3, $4)",
        )
        .bind(Uuid::now_v7().to_string())
        .bind(id.to_string())
        .bind(phone)
        .bind(i as i64)
        .execute(&mut **tx)
        .await?;
    }
    crate::matching::refresh_keys(tx, id).await?;
    crate::search::index::reindex_person(tx, id).await?;
    Ok(version + 1)
}

/// The cases a person is on.
pub async fn cases_of(db: &Db, person_id: Uuid) -> Result<Vec<Uuid>> {
    let ids: Vec<String> =
        sqlx::query_scalar("SELECT case_id FROM case_person WHERE person_id = $1")
            .bind(person_id.to_string())
            .fetch_all(db.read())
            .await?;
    ids.iter()
        .map(|s| Uuid::parse_str(s).map_err(|_| StoreError::Corrupt("uuid")))
        .collect()
}
