//! Advocacy reports over the API: the organisation's reports, creating one with its figures
//! pre-filled, reading and editing one, the steps of its review, its versions, the examples
//! offered from the caller's cases, and its PDF.

use super::cases::{parse_id, Created, Versioned};
use crate::api::extract::Path;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use karuna_app::advocacy::{AdvocacyReport, AdvocacyVersion, ExampleOffer};
use karuna_domain::advocacy::{Content, NewReportInput, ReportEdit, StepInput};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A report as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdvocacyReportSummary {
    /// Id.
    pub id: Uuid,
    /// `advocacy` or `community_needs`.
    pub kind: String,
    /// Title.
    pub title: String,
    /// `executives`, `community_leaders`, `government` or `providers`.
    pub audience: String,
    /// The period its figures cover (`fy-2570`, `q-2570-1`, `m-2569-10`).
    pub period: String,
    /// `draft`, `in_review` or `approved`.
    pub status: String,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version, for an edit or a step.
    pub version: i64,
}

/// A report.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdvocacyReportDetail {
    /// Id.
    pub id: Uuid,
    /// `advocacy` or `community_needs`.
    pub kind: String,
    /// Title.
    pub title: String,
    /// Audience code.
    pub audience: String,
    /// Period code.
    pub period: String,
    /// The unit whose cases the figures cover (none: the organisation).
    pub unit_id: Option<Uuid>,
    /// Its name.
    pub unit_name: Option<String>,
    /// The province whose clients' cases the figures cover.
    pub province_code: Option<String>,
    /// Status code.
    pub status: String,
    /// Who created it.
    pub created_by: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Who changed it last.
    pub updated_by: String,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Who approved it.
    pub approved_by: Option<String>,
    /// Approved.
    pub approved_at: Option<DateTime<Utc>>,
    /// Version, for an edit or a step.
    pub version: i64,
    /// What it says: texts, figures (counts 1–4 suppressed), examples.
    pub content: Content,
}

/// One version of a report.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdvocacyReportVersion {
    /// Its number (1: created).
    pub version: i64,
    /// `created`, `edited`, `submit`, `approve`, `return` or `revise`.
    pub change: String,
    /// Why (a return or a revision).
    pub reason: Option<String>,
    /// Status after the change.
    pub status: String,
    /// Title then.
    pub title: String,
    /// Audience then.
    pub audience: String,
    /// Who.
    pub changed_by: String,
    /// When.
    pub changed_at: DateTime<Utc>,
    /// What it said then.
    pub content: Content,
}

fn summary(r: AdvocacyReport) -> AdvocacyReportSummary {
    AdvocacyReportSummary {
        id: r.row.id,
        kind: r.row.kind,
        title: r.row.title,
        audience: r.row.audience,
        period: r.row.period,
        status: r.row.status,
        updated_at: r.row.updated_at,
        version: r.row.version,
    }
}

fn detail(r: AdvocacyReport) -> AdvocacyReportDetail {
    let x = r.row;
    AdvocacyReportDetail {
        id: x.id,
        kind: x.kind,
        title: x.title,
        audience: x.audience,
        period: x.period,
        unit_id: x.unit_id,
        unit_name: x.unit_name,
        province_code: x.province_code,
        status: x.status,
        created_by: x.created_by_name,
        created_at: x.created_at,
        updated_by: x.updated_by_name,
        updated_at: x.updated_at,
        approved_by: x.approved_by_name,
        approved_at: x.approved_at,
        version: x.version,
        content: r.content,
    }
}

fn version(v: AdvocacyVersion) -> AdvocacyReportVersion {
    let x = v.row;
    AdvocacyReportVersion {
        version: x.version,
        change: x.change,
        reason: x.reason,
        status: x.status,
        title: x.title,
        audience: x.audience,
        changed_by: x.changed_by_name,
        changed_at: x.changed_at,
        content: v.content,
    }
}

/// `GET /api/v1/advocacy-reports`: the organisation's reports, last changed first (at most 200).
#[utoipa::path(get, path = "/api/v1/advocacy-reports", operation_id = "listAdvocacyReports", tag = "reports",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<AdvocacyReportSummary>)))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<Vec<AdvocacyReportSummary>>, WebError> {
    let rows = state
        .app
        .advocacy_reports(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(rows.into_iter().map(summary).collect()))
}

