//! Cases over the API: intake, lists, the case file, lifecycle and transfer (team, persons
//! and consent are in `case_people`).

use crate::api::extract::{Path, Query};
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_app::case::{CaseAccess, CaseListItem, CaseView};
use karuna_app::intake::{IntakeInput, IntakeResult};
use karuna_app::person::{Candidate, PersonView};
use karuna_app::AppError;
use karuna_domain::person::{DocumentInput, PersonInput};
use karuna_store::case::CaseFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub(crate) fn parse_id(u: &ApiUser, id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| u.err(AppError::NotFound))
}

/// Checks access to the case before the body is looked at.
pub(crate) async fn guard(
    state: &AppState,
    u: &ApiUser,
    id: Uuid,
    access: CaseAccess,
    action: &str,
) -> Result<(), WebError> {
    state
        .app
        .check_case(&u.user, &u.ctx, id, access, action)
        .await
        .map_err(|e| u.err(e))
}

/// List filters and paging.
#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct CaseQuery {
    /// Only my cases (as case manager).
    pub mine: bool,
    /// Status code.
    pub status: Option<String>,
    /// Case type code.
    pub case_type: Option<String>,
    /// Urgency code.
    pub urgency: Option<String>,
    /// Only cases with overdue promises.
    pub overdue: bool,
    /// `approval`: only cases with a plan or closure awaiting my approval (supervisors; the
    /// count is `GET /api/v1/me/approvals`).
    pub awaiting: Option<String>,
    /// `updated` (default, newest first) or `number`.
    pub sort: Option<String>,
    /// Cursor from the previous page.
    pub after: Option<String>,
    /// Page size (1–200, default 50).
    pub limit: Option<i64>,
}

impl CaseQuery {
    /// The store filter for this query.
    pub fn filter(&self) -> CaseFilter {
        let opt = |s: &Option<String>| s.clone().filter(|v| !v.trim().is_empty());
        CaseFilter {
            mine: self.mine,
            status: opt(&self.status),
            case_type: opt(&self.case_type),
            urgency: opt(&self.urgency),
            overdue_on: self
                .overdue
                .then(|| karuna_thai::calendar::bangkok_date(chrono::Utc::now())),
            awaiting_approval: self.awaiting.as_deref() == Some("approval"),
            sort: self.sort.clone().unwrap_or_default(),
            after: self
                .after
                .as_deref()
                .and_then(|a| a.split_once('|'))
                .map(|(k, i)| (k.to_string(), i.to_string())),
        }
    }
}

/// The cursor of a list row.
pub fn cursor(item: &CaseListItem, sort: &str) -> String {
    if sort == "number" {
        format!("{}|{}", item.number, item.id)
    } else {
        format!("{}|{}", karuna_store::time::to_db(item.updated_at), item.id)
    }
}

/// A page of cases.
#[derive(Debug, Serialize, ToSchema)]
pub struct CasePage {
    /// The cases.
    pub items: Vec<CaseListItem>,
    /// Cursor for the next page.
    pub next_after: Option<String>,
}

/// `GET /api/v1/cases`.
#[utoipa::path(get, path = "/api/v1/cases", operation_id = "listCases", tag = "cases", params(CaseQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CasePage), (status = 403, description = "role without case access", content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
    Query(q): Query<CaseQuery>,
) -> Result<Json<CasePage>, WebError> {
    let limit = q.limit.unwrap_or(50).clamp(1, 200);
    let f = q.filter();
    let mut items = state
        .app
        .list_cases(&u.user, &u.ctx, &f, limit + 1)
        .await
        .map_err(|e| u.err(e))?;
    let more = items.len() as i64 > limit;
    items.truncate(limit as usize);
    let next_after = if more {
        items.last().map(|i| cursor(i, &f.sort))
    } else {
        None
    };
    Ok(Json(CasePage { items, next_after }))
}

