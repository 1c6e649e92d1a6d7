//! The resource directory's storage: providers (`resource_org`), their locations and services,
//! each service's areas, and the directory search — the segmented words of a service's names and
//! descriptions in `search_body`, matched token by token (the last token as a prefix) with LIKE,
//! the same on both databases. A directory holds thousands of services, not millions: a scan of
//! one organisation's rows by its index is the whole cost.

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{date_db, flag, instant, opt_date, opt_instant, opt_uuid, placeholders, uuid};
use crate::time::now_db;
use chrono::{DateTime, NaiveDate, Utc};
use karuna_domain::resource::{LocationInput, OrganizationInput, ValidService};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// A provider as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderRow {
    /// Id.
    pub id: Uuid,
    /// Its fields.
    pub fields: OrganizationInput,
    /// Version.
    pub version: i64,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A location as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocationRow {
    /// Id.
    pub id: Uuid,
    /// Its provider.
    pub provider_id: Uuid,
    /// Its fields.
    pub fields: LocationInput,
    /// Version.
    pub version: i64,
}

/// A service as stored, with its provider's name and its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRow {
    /// Id.
    pub id: Uuid,
    /// Its provider.
    pub provider_id: Uuid,
    /// The provider's name.
    pub provider_name: String,
    /// The location, if any.
    pub location_id: Option<Uuid>,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Category codes.
    pub categories: Vec<String>,
    /// Status code.
    pub status: String,
    /// Eligibility in words.
    pub eligibility_description: String,
    /// Eligibility rule.
    pub eligibility_rule: String,
    /// Documents.
    pub required_documents: String,
    /// Fees.
    pub fees: String,
    /// Language codes.
    pub languages: Vec<String>,
    /// Hours.
    pub hours: String,
    /// Phone.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// URL.
    pub url: String,
    /// Capacity.
    pub capacity: Option<i64>,
    /// Free places.
    pub vacancy: Option<i64>,
    /// When the vacancy was last given.
    pub vacancy_updated_at: Option<DateTime<Utc>>,
    /// Everywhere in Thailand.
    pub national: bool,
    /// Province and district codes served (empty when national).
    pub areas: Vec<String>,
    /// Last verified.
    pub last_verified_on: Option<NaiveDate>,
    /// Source.
    pub source: String,
    /// To be verified locally.
    pub verify_locally: bool,
    /// Version.
    pub version: i64,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

fn words(codes: &str) -> Vec<String> {
    codes.split_whitespace().map(str::to_string).collect()
}

fn provider_from(r: &AnyRow) -> Result<ProviderRow> {
    Ok(ProviderRow {
        id: uuid(r, "id")?,
        fields: OrganizationInput {
            name: r.try_get("name")?,
            alternate_name: r.try_get("alternate_name")?,
            description: r.try_get("description")?,
            website: r.try_get("website")?,
            email: r.try_get("email")?,
            phone: r.try_get("phone")?,
            source: r.try_get("source")?,
            verify_locally: flag(r, "verify_locally")?,
        },
        version: r.try_get("version")?,
        updated_at: instant(r, "updated_at")?,
    })
}

fn location_from(r: &AnyRow) -> Result<LocationRow> {
    Ok(LocationRow {
        id: uuid(r, "id")?,
        provider_id: uuid(r, "resource_org_id")?,
        fields: LocationInput {
            name: r.try_get("name")?,
            address: r.try_get("address")?,
            province_code: r.try_get("province_code")?,
            district_code: r.try_get("district_code")?,
            hours: r.try_get("hours")?,
            source: r.try_get("source")?,
            verify_locally: flag(r, "verify_locally")?,
        },
        version: r.try_get("version")?,
    })
}

const SERVICE_COLS: &str =
    "s.id, s.resource_org_id, p.name AS provider_name, s.location_id, s.name, \
    s.description, s.categories, s.status, s.eligibility_description, s.eligibility_rule, \
    s.required_documents, s.fees, s.languages, s.hours, s.phone, s.email, s.url, s.capacity, \
    s.vacancy, s.vacancy_updated_at, s.national, s.last_verified_on, s.source, s.verify_locally, \
    s.version, s.updated_at";

