//! Complexity screening in the browser: the case's tab `screening` (the latest suggestion
//! with its reasons, the worker's decision on it, earlier suggestions, and "screen again"),
//! and the administrators' settings page (switch on or off, thresholds, rules, and how often
//! suggestions were overridden).

use super::case_header::CaseHeader;
use super::cases::label;
use super::intake::Pairs;
use super::plan::case_id;
use super::programmes::{explain, ResultLineView};
use super::screening_model::feature_with_value;
use super::{refusal, render, Chrome, ErrorLink, FormState, SavedQuery};
use crate::auth::{PageUser, WebForm};
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::case::CaseAccess;
use karuna_app::screening::{Suggestion, Switch};
use karuna_app::AppError;
use karuna_domain::case_type::CaseType;
use karuna_domain::gatekeeping::criteria::Check;
use karuna_domain::screening::{ConfigInput, DecisionInput, RuleInput, LEVELS, PROXIES};
use karuna_domain::screening_model::Estimate;
use uuid::Uuid;

/// One rule's line: its label and text, points, and the facts it used.
struct RuleLine {
    label: String,
    rule: String,
    points: i64,
    facts: String,
}

/// The rules of one outcome.
struct RuleTable {
    id: &'static str,
    caption: String,
    open: bool,
    lines: Vec<RuleLine>,
}

/// One suggestion as the page shows it.
struct Card {
    id: Uuid,
    level: String,
    level_code: String,
    score: i64,
    thresholds: String,
    when: String,
    trigger: String,
    by: String,
    /// What could be higher if the unknown facts were known (a sentence), if anything.
    could_be: Option<String>,
    /// No rule applied.
    fired_none: bool,
    /// The rules that applied (open), could not be decided (open) and did not apply.
    tables: Vec<RuleTable>,
    /// The decision as a sentence, if made.
    decision: Option<String>,
    decision_reason: Option<String>,
    version: i64,
    /// The learned layer's estimate, if a model was in use.
    learned: Option<LearnedView>,
}

/// The learned estimate as a sentence, with the features that weighed most.
struct LearnedView {
    sentence: String,
    /// Each feature in words and whether it raised or lowered the chance.
    reasons: Vec<(String, String)>,
}

fn learned_view(u: &PageUser, types: &[CaseType], e: &Estimate) -> LearnedView {
    LearnedView {
        sentence: u.tr.args(
            "model-estimate",
            &[
                ("percent", e.long_percent.to_string()),
                ("days", e.long_case_days.to_string()),
                ("version", e.model_version.to_string()),
            ],
        ),
        reasons: e
            .reasons
            .iter()
            .map(|r| {
                (
                    feature_with_value(u, types, &r.feature, r.value),
                    u.tr.get(if r.effect > 0 {
                        "model-raises"
                    } else {
                        "model-lowers"
                    }),
                )
            })
            .collect(),
    }
}

fn card(u: &PageUser, types: &[CaseType], s: &Suggestion) -> Card {
    let sc = &s.screening;
    let lines = |pick: &dyn Fn(&str) -> bool| {
        let check = Check {
            criteria: sc
                .rules
                .iter()
                .filter(|r| pick(r.check.outcome.code()))
                .map(|r| r.check.clone())
                .collect(),
            result: String::new(),
        };
        let points = sc
            .rules
            .iter()
            .filter(|r| pick(r.check.outcome.code()))
            .map(|r| r.points);
        explain(u, &check)
            .into_iter()
            .zip(points)
            .map(|(l, points): (ResultLineView, i64)| RuleLine {
                label: l.label,
                rule: l.rule,
                points,
                facts: l.facts,
            })
            .collect::<Vec<_>>()
    };
    let tables: Vec<RuleTable> = [
        ("screening-reasons", "met", true),
        ("screening-unknown", "unknown", true),
        ("screening-not-met", "not_met", false),
    ]
    .into_iter()
    .map(|(key, outcome, open)| RuleTable {
        id: key,
        caption: u.tr.get(key),
        open,
        lines: lines(&|o| o == outcome),
    })
    .filter(|t| !t.lines.is_empty())
    .collect();
    let r = &s.row;
    Card {
        id: r.id,
        level: label(u, "screening-level", &r.suggested),
        level_code: r.suggested.clone(),
        score: r.score,
        thresholds: u.tr.args(
            "screening-thresholds",
            &[
                ("complex", sc.complex_at.to_string()),
                ("high", sc.highly_complex_at.to_string()),
            ],
        ),
        when: u.tr.datetime(&r.created_at),
        trigger: label(u, "screening-trigger", &r.trigger),
        by: r.created_by_name.clone().unwrap_or_default(),
        could_be: (sc.level_if_unknown_met != sc.level).then(|| {
            u.tr.args(
                "screening-could-be",
                &[
                    ("score", sc.score_if_unknown_met.to_string()),
                    (
                        "level",
                        label(u, "screening-level", &sc.level_if_unknown_met),
                    ),
                ],
            )
        }),
        fired_none: !tables.iter().any(|t| t.id == "screening-reasons"),
        tables,
        decision: r.decision.as_ref().map(|d| {
            let who = r.decided_by_name.clone().unwrap_or_default();
            let when = r.decided_at.map(|t| u.tr.datetime(&t)).unwrap_or_default();
            let what = match (d.as_str(), &r.decided) {
                ("changed", Some(l)) => u.tr.get1(
                    "screening-decided-changed",
                    "level",
                    &label(u, "screening-level", l),
                ),
                _ => label(u, "screening-decided", d),
            };
            format!("{what} · {who} · {when}")
        }),
        decision_reason: r.decision_reason.clone(),
        version: r.version,
        learned: sc.learned.as_ref().map(|e| learned_view(u, types, e)),
    }
}

