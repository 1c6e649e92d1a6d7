//! Consultation threads in the browser: the case's tab `consultations` (ask for advice, the
//! threads with their replies, reply, resolve with the advice taken).

use super::case_header::CaseHeader;
use super::intake::Pairs;
use super::plan::case_id;
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
use karuna_domain::consultation::{ConsultationInput, ReplyInput, ResolveInput};
use uuid::Uuid;

struct Reply {
    by: String,
    when: String,
    body: String,
    mentions: String,
}

struct Thread {
    id: Uuid,
    subject: String,
    question: String,
    asked_by: String,
    when: String,
    asked: String,
    open: bool,
    resolution: Option<String>,
    resolved: String,
    version: i64,
    can_resolve: bool,
    replies: Vec<Reply>,
    /// The reply or resolution that failed here, and its form.
    failed: Option<(String, FormState)>,
}

impl Thread {
    /// The failed form of `which` (`reply` or `resolve`) on this thread, if it failed.
    fn f(&self, which: &str) -> Option<&FormState> {
        self.failed
            .as_ref()
            .filter(|(w, _)| w == which)
            .map(|(_, f)| f)
    }

    /// The messages of the failed form `which`, joined.
    fn error(&self, which: &str) -> Option<String> {
        self.f(which).map(|f| {
            f.all_errors()
                .iter()
                .map(|(_, m)| m.as_str())
                .collect::<Vec<_>>()
                .join(" · ")
        })
    }
}

#[derive(Template)]
#[template(path = "case_consultations.html")]
struct Page {
    c: Chrome,
    id: Uuid,
    number: String,
    head: CaseHeader,
    threads: Vec<Thread>,
    people: Vec<Choice>,
    form: FormState,
    summary: Vec<ErrorLink>,
    ask_failed: bool,
    flash: Option<String>,
}

