//! Supervision sessions in the browser (`/supervision`): the sessions the user may read, and
//! for a supervisor the form to record one with a worker of her unit.

use super::intake::Pairs;
use super::users::Choice;
use super::{render, Chrome, ErrorLink, FormState, SavedQuery};
use crate::auth::{PageUser, WebForm};
use crate::error::{Surface, WebError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::caseload::Caseloads;
use karuna_app::AppError;
use karuna_domain::access::Role;
use karuna_domain::supervision::SupervisionInput;

struct Line {
    held_on: String,
    worker: String,
    supervisor: String,
    caseload_reviewed: bool,
    cases_discussed: String,
    agreed_actions: String,
    wellbeing: String,
    training_needs: String,
}

#[derive(Template)]
#[template(path = "supervision.html")]
struct Page {
    c: Chrome,
    supervisor: bool,
    workers: Vec<Choice>,
    lines: Vec<Line>,
    form: FormState,
    summary: Vec<ErrorLink>,
    flash: Option<String>,
}

async fn page(
    state: &AppState,
    u: &PageUser,
    form: FormState,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let supervisor = u.user.role() == Role::Supervisor && u.user.actor.unit_id.is_some();
    let workers = if supervisor {
        state
            .app
            .caseloads(&u.user, &u.ctx, Caseloads::Unit)
            .await
            .map_err(|e| u.err(e))?
            .into_iter()
            .filter(|w| w.account_id != u.user.actor.id)
            .map(|w| Choice {
                value: w.account_id.to_string(),
                label: w.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let lines = state
        .app
        .supervision_sessions(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?
        .into_iter()
        .map(|s| Line {
            held_on: u.tr.date(&s.held_on),
            worker: s.worker_name,
            supervisor: s.supervisor_name,
            caseload_reviewed: s.caseload_reviewed,
            cases_discussed: s.cases_discussed,
            agreed_actions: s.agreed_actions,
            wellbeing: s.wellbeing,
            training_needs: s.training_needs,
        })
        .collect();
    let summary = form.summary_by_name(
        &u.tr,
        &[
            ("worker_id", "supervision-worker"),
            ("held_on", "supervision-held-on"),
            ("cases_discussed", "supervision-cases"),
            ("agreed_actions", "supervision-actions"),
            ("wellbeing", "supervision-wellbeing"),
            ("training_needs", "supervision-training"),
        ],
    );
    let page = Page {
        c: Chrome::for_user(u, "/supervision"),
        supervisor,
        workers,
        lines,
        form,
        summary,
        flash,
    };
    Ok(render(status, &page))
}

/// `GET /supervision`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let flash = q.saved.map(|_| u.tr.get("supervision-saved"));
    page(&state, &u, FormState::with(&[]), flash, StatusCode::OK).await
}

/// `POST /supervision`.
pub async fn record(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = SupervisionInput {
        worker_id: p.get("worker_id"),
        held_on: p.get("held_on"),
        caseload_reviewed: p.has("caseload_reviewed"),
        cases_discussed: p.get("cases_discussed"),
        agreed_actions: p.get("agreed_actions"),
        wellbeing: p.get("wellbeing"),
        training_needs: p.get("training_needs"),
    };
    match state.app.record_supervision(&u.user, &u.ctx, &input).await {
        Ok(_) => Ok(Redirect::to("/supervision?saved=1").into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let fields = WebError::new(e, Surface::Page, u.tr.clone()).fields();
            let form = FormState::from_pairs(&p.0).errors(fields);
            page(&state, &u, form, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(u.err(e)),
    }
}
