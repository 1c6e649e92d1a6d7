//! Complexity screening over the API: a case's suggestions with their reasons, asking for a
//! new one, the worker's decision, and the organisation's settings (administrators).

use super::cases::{guard, parse_id, Created, Versioned};
use crate::api::extract::Path;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_app::case::CaseAccess;
use karuna_app::screening::{DecisionCounts, Suggestion};
use karuna_domain::access::Action;
use karuna_domain::screening::{Config, ConfigInput, DecisionInput, Screening};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A complexity suggestion and the worker's decision on it.
#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestionOut {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// `complexity`.
    pub kind: String,
    /// What made it: `intake`, `assessment` or `manual`.
    pub trigger: String,
    /// The version of the organisation's settings it used (0: the shipped rules).
    pub config_version: i64,
    /// Level suggested: `standard`, `complex` or `highly_complex`.
    pub level: String,
    /// Score.
    pub score: i64,
    /// The reasons: every rule with its outcome (`met`, `not_met`, `unknown`), its points and
    /// the facts it used or missed.
    pub screening: Screening,
    /// Who caused it.
    pub created_by: Option<String>,
    /// When.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// `accepted`, `changed`, `rejected`, or none yet.
    pub decision: Option<String>,
    /// The level the worker set (the suggested one when accepted; none when rejected).
    pub decided_level: Option<String>,
    /// Her reason.
    pub decision_reason: Option<String>,
    /// Who decided.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Version (send it with the decision).
    pub version: i64,
}

impl From<Suggestion> for SuggestionOut {
    fn from(s: Suggestion) -> Self {
        let r = s.row;
        SuggestionOut {
            id: r.id,
            case_id: r.case_id,
            kind: r.kind,
            trigger: r.trigger,
            config_version: r.config_version,
            level: r.suggested,
            score: r.score,
            screening: s.screening,
            created_by: r.created_by_name,
            created_at: r.created_at,
            decision: r.decision,
            decided_level: r.decided,
            decision_reason: r.decision_reason,
            decided_by: r.decided_by_name,
            decided_at: r.decided_at,
            version: r.version,
        }
    }
}

/// A case's suggestions.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseSuggestionsOut {
    /// The organisation makes complexity suggestions.
    pub enabled: bool,
    /// The caller may decide on them and ask for a new one.
    pub can_decide: bool,
    /// Newest first (at most 50).
    pub suggestions: Vec<SuggestionOut>,
}

/// `GET /api/v1/cases/{id}/screenings`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/screenings", operation_id = "listCaseScreenings", tag = "decision-support",
    params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = CaseSuggestionsOut)))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<CaseSuggestionsOut>, WebError> {
    let id = parse_id(&u, &id)?;
    let all = state
        .app
        .case_suggestions(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(CaseSuggestionsOut {
        enabled: all.enabled,
        can_decide: all.can_decide,
        suggestions: all.list.into_iter().map(Into::into).collect(),
    }))
}

/// `POST /api/v1/cases/{id}/screenings`: screen the case again now.
#[utoipa::path(post, path = "/api/v1/cases/{id}/screenings", operation_id = "screenCase", tag = "decision-support",
    params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 409, description = "the organisation switched the screening off (`screening_off`)", content_type = "application/problem+json")))]
pub async fn screen(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    let sid = state
        .app
        .screen_case(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: sid })))
}

/// `POST /api/v1/suggestions/{id}/decision`: accept, change or reject a suggestion.
#[utoipa::path(post, path = "/api/v1/suggestions/{id}/decision", operation_id = "decideSuggestion", tag = "decision-support",
    params(("id" = String, Path, description = "suggestion id")), request_body = DecisionInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 409, description = "the suggestion was decided already (`suggestion_decided`), or a stale `version`", content_type = "application/problem+json"),
        (status = 422, description = "invalid input: `decision` unknown, `level` unknown or unchanged, `reason` required to change or reject", content_type = "application/problem+json")))]
pub async fn decide(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<DecisionInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    let case = state
        .app
        .suggestion_case(&u.user, id)
        .await
        .map_err(|e| u.err(e))?;
    guard(&state, &u, case, CaseAccess::Edit, "screening.decide").await?;
    let ApiJson(input) = body?;
    let version = state
        .app
        .decide_suggestion(&u.user, &u.ctx, id, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// The organisation's complexity screening settings.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettingsOut {
    /// The settings in force (the shipped rules until the organisation writes its own).
    pub config: Config,
    /// Their version (0: the shipped rules); send it back with a change.
    pub version: i64,
    /// How the suggestions were decided.
    pub decisions: DecisionCounts,
    /// Changed or rejected, as a share of those decided, in whole percent.
    pub overridden_percent: Option<i64>,
}

async fn admin(state: &AppState, u: &ApiUser, what: &str) -> Result<(), WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageConfiguration,
            what,
            ("decision_support_setting", None),
        )
        .await
        .map_err(|e| u.err(e))
}

/// `GET /api/v1/decision-support/complexity`.
#[utoipa::path(get, path = "/api/v1/decision-support/complexity", operation_id = "getComplexitySettings", tag = "configuration",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = SettingsOut),
        (status = 403, description = "not an administrator", content_type = "application/problem+json")))]
pub async fn settings(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<SettingsOut>, WebError> {
    let s = state
        .app
        .screening_settings(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(SettingsOut {
        overridden_percent: s.counts.overridden_percent(),
        config: s.config,
        version: s.version,
        decisions: s.counts,
    }))
}

/// `PUT /api/v1/decision-support/complexity`: rules, thresholds, on or off.
#[utoipa::path(put, path = "/api/v1/decision-support/complexity", operation_id = "putComplexitySettings", tag = "configuration",
    request_body = ConfigInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 403, description = "not an administrator", content_type = "application/problem+json"),
        (status = 409, description = "stale `version`", content_type = "application/problem+json"),
        (status = 422, description = "invalid: `rules[i].rule` (`criteria.*`, or `screening.fact_excluded` for a protected fact), `rules[i].points`, the thresholds", content_type = "application/problem+json")))]
pub async fn save_settings(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<ConfigInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    admin(&state, &u, "screening.settings.update").await?;
    let ApiJson(input) = body?;
    let version = state
        .app
        .save_screening_settings(&u.user, &u.ctx, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}