/// Which form failed: the question (`ask`), or a thread's reply or resolution.
enum Failed {
    None,
    Ask(FormState),
    Thread(Uuid, &'static str, FormState),
}

async fn page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    flash: Option<String>,
    failed: Failed,
    status: StatusCode,
) -> Result<Response, WebError> {
    let app = &state.app;
    let view = app
        .open_case(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let all = app
        .case_consultations(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    // Who may be asked: the case's manager and team, and the supervisors of its unit.
    let mut people: Vec<Choice> = Vec::new();
    let mut add = |id: Uuid, name: &str| {
        if id != u.user.actor.id && !people.iter().any(|c| c.value == id.to_string()) {
            people.push(Choice {
                value: id.to_string(),
                label: name.to_string(),
            });
        }
    };
    add(view.case.manager_id, &view.manager_name);
    for m in &view.team {
        add(m.account_id, &m.display_name);
    }
    let unit = app
        .case_staff(&u.user, &u.ctx, view.case.unit_id, None)
        .await
        .map_err(|e| u.err(e))?;
    for s in unit.iter().filter(|s| s.role == "supervisor") {
        add(
            s.id,
            &format!("{} · {}", s.display_name, u.tr.get("role-supervisor")),
        );
    }
    let names = |thread: Uuid, reply: Option<Uuid>| {
        all.mentions
            .iter()
            .filter(|m| m.consultation_id == thread && m.reply_id == reply)
            .map(|m| m.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (ask_form, ask_failed, thread_failed) = match failed {
        Failed::None => (FormState::with(&[]), false, None),
        Failed::Ask(f) => (f, true, None),
        Failed::Thread(t, which, f) => (FormState::with(&[]), false, Some((t, which, f))),
    };
    let threads = all
        .threads
        .iter()
        .map(|t| Thread {
            id: t.id,
            subject: t.subject.clone(),
            question: t.question.clone(),
            asked_by: t.asked_by_name.clone(),
            when: u.tr.datetime(&t.created_at),
            asked: names(t.id, None),
            open: t.status == "open",
            resolution: t.resolution.clone(),
            resolved: match (&t.resolved_by_name, &t.resolved_at) {
                (Some(by), Some(at)) => format!("{by} · {}", u.tr.datetime(at)),
                _ => String::new(),
            },
            version: t.version,
            can_resolve: t.status == "open" && (t.asked_by == u.user.actor.id || all.can_manage),
            replies: all
                .replies
                .iter()
                .filter(|r| r.consultation_id == t.id)
                .map(|r| Reply {
                    by: r.author_name.clone(),
                    when: u.tr.datetime(&r.created_at),
                    body: r.body.clone(),
                    mentions: names(t.id, Some(r.id)),
                })
                .collect(),
            failed: thread_failed
                .as_ref()
                .filter(|(id, _, _)| *id == t.id)
                .map(|(_, w, f)| (w.to_string(), f.clone())),
        })
        .collect();
    let summary = ask_form.summary_by_name(
        &u.tr,
        &[
            ("subject", "consultation-subject"),
            ("question", "consultation-question"),
            ("mention_ids", "consultation-ask-whom"),
        ],
    );
    let page = Page {
        c: Chrome::for_user(u, &format!("/cases/{id}/consultations")),
        id,
        number: view.case.number.clone(),
        head: CaseHeader::new(u, &view, "consultations"),
        threads,
        people,
        form: ask_form,
        summary,
        ask_failed,
        flash,
    };
    Ok(render(status, &page))
}

/// `GET /cases/{id}/consultations`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let flash = q.saved.map(|s| {
        u.tr.get(match s.as_str() {
            "reply" => "consultation-replied",
            "resolved" => "consultation-resolved",
            _ => "consultation-asked",
        })
    });
    page(&state, &u, id, flash, Failed::None, StatusCode::OK).await
}

/// `POST /cases/{id}/consultations`: ask for advice.
pub async fn ask(
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
        .check_case(&u.user, &u.ctx, id, CaseAccess::Edit, "consultation.create")
        .await
        .map_err(|e| u.err(e))?;
    let input = ConsultationInput {
        subject: p.get("subject"),
        question: p.get("question"),
        mention_ids: p.all("mention_ids"),
    };
    match state.app.ask(&u.user, &u.ctx, id, &input).await {
        Ok(t) => Ok(
            Redirect::to(&format!("/cases/{id}/consultations?saved=asked#thread-{t}"))
                .into_response(),
        ),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict)) => {
            let (status, fields) = refusal(&u, e);
            let form = FormState::from_pairs(&p.0).errors(fields);
            page(&state, &u, id, None, Failed::Ask(form), status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /consultations/{id}/replies`.
pub async fn reply(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let tid = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let case = state
        .app
        .consultation_case(tid)
        .await
        .map_err(|e| u.err(e))?;
    state
        .app
        .check_case(
            &u.user,
            &u.ctx,
            case,
            CaseAccess::Edit,
            "consultation.reply",
        )
        .await
        .map_err(|e| u.err(e))?;
    let input = ReplyInput {
        body: p.get("body"),
        mention_ids: p.all("mention_ids"),
    };
    match state.app.reply(&u.user, &u.ctx, tid, &input).await {
        Ok(_) => Ok(Redirect::to(&format!(
            "/cases/{case}/consultations?saved=reply#thread-{tid}"
        ))
        .into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict)) => {
            let (status, fields) = refusal(&u, e);
            let form = FormState::from_pairs(&p.0).errors(fields);
            page(
                &state,
                &u,
                case,
                None,
                Failed::Thread(tid, "reply", form),
                status,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /consultations/{id}/resolve`.
pub async fn resolve(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let tid = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let case = state
        .app
        .consultation_case(tid)
        .await
        .map_err(|e| u.err(e))?;
    state
        .app
        .check_case(
            &u.user,
            &u.ctx,
            case,
            CaseAccess::Edit,
            "consultation.resolve",
        )
        .await
        .map_err(|e| u.err(e))?;
    let input = ResolveInput {
        version: p.get("version").trim().parse().unwrap_or(0),
        summary: p.get("summary"),
    };
    match state
        .app
        .resolve_consultation(&u.user, &u.ctx, tid, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/cases/{case}/consultations?saved=resolved#thread-{tid}"
        ))
        .into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict)) => {
            let (status, fields) = refusal(&u, e);
            let form = FormState::from_pairs(&p.0).errors(fields);
            page(
                &state,
                &u,
                case,
                None,
                Failed::Thread(tid, "resolve", form),
                status,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}
