//! The resource directory over the API: search services, read a service or a provider, and —
//! administrators and designated resource editors — add and change providers, locations and
//! services, and confirm an entry verified.

use super::cases::{parse_id, Created, Versioned};
use crate::api::extract::{Path, Query};
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_app::resource::{DirectorySearch, ServiceView};
use karuna_domain::resource::{LocationInput, OrganizationInput, ServiceInput};
use karuna_store::resource::{LocationRow, ProviderRow, ServiceRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A service of the directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct Service {
    /// Id.
    pub id: Uuid,
    /// The organisation that provides it.
    pub provider_id: Uuid,
    /// Its name.
    pub provider_name: String,
    /// The service's fields, as a change sends them back.
    pub fields: ServiceInput,
    /// When the vacancy was last given.
    pub vacancy_updated_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Not verified for the configured period (or never).
    pub stale: bool,
    /// Version (send it back with a change).
    pub version: i64,
}

fn service_of(s: ServiceRow, stale: bool) -> Service {
    Service {
        id: s.id,
        provider_id: s.provider_id,
        provider_name: s.provider_name.clone(),
        fields: karuna_app::resource::input_of(&s),
        vacancy_updated_at: s.vacancy_updated_at,
        stale,
        version: s.version,
    }
}

/// A location of a provider.
#[derive(Debug, Serialize, ToSchema)]
pub struct Location {
    /// Id.
    pub id: Uuid,
    /// Its provider.
    pub provider_id: Uuid,
    /// Its fields, as a change sends them back.
    pub fields: LocationInput,
    /// Version.
    pub version: i64,
}

impl From<LocationRow> for Location {
    fn from(l: LocationRow) -> Self {
        Location {
            id: l.id,
            provider_id: l.provider_id,
            fields: l.fields,
            version: l.version,
        }
    }
}

/// A provider (an organisation of the directory).
#[derive(Debug, Serialize, ToSchema)]
pub struct Provider {
    /// Id.
    pub id: Uuid,
    /// Its fields, as a change sends them back.
    pub fields: OrganizationInput,
    /// Version.
    pub version: i64,
}

impl From<ProviderRow> for Provider {
    fn from(p: ProviderRow) -> Self {
        Provider {
            id: p.id,
            fields: p.fields,
            version: p.version,
        }
    }
}

/// A provider with its locations and services.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderDetail {
    /// The provider.
    #[serde(flatten)]
    pub provider: Provider,
    /// Its locations.
    pub locations: Vec<Location>,
    /// Its services.
    pub services: Vec<Service>,
}

/// A page of the directory.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServicePage {
    /// Services of this page: the district's first, then the province's, then national ones.
    pub items: Vec<Service>,
    /// How many match in all.
    pub total: i64,
    /// This page, from 1.
    pub page: i64,
    /// Services per page.
    pub page_size: i64,
}

/// The directory's query string (read leniently: a bad value is a field error, never a 400).
#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct DirectoryQuery {
    /// Words of a name or description, in Thai or English (at most 200 characters).
    pub q: Option<String>,
    /// A category code (`shelter`, `legal_aid`, `health`, `mental_health`, `education`,
    /// `work`, `assistance`, `child_protection`, `disability`, `older_people`,
    /// `anti_trafficking`, `general_welfare`).
    pub category: Option<String>,
    /// A province code (2 digits): its services and national ones.
    pub province: Option<String>,
    /// A district code (4 digits): its services, its province's and national ones.
    pub district: Option<String>,
    /// `true` to include services no longer offered.
    pub include_defunct: Option<bool>,
    /// `true` for entries due for verification only.
    pub stale: Option<bool>,
    /// Page, from 1.
    pub page: Option<i64>,
}

