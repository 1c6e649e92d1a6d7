//! Consultation threads over the API: a case's threads, asking, one thread, replying and
//! resolving.

use super::cases::{guard, parse_id, Created, Versioned};
use crate::api::extract::Path;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_app::case::CaseAccess;
use karuna_domain::consultation::{ConsultationInput, ReplyInput, ResolveInput};
use karuna_store::consultation::{ConsultationRow, MentionRow, ReplyRow};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A reply.
#[derive(Debug, Serialize, ToSchema)]
pub struct Reply {
    /// Id.
    pub id: Uuid,
    /// Text.
    pub body: String,
    /// Author.
    pub author: String,
    /// When.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Colleagues brought in by it.
    pub mentioned: Vec<Mentioned>,
}

/// A colleague mentioned.
#[derive(Debug, Serialize, ToSchema)]
pub struct Mentioned {
    /// Account.
    pub account_id: Uuid,
    /// Name.
    pub name: String,
}

/// A consultation thread.
#[derive(Debug, Serialize, ToSchema)]
pub struct Consultation {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Subject.
    pub subject: String,
    /// The question.
    pub question: String,
    /// Who asked (id).
    pub asked_by: Uuid,
    /// Who asked (name).
    pub asked_by_name: String,
    /// Colleagues asked with the question.
    pub mentioned: Vec<Mentioned>,
    /// `open` or `resolved`.
    pub status: String,
    /// The advice taken.
    pub resolution: Option<String>,
    /// Who resolved it.
    pub resolved_by: Option<String>,
    /// When.
    pub resolved_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When asked.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Version (send it back to resolve).
    pub version: i64,
    /// Replies, oldest first.
    pub replies: Vec<Reply>,
}

fn mentioned(m: &[MentionRow], thread: Uuid, reply: Option<Uuid>) -> Vec<Mentioned> {
    m.iter()
        .filter(|x| x.consultation_id == thread && x.reply_id == reply)
        .map(|x| Mentioned {
            account_id: x.account_id,
            name: x.name.clone(),
        })
        .collect()
}

fn thread(t: ConsultationRow, replies: &[ReplyRow], mentions: &[MentionRow]) -> Consultation {
    Consultation {
        mentioned: mentioned(mentions, t.id, None),
        replies: replies
            .iter()
            .filter(|r| r.consultation_id == t.id)
            .map(|r| Reply {
                id: r.id,
                body: r.body.clone(),
                author: r.author_name.clone(),
                created_at: r.created_at,
                mentioned: mentioned(mentions, t.id, Some(r.id)),
            })
            .collect(),
        id: t.id,
        case_id: t.case_id,
        subject: t.subject,
        question: t.question,
        asked_by: t.asked_by,
        asked_by_name: t.asked_by_name,
        status: t.status,
        resolution: t.resolution,
        resolved_by: t.resolved_by_name,
        resolved_at: t.resolved_at,
        created_at: t.created_at,
        version: t.version,
    }
}

/// `GET /api/v1/cases/{id}/consultations`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/consultations", operation_id = "listCaseConsultations", tag = "consultations",
    params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<Consultation>, description = "open threads first, then newest first")))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<Consultation>>, WebError> {
    let id = parse_id(&u, &id)?;
    let all = state
        .app
        .case_consultations(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(
        all.threads
            .into_iter()
            .map(|t| thread(t, &all.replies, &all.mentions))
            .collect(),
    ))
}

/// `POST /api/v1/cases/{id}/consultations`: ask for advice.
#[utoipa::path(post, path = "/api/v1/cases/{id}/consultations", operation_id = "askConsultation", tag = "consultations",
    params(("id" = String, Path, description = "case id")), request_body = ConsultationInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 422, description = "invalid input; `errors` lists every field at fault (`mention_ids`: `consultation.mention_cannot_open` when a colleague may not open the case)", content_type = "application/problem+json")))]
pub async fn ask(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ConsultationInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Edit, "consultation.create").await?;
    let ApiJson(input) = body?;
    let tid = state
        .app
        .ask(&u.user, &u.ctx, id, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: tid })))
}

/// `GET /api/v1/consultations/{id}`.
#[utoipa::path(get, path = "/api/v1/consultations/{id}", operation_id = "getConsultation", tag = "consultations",
    params(("id" = String, Path, description = "thread id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Consultation)))]
pub async fn get_one(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Consultation>, WebError> {
    let id = parse_id(&u, &id)?;
    let (t, replies, mentions) = state
        .app
        .consultation(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(thread(t, &replies, &mentions)))
}

/// `POST /api/v1/consultations/{id}/replies`.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/replies", operation_id = "replyToConsultation", tag = "consultations",
    params(("id" = String, Path, description = "thread id")), request_body = ReplyInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 422, description = "invalid input, or the thread is resolved (`consultation.resolved`)", content_type = "application/problem+json")))]
pub async fn reply(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ReplyInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    let case = state
        .app
        .consultation_case(id)
        .await
        .map_err(|e| u.err(e))?;
    guard(&state, &u, case, CaseAccess::Edit, "consultation.reply").await?;
    let ApiJson(input) = body?;
    let rid = state
        .app
        .reply(&u.user, &u.ctx, id, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: rid })))
}

/// `POST /api/v1/consultations/{id}/resolve`: the advice taken.
#[utoipa::path(post, path = "/api/v1/consultations/{id}/resolve", operation_id = "resolveConsultation", tag = "consultations",
    params(("id" = String, Path, description = "thread id")), request_body = ResolveInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 403, description = "only the one who asked, or whoever steers the case, resolves a thread", content_type = "application/problem+json"),
        (status = 409, description = "stale version (a reply came in since it was read)", content_type = "application/problem+json")))]
pub async fn resolve(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ResolveInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    let case = state
        .app
        .consultation_case(id)
        .await
        .map_err(|e| u.err(e))?;
    guard(&state, &u, case, CaseAccess::Edit, "consultation.resolve").await?;
    let ApiJson(input) = body?;
    let version = state
        .app
        .resolve_consultation(&u.user, &u.ctx, id, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}
