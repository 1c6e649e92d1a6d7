//! Break-the-glass in the browser: the form that opens a case one has no part in (on the case
//! page's refusal, and by case number on `/emergency-access`), the list of one's own openings
//! and, for a supervisor, of her unit's cases with the review of each (`/emergency-access/{id}`:
//! the reads made in the window, marked justified or not), and the administrators' settings
//! (`/admin/emergency-access`).

use super::cases::case_type_label;
use super::intake::Pairs;
use super::plan::case_id;
use super::{refusal, render, Chrome, ErrorLink, FormState, SavedQuery};
use crate::auth::{PageUser, WebForm};
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::AppError;
use karuna_domain::access::Role;
use karuna_domain::emergency_access::{
    EmergencyInput, ReviewInput, SettingsInput, HOURS_MAX, REASON_MIN,
};
use karuna_store::emergency_access::EmergencyRow;
use serde::Deserialize;
use uuid::Uuid;

/// May the user open a case in an emergency at all (the form is offered only to them)?
pub(crate) fn may_break_glass(u: &PageUser) -> bool {
    matches!(u.user.role(), Role::CaseManager | Role::Supervisor)
}

/// One opening as a list shows it.
struct Line {
    id: Uuid,
    case_id: Uuid,
    case_number: String,
    reader: String,
    reason: String,
    opened: String,
    until: String,
    open: bool,
    review: String,
    review_code: String,
}

fn line(u: &PageUser, r: &EmergencyRow) -> Line {
    let now = chrono::Utc::now();
    Line {
        id: r.id,
        case_id: r.case_id,
        case_number: r.case_number.clone(),
        reader: r.account_name.clone(),
        reason: r.reason.clone(),
        opened: u.tr.datetime(&r.opened_at),
        until: u.tr.datetime(&r.until()),
        open: r.is_open(now),
        review: u.tr.get(&format!(
            "emergency-review-{}",
            r.review.as_deref().unwrap_or("pending")
        )),
        review_code: r.review.clone().unwrap_or_else(|| "pending".into()),
    }
}

#[derive(Template)]
#[template(path = "emergency_access.html")]
struct ListPage {
    c: Chrome,
    can_open: bool,
    intro: String,
    reason_hint: String,
    form: FormState,
    summary: Vec<ErrorLink>,
    mine: Vec<Line>,
    supervisor: bool,
    pending_only: bool,
    to_review: Vec<Line>,
    flash: Option<String>,
}

/// The list's filter.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    /// `all`: every opening, not only those awaiting review.
    pub show: String,
    /// After a post/redirect/get.
    pub saved: Option<String>,
}

async fn list_page(
    state: &AppState,
    u: &PageUser,
    q: &ListQuery,
    form: FormState,
    status: StatusCode,
) -> Result<Response, WebError> {
    let pending_only = q.show != "all";
    let lists = state
        .app
        .emergency_accesses(&u.user, &u.ctx, pending_only)
        .await
        .map_err(|e| u.err(e))?;
    let summary = form.summary_by_name(
        &u.tr,
        &[
            ("case", "emergency-case-number"),
            ("reason", "emergency-reason"),
        ],
    );
    let (intro, reason_hint) = form_intro(state, u).await?;
    let page = ListPage {
        c: Chrome::for_user(u, "/emergency-access"),
        can_open: may_break_glass(u),
        intro,
        reason_hint,
        form,
        summary,
        mine: lists.mine.iter().map(|r| line(u, r)).collect(),
        supervisor: u.user.role() == Role::Supervisor,
        pending_only,
        to_review: lists.to_review.iter().map(|r| line(u, r)).collect(),
        flash: q.saved.as_deref().map(|s| {
            u.tr.get(match s {
                "ended" => "emergency-ended",
                _ => "emergency-reviewed",
            })
        }),
    };
    Ok(render(status, &page))
}

/// `GET /emergency-access`.
pub async fn list(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    list_page(&state, &u, &q, FormState::with(&[]), StatusCode::OK).await
}