fn service_from(r: &AnyRow, areas: Vec<String>) -> Result<ServiceRow> {
    Ok(ServiceRow {
        id: uuid(r, "id")?,
        provider_id: uuid(r, "resource_org_id")?,
        provider_name: r.try_get("provider_name")?,
        location_id: opt_uuid(r, "location_id")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        categories: words(&r.try_get::<String, _>("categories")?),
        status: r.try_get("status")?,
        eligibility_description: r.try_get("eligibility_description")?,
        eligibility_rule: r.try_get("eligibility_rule")?,
        required_documents: r.try_get("required_documents")?,
        fees: r.try_get("fees")?,
        languages: words(&r.try_get::<String, _>("languages")?),
        hours: r.try_get("hours")?,
        phone: r.try_get("phone")?,
        email: r.try_get("email")?,
        url: r.try_get("url")?,
        capacity: r.try_get("capacity")?,
        vacancy: r.try_get("vacancy")?,
        vacancy_updated_at: opt_instant(r, "vacancy_updated_at")?,
        national: flag(r, "national")?,
        areas,
        last_verified_on: opt_date(r, "last_verified_on")?,
        source: r.try_get("source")?,
        verify_locally: flag(r, "verify_locally")?,
        version: r.try_get("version")?,
        updated_at: instant(r, "updated_at")?,
    })
}

