//! Worklists and aggregate figures over the API: what awaits my approval, what falls due in
//! the next week, and the case counts for those who see no case (`app::worklist`,
//! `app::report`).

use crate::auth::ApiUser;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use karuna_app::report::CaseFigures;
use karuna_app::worklist::{Approvals, DueSoon};

/// `GET /api/v1/me/approvals`: plans and closures awaiting my approval (a supervisor's unit,
/// never her own work), oldest first, at most 50, with the count of all. Empty for roles that
/// approve nothing.
#[utoipa::path(get, path = "/api/v1/me/approvals", tag = "cases", operation_id = "listMyApprovals",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Approvals),
        (status = 401, description = "not signed in", content_type = "application/problem+json"),
        (status = 403, description = "the role works no cases", content_type = "application/problem+json")))]
pub async fn approvals(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<Approvals>, WebError> {
    let a = state
        .app
        .awaiting_my_approval(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(a))
}

/// `GET /api/v1/me/due`: what falls due in the next 7 days (my open promises, and contacts
/// marked "needs follow-up" on my cases — a supervisor's unit — with no later contact), overdue
/// included, each with the client's name where I may see it.
#[utoipa::path(get, path = "/api/v1/me/due", tag = "cases", operation_id = "listMyDueSoon",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = DueSoon),
        (status = 401, description = "not signed in", content_type = "application/problem+json"),
        (status = 403, description = "the role works no cases", content_type = "application/problem+json")))]
pub async fn due(State(state): State<AppState>, u: ApiUser) -> Result<Json<DueSoon>, WebError> {
    let d = state
        .app
        .due_soon(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(d))
}

/// `GET /api/v1/reports/case-counts`: case counts by status, type and month of opening (the
/// last 12 months), 1–4 suppressed. Data analysts: the organisation; supervisors: their unit.
#[utoipa::path(get, path = "/api/v1/reports/case-counts", tag = "reports", operation_id = "getCaseCounts",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CaseFigures),
        (status = 401, description = "not signed in", content_type = "application/problem+json"),
        (status = 403, description = "not a data analyst or supervisor", content_type = "application/problem+json")))]
pub async fn case_counts(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<CaseFigures>, WebError> {
    let f = state
        .app
        .case_figures(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(f))
}

/// `GET /api/v1/reports/dashboard`: the dashboard's figures for a period and a scope,
/// aggregates only (1–4 suppressed, durations only over five cases or more). Data analysts:
/// the organisation or any unit; supervisors: their unit.
#[utoipa::path(get, path = "/api/v1/reports/dashboard", tag = "reports", operation_id = "getDashboard",
    params(karuna_app::dashboard::DashboardQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = karuna_app::dashboard::Dashboard),
        (status = 422, description = "an unknown `period` (`report.period_unknown`), `unit` (`report.unit_unknown`; a supervisor's other than her own: `report.unit_not_yours`) or `province` (`report.province_unknown`)", content_type = "application/problem+json")))]
pub async fn dashboard(
    State(state): State<AppState>,
    u: ApiUser,
    crate::api::extract::Query(q): crate::api::extract::Query<
        karuna_app::dashboard::DashboardQuery,
    >,
) -> Result<Json<karuna_app::dashboard::Dashboard>, WebError> {
    let d = state
        .app
        .dashboard(&u.user, &u.ctx, &q)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(d))
}
