//! Admin pages for assessment templates: the versions, import (with a preview first),
//! a version's preview, publishing, and export as YAML or JSON.

use super::intake::Pairs;
use super::{render, Chrome};
use crate::auth::{PageUser, WebForm};
use crate::error::{Surface, WebError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::AppError;
use karuna_domain::access::Action;
use karuna_domain::assessment::Template as Tpl;
use serde::Deserialize;
use uuid::Uuid;

/// A template's content as the preview shows it.
struct Preview {
    title: String,
    sections: Vec<(String, String, Vec<String>)>,
}

fn preview(u: &PageUser, t: &Tpl) -> Preview {
    let lang = u.tr.lang_code();
    Preview {
        title: t.title.get(lang).to_string(),
        sections: t
            .sections
            .iter()
            .map(|s| {
                let questions = s
                    .questions
                    .iter()
                    .map(|q| {
                        let mut line =
                            format!("{} — {} [{}]", q.id, q.label.get(lang), q.kind.code());
                        if q.required {
                            line.push_str(" *");
                        }
                        if let Some(c) = &q.show_if {
                            line.push_str(&format!(" ⟵ {} ∈ {}", c.question, c.any_of.join(", ")));
                        }
                        line
                    })
                    .collect();
                (s.code.clone(), s.title.get(lang).to_string(), questions)
            })
            .collect(),
    }
}

/// One version in the list.
struct Row {
    id: Uuid,
    key: String,
    title: String,
    version: i64,
    published: bool,
}

#[derive(Template)]
#[template(path = "admin_templates.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    source: String,
    errors: Vec<(String, String)>,
    preview: Option<Preview>,
}

async fn list_page(
    state: &AppState,
    u: &PageUser,
    source: String,
    errors: Vec<(String, String)>,
    preview: Option<Preview>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let rows = state
        .app
        .list_templates(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let lang = u.tr.lang_code();
    let rows = rows
        .into_iter()
        .map(|r| Row {
            id: r.id,
            title: r.template.title.get(lang).to_string(),
            key: r.key,
            version: r.version,
            published: r.status == "published",
        })
        .collect();
    let c = Chrome::for_user(u, "/admin/assessment-templates");
    Ok(render(
        status,
        &ListPage {
            c,
            rows,
            source,
            errors,
            preview,
        },
    ))
}

/// `GET /admin/assessment-templates`.
pub async fn list(State(state): State<AppState>, u: PageUser) -> Result<Response, WebError> {
    list_page(&state, &u, String::new(), Vec::new(), None, StatusCode::OK).await
}

/// `POST /admin/assessment-templates`: `action=preview` shows the parsed template (or every
/// error with its path); `action=import` stores it as the next draft version.
pub async fn import(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageTemplates,
            "assessment_template.import",
            ("assessment_template", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let source = p.get("source");
    let invalid =
        |errors| WebError::new(AppError::Invalid(errors), Surface::Page, u.tr.clone()).fields();
    if p.get("action") == "import" {
        return match state.app.import_template(&u.user, &u.ctx, &source).await {
            Ok(row) => Ok(
                Redirect::to(&format!("/admin/assessment-templates/{}", row.id)).into_response(),
            ),
            Err(AppError::Invalid(e)) => {
                list_page(
                    &state,
                    &u,
                    source,
                    invalid(e),
                    None,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
                .await
            }
            Err(e) => Err(u.err(e)),
        };
    }
    match state.app.preview_template(&u.user, &u.ctx, &source).await {
        Ok(t) => {
            let shown = preview(&u, &t);
            list_page(&state, &u, source, Vec::new(), Some(shown), StatusCode::OK).await
        }
        Err(AppError::Invalid(e)) => {
            list_page(
                &state,
                &u,
                source,
                invalid(e),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}

#[derive(Template)]
#[template(path = "admin_template.html")]
struct VersionPage {
    c: Chrome,
    id: Uuid,
    key: String,
    version: i64,
    published: bool,
    preview: Preview,
}

fn parse(u: &PageUser, id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| u.err(AppError::NotFound))
}

/// `GET /admin/assessment-templates/{id}`: the version's preview, publish and export.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageTemplates,
            "assessment_template.read",
            ("assessment_template", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let id = parse(&u, &id)?;
    let row = state
        .app
        .template_version(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let page = VersionPage {
        c: Chrome::for_user(&u, "/admin/assessment-templates"),
        id,
        preview: preview(&u, &row.template),
        key: row.key,
        version: row.version,
        published: row.status == "published",
    };
    Ok(render(StatusCode::OK, &page))
}

/// `POST /admin/assessment-templates/{id}/publish`.
pub async fn publish(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageTemplates,
            "assessment_template.publish",
            ("assessment_template", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let id = parse(&u, &id)?;
    state
        .app
        .publish_template(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Redirect::to(&format!("/admin/assessment-templates/{id}")).into_response())
}

/// Export format.
#[derive(Debug, Deserialize, Default)]
pub struct ExportQuery {
    /// `json`, else YAML.
    #[serde(default)]
    pub format: String,
}

/// `GET /admin/assessment-templates/{id}/export?format=yaml|json`: the file to download.
pub async fn export(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<ExportQuery>,
) -> Result<Response, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageTemplates,
            "assessment_template.read",
            ("assessment_template", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let id = parse(&u, &id)?;
    let yaml = q.format != "json";
    let (row, text) = state
        .app
        .export_template(&u.user, &u.ctx, id, yaml)
        .await
        .map_err(|e| u.err(e))?;
    let (ext, mime) = if yaml {
        ("yaml", "application/yaml; charset=utf-8")
    } else {
        ("json", "application/json")
    };
    let disposition = format!(
        "attachment; filename=\"{}-v{}.{ext}\"",
        row.key, row.version
    );
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        text,
    )
        .into_response())
}
