//! Advocacy reports in the browser: the list with the form that starts one
//! (`/reports/advocacy`), one report (`/reports/advocacy/{id}`: the draft's editor with its
//! pre-filled figures and the examples offered from the writer's cases, or the report as it
//! stands, with the steps of its review and its version history), one past version, and the
//! PDF (`pages::advocacy_pdf`). The labels of codes and the sentences of examples are
//! composed here, in the reader's language.

use super::cases::label;
pub(crate) use super::dashboard::period_name;
use super::intake::Pairs;
use super::users::Choice;
use super::{refusal, render, Chrome, ErrorLink, FormState, SavedQuery};
use crate::api::extract::Path;
use crate::auth::{PageUser, WebForm};
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::advocacy::{AdvocacyReport, ExampleOffer};
use karuna_app::AppError;
use karuna_domain::access::Role;
use karuna_domain::advocacy::{
    Content, NewReportInput, ReportEdit, Status, Step, StepInput, AUDIENCES,
};
use karuna_domain::case_type::CaseType;
use karuna_domain::report::period::Period;
use karuna_thai::calendar;
use uuid::Uuid;

/// A finding as shown: its heading, its rows (label, figure, extra) and whether it is shown.
pub(crate) struct FindingView {
    pub key: String,
    pub title: String,
    pub column: String,
    pub extra_column: Option<String>,
    pub included: bool,
    pub rows: Vec<(String, String, String)>,
}

/// A report's content as shown.
pub(crate) struct ContentView {
    pub narrative: String,
    pub problems: String,
    pub solutions: String,
    pub findings: Vec<FindingView>,
    pub examples: Vec<String>,
}

struct ListLine {
    id: Uuid,
    title: String,
    kind: String,
    audience: String,
    period: String,
    status: String,
    status_code: String,
    updated: String,
}

/// A select of the form that starts a report.
struct Select {
    name: &'static str,
    label: String,
    /// The empty choice's label, when there is one.
    blank: Option<String>,
    choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "advocacy_list.html")]
struct ListPage {
    c: Chrome,
    lines: Vec<ListLine>,
    selects: Vec<Select>,
    form: FormState,
    summary: Vec<ErrorLink>,
}

struct VersionLine {
    version: i64,
    change: String,
    reason: String,
    by: String,
    at: String,
}

#[derive(Template)]
#[template(path = "advocacy_report.html")]
struct ReportPage {
    c: Chrome,
    id: Uuid,
    title: String,
    kind: String,
    audience: String,
    period: String,
    scope: String,
    status: String,
    status_code: String,
    created: String,
    approved: Option<String>,
    version: i64,
    draft: bool,
    may_review: bool,
    content: ContentView,
    audiences: Vec<Choice>,
    /// The examples being edited, each with its error.
    example_fields: Vec<(String, Option<String>)>,
    offers: Vec<String>,
    versions: Vec<VersionLine>,
    form: FormState,
    summary: Vec<ErrorLink>,
    flash: Option<String>,
}

#[derive(Template)]
#[template(path = "advocacy_version.html")]
struct VersionPage {
    c: Chrome,
    id: Uuid,
    heading: String,
    title: String,
    change: String,
    content: ContentView,
}

/// The report's content in the reader's language.
pub(crate) fn content_view(t: &crate::i18n::Tr, c: &Content) -> ContentView {
    let findings = c
        .findings
        .iter()
        .map(|f| {
            let rows = f
                .rows
                .iter()
                .map(|r| {
                    let what = if f.key == "goals_without_service" {
                        t.code("dimension", &r.label)
                    } else {
                        r.label.clone()
                    };
                    let figure = if f.key == "budget_strain" {
                        format!("{}%", r.figure.text())
                    } else {
                        r.figure.text()
                    };
                    let extra = match (f.key.as_str(), r.extra) {
                        ("waiting", Some(d)) => t.get1("dash-days", "n", &d.to_string()),
                        ("waiting", None) => t.get("dash-too-few"),
                        _ => String::new(),
                    };
                    (what, figure, extra)
                })
                .collect();
            FindingView {
                key: f.key.clone(),
                title: t.code("advocacy-finding", &f.key),
                column: t.code("advocacy-column", &f.key),
                extra_column: (f.key == "waiting").then(|| t.get("advocacy-column-median-wait")),
                included: f.included,
                rows,
            }
        })
        .collect();
    ContentView {
        narrative: c.narrative.clone(),
        problems: c.problems.clone(),
        solutions: c.solutions.clone(),
        findings,
        examples: c.examples.clone(),
    }
}

