//! Case conferences over the API: schedule, list, read (only the cases the caller may open),
//! write a case's minutes, and the chair's confirmation.

use super::cases::{guard, parse_id, Created};
use crate::api::extract::Path;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_app::case::CaseAccess;
use karuna_domain::conference::{ConferenceInput, Minutes, MinutesInput};
use karuna_store::conference::ConferenceRow;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A conference in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConferenceSummary {
    /// Id.
    pub id: Uuid,
    /// Title.
    pub title: String,
    /// When it starts.
    pub starts_at: chrono::DateTime<chrono::Utc>,
    /// Where.
    pub place: Option<String>,
    /// Online link.
    pub online_link: Option<String>,
    /// Chair.
    pub chair_id: Uuid,
    /// Chair's name.
    pub chair_name: String,
    /// `scheduled` or `confirmed`.
    pub status: String,
}

impl From<ConferenceRow> for ConferenceSummary {
    fn from(c: ConferenceRow) -> Self {
        ConferenceSummary {
            id: c.id,
            title: c.title,
            starts_at: c.starts_at,
            place: c.place,
            online_link: c.online_link,
            chair_id: c.chair_id,
            chair_name: c.chair_name,
            status: c.status,
        }
    }
}

/// An attendee.
#[derive(Debug, Serialize, ToSchema)]
pub struct Attendee {
    /// A colleague's account (none for a person of another agency).
    pub account_id: Option<Uuid>,
    /// Name.
    pub name: String,
    /// Agency.
    pub organisation: Option<String>,
    /// Role, or a colleague's profession code.
    pub role: Option<String>,
}

/// One version of a case's minutes.
#[derive(Debug, Serialize, ToSchema)]
pub struct MinutesVersion {
    /// Version number.
    pub number: i64,
    /// `draft`, `confirmed` or `superseded`.
    pub status: String,
    /// The minutes.
    pub content: Minutes,
    /// Why confirmed minutes were changed.
    pub reason: Option<String>,
    /// Author.
    pub written_by: String,
    /// When.
    pub written_at: chrono::DateTime<chrono::Utc>,
    /// Who confirmed it.
    pub confirmed_by: Option<String>,
    /// When.
    pub confirmed_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A case of the agenda the caller may open.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgendaItem {
    /// Case.
    pub case_id: Uuid,
    /// Number.
    pub number: String,
    /// The caller may write its minutes.
    pub can_edit: bool,
    /// Its minutes, newest version first.
    pub minutes: Vec<MinutesVersion>,
}

/// A conference with what the caller may see of it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConferenceDetail {
    /// The meeting.
    #[serde(flatten)]
    pub conference: ConferenceSummary,
    /// Who attends.
    pub attendees: Vec<Attendee>,
    /// The cases of the agenda the caller may open.
    pub cases: Vec<AgendaItem>,
    /// How many cases of the agenda the caller may not open.
    pub hidden_cases: usize,
    /// The caller chairs it (and confirms its minutes).
    pub is_chair: bool,
}

/// `POST /api/v1/conferences`.
#[utoipa::path(post, path = "/api/v1/conferences", operation_id = "scheduleConference", tag = "conferences",
    request_body = ConferenceInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 403, description = "a case on the agenda the caller may not edit", content_type = "application/problem+json"),
        (status = 422, description = "invalid input; `errors` lists every field at fault (`chair_id`: `conference.chair_cannot_open` when the chair may not open every case; `cases`: `conference.case_unknown`)", content_type = "application/problem+json")))]
pub async fn schedule(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<ConferenceInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let ApiJson(input) = body?;
    let id = state
        .app
        .schedule_conference(&u.user, &u.ctx, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// `GET /api/v1/conferences`: those with a case the caller may open, latest first (at most 200).
#[utoipa::path(get, path = "/api/v1/conferences", operation_id = "listConferences", tag = "conferences",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<ConferenceSummary>)))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<Vec<ConferenceSummary>>, WebError> {
    let rows = state
        .app
        .conferences(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(
        rows.into_iter().map(ConferenceSummary::from).collect(),
    ))
}

/// `GET /api/v1/cases/{id}/conferences`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/conferences", operation_id = "listCaseConferences", tag = "conferences",
    params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<ConferenceSummary>)))]
