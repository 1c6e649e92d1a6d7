//! The individual plan and its monitoring over the API.

use super::cases::{guard, parse_id, Created};
use crate::api::extract::Path;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_app::case::CaseAccess;
use karuna_app::plan::{PlanSubmission, PlanView};
use karuna_domain::plan::Goal;
use karuna_domain::progress::ProgressInput;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// One version of the plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanVersion {
    /// 1, 2, …
    pub number: i64,
    /// `awaiting_approval`, `active`, `returned` or `superseded`.
    pub status: String,
    /// Why this revision.
    pub reason: Option<String>,
    /// Goals with their interventions.
    pub goals: Vec<Goal>,
    /// Author.
    pub created_by: String,
    /// Saved.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Approved or returned by.
    pub decided_by: Option<Uuid>,
    /// When.
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A progress entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgressEntry {
    /// Id.
    pub id: Uuid,
    /// Goal.
    pub goal_id: Uuid,
    /// Plan version in force when recorded.
    pub plan_number: i64,
    /// When measured.
    pub date: chrono::NaiveDate,
    /// GAS score −2…+2.
    pub gas: Option<i64>,
    /// Indicator value.
    pub value: Option<String>,
    /// Evidence source.
    pub source: String,
    /// Note.
    pub note: Option<String>,
    /// Recorded by.
    pub recorded_by: String,
}

/// The case's plan: versions newest first, progress oldest first, the GAS T-score.
#[derive(Debug, Serialize, ToSchema)]
pub struct Plan {
    /// Number of the latest version (send it as `based_on` to revise; 0 when none).
    pub latest: i64,
    /// Number of the version in force.
    pub current: Option<i64>,
    /// Versions need a supervisor's approval (set by the case's types).
    pub approval_required: bool,
    /// Kiresuk & Sherman T-score of the plan in force (50 = goals met as expected).
    pub gas_t_score: Option<f64>,
    /// Every version.
    pub versions: Vec<PlanVersion>,
    /// Progress entries.
    pub progress: Vec<ProgressEntry>,
}

impl From<PlanView> for Plan {
    fn from(v: PlanView) -> Self {
        Plan {
            latest: v.versions.first().map_or(0, |x| x.number),
            current: v.current().map(|x| x.number),
            approval_required: v.approval_required,
            gas_t_score: v.gas_t.map(|t| (t * 10.0).round() / 10.0),
            versions: v
                .versions
                .into_iter()
                .map(|x| PlanVersion {
                    number: x.number,
                    status: x.status,
                    reason: x.reason,
                    goals: x.content.goals,
                    created_by: x.created_by_name,
                    created_at: x.created_at,
                    decided_by: x.decided_by,
                    decided_at: x.decided_at,
                })
                .collect(),
            progress: v
                .progress
                .into_iter()
                .map(|p| ProgressEntry {
                    id: p.id,
                    goal_id: p.goal_id,
                    plan_number: p.plan_number,
                    date: p.measured_on,
                    gas: p.gas,
                    value: p.value,
                    source: p.source,
                    note: p.note,
                    recorded_by: p.recorded_by_name,
                })
                .collect(),
        }
    }
}

/// `GET /api/v1/cases/{id}/plan`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/plan", operation_id = "getCasePlan", tag = "plans", params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Plan)))]
pub async fn get_plan(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Plan>, WebError> {
    let id = parse_id(&u, &id)?;
    let view = state
        .app
        .plan(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(view.into()))
}

/// The number of the version saved.
#[derive(Debug, Serialize, ToSchema)]
pub struct SavedVersion {
    /// Its number.
    pub number: i64,
}

/// `POST /api/v1/cases/{id}/plan`: a new version; `based_on` must be the latest number read.
#[utoipa::path(post, path = "/api/v1/cases/{id}/plan", operation_id = "saveCasePlan", tag = "plans", params(("id" = String, Path, description = "case id")),
    request_body = PlanSubmission, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = SavedVersion), (status = 409, description = "a newer version exists", content_type = "application/problem+json"),
        (status = 422, description = "invalid; fields are paths such as goals[0].indicator", content_type = "application/problem+json")))]
