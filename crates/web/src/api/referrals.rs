//! Referrals over the API: a case's referrals and alerts, referring, one referral with its
//! history, agreement and check-ins, its steps, the agreement, check-ins, acknowledging an
//! alert, and the referral figures for reports.

use super::cases::{guard, parse_id, Created, Versioned};
use crate::api::extract::{Path, Query};
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use karuna_app::case::CaseAccess;
use karuna_app::referral::ReferralView;
use karuna_domain::referral::{AgreementInput, CheckInInput, ReferralInput, StepInput};
use karuna_store::referral::{AlertRow, CheckInRow, EventRow, ReferralRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A referral.
#[derive(Debug, Serialize, ToSchema)]
pub struct Referral {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Case number.
    pub case_number: String,
    /// The directory service referred to.
    pub service_id: Option<Uuid>,
    /// Its provider in the directory.
    pub provider_id: Option<Uuid>,
    /// The provider's name (at referral time).
    pub provider_name: String,
    /// The service's name (at referral time).
    pub service_name: Option<String>,
    /// How to reach a provider named ad hoc.
    pub provider_contact: Option<String>,
    /// The plan intervention it carries out.
    pub intervention_id: Option<Uuid>,
    /// The client's need.
    pub need: String,
    /// What was asked of the provider.
    pub requested_service: String,
    /// `routine`, `urgent` or `emergency`.
    pub urgency: String,
    /// The personal data shared (item codes).
    pub shared_items: Vec<String>,
    /// `consent`, or the lawful basis that covers the sharing (none when nothing is shared).
    pub sharing_basis: Option<String>,
    /// Why a service outside the client's area.
    pub area_reason: Option<String>,
    /// `draft`, `sent`, `acknowledged`, `accepted`, `declined`, `in_service`, `completed`,
    /// `ended_early`, `no_response` or `revoked`.
    pub status: String,
    /// The last step's reason.
    pub status_reason: Option<String>,
    /// Why declined (`no_capacity`, `not_eligible`, `outside_area`, `client_declined`, `other`).
    pub reason_code: Option<String>,
    /// Who at the provider ended the service.
    pub ended_by: Option<String>,
    /// What was actually delivered, as the provider reported it.
    pub outcome: Option<String>,
    /// By when the provider should answer.
    pub response_due: Option<NaiveDate>,
    /// When it was sent.
    pub sent_at: Option<DateTime<Utc>>,
    /// When the service began.
    pub service_started_on: Option<NaiveDate>,
    /// When it was closed.
    pub closed_at: Option<DateTime<Utc>>,
    /// Who referred (name).
    pub created_by_name: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Version (send it back with a change).
    pub version: i64,
}

impl From<ReferralRow> for Referral {
    fn from(r: ReferralRow) -> Self {
        Referral {
            id: r.id,
            case_id: r.case_id,
            case_number: r.case_number,
            service_id: r.service_id,
            provider_id: r.provider_id,
            provider_name: r.provider_name,
            service_name: r.service_name,
            provider_contact: r.provider_contact,
            intervention_id: r.intervention_id,
            need: r.need,
            requested_service: r.requested_service,
            urgency: r.urgency,
            shared_items: r.shared_items,
            sharing_basis: r.sharing_basis,
            area_reason: r.area_reason,
            status: r.status,
            status_reason: r.status_reason,
            reason_code: r.reason_code,
            ended_by: r.ended_by,
            outcome: r.outcome,
            response_due: r.response_due,
            sent_at: r.sent_at,
            service_started_on: r.service_started_on,
            closed_at: r.closed_at,
            created_by_name: r.created_by_name,
            created_at: r.created_at,
            version: r.version,
        }
    }
}

/// An alert on a referral.
#[derive(Debug, Serialize, ToSchema)]
pub struct Alert {
    /// Id.
    pub id: Uuid,
    /// Referral.
    pub referral_id: Uuid,
    /// `ended_early`, `check_in_missed`, `no_response` or `service_closed`.
    pub kind: String,
    /// The provider's name.
    pub provider_name: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When acknowledged.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// By (name).
    pub acknowledged_by: Option<String>,
    /// The action taken.
    pub action_taken: Option<String>,
}

impl From<AlertRow> for Alert {
    fn from(a: AlertRow) -> Self {
        Alert {
            id: a.id,
            referral_id: a.referral_id,
            kind: a.kind,
            provider_name: a.provider_name,
            created_at: a.created_at,
            acknowledged_at: a.acknowledged_at,
            acknowledged_by: a.acknowledged_by,
            action_taken: a.action_taken,
        }
    }
}

/// A case's referrals and alerts.
#[derive(Debug, Serialize, ToSchema)]
pub struct CaseReferralList {
    /// Referrals, newest first.
    pub referrals: Vec<Referral>,
    /// Alerts, unacknowledged first.
    pub alerts: Vec<Alert>,
}

/// One step of a referral's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralStep {
    /// `created`, a step (`send`, `accept` …), `agreement`, `check_in` or `alert_acknowledged`.
    pub kind: String,
    /// The status it led to.
    pub to_status: Option<String>,
    /// Why, or what.
    pub reason: Option<String>,
    /// Who (name).
    pub actor: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

impl From<EventRow> for ReferralStep {
    fn from(e: EventRow) -> Self {
        ReferralStep {
            kind: e.kind,
            to_status: e.to_status,
            reason: e.reason,
            actor: e.actor,
            at: e.at,
        }
    }
}

/// A service agreement.
#[derive(Debug, Serialize, ToSchema)]
pub struct Agreement {
    /// What will be delivered.
    pub what: String,
    /// How often.
    pub frequency: String,
    /// From.
    pub start_on: NaiveDate,
    /// To.
    pub end_on: NaiveDate,
    /// The contact person at the provider.
    pub contact_person: String,
}

/// A check-in.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckIn {
    /// Id.
    pub id: Uuid,
    /// Planned for.
    pub due_on: Option<NaiveDate>,
    /// Done on.
    pub done_on: Option<NaiveDate>,
    /// `as_agreed`, `partly` or `not_delivered`.
    pub delivered: Option<String>,
    /// The client's view.
    pub client_view: Option<String>,
    /// The case manager's note.
    pub note: Option<String>,
}