/// `POST /emergency-access`: open the case a number names.
pub async fn open_by_number(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = EmergencyInput {
        reason: p.get("reason"),
    };
    match state
        .app
        .break_glass_by_number(&u.user, &u.ctx, &p.get("case"), &input)
        .await
    {
        Ok(row) => Ok(Redirect::to(&format!("/cases/{}", row.case_id)).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict | AppError::Refused(_))) => {
            let (status, fields) = refusal(&u, e);
            let form = FormState::from_pairs(&p.0).errors(fields);
            list_page(&state, &u, &ListQuery::default(), form, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

#[derive(Template)]
#[template(path = "emergency_access_case.html")]
struct CasePage {
    c: Chrome,
    id: Uuid,
    intro: String,
    reason_hint: String,
    form: FormState,
    summary: Vec<ErrorLink>,
}

/// The form that opens case `id` in an emergency, answered with `status` (403 where the case
/// page refused).
pub(crate) async fn case_form(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    form: FormState,
    status: StatusCode,
) -> Result<Response, WebError> {
    let summary = form.summary_by_name(&u.tr, &[("reason", "emergency-reason")]);
    let (intro, reason_hint) = form_intro(state, u).await?;
    let page = CasePage {
        c: Chrome::for_user(u, &format!("/cases/{id}/emergency-access")),
        id,
        intro,
        reason_hint,
        form,
        summary,
    };
    Ok(render(status, &page))
}

/// `GET /cases/{id}/emergency-access`.
pub async fn show_case_form(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    state
        .app
        .check_break_glass(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    case_form(&state, &u, id, FormState::with(&[]), StatusCode::OK).await
}

/// `POST /cases/{id}/emergency-access`.
pub async fn open_case(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = EmergencyInput {
        reason: p.get("reason"),
    };
    match state.app.break_glass(&u.user, &u.ctx, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{id}")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict | AppError::Refused(_))) => {
            let (status, fields) = refusal(&u, e);
            let form = FormState::from_pairs(&p.0).errors(fields);
            case_form(&state, &u, id, form, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// One audited event of a window.
struct Read {
    when: String,
    action: String,
    outcome: String,
}

#[derive(Template)]
#[template(path = "emergency_access_detail.html")]
struct DetailPage {
    c: Chrome,
    e: Line,
    mine: bool,
    reviewer_note: Option<String>,
    reviewed: String,
    reads: Vec<Read>,
    can_review: bool,
    version: i64,
    form: FormState,
    summary: Vec<ErrorLink>,
}

async fn detail_page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    form: FormState,
    status: StatusCode,
) -> Result<Response, WebError> {
    let d = state
        .app
        .emergency_access(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let summary = form.summary_by_name(
        &u.tr,
        &[
            ("review", "emergency-review"),
            ("note", "emergency-review-note"),
        ],
    );
    let reviewed = match (&d.row.reviewed_by_name, &d.row.reviewed_at) {
        (Some(by), Some(at)) => format!("{by} · {}", u.tr.datetime(at)),
        _ => String::new(),
    };
    let page = DetailPage {
        c: Chrome::for_user(u, "/emergency-access"),
        e: line(u, &d.row),
        mine: d.row.account_id == u.user.actor.id,
        reviewer_note: d.row.review_note.clone(),
        reviewed,
        reads: d
            .reads
            .iter()
            .map(|r| Read {
                when: karuna_store::time::from_db(&r.record.occurred_at)
                    .map(|t| u.tr.datetime(&t))
                    .unwrap_or_default(),
                action: super::audit::action_label(&u.tr, &r.record.action),
                outcome: u.tr.get(&format!("audit-outcome-{}", r.record.outcome)),
            })
            .collect(),
        can_review: d.can_review,
        version: d.row.version,
        form,
        summary,
    };
    Ok(render(status, &page))
}

/// `GET /emergency-access/{id}`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    detail_page(&state, &u, id, FormState::with(&[]), StatusCode::OK).await
}

/// `POST /emergency-access/{id}/review`.
pub async fn review(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = ReviewInput {
        version: p.get("version").trim().parse().unwrap_or(0),
        review: p.get("review"),
        note: p.get("note"),
    };
    match state
        .app
        .review_emergency_access(&u.user, &u.ctx, id, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to("/emergency-access?saved=reviewed").into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict)) => {
            let (status, fields) = refusal(&u, e);
            let form = FormState::from_pairs(&p.0).errors(fields);
            detail_page(&state, &u, id, form, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /emergency-access/{id}/end`: close one's own window now.
pub async fn end(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    match state.app.end_emergency_access(&u.user, &u.ctx, id).await {
        Ok(()) | Err(AppError::Refused(_)) => {
            Ok(Redirect::to("/emergency-access?saved=ended").into_response())
        }
        Err(e) => Err(u.err(e)),
    }
}

/// A case type with whether it forbids emergency access.
struct TypeChoice {
    code: String,
    label: String,
    forbidden: bool,
}

#[derive(Template)]
#[template(path = "emergency_settings.html")]
struct SettingsPage {
    c: Chrome,
    hours_max: i64,
    version: i64,
    updated: Option<String>,
    types: Vec<TypeChoice>,
    form: FormState,
    summary: Vec<ErrorLink>,
    flash: Option<String>,
}

async fn settings_page(
    state: &AppState,
    u: &PageUser,
    form: Option<FormState>,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let app = &state.app;
    // Administrators only: the same check the save makes.
    app.authorize(
        &u.user,
        &u.ctx,
        karuna_domain::access::Action::ManageConfiguration,
        "emergency_access.configure",
        ("emergency_access_setting", None),
    )
    .await
    .map_err(|e| u.err(e))?;
    let types = app
        .case_types(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let s = app
        .emergency_settings(u.user.actor.org_id)
        .await
        .map_err(|e| u.err(e))?;
    let form = form.unwrap_or_else(|| {
        let mut pairs = vec![("hours".to_string(), s.settings.hours.to_string())];
        pairs.extend(
            s.settings
                .forbidden_types
                .iter()
                .map(|t| ("forbidden_types".to_string(), t.clone())),
        );
        FormState::from_pairs(&pairs)
    });
    let summary = form.summary_by_name(
        &u.tr,
        &[
            ("hours", "emergency-hours"),
            ("forbidden_types", "emergency-forbidden-types"),
        ],
    );
    let page = SettingsPage {
        c: Chrome::for_user(u, "/admin/emergency-access"),
        hours_max: HOURS_MAX,
        version: s.version,
        updated: s
            .updated
            .map(|(by, at)| format!("{by} · {}", u.tr.datetime(&at))),
        types: types
            .iter()
            .map(|t| TypeChoice {
                code: t.code.clone(),
                label: case_type_label(u, &types, &t.code),
                forbidden: form.has("forbidden_types", &t.code),
            })
            .collect(),
        form,
        summary,
        flash,
    };
    Ok(render(status, &page))
}

/// `GET /admin/emergency-access`.
pub async fn settings(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let flash = q.saved.map(|_| u.tr.get("emergency-settings-saved"));
    settings_page(&state, &u, None, flash, StatusCode::OK).await
}

/// `POST /admin/emergency-access`.
pub async fn save_settings(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = SettingsInput {
        version: p.get("version").trim().parse().unwrap_or(0),
        hours: p.get("hours").trim().parse().unwrap_or(0),
        forbidden_types: p.all("forbidden_types"),
    };
    match state
        .app
        .put_emergency_settings(&u.user, &u.ctx, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/emergency-access?saved=1").into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict)) => {
            let (status, fields) = refusal(&u, e);
            let form = FormState::from_pairs(&p.0).errors(fields);
            settings_page(&state, &u, Some(form), None, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// The words above an emergency form: how long the organisation's window lasts and what it
/// allows, and the reason's hint.
async fn form_intro(state: &AppState, u: &PageUser) -> Result<(String, String), WebError> {
    let hours = state
        .app
        .emergency_settings(u.user.actor.org_id)
        .await
        .map_err(|e| u.err(e))?
        .settings
        .hours;
    Ok((
        u.tr.get1("emergency-intro", "hours", &hours.to_string()),
        u.tr.get1("emergency-reason-hint", "min", &REASON_MIN.to_string()),
    ))
}
