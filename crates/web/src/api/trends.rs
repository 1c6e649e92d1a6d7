//! Trends and forecasts over the API (`app::trends`): aggregates only.

use crate::api::extract::Query;
use crate::auth::ApiUser;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use karuna_app::trends::{NewCaseForecast, TrendsQuery};

/// `GET /api/v1/reports/trends/new-cases`: new cases month by month in a scope (the
/// organisation or a unit, every case type or one; at most five years back, to the last
/// complete month), the next 3–6 months forecast with an 80% prediction interval, and a
/// rolling-origin backtest against the seasonal-naive forecast (MASE). Months with 1–4 cases
/// read as suppressed. Data analysts: the organisation or any unit; supervisors: their unit.
#[utoipa::path(get, path = "/api/v1/reports/trends/new-cases", tag = "reports", operation_id = "getNewCaseForecast",
    params(TrendsQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = NewCaseForecast),
        (status = 422, description = "an unknown `unit` (`report.unit_unknown`; a supervisor's other than her own: `report.unit_not_yours`) or `case_type` (`trends.case_type_unknown`), or a `horizon` outside 3–6 (`trends.horizon_range`)", content_type = "application/problem+json")))]
pub async fn new_cases(
    State(state): State<AppState>,
    u: ApiUser,
    Query(q): Query<TrendsQuery>,
) -> Result<Json<NewCaseForecast>, WebError> {
    let f = state
        .app
        .new_case_forecast(&u.user, &u.ctx, &q)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(f))
}