/// The search from query-string pairs.
pub fn search_from(pairs: &[(String, String)]) -> DirectorySearch {
    let mut s = DirectorySearch::default();
    for (k, v) in pairs {
        match k.as_str() {
            "q" => s.q = v.clone(),
            "category" => s.category = v.clone(),
            "province" => s.province = v.clone(),
            "district" => s.district = v.clone(),
            "include_defunct" => s.include_defunct = matches!(v.as_str(), "true" | "1" | "on"),
            "stale" => s.stale_only = matches!(v.as_str(), "true" | "1" | "on"),
            "page" => s.page = v.trim().parse().unwrap_or(1),
            _ => {}
        }
    }
    s
}

/// `GET /api/v1/resources/services`.
#[utoipa::path(get, path = "/api/v1/resources/services", operation_id = "searchResourceServices", tag = "resources", params(DirectoryQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ServicePage),
        (status = 422, description = "an unknown category or area code, or a query over 200 characters; `errors` names the fields", content_type = "application/problem+json")))]
pub async fn search(
    State(state): State<AppState>,
    u: ApiUser,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<ServicePage>, WebError> {
    let s = search_from(&pairs);
    let page = state
        .app
        .directory(&u.user, &u.ctx, &s)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(ServicePage {
        items: page
            .items
            .into_iter()
            .map(|(s, stale)| service_of(s, stale))
            .collect(),
        total: page.total,
        page: page.page,
        page_size: karuna_app::resource::PAGE_SIZE,
    }))
}

/// One change of a directory entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct Revision {
    /// The version it made.
    pub version: i64,
    /// Who (name); none for an entry the seed or an import without an account wrote.
    pub actor: Option<String>,
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A service with its history of changes.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceDetail {
    /// The service.
    #[serde(flatten)]
    pub service: Service,
    /// Its changes, newest first.
    pub history: Vec<Revision>,
}

/// `GET /api/v1/resources/services/{id}`.
#[utoipa::path(get, path = "/api/v1/resources/services/{id}", operation_id = "getResourceService", tag = "resources", params(("id" = String, Path, description = "service id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = ServiceDetail)))]
pub async fn get_service(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ServiceDetail>, WebError> {
    let id = parse_id(&u, &id)?;
    let ServiceView {
        service,
        stale,
        history,
        ..
    } = state
        .app
        .resource_service(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(ServiceDetail {
        service: service_of(service, stale),
        history: history
            .into_iter()
            .map(|r| Revision {
                version: r.version,
                actor: r.actor,
                at: r.at,
            })
            .collect(),
    }))
}

/// A change to a service.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceChange {
    /// The version read.
    pub version: i64,
    /// The new fields (all of them).
    pub fields: ServiceInput,
}

/// A change that only needs the version read.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionOnly {
    /// The version read.
    pub version: i64,
}

async fn may_edit(
    state: &AppState,
    u: &ApiUser,
    action: &str,
    entity: (&str, Option<Uuid>),
) -> Result<(), WebError> {
    state
        .app
        .authorize_edit(&u.user, &u.ctx, action, entity)
        .await
        .map_err(|e| u.err(e))
}

/// `PUT /api/v1/resources/services/{id}`.
#[utoipa::path(put, path = "/api/v1/resources/services/{id}", operation_id = "updateResourceService", tag = "resources", params(("id" = String, Path, description = "service id")),
    request_body = ServiceChange, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 403, description = "neither an administrator nor a designated resource editor", content_type = "application/problem+json")))]
pub async fn update_service(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ServiceChange>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    may_edit(
        &state,
        &u,
        "resource.update",
        ("resource_service", Some(id)),
    )
    .await?;
    let ApiJson(c) = body?;
    let version = state
        .app
        .update_service(&u.user, &u.ctx, id, c.version, &c.fields)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `POST /api/v1/resources/services/{id}/verify`: confirmed today by the caller.
#[utoipa::path(post, path = "/api/v1/resources/services/{id}/verify", operation_id = "verifyResourceService", tag = "resources", params(("id" = String, Path, description = "service id")),
    request_body = VersionOnly, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 403, description = "neither an administrator nor a designated resource editor", content_type = "application/problem+json")))]
