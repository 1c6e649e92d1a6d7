//! My notifications over the API: the list with the unread count, and marking them read.

use crate::api::extract::{Path, Query};
use crate::auth::ApiUser;
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use karuna_store::notification::NotificationRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct Notification {
    /// Id.
    pub id: Uuid,
    /// `task_assigned`, `task_due`, `plan_approval`, `plan_approved`, `plan_returned`,
    /// `closure_approval`, `closure_approved`, `closure_returned`, `transfer_received`,
    /// `conference_scheduled`, `consultation_mention`, `consultation_reply`, `promise_due` or
    /// `follow_up_due`.
    pub kind: String,
    /// The case it is about.
    pub case_id: Option<Uuid>,
    /// Its number.
    pub case_number: Option<String>,
    /// The record it is about (a task, a plan version, a closure summary, a promise, a
    /// follow-up).
    pub entity_id: Option<Uuid>,
    /// Who caused it (none for a reminder).
    pub actor_name: Option<String>,
    /// A reminder's due date.
    pub due_date: Option<chrono::NaiveDate>,
    /// When.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When read (none: unread).
    pub read_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The page of the web interface it leads to.
    pub href: String,
}

impl From<NotificationRow> for Notification {
    fn from(n: NotificationRow) -> Self {
        let href = crate::pages::inbox::target(&n);
        Notification {
            id: n.id,
            kind: n.kind,
            case_id: n.case_id,
            case_number: n.case_number,
            entity_id: n.entity_id,
            actor_name: n.actor_name,
            due_date: n.due_date,
            created_at: n.created_at,
            read_at: n.read_at,
            href,
        }
    }
}

/// My notifications and how many are unread.
#[derive(Debug, Serialize, ToSchema)]
pub struct Inbox {
    /// Unread notifications (all of them, not only those listed).
    pub unread: i64,
    /// Newest first, at most 200.
    pub items: Vec<Notification>,
}

/// Filters of `GET /api/v1/me/notifications`.
#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct InboxQuery {
    /// Only unread notifications.
    pub unread: bool,
}

/// `GET /api/v1/me/notifications`: on cases I may still open only.
#[utoipa::path(get, path = "/api/v1/me/notifications", operation_id = "listMyNotifications", tag = "account", params(InboxQuery),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Inbox)))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
    Query(q): Query<InboxQuery>,
) -> Result<Json<Inbox>, WebError> {
    let rows = state
        .app
        .inbox(&u.user, &u.ctx, q.unread)
        .await
        .map_err(|e| u.err(e))?;
    let unread = state
        .app
        .unread_notifications(&u.user)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Inbox {
        unread,
        items: rows.into_iter().map(Notification::from).collect(),
    }))
}

/// `POST /api/v1/me/notifications/{id}/read`.
#[utoipa::path(post, path = "/api/v1/me/notifications/{id}/read", operation_id = "markNotificationRead", tag = "account",
    params(("id" = String, Path, description = "notification id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Notification, description = "the notification, as it was before it was marked read")))]
pub async fn read_one(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Notification>, WebError> {
    let id = super::cases::parse_id(&u, &id)?;
    let n = state
        .app
        .open_notification(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Notification::from(n)))
}

/// How many notifications were marked read.
#[derive(Debug, Serialize, ToSchema)]
pub struct Marked {
    /// Count.
    pub marked: u64,
}

/// `POST /api/v1/me/notifications/read`: marks all my notifications read.
#[utoipa::path(post, path = "/api/v1/me/notifications/read", operation_id = "markAllNotificationsRead", tag = "account",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Marked)))]
pub async fn read_all(State(state): State<AppState>, u: ApiUser) -> Result<Json<Marked>, WebError> {
    let marked = state
        .app
        .mark_all_notifications_read(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Marked { marked }))
}
