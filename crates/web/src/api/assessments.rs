//! Assessment templates (admins) and the assessments of a case (its team) over the API.

use super::cases::{guard, parse_id, Created, Versioned};
use crate::api::extract::{Path, Query};
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use karuna_app::assessment::{AssessmentInput, AssessmentView, Comparison};
use karuna_app::case::CaseAccess;
use karuna_domain::access::Action;
use karuna_domain::assessment::{Answers, DomainNotes, Scores, Template};
use karuna_store::assessment::{AssessmentRow, TemplateRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// One template version.
#[derive(Debug, Serialize, ToSchema)]
pub struct TemplateVersion {
    /// Id of this version.
    pub id: Uuid,
    /// Template key.
    pub key: String,
    /// Version number.
    pub version: i64,
    /// `draft` or `published`.
    pub status: String,
    /// Imported.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Published.
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The template.
    pub template: Template,
}

impl From<TemplateRow> for TemplateVersion {
    fn from(t: TemplateRow) -> Self {
        TemplateVersion {
            id: t.id,
            key: t.key,
            version: t.version,
            status: t.status,
            created_at: t.created_at,
            published_at: t.published_at,
            template: t.template,
        }
    }
}

/// A template to import or preview, as JSON or YAML text.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TemplateSource {
    /// The template file's text (JSON or YAML).
    pub source: String,
}

/// An assessment.
#[derive(Debug, Serialize, ToSchema)]
pub struct Assessment {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Template key.
    pub template_key: String,
    /// The template version it was made with.
    pub template_version: i64,
    /// `draft` or `completed`.
    pub status: String,
    /// Answers by question id.
    #[schema(value_type = Object)]
    pub answers: Answers,
    /// Notes by domain code.
    pub notes: BTreeMap<String, DomainNotes>,
    /// Scores, once completed.
    pub scores: Option<Scores>,
    /// Version (send it back when saving).
    pub version: i64,
    /// Started by.
    pub created_by: Option<String>,
    /// Started.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Completed.
    pub completed_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<AssessmentRow> for Assessment {
    fn from(a: AssessmentRow) -> Self {
        Assessment {
            id: a.id,
            case_id: a.case_id,
            template_key: a.template_key,
            template_version: a.template_version,
            status: a.status,
            answers: a.answers,
            notes: a.notes,
            scores: a.scores,
            version: a.version,
            created_by: a.created_by_name,
            created_at: a.created_at,
            completed_at: a.completed_at,
        }
    }
}

/// An assessment with the template version it was made with.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentDetail {
    /// The assessment.
    pub assessment: Assessment,
    /// Its template version.
    pub template: TemplateVersion,
}

impl From<AssessmentView> for AssessmentDetail {
    fn from(v: AssessmentView) -> Self {
        AssessmentDetail {
            assessment: v.assessment.into(),
            template: v.template.into(),
        }
    }
}

/// Which template to start with.
#[derive(Debug, Deserialize, ToSchema)]
pub struct StartAssessment {
    /// Template key (its latest published version is used); empty or absent: the template of
    /// the case's type (see `assessment_template` of the case types), else the holistic one.
    #[serde(default)]
    pub template_key: String,
}

/// Export format.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `yaml` for the YAML file; otherwise JSON.
    pub format: Option<String>,
}

/// Which template key to compare.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// Template key.
    pub template_key: Option<String>,
}

async fn admin(state: &AppState, u: &ApiUser, action: &str) -> Result<(), WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageTemplates,
            action,
            ("assessment_template", None),
        )
        .await
        .map_err(|e| u.err(e))
}

/// `GET /api/v1/assessment-templates`: every version (admins).
#[utoipa::path(get, path = "/api/v1/assessment-templates", operation_id = "listAssessmentTemplates", tag = "assessments",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<TemplateVersion>)))]
pub async fn templates(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<Vec<TemplateVersion>>, WebError> {
    let rows = state
        .app
        .list_templates(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// `POST /api/v1/assessment-templates`: imports a new draft version (admins).
#[utoipa::path(post, path = "/api/v1/assessment-templates", operation_id = "importAssessmentTemplate", tag = "assessments", request_body = TemplateSource,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = TemplateVersion), (status = 422, description = "invalid template; each error names its path", content_type = "application/problem+json")))]
pub async fn import(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<TemplateSource>, WebError>,
) -> Result<(StatusCode, Json<TemplateVersion>), WebError> {
    admin(&state, &u, "assessment_template.import").await?;
    let ApiJson(b) = body?;
    let row = state
        .app
        .import_template(&u.user, &u.ctx, &b.source)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(row.into())))
}

/// `POST /api/v1/assessment-templates/preview`: validates without saving (admins).
#[utoipa::path(post, path = "/api/v1/assessment-templates/preview", operation_id = "previewAssessmentTemplate", tag = "assessments", request_body = TemplateSource,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Template), (status = 422, description = "invalid template", content_type = "application/problem+json")))]
pub async fn preview(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<TemplateSource>, WebError>,
) -> Result<Json<Template>, WebError> {
    admin(&state, &u, "assessment_template.preview").await?;
    let ApiJson(b) = body?;
    let t = state
        .app
        .preview_template(&u.user, &u.ctx, &b.source)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(t))
}

/// `GET /api/v1/assessment-templates/{id}`: one version; `?format=yaml` exports the file.
#[utoipa::path(get, path = "/api/v1/assessment-templates/{id}", operation_id = "getAssessmentTemplate", tag = "assessments",
    params(("id" = String, Path, description = "template version id"), ExportQuery),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = TemplateVersion)))]
