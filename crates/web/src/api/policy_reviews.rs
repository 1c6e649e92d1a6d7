//! Policy reviews over the API: the organisation's reviews with its cycle and open actions,
//! the cycle itself, starting a review with its measures, one review compared with the one
//! before it, its findings, decisions and actions, recomputing its measures, concluding it,
//! and recording an action's progress.

use super::cases::{parse_id, Created, Versioned};
use crate::api::extract::Path;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use karuna_app::policy_review::PolicyReview;
use karuna_domain::policy_review::{
    ActionUpdateInput, ConcludeInput, CycleInput, Measure, NewItemInput, NewReviewInput,
};
use karuna_store::policy_review::{ItemRow, ReviewRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A review as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyReviewSummary {
    /// Id.
    pub id: Uuid,
    /// Title.
    pub title: String,
    /// The period reviewed (`fy-2569`, `q-2570-1`, `m-2569-10`).
    pub period: String,
    /// Its first day.
    pub from: NaiveDate,
    /// Its last day.
    pub until: NaiveDate,
    /// `open` or `concluded`.
    pub status: String,
    /// Its actions not yet done or dropped.
    pub open_actions: i64,
    /// Version, for a change.
    pub version: i64,
}

/// A finding, a decision or an action.
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyReviewItem {
    /// Id.
    pub id: Uuid,
    /// The review it belongs to.
    pub review_id: Uuid,
    /// That review's title.
    pub review_title: String,
    /// `finding`, `decision` or `action`.
    pub kind: String,
    /// The area of the policy.
    pub area: String,
    /// What it says.
    pub text: String,
    /// An action's owner.
    pub owner_id: Option<Uuid>,
    /// Their name.
    pub owner: Option<String>,
    /// An action's due date.
    pub due_on: Option<NaiveDate>,
    /// An action's status: `open`, `in_progress`, `done` or `dropped`.
    pub status: Option<String>,
    /// The last progress note.
    pub note: Option<String>,
    /// Who changed it last.
    pub updated_by: String,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Done or dropped at.
    pub done_at: Option<DateTime<Utc>>,
    /// Version, for a progress update.
    pub version: i64,
}

/// The organisation's reviews.
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyReviewOverview {
    /// Months between reviews.
    pub cycle_months: i64,
    /// When the next review falls due (none before the first).
    pub next_due: Option<NaiveDate>,
    /// It is past.
    pub overdue: bool,
    /// Reviews, latest period first.
    pub reviews: Vec<PolicyReviewSummary>,
    /// Actions not yet done or dropped, soonest due first.
    pub open_actions: Vec<PolicyReviewItem>,
}

/// The review before, to compare with.
#[derive(Debug, Serialize, ToSchema)]
pub struct PreviousReview {
    /// Id.
    pub id: Uuid,
    /// Title.
    pub title: String,
    /// Period code.
    pub period: String,
    /// Its measures.
    pub measures: Vec<Measure>,
}

/// A review.
#[derive(Debug, Serialize, ToSchema)]
pub struct PolicyReviewDetail {
    /// Id.
    pub id: Uuid,
    /// Title.
    pub title: String,
    /// Period code.
    pub period: String,
    /// Its first day.
    pub from: NaiveDate,
    /// Its last day.
    pub until: NaiveDate,
    /// `open` or `concluded`.
    pub status: String,
    /// The summary it was concluded with.
    pub summary: Option<String>,
    /// Who started it.
    pub created_by: String,
    /// Started.
    pub created_at: DateTime<Utc>,
    /// Who concluded it.
    pub concluded_by: Option<String>,
    /// Concluded.
    pub concluded_at: Option<DateTime<Utc>>,
    /// When the measures were computed.
    pub measured_at: DateTime<Utc>,
    /// Version, for a change.
    pub version: i64,
    /// The measures of the period, for the whole organisation (counts 1–4 suppressed).
    pub measures: Vec<Measure>,
    /// Findings, decisions and actions, in the order they were added.
    pub items: Vec<PolicyReviewItem>,
    /// The review before it.
    pub previous: Option<PreviousReview>,
}

/// A version, for a change that carries nothing else.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct VersionInput {
    /// The version changed (a newer one is refused with 409).
    pub version: i64,
}