/// `POST /api/v1/advocacy-reports`: a draft for a period and a scope, its figures of unmet
/// needs pre-filled.
#[utoipa::path(post, path = "/api/v1/advocacy-reports", operation_id = "createAdvocacyReport", tag = "reports",
    request_body = NewReportInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 422, description = "invalid input; `errors` lists every field at fault — `kind`: `advocacy.kind_unknown`; `audience`: `advocacy.audience_unknown`; `period`: `report.period_unknown`; `unit`: `report.unit_unknown`; `province`: `report.province_unknown`", content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<NewReportInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    state
        .app
        .check_advocacy(&u.user, &u.ctx, "advocacy.create", None)
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(input) = body?;
    let id = state
        .app
        .create_advocacy_report(&u.user, &u.ctx, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// `GET /api/v1/advocacy-reports/{id}`.
#[utoipa::path(get, path = "/api/v1/advocacy-reports/{id}", operation_id = "getAdvocacyReport", tag = "reports",
    params(("id" = String, Path, description = "report id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = AdvocacyReportDetail)))]
pub async fn get_one(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<AdvocacyReportDetail>, WebError> {
    let id = parse_id(&u, &id)?;
    let r = state
        .app
        .advocacy_report(&u.user, &u.ctx, id, "advocacy.view")
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(detail(r)))
}

/// `PUT /api/v1/advocacy-reports/{id}`: saves a draft's texts, the findings shown and the
/// examples.
#[utoipa::path(put, path = "/api/v1/advocacy-reports/{id}", operation_id = "updateAdvocacyReport", tag = "reports",
    params(("id" = String, Path, description = "report id")), request_body = ReportEdit,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 409, description = "stale version (someone saved it since), or the report is in review or approved (`report_not_draft`)", content_type = "application/problem+json"),
        (status = 422, description = "invalid input; `errors` lists every field at fault — `findings[i]`: `advocacy.finding_unknown`; `examples[i]`: `too_long`", content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ReportEdit>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    state
        .app
        .check_advocacy(&u.user, &u.ctx, "advocacy.edit", Some(id))
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(edit) = body?;
    let version = state
        .app
        .edit_advocacy_report(&u.user, &u.ctx, id, &edit)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `POST /api/v1/advocacy-reports/{id}/steps`: submit, approve, return or revise.
#[utoipa::path(post, path = "/api/v1/advocacy-reports/{id}/steps", operation_id = "stepAdvocacyReport", tag = "reports",
    params(("id" = String, Path, description = "report id")), request_body = StepInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 403, description = "approving or returning by anyone but a supervisor who did not create the report", content_type = "application/problem+json"),
        (status = 409, description = "stale version", content_type = "application/problem+json"),
        (status = 422, description = "an unknown step (`advocacy.step_unknown`), one that does not start from the report's status (`advocacy.step_not_now`), or a return or revision without a reason", content_type = "application/problem+json")))]
pub async fn step(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<StepInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    state
        .app
        .check_advocacy(&u.user, &u.ctx, "advocacy.step", Some(id))
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(input) = body?;
    let version = state
        .app
        .advocacy_step(&u.user, &u.ctx, id, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `GET /api/v1/advocacy-reports/{id}/versions`: every version, newest first.
#[utoipa::path(get, path = "/api/v1/advocacy-reports/{id}/versions", operation_id = "listAdvocacyReportVersions", tag = "reports",
    params(("id" = String, Path, description = "report id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<AdvocacyReportVersion>)))]
pub async fn versions(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<AdvocacyReportVersion>>, WebError> {
    let id = parse_id(&u, &id)?;
    let rows = state
        .app
        .advocacy_versions(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(rows.into_iter().map(version).collect()))
}

/// `GET /api/v1/advocacy-reports/{id}/examples`: facts for de-identified examples, from the
/// cases the caller is on (never a sensitive case), in the report's period and scope.
#[utoipa::path(get, path = "/api/v1/advocacy-reports/{id}/examples", operation_id = "listAdvocacyExamples", tag = "reports",
    params(("id" = String, Path, description = "report id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<ExampleOffer>)))]
pub async fn examples(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<ExampleOffer>>, WebError> {
    let id = parse_id(&u, &id)?;
    let rows = state
        .app
        .advocacy_examples(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(rows))
}

/// A PDF file, for the OpenAPI document.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)] // Describes the download for the OpenAPI document.
pub struct PdfFile(Vec<u8>);

/// `GET /api/v1/advocacy-reports/{id}/pdf`: the report as it stands, typeset as a PDF in the
/// caller's language (Sarabun embedded, BE dates, page numbers, a confidentiality line).
#[utoipa::path(get, path = "/api/v1/advocacy-reports/{id}/pdf", operation_id = "exportAdvocacyReportPdf", tag = "reports",
    params(("id" = String, Path, description = "report id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "the PDF", content_type = "application/pdf", body = PdfFile)))]
pub async fn pdf(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<axum::response::Response, WebError> {
    let id = parse_id(&u, &id)?;
    let r = state
        .app
        .advocacy_report(&u.user, &u.ctx, id, "advocacy.export")
        .await
        .map_err(|e| u.err(e))?;
    let doc = crate::pages::advocacy_pdf::document(&u.tr, &r, &u.user.display_name);
    crate::pages::pdf::respond(doc, "karuna-report.pdf", |e| u.err(e)).await
}