/// An example offered, as a sentence the writer can take and edit.
fn example_sentence(u: &PageUser, types: &[CaseType], x: &ExampleOffer) -> String {
    let age = match (x.age_from, x.age_to) {
        (Some(0), Some(hi)) => u.tr.get1("advocacy-age-under", "n", &(hi + 1).to_string()),
        (Some(lo), Some(hi)) => u.tr.args(
            "advocacy-age-band",
            &[("from", lo.to_string()), ("to", hi.to_string())],
        ),
        (Some(lo), None) => u.tr.get1("advocacy-age-over", "n", &lo.to_string()),
        _ => u.tr.get("advocacy-age-unknown"),
    };
    let case_type = x
        .case_type
        .as_deref()
        .map(|c| super::cases::case_type_label(u, types, c))
        .unwrap_or_default();
    let service = match &x.service {
        Some(s) => format!("{} — {s}", x.provider),
        None => x.provider.clone(),
    };
    u.tr.args(
        &format!("advocacy-example-{}", x.kind.replace('_', "-")),
        &[
            ("sex", label(u, "sex", &x.sex)),
            ("age", age),
            ("type", case_type),
            ("service", service),
            ("days", x.days.map(|d| d.to_string()).unwrap_or_default()),
        ],
    )
}

fn audience_choices(u: &PageUser) -> Vec<Choice> {
    AUDIENCES
        .iter()
        .map(|a| Choice {
            value: a.to_string(),
            label: label(u, "advocacy-audience", a),
        })
        .collect()
}

async fn unit_choices(state: &AppState, u: &PageUser) -> Result<Vec<Choice>, WebError> {
    Ok(state
        .app
        .units(&u.user)
        .await
        .map_err(|e| u.err(e))?
        .into_iter()
        .map(|x| Choice {
            value: x.id.to_string(),
            label: x.name,
        })
        .collect())
}