/// `POST /api/v1/cases`: an intake.
#[utoipa::path(post, path = "/api/v1/cases", operation_id = "createCase", tag = "cases", request_body = IntakeInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = IntakeResult), (status = 422, description = "invalid", content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<IntakeInput>, WebError>,
) -> Result<(StatusCode, Json<IntakeResult>), WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            karuna_domain::access::Action::CreateCase,
            "case.create",
            ("case", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(input) = body?;
    let r = state
        .app
        .intake(&u.user, &u.ctx, &input)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Who is being registered, for the duplicate check.
#[derive(Debug, Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct CandidateQuery {
    /// The person as typed.
    pub person: PersonInput,
    /// Their documents.
    pub documents: Vec<DocumentInput>,
    /// Approximate age in years (at most 120), when neither a birth date nor a year is known:
    /// taken as a birth year estimated ± a few years.
    pub age: Option<u32>,
}

/// `POST /api/v1/intake/candidates`: persons already on record who may be this one.
#[utoipa::path(post, path = "/api/v1/intake/candidates", operation_id = "findIntakeCandidates", tag = "cases", request_body = CandidateQuery, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<Candidate>), (status = 422, description = "an approximate age past 120 (field `age`)", content_type = "application/problem+json")))]
pub async fn candidates(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<CandidateQuery>, WebError>,
) -> Result<Json<Vec<Candidate>>, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            karuna_domain::access::Action::CreateCase,
            "person.match",
            ("person", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let ApiJson(q) = body?;
    Ok(Json(
        state
            .app
            .find_candidates_aged(&u.user, &u.ctx, &q.person, &q.documents, q.age)
            .await
            .map_err(|e| u.err(e))?,
    ))
}

/// A team member.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamMember {
    /// Account.
    pub account_id: Uuid,
    /// Name.
    pub name: String,
    /// Account role.
    pub role: String,
    /// Profession.
    pub profession: Option<String>,
    /// Role in the case.
    pub role_in_case: String,
}

/// A person on the case.
#[derive(Debug, Serialize, ToSchema)]
pub struct CasePerson {
    /// Relationship to the client (`client` for the client).
    pub relationship: String,
    /// The person.
    pub person: PersonView,
}

/// One entry of the case history.
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntry {
    /// `open`, `status`, `reopen`, `transfer`.
    pub kind: String,
    /// From status.
    pub from_status: Option<String>,
    /// To status.
    pub to_status: Option<String>,
    /// From manager.
    pub from_manager: Option<String>,
    /// To manager.
    pub to_manager: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// Who.
    pub actor: Option<String>,
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
}

/// The case file.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseFile {
    /// Id.
    pub id: Uuid,
    /// Number.
    pub number: String,
    /// Status code.
    pub status: String,
    /// Urgency code.
    pub urgency: String,
    /// Sensitive.
    pub sensitive: bool,
    /// Case types.
    pub case_types: Vec<String>,
    /// Referral source.
    pub referral_source: String,
    /// Referral detail.
    pub referral_note: Option<String>,
    /// Presenting problem.
    pub presenting_problem: String,
    /// Unit.
    pub unit_id: Uuid,
    /// Case manager.
    pub manager_id: Uuid,
    /// Case manager's name.
    pub manager_name: String,
    /// Opened.
    pub opened_at: chrono::DateTime<chrono::Utc>,
    /// Closed.
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Someone on the case is an alleged perpetrator.
    pub alleged_perpetrator: bool,
    /// The viewer sees the client's identity.
    pub identity_visible: bool,
    /// The viewer may transfer, close, change the team.
    pub can_manage: bool,
    /// Persons, client first.
    pub persons: Vec<CasePerson>,
    /// Team.
    pub team: Vec<TeamMember>,
    /// History.
    pub history: Vec<HistoryEntry>,
    /// Version (send it back to change the case).
    pub version: i64,
}

