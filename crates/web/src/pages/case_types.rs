//! Case types as configuration (administrators): the list, a new type, changing one.

use super::cases::case_type_label;
use super::{render, Chrome, ErrorLink, FormState};
use crate::auth::{PageUser, WebForm};
use crate::error::{Surface, WebError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::AppError;
use karuna_domain::access::Action;
use karuna_domain::case_type::{
    built_in_template, CaseType, CaseTypeInput, DEFAULT_REVIEW_DAYS, FALLBACK_TEMPLATE,
};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "case_types_list.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    flash: Option<String>,
}

struct Row {
    code: String,
    label: String,
    built_in: bool,
    active: bool,
    review_days: i64,
    plan_approval: bool,
    closure_approval: bool,
}

#[derive(Template)]
#[template(path = "case_type_form.html")]
struct FormPage {
    c: Chrome,
    /// The code being changed; `None` for a new type.
    editing: Option<String>,
    built_in: bool,
    /// The catalogue's labels of a built-in type, shown as the default.
    default_label: String,
    /// Published assessment templates (key, title) a type may start with.
    templates: Vec<(String, String)>,
    /// The first option's text: the template used when none is chosen (the built-in choice,
    /// or the holistic assessment).
    default_template: String,
    form: FormState,
    summary: Vec<ErrorLink>,
}

/// Flash flag.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ListQuery {
    saved: Option<String>,
}

