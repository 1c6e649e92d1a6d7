//! Case conferences in the browser: the list (`/conferences`), scheduling one
//! (`/conferences/new`), a conference with each case's minutes and their forms, the chair's
//! confirmation, the minutes printed on A4 (`/conferences/{id}/print`), and a case's
//! conferences tab (`/cases/{id}/conferences`). The minutes form itself is
//! `conference_minutes`.

use super::case_header::CaseHeader;
use super::cases::{choices, label};
use super::conference_minutes::{
    decisions_text, form_of, minutes_field, minutes_input, slots, DecisionSlot, DecisionText,
};
use super::intake::Pairs;
use super::plan::case_id;
use super::users::Choice;
use super::{refusal, render, Chrome, ErrorLink, FormState};
use crate::auth::{PageUser, WebForm};
use crate::error::{Surface, WebError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};
use karuna_app::conference::ConferenceView;
use karuna_app::AppError;
use karuna_domain::conference::{ConferenceInput, Minutes, OutsideAttendeeInput};
use karuna_domain::task::Priority;
use karuna_store::conference::ConferenceRow;
use serde::Deserialize;
use uuid::Uuid;

/// How many blank outside-attendee rows the schedule form offers.
const OUTSIDE_ROWS: usize = 4;

/// Bangkok wall-clock time of an instant, `HH:MM`.
fn hhmm(t: &DateTime<Utc>) -> String {
    (*t + chrono::Duration::hours(7))
        .format("%H:%M")
        .to_string()
}

/// The Bangkok date of an instant.
fn day(t: &DateTime<Utc>) -> chrono::NaiveDate {
    karuna_thai::calendar::bangkok_date(*t)
}

struct ListLine {
    id: Uuid,
    title: String,
    when: String,
    place: String,
    chair: String,
    status_code: String,
    status: String,
}

fn list_line(u: &PageUser, c: &ConferenceRow) -> ListLine {
    ListLine {
        id: c.id,
        title: c.title.clone(),
        when: format!("{} {}", u.tr.date(&day(&c.starts_at)), hhmm(&c.starts_at)),
        place: c
            .place
            .clone()
            .or_else(|| {
                c.online_link
                    .as_ref()
                    .map(|_| u.tr.get("conference-online"))
            })
            .unwrap_or_default(),
        chair: c.chair_name.clone(),
        status: label(u, "conference-status", &c.status),
        status_code: c.status.clone(),
    }
}

#[derive(Template)]
#[template(path = "conferences.html")]
struct ListPage {
    c: Chrome,
    lines: Vec<ListLine>,
}