impl From<CheckInRow> for CheckIn {
    fn from(c: CheckInRow) -> Self {
        CheckIn {
            id: c.id,
            due_on: c.due_on,
            done_on: c.done_on,
            delivered: c.delivered,
            client_view: c.client_view,
            note: c.note,
        }
    }
}

/// A referral with its history, agreement, check-ins and alerts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralDetail {
    /// The referral.
    pub referral: Referral,
    /// Its history, oldest first.
    pub history: Vec<ReferralStep>,
    /// Its service agreement.
    pub agreement: Option<Agreement>,
    /// Its check-ins.
    pub check_ins: Vec<CheckIn>,
    /// Its alerts.
    pub alerts: Vec<Alert>,
}

impl From<ReferralView> for ReferralDetail {
    fn from(v: ReferralView) -> Self {
        ReferralDetail {
            referral: v.referral.into(),
            history: v.events.into_iter().map(ReferralStep::from).collect(),
            agreement: v.agreement.map(|a| Agreement {
                what: a.what,
                frequency: a.frequency,
                start_on: a.start_on,
                end_on: a.end_on,
                contact_person: a.contact_person,
            }),
            check_ins: v.check_ins.into_iter().map(CheckIn::from).collect(),
            alerts: v.alerts.into_iter().map(Alert::from).collect(),
        }
    }
}

/// `GET /api/v1/cases/{id}/referrals`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/referrals", operation_id = "listCaseReferrals", tag = "referrals", params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = CaseReferralList)))]
pub async fn case_list(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<CaseReferralList>, WebError> {
    let id = parse_id(&u, &id)?;
    let all = state
        .app
        .case_referrals(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(CaseReferralList {
        referrals: all.referrals.into_iter().map(Referral::from).collect(),
        alerts: all.alerts.into_iter().map(Alert::from).collect(),
    }))
}

/// `POST /api/v1/cases/{id}/referrals`: a draft referral.
#[utoipa::path(post, path = "/api/v1/cases/{id}/referrals", operation_id = "createCaseReferral", tag = "referrals", params(("id" = String, Path, description = "case id")),
    request_body = ReferralInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 422, description = "invalid input; `errors` lists every field at fault — `shared_items`: `referral.no_consent_to_share` when the client's consent for sharing is missing, refused or withdrawn and no lawful basis was recorded; `area_reason`: `referral.outside_area` for a service outside the client's area without a reason", content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ReferralInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Edit, "referral.create").await?;
    let ApiJson(r) = body?;
    let rid = state
        .app
        .create_referral(&u.user, &u.ctx, id, &r)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: rid })))
}

