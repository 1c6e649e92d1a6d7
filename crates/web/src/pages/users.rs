//! User administration (admins): list, create, change role/unit/status.

use super::{render, Chrome, ErrorLink, FormState};
use crate::auth::{PageUser, WebForm};
use crate::error::{Surface, WebError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::account::{NewUserInput, UpdateUserInput, UserView};
use karuna_app::AppError;
use karuna_domain::access::{Action, Profession, Role};
use serde::Deserialize;
use uuid::Uuid;

/// A choice in a select box.
#[derive(Debug, Clone)]
pub struct Choice {
    /// Submitted value.
    pub value: String,
    /// Shown label.
    pub label: String,
}

#[derive(Template)]
#[template(path = "users_list.html")]
struct ListPage {
    c: Chrome,
    users: Vec<Row>,
    next_after: Option<String>,
    flash: Option<String>,
}

struct Row {
    id: Uuid,
    username: String,
    display_name: String,
    role: String,
    unit: String,
    active: bool,
    locked: bool,
}

#[derive(Template)]
#[template(path = "user_form.html")]
struct FormPage {
    c: Chrome,
    editing: Option<Uuid>,
    form: FormState,
    summary: Vec<ErrorLink>,
    roles: Vec<Choice>,
    professions: Vec<Choice>,
    units: Vec<Choice>,
    generated_password: Option<String>,
    /// Editing: the account's two-step verification, set up since (words), if it is.
    mfa_since: Option<String>,
    flash: Option<String>,
}

/// Paging and flash flags.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    after: Option<String>,
    saved: Option<String>,
}

const PAGE: i64 = 50;

fn role_label(u: &PageUser, code: &str) -> String {
    u.tr.get(&format!("role-{}", code.replace('_', "-")))
}

/// `GET /admin/users`.
pub async fn list(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let users = state
        .app
        .list_users(&u.user, &u.ctx, q.after.as_deref(), PAGE + 1)
        .await
        .map_err(|e| u.err(e))?;
    let units = state.app.units(&u.user).await.map_err(|e| u.err(e))?;
    let more = users.len() as i64 > PAGE;
    let rows: Vec<Row> = users
        .iter()
        .take(PAGE as usize)
        .map(|x| Row {
            id: x.id,
            username: x.username.clone(),
            display_name: x.display_name.clone(),
            role: role_label(&u, &x.role),
            unit: x
                .unit_id
                .and_then(|id| units.iter().find(|n| n.id == id))
                .map(|n| n.name.clone())
                .unwrap_or_default(),
            active: x.active,
            locked: x.locked_until.is_some_and(|t| t > chrono::Utc::now()),
        })
        .collect();
    let next_after = if more {
        rows.last().map(|r| r.username.clone())
    } else {
        None
    };
    let flash = q.saved.map(|_| u.tr.get("users-saved"));
    Ok(render(
        StatusCode::OK,
        &ListPage {
            c: Chrome::for_user(&u, "/admin/users"),
            users: rows,
            next_after,
            flash,
        },
    ))
}

async fn form_page(
    state: &AppState,
    u: &PageUser,
    editing: Option<Uuid>,
    form: FormState,
    (generated, flash): (Option<String>, Option<String>),
    status: StatusCode,
) -> Result<Response, WebError> {
    let units = state.app.units(&u.user).await.map_err(|e| u.err(e))?;
    let page = FormPage {
        c: Chrome::for_user(
            u,
            &match editing {
                Some(id) => format!("/admin/users/{id}"),
                None => "/admin/users/new".to_string(),
            },
        ),
        editing,
        summary: form.summary_by_name(
            &u.tr,
            &[
                ("username", "users-col-username"),
                ("display_name", "users-col-name"),
                ("role", "users-col-role"),
                ("profession", "users-profession"),
                ("unit_id", "users-col-unit"),
                ("password", "users-initial-password"),
            ],
        ),
        form,
        roles: Role::ALL
            .iter()
            .map(|r| Choice {
                value: r.code().into(),
                label: role_label(u, r.code()),
            })
            .collect(),
        professions: Profession::ALL
            .iter()
            .map(|p| Choice {
                value: p.code().into(),
                label: u
                    .tr
                    .get(&format!("profession-{}", p.code().replace('_', "-"))),
            })
            .collect(),
        units: units
            .into_iter()
            .map(|x| Choice {
                value: x.id.to_string(),
                label: x.name,
            })
            .collect(),
        generated_password: generated,
        mfa_since: match editing {
            Some(id) => state
                .app
                .user_mfa_enrolled(&u.user, id)
                .await
                .map_err(|e| u.err(e))?
                .map(|t| u.tr.datetime(&t)),
            None => None,
        },
        flash,
    };
    Ok(render(status, &page))
}