impl From<CaseView> for CaseFile {
    fn from(v: CaseView) -> Self {
        let c = v.case;
        CaseFile {
            id: c.id,
            number: c.number,
            status: c.status,
            urgency: c.urgency,
            sensitive: c.sensitive,
            case_types: c.case_types,
            referral_source: c.referral_source,
            referral_note: c.referral_note,
            presenting_problem: c.presenting_problem,
            unit_id: c.unit_id,
            manager_id: c.manager_id,
            manager_name: v.manager_name,
            opened_at: c.opened_at,
            closed_at: c.closed_at,
            alleged_perpetrator: v.alleged_perpetrator,
            identity_visible: v.identity_visible,
            can_manage: v.can_manage,
            persons: v
                .persons
                .into_iter()
                .map(|(person, relationship)| CasePerson {
                    relationship,
                    person,
                })
                .collect(),
            team: v
                .team
                .into_iter()
                .map(|m| TeamMember {
                    account_id: m.account_id,
                    name: m.display_name,
                    role: m.role,
                    profession: m.profession,
                    role_in_case: m.role_in_case,
                })
                .collect(),
            history: v
                .history
                .into_iter()
                .map(|h| HistoryEntry {
                    kind: h.kind,
                    from_status: h.from_status,
                    to_status: h.to_status,
                    from_manager: h.from_manager,
                    to_manager: h.to_manager,
                    reason: h.reason,
                    actor: h.actor,
                    at: h.at,
                })
                .collect(),
            version: c.version,
        }
    }
}

/// `GET /api/v1/cases/{id}`.
#[utoipa::path(get, path = "/api/v1/cases/{id}", operation_id = "getCase", tag = "cases", params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CaseFile), (status = 403, description = "not on the case", content_type = "application/problem+json"),
        (status = 404, description = "no such case", content_type = "application/problem+json")))]
pub async fn get_one(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<CaseFile>, WebError> {
    let id = parse_id(&u, &id)?;
    Ok(Json(
        state
            .app
            .open_case(&u.user, &u.ctx, id)
            .await
            .map_err(|e| u.err(e))?
            .into(),
    ))
}

/// Changes to what intake recorded.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CaseUpdate {
    /// The version read.
    pub version: i64,
    /// Urgency code.
    pub urgency: String,
    /// Sensitive.
    pub sensitive: bool,
    /// Case types.
    pub case_types: Vec<String>,
    /// Presenting problem.
    pub presenting_problem: String,
}

/// The new version of a changed record.
#[derive(Debug, Serialize, ToSchema)]
pub struct Versioned {
    /// The record's new version.
    pub version: i64,
}

/// `PATCH /api/v1/cases/{id}`.
#[utoipa::path(patch, path = "/api/v1/cases/{id}", operation_id = "updateCase", tag = "cases", params(("id" = String, Path, description = "case id")), request_body = CaseUpdate,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned), (status = 409, description = "stale version", content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<CaseUpdate>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Manage, "case.update").await?;
    let ApiJson(x) = body?;
    let version = state
        .app
        .update_case(
            &u.user,
            &u.ctx,
            id,
            x.version,
            &x.urgency,
            x.sensitive,
            &x.case_types,
            &x.presenting_problem,
        )
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// A lifecycle move.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TransitionRequest {
    /// The version read.
    pub version: i64,
    /// Target status code.
    pub to: String,
    /// Why (required to reopen; closing takes the closure summary's reason when empty).
    #[serde(default)]
    pub reason: String,
    /// Reopen a closed case (to assessment or implementation).
    #[serde(default)]
    pub reopen: bool,
}

/// `POST /api/v1/cases/{id}/transitions`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/transitions", operation_id = "transitionCase", tag = "cases", params(("id" = String, Path, description = "case id")),
    request_body = TransitionRequest, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned), (status = 422, description = "not allowed now", content_type = "application/problem+json")))]
pub async fn transition(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<TransitionRequest>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Edit, "case.transition").await?;
    let ApiJson(t) = body?;
    let version = if t.reopen {
        state
            .app
            .reopen_case(&u.user, &u.ctx, id, t.version, &t.to, &t.reason)
            .await
    } else {
        state
            .app
            .change_status(&u.user, &u.ctx, id, t.version, &t.to, &t.reason)
            .await
    }
    .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// A transfer to another case manager.