/// `GET /api/v1/referrals/{id}`.
#[utoipa::path(get, path = "/api/v1/referrals/{id}", operation_id = "getReferral", tag = "referrals", params(("id" = String, Path, description = "referral id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = ReferralDetail)))]
pub async fn get_one(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ReferralDetail>, WebError> {
    let id = parse_id(&u, &id)?;
    let v = state
        .app
        .referral(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(v.into()))
}

async fn referral_guard(state: &AppState, u: &ApiUser, id: Uuid) -> Result<(), WebError> {
    let case = state.app.referral_case(id).await.map_err(|e| u.err(e))?;
    guard(state, u, case, CaseAccess::Edit, "referral.update").await
}

/// `POST /api/v1/referrals/{id}/steps`: send, record the provider's answer, start, complete,
/// end early, no response, revoke or reopen.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/steps", operation_id = "stepReferral", tag = "referrals", params(("id" = String, Path, description = "referral id")),
    request_body = StepInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 422, description = "an unknown step, one not allowed from the referral's status (`referral.step_not_allowed`), or a missing reason, decline reason or `ended_by`", content_type = "application/problem+json")))]
pub async fn step(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<StepInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    referral_guard(&state, &u, id).await?;
    let ApiJson(s) = body?;
    let version = state
        .app
        .step_referral(&u.user, &u.ctx, id, &s)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `PUT /api/v1/referrals/{id}/agreement`: the service agreement of an accepted referral.
#[utoipa::path(put, path = "/api/v1/referrals/{id}/agreement", operation_id = "putReferralAgreement", tag = "referrals", params(("id" = String, Path, description = "referral id")),
    request_body = AgreementInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 409, description = "stale version, or the referral is not accepted (`referral_not_accepted`)", content_type = "application/problem+json")))]
pub async fn agreement(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<AgreementInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    referral_guard(&state, &u, id).await?;
    let ApiJson(a) = body?;
    let version = state
        .app
        .record_agreement(&u.user, &u.ctx, id, &a)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `POST /api/v1/referrals/{id}/check-ins`.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/check-ins", operation_id = "recordReferralCheckIn", tag = "referrals", params(("id" = String, Path, description = "referral id")),
    request_body = CheckInInput, security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "recorded"),
        (status = 409, description = "the referral is not accepted (`referral_not_accepted`)", content_type = "application/problem+json")))]
pub async fn check_in(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<CheckInInput>, WebError>,
) -> Result<StatusCode, WebError> {
    let id = parse_id(&u, &id)?;
    referral_guard(&state, &u, id).await?;
    let ApiJson(c) = body?;
    state
        .app
        .record_check_in(&u.user, &u.ctx, id, &c)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// An acknowledgement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgeInput {
    /// What was done about it (required).
    pub action_taken: String,
}

/// `POST /api/v1/referral-alerts/{id}/acknowledge`.
#[utoipa::path(post, path = "/api/v1/referral-alerts/{id}/acknowledge", operation_id = "acknowledgeReferralAlert", tag = "referrals", params(("id" = String, Path, description = "alert id")),
    request_body = AcknowledgeInput, security(("bearer" = []), ("session" = [])),
    responses((status = 204, description = "acknowledged"),
        (status = 409, description = "already acknowledged (`alert_acknowledged`)", content_type = "application/problem+json")))]
pub async fn acknowledge(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<AcknowledgeInput>, WebError>,
) -> Result<StatusCode, WebError> {
    let id = parse_id(&u, &id)?;
    let case = state.app.alert_case(id).await.map_err(|e| u.err(e))?;
    guard(&state, &u, case, CaseAccess::Edit, "referral.alert").await?;
    let ApiJson(a) = body?;
    state
        .app
        .acknowledge_alert(&u.user, &u.ctx, id, &a.action_taken)
        .await
        .map_err(|e| u.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The period of the figures.
#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct FiguresQuery {
    /// First day of referral, `YYYY-MM-DD` (default: 1 October of the current Thai fiscal year).
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (default: today).
    pub to: Option<String>,
}

/// Referral figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferralFigures {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Referrals by provider, service and status.
    pub by_service: Vec<ServiceCount>,
    /// Declines by reason code.
    pub declines: Vec<ReasonCount>,
    /// Services ended early, by provider.
    pub ended_early: Vec<ProviderCount>,
    /// Referrals whose service started.
    pub started: i64,
    /// Median days from referral to the service's start (none when no service started).
    pub median_days_to_start: Option<i64>,
    /// 90th percentile of the same.
    pub p90_days_to_start: Option<i64>,
}