pub async fn verify_service(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<VersionOnly>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    may_edit(
        &state,
        &u,
        "resource.update",
        ("resource_service", Some(id)),
    )
    .await?;
    let ApiJson(c) = body?;
    let version = state
        .app
        .verify_service(&u.user, &u.ctx, id, c.version)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `GET /api/v1/resources/providers`.
#[utoipa::path(get, path = "/api/v1/resources/providers", operation_id = "listResourceProviders", tag = "resources",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<Provider>, description = "by name")))]
pub async fn providers(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<Vec<Provider>>, WebError> {
    let rows = state
        .app
        .resource_providers(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(rows.into_iter().map(Provider::from).collect()))
}

/// `POST /api/v1/resources/providers`.
#[utoipa::path(post, path = "/api/v1/resources/providers", operation_id = "createResourceProvider", tag = "resources",
    request_body = OrganizationInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 403, description = "neither an administrator nor a designated resource editor", content_type = "application/problem+json")))]
pub async fn create_provider(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<OrganizationInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    may_edit(&state, &u, "resource.create", ("resource_org", None)).await?;
    let ApiJson(p) = body?;
    let id = state
        .app
        .create_provider(&u.user, &u.ctx, &p)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// `GET /api/v1/resources/providers/{id}`.
#[utoipa::path(get, path = "/api/v1/resources/providers/{id}", operation_id = "getResourceProvider", tag = "resources", params(("id" = String, Path, description = "provider id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = ProviderDetail)))]
pub async fn get_provider(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ProviderDetail>, WebError> {
    let id = parse_id(&u, &id)?;
    let v = state
        .app
        .resource_provider(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let today = karuna_thai::calendar::bangkok_date(chrono::Utc::now());
    let days = state.app.settings.resource_stale_days;
    Ok(Json(ProviderDetail {
        provider: Provider::from(v.provider),
        locations: v.locations.into_iter().map(Location::from).collect(),
        services: v
            .services
            .into_iter()
            .map(|s| {
                let stale = karuna_domain::resource::is_stale(s.last_verified_on, today, days);
                service_of(s, stale)
            })
            .collect(),
    }))
}

/// A change to a provider.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderChange {
    /// The version read.
    pub version: i64,
    /// The new fields (all of them).
    pub fields: OrganizationInput,
}

/// `PUT /api/v1/resources/providers/{id}`.
#[utoipa::path(put, path = "/api/v1/resources/providers/{id}", operation_id = "updateResourceProvider", tag = "resources", params(("id" = String, Path, description = "provider id")),
    request_body = ProviderChange, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 403, description = "neither an administrator nor a designated resource editor", content_type = "application/problem+json")))]
pub async fn update_provider(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ProviderChange>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    may_edit(&state, &u, "resource.update", ("resource_org", Some(id))).await?;
    let ApiJson(c) = body?;
    let version = state
        .app
        .update_provider(&u.user, &u.ctx, id, c.version, &c.fields)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `POST /api/v1/resources/providers/{id}/services`.
#[utoipa::path(post, path = "/api/v1/resources/providers/{id}/services", operation_id = "createResourceService", tag = "resources", params(("id" = String, Path, description = "provider id")),
    request_body = ServiceInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 403, description = "neither an administrator nor a designated resource editor", content_type = "application/problem+json")))]
pub async fn create_service(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ServiceInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    may_edit(&state, &u, "resource.create", ("resource_service", None)).await?;
    let ApiJson(s) = body?;
    let sid = state
        .app
        .create_service(&u.user, &u.ctx, id, &s)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: sid })))
}

/// `POST /api/v1/resources/providers/{id}/locations`.
#[utoipa::path(post, path = "/api/v1/resources/providers/{id}/locations", operation_id = "createResourceLocation", tag = "resources", params(("id" = String, Path, description = "provider id")),
    request_body = LocationInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 403, description = "neither an administrator nor a designated resource editor", content_type = "application/problem+json")))]
