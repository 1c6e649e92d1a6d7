//! Reviews, closure and follow-ups over the API.

use super::cases::{guard, parse_id, Created};
use super::plans::Decision;
use crate::api::extract::Path;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_app::case::CaseAccess;
use karuna_app::closure::ClosureView;
use karuna_domain::closure::{ClosureInput, GoalOutcome, ReviewInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A review of the plan.
#[derive(Debug, Serialize, ToSchema)]
pub struct Review {
    /// Id.
    pub id: Uuid,
    /// When held.
    pub held_on: chrono::NaiveDate,
    /// `continue`, `revise` or `close`.
    pub outcome: String,
    /// Findings.
    pub note: String,
    /// The plan's GAS T-score at the time.
    pub gas_t_score: Option<f64>,
    /// Recorded by.
    pub recorded_by: String,
}

/// A closure summary.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClosureSummary {
    /// Id.
    pub id: Uuid,
    /// Reason code.
    pub reason: String,
    /// Summary.
    pub summary: String,
    /// Each goal's outcome.
    pub goals: Vec<GoalOutcome>,
    /// The final GAS T-score.
    pub final_gas_t_score: Option<f64>,
    /// Follow-ups after this many months.
    pub follow_up_months: Vec<u32>,
    /// `awaiting_approval`, `approved`, `ready`, `returned`, `done` or `superseded`.
    pub status: String,
    /// Author.
    pub created_by: String,
    /// Recorded.
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A follow-up contact after closure.
#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUp {
    /// Id.
    pub id: Uuid,
    /// Due.
    pub due_on: chrono::NaiveDate,
    /// Done.
    pub done_on: Option<chrono::NaiveDate>,
    /// What was found.
    pub note: Option<String>,
}

/// Reviews, closures and follow-ups of a case.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewsAndClosure {
    /// When the next review is due.
    pub next_review: Option<chrono::NaiveDate>,
    /// Days between reviews for this case.
    pub review_days: i64,
    /// Closures need a supervisor's approval.
    pub closure_approval_required: bool,
    /// Reviews, newest first.
    pub reviews: Vec<Review>,
    /// Closures, newest first.
    pub closures: Vec<ClosureSummary>,
    /// Follow-ups by due date.
    pub follow_ups: Vec<FollowUp>,
    /// Promises still open, by due date (at most 50): closing is refused (422,
    /// `case.guard.open_promises`) until each is kept or released (`POST
    /// /api/v1/promises/{id}` with `action: release`, a note and `client_told: true`).
    pub open_promises: Vec<OpenPromise>,
}

/// A promise still open.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenPromise {
    /// Promise id.
    pub id: Uuid,
    /// What was promised.
    pub what: String,
    /// By when.
    pub due_date: chrono::NaiveDate,
    /// Who made it (display name).
    pub made_by: String,
    /// The version to name when changing it.
    pub version: i64,
}

fn score(tenths: Option<i64>) -> Option<f64> {
    tenths.map(|t| t as f64 / 10.0)
}

impl From<ClosureView> for ReviewsAndClosure {
    fn from(v: ClosureView) -> Self {
        ReviewsAndClosure {
            next_review: v.next_review,
            review_days: v.review_days,
            closure_approval_required: v.approval_required,
            reviews: v
                .reviews
                .into_iter()
                .map(|r| Review {
                    id: r.id,
                    held_on: r.held_on,
                    outcome: r.outcome,
                    note: r.note,
                    gas_t_score: score(r.gas_t_tenths),
                    recorded_by: r.recorded_by_name,
                })
                .collect(),
            closures: v
                .closures
                .into_iter()
                .map(|c| ClosureSummary {
                    id: c.id,
                    reason: c.reason,
                    summary: c.summary,
                    goals: c.goals,
                    final_gas_t_score: score(c.final_gas_tenths),
                    follow_up_months: c.follow_up_months,
                    status: c.status,
                    created_by: c.created_by_name,
                    created_at: c.created_at,
                })
                .collect(),
            follow_ups: v
                .follow_ups
                .into_iter()
                .map(|f| FollowUp {
                    id: f.id,
                    due_on: f.due_on,
                    done_on: f.done_on,
                    note: f.note,
                })
                .collect(),
            open_promises: v
                .open_promises
                .into_iter()
                .map(|p| OpenPromise {
                    id: p.id,
                    what: p.what,
                    due_date: p.due_date,
                    made_by: p.made_by_name,
                    version: p.version,
                })
                .collect(),
        }
    }
}