#[derive(Debug, Deserialize, ToSchema)]
pub struct TransferRequest {
    /// The version read.
    pub version: i64,
    /// The new case manager.
    pub manager_id: Uuid,
    /// Why.
    pub reason: String,
    /// What the new case manager must know (risks, promises made, next steps); she
    /// acknowledges it.
    #[serde(default)]
    pub handover_note: String,
}

/// `POST /api/v1/cases/{id}/transfer`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/transfer", operation_id = "transferCase", tag = "cases", params(("id" = String, Path, description = "case id")),
    request_body = TransferRequest, security(("bearer" = []), ("session" = [])), responses((status = 200, body = Versioned)))]
pub async fn transfer(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<TransferRequest>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Manage, "case.transfer").await?;
    let ApiJson(t) = body?;
    let version = state
        .app
        .transfer_case(
            &u.user,
            &u.ctx,
            id,
            &karuna_app::case::Transfer {
                version: t.version,
                to_manager: t.manager_id,
                reason: &t.reason,
                handover_note: &t.handover_note,
            },
        )
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// The id of a created record.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    /// Id.
    pub id: Uuid,
}

/// A handover note of a transfer.
#[derive(Debug, Serialize, ToSchema)]
pub struct Handover {
    /// Id.
    pub id: Uuid,
    /// The case manager before.
    pub from: String,
    /// The case manager after (id).
    pub to_manager: Uuid,
    /// Her name.
    pub to: String,
    /// What she must know.
    pub note: String,
    /// When.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When she acknowledged it (none: not yet).
    pub acknowledged_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// `GET /api/v1/cases/{id}/handovers`: newest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/handovers", operation_id = "listCaseHandovers", tag = "cases", params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<Handover>)))]
pub async fn handovers(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<Handover>>, WebError> {
    let id = parse_id(&u, &id)?;
    let rows = state
        .app
        .case_handovers(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(
        rows.into_iter()
            .map(|h| Handover {
                id: h.id,
                from: h.from_name,
                to_manager: h.to_manager,
                to: h.to_name,
                note: h.note,
                created_at: h.created_at,
                acknowledged_at: h.acknowledged_at,
            })
            .collect(),
    ))
}

/// `POST /api/v1/handovers/{id}/acknowledge`: the new case manager has read the note.
#[utoipa::path(post, path = "/api/v1/handovers/{id}/acknowledge", operation_id = "acknowledgeHandover", tag = "cases",
    params(("id" = String, Path, description = "handover id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "acknowledged"),
        (status = 403, description = "only the new case manager acknowledges, while she manages the case", content_type = "application/problem+json"),
        (status = 422, description = "already acknowledged (`case.handover_acknowledged`)", content_type = "application/problem+json")))]
pub async fn acknowledge_handover(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<StatusCode, WebError> {
    let id = parse_id(&u, &id)?;
    state
        .app
        .acknowledge_handover(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/cases/{id}/pdf`: the case file typeset as a PDF in the caller's language
/// (Sarabun embedded, BE dates, page numbers, a confidentiality line on every page): facts,
/// persons, team, the plan in force and its progress, reviews, closure and follow-ups,
/// promises, and the contacts (the newest 500), the client masked as on the case page.
#[utoipa::path(get, path = "/api/v1/cases/{id}/pdf", operation_id = "exportCasePdf", tag = "cases",
    params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "the PDF", content_type = "application/pdf", body = crate::api::advocacy::PdfFile)))]
pub async fn pdf(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<axum::response::Response, WebError> {
    let id = parse_id(&u, &id)?;
    let x = state
        .app
        .case_export(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let types = state
        .app
        .case_types(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let doc = crate::pages::case_pdf::document(&u.tr, &types, &x, &u.user.display_name);
    let name = crate::pages::case_pdf::file_name(&x);
    crate::pages::pdf::respond(doc, &name, |e| u.err(e)).await
}
