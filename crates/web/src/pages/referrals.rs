//! Referrals in the browser: a case's referrals and alerts with the form that refers the
//! client (`/cases/{id}/referrals`, pre-filled with a service chosen in the directory), a
//! referral's page with its steps, service agreement, check-ins and history
//! (`/referrals/{id}`), acknowledging an alert, and the referral letter (`/referrals/{id}/letter`).

use super::case_header::CaseHeader;
use super::cases::label;
use super::intake::Pairs;
use super::plan::case_id;
use super::table_export::{Cell, Download, Table};
use super::users::Choice;
use super::{refusal, render, Chrome, ErrorLink, FormState, SavedQuery};
use crate::auth::{PageUser, WebForm};
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::case::CaseAccess;
use karuna_app::AppError;
use karuna_domain::referral::{
    AgreementInput, CheckInInput, ReferralInput, Status, StepInput, DECLINE_REASONS, DELIVERED,
    SHARED_ITEMS,
};
use karuna_store::referral::{AlertRow, ReferralRow};
use serde::Deserialize;
use uuid::Uuid;

/// An alert as the pages show it.
struct AlertLine {
    id: Uuid,
    referral_id: Uuid,
    text: String,
    when: String,
    open: bool,
    done: String,
}

fn alert_line(u: &PageUser, a: &AlertRow) -> AlertLine {
    AlertLine {
        id: a.id,
        referral_id: a.referral_id,
        text: u.tr.get1(
            &format!("referral-alert-{}", a.kind.replace('_', "-")),
            "provider",
            &a.provider_name,
        ),
        when: u.tr.datetime(&a.created_at),
        open: a.acknowledged_at.is_none(),
        done: match (&a.acknowledged_by, &a.acknowledged_at, &a.action_taken) {
            (Some(by), Some(at), Some(action)) => {
                format!("{action} — {by} · {}", u.tr.datetime(at))
            }
            _ => String::new(),
        },
    }
}

/// The form of the referral page that failed, with what was typed and its errors.
type Failed = Option<(&'static str, FormState)>;

/// A referral as a list line shows it.
struct Line {
    id: Uuid,
    provider: String,
    service: String,
    status: String,
    status_code: String,
    due: String,
    created: String,
}

fn line(u: &PageUser, r: &ReferralRow) -> Line {
    Line {
        id: r.id,
        provider: r.provider_name.clone(),
        service: r.service_name.clone().unwrap_or_default(),
        status: label(u, "referral-status", &r.status),
        status_code: r.status.clone(),
        due: r.response_due.map(|d| u.tr.date(&d)).unwrap_or_default(),
        created: u.tr.datetime(&r.created_at),
    }
}

#[derive(Template)]
#[template(path = "case_referrals.html")]
struct CasePage {
    c: Chrome,
    id: Uuid,
    number: String,
    head: CaseHeader,
    lines: Vec<Line>,
    alerts: Vec<AlertLine>,
    service: Option<(String, String, String)>,
    find_href: String,
    items: Vec<Choice>,
    urgencies: Vec<Choice>,
    interventions: Vec<Choice>,
    can_refer: bool,
    form: FormState,
    summary: Vec<ErrorLink>,
    flash: Option<String>,
}

/// Query of the case's referrals page.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CaseQuery {
    service: Option<String>,
    saved: Option<String>,
}

