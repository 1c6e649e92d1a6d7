//! Resource matching over the API: a case's needs and the services of one need's category
//! ranked with their reasons; recording the service chosen; switching matching on or off.

use super::cases::{guard, parse_id, Created};
use crate::api::extract::Path;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use karuna_app::case::CaseAccess;
use karuna_app::service_match::{ChoiceInput, StoredMatch};
use karuna_domain::service_match::Reason;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The need to rank services for.
#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct MatchQuery {
    /// A service category code (`shelter`, `legal_aid` …); the case's first need when absent.
    pub category: Option<String>,
}

/// One ranked service.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchOut {
    /// The service.
    pub service_id: Uuid,
    /// Its name.
    pub name: String,
    /// Its provider.
    pub provider: String,
    /// The sum of the reasons' points.
    pub score: i64,
    /// Why, each with its points.
    pub reasons: Vec<Reason>,
}

/// A choice recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChoiceOut {
    /// Id.
    pub id: Uuid,
    /// The need's category.
    pub category: Option<String>,
    /// The first service of the list then.
    pub suggested: String,
    /// `accepted` (the first), `changed` (another) or `rejected` (none).
    pub decision: Option<String>,
    /// The service chosen.
    pub service_id: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// Who.
    pub decided_by: Option<String>,
    /// When.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// The list she saw.
    pub list: Vec<StoredMatch>,
}

/// A case's matching.
#[derive(Debug, Serialize, ToSchema)]
pub struct MatchingOut {
    /// Matching is switched on.
    pub enabled: bool,
    /// The caller may record a choice.
    pub can_decide: bool,
    /// The categories of the case's needs, from its completed assessments.
    pub needs: Vec<String>,
    /// The category ranked.
    pub category: Option<String>,
    /// Best first (at most 10).
    pub matches: Vec<MatchOut>,
    /// Choices recorded, newest first.
    pub choices: Vec<ChoiceOut>,
}

/// `GET /api/v1/cases/{id}/service-matches`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/service-matches", operation_id = "matchCaseServices", tag = "decision-support",
    params(("id" = String, Path, description = "case id"), MatchQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = MatchingOut),
        (status = 422, description = "`category`: `resource.category_unknown`", content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    Query(q): Query<MatchQuery>,
) -> Result<Json<MatchingOut>, WebError> {
    let id = parse_id(&u, &id)?;
    let m = state
        .app
        .match_services(&u.user, &u.ctx, id, q.category.as_deref())
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(MatchingOut {
        enabled: m.enabled,
        can_decide: m.can_decide,
        needs: m.needs.iter().map(|c| c.code().to_string()).collect(),
        category: m.category.map(|c| c.code().to_string()),
        matches: m
            .matches
            .into_iter()
            .map(|x| MatchOut {
                service_id: x.service.id,
                name: x.service.name,
                provider: x.service.provider_name,
                score: x.ranked.score,
                reasons: x.ranked.reasons,
            })
            .collect(),
        choices: m
            .choices
            .into_iter()
            .map(|s| ChoiceOut {
                list: serde_json::from_str(&s.reasons).unwrap_or_default(),
                id: s.id,
                category: s.subject,
                suggested: s.suggested,
                decision: s.decision,
                service_id: s.decided,
                reason: s.decision_reason,
                decided_by: s.decided_by_name,
                created_at: s.created_at,
            })
            .collect(),
    }))
}

/// `POST /api/v1/cases/{id}/service-matches`: record the service chosen for a need.
#[utoipa::path(post, path = "/api/v1/cases/{id}/service-matches", operation_id = "chooseCaseService", tag = "decision-support",
    params(("id" = String, Path, description = "case id")), request_body = ChoiceInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 409, description = "matching is switched off (`matching_off`)", content_type = "application/problem+json"),
        (status = 422, description = "invalid: `category` unknown, `service_id` not in the directory, `reason` required unless the first service is chosen", content_type = "application/problem+json")))]
pub async fn choose(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ChoiceInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Edit, "match.decide").await?;
    let ApiJson(input) = body?;
    let sid = state
        .app
        .record_service_choice(&u.user, &u.ctx, id, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: sid })))
}