async fn list_page(
    state: &AppState,
    u: &PageUser,
    form: FormState,
    status: StatusCode,
) -> Result<Response, WebError> {
    let reports = state
        .app
        .advocacy_reports(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let lines = reports
        .into_iter()
        .map(|r| ListLine {
            id: r.row.id,
            kind: label(u, "advocacy-kind", &r.row.kind),
            audience: label(u, "advocacy-audience", &r.row.audience),
            period: r
                .period
                .map(|p| period_name(&u.tr, p))
                .unwrap_or_else(|| r.row.period.clone()),
            status: label(u, "advocacy-status", &r.row.status),
            status_code: r.row.status.clone(),
            updated: u.tr.date(&calendar::bangkok_date(r.row.updated_at)),
            title: r.row.title,
        })
        .collect();
    let today = calendar::bangkok_date(karuna_store::time::now());
    let summary = form.summary_by_name(
        &u.tr,
        &[
            ("kind", "advocacy-kind"),
            ("title", "advocacy-field-title"),
            ("audience", "advocacy-audience"),
            ("period", "dash-period"),
            ("unit", "dash-unit"),
            ("province", "dash-province"),
        ],
    );
    let select = |name, key: &str, blank: Option<&str>, choices| Select {
        name,
        label: u.tr.get(key),
        blank: blank.map(|b| u.tr.get(b)),
        choices,
    };
    let selects = vec![
        select(
            "kind",
            "advocacy-kind",
            None,
            karuna_domain::advocacy::Kind::ALL
                .iter()
                .map(|k| Choice {
                    value: k.code().to_string(),
                    label: label(u, "advocacy-kind", k.code()),
                })
                .collect(),
        ),
        select(
            "audience",
            "advocacy-audience",
            Some("task-choose"),
            audience_choices(u),
        ),
        select(
            "period",
            "dash-period",
            None,
            Period::choices(today)
                .into_iter()
                .map(|p| Choice {
                    value: p.code(),
                    label: period_name(&u.tr, p),
                })
                .collect(),
        ),
        select(
            "unit",
            "dash-unit",
            Some("dash-all-units"),
            unit_choices(state, u).await?,
        ),
        select(
            "province",
            "dash-province",
            Some("dash-all-provinces"),
            super::resources::province_choices(u),
        ),
    ];
    let page = ListPage {
        c: Chrome::for_user(u, "/reports/advocacy"),
        lines,
        selects,
        form,
        summary,
    };
    Ok(render(status, &page))
}

/// `GET /reports/advocacy`.
pub async fn list(State(state): State<AppState>, u: PageUser) -> Result<Response, WebError> {
    list_page(&state, &u, FormState::with(&[]), StatusCode::OK).await
}

/// `POST /reports/advocacy`: starts a report.
pub async fn create(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = NewReportInput {
        kind: p.get("kind"),
        title: p.get("title"),
        audience: p.get("audience"),
        period: p.get("period"),
        unit: p.get("unit"),
        province: p.get("province"),
    };
    match state
        .app
        .create_advocacy_report(&u.user, &u.ctx, &input)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/reports/advocacy/{id}")).into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let (status, fields) = refusal(&u, e);
            list_page(
                &state,
                &u,
                FormState::from_pairs(&p.0).errors(fields),
                status,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}

fn report_id(u: &PageUser, id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| u.err(AppError::NotFound))
}

/// Where a report's figures come from, in words.
pub(crate) fn scope_name(t: &crate::i18n::Tr, r: &AdvocacyReport) -> String {
    let mut parts = vec![r
        .row
        .unit_name
        .clone()
        .unwrap_or_else(|| t.get("dash-all-units"))];
    if let Some(p) = r
        .row
        .province_code
        .as_deref()
        .and_then(karuna_thai::address::province)
    {
        parts.push(match t.lang {
            karuna_thai::lang::Lang::Th => p.name_th.to_string(),
            karuna_thai::lang::Lang::En => p.name_en.to_string(),
        });
    }
    parts.join(" · ")
}

/// The form's values for a draft as stored.
fn draft_form(r: &AdvocacyReport) -> FormState {
    let mut pairs = vec![
        ("title".to_string(), r.row.title.clone()),
        ("audience".to_string(), r.row.audience.clone()),
        ("narrative".to_string(), r.content.narrative.clone()),
        ("problems".to_string(), r.content.problems.clone()),
        ("solutions".to_string(), r.content.solutions.clone()),
    ];
    for f in r.content.findings.iter().filter(|f| f.included) {
        pairs.push(("findings".into(), f.key.clone()));
    }
    FormState::from_pairs(&pairs)
}

async fn report_page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    form: Option<FormState>,
    examples: Option<Vec<String>>,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let r = state
        .app
        .advocacy_report(&u.user, &u.ctx, id, "advocacy.view")
        .await
        .map_err(|e| u.err(e))?;
    let draft = r.status == Status::Draft;
    let offers = if draft {
        let types = state
            .app
            .case_types(&u.user, &u.ctx)
            .await
            .map_err(|e| u.err(e))?;
        state
            .app
            .advocacy_examples(&u.user, &u.ctx, id)
            .await
            .map_err(|e| u.err(e))?
            .iter()
            .map(|x| example_sentence(u, &types, x))
            .collect()
    } else {
        Vec::new()
    };
    let versions = state
        .app
        .advocacy_versions(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?
        .into_iter()
        .map(|v| VersionLine {
            version: v.row.version,
            change: label(u, "advocacy-change", &v.row.change),
            reason: v.row.reason.unwrap_or_default(),
            by: v.row.changed_by_name,
            at: u.tr.datetime(&v.row.changed_at),
        })
        .collect();
    let mut content = content_view(&u.tr, &r.content);
    if let Some(ex) = examples {
        content.examples = ex;
    }
    let form = form.unwrap_or_else(|| draft_form(&r));
    let summary = form.summary_by_name(
        &u.tr,
        &[
            ("title", "advocacy-field-title"),
            ("audience", "advocacy-audience"),
            ("narrative", "advocacy-narrative"),
            ("problems", "advocacy-problems"),
            ("solutions", "advocacy-solutions"),
            ("reason", "advocacy-reason"),
        ],
    );
    let example_fields = content
        .examples
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let err = form.error(&format!("examples[{i}]")).map(str::to_string);
            (e.clone(), err)
        })
        .collect();
    let may_review = u.user.role() == Role::Supervisor && r.row.created_by != u.user.actor.id;
    let page = ReportPage {
        c: Chrome::for_user(u, "/reports/advocacy"),
        id,
        kind: label(u, "advocacy-kind", &r.row.kind),
        audience: label(u, "advocacy-audience", &r.row.audience),
        period: r
            .period
            .map(|p| period_name(&u.tr, p))
            .unwrap_or_else(|| r.row.period.clone()),
        scope: scope_name(&u.tr, &r),
        status: label(u, "advocacy-status", &r.row.status),
        status_code: r.row.status.clone(),
        created: u.tr.args(
            "advocacy-created-by",
            &[
                ("name", r.row.created_by_name.clone()),
                ("date", u.tr.date(&calendar::bangkok_date(r.row.created_at))),
            ],
        ),
        approved: r.row.approved_at.map(|at| {
            u.tr.args(
                "advocacy-approved-by",
                &[
                    ("name", r.row.approved_by_name.clone().unwrap_or_default()),
                    ("date", u.tr.date(&calendar::bangkok_date(at))),
                ],
            )
        }),
        version: r.row.version,
        draft,
        may_review,
        content,
        audiences: audience_choices(u),
        example_fields,
        offers,
        versions,
        form,
        summary,
        flash,
        title: r.row.title,
    };
    Ok(render(status, &page))
}