#[derive(Template)]
#[template(path = "case_screening.html")]
struct CasePage {
    c: Chrome,
    id: Uuid,
    number: String,
    head: CaseHeader,
    enabled: bool,
    similar: bool,
    can_decide: bool,
    latest: Option<Card>,
    earlier: Vec<Card>,
    levels: Vec<(&'static str, String)>,
    form: FormState,
    summary: Vec<ErrorLink>,
    flash: Option<String>,
}

impl CasePage {
    /// The decision form's chosen value of `name`, defaulting to `accepted`.
    fn decision_is(&self, value: &str) -> bool {
        match self.form.value("decision") {
            "" => value == "accepted",
            v => v == value,
        }
    }
}

async fn case_page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    flash: Option<String>,
    form: FormState,
    status: StatusCode,
) -> Result<Response, WebError> {
    let app = &state.app;
    let view = app
        .open_case(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let all = app
        .case_suggestions(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let types = app
        .case_types(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let mut cards = all.list.iter().map(|s| card(u, &types, s));
    let latest = cards.next();
    let summary = form.summary_by_name(
        &u.tr,
        &[
            ("decision", "screening-decision"),
            ("level", "screening-level-chosen"),
            ("reason", "screening-reason"),
        ],
    );
    let page = CasePage {
        c: Chrome::for_user(u, &format!("/cases/{id}/screening")),
        id,
        number: view.case.number.clone(),
        head: CaseHeader::new(u, &view, "screening"),
        enabled: all.enabled,
        similar: app
            .similar_enabled(view.case.org_id)
            .await
            .map_err(|e| u.err(e))?
            .0,
        can_decide: all.can_decide,
        earlier: cards.collect(),
        latest,
        levels: LEVELS
            .iter()
            .map(|l| (*l, label(u, "screening-level", l)))
            .collect(),
        form,
        summary,
        flash,
    };
    Ok(render(status, &page))
}

/// `GET /cases/{id}/screening`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let flash = q.saved.map(|s| {
        u.tr.get(match s.as_str() {
            "screened" => "screening-screened",
            _ => "screening-decision-saved",
        })
    });
    case_page(&state, &u, id, flash, FormState::with(&[]), StatusCode::OK).await
}