pub async fn template(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, WebError> {
    admin(&state, &u, "assessment_template.read").await?;
    let id = parse_id(&u, &id)?;
    if q.format.as_deref() == Some("yaml") {
        let (row, text) = state
            .app
            .export_template(&u.user, &u.ctx, id, true)
            .await
            .map_err(|e| u.err(e))?;
        let disposition = format!("attachment; filename=\"{}-v{}.yaml\"", row.key, row.version);
        return Ok((
            [
                (
                    header::CONTENT_TYPE,
                    "application/yaml; charset=utf-8".to_string(),
                ),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            text,
        )
            .into_response());
    }
    let row = state
        .app
        .template_version(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(TemplateVersion::from(row)).into_response())
}

/// `POST /api/v1/assessment-templates/{id}/publish` (admins; a published version never changes).
#[utoipa::path(post, path = "/api/v1/assessment-templates/{id}/publish", operation_id = "publishAssessmentTemplate", tag = "assessments",
    params(("id" = String, Path, description = "template version id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 422, description = "already published", content_type = "application/problem+json")))]
pub async fn publish(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<StatusCode, WebError> {
    admin(&state, &u, "assessment_template.publish").await?;
    let id = parse_id(&u, &id)?;
    state
        .app
        .publish_template(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/published-templates`: the latest published version of each template.
#[utoipa::path(get, path = "/api/v1/published-templates", operation_id = "listPublishedTemplates", tag = "assessments",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<TemplateVersion>)))]
pub async fn published(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<Vec<TemplateVersion>>, WebError> {
    let rows = state
        .app
        .available_templates(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// `GET /api/v1/cases/{id}/assessments`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/assessments", operation_id = "listCaseAssessments", tag = "assessments", params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<Assessment>)))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<Assessment>>, WebError> {
    let id = parse_id(&u, &id)?;
    let rows = state
        .app
        .case_assessments(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(rows.into_iter().map(Into::into).collect()))
}

/// `POST /api/v1/cases/{id}/assessments`: starts one with the latest published version.
#[utoipa::path(post, path = "/api/v1/cases/{id}/assessments", operation_id = "startCaseAssessment", tag = "assessments", params(("id" = String, Path, description = "case id")),
    request_body = StartAssessment, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created), (status = 422, description = "unknown template", content_type = "application/problem+json")))]
pub async fn start(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<StartAssessment>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Edit, "assessment.create").await?;
    let ApiJson(b) = body?;
    let aid = state
        .app
        .start_assessment(&u.user, &u.ctx, id, &b.template_key)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: aid })))
}

/// `GET /api/v1/cases/{id}/assessments/compare?template_key=`: completed assessments side by side.
#[utoipa::path(get, path = "/api/v1/cases/{id}/assessments/compare", operation_id = "compareCaseAssessments", tag = "assessments",
    params(("id" = String, Path, description = "case id"), CompareQuery),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Comparison)))]
pub async fn compare(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    Query(q): Query<CompareQuery>,
) -> Result<Json<Comparison>, WebError> {
    let id = parse_id(&u, &id)?;
    let key = q.template_key.unwrap_or_default();
    let c = state
        .app
        .compare_assessments(&u.user, &u.ctx, id, &key)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(c))
}

/// `GET /api/v1/assessments/{id}`: with the template version it was made with.
#[utoipa::path(get, path = "/api/v1/assessments/{id}", operation_id = "getAssessment", tag = "assessments", params(("id" = String, Path, description = "assessment id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = AssessmentDetail)))]
pub async fn get_one(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<AssessmentDetail>, WebError> {
    let id = parse_id(&u, &id)?;
    let v = state
        .app
        .assessment(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(v.into()))
}

async fn save(
    state: AppState,
    u: ApiUser,
    id: String,
    body: Result<ApiJson<AssessmentInput>, WebError>,
    complete: bool,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    let case = state.app.assessment_case(id).await.map_err(|e| u.err(e))?;
    let action = if complete {
        "assessment.complete"
    } else {
        "assessment.save"
    };
    guard(&state, &u, case, CaseAccess::Edit, action).await?;
    let ApiJson(b) = body?;
    let version = state
        .app
        .save_assessment(&u.user, &u.ctx, id, &b, complete)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `PUT /api/v1/assessments/{id}`: saves a draft's answers and notes (replacing them).
#[utoipa::path(put, path = "/api/v1/assessments/{id}", operation_id = "updateAssessment", tag = "assessments", params(("id" = String, Path, description = "assessment id")),
    request_body = AssessmentInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned), (status = 409, description = "stale version", content_type = "application/problem+json"),
        (status = 422, description = "answers that do not fit the template version", content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<AssessmentInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    save(state, u, id, body, false).await
}

/// `POST /api/v1/assessments/{id}/complete`: saves and completes (scores computed).
#[utoipa::path(post, path = "/api/v1/assessments/{id}/complete", operation_id = "completeAssessment", tag = "assessments", params(("id" = String, Path, description = "assessment id")),
    request_body = AssessmentInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned), (status = 409, description = "stale version", content_type = "application/problem+json"),
        (status = 422, description = "required answers missing or answers that do not fit", content_type = "application/problem+json")))]
pub async fn complete(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<AssessmentInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    save(state, u, id, body, true).await
}
