//! Tasks in the browser: the case's tasks tab (assign a task, and the cards of its tasks with
//! their actions), "my tasks" and a supervisor's unit's tasks (`/tasks`), and the one form
//! handler every card posts to (`POST /tasks/{id}`), which returns to the page it came from.

use super::case_header::CaseHeader;
use super::cases::{choices, label};
use super::intake::Pairs;
use super::plan::case_id;
use super::table_export::{Cell, Download, Table};
use super::users::Choice;
use super::{refusal, render, Chrome, ErrorLink, FormState, SavedQuery};
use crate::auth::{PageUser, WebForm};
use crate::error::{Surface, WebError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::case::CaseAccess;
use karuna_app::task::{TaskList, TaskUpdate, TaskView};
use karuna_app::AppError;
use karuna_domain::access::Role;
use karuna_domain::task::{Priority, TaskInput, TaskStatus};
use karuna_store::task::TaskEvent;
use serde::Deserialize;
use uuid::Uuid;

/// One task as its card shows it.
pub struct TaskCard {
    id: Uuid,
    case_id: Uuid,
    case_number: String,
    title: String,
    details: Option<String>,
    who: String,
    outside: bool,
    due: String,
    overdue: bool,
    priority_code: String,
    priority: String,
    status_code: String,
    status: String,
    reason: Option<String>,
    assigned_by: String,
    serves: Option<String>,
    version: i64,
    active: bool,
    can_progress: bool,
    can_steer: bool,
    history: Vec<String>,
    /// The message of a change to this task that failed.
    error: Option<String>,
}

fn card(
    u: &PageUser,
    v: TaskView,
    events: &[TaskEvent],
    serves: Option<String>,
    today: chrono::NaiveDate,
) -> TaskCard {
    let t = v.task;
    let active = TaskStatus::from_code(&t.status).is_some_and(|s| s.is_active());
    let who = match (&t.assignee_name, &t.outside_name) {
        (Some(name), _) => name.clone(),
        (None, Some(name)) => match t.outside_organisation.as_deref() {
            Some(org) => format!("{name} ({org})"),
            None => name.clone(),
        },
        (None, None) => String::new(),
    };
    TaskCard {
        id: t.id,
        case_id: t.case_id,
        case_number: t.case_number,
        title: t.title,
        details: t.details,
        outside: t.assignee_id.is_none(),
        who,
        due: u.tr.date(&t.due_date),
        overdue: active && t.due_date < today,
        priority: label(u, "task-priority", &t.priority),
        priority_code: t.priority,
        status: label(u, "task-status", &t.status),
        status_code: t.status,
        reason: t.status_reason,
        assigned_by: t.created_by_name,
        serves,
        version: t.version,
        active,
        can_progress: v.can_progress,
        can_steer: v.can_steer,
        history: events
            .iter()
            .filter(|e| e.task_id == t.id)
            .map(|e| {
                let what = label(u, "task-event", &e.kind);
                match &e.reason {
                    Some(r) => format!("{} · {what} · {} · {r}", u.tr.datetime(&e.at), e.actor),
                    None => format!("{} · {what} · {}", u.tr.datetime(&e.at), e.actor),
                }
            })
            .collect(),
        error: None,
    }
}

fn priorities(u: &PageUser) -> Vec<Choice> {
    let codes: Vec<&str> = Priority::ALL.iter().rev().map(|p| p.code()).collect();
    choices(u, "task-priority", &codes)
}

#[derive(Template)]
#[template(path = "case_tasks.html")]
struct CaseTasksPage {
    c: Chrome,
    id: Uuid,
    head: CaseHeader,
    number: String,
    tasks: Vec<TaskCard>,
    assignees: Vec<Choice>,
    goals: Vec<Choice>,
    interventions: Vec<Choice>,
    priorities: Vec<Choice>,
    form: FormState,
    summary: Vec<ErrorLink>,
    flash: Option<String>,
    back: String,
    /// Cards name their case (false: the page is the case's).
    show_case: bool,
}

/// The fields of the task form: name and label key (their element ids are `task-<name>`).
const FIELDS: [(&str, &str); 9] = [
    ("title", "task-title"),
    ("details", "task-details"),
    ("assignee_id", "task-assignee"),
    ("outside_name", "task-outside-name"),
    ("outside_organisation", "task-outside-organisation"),
    ("due", "task-due"),
    ("priority", "task-priority"),
    ("goal_id", "task-goal"),
    ("intervention_id", "task-intervention"),
];

async fn case_page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    flash: Option<String>,
    form: FormState,
    failed_change: Option<(Uuid, String)>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let app = &state.app;
    let view = app
        .open_case(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let board = app
        .case_tasks(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let today = karuna_thai::calendar::bangkok_date(chrono::Utc::now());
    let serves = |t: &karuna_store::task::TaskRow| {
        let goal = t
            .goal_id
            .and_then(|g| board.goals.iter().find(|x| x.id == g))
            .map(|g| g.text.clone());
        let intervention = t
            .intervention_id
            .and_then(|i| board.interventions.iter().find(|x| x.id == i))
            .map(|i| format!("{} ({})", label(u, "method", &i.code), i.text));
        intervention.or(goal)
    };
    let mut tasks: Vec<TaskCard> = board
        .tasks
        .iter()
        .cloned()
        .map(|v| {
            let s = serves(&v.task);
            card(u, v, &board.events, s, today)
        })
        .collect();
    if let Some((tid, msg)) = failed_change {
        if let Some(t) = tasks.iter_mut().find(|t| t.id == tid) {
            t.error = Some(msg);
        }
    }
    let mut assignees = vec![Choice {
        value: view.case.manager_id.to_string(),
        label: format!("{} · {}", view.manager_name, u.tr.get("case-manager")),
    }];
    for m in &view.team {
        if m.account_id != view.case.manager_id {
            assignees.push(Choice {
                value: m.account_id.to_string(),
                label: m.display_name.clone(),
            });
        }
    }
    let summary = form.summary(|name| {
        FIELDS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, key)| (format!("task-{}", n.replace('_', "-")), u.tr.get(key)))
    });
    let page = CaseTasksPage {
        c: Chrome::for_user(u, &format!("/cases/{id}/tasks")),
        id,
        head: CaseHeader::new(u, &view, "tasks"),
        number: view.case.number.clone(),
        tasks,
        assignees,
        goals: board
            .goals
            .iter()
            .map(|g| Choice {
                value: g.id.to_string(),
                label: g.text.clone(),
            })
            .collect(),
        interventions: board
            .interventions
            .iter()
            .map(|i| Choice {
                value: i.id.to_string(),
                label: format!("{} ({})", label(u, "method", &i.code), i.text),
            })
            .collect(),
        priorities: priorities(u),
        form,
        summary,
        flash,
        back: format!("/cases/{id}/tasks"),
        show_case: false,
    };
    Ok(render(status, &page))
}