/// `POST /cases/{id}/screening`: screen the case again now.
pub async fn screen_again(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    match state.app.screen_case(&u.user, &u.ctx, id).await {
        Ok(s) => Ok(Redirect::to(&format!(
            "/cases/{id}/screening?saved=screened#suggestion-{s}"
        ))
        .into_response()),
        Err(e @ AppError::Refused(_)) => {
            let (_, fields) = refusal(&u, e);
            let form = FormState::from_pairs(&[]).errors(fields);
            case_page(&state, &u, id, None, form, StatusCode::CONFLICT).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /suggestions/{id}/decision`: accept, change or reject a suggestion.
pub async fn decide(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let sid = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let case = state
        .app
        .suggestion_case(&u.user, sid)
        .await
        .map_err(|e| u.err(e))?;
    state
        .app
        .check_case(&u.user, &u.ctx, case, CaseAccess::Edit, "screening.decide")
        .await
        .map_err(|e| u.err(e))?;
    let input = DecisionInput {
        decision: p.get("decision"),
        level: p.get("level"),
        reason: p.get("reason"),
        version: p.get("version").trim().parse().unwrap_or(0),
    };
    match state
        .app
        .decide_suggestion(&u.user, &u.ctx, sid, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "/cases/{case}/screening?saved=decided#suggestion-{sid}"
        ))
        .into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict | AppError::Refused(_))) => {
            let conflict = !matches!(e, AppError::Invalid(_));
            let (status, fields) = refusal(&u, e);
            let form = FormState::from_pairs(&p.0).errors(fields);
            let status = if conflict {
                StatusCode::CONFLICT
            } else {
                status
            };
            case_page(&state, &u, case, None, form, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// One rule row of the settings form.
struct RuleRow {
    i: usize,
    label_th: String,
    label_en: String,
    rule: String,
    points: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "screening_settings.html")]
struct SettingsPage {
    c: Chrome,
    enabled: bool,
    complex_at: String,
    highly_complex_at: String,
    version: i64,
    rows: Vec<RuleRow>,
    updated: Option<String>,
    counts: Vec<(String, i64)>,
    overridden: Option<String>,
    proxies: Vec<String>,
    matching_enabled: bool,
    matching_version: i64,
    matching_overridden: Option<String>,
    matching_counts: Vec<(String, i64)>,
    similar_enabled: bool,
    similar_version: i64,
    summary: Vec<ErrorLink>,
    form: FormState,
    flash: Option<String>,
}

/// How many empty rule rows the form offers for new rules.
const BLANK_ROWS: usize = 3;

async fn settings_page(
    state: &AppState,
    u: &PageUser,
    failed: Option<(FormState, Vec<RuleRow>)>,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let s = state
        .app
        .screening_settings(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let (form, rows) = match failed {
        Some(f) => f,
        None => {
            let mut rows: Vec<RuleRow> = s
                .config
                .rules
                .iter()
                .enumerate()
                .map(|(i, r)| RuleRow {
                    i,
                    label_th: r.label_th.clone(),
                    label_en: r.label_en.clone(),
                    rule: r.rule.clone(),
                    points: r.points.to_string(),
                    error: None,
                })
                .collect();
            let n = rows.len();
            rows.extend((n..n + BLANK_ROWS).map(|i| RuleRow {
                i,
                label_th: String::new(),
                label_en: String::new(),
                rule: String::new(),
                points: String::new(),
                error: None,
            }));
            let form = FormState::from_pairs(&[
                (
                    "enabled".to_string(),
                    if s.config.enabled { "on" } else { "" }.to_string(),
                ),
                ("complex_at".to_string(), s.config.complex_at.to_string()),
                (
                    "highly_complex_at".to_string(),
                    s.config.highly_complex_at.to_string(),
                ),
                ("version".to_string(), s.version.to_string()),
            ]);
            (form, rows)
        }
    };
    let summary = form.summary_by_name(
        &u.tr,
        &[
            ("complex_at", "screening-complex-at"),
            ("highly_complex_at", "screening-highly-complex-at"),
            ("rules", "screening-rules"),
            ("form", "screening-settings-title"),
        ],
    );
    let c = s.counts;
    let (matching_enabled, matching_version, mc) = s.matching;
    let (similar_enabled, similar_version) = s.similar;
    let page = SettingsPage {
        similar_enabled,
        similar_version,
        matching_enabled,
        matching_version,
        matching_overridden: mc
            .overridden_percent()
            .map(|p| u.tr.get1("match-overridden", "percent", &p.to_string())),
        matching_counts: vec![
            (u.tr.get("match-decision-accepted"), mc.accepted),
            (u.tr.get("match-decision-changed"), mc.changed),
            (u.tr.get("match-decision-rejected"), mc.rejected),
        ],
        c: Chrome::for_user(u, "/admin/screening"),
        enabled: form.value("enabled") == "on",
        complex_at: form.value("complex_at").to_string(),
        highly_complex_at: form.value("highly_complex_at").to_string(),
        version: form.value("version").parse().unwrap_or(s.version),
        rows,
        updated: s
            .updated
            .map(|(by, at)| format!("{by} · {}", u.tr.datetime(&at))),
        counts: vec![
            (u.tr.get("screening-decided-accepted"), c.accepted),
            (u.tr.get("screening-decided-changed-short"), c.changed),
            (u.tr.get("screening-decided-rejected"), c.rejected),
            (u.tr.get("screening-undecided"), c.undecided),
        ],
        overridden: c
            .overridden_percent()
            .map(|p| u.tr.get1("screening-overridden", "percent", &p.to_string())),
        proxies: PROXIES.iter().map(|p| p.to_string()).collect(),
        summary,
        form,
        flash,
    };
    Ok(render(status, &page))
}

/// `GET /admin/screening`.
pub async fn settings(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let flash = q.saved.map(|_| u.tr.get("screening-settings-saved"));
    settings_page(&state, &u, None, flash, StatusCode::OK).await
}

/// `POST /admin/screening`: save the settings. Rows left wholly empty are no rules.
pub async fn save_settings(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let mut rows = Vec::new();
    for i in 0..karuna_domain::screening::RULES_MAX + BLANK_ROWS {
        let f = |name: &str| p.get(&format!("rules[{i}].{name}"));
        let row = RuleRow {
            i,
            label_th: f("label_th"),
            label_en: f("label_en"),
            rule: f("rule"),
            points: f("points"),
            error: None,
        };
        if [&row.label_th, &row.label_en, &row.rule, &row.points]
            .iter()
            .any(|v| !v.trim().is_empty())
        {
            rows.push(row);
        }
    }
    let number = |name: &str| p.get(name).trim().parse::<i64>().unwrap_or(0);
    let input = ConfigInput {
        enabled: p.get("enabled") == "on",
        complex_at: number("complex_at"),
        highly_complex_at: number("highly_complex_at"),
        rules: rows
            .iter()
            .map(|r| RuleInput {
                label_th: r.label_th.clone(),
                label_en: r.label_en.clone(),
                rule: r.rule.clone(),
                points: r.points.trim().parse().unwrap_or(0),
            })
            .collect(),
        version: number("version"),
    };
    match state
        .app
        .save_screening_settings(&u.user, &u.ctx, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/screening?saved=1").into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict)) => {
            let (status, fields) = refusal(&u, e);
            // A rule's errors go to its row (renumbered in the order kept), the rest to the
            // form.
            let mut rest = Vec::new();
            for (field, message) in fields {
                let row = field
                    .strip_prefix("rules[")
                    .and_then(|t| t.split(']').next())
                    .and_then(|n| n.parse::<usize>().ok());
                match row.and_then(|n| rows.get_mut(n)) {
                    Some(r) => {
                        let e = r.error.get_or_insert_with(String::new);
                        if !e.is_empty() {
                            e.push_str(" · ");
                        }
                        e.push_str(&message);
                    }
                    None => rest.push((field, message)),
                }
            }
            for (i, r) in rows.iter_mut().enumerate() {
                r.i = i;
            }
            let n = rows.len();
            rows.extend((n..n + BLANK_ROWS).map(|i| RuleRow {
                i,
                label_th: String::new(),
                label_en: String::new(),
                rule: String::new(),
                points: String::new(),
                error: None,
            }));
            if rows.iter().any(|r| r.error.is_some()) {
                rest.push(("rules".into(), u.tr.get("screening-rules-have-errors")));
            }
            let form = FormState::from_pairs(&p.0).errors(rest);
            settings_page(&state, &u, Some((form, rows)), None, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// Saves a decision-support switch from its form; back to its section of the settings.
async fn save_switch(
    state: &AppState,
    u: &PageUser,
    pairs: Vec<(String, String)>,
    (switch, section): (Switch, &str),
) -> Result<Response, WebError> {
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let version = p.get("version").trim().parse().unwrap_or(0);
    state
        .app
        .set_switch(&u.user, &u.ctx, switch, p.get("enabled") == "on", version)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Redirect::to(&format!("/admin/screening?saved=1#{section}")).into_response())
}

/// `POST /admin/screening/matching`: switch resource matching on or off.
pub async fn save_matching(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    save_switch(&state, &u, pairs, (Switch::ServiceMatch, "matching")).await
}

/// `POST /admin/screening/similar`: switch similar closed cases on or off.
pub async fn save_similar(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    save_switch(&state, &u, pairs, (Switch::SimilarCases, "similar")).await
}