/// Adds a provider.
pub async fn insert_provider(
    tx: &mut Tx,
    org_id: Uuid,
    id: Uuid,
    f: &OrganizationInput,
    actor: Option<Uuid>,
) -> Result<()> {
    let now = now_db();
    sqlx::query(
        "INSERT INTO resource_org (id, org_id, name, alternate_name, description, website, email, \
         phone, source, verify_locally, created_at, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12)",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(&f.name)
    .bind(&f.alternate_name)
    .bind(&f.description)
    .bind(&f.website)
    .bind(&f.email)
    .bind(&f.phone)
    .bind(&f.source)
    .bind(i64::from(f.verify_locally))
    .bind(&now)
    .bind(actor.map(|a| a.to_string()))
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(())
}

/// Changes a provider at `version`; returns the new version.
pub async fn update_provider(
    tx: &mut Tx,
    id: Uuid,
    version: i64,
    f: &OrganizationInput,
    actor: Uuid,
) -> Result<i64> {
    let r = sqlx::query(
        "UPDATE resource_org SET name = $1, alternate_name = $2, description = $3, website = $4, \
         email = $5, phone = $6, source = $7, verify_locally = $8, updated_at = $9, updated_by = $10, \
         version = version + 1 WHERE id = $11 AND version = $12",
    )
    .bind(&f.name)
    .bind(&f.alternate_name)
    .bind(&f.description)
    .bind(&f.website)
    .bind(&f.email)
    .bind(&f.phone)
    .bind(&f.source)
    .bind(i64::from(f.verify_locally))
    .bind(now_db())
    .bind(actor.to_string())
    .bind(id.to_string())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    Ok(version + 1)
}

/// One provider of the organisation.
pub async fn provider(db: &Db, org_id: Uuid, id: Uuid) -> Result<Option<ProviderRow>> {
    let row = sqlx::query(
        "SELECT id, name, alternate_name, description, website, email, phone, source, \
         verify_locally, version, updated_at FROM resource_org WHERE id = $1 AND org_id = $2",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .fetch_optional(db.read())
    .await?;
    row.as_ref().map(provider_from).transpose()
}

/// The organisation's providers by name (for pickers and the export), at most `limit`.
pub async fn providers(db: &Db, org_id: Uuid, limit: i64) -> Result<Vec<ProviderRow>> {
    let rows = sqlx::query(&format!(
        "SELECT id, name, alternate_name, description, website, email, phone, source, \
         verify_locally, version, updated_at FROM resource_org WHERE org_id = $1 \
         ORDER BY name, id LIMIT {}",
        limit.clamp(1, 100_000)
    ))
    .bind(org_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(provider_from).collect()
}

/// Adds a location to a provider.
pub async fn insert_location(
    tx: &mut Tx,
    org_id: Uuid,
    provider_id: Uuid,
    id: Uuid,
    f: &LocationInput,
) -> Result<()> {
    let now = now_db();
    sqlx::query(
        "INSERT INTO resource_location (id, org_id, resource_org_id, name, address, province_code, \
         district_code, hours, source, verify_locally, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(provider_id.to_string())
    .bind(&f.name)
    .bind(&f.address)
    .bind(&f.province_code)
    .bind(&f.district_code)
    .bind(&f.hours)
    .bind(&f.source)
    .bind(i64::from(f.verify_locally))
    .bind(&now)
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(())
}

/// Changes a location at `version`; returns the new version.
pub async fn update_location(
    tx: &mut Tx,
    id: Uuid,
    version: i64,
    f: &LocationInput,
) -> Result<i64> {
    let r = sqlx::query(
        "UPDATE resource_location SET name = $1, address = $2, province_code = $3, district_code = $4, \
         hours = $5, source = $6, verify_locally = $7, updated_at = $8, version = version + 1 \
         WHERE id = $9 AND version = $10",
    )
    .bind(&f.name)
    .bind(&f.address)
    .bind(&f.province_code)
    .bind(&f.district_code)
    .bind(&f.hours)
    .bind(&f.source)
    .bind(i64::from(f.verify_locally))
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

/// A provider's locations by name.
pub async fn locations(db: &Db, org_id: Uuid, provider_id: Uuid) -> Result<Vec<LocationRow>> {
    let rows = sqlx::query(
        "SELECT id, resource_org_id, name, address, province_code, district_code, hours, source, \
         verify_locally, version FROM resource_location WHERE resource_org_id = $1 AND org_id = $2 \
         ORDER BY name, id",
    )
    .bind(provider_id.to_string())
    .bind(org_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(location_from).collect()
}

/// One location of the organisation.
pub async fn location(db: &Db, org_id: Uuid, id: Uuid) -> Result<Option<LocationRow>> {
    let row = sqlx::query(
        "SELECT id, resource_org_id, name, address, province_code, district_code, hours, source, \
         verify_locally, version FROM resource_location WHERE id = $1 AND org_id = $2",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .fetch_optional(db.read())
    .await?;
    row.as_ref().map(location_from).transpose()
}

/// A service's fields as the store writes them.
pub struct ServiceWrite<'a> {
    /// The checked fields.
    pub s: &'a ValidService,
    /// Its location (checked to be the provider's).
    pub location_id: Option<Uuid>,
    /// The segmented words of its names and descriptions.
    pub search_body: &'a str,
}

async fn put_areas(tx: &mut Tx, id: Uuid, areas: &[String]) -> Result<()> {
    sqlx::query("DELETE FROM resource_service_area WHERE service_id = $1")
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    for chunk in areas.chunks(200) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", placeholders(i * 2 + 1, 2)))
            .collect();
        let sql = format!(
            "INSERT INTO resource_service_area (service_id, area_code) VALUES {}",
            values.join(", ")
        );
        let mut q = sqlx::query(&sql);
        for a in chunk {
            q = q.bind(id.to_string()).bind(a.clone());
        }
        q.execute(&mut **tx).await?;
    }
    Ok(())
}

/// Adds a service to a provider.
pub async fn insert_service(
    tx: &mut Tx,
    org_id: Uuid,
    provider_id: Uuid,
    id: Uuid,
    w: &ServiceWrite<'_>,
    actor: Option<Uuid>,
) -> Result<()> {
    let now = now_db();
    let s = w.s;
    sqlx::query(
        "INSERT INTO resource_service (id, org_id, resource_org_id, location_id, name, description, \
         categories, status, eligibility_description, eligibility_rule, required_documents, fees, \
         languages, hours, phone, email, url, capacity, vacancy, vacancy_updated_at, national, \
         last_verified_on, source, verify_locally, search_body, created_at, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $19, $20, $21, $22, $23, $24, $25, $26, $26, $27)",
    )
    .bind(id.to_string())
    .bind(org_id.to_string())
    .bind(provider_id.to_string())
    .bind(w.location_id.map(|l| l.to_string()))
    .bind(&s.name)
    .bind(&s.description)
    .bind(
        s.categories
            .iter()
            .map(|c| c.code())
            .collect::<Vec<_>>()
            .join(" "),
    )
    .bind(s.status.code())
    .bind(&s.eligibility_description)
    .bind(&s.eligibility_rule)
    .bind(&s.required_documents)
    .bind(&s.fees)
    .bind(s.languages.join(" "))
    .bind(&s.hours)
    .bind(&s.phone)
    .bind(&s.email)
    .bind(&s.url)
    .bind(s.capacity)
    .bind(s.vacancy)
    .bind(s.vacancy.map(|_| now.clone()))
    .bind(i64::from(s.national))
    .bind(s.last_verified_on.map(date_db))
    .bind(&s.source)
    .bind(i64::from(s.verify_locally))
    .bind(w.search_body)
    .bind(&now)
    .bind(actor.map(|a| a.to_string()))
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    put_areas(tx, id, &s.areas).await
}

/// Changes a service at `version`; returns the new version. The vacancy's time is renewed
/// when the vacancy changes.
pub async fn update_service(
    tx: &mut Tx,
    id: Uuid,
    version: i64,
    w: &ServiceWrite<'_>,
    actor: Uuid,
) -> Result<i64> {
    let now = now_db();
    let s = w.s;
    let r = sqlx::query(
        "UPDATE resource_service SET location_id = $1, name = $2, description = $3, categories = $4, \
         status = $5, eligibility_description = $6, eligibility_rule = $7, required_documents = $8, \
         fees = $9, languages = $10, hours = $11, phone = $12, email = $13, url = $14, capacity = $15, \
         vacancy_updated_at = CASE WHEN vacancy IS NOT DISTINCT FROM $16 THEN vacancy_updated_at ELSE $17 END, \
         vacancy = $16, national = $18, last_verified_on = $19, source = $20, verify_locally = $21, \
         search_body = $22, updated_at = $17, updated_by = $23, version = version + 1 \
         WHERE id = $24 AND version = $25",
    )
    .bind(w.location_id.map(|l| l.to_string()))
    .bind(&s.name)
    .bind(&s.description)
    .bind(
        s.categories
            .iter()
            .map(|c| c.code())
            .collect::<Vec<_>>()
            .join(" "),
    )
    .bind(s.status.code())
    .bind(&s.eligibility_description)
    .bind(&s.eligibility_rule)
    .bind(&s.required_documents)
    .bind(&s.fees)
    .bind(s.languages.join(" "))
    .bind(&s.hours)
    .bind(&s.phone)
    .bind(&s.email)
    .bind(&s.url)
    .bind(s.capacity)
    .bind(s.vacancy)
    .bind(&now)
    .bind(i64::from(s.national))
    .bind(s.last_verified_on.map(date_db))
    .bind(&s.source)
    .bind(i64::from(s.verify_locally))
    .bind(w.search_body)
    .bind(actor.to_string())
    .bind(id.to_string())
    .bind(version)
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Err(StoreError::StaleVersion);
    }
    put_areas(tx, id, &s.areas).await?;
    Ok(version + 1)
}

async fn areas_of(db: &Db, ids: &[String]) -> Result<Vec<(String, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT service_id, area_code FROM resource_service_area WHERE service_id IN ({}) \
             ORDER BY service_id, area_code",
            placeholders(1, chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id.clone());
        }
        for r in q.fetch_all(db.read()).await? {
            out.push((r.try_get("service_id")?, r.try_get("area_code")?));
        }
    }
    Ok(out)
}

async fn with_areas(db: &Db, rows: &[AnyRow]) -> Result<Vec<ServiceRow>> {
    let ids: Vec<String> = rows
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<std::result::Result<_, _>>()?;
    let areas = areas_of(db, &ids).await?;
    rows.iter()
        .zip(&ids)
        .map(|(r, id)| {
            let mine = areas
                .iter()
                .filter(|(s, _)| s == id)
                .map(|(_, a)| a.clone())
                .collect();
            service_from(r, mine)
        })
        .collect()
}

/// One service of the organisation.
pub async fn service(db: &Db, org_id: Uuid, id: Uuid) -> Result<Option<ServiceRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {SERVICE_COLS} FROM resource_service s JOIN resource_org p ON p.id = s.resource_org_id \
         WHERE s.id = $1 AND s.org_id = $2"
    ))
    .bind(id.to_string())
    .bind(org_id.to_string())
    .fetch_all(db.read())
    .await?;
    Ok(with_areas(db, &rows).await?.into_iter().next())
}