/// `GET /cases/{id}/tasks`.
pub async fn case_tasks(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let flash = q.saved.map(|_| u.tr.get("task-saved"));
    let form = FormState::with(&[("priority", "normal".into())]);
    case_page(&state, &u, id, flash, form, None, StatusCode::OK).await
}

/// `POST /cases/{id}/tasks`: assign a task.
pub async fn add(
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
        .check_case(&u.user, &u.ctx, id, CaseAccess::Edit, "task.create")
        .await
        .map_err(|e| u.err(e))?;
    let input = TaskInput {
        title: p.get("title"),
        details: p.get("details"),
        assignee_id: p.get("assignee_id"),
        outside_name: p.get("outside_name"),
        outside_organisation: p.get("outside_organisation"),
        due: p.get("due"),
        priority: p.get("priority"),
        goal_id: p.get("goal_id"),
        intervention_id: p.get("intervention_id"),
    };
    match state.app.add_task(&u.user, &u.ctx, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{id}/tasks?saved=1")).into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let fields = WebError::new(e, Surface::Page, u.tr.clone()).fields();
            let form = FormState::from_pairs(&p.0).errors(fields);
            case_page(
                &state,
                &u,
                id,
                None,
                form,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    c: Chrome,
    /// `mine` or `unit`.
    list: String,
    /// `active`, `done`, `cancelled` or `all`.
    status: String,
    supervisor: bool,
    tasks: Vec<TaskCard>,
    overdue: usize,
    statuses: Vec<Choice>,
    flash: Option<String>,
    back: String,
    /// Cards name their case.
    show_case: bool,
    /// No reassigning from a list (it has no case team to choose from).
    assignees: Vec<Choice>,
}

/// `/tasks` filters: whose (`mine`, `unit`) and which (`active`, `done`, `cancelled`, `all`).
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct TasksQuery {
    list: String,
    status: String,
    saved: Option<String>,
}

impl TasksQuery {
    fn list(&self) -> TaskList {
        if self.list == "unit" {
            TaskList::Unit
        } else {
            TaskList::Mine
        }
    }

    fn statuses(&self) -> Vec<TaskStatus> {
        match self.status.as_str() {
            "done" => vec![TaskStatus::Done],
            "cancelled" => vec![TaskStatus::Cancelled],
            "all" => TaskStatus::ALL.to_vec(),
            _ => Vec::new(),
        }
    }

    fn status_code(&self) -> &str {
        match self.status.as_str() {
            s @ ("done" | "cancelled" | "all") => s,
            _ => "active",
        }
    }

    fn href(&self) -> String {
        let list = if self.list() == TaskList::Unit {
            "unit"
        } else {
            "mine"
        };
        format!("/tasks?list={list}&status={}", self.status_code())
    }
}

async fn list_page(
    state: &AppState,
    u: &PageUser,
    q: &TasksQuery,
    failed_change: Option<(Uuid, String)>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let rows = state
        .app
        .tasks(&u.user, &u.ctx, q.list(), &q.statuses())
        .await
        .map_err(|e| u.err(e))?;
    let today = karuna_thai::calendar::bangkok_date(chrono::Utc::now());
    let mut tasks: Vec<TaskCard> = rows
        .into_iter()
        .map(|v| card(u, v, &[], None, today))
        .collect();
    if let Some((tid, msg)) = failed_change {
        if let Some(t) = tasks.iter_mut().find(|t| t.id == tid) {
            t.error = Some(msg);
        }
    }
    let page = TasksPage {
        c: Chrome::for_user(u, "/tasks"),
        list: if q.list() == TaskList::Unit {
            "unit".into()
        } else {
            "mine".into()
        },
        status: q.status_code().to_string(),
        supervisor: u.user.role() == Role::Supervisor && u.user.actor.unit_id.is_some(),
        overdue: tasks.iter().filter(|t| t.overdue).count(),
        tasks,
        statuses: choices(u, "task-filter", &["active", "done", "cancelled", "all"]),
        flash: q.saved.as_ref().map(|_| u.tr.get("task-saved")),
        back: q.href(),
        show_case: true,
        assignees: Vec::new(),
    };
    Ok(render(status, &page))
}

/// `GET /tasks`: my tasks (overdue first), or my unit's for a supervisor.
pub async fn list(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<TasksQuery>,
) -> Result<Response, WebError> {
    list_page(&state, &u, &q, None, StatusCode::OK).await
}

/// `POST /tasks/{id}`: a change to a task (the button pressed is `action`); back to `back`,
/// the page the card was on.
pub async fn change(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let tid = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let case = state.app.task_case(tid).await.map_err(|e| u.err(e))?;
    state
        .app
        .check_case(&u.user, &u.ctx, case, CaseAccess::Edit, "task.update")
        .await
        .map_err(|e| u.err(e))?;
    let update = TaskUpdate {
        version: p.get("version").trim().parse().unwrap_or(0),
        action: p.get("action"),
        reason: p.get("reason"),
        assignee_id: p.get("assignee_id"),
        outside_name: p.get("outside_name"),
        outside_organisation: p.get("outside_organisation"),
        due: p.get("due"),
    };
    // Back to the case's tasks, or to the list the card was on (its filters kept).
    let back = p.get("back");
    let list = (back == "/tasks" || back.starts_with("/tasks?")).then(|| {
        let query = back.split_once('?').map(|(_, q)| q).unwrap_or("");
        serde_urlencoded::from_str::<TasksQuery>(query).unwrap_or_default()
    });
    match state.app.change_task(&u.user, &u.ctx, tid, &update).await {
        Ok(_) => {
            let to = match &list {
                Some(q) => format!("{}&saved=1#task-{tid}", q.href()),
                None => format!("/cases/{case}/tasks?saved=1#task-{tid}"),
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(e @ (AppError::Invalid(_) | AppError::Conflict)) => {
            let (status, fields) = refusal(&u, e);
            let msg = fields
                .into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join(" · ");
            match list {
                Some(q) => list_page(&state, &u, &q, Some((tid, msg)), status).await,
                None => {
                    let form = FormState::with(&[("priority", "normal".into())]);
                    case_page(&state, &u, case, None, form, Some((tid, msg)), status).await
                }
            }
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `GET /tasks.csv?list=&status=`: the same list, under the same filters, as CSV.
pub async fn export_csv(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<TasksQuery>,
) -> Result<Response, WebError> {
    export(&state, &u, &q, Download::Csv).await
}

/// `GET /tasks.xlsx?list=&status=`: the same as XLSX.
pub async fn export_xlsx(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<TasksQuery>,
) -> Result<Response, WebError> {
    export(&state, &u, &q, Download::Xlsx).await
}

/// The list's tasks as rows: case, task, who, due (and whether overdue), priority, status.
async fn export(
    state: &AppState,
    u: &PageUser,
    q: &TasksQuery,
    kind: Download,
) -> Result<Response, WebError> {
    let rows = state
        .app
        .tasks(&u.user, &u.ctx, q.list(), &q.statuses())
        .await
        .map_err(|e| u.err(e))?;
    let today = karuna_thai::calendar::bangkok_date(chrono::Utc::now());
    let col = |key: &str, width: f64| (u.tr.get(key), width);
    let table = Table {
        file: "karuna-tasks",
        sheet: u.tr.get("task-page-title"),
        head: vec![
            col("task-case", 18.0),
            col("task-title", 40.0),
            col("task-who", 28.0),
            col("task-due", 16.0),
            col("task-overdue", 10.0),
            col("task-priority", 12.0),
            col("task-status", 14.0),
        ],
        rows: rows
            .into_iter()
            .map(|v| {
                let t = card(u, v, &[], None, today);
                vec![
                    Cell::Text(t.case_number),
                    Cell::Text(t.title),
                    Cell::Text(t.who),
                    Cell::Text(t.due),
                    Cell::Text(if t.overdue {
                        u.tr.get("task-overdue")
                    } else {
                        String::new()
                    }),
                    Cell::Text(t.priority),
                    Cell::Text(t.status),
                ]
            })
            .collect(),
    };
    super::table_export::respond(u, &table, kind)
}