pub async fn case_list(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<ConferenceSummary>>, WebError> {
    let id = parse_id(&u, &id)?;
    let rows = state
        .app
        .case_conferences(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(
        rows.into_iter().map(ConferenceSummary::from).collect(),
    ))
}

/// `GET /api/v1/conferences/{id}`.
#[utoipa::path(get, path = "/api/v1/conferences/{id}", operation_id = "getConference", tag = "conferences",
    params(("id" = String, Path, description = "conference id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = ConferenceDetail)))]
pub async fn get_one(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ConferenceDetail>, WebError> {
    let id = parse_id(&u, &id)?;
    let v = state
        .app
        .conference(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(ConferenceDetail {
        is_chair: v.is_chair,
        hidden_cases: v.hidden_cases,
        attendees: v
            .attendees
            .into_iter()
            .map(|a| Attendee {
                account_id: a.account_id,
                name: a.name,
                organisation: a.organisation,
                role: a.role,
            })
            .collect(),
        cases: v
            .cases
            .into_iter()
            .map(|c| AgendaItem {
                case_id: c.case_id,
                number: c.number,
                can_edit: c.can_edit,
                minutes: c
                    .minutes
                    .into_iter()
                    .map(|m| MinutesVersion {
                        number: m.number,
                        status: m.status,
                        content: m.content,
                        reason: m.reason,
                        written_by: m.written_by_name,
                        written_at: m.written_at,
                        confirmed_by: m.confirmed_by_name,
                        confirmed_at: m.confirmed_at,
                    })
                    .collect(),
            })
            .collect(),
        conference: ConferenceSummary::from(v.conference),
    }))
}

/// The version written.
#[derive(Debug, Serialize, ToSchema)]
pub struct MinutesSaved {
    /// Its number.
    pub version: i64,
}

/// `PUT /api/v1/conferences/{id}/cases/{case}/minutes`: a new version (a draft for the chair).
#[utoipa::path(put, path = "/api/v1/conferences/{id}/cases/{case}/minutes", operation_id = "saveConferenceMinutes", tag = "conferences",
    params(("id" = String, Path, description = "conference id"), ("case" = String, Path, description = "case id (on the agenda)")),
    request_body = MinutesInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = MinutesSaved),
        (status = 409, description = "`based_on` is not the latest version", content_type = "application/problem+json"),
        (status = 422, description = "invalid input; `errors` lists every field at fault (an action item without an owner or due date; `reason` when confirmed minutes change)", content_type = "application/problem+json")))]
pub async fn save_minutes(
    State(state): State<AppState>,
    u: ApiUser,
    Path((id, case)): Path<(String, String)>,
    body: Result<ApiJson<MinutesInput>, WebError>,
) -> Result<Json<MinutesSaved>, WebError> {
    let id = parse_id(&u, &id)?;
    let case = parse_id(&u, &case)?;
    let cases = state.app.conference_cases(id).await.map_err(|e| u.err(e))?;
    if !cases.contains(&case) {
        return Err(u.err(karuna_app::AppError::NotFound));
    }
    guard(&state, &u, case, CaseAccess::Edit, "conference.minutes").await?;
    let ApiJson(input) = body?;
    let version = state
        .app
        .save_minutes(&u.user, &u.ctx, id, case, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(MinutesSaved { version }))
}

/// What the confirmation did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Confirmed {
    /// Tasks created from action items.
    pub tasks_created: usize,
}

/// `POST /api/v1/conferences/{id}/confirm`: the chair confirms every draft.
#[utoipa::path(post, path = "/api/v1/conferences/{id}/confirm", operation_id = "confirmConferenceMinutes", tag = "conferences",
    params(("id" = String, Path, description = "conference id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Confirmed),
        (status = 403, description = "only the chair confirms, and only while she may open every case of the agenda", content_type = "application/problem+json"),
        (status = 422, description = "nothing to confirm, or an action item's owner may no longer open the case", content_type = "application/problem+json")))]
pub async fn confirm(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Confirmed>, WebError> {
    let id = parse_id(&u, &id)?;
    let tasks_created = state
        .app
        .confirm_conference(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Confirmed { tasks_created }))
}