/// A provider's services by name.
pub async fn services_of(db: &Db, org_id: Uuid, provider_id: Uuid) -> Result<Vec<ServiceRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {SERVICE_COLS} FROM resource_service s JOIN resource_org p ON p.id = s.resource_org_id \
         WHERE s.resource_org_id = $1 AND s.org_id = $2 ORDER BY s.name, s.id"
    ))
    .bind(provider_id.to_string())
    .bind(org_id.to_string())
    .fetch_all(db.read())
    .await?;
    with_areas(db, &rows).await
}

/// What a directory search asks.
#[derive(Debug, Clone, Default)]
pub struct DirectoryQuery {
    /// Normalised search tokens (all must match; the last one as a prefix).
    pub tokens: Vec<String>,
    /// A category code.
    pub category: Option<String>,
    /// A province code: services of that province (any district of it) or national ones.
    pub province: Option<String>,
    /// A district code: services of that district, of its province as a whole, or national.
    pub district: Option<String>,
    /// Include defunct services.
    pub include_defunct: bool,
    /// Only services last verified before this day (or never): the stale ones.
    pub stale_before: Option<NaiveDate>,
}

fn escape_like(t: &str) -> String {
    t.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Services matching `q`, best first (services of the district before those of its province
/// before national ones, then by name), at most `limit` from `offset`; and how many match.
pub async fn search(
    db: &Db,
    org_id: Uuid,
    q: &DirectoryQuery,
    limit: i64,
    offset: i64,
) -> Result<(Vec<ServiceRow>, i64)> {
    let mut conds = vec!["s.org_id = $1".to_string()];
    let mut binds: Vec<String> = vec![org_id.to_string()];
    let next = |binds: &mut Vec<String>, v: String| {
        binds.push(v);
        format!("${}", binds.len())
    };
    let n = q.tokens.len();
    for (i, t) in q.tokens.iter().enumerate() {
        let pattern = if i + 1 == n {
            format!("% {}%", escape_like(t))
        } else {
            format!("% {} %", escape_like(t))
        };
        let p = next(&mut binds, pattern);
        conds.push(format!(
            "(' ' || s.search_body || ' ') LIKE {p} ESCAPE '\\'"
        ));
    }
    if let Some(c) = &q.category {
        let p = next(&mut binds, format!("% {} %", escape_like(c)));
        conds.push(format!("(' ' || s.categories || ' ') LIKE {p} ESCAPE '\\'"));
    }
    let mut rank = "0".to_string();
    if let Some(d) = &q.district {
        let dp = next(&mut binds, d.clone());
        let pp = next(&mut binds, d.chars().take(2).collect());
        conds.push(format!(
            "(s.national = 1 OR EXISTS (SELECT 1 FROM resource_service_area a WHERE a.service_id = s.id \
             AND a.area_code IN ({dp}, {pp})))"
        ));
        rank = format!(
            "CASE WHEN EXISTS (SELECT 1 FROM resource_service_area a WHERE a.service_id = s.id AND a.area_code = {dp}) THEN 0 \
             WHEN s.national = 1 THEN 2 ELSE 1 END"
        );
    } else if let Some(p) = &q.province {
        let pp = next(&mut binds, p.clone());
        let like = next(&mut binds, format!("{}%", escape_like(p)));
        conds.push(format!(
            "(s.national = 1 OR EXISTS (SELECT 1 FROM resource_service_area a WHERE a.service_id = s.id \
             AND (a.area_code = {pp} OR a.area_code LIKE {like} ESCAPE '\\')))"
        ));
        rank = "CASE WHEN s.national = 1 THEN 1 ELSE 0 END".to_string();
    }
    if !q.include_defunct {
        conds.push("s.status <> 'defunct'".into());
    }
    if let Some(d) = q.stale_before {
        let p = next(&mut binds, date_db(d));
        conds.push(format!(
            "(s.last_verified_on IS NULL OR s.last_verified_on < {p})"
        ));
    }
    let filter = conds.join(" AND ");
    let count_sql =
        format!("SELECT CAST(COUNT(*) AS BIGINT) FROM resource_service s WHERE {filter}");
    let mut cq = sqlx::query(&count_sql);
    for b in &binds {
        cq = cq.bind(b.clone());
    }
    let total: i64 = cq.fetch_one(db.read()).await?.try_get(0)?;
    let sql = format!(
        "SELECT {SERVICE_COLS}, {rank} AS area_rank FROM resource_service s \
         JOIN resource_org p ON p.id = s.resource_org_id WHERE {filter} \
         ORDER BY area_rank, s.name, s.id LIMIT {} OFFSET {}",
        limit.clamp(1, 500),
        offset.clamp(0, 1_000_000)
    );
    let mut lq = sqlx::query(&sql);
    for b in &binds {
        lq = lq.bind(b.clone());
    }
    let rows = lq.fetch_all(db.read()).await?;
    Ok((with_areas(db, &rows).await?, total))
}

/// Every service of the organisation (the export), by provider.
pub async fn all_services(db: &Db, org_id: Uuid) -> Result<Vec<ServiceRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {SERVICE_COLS} FROM resource_service s JOIN resource_org p ON p.id = s.resource_org_id \
         WHERE s.org_id = $1 ORDER BY s.resource_org_id, s.name, s.id"
    ))
    .bind(org_id.to_string())
    .fetch_all(db.read())
    .await?;
    with_areas(db, &rows).await
}