/// `GET /admin/users/new`.
pub async fn new_form(State(state): State<AppState>, u: PageUser) -> Result<Response, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageAccounts,
            "account.create",
            ("account", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    form_page(
        &state,
        &u,
        None,
        FormState::with(&[("role", "case_manager".into()), ("active", "on".into())]),
        (None, None),
        StatusCode::OK,
    )
    .await
}

/// The account form's fields.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct UserForm {
    csrf: String,
    username: String,
    display_name: String,
    role: String,
    profession: String,
    unit_id: String,
    password: String,
    active: Option<String>,
    resource_editor: Option<String>,
    version: String,
}

impl UserForm {
    fn state(&self) -> FormState {
        FormState::with(&[
            ("username", self.username.clone()),
            ("display_name", self.display_name.clone()),
            ("role", self.role.clone()),
            ("profession", self.profession.clone()),
            ("unit_id", self.unit_id.clone()),
            ("active", self.active.clone().unwrap_or_default()),
            (
                "resource_editor",
                self.resource_editor.clone().unwrap_or_default(),
            ),
            ("version", self.version.clone()),
        ])
    }
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

/// `POST /admin/users`.
pub async fn create(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(f): WebForm<UserForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    let input = NewUserInput {
        username: f.username.clone(),
        display_name: f.display_name.clone(),
        role: f.role.clone(),
        profession: opt(&f.profession),
        unit_id: opt(&f.unit_id),
        password: opt(&f.password),
    };
    match state.app.create_user(&u.user, &u.ctx, input).await {
        Ok(created) => match created.generated_password {
            Some(p) => {
                let form = FormState::with(&[("username", created.user.username.clone())]);
                form_page(
                    &state,
                    &u,
                    Some(created.user.id),
                    form,
                    (Some(p), None),
                    StatusCode::CREATED,
                )
                .await
            }
            None => Ok(Redirect::to("/admin/users?saved=1").into_response()),
        },
        Err(AppError::Invalid(errors)) => {
            let fields =
                WebError::new(AppError::Invalid(errors), Surface::Page, u.tr.clone()).fields();
            form_page(
                &state,
                &u,
                None,
                f.state().errors(fields),
                (None, None),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}

fn parse_id(u: &PageUser, id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| u.err(AppError::NotFound))
}

fn view_state(x: &UserView) -> FormState {
    FormState::with(&[
        ("username", x.username.clone()),
        ("display_name", x.display_name.clone()),
        ("role", x.role.clone()),
        ("profession", x.profession.clone().unwrap_or_default()),
        (
            "unit_id",
            x.unit_id.map(|i| i.to_string()).unwrap_or_default(),
        ),
        ("active", if x.active { "on".into() } else { String::new() }),
        (
            "resource_editor",
            if x.resource_editor {
                "on".into()
            } else {
                String::new()
            },
        ),
        ("version", x.version.to_string()),
    ])
}

/// `GET /admin/users/{id}` (`?saved=mfa-reset` after a reset of the account's second factor).
pub async fn edit(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    let id = parse_id(&u, &id)?;
    let x = state
        .app
        .get_user(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let flash = (q.saved.as_deref() == Some("mfa-reset")).then(|| u.tr.get("mfa-reset-done"));
    form_page(
        &state,
        &u,
        Some(id),
        view_state(&x),
        (None, flash),
        StatusCode::OK,
    )
    .await
}

/// `POST /admin/users/{id}`: a stale version re-renders the current record with a conflict note.
pub async fn update(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(f): WebForm<UserForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    let id = parse_id(&u, &id)?;
    let input = UpdateUserInput {
        version: f.version.trim().parse().unwrap_or(-1),
        display_name: f.display_name.clone(),
        role: f.role.clone(),
        profession: opt(&f.profession),
        unit_id: opt(&f.unit_id),
        active: f.active.is_some(),
        resource_editor: Some(f.resource_editor.is_some()),
    };
    match state.app.update_user(&u.user, &u.ctx, id, input).await {
        Ok(_) => Ok(Redirect::to("/admin/users?saved=1").into_response()),
        Err(AppError::Invalid(errors)) => {
            let fields =
                WebError::new(AppError::Invalid(errors), Surface::Page, u.tr.clone()).fields();
            form_page(
                &state,
                &u,
                Some(id),
                f.state().errors(fields),
                (None, None),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Conflict) => {
            let current = state
                .app
                .get_user(&u.user, &u.ctx, id)
                .await
                .map_err(|e| u.err(e))?;
            let form = view_state(&current)
                .errors(vec![("form".into(), u.tr.get("problem-conflict-detail"))]);
            form_page(
                &state,
                &u,
                Some(id),
                form,
                (None, None),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}
