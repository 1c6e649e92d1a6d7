//! The assessments of a case: the list with a start form, the form grouped by domain (show-if
//! works without JavaScript: saving re-renders with the questions the answers call for) and the
//! completed view. The comparison is in `assessment_compare`.

use super::attachments::FileBox;
use super::case_header::CaseHeader;
use super::intake::Pairs;
use super::{render, Chrome, ErrorLink, FormState};
use crate::auth::{PageUser, WebForm};
use crate::error::{Surface, WebError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::assessment::{AssessmentInput, AssessmentView};
use karuna_app::case::{CaseAccess, CaseView};
use karuna_app::AppError;
use karuna_domain::assessment::{
    is_shown, Answers, DomainNotes, Kind, Question, Template as Tpl, SOURCES,
};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use uuid::Uuid;

fn parse(u: &PageUser, id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| u.err(AppError::NotFound))
}

fn status_label(c: &Chrome, status: &str) -> String {
    if status == "completed" {
        c.get("assessment-status-completed")
    } else {
        c.get("assessment-status-draft")
    }
}

/// One row of the list.
struct Row {
    id: Uuid,
    title: String,
    version: i64,
    status: String,
    started: String,
    completed: String,
    total: String,
}

#[derive(Template)]
#[template(path = "assessments_list.html")]
struct ListPage {
    c: Chrome,
    head: CaseHeader,
    case_id: Uuid,
    rows: Vec<Row>,
    templates: Vec<(String, String)>,
    /// The template the start form selects: the case type's.
    default_template: String,
    compare: Vec<(String, String)>,
}