/// Every location of the organisation (the export).
pub async fn all_locations(db: &Db, org_id: Uuid) -> Result<Vec<LocationRow>> {
    let rows = sqlx::query(
        "SELECT id, resource_org_id, name, address, province_code, district_code, hours, source, \
         verify_locally, version FROM resource_location WHERE org_id = $1 ORDER BY resource_org_id, name, id",
    )
    .bind(org_id.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(location_from).collect()
}

/// Whether the account is a designated resource editor.
pub async fn is_resource_editor(db: &Db, account: Uuid) -> Result<bool> {
    let v: Option<i64> =
        sqlx::query_scalar("SELECT resource_editor FROM account WHERE id = $1 AND active = 1")
            .bind(account.to_string())
            .fetch_optional(db.read())
            .await?;
    Ok(v.unwrap_or(0) != 0)
}

/// Designates an account a resource editor, or not.
pub async fn set_resource_editor(tx: &mut Tx, account: Uuid, on: bool) -> Result<()> {
    sqlx::query("UPDATE account SET resource_editor = $1 WHERE id = $2")
        .bind(i64::from(on))
        .bind(account.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// How many services the organisation's directory holds.
pub async fn count(db: &Db, org_id: Uuid) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM resource_service WHERE org_id = $1",
    )
    .bind(org_id.to_string())
    .fetch_one(db.read())
    .await?)
}

