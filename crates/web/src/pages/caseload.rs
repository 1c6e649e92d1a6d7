//! Caseloads in the browser (`/caseload`): mine, and for a supervisor her unit's, each worker's
//! open cases by stage, urgent cases, tasks and promises behind, against her limit; the
//! supervisor sets a worker's limit (`POST /caseload/{id}/limit`).

use super::cases::label;
use super::intake::Pairs;
use super::plan::case_id;
use super::{render, Chrome};
use crate::auth::{PageUser, WebForm};
use crate::error::{Surface, WebError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::caseload::{Caseloads, WorkerLoad};
use karuna_app::AppError;
use karuna_domain::access::Role;
use karuna_domain::case::Status;
use serde::Deserialize;
use uuid::Uuid;

struct Row {
    id: Uuid,
    name: String,
    open: i64,
    by_status: Vec<i64>,
    urgent: i64,
    open_tasks: i64,
    overdue_tasks: i64,
    overdue_promises: i64,
    limit: i64,
    limit_set: bool,
    over: bool,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "caseload.html")]
struct Page {
    c: Chrome,
    unit: bool,
    supervisor: bool,
    statuses: Vec<String>,
    rows: Vec<Row>,
    over: usize,
    flash: Option<String>,
}

/// `/caseload` filters: `list` is `mine` (default) or `unit`.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CaseloadQuery {
    list: String,
    saved: Option<String>,
}

async fn page(
    state: &AppState,
    u: &PageUser,
    unit: bool,
    flash: Option<String>,
    failed: Option<(Uuid, String)>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let which = if unit {
        Caseloads::Unit
    } else {
        Caseloads::Mine
    };
    let loads: Vec<WorkerLoad> = state
        .app
        .caseloads(&u.user, &u.ctx, which)
        .await
        .map_err(|e| u.err(e))?;
    let rows: Vec<Row> = loads
        .into_iter()
        .map(|w| Row {
            id: w.account_id,
            over: w.load.over_limit(),
            name: w.name,
            open: w.load.open_cases,
            by_status: w.load.by_status.iter().map(|s| s.count).collect(),
            urgent: w.load.urgent_cases,
            open_tasks: w.load.open_tasks,
            overdue_tasks: w.load.overdue_tasks,
            overdue_promises: w.load.overdue_promises,
            limit: w.load.limit,
            limit_set: w.load.limit_set,
            error: failed
                .as_ref()
                .filter(|(id, _)| *id == w.account_id)
                .map(|(_, m)| m.clone()),
        })
        .collect();
    let page = Page {
        c: Chrome::for_user(u, "/caseload"),
        unit,
        supervisor: u.user.role() == Role::Supervisor && u.user.actor.unit_id.is_some(),
        statuses: Status::ALL
            .iter()
            .filter(|s| **s != Status::Closed)
            .map(|s| label(u, "status", s.code()))
            .collect(),
        over: rows.iter().filter(|r| r.over).count(),
        rows,
        flash,
    };
    Ok(render(status, &page))
}

/// `GET /caseload`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<CaseloadQuery>,
) -> Result<Response, WebError> {
    let flash = q.saved.map(|_| u.tr.get("caseload-limit-saved"));
    page(&state, &u, q.list == "unit", flash, None, StatusCode::OK).await
}

/// `POST /caseload/{id}/limit`: `limit` empty sets the default back.
pub async fn set_limit(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let raw = p.get("limit");
    let limit = match raw.trim() {
        "" => Ok(None),
        s => s.parse::<i64>().map(Some).map_err(|_| {
            AppError::from(
                karuna_domain::FieldError::new("limit", "caseload.limit_range")
                    .arg("max", karuna_domain::caseload::MAX_LIMIT),
            )
        }),
    };
    let result = match limit {
        Ok(l) => state.app.set_caseload_limit(&u.user, &u.ctx, id, l).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/caseload?list=unit&saved=1").into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let msg = WebError::new(e, Surface::Page, u.tr.clone())
                .fields()
                .into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join(" · ");
            page(
                &state,
                &u,
                true,
                None,
                Some((id, msg)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}