pub async fn save_plan(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<PlanSubmission>, WebError>,
) -> Result<(StatusCode, Json<SavedVersion>), WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Edit, "plan.save").await?;
    let ApiJson(p) = body?;
    let number = state
        .app
        .save_plan(&u.user, &u.ctx, id, &p)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(SavedVersion { number })))
}

/// A supervisor's decision on a version awaiting approval.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// True approves (the version comes into force); false returns it to its author.
    pub approve: bool,
}

/// `POST /api/v1/cases/{id}/plan/{number}/decision`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/plan/{number}/decision", operation_id = "decideCasePlan", tag = "plans",
    params(("id" = String, Path, description = "case id"), ("number" = i64, Path, description = "version number")),
    request_body = Decision, security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "decided"), (status = 422, description = "not awaiting approval, or not a supervisor other than the author", content_type = "application/problem+json")))]
pub async fn decide_plan(
    State(state): State<AppState>,
    u: ApiUser,
    Path((id, number)): Path<(String, String)>,
    body: Result<ApiJson<Decision>, WebError>,
) -> Result<StatusCode, WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Manage, "plan.approve").await?;
    let number: i64 = number
        .parse()
        .map_err(|_| u.err(karuna_app::AppError::NotFound))?;
    let ApiJson(d) = body?;
    state
        .app
        .decide_plan(&u.user, &u.ctx, id, number, d.approve)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/cases/{id}/progress`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/progress", operation_id = "addCaseProgress", tag = "plans", params(("id" = String, Path, description = "case id")),
    request_body = ProgressInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created), (status = 422, description = "invalid", content_type = "application/problem+json")))]
pub async fn add_progress(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ProgressInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Edit, "progress.create").await?;
    let ApiJson(p) = body?;
    let pid = state
        .app
        .add_progress(&u.user, &u.ctx, id, &p)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: pid })))
}

/// `GET /api/v1/cases/{id}/timeline`: everything recorded on the case, newest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/timeline", operation_id = "getCaseTimeline", tag = "plans", params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<karuna_app::timeline::TimelineEntry>)))]
pub async fn timeline(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<karuna_app::timeline::TimelineEntry>>, WebError> {
    let id = parse_id(&u, &id)?;
    let entries = state
        .app
        .timeline(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(entries))
}

/// A status change of an intervention of the plan in force.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InterventionStatus {
    /// `planned`, `in_progress`, `completed`, `ended_early` or `cancelled`.
    pub status: String,
    /// Why (required to end early or cancel).
    #[serde(default)]
    pub note: String,
}

/// `POST /api/v1/cases/{id}/interventions/{intervention}`: changes an intervention's status
/// without a new plan version.
#[utoipa::path(post, path = "/api/v1/cases/{id}/interventions/{intervention}", operation_id = "setInterventionStatus", tag = "plans",
    params(("id" = String, Path, description = "case id"), ("intervention" = String, Path, description = "intervention id")),
    request_body = InterventionStatus, security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "recorded"), (status = 404, description = "not in the plan in force", content_type = "application/problem+json"),
        (status = 422, description = "invalid", content_type = "application/problem+json")))]
pub async fn intervention_status(
    State(state): State<AppState>,
    u: ApiUser,
    Path((id, intervention)): Path<(String, String)>,
    body: Result<ApiJson<InterventionStatus>, WebError>,
) -> Result<StatusCode, WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Edit, "intervention.update").await?;
    let intervention = parse_id(&u, &intervention)?;
    let ApiJson(b) = body?;
    state
        .app
        .update_intervention(&u.user, &u.ctx, id, intervention, &b.status, &b.note)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}