/// The ids of the organisation's providers, locations and services (an import matches them).
pub async fn ids(db: &Db, org_id: Uuid) -> Result<std::collections::HashSet<String>> {
    let mut out = std::collections::HashSet::new();
    for table in ["resource_org", "resource_location", "resource_service"] {
        let rows: Vec<String> =
            sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE org_id = $1"))
                .bind(org_id.to_string())
                .fetch_all(db.read())
                .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// Overwrites a provider whatever its version (an import); returns the new version.
pub async fn replace_provider(
    tx: &mut Tx,
    id: Uuid,
    f: &OrganizationInput,
    actor: Option<Uuid>,
) -> Result<i64> {
    let v: i64 = sqlx::query_scalar(
        "UPDATE resource_org SET name = $1, alternate_name = $2, description = $3, website = $4, \
         email = $5, phone = $6, source = $7, verify_locally = $8, updated_at = $9, updated_by = $10, \
         version = version + 1 WHERE id = $11 RETURNING version",
    )
    .bind(&f.name)
    .bind(&f.alternate_name)
    .bind(&f.description)
    .bind(&f.website)
    .bind(&f.email)
    .bind(&f.phone)
    .bind(&f.source)
    .bind(i64::from(f.verify_locally))
    .bind(now_db())
    .bind(actor.map(|a| a.to_string()))
    .bind(id.to_string())
    .fetch_one(&mut **tx)
    .await?;
    Ok(v)
}

/// Overwrites a location whatever its version (an import).
pub async fn replace_location(tx: &mut Tx, id: Uuid, f: &LocationInput) -> Result<()> {
    sqlx::query(
        "UPDATE resource_location SET name = $1, address = $2, province_code = $3, district_code = $4, \
         hours = $5, source = $6, verify_locally = $7, updated_at = $8, version = version + 1 WHERE id = $9",
    )
    .bind(&f.name)
    .bind(&f.address)
    .bind(&f.province_code)
    .bind(&f.district_code)
    .bind(&f.hours)
    .bind(&f.source)
    .bind(i64::from(f.verify_locally))
    .bind(now_db())
    .bind(id.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Overwrites a service whatever its version (an import); returns the new version.
pub async fn replace_service(
    tx: &mut Tx,
    id: Uuid,
    w: &ServiceWrite<'_>,
    actor: Uuid,
) -> Result<i64> {
    let version: i64 = sqlx::query_scalar("SELECT version FROM resource_service WHERE id = $1")
        .bind(id.to_string())
        .fetch_one(&mut **tx)
        .await?;
    update_service(tx, id, version, w, actor).await
}