/// `GET /api/v1/cases/{id}/closure`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/closure", operation_id = "getCaseClosure", tag = "plans", params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = ReviewsAndClosure)))]
pub async fn get_closure(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ReviewsAndClosure>, WebError> {
    let id = parse_id(&u, &id)?;
    let v = state
        .app
        .closure_view(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(v.into()))
}

/// `POST /api/v1/cases/{id}/reviews`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/reviews", operation_id = "addCaseReview", tag = "plans", params(("id" = String, Path, description = "case id")),
    request_body = ReviewInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created), (status = 422, description = "invalid", content_type = "application/problem+json")))]
pub async fn add_review(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ReviewInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Edit, "review.create").await?;
    let ApiJson(r) = body?;
    let rid = state
        .app
        .record_review(&u.user, &u.ctx, id, &r)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: rid })))
}

/// `POST /api/v1/cases/{id}/closure`: the closure summary (then close the case through its
/// transitions).
#[utoipa::path(post, path = "/api/v1/cases/{id}/closure", operation_id = "proposeCaseClosure", tag = "plans", params(("id" = String, Path, description = "case id")),
    request_body = ClosureInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created), (status = 422, description = "invalid", content_type = "application/problem+json")))]
pub async fn add_closure(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ClosureInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Manage, "closure.create").await?;
    let ApiJson(c) = body?;
    let cid = state
        .app
        .record_closure(&u.user, &u.ctx, id, &c)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: cid })))
}

/// `POST /api/v1/cases/{id}/closure/decision`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/closure/decision", operation_id = "decideCaseClosure", tag = "plans", params(("id" = String, Path, description = "case id")),
    request_body = Decision, security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "decided"), (status = 422, description = "nothing awaiting approval, or not a supervisor other than the author", content_type = "application/problem+json")))]
pub async fn decide_closure(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<Decision>, WebError>,
) -> Result<StatusCode, WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Manage, "closure.approve").await?;
    let ApiJson(d) = body?;
    state
        .app
        .decide_closure(&u.user, &u.ctx, id, d.approve)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// A follow-up done.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpDone {
    /// When, in the user's calendar (empty: today).
    #[serde(default)]
    pub date: String,
    /// What was found.
    pub note: String,
}

/// `POST /api/v1/cases/{id}/follow-ups/{follow_up}`: records a follow-up as done.
#[utoipa::path(post, path = "/api/v1/cases/{id}/follow-ups/{follow_up}", operation_id = "completeFollowUp", tag = "plans",
    params(("id" = String, Path, description = "case id"), ("follow_up" = String, Path, description = "follow-up id")),
    request_body = FollowUpDone, security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "recorded"), (status = 404, description = "no such open follow-up", content_type = "application/problem+json")))]
pub async fn complete_follow_up(
    State(state): State<AppState>,
    u: ApiUser,
    Path((id, follow_up)): Path<(String, String)>,
    body: Result<ApiJson<FollowUpDone>, WebError>,
) -> Result<StatusCode, WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Edit, "follow_up.complete").await?;
    let follow_up = parse_id(&u, &follow_up)?;
    let ApiJson(f) = body?;
    state
        .app
        .complete_follow_up(&u.user, &u.ctx, id, follow_up, &f.date, &f.note)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}