pub async fn create_location(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<LocationInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    may_edit(&state, &u, "resource.create", ("resource_location", None)).await?;
    let ApiJson(l) = body?;
    let lid = state
        .app
        .create_location(&u.user, &u.ctx, id, &l)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: lid })))
}

/// A change to a location.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationChange {
    /// The version read.
    pub version: i64,
    /// The new fields (all of them).
    pub fields: LocationInput,
}

/// `PUT /api/v1/resources/locations/{id}`.
#[utoipa::path(put, path = "/api/v1/resources/locations/{id}", operation_id = "updateResourceLocation", tag = "resources", params(("id" = String, Path, description = "location id")),
    request_body = LocationChange, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 403, description = "neither an administrator nor a designated resource editor", content_type = "application/problem+json")))]
pub async fn update_location(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<LocationChange>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    may_edit(
        &state,
        &u,
        "resource.update",
        ("resource_location", Some(id)),
    )
    .await?;
    let ApiJson(c) = body?;
    let version = state
        .app
        .update_location(&u.user, &u.ctx, id, c.version, &c.fields)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `GET /api/v1/resources/export`: the whole directory in Open Referral HSDS 3.0 JSON (an
/// array of organisations with their services and locations).
#[utoipa::path(get, path = "/api/v1/resources/export", operation_id = "exportResourceDirectory", tag = "resources",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "HSDS 3.0 organisations", content_type = "application/json", body = [Object])))]
pub async fn export(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<serde_json::Value>, WebError> {
    let dir = state
        .app
        .export_directory(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(karuna_domain::resource_hsds::to_hsds_json(&dir)))
}

/// `POST /api/v1/resources/import`: an Open Referral HSDS 3.0 JSON file (an array of
/// organisations, or one). Every record is checked first; nothing is written unless all pass.
/// Entries the directory holds (by id) are overwritten, the others added.
#[utoipa::path(post, path = "/api/v1/resources/import", operation_id = "importResourceDirectory", tag = "resources",
    request_body(content = Object, content_type = "application/json", description = "HSDS 3.0 JSON"),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = karuna_app::resource_exchange::ImportReport),
        (status = 403, description = "neither an administrator nor a designated resource editor", content_type = "application/problem+json"),
        (status = 413, description = "the file is larger than 32 MB", content_type = "application/problem+json"),
        (status = 422, description = "records at fault; each error's `field` is `organizations[i].services[k].name` and the like (`import.too_many_records` past 20,000)", content_type = "application/problem+json")))]
pub async fn import(
    State(state): State<AppState>,
    u: ApiUser,
    body: axum::body::Bytes,
) -> Result<Json<karuna_app::resource_exchange::ImportReport>, WebError> {
    may_edit(&state, &u, "resource.import", ("resource_org", None)).await?;
    let text = std::str::from_utf8(&body).map_err(|_| {
        u.err(karuna_app::AppError::Invalid(vec![
            karuna_domain::error::FieldError::new("file", "import.not_utf8"),
        ]))
    })?;
    let dir = karuna_domain::resource_hsds::from_hsds_json(text)
        .map_err(|e| u.err(karuna_app::resource_exchange::record_errors(e)))?;
    let report = state
        .app
        .import_directory(&u.user, &u.ctx, &dir)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(report))
}

/// `POST /api/v1/resources/import-seed`: the national seed set shipped with Karuna (public
/// knowledge; entries not confirmed are marked to be verified locally). Importing it again
/// changes nothing but versions.
#[utoipa::path(post, path = "/api/v1/resources/import-seed", operation_id = "importResourceSeed", tag = "resources",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = karuna_app::resource_exchange::ImportReport),
        (status = 403, description = "neither an administrator nor a designated resource editor", content_type = "application/problem+json")))]
pub async fn import_seed(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<karuna_app::resource_exchange::ImportReport>, WebError> {
    let report = state
        .app
        .import_national_seed(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(report))
}
