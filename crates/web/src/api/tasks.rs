//! Tasks over the API: a case's tasks, assigning one, one task with its history, changing it,
//! and my (or my unit's) tasks.

use super::cases::{guard, parse_id, Created, Versioned};
use crate::api::extract::{Path, Query};
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use karuna_app::case::CaseAccess;
use karuna_app::task::{TaskList, TaskUpdate, TaskView};
use karuna_domain::task::{TaskInput, TaskStatus};
use karuna_store::task::TaskEvent;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A task.
#[derive(Debug, Serialize, ToSchema)]
pub struct Task {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Case number.
    pub case_number: String,
    /// What is to be done.
    pub title: String,
    /// More about it.
    pub details: Option<String>,
    /// The colleague who does it.
    pub assignee_id: Option<Uuid>,
    /// Their name.
    pub assignee_name: Option<String>,
    /// Or a person of another agency, followed up by the case manager.
    pub outside_name: Option<String>,
    /// Their organisation and role.
    pub outside_organisation: Option<String>,
    /// By when.
    pub due_date: chrono::NaiveDate,
    /// Past due and still to be done (Bangkok date).
    pub overdue: bool,
    /// `low`, `normal`, `high` or `urgent`.
    pub priority: String,
    /// `open`, `in_progress`, `done` or `cancelled`.
    pub status: String,
    /// Why cancelled, or what came of it when done.
    pub status_reason: Option<String>,
    /// The plan goal it serves.
    pub goal_id: Option<Uuid>,
    /// The plan intervention it serves.
    pub intervention_id: Option<Uuid>,
    /// Who assigned it.
    pub created_by: Uuid,
    /// Their name.
    pub created_by_name: String,
    /// When.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it was done or cancelled.
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Version (send it back with a change).
    pub version: i64,
    /// The caller may start it, mark it done, or reopen it.
    pub can_progress: bool,
    /// The caller may cancel, reassign or reschedule it.
    pub can_steer: bool,
}

impl From<TaskView> for Task {
    fn from(v: TaskView) -> Self {
        let t = v.task;
        let today = karuna_thai::calendar::bangkok_date(chrono::Utc::now());
        let active = TaskStatus::from_code(&t.status).is_some_and(|s| s.is_active());
        Task {
            id: t.id,
            case_id: t.case_id,
            case_number: t.case_number,
            title: t.title,
            details: t.details,
            assignee_id: t.assignee_id,
            assignee_name: t.assignee_name,
            outside_name: t.outside_name,
            outside_organisation: t.outside_organisation,
            overdue: active && t.due_date < today,
            due_date: t.due_date,
            priority: t.priority,
            status: t.status,
            status_reason: t.status_reason,
            goal_id: t.goal_id,
            intervention_id: t.intervention_id,
            created_by: t.created_by,
            created_by_name: t.created_by_name,
            created_at: t.created_at,
            closed_at: t.closed_at,
            version: t.version,
            can_progress: v.can_progress,
            can_steer: v.can_steer,
        }
    }
}

/// One step of a task's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskStep {
    /// `created`, `started`, `done`, `cancelled`, `reopened`, `reassigned` or `rescheduled`.
    pub kind: String,
    /// Why, or the note.
    pub reason: Option<String>,
    /// Who (name).
    pub actor: String,
    /// When.
    pub at: chrono::DateTime<chrono::Utc>,
}

impl From<TaskEvent> for TaskStep {
    fn from(e: TaskEvent) -> Self {
        TaskStep {
            kind: e.kind,
            reason: e.reason,
            actor: e.actor,
            at: e.at,
        }
    }
}

/// A task with its history.
#[derive(Debug, Serialize, ToSchema)]
pub struct TaskDetail {
    /// The task.
    #[serde(flatten)]
    pub task: Task,
    /// Its history, oldest first.
    pub history: Vec<TaskStep>,
}

