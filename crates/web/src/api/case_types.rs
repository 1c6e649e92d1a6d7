//! Case types over the API: everyone signed in reads them; administrators change them.

use crate::api::extract::Path;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_domain::access::Action;
use karuna_domain::case_type::{CaseType as Config, CaseTypeInput, DEFAULT_REVIEW_DAYS};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A case type as the organisation configured it.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseType {
    /// Stable code stored on cases.
    pub code: String,
    /// One of the types every organisation starts with.
    pub built_in: bool,
    /// The Thai label the organisation set (for built-in types `null` means the standard one).
    pub label_th: Option<String>,
    /// The English label the organisation set.
    pub label_en: Option<String>,
    /// Offered at intake.
    pub active: bool,
    /// Days between scheduled reviews.
    pub review_days: i64,
    /// Plans need a supervisor's approval.
    pub plan_approval: bool,
    /// Closures need a supervisor's approval.
    pub closure_approval: bool,
    /// The assessment template a case of this type starts with (the organisation's choice or
    /// the built-in one); `null` for an own type without one (the holistic assessment is used).
    pub assessment_template: Option<String>,
    /// Version; send it back to update (0: a built-in type never changed).
    pub version: i64,
}

impl From<Config> for CaseType {
    fn from(t: Config) -> Self {
        let assessment_template = t.template_key().map(str::to_string);
        CaseType {
            code: t.code,
            built_in: t.built_in,
            label_th: t.label_th,
            label_en: t.label_en,
            active: t.active,
            review_days: t.review_days,
            plan_approval: t.plan_approval,
            closure_approval: t.closure_approval,
            assessment_template,
            version: t.version,
        }
    }
}

/// A new case type, or a change to one (`code` is ignored on update, `version` required).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseTypeBody {
    /// Code: lower-case letters, digits and `_`, 2–40, starting with a letter (new types only).
    #[serde(default)]
    pub code: String,
    /// Thai label (required for a new type; empty keeps a built-in type's standard label).
    #[serde(default)]
    pub label_th: String,
    /// English label.
    #[serde(default)]
    pub label_en: String,
    /// Offered at intake (default true).
    pub active: Option<bool>,
    /// Days between reviews, 1–365 (default 30).
    pub review_days: Option<i64>,
    /// Plans need a supervisor's approval.
    #[serde(default)]
    pub plan_approval: bool,
    /// Closures need a supervisor's approval.
    #[serde(default)]
    pub closure_approval: bool,
    /// The key of a published assessment template cases of this type start with; empty or
    /// absent keeps the built-in choice.
    #[serde(default)]
    pub assessment_template: String,
    /// The version read (updates only).
    pub version: Option<i64>,
}

impl CaseTypeBody {
    fn input(&self) -> CaseTypeInput {
        CaseTypeInput {
            code: self.code.clone(),
            label_th: self.label_th.clone(),
            label_en: self.label_en.clone(),
            active: self.active.unwrap_or(true),
            review_days: self.review_days.unwrap_or(DEFAULT_REVIEW_DAYS),
            plan_approval: self.plan_approval,
            closure_approval: self.closure_approval,
            assessment_template: self.assessment_template.clone(),
        }
    }
}

/// `GET /api/v1/case-types`.
#[utoipa::path(get, path = "/api/v1/case-types", operation_id = "listCaseTypes", tag = "configuration", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [CaseType]), (status = 401, description = "not signed in", content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<Vec<CaseType>>, WebError> {
    let types = state
        .app
        .case_types(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(types.into_iter().map(CaseType::from).collect()))
}

/// `POST /api/v1/case-types`.
#[utoipa::path(post, path = "/api/v1/case-types", operation_id = "createCaseType", tag = "configuration", request_body = CaseTypeBody, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CaseType), (status = 422, description = "invalid", content_type = "application/problem+json"),
        (status = 403, description = "not an administrator", content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<CaseTypeBody>, WebError>,
) -> Result<(StatusCode, Json<CaseType>), WebError> {
    authorize(&state, &u, "case_type.create").await?;
    let ApiJson(b) = body?;
    let t = state
        .app
        .create_case_type(&u.user, &u.ctx, &b.input())
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(t.into())))
}

/// `GET /api/v1/case-types/{code}`.
#[utoipa::path(get, path = "/api/v1/case-types/{code}", operation_id = "getCaseType", tag = "configuration", params(("code" = String, Path, description = "case type code")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CaseType), (status = 404, description = "no such case type", content_type = "application/problem+json")))]
pub async fn get_one(
    State(state): State<AppState>,
    u: ApiUser,
    Path(code): Path<String>,
) -> Result<Json<CaseType>, WebError> {
    let t = state
        .app
        .case_type(&u.user, &u.ctx, &code)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(t.into()))
}

/// `PUT /api/v1/case-types/{code}`: a stale `version` gets 409 and changes nothing.
#[utoipa::path(put, path = "/api/v1/case-types/{code}", operation_id = "updateCaseType", tag = "configuration", params(("code" = String, Path, description = "case type code")),
    request_body = CaseTypeBody, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CaseType), (status = 409, description = "stale version", content_type = "application/problem+json"),
        (status = 422, description = "invalid", content_type = "application/problem+json"),
        (status = 403, description = "not an administrator", content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    u: ApiUser,
    Path(code): Path<String>,
    body: Result<ApiJson<CaseTypeBody>, WebError>,
) -> Result<Json<CaseType>, WebError> {
    authorize(&state, &u, "case_type.update").await?;
    let ApiJson(b) = body?;
    let Some(version) = b.version else {
        return Err(u.err(karuna_app::AppError::Invalid(vec![
            karuna_domain::FieldError::new("version", "required"),
        ])));
    };
    let t = state
        .app
        .update_case_type(&u.user, &u.ctx, &code, version, &b.input())
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(t.into()))
}

/// Refuses non-administrators before the body is read: a refusal never depends on what was sent.
async fn authorize(state: &AppState, u: &ApiUser, what: &str) -> Result<(), WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageConfiguration,
            what,
            ("case_type", None),
        )
        .await
        .map_err(|e| u.err(e))
}