async fn case_page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    service: Option<Uuid>,
    form: FormState,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let app = &state.app;
    let view = app
        .open_case(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let all = app
        .case_referrals(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let start = app
        .referral_start(&u.user, &u.ctx, id, service)
        .await
        .map_err(|e| u.err(e))?;
    // Whoever may open a case may change it (`access::decide`): the team refers.
    let can_refer = true;
    let mut find = form_urlencoded::Serializer::new(String::new());
    find.append_pair("case", &id.to_string());
    if let Some((p, d)) = &start.area {
        find.append_pair("province", p);
        if !d.is_empty() {
            find.append_pair("district", d);
        }
    }
    let summary = form.summary_by_name(
        &u.tr,
        &[
            ("service_id", "referral-service"),
            ("provider_name", "referral-provider-name"),
            ("need", "referral-need"),
            ("requested_service", "referral-requested"),
            ("urgency", "referral-urgency"),
            ("shared_items", "referral-shared"),
            ("response_due", "referral-due"),
            ("area_reason", "referral-area-reason"),
            ("intervention_id", "referral-intervention"),
        ],
    );
    let page = CasePage {
        c: Chrome::for_user(u, &format!("/cases/{id}/referrals")),
        id,
        number: view.case.number.clone(),
        head: CaseHeader::new(u, &view, "referrals"),
        lines: all.referrals.iter().map(|r| line(u, r)).collect(),
        alerts: all.alerts.iter().map(|a| alert_line(u, a)).collect(),
        service: start.service.as_ref().map(|s| {
            (
                s.id.to_string(),
                format!("{} · {}", s.name, s.provider_name),
                s.status.clone(),
            )
        }),
        find_href: format!("/resources?{}", find.finish()),
        items: SHARED_ITEMS
            .iter()
            .map(|i| Choice {
                value: i.to_string(),
                label: label(u, "referral-item", i),
            })
            .collect(),
        urgencies: ["routine", "urgent", "emergency"]
            .iter()
            .map(|c| Choice {
                value: c.to_string(),
                label: label(u, "referral-urgency", c),
            })
            .collect(),
        interventions: start
            .interventions
            .iter()
            .map(|(iid, goal, method)| Choice {
                value: iid.to_string(),
                label: format!("{goal} — {}", label(u, "method", method)),
            })
            .collect(),
        can_refer,
        form,
        summary,
        flash,
    };
    Ok(render(status, &page))
}

/// `GET /cases/{id}/referrals`.
pub async fn case_referrals(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<CaseQuery>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let service = q.service.as_deref().and_then(|s| Uuid::parse_str(s).ok());
    let flash = q.saved.map(|_| u.tr.get("referral-saved"));
    let form = FormState::with(&[(
        "service_id",
        service.map(|s| s.to_string()).unwrap_or_default(),
    )]);
    case_page(&state, &u, id, service, form, flash, StatusCode::OK).await
}

/// `POST /cases/{id}/referrals`: a draft referral.
pub async fn create(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    state
        .app
        .check_case(&u.user, &u.ctx, id, CaseAccess::Edit, "referral.create")
        .await
        .map_err(|e| u.err(e))?;
    let input = ReferralInput {
        service_id: p.get("service_id"),
        provider_name: p.get("provider_name"),
        provider_contact: p.get("provider_contact"),
        intervention_id: p.get("intervention_id"),
        need: p.get("need"),
        requested_service: p.get("requested_service"),
        urgency: p.get("urgency"),
        shared_items: p.all("shared_items"),
        response_due: p.get("response_due"),
        area_reason: p.get("area_reason"),
    };
    match state.app.create_referral(&u.user, &u.ctx, id, &input).await {
        Ok(r) => Ok(Redirect::to(&format!("/referrals/{r}?saved=1")).into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let (status, fields) = refusal(&u, e);
            let service = Uuid::parse_str(&input.service_id).ok();
            let form = FormState::from_pairs(&p.0).errors(fields);
            case_page(&state, &u, id, service, form, None, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// A step button of the referral page.
struct StepButton {
    step: &'static str,
    label: String,
    reason: bool,
    ended_by: bool,
    outcome: bool,
    decline: bool,
}

#[derive(Template)]
#[template(path = "referral.html")]
struct ReferralPage {
    c: Chrome,
    r: ReferralRow,
    can_promote: bool,
    status: String,
    urgency: String,
    items: Vec<String>,
    basis: String,
    steps: Vec<StepButton>,
    declines: Vec<Choice>,
    delivered: Vec<Choice>,
    history: Vec<(String, String, String, String)>,
    agreement: Option<(String, String, String, String)>,
    check_ins: Vec<(String, String, String, String, bool)>,
    planned: Vec<Choice>,
    alerts: Vec<AlertLine>,
    can_agree: bool,
    can_check_in: bool,
    failed: Failed,
    flash: Option<String>,
}

impl ReferralPage {
    /// The failed form of `which`, if it is the one that failed.
    fn form(&self, which: &str) -> FormState {
        match &self.failed {
            Some((w, f)) if *w == which => f.clone(),
            _ => FormState::default(),
        }
    }
}

const STEP_CODES: [&str; 10] = [
    "send",
    "acknowledge",
    "accept",
    "decline",
    "start",
    "complete",
    "end_early",
    "no_response",
    "revoke",
    "reopen",
];

async fn referral_page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    failed: Failed,
    flash: Option<String>,
    status_code: StatusCode,
) -> Result<Response, WebError> {
    let v = state
        .app
        .referral(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    // Whoever may open a case may change it (`access::decide`).
    let can_edit = true;
    let from = Status::from_code(&v.referral.status).unwrap_or(Status::Draft);
    let probe = |step: &str| {
        karuna_domain::referral::step(
            from,
            &StepInput {
                step: step.into(),
                reason: "x".into(),
                reason_code: "other".into(),
                ended_by: "x".into(),
                ..StepInput::default()
            },
        )
        .is_ok()
    };
    let steps = if can_edit {
        STEP_CODES
            .iter()
            .filter(|s| probe(s))
            .map(|s| StepButton {
                step: s,
                label: label(u, "referral-step", s),
                reason: matches!(*s, "decline" | "end_early" | "revoke" | "reopen"),
                ended_by: *s == "end_early",
                outcome: matches!(*s, "complete" | "end_early"),
                decline: *s == "decline",
            })
            .collect()
    } else {
        Vec::new()
    };
    let r = &v.referral;
    let page = ReferralPage {
        c: Chrome::for_user(u, &format!("/referrals/{id}")),
        status: label(u, "referral-status", &r.status),
        urgency: label(u, "referral-urgency", &r.urgency),
        items: r
            .shared_items
            .iter()
            .map(|i| label(u, "referral-item", i))
            .collect(),
        basis: match r.sharing_basis.as_deref() {
            Some("consent") => u.tr.get("referral-basis-consent"),
            Some(b) => label(u, "consent-basis", b),
            None => u.tr.get("referral-basis-none"),
        },
        steps,
        declines: DECLINE_REASONS
            .iter()
            .map(|c| Choice {
                value: c.to_string(),
                label: label(u, "referral-decline", c),
            })
            .collect(),
        delivered: DELIVERED
            .iter()
            .map(|c| Choice {
                value: c.to_string(),
                label: label(u, "referral-delivered", c),
            })
            .collect(),
        history: v
            .events
            .iter()
            .map(|e| {
                (
                    u.tr.datetime(&e.at),
                    label(u, "referral-event", &e.kind),
                    e.reason.clone().unwrap_or_default(),
                    e.actor.clone().unwrap_or_default(),
                )
            })
            .collect(),
        agreement: v.agreement.as_ref().map(|a| {
            (
                a.what.clone(),
                a.frequency.clone(),
                format!("{} – {}", u.tr.date(&a.start_on), u.tr.date(&a.end_on)),
                a.contact_person.clone(),
            )
        }),
        check_ins: v
            .check_ins
            .iter()
            .map(|k| {
                (
                    k.due_on.map(|d| u.tr.date(&d)).unwrap_or_default(),
                    k.done_on.map(|d| u.tr.date(&d)).unwrap_or_default(),
                    k.delivered
                        .as_deref()
                        .map(|d| label(u, "referral-delivered", d))
                        .unwrap_or_default(),
                    k.client_view.clone().unwrap_or_default(),
                    k.done_on.is_none(),
                )
            })
            .collect(),
        planned: v
            .check_ins
            .iter()
            .filter(|k| k.done_on.is_none())
            .filter_map(|k| k.due_on)
            .map(|d| Choice {
                value: u.tr.date_input(&d),
                label: u.tr.date(&d),
            })
            .collect(),
        alerts: v.alerts.iter().map(|a| alert_line(u, a)).collect(),
        can_agree: can_edit && matches!(r.status.as_str(), "accepted" | "in_service"),
        can_check_in: can_edit
            && matches!(
                r.status.as_str(),
                "accepted" | "in_service" | "completed" | "ended_early"
            ),
        can_promote: v.referral.provider_id.is_none()
            && state
                .app
                .can_edit_resources(&u.user)
                .await
                .map_err(|e| u.err(e))?,
        r: v.referral.clone(),
        failed,
        flash,
    };
    Ok(render(status_code, &page))
}

fn referral_id(u: &PageUser, id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| u.err(AppError::NotFound))
}

/// `GET /referrals/{id}`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let id = referral_id(&u, &id)?;
    let flash = q.saved.map(|_| u.tr.get("referral-saved"));
    referral_page(&state, &u, id, None, flash, StatusCode::OK).await
}

async fn edit_guard(state: &AppState, u: &PageUser, id: Uuid) -> Result<(), WebError> {
    let case = state.app.referral_case(id).await.map_err(|e| u.err(e))?;
    state
        .app
        .check_case(&u.user, &u.ctx, case, CaseAccess::Edit, "referral.update")
        .await
        .map_err(|e| u.err(e))
}

fn refused(
    u: &PageUser,
    e: AppError,
    which: &'static str,
    p: &Pairs,
) -> Result<(StatusCode, Failed), WebError> {
    match e {
        e @ (AppError::Invalid(_) | AppError::Conflict | AppError::Refused(_)) => {
            let (mut status, fields) = refusal(u, e);
            if status == StatusCode::UNPROCESSABLE_ENTITY && fields.iter().any(|(f, _)| f == "form")
            {
                status = StatusCode::CONFLICT;
            }
            Ok((
                status,
                Some((which, FormState::from_pairs(&p.0).errors(fields))),
            ))
        }
        e => Err(u.err(e)),
    }
}

/// `POST /referrals/{id}/steps`.
pub async fn step(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = referral_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    edit_guard(&state, &u, id).await?;
    let input = StepInput {
        version: p.get("version").trim().parse().unwrap_or(0),
        step: p.get("step"),
        reason: p.get("reason"),
        reason_code: p.get("reason_code"),
        ended_by: p.get("ended_by"),
        outcome: p.get("outcome"),
    };
    match state.app.step_referral(&u.user, &u.ctx, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/referrals/{id}?saved=1")).into_response()),
        Err(e) => {
            let (status, failed) = refused(&u, e, "step", &p)?;
            referral_page(&state, &u, id, failed, None, status).await
        }
    }
}

/// `POST /referrals/{id}/agreement`.
pub async fn agreement(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = referral_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    edit_guard(&state, &u, id).await?;
    let input = AgreementInput {
        version: p.get("version").trim().parse().unwrap_or(0),
        what: p.get("what"),
        frequency: p.get("frequency"),
        start: p.get("start"),
        end: p.get("end"),
        contact_person: p.get("contact_person"),
        check_ins: p
            .get("check_ins")
            .split([',', '\n', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    };
    match state
        .app
        .record_agreement(&u.user, &u.ctx, id, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/referrals/{id}?saved=1")).into_response()),
        Err(e) => {
            let (status, failed) = refused(&u, e, "agreement", &p)?;
            referral_page(&state, &u, id, failed, None, status).await
        }
    }
}

/// `POST /referrals/{id}/check-ins`.
pub async fn check_in(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = referral_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    edit_guard(&state, &u, id).await?;
    let input = CheckInInput {
        due: p.get("due"),
        delivered: p.get("delivered"),
        client_view: p.get("client_view"),
        note: p.get("note"),
    };
    match state.app.record_check_in(&u.user, &u.ctx, id, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/referrals/{id}?saved=1")).into_response()),
        Err(e) => {
            let (status, failed) = refused(&u, e, "check_in", &p)?;
            referral_page(&state, &u, id, failed, None, status).await
        }
    }
}

/// `POST /referral-alerts/{id}/acknowledge`: back to the referral.
pub async fn acknowledge(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = referral_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let case = state.app.alert_case(id).await.map_err(|e| u.err(e))?;
    state
        .app
        .check_case(&u.user, &u.ctx, case, CaseAccess::Edit, "referral.alert")
        .await
        .map_err(|e| u.err(e))?;
    let referral = karuna_store::referral::alert(&state.app.db, id)
        .await
        .map_err(|e| u.err(AppError::Store(e)))?
        .map(|a| a.referral_id)
        .ok_or_else(|| u.err(AppError::NotFound))?;
    match state
        .app
        .acknowledge_alert(&u.user, &u.ctx, id, &p.get("action_taken"))
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/referrals/{referral}?saved=1")).into_response()),
        Err(e) => {
            let (status, failed) = refused(&u, e, "alert", &p)?;
            referral_page(&state, &u, referral, failed, None, status).await
        }
    }
}

#[derive(Template)]
#[template(path = "referral_letter.html")]
struct LetterPage {
    c: Chrome,
    id: Uuid,
    org: String,
    number: String,
    date: String,
    to: String,
    subject: String,
    reference: String,
    need: String,
    requested: String,
    urgency: String,
    facts: Vec<(String, String)>,
    due: String,
    author: String,
}

/// `GET /referrals/{id}/letter`: the referral letter in the Thai official style, with only the
/// data the referral shares.
pub async fn letter(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = referral_id(&u, &id)?;
    let v = state
        .app
        .referral(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let r = &v.referral;
    let view = state
        .app
        .open_case(&u.user, &u.ctx, r.case_id)
        .await
        .map_err(|e| u.err(e))?;
    let client = view
        .persons
        .iter()
        .find(|(_, role)| role == "client")
        .map(|(p, _)| p);
    let mut facts = Vec::new();
    for item in &r.shared_items {
        let value = match (item.as_str(), client) {
            ("name", Some(p)) => p.display_name.clone(),
            ("birth_date", Some(p)) => p
                .birth_date
                .map(|d| u.tr.date(&d))
                .or(p.birth_year.map(|y| u.tr.year(y)))
                .unwrap_or_default(),
            ("id_number", Some(p)) => p
                .documents
                .iter()
                .map(|d| d.number.clone())
                .collect::<Vec<_>>()
                .join(", "),
            ("address", Some(p)) => p.addresses.first().cloned().unwrap_or_default(),
            ("phone", Some(p)) => p.phones.join(", "),
            ("presenting_problem", _) => view.case.presenting_problem.clone(),
            ("needs", _) => r.need.clone(),
            ("urgency", _) => label(&u, "urgency", &view.case.urgency),
            _ => String::new(),
        };
        if !value.is_empty() {
            facts.push((label(&u, "referral-item", item), value));
        }
    }
    let orgs = state.app.units(&u.user).await.map_err(|e| u.err(e))?;
    let org = orgs
        .iter()
        .find(|x| Some(x.id) == Some(view.case.unit_id))
        .map(|x| x.name.clone())
        .unwrap_or_default();
    let page = LetterPage {
        c: Chrome::for_user(&u, &format!("/referrals/{id}/letter")),
        id,
        org,
        number: r.case_number.clone(),
        date: u.tr.date(&karuna_thai::calendar::bangkok_date(
            r.sent_at.unwrap_or(r.created_at),
        )),
        to: match &r.service_name {
            Some(s) => format!("{} ({s})", r.provider_name),
            None => r.provider_name.clone(),
        },
        subject: u
            .tr
            .get1("referral-letter-subject", "service", &r.requested_service),
        reference: match r.sharing_basis.as_deref() {
            Some("consent") => u.tr.get("referral-letter-consent"),
            Some(b) => label(&u, "consent-basis", b),
            None => "-".into(),
        },
        need: r.need.clone(),
        requested: r.requested_service.clone(),
        urgency: label(&u, "referral-urgency", &r.urgency),
        facts,
        due: r.response_due.map(|d| u.tr.date(&d)).unwrap_or_default(),
        author: r.created_by_name.clone(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /referrals/{id}/promote`: the ad hoc provider into the directory, then its form.
pub async fn promote(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = referral_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let provider = state
        .app
        .promote_referral_provider(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Redirect::to(&format!("/resources/providers/{provider}/edit")).into_response())
}

#[derive(Template)]
#[template(path = "referrals.html")]
struct OpenPage {
    c: Chrome,
    rows: Vec<(Line, String, bool)>,
}

/// `GET /referrals`: the referrals being followed on my cases (a supervisor: her unit's).
pub async fn open_list(State(state): State<AppState>, u: PageUser) -> Result<Response, WebError> {
    let rows = state
        .app
        .open_referrals(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let today = karuna_thai::calendar::bangkok_date(chrono::Utc::now());
    let page = OpenPage {
        c: Chrome::for_user(&u, "/referrals"),
        rows: rows
            .iter()
            .map(|r| {
                let overdue = matches!(r.status.as_str(), "sent" | "acknowledged")
                    && r.response_due.is_some_and(|d| d < today);
                (line(&u, r), r.case_number.clone(), overdue)
            })
            .collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `GET /referrals.csv`: the referrals being followed, as on the page, as CSV.
pub async fn open_list_csv(
    State(state): State<AppState>,
    u: PageUser,
) -> Result<Response, WebError> {
    open_list_file(&state, &u, Download::Csv).await
}

/// `GET /referrals.xlsx`: the same as XLSX.
pub async fn open_list_xlsx(
    State(state): State<AppState>,
    u: PageUser,
) -> Result<Response, WebError> {
    open_list_file(&state, &u, Download::Xlsx).await
}

/// The followed referrals as rows: provider, service, case, status, response due (and whether
/// overdue), sent.
async fn open_list_file(
    state: &AppState,
    u: &PageUser,
    kind: Download,
) -> Result<Response, WebError> {
    let rows = state
        .app
        .open_referrals(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let today = karuna_thai::calendar::bangkok_date(chrono::Utc::now());
    let col = |key: &str, width: f64| (u.tr.get(key), width);
    let table = Table {
        file: "karuna-referrals",
        sheet: u.tr.get("referral-open-title"),
        head: vec![
            col("referral-provider", 32.0),
            col("referral-service", 28.0),
            col("referral-case", 18.0),
            col("referral-status", 16.0),
            col("referral-due", 16.0),
            col("referral-overdue", 10.0),
            col("referral-created-column", 20.0),
        ],
        rows: rows
            .iter()
            .map(|r| {
                let overdue = matches!(r.status.as_str(), "sent" | "acknowledged")
                    && r.response_due.is_some_and(|d| d < today);
                let l = line(u, r);
                vec![
                    Cell::Text(l.provider),
                    Cell::Text(l.service),
                    Cell::Text(r.case_number.clone()),
                    Cell::Text(l.status),
                    Cell::Text(l.due),
                    Cell::Text(if overdue {
                        u.tr.get("referral-overdue")
                    } else {
                        String::new()
                    }),
                    Cell::Text(l.created),
                ]
            })
            .collect(),
    };
    super::table_export::respond(u, &table, kind)
}