fn summary(r: ReviewRow) -> PolicyReviewSummary {
    PolicyReviewSummary {
        id: r.id,
        title: r.title,
        period: r.period,
        from: r.from,
        until: r.until,
        status: r.status,
        open_actions: r.open_actions,
        version: r.version,
    }
}

fn item(i: ItemRow) -> PolicyReviewItem {
    PolicyReviewItem {
        id: i.id,
        review_id: i.review_id,
        review_title: i.review_title,
        kind: i.kind,
        area: i.area,
        text: i.text,
        owner_id: i.owner_id,
        owner: i.owner_name,
        due_on: i.due_on,
        status: i.status,
        note: i.note,
        updated_by: i.updated_by_name,
        updated_at: i.updated_at,
        done_at: i.done_at,
        version: i.version,
    }
}

fn detail(r: PolicyReview) -> PolicyReviewDetail {
    let x = r.row;
    PolicyReviewDetail {
        id: x.id,
        title: x.title,
        period: x.period,
        from: x.from,
        until: x.until,
        status: x.status,
        summary: x.summary,
        created_by: x.created_by_name,
        created_at: x.created_at,
        concluded_by: x.concluded_by_name,
        concluded_at: x.concluded_at,
        measured_at: x.measured_at,
        version: x.version,
        measures: r.measures,
        items: r.items.into_iter().map(item).collect(),
        previous: r.previous.map(|(p, measures)| PreviousReview {
            id: p.id,
            title: p.title,
            period: p.period,
            measures,
        }),
    }
}

/// `GET /api/v1/policy-reviews`: the organisation's reviews (at most 100), its review cycle and
/// the actions not yet done.
#[utoipa::path(get, path = "/api/v1/policy-reviews", operation_id = "listPolicyReviews", tag = "reports",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = PolicyReviewOverview)))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<PolicyReviewOverview>, WebError> {
    let o = state
        .app
        .policy_overview(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(PolicyReviewOverview {
        cycle_months: o.cycle_months,
        next_due: o.next_due,
        overdue: o.overdue,
        reviews: o.reviews.into_iter().map(summary).collect(),
        open_actions: o.open_actions.into_iter().map(item).collect(),
    }))
}

/// `PUT /api/v1/policy-review-cycle`: months between the organisation's reviews (a supervisor).
#[utoipa::path(put, path = "/api/v1/policy-review-cycle", operation_id = "setPolicyReviewCycle", tag = "reports",
    request_body = CycleInput, security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "set"),
        (status = 422, description = "`months` is not 3, 6, 12 or 24 (`policy.cycle_unknown`)", content_type = "application/problem+json")))]