/// `GET /conferences`.
pub async fn list(State(state): State<AppState>, u: PageUser) -> Result<Response, WebError> {
    let rows = state
        .app
        .conferences(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let page = ListPage {
        c: Chrome::for_user(&u, "/conferences"),
        lines: rows.iter().map(|c| list_line(&u, c)).collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "case_conferences.html")]
struct CaseListPage {
    c: Chrome,
    id: Uuid,
    number: String,
    head: CaseHeader,
    lines: Vec<ListLine>,
}

/// `GET /cases/{id}/conferences`.
pub async fn case_list(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let view = state
        .app
        .open_case(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let rows = state
        .app
        .case_conferences(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let page = CaseListPage {
        c: Chrome::for_user(&u, &format!("/cases/{id}/conferences")),
        id,
        number: view.case.number.clone(),
        head: CaseHeader::new(&u, &view, "conferences"),
        lines: rows.iter().map(|c| list_line(&u, c)).collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "conference_form.html")]
struct FormPage {
    c: Chrome,
    form: FormState,
    summary: Vec<ErrorLink>,
    people: Vec<Choice>,
    outside_rows: Vec<usize>,
}

/// The schedule form's fields: name and label key (element id `conference-<name>`).
const SCHEDULE_FIELDS: [(&str, &str); 8] = [
    ("title", "conference-title"),
    ("date", "conference-date"),
    ("time", "conference-time"),
    ("place", "conference-place"),
    ("online_link", "conference-link"),
    ("chair_id", "conference-chair"),
    ("cases", "conference-cases"),
    ("staff_ids", "conference-staff"),
];

/// `/conferences/new?case=ID`: the case to put on the agenda first.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    case: String,
}

/// The colleagues the form offers as chair and attendees: the user, and the manager and team
/// of the case the conference starts from.
async fn people(state: &AppState, u: &PageUser, case: Option<Uuid>) -> Vec<Choice> {
    let mut out = vec![Choice {
        value: u.user.actor.id.to_string(),
        label: u.user.display_name.clone(),
    }];
    if let Some(case) = case {
        if let Ok(view) = state.app.open_case(&u.user, &u.ctx, case).await {
            let mut add = |id: Uuid, name: &str| {
                if !out.iter().any(|c| c.value == id.to_string()) {
                    out.push(Choice {
                        value: id.to_string(),
                        label: name.to_string(),
                    });
                }
            };
            add(view.case.manager_id, &view.manager_name);
            for m in &view.team {
                add(m.account_id, &m.display_name);
            }
        }
    }
    out
}

async fn form_page(
    state: &AppState,
    u: &PageUser,
    form: FormState,
    from_case: Option<Uuid>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let summary = form.summary(|name| {
        let base = name.split('[').next().unwrap_or(name);
        SCHEDULE_FIELDS
            .iter()
            .find(|(n, _)| *n == base)
            .map(|(n, key)| (format!("conference-{}", n.replace('_', "-")), u.tr.get(key)))
            .or_else(|| {
                name.starts_with("outside[").then(|| {
                    (
                        "conference-outside".to_string(),
                        u.tr.get("conference-outside"),
                    )
                })
            })
    });
    let page = FormPage {
        c: Chrome::for_user(u, "/conferences/new"),
        summary,
        people: people(state, u, from_case).await,
        outside_rows: (0..OUTSIDE_ROWS).collect(),
        form,
    };
    Ok(render(status, &page))
}

/// `GET /conferences/new`.
pub async fn new_form(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<NewQuery>,
) -> Result<Response, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            karuna_domain::access::Action::ListCases,
            "conference.create",
            ("conference", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let from = Uuid::parse_str(q.case.trim()).ok();
    let mut values = vec![
        ("time", "09:00".to_string()),
        ("chair_id", u.user.actor.id.to_string()),
    ];
    if let Some(case) = from {
        let view = state
            .app
            .open_case(&u.user, &u.ctx, case)
            .await
            .map_err(|e| u.err(e))?;
        values.push(("cases", view.case.number.clone()));
        values.push(("from_case", case.to_string()));
    }
    form_page(&state, &u, FormState::with(&values), from, StatusCode::OK).await
}

/// `POST /conferences`.
pub async fn create(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = ConferenceInput {
        title: p.get("title"),
        date: p.get("date"),
        time: p.get("time"),
        place: p.get("place"),
        online_link: p.get("online_link"),
        chair_id: p.get("chair_id"),
        cases: p
            .get("cases")
            .split(['\n', ',', ' '])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        staff_ids: p.all("staff_ids"),
        outside: (0..OUTSIDE_ROWS)
            .map(|i| OutsideAttendeeInput {
                name: p.get(&format!("outside[{i}].name")),
                organisation: p.get(&format!("outside[{i}].organisation")),
                role: p.get(&format!("outside[{i}].role")),
            })
            .collect(),
    };
    match state.app.schedule_conference(&u.user, &u.ctx, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/conferences/{id}?saved=scheduled")).into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let fields = WebError::new(e, Surface::Page, u.tr.clone()).fields();
            let from = Uuid::parse_str(p.get("from_case").trim()).ok();
            let form = FormState::from_pairs(&p.0).errors(fields);
            form_page(&state, &u, form, from, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// One case of the agenda on the conference page.
struct CaseSection {
    index: usize,
    case_id: Uuid,
    number: String,
    can_edit: bool,
    /// The latest version: its number (0: none), status code and label, who wrote it.
    version: i64,
    status_code: String,
    status: String,
    byline: String,
    reason: Option<String>,
    client_attended: bool,
    family_attended: bool,
    client_views: String,
    family_views: String,
    facts: String,
    discussion: String,
    decisions: Vec<DecisionText>,
    history: Vec<String>,
    /// The form (values from the latest version, or the failed submission).
    form: FormState,
    slots: Vec<DecisionSlot>,
    failed: bool,
    needs_reason: bool,
    /// The error summary of a failed submission.
    summary: Vec<ErrorLink>,
}

#[derive(Template)]
#[template(path = "conference.html")]
struct ConferencePage {
    c: Chrome,
    id: Uuid,
    title: String,
    when: String,
    place: Option<String>,
    online_link: Option<String>,
    chair: String,
    status_code: String,
    status: String,
    staff: Vec<String>,
    outside: Vec<String>,
    hidden_cases: usize,
    is_chair: bool,
    drafts: usize,
    sections: Vec<CaseSection>,
    people: Vec<Choice>,
    priorities: Vec<Choice>,
    flash: Option<String>,
    /// A form-wide error (the chair's confirmation).
    error: Option<String>,
}

/// The colleagues on the conference (for the action items' owner lists and names).
fn staff_of(v: &ConferenceView) -> Vec<(Uuid, String)> {
    v.attendees
        .iter()
        .filter_map(|a| a.account_id.map(|id| (id, a.name.clone())))
        .collect()
}

fn attendee_lines(u: &PageUser, v: &ConferenceView) -> (Vec<String>, Vec<String>) {
    let mut staff = Vec::new();
    let mut outside = Vec::new();
    for a in &v.attendees {
        let role = a.role.clone().unwrap_or_default();
        if a.account_id.is_some() {
            let profession = if role.is_empty() {
                String::new()
            } else {
                format!(" · {}", label(u, "profession", &role))
            };
            staff.push(format!("{}{profession}", a.name));
        } else {
            let mut line = a.name.clone();
            for part in [Some(role), a.organisation.clone()].into_iter().flatten() {
                if !part.is_empty() {
                    line.push_str(" · ");
                    line.push_str(&part);
                }
            }
            outside.push(line);
        }
    }
    (staff, outside)
}

fn sections(
    u: &PageUser,
    v: &ConferenceView,
    failed: Option<(Uuid, FormState)>,
) -> Vec<CaseSection> {
    let people = staff_of(v);
    v.cases
        .iter()
        .enumerate()
        .map(|(index, c)| {
            let latest = c.minutes.first();
            let empty = Minutes {
                client_attended: false,
                family_attended: false,
                client_views: String::new(),
                family_views: String::new(),
                facts: String::new(),
                discussion: String::new(),
                decisions: Vec::new(),
            };
            let m = latest.map(|l| &l.content).unwrap_or(&empty);
            let version = latest.map(|l| l.number).unwrap_or(0);
            let (form, is_failed) = match &failed {
                Some((case, f)) if *case == c.case_id => (f.clone(), true),
                _ => (form_of(u, m, version), false),
            };
            CaseSection {
                index,
                case_id: c.case_id,
                number: c.number.clone(),
                can_edit: c.can_edit,
                version,
                status_code: latest.map(|l| l.status.clone()).unwrap_or_default(),
                status: latest
                    .map(|l| label(u, "minutes-status", &l.status))
                    .unwrap_or_default(),
                byline: latest
                    .map(|l| match (&l.confirmed_by_name, &l.confirmed_at) {
                        (Some(by), Some(at)) => u.tr.args(
                            "conference-confirmed-by",
                            &[
                                ("writer", l.written_by_name.clone()),
                                ("chair", by.clone()),
                                ("at", u.tr.datetime(at)),
                            ],
                        ),
                        _ => u.tr.args(
                            "conference-written-by",
                            &[
                                ("writer", l.written_by_name.clone()),
                                ("at", u.tr.datetime(&l.written_at)),
                            ],
                        ),
                    })
                    .unwrap_or_default(),
                reason: latest.and_then(|l| l.reason.clone()),
                client_attended: m.client_attended,
                family_attended: m.family_attended,
                client_views: m.client_views.clone(),
                family_views: m.family_views.clone(),
                facts: m.facts.clone(),
                discussion: m.discussion.clone(),
                decisions: decisions_text(u, m, &people),
                history: c
                    .minutes
                    .iter()
                    .map(|h| {
                        let mut line = format!(
                            "{} {} · {} · {} · {}",
                            u.tr.get("conference-version"),
                            h.number,
                            label(u, "minutes-status", &h.status),
                            h.written_by_name,
                            u.tr.datetime(&h.written_at)
                        );
                        if let Some(r) = &h.reason {
                            line.push_str(" · ");
                            line.push_str(r);
                        }
                        line
                    })
                    .collect(),
                slots: slots(&form, index),
                needs_reason: c.minutes.iter().any(|h| h.confirmed_at.is_some()),
                summary: form.summary(|name| minutes_field(u, index, name)),
                form,
                failed: is_failed,
            }
        })
        .collect()
}

async fn conference_page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    flash: Option<String>,
    failed: Option<(Uuid, FormState)>,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let v = state
        .app
        .conference(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let (staff, outside) = attendee_lines(u, &v);
    let codes: Vec<&str> = Priority::ALL.iter().rev().map(|p| p.code()).collect();
    let page = ConferencePage {
        c: Chrome::for_user(u, &format!("/conferences/{id}")),
        id,
        title: v.conference.title.clone(),
        when: format!(
            "{} {}",
            u.tr.date(&day(&v.conference.starts_at)),
            u.tr.get1("conference-at-time", "time", &hhmm(&v.conference.starts_at))
        ),
        place: v.conference.place.clone(),
        online_link: v.conference.online_link.clone(),
        chair: v.conference.chair_name.clone(),
        status: label(u, "conference-status", &v.conference.status),
        status_code: v.conference.status.clone(),
        staff,
        outside,
        hidden_cases: v.hidden_cases,
        is_chair: v.is_chair,
        drafts: v.drafts(),
        people: staff_of(&v)
            .into_iter()
            .map(|(id, name)| Choice {
                value: id.to_string(),
                label: name,
            })
            .collect(),
        sections: sections(u, &v, failed),
        priorities: choices(u, "task-priority", &codes),
        flash,
        error,
    };
    Ok(render(status, &page))
}

/// Flash flags of post/redirect/get.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ShowQuery {
    saved: Option<String>,
}

/// `GET /conferences/{id}`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<ShowQuery>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let flash = q.saved.map(|s| {
        u.tr.get(match s.as_str() {
            "scheduled" => "conference-scheduled",
            "confirmed" => "conference-confirmed",
            _ => "conference-minutes-saved",
        })
    });
    conference_page(&state, &u, id, flash, None, None, StatusCode::OK).await
}

/// `POST /conferences/{id}/cases/{case}/minutes`.
pub async fn save_minutes(
    State(state): State<AppState>,
    u: PageUser,
    Path((id, case)): Path<(String, String)>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let case = case_id(&u, &case)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = minutes_input(&p);
    match state
        .app
        .save_minutes(&u.user, &u.ctx, id, case, &input)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/conferences/{id}?saved=minutes#case-{case}")).into_response(),
        ),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict)) => {
            let (status, fields) = refusal(&u, e);
            let form = FormState::from_pairs(&p.0).errors(fields);
            conference_page(&state, &u, id, None, Some((case, form)), None, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /conferences/{id}/confirm`: the chair confirms the drafts.
pub async fn confirm(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    match state.app.confirm_conference(&u.user, &u.ctx, id).await {
        Ok(_) => Ok(Redirect::to(&format!("/conferences/{id}?saved=confirmed")).into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let err = WebError::new(e, Surface::Page, u.tr.clone());
            let msg = err
                .fields()
                .into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join(" · ");
            conference_page(
                &state,
                &u,
                id,
                None,
                None,
                Some(msg),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}

#[derive(Template)]
#[template(path = "conference_print.html")]
struct PrintPage {
    c: Chrome,
    title: String,
    date: String,
    time: String,
    place: String,
    chair: String,
    staff: Vec<String>,
    outside: Vec<String>,
    sections: Vec<CaseSection>,
    hidden_cases: usize,
    writers: String,
}

/// `GET /conferences/{id}/print`: the minutes on A4, in the Thai official form.
pub async fn print(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let v = state
        .app
        .conference(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let (staff, outside) = attendee_lines(&u, &v);
    let mut writers: Vec<String> = v
        .cases
        .iter()
        .filter_map(|c| c.minutes.first().map(|m| m.written_by_name.clone()))
        .collect();
    writers.sort();
    writers.dedup();
    let page = PrintPage {
        c: Chrome::for_user(&u, &format!("/conferences/{id}/print")),
        title: v.conference.title.clone(),
        date: u.tr.date(&day(&v.conference.starts_at)),
        time: hhmm(&v.conference.starts_at),
        place: [v.conference.place.clone(), v.conference.online_link.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · "),
        chair: v.conference.chair_name.clone(),
        staff,
        outside,
        sections: sections(&u, &v, None),
        hidden_cases: v.hidden_cases,
        writers: writers.join(", "),
    };
    Ok(render(StatusCode::OK, &page))
}
