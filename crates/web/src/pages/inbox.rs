//! The inbox (`/inbox`): my notifications, newest first, each a link that marks it read and
//! leads to its place (`/inbox/{id}`), and "mark all read".

use super::{render, Chrome};
use crate::auth::{PageUser, WebForm};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::AppError;
use karuna_store::notification::NotificationRow;
use serde::Deserialize;
use uuid::Uuid;

/// Where a notification leads: the place in its case where the thing it tells of is.
pub fn target(n: &NotificationRow) -> String {
    let Some(case) = n.case_id else {
        return "/".into();
    };
    let entity = n.entity_id.map(|e| e.to_string()).unwrap_or_default();
    match n.kind.as_str() {
        "task_assigned" | "task_due" => format!("/cases/{case}/tasks#task-{entity}"),
        "plan_approval" | "plan_approved" | "plan_returned" => format!("/cases/{case}/plan"),
        "closure_approval" | "closure_approved" | "closure_returned" | "follow_up_due" => {
            format!("/cases/{case}/closure")
        }
        "promise_due" => format!("/cases/{case}?tab=promises#promise-{entity}"),
        "conference_scheduled" => format!("/conferences/{entity}"),
        "referral_alert" => format!("/cases/{case}/referrals#alert-{entity}"),
        "referral_due" => format!("/referrals/{entity}"),
        "emergency_access" => format!("/emergency-access/{entity}"),
        "allocation_request" | "allocation_decided" | "allocation_offered" => {
            format!("/allocations/{entity}")
        }
        "consultation_mention" | "consultation_reply" => {
            format!("/cases/{case}/consultations#thread-{entity}")
        }
        _ => format!("/cases/{case}"),
    }
}

/// What a notification says, in the user's language.
pub fn message(u: &PageUser, n: &NotificationRow) -> String {
    text(&u.tr, n, n.actor_name.as_deref().unwrap_or_default())
}

/// What a notification says in `tr`'s language, naming its actor as `who` (the inbox gives the
/// whole name, a mail only the first).
pub fn text(tr: &Tr, n: &NotificationRow, who: &str) -> String {
    let key = format!("notification-{}", n.kind.replace('_', "-"));
    if !tr.has(&key) {
        return tr.get("notification-other");
    }
    tr.args(
        &key,
        &[
            ("who", who.to_string()),
            ("case", n.case_number.clone().unwrap_or_default()),
            ("due", n.due_date.map(|d| tr.date(&d)).unwrap_or_default()),
        ],
    )
}

struct Line {
    id: Uuid,
    text: String,
    when: String,
    unread: bool,
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    c: Chrome,
    lines: Vec<Line>,
    unread_only: bool,
    unread: usize,
    flash: Option<String>,
}

/// `/inbox` filters.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct InboxQuery {
    /// `unread`: only the unread ones.
    show: String,
    saved: Option<String>,
}

/// `GET /inbox`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<InboxQuery>,
) -> Result<Response, WebError> {
    let unread_only = q.show == "unread";
    let rows = state
        .app
        .inbox(&u.user, &u.ctx, unread_only)
        .await
        .map_err(|e| u.err(e))?;
    let lines: Vec<Line> = rows
        .iter()
        .map(|n| Line {
            id: n.id,
            text: message(&u, n),
            when: u.tr.datetime(&n.created_at),
            unread: n.read_at.is_none(),
        })
        .collect();
    let page = InboxPage {
        c: Chrome::for_user(&u, "/inbox"),
        unread: lines.iter().filter(|l| l.unread).count(),
        lines,
        unread_only,
        flash: q.saved.map(|_| u.tr.get("inbox-all-read")),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `GET /inbox/{id}`: marks the notification read and follows it.
pub async fn open(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = Uuid::parse_str(&id).map_err(|_| u.err(AppError::NotFound))?;
    let n = state
        .app
        .open_notification(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Redirect::to(&target(&n)).into_response())
}

/// `POST /inbox/read`: marks every notification read.
pub async fn read_all(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let csrf = pairs
        .iter()
        .rev()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or("");
    u.check_csrf(csrf)?;
    state
        .app
        .mark_all_notifications_read(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Redirect::to("/inbox?saved=1").into_response())
}