pub async fn set_cycle(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<CycleInput>, WebError>,
) -> Result<StatusCode, WebError> {
    state
        .app
        .check_policy(&u.user, &u.ctx, "policy.cycle", None, true)
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(input) = body?;
    state
        .app
        .set_policy_cycle(&u.user, &u.ctx, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/policy-reviews`: starts a review of a period (a supervisor), its measures
/// computed for the whole organisation.
#[utoipa::path(post, path = "/api/v1/policy-reviews", operation_id = "createPolicyReview", tag = "reports",
    request_body = NewReviewInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 409, description = "the period has a review already (`review_period_taken`)", content_type = "application/problem+json"),
        (status = 422, description = "invalid input; `errors` lists every field at fault — `title`: `required`, `too_long`; `period`: `report.period_unknown`, `policy.period_future`", content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<NewReviewInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    state
        .app
        .check_policy(&u.user, &u.ctx, "policy.create", None, true)
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(input) = body?;
    let id = state
        .app
        .create_policy_review(&u.user, &u.ctx, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// `GET /api/v1/policy-reviews/{id}`: the review with its measures, items and the review
/// before it.
#[utoipa::path(get, path = "/api/v1/policy-reviews/{id}", operation_id = "getPolicyReview", tag = "reports",
    params(("id" = String, Path, description = "review id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = PolicyReviewDetail)))]
pub async fn get_one(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<PolicyReviewDetail>, WebError> {
    let id = parse_id(&u, &id)?;
    let r = state
        .app
        .policy_review(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(detail(r)))
}

/// `POST /api/v1/policy-reviews/{id}/items`: adds a finding, a decision or an action (a
/// supervisor, while the review is open).
#[utoipa::path(post, path = "/api/v1/policy-reviews/{id}/items", operation_id = "addPolicyReviewItem", tag = "reports",
    params(("id" = String, Path, description = "review id")), request_body = NewItemInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 409, description = "the review is concluded (`review_concluded`)", content_type = "application/problem+json"),
        (status = 422, description = "invalid input; `errors` lists every field at fault — `kind`: `policy.item_kind_unknown`; `area`: `required`, `policy.area_unknown`; `text`: `required`, `too_long`; `owner_id`: `required`, `policy.owner_unknown`; `due`: `required`, `task.due_past`, a date error", content_type = "application/problem+json")))]
pub async fn add_item(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<NewItemInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    state
        .app
        .check_policy(&u.user, &u.ctx, "policy.item", Some(id), true)
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(input) = body?;
    let item = state
        .app
        .add_policy_item(&u.user, &u.ctx, id, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: item })))
}

/// `POST /api/v1/policy-reviews/{id}/refresh`: recomputes an open review's measures (a
/// supervisor).
#[utoipa::path(post, path = "/api/v1/policy-reviews/{id}/refresh", operation_id = "refreshPolicyReview", tag = "reports",
    params(("id" = String, Path, description = "review id")), request_body = VersionInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 409, description = "stale version, or the review is concluded (`review_concluded`)", content_type = "application/problem+json")))]
pub async fn refresh(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<VersionInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    state
        .app
        .check_policy(&u.user, &u.ctx, "policy.refresh", Some(id), true)
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(input) = body?;
    let version = state
        .app
        .refresh_policy_measures(&u.user, &u.ctx, id, input.version)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `POST /api/v1/policy-reviews/{id}/conclude`: concludes an open review with its summary (a
/// supervisor); its actions are still tracked.
#[utoipa::path(post, path = "/api/v1/policy-reviews/{id}/conclude", operation_id = "concludePolicyReview", tag = "reports",
    params(("id" = String, Path, description = "review id")), request_body = ConcludeInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 409, description = "stale version, or the review is concluded already (`review_concluded`)", content_type = "application/problem+json"),
        (status = 422, description = "`summary`: `required`, `too_long`", content_type = "application/problem+json")))]
pub async fn conclude(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ConcludeInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    state
        .app
        .check_policy(&u.user, &u.ctx, "policy.conclude", Some(id), true)
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(input) = body?;
    let version = state
        .app
        .conclude_policy_review(&u.user, &u.ctx, id, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `POST /api/v1/policy-actions/{id}`: records an action's progress (its owner or a
/// supervisor).
#[utoipa::path(post, path = "/api/v1/policy-actions/{id}", operation_id = "updatePolicyAction", tag = "reports",
    params(("id" = String, Path, description = "action id")), request_body = ActionUpdateInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 403, description = "neither the action's owner nor a supervisor", content_type = "application/problem+json"),
        (status = 409, description = "stale version", content_type = "application/problem+json"),
        (status = 422, description = "`status`: `policy.action_status_unknown`; `note`: `required` (to drop), `too_long`", content_type = "application/problem+json")))]
pub async fn update_action(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ActionUpdateInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    state
        .app
        .check_policy(&u.user, &u.ctx, "policy.action", Some(id), false)
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(input) = body?;
    let (_, version) = state
        .app
        .update_policy_action(&u.user, &u.ctx, id, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `GET /api/v1/policy-reviews/{id}/pdf`: the review typeset as a PDF in the caller's language
/// (Sarabun embedded, BE dates, page numbers, a confidentiality line).
#[utoipa::path(get, path = "/api/v1/policy-reviews/{id}/pdf", operation_id = "exportPolicyReviewPdf", tag = "reports",
    params(("id" = String, Path, description = "review id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "the PDF", content_type = "application/pdf", body = crate::api::advocacy::PdfFile)))]
pub async fn pdf(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<axum::response::Response, WebError> {
    let id = parse_id(&u, &id)?;
    let r = state
        .app
        .policy_review_export(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let doc = crate::pages::policy_pdf::document(&u.tr, &r, &u.user.display_name);
    crate::pages::pdf::respond(doc, "karuna-policy-review.pdf", |e| u.err(e)).await
}