/// `GET /admin/case-types`.
pub async fn list(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<ListQuery>,
) -> Result<Response, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageConfiguration,
            "case_type.list",
            ("case_type", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let types = state
        .app
        .case_types(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let rows = types
        .iter()
        .map(|t| Row {
            code: t.code.clone(),
            label: case_type_label(&u, &types, &t.code),
            built_in: t.built_in,
            active: t.active,
            review_days: t.review_days,
            plan_approval: t.plan_approval,
            closure_approval: t.closure_approval,
        })
        .collect();
    let flash = q.saved.map(|_| u.tr.get("case-types-saved"));
    Ok(render(
        StatusCode::OK,
        &ListPage {
            c: Chrome::for_user(&u, "/admin/case-types"),
            rows,
            flash,
        },
    ))
}

fn flag(on: bool) -> String {
    if on {
        "on".into()
    } else {
        String::new()
    }
}

fn view_state(t: &CaseType) -> FormState {
    FormState::with(&[
        ("code", t.code.clone()),
        ("label_th", t.label_th.clone().unwrap_or_default()),
        ("label_en", t.label_en.clone().unwrap_or_default()),
        ("active", flag(t.active)),
        ("review_days", t.review_days.to_string()),
        ("plan_approval", flag(t.plan_approval)),
        ("closure_approval", flag(t.closure_approval)),
        (
            "assessment_template",
            t.assessment_template.clone().unwrap_or_default(),
        ),
        ("version", t.version.to_string()),
    ])
}

async fn form_page(
    state: &AppState,
    u: &PageUser,
    editing: Option<&CaseType>,
    form: FormState,
    status: StatusCode,
) -> Result<Response, WebError> {
    let built_in = editing.is_some_and(|t| t.built_in);
    let default_label = editing
        .filter(|t| t.built_in)
        .map(|t| super::cases::label(u, "case-type", &t.code))
        .unwrap_or_default();
    let lang = u.tr.lang_code();
    let templates: Vec<(String, String)> = state
        .app
        .case_type_templates(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?
        .into_iter()
        .map(|t| (t.key, t.template.title.get(lang).to_string()))
        .collect();
    let fallback = editing
        .and_then(|t| built_in_template(&t.code))
        .unwrap_or(FALLBACK_TEMPLATE);
    let default_template = templates
        .iter()
        .find(|(k, _)| k == fallback)
        .map(|(_, title)| u.tr.get1("case-types-template-default", "template", title))
        .unwrap_or_default();
    Ok(render(
        status,
        &FormPage {
            c: Chrome::for_user(u, "/admin/case-types"),
            editing: editing.map(|t| t.code.clone()),
            built_in,
            default_label,
            templates,
            default_template,
            summary: form.summary_by_name(
                &u.tr,
                &[
                    ("code", "case-types-col-code"),
                    ("label_th", "case-types-label-th"),
                    ("label_en", "case-types-label-en"),
                    ("review_days", "case-types-col-review-days"),
                    ("assessment_template", "case-types-template"),
                ],
            ),
            form,
        },
    ))
}

/// `GET /admin/case-types/new`.
pub async fn new_form(State(state): State<AppState>, u: PageUser) -> Result<Response, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageConfiguration,
            "case_type.create",
            ("case_type", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let form = FormState::with(&[
        ("active", "on".into()),
        ("review_days", DEFAULT_REVIEW_DAYS.to_string()),
        ("version", "0".into()),
    ]);
    form_page(&state, &u, None, form, StatusCode::OK).await
}

/// The case-type form's fields.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CaseTypeForm {
    csrf: String,
    code: String,
    label_th: String,
    label_en: String,
    active: Option<String>,
    review_days: String,
    plan_approval: Option<String>,
    closure_approval: Option<String>,
    assessment_template: String,
    version: String,
}

impl CaseTypeForm {
    fn input(&self) -> CaseTypeInput {
        CaseTypeInput {
            code: self.code.clone(),
            label_th: self.label_th.clone(),
            label_en: self.label_en.clone(),
            active: self.active.is_some(),
            // Not a number fails the range check with the field named.
            review_days: self.review_days.trim().parse().unwrap_or(0),
            plan_approval: self.plan_approval.is_some(),
            closure_approval: self.closure_approval.is_some(),
            assessment_template: self.assessment_template.clone(),
        }
    }

    fn state(&self) -> FormState {
        FormState::with(&[
            ("code", self.code.clone()),
            ("label_th", self.label_th.clone()),
            ("label_en", self.label_en.clone()),
            ("active", self.active.clone().unwrap_or_default()),
            ("review_days", self.review_days.clone()),
            (
                "plan_approval",
                self.plan_approval.clone().unwrap_or_default(),
            ),
            (
                "closure_approval",
                self.closure_approval.clone().unwrap_or_default(),
            ),
            ("assessment_template", self.assessment_template.clone()),
            ("version", self.version.clone()),
        ])
    }
}

fn invalid(u: &PageUser, e: AppError) -> Vec<(String, String)> {
    WebError::new(e, Surface::Page, u.tr.clone()).fields()
}

/// `POST /admin/case-types`.
pub async fn create(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(f): WebForm<CaseTypeForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    match state
        .app
        .create_case_type(&u.user, &u.ctx, &f.input())
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/case-types?saved=1").into_response()),
        Err(e @ AppError::Invalid(_)) => {
            form_page(
                &state,
                &u,
                None,
                f.state().errors(invalid(&u, e)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `GET /admin/case-types/{code}`.
pub async fn edit(
    State(state): State<AppState>,
    u: PageUser,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageConfiguration,
            "case_type.update",
            ("case_type", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let t = state
        .app
        .case_type(&u.user, &u.ctx, &code)
        .await
        .map_err(|e| u.err(e))?;
    form_page(&state, &u, Some(&t), view_state(&t), StatusCode::OK).await
}

/// `POST /admin/case-types/{code}`: a stale version re-renders the current record with a
/// conflict note.
pub async fn update(
    State(state): State<AppState>,
    u: PageUser,
    Path(code): Path<String>,
    WebForm(f): WebForm<CaseTypeForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    let version = f.version.trim().parse().unwrap_or(-1);
    let result = state
        .app
        .update_case_type(&u.user, &u.ctx, &code, version, &f.input())
        .await;
    match result {
        Ok(_) => Ok(Redirect::to("/admin/case-types?saved=1").into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let t = state
                .app
                .case_type(&u.user, &u.ctx, &code)
                .await
                .map_err(|e| u.err(e))?;
            form_page(
                &state,
                &u,
                Some(&t),
                f.state().errors(invalid(&u, e)),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(AppError::Conflict) => {
            let t = state
                .app
                .case_type(&u.user, &u.ctx, &code)
                .await
                .map_err(|e| u.err(e))?;
            let form =
                view_state(&t).errors(vec![("form".into(), u.tr.get("problem-conflict-detail"))]);
            form_page(&state, &u, Some(&t), form, StatusCode::CONFLICT).await
        }
        Err(e) => Err(u.err(e)),
    }
}
