//! Resource matching in the browser: `/cases/{id}/services` — the case's needs, the services
//! of one need's category ranked with their reasons, and the worker's choice (recorded with
//! the list, then on to the referral form for the service she chose).

use super::case_header::CaseHeader;
use super::cases::label;
use super::intake::Pairs;
use super::plan::case_id;
use super::{refusal, render, Chrome, ErrorLink, FormState};
use crate::auth::{PageUser, WebForm};
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::service_match::{ChoiceInput, StoredMatch};
use karuna_app::AppError;
use karuna_domain::resource::Category;
use karuna_domain::service_match::Reason;
use serde::Deserialize;
use uuid::Uuid;

/// A reason as a sentence with its points.
pub(crate) fn reason_text(u: &PageUser, r: &Reason) -> String {
    let args: Vec<(&str, String)> = r
        .args
        .iter()
        .map(|(k, v)| {
            let v = if k == "missing" {
                v.split(", ")
                    .map(|f| {
                        let key = format!("gk-fact-{}", f.replace('_', "-"));
                        if u.tr.has(&key) {
                            u.tr.get(&key)
                        } else {
                            f.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            } else {
                v.clone()
            };
            (k.as_str(), v)
        })
        .collect();
    let text =
        u.tr.args(&format!("match-reason-{}", r.code.replace('_', "-")), &args);
    match r.points {
        0 => text,
        p => format!("{text} ({p:+})"),
    }
}

struct Line {
    id: Uuid,
    rank: usize,
    name: String,
    provider: String,
    score: i64,
    reasons: Vec<String>,
}

struct Need {
    code: &'static str,
    label: String,
    current: bool,
}

struct Choice {
    when: String,
    need: String,
    decision: String,
    chosen: String,
    reason: String,
    by: String,
}

#[derive(Template)]
#[template(path = "case_services.html")]
struct Page {
    c: Chrome,
    id: Uuid,
    number: String,
    head: CaseHeader,
    enabled: bool,
    can_decide: bool,
    needs: Vec<Need>,
    categories: Vec<(&'static str, String)>,
    category: String,
    category_label: String,
    lines: Vec<Line>,
    choices: Vec<Choice>,
    form: FormState,
    summary: Vec<ErrorLink>,
    flash: Option<String>,
}

/// The category asked for.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct MatchQuery {
    category: Option<String>,
    saved: Option<String>,
}

async fn page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    category: Option<String>,
    form: FormState,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let app = &state.app;
    let view = app
        .open_case(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let m = app
        .match_services(&u.user, &u.ctx, id, category.as_deref())
        .await
        .map_err(|e| u.err(e))?;
    let cat_label = |c: &str| label(u, "resource-category", c);
    let current = m.category.map(|c| c.code()).unwrap_or_default();
    let choices = m
        .choices
        .iter()
        .map(|s| {
            let stored: Vec<StoredMatch> = serde_json::from_str(&s.reasons).unwrap_or_default();
            let name_of = |sid: &str| {
                stored
                    .iter()
                    .find(|x| x.ranked.service_id == sid)
                    .map(|x| format!("{} · {}", x.name, x.provider))
                    .unwrap_or_else(|| u.tr.get("match-chosen-other"))
            };
            Choice {
                when: u.tr.datetime(&s.created_at),
                need: s.subject.as_deref().map(cat_label).unwrap_or_default(),
                decision: label(
                    u,
                    "match-decision",
                    s.decision.as_deref().unwrap_or_default(),
                ),
                chosen: s.decided.as_deref().map(name_of).unwrap_or_default(),
                reason: s.decision_reason.clone().unwrap_or_default(),
                by: s.decided_by_name.clone().unwrap_or_default(),
            }
        })
        .collect();
    let summary = form.summary_by_name(
        &u.tr,
        &[
            ("service_id", "match-choice"),
            ("reason", "screening-reason"),
            ("category", "match-need"),
            ("form", "match-title"),
        ],
    );
    let page = Page {
        c: Chrome::for_user(u, &format!("/cases/{id}/referrals")),
        id,
        number: view.case.number.clone(),
        head: CaseHeader::new(u, &view, "referrals"),
        enabled: m.enabled,
        can_decide: m.can_decide,
        needs: m
            .needs
            .iter()
            .map(|c| Need {
                code: c.code(),
                label: cat_label(c.code()),
                current: c.code() == current,
            })
            .collect(),
        categories: Category::ALL
            .iter()
            .map(|c| (c.code(), cat_label(c.code())))
            .collect(),
        category: current.to_string(),
        category_label: if current.is_empty() {
            String::new()
        } else {
            cat_label(current)
        },
        lines: m
            .matches
            .iter()
            .enumerate()
            .map(|(i, x)| Line {
                id: x.service.id,
                rank: i + 1,
                name: x.service.name.clone(),
                provider: x.service.provider_name.clone(),
                score: x.ranked.score,
                reasons: x.ranked.reasons.iter().map(|r| reason_text(u, r)).collect(),
            })
            .collect(),
        choices,
        form,
        summary,
        flash,
    };
    Ok(render(status, &page))
}

/// `GET /cases/{id}/services`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<MatchQuery>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let flash = q.saved.map(|_| u.tr.get("match-saved"));
    let form = FormState::with(&[]);
    match page(
        &state,
        &u,
        id,
        q.category.clone(),
        form,
        flash,
        StatusCode::OK,
    )
    .await
    {
        // An unknown category in the address: the page without it, the message at the top.
        Err(_) if q.category.is_some() => {
            let form = FormState::with(&[]).errors(vec![(
                "category".into(),
                u.tr.get("error-resource-category-unknown"),
            )]);
            page(&state, &u, id, None, form, None, StatusCode::BAD_REQUEST).await
        }
        other => other,
    }
}

/// `POST /cases/{id}/services`: record the service chosen for a need (or none).
pub async fn choose(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = ChoiceInput {
        category: p.get("category"),
        service_id: p.get("service_id"),
        reason: p.get("reason"),
    };
    match state
        .app
        .record_service_choice(&u.user, &u.ctx, id, &input)
        .await
    {
        Ok(_) if !input.service_id.trim().is_empty() => Ok(Redirect::to(&format!(
            "/cases/{id}/referrals?service={}#referral-new-heading",
            input.service_id.trim()
        ))
        .into_response()),
        Ok(_) => Ok(Redirect::to(&format!(
            "/cases/{id}/services?category={}&saved=1",
            input.category.trim()
        ))
        .into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict | AppError::Refused(_))) => {
            let conflict = !matches!(e, AppError::Invalid(_));
            let (status, fields) = refusal(&u, e);
            let status = if conflict {
                StatusCode::CONFLICT
            } else {
                status
            };
            let form = FormState::from_pairs(&p.0).errors(fields);
            let category =
                Some(input.category.clone()).filter(|c| Category::from_code(c).is_some());
            page(&state, &u, id, category, form, None, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}