/// `GET /api/v1/cases/{id}/tasks`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/tasks", operation_id = "listCaseTasks", tag = "tasks", params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<Task>, description = "still to be done first, overdue first")))]
pub async fn case_tasks(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<Task>>, WebError> {
    let id = parse_id(&u, &id)?;
    let board = state
        .app
        .case_tasks(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(board.tasks.into_iter().map(Task::from).collect()))
}

/// `POST /api/v1/cases/{id}/tasks`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/tasks", operation_id = "createCaseTask", tag = "tasks", params(("id" = String, Path, description = "case id")),
    request_body = TaskInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 422, description = "invalid input; `errors` lists every field at fault (e.g. `assignee_id`: `task.assignee_cannot_open` when the colleague may not open the case, `task.assignee_inactive` for a deactivated account)", content_type = "application/problem+json")))]
pub async fn add(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<TaskInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Edit, "task.create").await?;
    let ApiJson(t) = body?;
    let tid = state
        .app
        .add_task(&u.user, &u.ctx, id, &t)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: tid })))
}

/// `GET /api/v1/tasks/{id}`.
#[utoipa::path(get, path = "/api/v1/tasks/{id}", operation_id = "getTask", tag = "tasks", params(("id" = String, Path, description = "task id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = TaskDetail)))]
pub async fn get_task(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<TaskDetail>, WebError> {
    let id = parse_id(&u, &id)?;
    let (view, events) = state
        .app
        .task(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(TaskDetail {
        task: Task::from(view),
        history: events.into_iter().map(TaskStep::from).collect(),
    }))
}

/// `POST /api/v1/tasks/{id}`: start, finish, cancel, reopen, reassign or reschedule.
#[utoipa::path(post, path = "/api/v1/tasks/{id}", operation_id = "changeTask", tag = "tasks", params(("id" = String, Path, description = "task id")),
    request_body = TaskUpdate, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 403, description = "the caller may not open the case, or may not make this change (only the assignee, the one who assigned it, or whoever steers the case starts, finishes or reopens a task; only the latter two cancel, reassign or reschedule it)", content_type = "application/problem+json"),
        (status = 409, description = "stale version", content_type = "application/problem+json")))]
pub async fn change(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<TaskUpdate>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    let case = state.app.task_case(id).await.map_err(|e| u.err(e))?;
    guard(&state, &u, case, CaseAccess::Edit, "task.update").await?;
    let ApiJson(t) = body?;
    let version = state
        .app
        .change_task(&u.user, &u.ctx, id, &t)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// Whose tasks.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Whose {
    /// Assigned to me, or to an outside person on a case I manage.
    #[default]
    Mine,
    /// My unit's (supervisors).
    Unit,
}

/// Which tasks.
#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Which {
    /// Open or in progress.
    #[default]
    Active,
    /// Done.
    Done,
    /// Cancelled.
    Cancelled,
    /// Every status.
    All,
}

/// Filters of `GET /api/v1/tasks`.
#[derive(Debug, Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default)]
pub struct TaskQuery {
    /// `mine` (default) or `unit` (a supervisor's unit).
    #[param(inline)]
    pub list: Whose,
    /// `active` (default), `done`, `cancelled` or `all`.
    #[param(inline)]
    pub status: Which,
}

/// `GET /api/v1/tasks`: my tasks (or my unit's), overdue first; at most 500.
#[utoipa::path(get, path = "/api/v1/tasks", operation_id = "listTasks", tag = "tasks", params(TaskQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Vec<Task>),
        (status = 403, description = "a role without cases, or `list=unit` by anyone but a supervisor of a unit", content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
    Query(q): Query<TaskQuery>,
) -> Result<Json<Vec<Task>>, WebError> {
    let list = match q.list {
        Whose::Mine => TaskList::Mine,
        Whose::Unit => TaskList::Unit,
    };
    let statuses = match q.status {
        Which::Active => Vec::new(),
        Which::Done => vec![TaskStatus::Done],
        Which::Cancelled => vec![TaskStatus::Cancelled],
        Which::All => TaskStatus::ALL.to_vec(),
    };
    let rows = state
        .app
        .tasks(&u.user, &u.ctx, list, &statuses)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(rows.into_iter().map(Task::from).collect()))
}
