//! The learned layer of the complexity screening over the API (administrators): its state with
//! the model in use and its validation figures, starting a training run, and the switch.

use super::cases::Versioned;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_app::screening_model::Run;
use karuna_domain::access::Action;
use karuna_domain::screening_model::Model;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A training run.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunOut {
    /// Id.
    pub id: Uuid,
    /// Its number in the organisation: the model's version on the screenings it scores.
    pub number: i64,
    /// `training`, `ready`, `too_few` or `failed`.
    pub status: String,
    /// Closed cases read.
    pub closed_cases: i64,
    /// Long ones among them (open 180 days or more).
    pub long_cases: i64,
    /// Who asked for it.
    pub requested_by: String,
    /// When.
    pub requested_at: chrono::DateTime<chrono::Utc>,
    /// When it ended.
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The fitted model with its features, weights and validation figures (when `ready`).
    pub model: Option<Model>,
}

impl From<Run> for RunOut {
    fn from(r: Run) -> Self {
        let row = r.row;
        RunOut {
            id: row.id,
            number: row.number,
            status: row.status,
            closed_cases: row.closed_cases,
            long_cases: row.long_cases,
            requested_by: row.requested_by_name,
            requested_at: row.requested_at,
            finished_at: row.finished_at,
            model: r.model,
        }
    }
}

/// The learned layer's state.
#[derive(Debug, Serialize, ToSchema)]
pub struct ModelStatusOut {
    /// Switched on: the model in use scores new screenings.
    pub enabled: bool,
    /// The switch's version (0: never written); send it back with a change.
    pub version: i64,
    /// The latest training run.
    pub latest: Option<RunOut>,
    /// The model in use: the latest ready run.
    pub in_use: Option<RunOut>,
}

/// The switch.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ModelSwitch {
    /// On or off.
    pub enabled: bool,
    /// The version read (0 before the first change).
    #[serde(default)]
    pub version: i64,
}

/// A training run started.
#[derive(Debug, Serialize, ToSchema)]
pub struct RunStarted {
    /// The run's id.
    pub id: Uuid,
    /// Its number.
    pub number: i64,
    /// `training`: read the state until it ends.
    pub status: String,
}

/// `GET /api/v1/decision-support/complexity-model`.
#[utoipa::path(get, path = "/api/v1/decision-support/complexity-model", operation_id = "getComplexityModel", tag = "configuration",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ModelStatusOut),
        (status = 403, description = "not an administrator", content_type = "application/problem+json")))]
pub async fn status(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<ModelStatusOut>, WebError> {
    let s = state
        .app
        .screening_model(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(ModelStatusOut {
        enabled: s.enabled,
        version: s.version,
        latest: s.latest.map(Into::into),
        in_use: s.in_use.map(Into::into),
    }))
}

/// `POST /api/v1/decision-support/complexity-model/runs`: train a model on the organisation's
/// closed cases, in the background.
#[utoipa::path(post, path = "/api/v1/decision-support/complexity-model/runs", operation_id = "trainComplexityModel", tag = "configuration",
    security(("bearer" = []), ("session" = [])),
    responses((status = 202, body = RunStarted, description = "training started; read the state until the run ends"),
        (status = 403, description = "not an administrator", content_type = "application/problem+json"),
        (status = 409, description = "a run is still training (`model_training`)", content_type = "application/problem+json")))]
pub async fn train(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<(StatusCode, Json<RunStarted>), WebError> {
    let (id, number) = state
        .app
        .train_screening_model(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok((
        StatusCode::ACCEPTED,
        Json(RunStarted {
            id,
            number,
            status: "training".into(),
        }),
    ))
}

/// `PUT /api/v1/decision-support/complexity-model`: switch the learned layer on or off.
#[utoipa::path(put, path = "/api/v1/decision-support/complexity-model", operation_id = "putComplexityModelSwitch", tag = "configuration",
    request_body = ModelSwitch, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 403, description = "not an administrator", content_type = "application/problem+json"),
        (status = 409, description = "stale `version`", content_type = "application/problem+json"),
        (status = 422, description = "the body is not a switch", content_type = "application/problem+json")))]
pub async fn switch(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<ModelSwitch>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageConfiguration,
            "screening.model.switch",
            ("decision_support_setting", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(b) = body?;
    let version = state
        .app
        .switch_screening_model(&u.user, &u.ctx, b.enabled, b.version)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}