/// `GET /cases/{id}/assessments`.
pub async fn list(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse(&u, &id)?;
    let case = state
        .app
        .open_case(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let rows = state
        .app
        .case_assessments(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let available = state
        .app
        .available_templates(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let default_template = state
        .app
        .case_default_template(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?
        .unwrap_or_default();
    let lang = u.tr.lang_code();
    let title_of = |key: &str| {
        available
            .iter()
            .find(|t| t.key == key)
            .map(|t| t.template.title.get(lang).to_string())
            .unwrap_or_else(|| key.to_string())
    };
    let c = Chrome::for_user(&u, &format!("/cases/{id}/assessments"));
    let mut compare: Vec<(String, String)> = Vec::new();
    for r in rows.iter().filter(|r| r.status == "completed") {
        if !compare.iter().any(|(k, _)| k == &r.template_key) {
            compare.push((r.template_key.clone(), title_of(&r.template_key)));
        }
    }
    let rows = rows
        .iter()
        .map(|r| Row {
            id: r.id,
            title: title_of(&r.template_key),
            version: r.template_version,
            status: status_label(&c, &r.status),
            started: u.tr.datetime(&r.created_at),
            completed: r
                .completed_at
                .map(|t| u.tr.datetime(&t))
                .unwrap_or_default(),
            total: r
                .scores
                .as_ref()
                .map(|s| s.total.to_string())
                .unwrap_or_default(),
        })
        .collect();
    let templates = available
        .iter()
        .map(|t| (t.key.clone(), t.template.title.get(lang).to_string()))
        .collect();
    Ok(render(
        StatusCode::OK,
        &ListPage {
            head: CaseHeader::new(&u, &case, "assessments"),
            c,
            case_id: id,
            rows,
            templates,
            default_template,
            compare,
        },
    ))
}

/// `POST /cases/{id}/assessments`: starts one and opens its form.
pub async fn start(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = parse(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    state
        .app
        .check_case(&u.user, &u.ctx, id, CaseAccess::Edit, "assessment.create")
        .await
        .map_err(|e| u.err(e))?;
    let aid = state
        .app
        .start_assessment(&u.user, &u.ctx, id, &p.get("template_key"))
        .await
        .map_err(|e| u.err(e))?;
    Ok(Redirect::to(&format!("/assessments/{aid}")).into_response())
}

/// A question as the form shows it.
struct QView {
    id: String,
    name: String,
    label: String,
    help: String,
    kind: &'static str,
    required: bool,
    options: Vec<(String, String, bool)>,
    value: String,
    /// The answer as the record shows it (a number grouped: 9,000).
    shown: String,
    min: String,
    max: String,
    error: Option<String>,
}

/// The worker's notes on a domain as the form shows them.
struct NView {
    sources: Vec<(String, String, bool)>,
    fields: Vec<(String, String, String)>,
    error: Option<String>,
}

/// A domain as the form shows it.
struct SView {
    code: String,
    title: String,
    questions: Vec<QView>,
    notes: NView,
    score: String,
}

/// A number as typed back into a form: `9000`, never `9000.0` (answers saved before whole
/// numbers were kept as integers hold floats).
fn plain_number(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(f) if n.as_i64().is_none() && f.fract() == 0.0 && f.abs() < 1e15 => {
            format!("{}", f as i64)
        }
        _ => n.to_string(),
    }
}

fn value_text(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => if *b { "yes" } else { "no" }.to_string(),
        Some(Value::Number(n)) => plain_number(n),
        _ => String::new(),
    }
}

fn question_view(
    u: &PageUser,
    q: &Question,
    answers: &Answers,
    errors: &[(String, String)],
) -> QView {
    let lang = u.tr.lang_code();
    let value = answers.get(&q.id);
    let chosen: Vec<String> = match value {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        other => vec![value_text(other)],
    };
    let options = match q.kind {
        Kind::YesNo => vec![
            ("yes", u.tr.get("assessment-yes")),
            ("no", u.tr.get("assessment-no")),
        ]
        .into_iter()
        .map(|(c, l)| (c.to_string(), l, chosen.iter().any(|x| x == c)))
        .collect(),
        _ => q
            .options
            .iter()
            .map(|o| {
                (
                    o.code.clone(),
                    o.label.get(lang).to_string(),
                    chosen.contains(&o.code),
                )
            })
            .collect(),
    };
    let field = format!("answers.{}", q.id);
    QView {
        id: q.id.clone(),
        name: format!("a.{}", q.id),
        label: q.label.get(lang).to_string(),
        help: q
            .help
            .as_ref()
            .map(|h| h.get(lang).to_string())
            .unwrap_or_default(),
        kind: q.kind.code(),
        required: q.required,
        options,
        value: value_text(value),
        shown: match (q.kind, value) {
            (Kind::Number | Kind::Scale, Some(Value::Number(n))) => {
                karuna_thai::number::group(&plain_number(n))
            }
            _ => value_text(value),
        },
        min: q.min.map(|m| m.to_string()).unwrap_or_default(),
        max: q.max.map(|m| m.to_string()).unwrap_or_default(),
        error: errors
            .iter()
            .find(|(f, _)| f == &field)
            .map(|(_, m)| m.clone()),
    }
}

fn sections(
    u: &PageUser,
    t: &Tpl,
    answers: &Answers,
    notes: &BTreeMap<String, DomainNotes>,
    scores: Option<&karuna_domain::assessment::Scores>,
    errors: &[(String, String)],
) -> Vec<SView> {
    let lang = u.tr.lang_code();
    t.sections
        .iter()
        .map(|s| {
            let n = notes.get(&s.code).cloned().unwrap_or_default();
            let prefix = format!("notes.{}", s.code);
            SView {
                code: s.code.clone(),
                title: s.title.get(lang).to_string(),
                questions: s
                    .questions
                    .iter()
                    .filter(|q| is_shown(t, answers, q))
                    .map(|q| question_view(u, q, answers, errors))
                    .collect(),
                notes: NView {
                    sources: SOURCES
                        .iter()
                        .map(|c| {
                            (
                                c.to_string(),
                                u.tr.get(&format!("source-{}", c.replace('_', "-"))),
                                n.sources.iter().any(|x| x == c),
                            )
                        })
                        .collect(),
                    fields: [
                        ("strengths", "assessment-strengths", n.strengths),
                        ("needs", "assessment-needs", n.needs),
                        ("causes", "assessment-causes", n.causes),
                        ("impacts", "assessment-impacts", n.impacts),
                        ("options", "assessment-options", n.options),
                    ]
                    .into_iter()
                    .map(|(f, key, v)| (f.to_string(), u.tr.get(key), v))
                    .collect(),
                    error: errors
                        .iter()
                        .find(|(f, _)| f.starts_with(&prefix))
                        .map(|(_, m)| m.clone()),
                },
                score: scores
                    .and_then(|sc| sc.domains.iter().find(|d| d.code == s.code))
                    .map(|d| {
                        let level = d
                            .level
                            .as_ref()
                            .and_then(|l| s.levels.iter().find(|x| &x.code == l))
                            .map(|l| l.label.get(lang).to_string())
                            .unwrap_or_default();
                        format!("{} / {} {}", d.score, d.max, level)
                    })
                    .unwrap_or_default(),
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "assessment_form.html")]
struct FormPage {
    c: Chrome,
    head: CaseHeader,
    id: Uuid,
    case_id: Uuid,
    title: String,
    description: String,
    template_version: i64,
    version: i64,
    completed: bool,
    saved: bool,
    sections: Vec<SView>,
    summary: Vec<ErrorLink>,
    overall: String,
    files: FileBox,
    attached: bool,
}

fn form_page(
    u: &PageUser,
    case: &CaseView,
    view: &AssessmentView,
    answers: &Answers,
    notes: &BTreeMap<String, DomainNotes>,
    version: i64,
    errors: Vec<(String, String)>,
) -> FormPage {
    let a = &view.assessment;
    let t = &view.template.template;
    let lang = u.tr.lang_code();
    let overall = a
        .scores
        .as_ref()
        .map(|s| {
            let level = s
                .level
                .as_ref()
                .and_then(|l| t.levels.iter().find(|x| &x.code == l))
                .map(|l| l.label.get(lang).to_string())
                .unwrap_or_default();
            format!("{} {}", s.total, level)
        })
        .unwrap_or_default();
    FormPage {
        c: Chrome::for_user(u, &format!("/assessments/{}", a.id)),
        head: CaseHeader::new(u, case, "assessments"),
        id: a.id,
        case_id: a.case_id,
        title: t.title.get(lang).to_string(),
        description: t
            .description
            .as_ref()
            .map(|d| d.get(lang).to_string())
            .unwrap_or_default(),
        template_version: a.template_version,
        version,
        completed: a.status == "completed",
        saved: false,
        sections: sections(u, t, answers, notes, a.scores.as_ref(), &errors),
        summary: super::summary(&errors, |field| {
            if let Some(qid) = field.strip_prefix("answers.") {
                let q = t.question(qid)?;
                return Some((format!("q-{qid}"), q.label.get(lang).to_string()));
            }
            let rest = field.strip_prefix("notes.")?;
            let s = t
                .sections
                .iter()
                .find(|s| rest == s.code || rest.starts_with(&format!("{}.", s.code)))?;
            Some((format!("s-{}", s.code), s.title.get(lang).to_string()))
        }),
        overall,
        files: FileBox::new(
            u,
            format!("/assessments/{}/attachments", a.id),
            "assessment-file".into(),
            &view.files.iter().collect::<Vec<_>>(),
            true,
        ),
        attached: false,
    }
}

/// Whether the last save succeeded (post/redirect/get).
#[derive(Debug, Deserialize, Default)]
pub struct Saved {
    /// Set after a save.
    #[serde(default)]
    pub saved: Option<String>,
    /// Set after a file was attached.
    #[serde(default)]
    pub attached: Option<String>,
}

/// `GET /assessments/{id}`: the form of a draft, the record of a completed one.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<Saved>,
) -> Result<Response, WebError> {
    let id = parse(&u, &id)?;
    let view = state
        .app
        .assessment(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let a = &view.assessment;
    let case = state
        .app
        .open_case(&u.user, &u.ctx, a.case_id)
        .await
        .map_err(|e| u.err(e))?;
    let mut page = form_page(
        &u,
        &case,
        &view,
        &a.answers,
        &a.notes,
        a.version,
        Vec::new(),
    );
    page.saved = q.saved.is_some();
    page.attached = q.attached.is_some();
    Ok(render(StatusCode::OK, &page))
}

/// The assessment page again after a failed upload, with the upload's messages.
pub async fn render_with_attach_error(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    form: FormState,
) -> Result<Response, WebError> {
    let view = state
        .app
        .assessment(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let a = &view.assessment;
    let case = state
        .app
        .open_case(&u.user, &u.ctx, a.case_id)
        .await
        .map_err(|e| u.err(e))?;
    let mut page = form_page(u, &case, &view, &a.answers, &a.notes, a.version, Vec::new());
    page.files.form = form;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

/// Reads the form into typed answers by the template's question types; what does not parse is
/// kept as text so validation names it.
fn form_input(t: &Tpl, p: &Pairs) -> AssessmentInput {
    let mut answers = Answers::new();
    for (k, _) in &p.0 {
        let Some(qid) = k.strip_prefix("a.") else {
            continue;
        };
        if answers.contains_key(qid) {
            continue;
        }
        let raw = p.get(k);
        let v = match t.question(qid).map(|q| q.kind) {
            Some(Kind::MultipleChoice) => Value::Array(
                p.all(k)
                    .into_iter()
                    .filter(|x| !x.is_empty())
                    .map(Value::String)
                    .collect(),
            ),
            Some(Kind::YesNo) => match raw.as_str() {
                "yes" => Value::Bool(true),
                "no" => Value::Bool(false),
                _ => Value::String(raw),
            },
            Some(Kind::Scale) => raw
                .trim()
                .parse::<i64>()
                .map(Value::from)
                .unwrap_or(Value::String(raw)),
            // A whole number stays an integer (9000, not 9000.0); only a fraction goes
            // through a float.
            Some(Kind::Number) => {
                let t = raw.trim().replace(',', "");
                t.parse::<i64>()
                    .map(Value::from)
                    .ok()
                    .or_else(|| {
                        t.parse::<f64>()
                            .ok()
                            .and_then(serde_json::Number::from_f64)
                            .map(Value::Number)
                    })
                    .unwrap_or(Value::String(raw))
            }
            _ => Value::String(raw),
        };
        answers.insert(qid.to_string(), v);
    }
    let mut notes = BTreeMap::new();
    for s in &t.sections {
        let f = |name: &str| p.get(&format!("n.{}.{name}", s.code));
        let n = DomainNotes {
            sources: p.all(&format!("n.{}.sources", s.code)),
            strengths: f("strengths"),
            needs: f("needs"),
            causes: f("causes"),
            impacts: f("impacts"),
            options: f("options"),
        };
        if n != DomainNotes::default() {
            notes.insert(s.code.clone(), n);
        }
    }
    AssessmentInput {
        version: p.get("version").parse().unwrap_or(0),
        answers,
        notes,
    }
}

/// `POST /assessments/{id}`: saves (and with `action=complete` completes); a failure
/// re-renders the form with the input and a message beside each field.
pub async fn save(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = parse(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let case = state.app.assessment_case(id).await.map_err(|e| u.err(e))?;
    let complete = p.get("action") == "complete";
    let action = if complete {
        "assessment.complete"
    } else {
        "assessment.save"
    };
    state
        .app
        .check_case(&u.user, &u.ctx, case, CaseAccess::Edit, action)
        .await
        .map_err(|e| u.err(e))?;
    let view = state
        .app
        .assessment(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let input = form_input(&view.template.template, &p);
    match state
        .app
        .save_assessment(&u.user, &u.ctx, id, &input, complete)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/assessments/{id}?saved=1")).into_response()),
        Err(AppError::Invalid(errors)) => {
            let fields =
                WebError::new(AppError::Invalid(errors), Surface::Page, u.tr.clone()).fields();
            let case = state
                .app
                .open_case(&u.user, &u.ctx, case)
                .await
                .map_err(|e| u.err(e))?;
            let page = form_page(
                &u,
                &case,
                &view,
                &input.answers,
                &input.notes,
                input.version,
                fields,
            );
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(u.err(e)),
    }
}