/// A count by service and status.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceCount {
    /// Provider.
    pub provider: String,
    /// Service (empty for a provider named ad hoc).
    pub service: String,
    /// Status.
    pub status: String,
    /// Referrals.
    pub count: i64,
}

/// A count by reason.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonCount {
    /// Reason code.
    pub reason: String,
    /// Referrals.
    pub count: i64,
}

/// A count by provider.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderCount {
    /// Provider.
    pub provider: String,
    /// Referrals.
    pub count: i64,
}

fn percentile(sorted: &[i64], p: usize) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let i = ((sorted.len() - 1) * p).div_ceil(100);
    sorted.get(i.min(sorted.len() - 1)).copied()
}

/// `GET /api/v1/reports/referrals`: aggregates only (supervisors and data analysts).
#[utoipa::path(get, path = "/api/v1/reports/referrals", operation_id = "getReferralFigures", tag = "referrals", params(FiguresQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ReferralFigures),
        (status = 422, description = "a date that is not `YYYY-MM-DD`, or `to` before `from`", content_type = "application/problem+json")))]
pub async fn figures(
    State(state): State<AppState>,
    u: ApiUser,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Json<ReferralFigures>, WebError> {
    let today = karuna_thai::calendar::bangkok_date(Utc::now());
    let fiscal_start = {
        use chrono::Datelike;
        let y = if today.month() >= 10 {
            today.year()
        } else {
            today.year() - 1
        };
        NaiveDate::from_ymd_opt(y, 10, 1).unwrap_or(today)
    };
    let mut errors = Vec::new();
    let mut date = |name: &str, default: NaiveDate| -> NaiveDate {
        match pairs.iter().rev().find(|(k, _)| k == name) {
            Some((_, v)) if !v.trim().is_empty() => NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
                .unwrap_or_else(|_| {
                    errors.push(karuna_domain::error::FieldError::new(
                        name,
                        "thai.date.format",
                    ));
                    default
                }),
            _ => default,
        }
    };
    let from = date("from", fiscal_start);
    let to = date("to", today);
    if !errors.is_empty() {
        // Authorise first, so that a role without figures is told 403 before a bad date.
        state
            .app
            .referral_figures(&u.user, &u.ctx, today, today)
            .await
            .map_err(|e| u.err(e))?;
        return Err(u.err(karuna_app::AppError::Invalid(errors)));
    }
    let f = state
        .app
        .referral_figures(&u.user, &u.ctx, from, to)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(ReferralFigures {
        from,
        to,
        started: f.days_to_start.len() as i64,
        median_days_to_start: percentile(&f.days_to_start, 50),
        p90_days_to_start: percentile(&f.days_to_start, 90),
        by_service: f
            .by_service
            .into_iter()
            .map(|(provider, service, status, count)| ServiceCount {
                provider,
                service,
                status,
                count,
            })
            .collect(),
        declines: f
            .declines
            .into_iter()
            .map(|(reason, count)| ReasonCount { reason, count })
            .collect(),
        ended_early: f
            .ended_early
            .into_iter()
            .map(|(provider, count)| ProviderCount { provider, count })
            .collect(),
    }))
}

/// `POST /api/v1/referrals/{id}/promote`: the provider the referral named ad hoc becomes a
/// directory entry (to be verified locally) — for a member of the case's team who may change
/// the directory.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/promote", operation_id = "promoteReferralProvider", tag = "referrals", params(("id" = String, Path, description = "referral id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 403, description = "not on the case, or neither an administrator nor a designated resource editor", content_type = "application/problem+json"),
        (status = 409, description = "the provider is already in the directory (`provider_in_directory`)", content_type = "application/problem+json")))]
pub async fn promote(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    let pid = state
        .app
        .promote_referral_provider(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: pid })))
}

/// `GET /api/v1/referrals`: the referrals being followed (sent, acknowledged, accepted or in
/// service) on the cases the caller may open — a supervisor's unit's — answers due first.
#[utoipa::path(get, path = "/api/v1/referrals", operation_id = "listOpenReferrals", tag = "referrals",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<Referral>)))]
pub async fn open_list(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<Vec<Referral>>, WebError> {
    let rows = state
        .app
        .open_referrals(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(rows.into_iter().map(Referral::from).collect()))
}