/// `GET /reports/advocacy/{id}`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let id = report_id(&u, &id)?;
    let flash = q.saved.map(|s| {
        let done = Step::from_code(&s).map_or("edited", Step::code);
        label(&u, "advocacy-saved", done)
    });
    report_page(&state, &u, id, None, None, flash, StatusCode::OK).await
}

/// `POST /reports/advocacy/{id}`: saves the draft (the offered examples ticked are added).
pub async fn save(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = report_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let all = |name: &str| -> Vec<String> {
        p.0.iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    let mut examples = all("example");
    examples.extend(all("offer"));
    let edit = ReportEdit {
        version: p.get("version").trim().parse().unwrap_or(0),
        title: p.get("title"),
        audience: p.get("audience"),
        narrative: p.get("narrative"),
        problems: p.get("problems"),
        solutions: p.get("solutions"),
        findings: all("findings"),
        examples: examples.clone(),
    };
    match state
        .app
        .edit_advocacy_report(&u.user, &u.ctx, id, &edit)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/reports/advocacy/{id}?saved=edited")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict | AppError::Refused(_))) => {
            let (status, fields) = refusal(&u, e);
            let form = FormState::from_pairs(&p.0).errors(fields);
            report_page(&state, &u, id, Some(form), Some(examples), None, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /reports/advocacy/{id}/step`: submit, approve, return or revise.
pub async fn step(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = report_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = StepInput {
        version: p.get("version").trim().parse().unwrap_or(0),
        step: p.get("step"),
        reason: p.get("reason"),
    };
    match state.app.advocacy_step(&u.user, &u.ctx, id, &input).await {
        Ok(_) => {
            let done = Step::from_code(input.step.trim()).map_or("edited", Step::code);
            Ok(Redirect::to(&format!("/reports/advocacy/{id}?saved={done}")).into_response())
        }
        Err(e @ (AppError::Invalid(_) | AppError::Conflict)) => {
            let (status, fields) = refusal(&u, e);
            let form = FormState::from_pairs(&p.0).errors(fields);
            report_page(&state, &u, id, Some(form), None, None, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `GET /reports/advocacy/{id}/versions/{n}`: one past version, as it read.
pub async fn version(
    State(state): State<AppState>,
    u: PageUser,
    Path((id, n)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = report_id(&u, &id)?;
    let n: i64 = n.parse().map_err(|_| u.err(AppError::NotFound))?;
    let v = state
        .app
        .advocacy_versions(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?
        .into_iter()
        .find(|v| v.row.version == n)
        .ok_or_else(|| u.err(AppError::NotFound))?;
    let page = VersionPage {
        c: Chrome::for_user(&u, "/reports/advocacy"),
        id,
        heading: u.tr.args(
            "advocacy-version-heading",
            &[
                ("n", n.to_string()),
                ("date", u.tr.datetime(&v.row.changed_at)),
                ("name", v.row.changed_by_name.clone()),
            ],
        ),
        change: label(&u, "advocacy-change", &v.row.change),
        content: content_view(&u.tr, &v.content),
        title: v.row.title,
    };
    Ok(render(StatusCode::OK, &page))
}

/// `GET /reports/advocacy/{id}/report.pdf`: the report as it stands, as a PDF.
pub async fn pdf(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = report_id(&u, &id)?;
    let r = state
        .app
        .advocacy_report(&u.user, &u.ctx, id, "advocacy.export")
        .await
        .map_err(|e| u.err(e))?;
    let doc = super::advocacy_pdf::document(&u.tr, &r, &u.user.display_name);
    super::pdf::respond(doc, "karuna-report.pdf", |e| u.err(e)).await
}
