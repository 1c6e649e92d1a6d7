//! The individual plan in the browser: the plan in force with its progress and GAS T-score,
//! earlier versions, the supervisor's decision, and the form that writes a new version.

use super::cases::label;
use super::intake::Pairs;
use super::users::Choice;
use super::{render, Chrome, FormState};
use crate::auth::{PageUser, WebForm};
use crate::error::{Surface, WebError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::case::CaseAccess;
use karuna_app::plan::{PlanSubmission, PlanView};
use karuna_app::AppError;
use karuna_domain::access::Role;
use karuna_domain::plan::{
    GoalInput, InterventionInput, PlanInput, DIMENSIONS, INTERVENTION_STATES, METHODS, PRIORITIES,
};
use karuna_domain::progress::{ProgressInput, EVIDENCE_SOURCES};
use karuna_store::plan::PlanVersionRow;
use serde::Deserialize;
use uuid::Uuid;

/// A goal as shown.
struct GoalCard {
    id: Uuid,
    dimension: String,
    priority: String,
    statement: String,
    indicator: String,
    baseline: String,
    target: String,
    target_date: String,
    weight: i64,
    client_agreement: String,
    interventions: Vec<InterventionLine>,
    progress: Vec<ProgressLine>,
}

struct InterventionLine {
    method: String,
    who: String,
    dates: String,
    frequency: String,
    status: String,
}

struct ProgressLine {
    date: String,
    gas: String,
    value: String,
    source: String,
    note: String,
    by: String,
}

/// A version as shown.
struct VersionCard {
    number: i64,
    status: String,
    reason: String,
    by: String,
    at: String,
    goals: Vec<GoalCard>,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    c: Chrome,
    id: Uuid,
    number: String,
    current: Option<VersionCard>,
    waiting: Option<VersionCard>,
    earlier: Vec<VersionCard>,
    gas_t: Option<String>,
    approval_required: bool,
    can_decide: bool,
    latest: i64,
    flash: Option<String>,
    /// The progress form that failed, by goal id, with its errors.
    progress_form: FormState,
    failed_goal: Option<Uuid>,
    gas_levels: Vec<Choice>,
    sources: Vec<Choice>,
}

impl PlanPage {
    /// True when the progress form that failed belongs to goal `id`.
    fn failed(&self, id: &Uuid) -> bool {
        self.failed_goal == Some(*id)
    }
}

#[derive(Template)]
#[template(path = "plan_form.html")]
struct FormPage {
    c: Chrome,
    id: Uuid,
    number: String,
    based_on: i64,
    goals: Vec<FormGoal>,
    form: FormState,
    dimensions: Vec<Choice>,
    priorities: Vec<Choice>,
    methods: Vec<Choice>,
    states: Vec<Choice>,
    responsible: Vec<Choice>,
}

/// One field of the plan form, named by its path (`goals[0].indicator`).
struct F {
    name: String,
    id: String,
    value: String,
    error: Option<String>,
}

fn field(form: &FormState, name: String) -> F {
    F {
        id: name.replace(['[', '.'], "-").replace(']', ""),
        value: form.value(&name).to_string(),
        error: form.error(&name).map(str::to_string),
        name,
    }
}

/// One goal slot of the form with its intervention slots.
struct FormGoal {
    n: usize,
    id: F,
    dimension: F,
    priority: F,
    weight: F,
    /// Statement, indicator, baseline, target, target date, agreement: (field, label key,
    /// multi-line).
    texts: Vec<(F, &'static str, bool)>,
    interventions: Vec<FormIntervention>,
}

/// One intervention slot.
struct FormIntervention {
    id: F,
    method: F,
    responsible_id: F,
    provider: F,
    /// Start, end, frequency: (field, label key).
    dates: Vec<(F, &'static str)>,
    status: F,
}

fn form_goal(form: &FormState, i: usize, slots: usize) -> FormGoal {
    let g = |f: &str| field(form, format!("goals[{i}].{f}"));
    FormGoal {
        n: i + 1,
        id: g("id"),
        dimension: g("dimension"),
        priority: g("priority"),
        weight: g("weight"),
        texts: vec![
            (g("statement"), "plan-statement", true),
            (g("indicator"), "plan-indicator", false),
            (g("baseline"), "plan-baseline", false),
            (g("target"), "plan-target", false),
            (g("target_date"), "plan-target-date", false),
            (g("client_agreement"), "plan-client-agreement", true),
        ],
        interventions: (0..slots)
            .map(|j| {
                let x = |f: &str| field(form, format!("goals[{i}].interventions[{j}].{f}"));
                FormIntervention {
                    id: x("id"),
                    method: x("method"),
                    responsible_id: x("responsible_id"),
                    provider: x("provider"),
                    dates: vec![
                        (x("start"), "plan-start"),
                        (x("end"), "plan-end"),
                        (x("frequency"), "plan-frequency"),
                    ],
                    status: x("status"),
                }
            })
            .collect(),
    }
}

fn choices(u: &PageUser, prefix: &str, codes: &[&str]) -> Vec<Choice> {
    super::cases::choices(u, prefix, codes)
}

fn who(
    view_team: &[(Uuid, String)],
    responsible: Option<Uuid>,
    provider: &Option<String>,
) -> String {
    responsible
        .and_then(|r| view_team.iter().find(|(id, _)| *id == r))
        .map(|(_, n)| n.clone())
        .or_else(|| provider.clone())
        .unwrap_or_default()
}

fn version_card(
    u: &PageUser,
    v: &PlanVersionRow,
    view: &PlanView,
    team: &[(Uuid, String)],
) -> VersionCard {
    let goals = v
        .content
        .goals
        .iter()
        .map(|g| GoalCard {
            id: g.id,
            dimension: label(u, "dimension", &g.dimension),
            priority: label(u, "priority", &g.priority),
            statement: g.statement.clone(),
            indicator: g.indicator.clone(),
            baseline: g.baseline.clone(),
            target: g.target.clone(),
            target_date: u.tr.date(&g.target_date),
            weight: g.weight,
            client_agreement: g.client_agreement.clone(),
            interventions: g
                .interventions
                .iter()
                .map(|x| InterventionLine {
                    method: label(u, "method", &x.method),
                    who: who(team, x.responsible_id, &x.provider),
                    dates: match x.end {
                        Some(e) => format!("{} – {}", u.tr.date(&x.start), u.tr.date(&e)),
                        None => u.tr.date(&x.start),
                    },
                    frequency: x.frequency.clone().unwrap_or_default(),
                    status: label(u, "intervention-status", &x.status),
                })
                .collect(),
            progress: view
                .progress
                .iter()
                .filter(|p| p.goal_id == g.id)
                .map(|p| ProgressLine {
                    date: u.tr.date(&p.measured_on),
                    gas: p.gas.map(|x| format!("{x:+}")).unwrap_or_default(),
                    value: p.value.clone().unwrap_or_default(),
                    source: label(u, "evidence", &p.source),
                    note: p.note.clone().unwrap_or_default(),
                    by: p.recorded_by_name.clone(),
                })
                .collect(),
        })
        .collect();
    VersionCard {
        number: v.number,
        status: label(u, "plan-status", &v.status),
        reason: v.reason.clone().unwrap_or_default(),
        by: v.created_by_name.clone(),
        at: u.tr.datetime(&v.created_at),
        goals,
    }
}

/// Flash flags.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PlanQuery {
    saved: Option<String>,
    decided: Option<String>,
    progress: Option<String>,
}

fn case_id(u: &PageUser, id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| u.err(AppError::NotFound))
}

async fn team_of(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
) -> Result<(String, Vec<(Uuid, String)>), WebError> {
    let view = state
        .app
        .open_case(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let mut team = vec![(view.case.manager_id, view.manager_name.clone())];
    team.extend(
        view.team
            .iter()
            .filter(|m| m.account_id != view.case.manager_id)
            .map(|m| (m.account_id, m.display_name.clone())),
    );
    Ok((view.case.number.clone(), team))
}

async fn plan_page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    flash: Option<String>,
    failed: Option<(Uuid, FormState)>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let (number, team) = team_of(state, u, id).await?;
    let view = state
        .app
        .plan(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let current = view.current().map(|v| version_card(u, v, &view, &team));
    let waiting_row = view
        .versions
        .iter()
        .find(|v| v.status == "awaiting_approval");
    let can_decide = waiting_row
        .is_some_and(|v| u.user.actor.role == Role::Supervisor && v.created_by != u.user.actor.id);
    let waiting = waiting_row.map(|v| version_card(u, v, &view, &team));
    let current_number = current.as_ref().map(|c| c.number);
    let waiting_number = waiting.as_ref().map(|c| c.number);
    let earlier = view
        .versions
        .iter()
        .filter(|v| Some(v.number) != current_number && Some(v.number) != waiting_number)
        .map(|v| version_card(u, v, &view, &team))
        .collect();
    let (failed_goal, progress_form) = match failed {
        Some((g, f)) => (Some(g), f),
        None => (None, FormState::with(&[])),
    };
    let page = PlanPage {
        c: Chrome::for_user(u, "/cases"),
        id,
        number,
        current,
        waiting,
        earlier,
        gas_t: view.gas_t.map(|t| format!("{t:.1}")),
        approval_required: view.approval_required,
        can_decide,
        latest: view.versions.first().map_or(0, |v| v.number),
        flash,
        progress_form,
        failed_goal,
        gas_levels: (-2..=2)
            .rev()
            .map(|x: i64| Choice {
                value: x.to_string(),
                label: format!("{x:+} {}", u.tr.get(&format!("gas-level-{}", x + 2))),
            })
            .collect(),
        sources: choices(u, "evidence", &EVIDENCE_SOURCES),
    };
    Ok(render(status, &page))
}

/// `GET /cases/{id}/plan`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<PlanQuery>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let flash = if q.saved.is_some() {
        Some(u.tr.get("plan-saved"))
    } else if q.decided.is_some() {
        Some(u.tr.get("plan-decided"))
    } else if q.progress.is_some() {
        Some(u.tr.get("progress-saved"))
    } else {
        None
    };
    plan_page(&state, &u, id, flash, None, StatusCode::OK).await
}

async fn form_page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    based_on: i64,
    form: FormState,
    slots: &[usize],
    status: StatusCode,
) -> Result<Response, WebError> {
    let (number, team) = team_of(state, u, id).await?;
    let goals = slots
        .iter()
        .enumerate()
        .map(|(i, n)| form_goal(&form, i, *n))
        .collect();
    let page = FormPage {
        c: Chrome::for_user(u, "/cases"),
        id,
        number,
        based_on,
        goals,
        form,
        dimensions: choices(u, "dimension", &DIMENSIONS),
        priorities: choices(u, "priority", &PRIORITIES),
        methods: choices(u, "method", &METHODS),
        states: choices(u, "intervention-status", &INTERVENTION_STATES),
        responsible: team
            .into_iter()
            .map(|(id, name)| Choice {
                value: id.to_string(),
                label: name,
            })
            .collect(),
    };
    Ok(render(status, &page))
}

/// `GET /cases/{id}/plan/edit`: the latest version's goals and interventions, each with an
/// empty slot to add one more.
pub async fn edit(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    state
        .app
        .check_case(&u.user, &u.ctx, id, CaseAccess::Edit, "plan.save")
        .await
        .map_err(|e| u.err(e))?;
    let view = state
        .app
        .plan(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let latest = view.versions.first();
    let mut values: Vec<(String, String)> = Vec::new();
    let mut counts = Vec::new();
    if let Some(v) = latest {
        for (i, g) in v.content.goals.iter().enumerate() {
            let p = |f: &str| format!("goals[{i}].{f}");
            values.extend([
                (p("id"), g.id.to_string()),
                (p("dimension"), g.dimension.clone()),
                (p("statement"), g.statement.clone()),
                (p("indicator"), g.indicator.clone()),
                (p("baseline"), g.baseline.clone()),
                (p("target"), g.target.clone()),
                (p("target_date"), u.tr.date_input(&g.target_date)),
                (p("priority"), g.priority.clone()),
                (p("weight"), g.weight.to_string()),
                (p("client_agreement"), g.client_agreement.clone()),
            ]);
            for (j, x) in g.interventions.iter().enumerate() {
                let q = |f: &str| format!("goals[{i}].interventions[{j}].{f}");
                values.extend([
                    (q("id"), x.id.to_string()),
                    (q("method"), x.method.clone()),
                    (
                        q("responsible_id"),
                        x.responsible_id.map(|r| r.to_string()).unwrap_or_default(),
                    ),
                    (q("provider"), x.provider.clone().unwrap_or_default()),
                    (q("start"), u.tr.date_input(&x.start)),
                    (
                        q("end"),
                        x.end.map(|e| u.tr.date_input(&e)).unwrap_or_default(),
                    ),
                    (q("frequency"), x.frequency.clone().unwrap_or_default()),
                    (q("status"), x.status.clone()),
                ]);
            }
            counts.push(g.interventions.len() + 1);
        }
    }
    counts.push(1);
    form_page(
        &state,
        &u,
        id,
        latest.map_or(0, |v| v.number),
        FormState::from_pairs(&values),
        &counts,
        StatusCode::OK,
    )
    .await
}

/// Reads the form's goal and intervention slots; empty slots are left out. Returns the input
/// and, per goal slot submitted, how many intervention slots it had.
fn plan_input(p: &Pairs) -> (PlanInput, Vec<usize>) {
    let mut goals = Vec::new();
    let mut counts = Vec::new();
    let mut i = 0;
    while p.has(&format!("goals[{i}].statement")) {
        let g = |f: &str| p.get(&format!("goals[{i}].{f}"));
        let mut interventions = Vec::new();
        let mut j = 0;
        while p.has(&format!("goals[{i}].interventions[{j}].method")) {
            let x = |f: &str| p.get(&format!("goals[{i}].interventions[{j}].{f}"));
            if !x("method").is_empty() {
                interventions.push(InterventionInput {
                    id: Some(x("id")).filter(|s| !s.is_empty()),
                    method: x("method"),
                    responsible_id: Some(x("responsible_id")).filter(|s| !s.is_empty()),
                    provider: x("provider"),
                    start: x("start"),
                    end: x("end"),
                    frequency: x("frequency"),
                    status: x("status"),
                });
            }
            j += 1;
        }
        counts.push(j.max(1));
        let blank = ["statement", "indicator", "target", "target_date"]
            .iter()
            .all(|f| g(f).trim().is_empty())
            && interventions.is_empty();
        if !blank {
            goals.push(GoalInput {
                id: Some(g("id")).filter(|s| !s.is_empty()),
                dimension: g("dimension"),
                statement: g("statement"),
                indicator: g("indicator"),
                baseline: g("baseline"),
                target: g("target"),
                target_date: g("target_date"),
                priority: g("priority"),
                weight: g("weight").trim().parse().ok(),
                client_agreement: g("client_agreement"),
                interventions,
            });
        }
        i += 1;
    }
    (
        PlanInput {
            reason: p.get("reason"),
            goals,
        },
        counts,
    )
}

/// `POST /cases/{id}/plan`: saves a new version; errors re-render the form with the input.
pub async fn save(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let (plan, counts) = plan_input(&p);
    let based_on = p.get("based_on").trim().parse().unwrap_or(-1);
    let submission = PlanSubmission { based_on, plan };
    match state.app.save_plan(&u.user, &u.ctx, id, &submission).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{id}/plan?saved=1")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict)) => {
            let status = if matches!(e, AppError::Conflict) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let mut fields = match e {
                AppError::Conflict => vec![("form".into(), u.tr.get("plan-conflict"))],
                e => WebError::new(e, Surface::Page, u.tr.clone()).fields(),
            };
            if fields.iter().any(|(f, _)| f == "goals") {
                fields.push(("form".into(), u.tr.get("error-plan-goal-required")));
            }
            let slots = if counts.is_empty() { vec![1] } else { counts };
            form_page(
                &state,
                &u,
                id,
                based_on.max(0),
                FormState::from_pairs(&p.0).errors(fields),
                &slots,
                status,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /cases/{id}/plan/{number}/decision`: `decision` is `approve` or `return`.
pub async fn decide(
    State(state): State<AppState>,
    u: PageUser,
    Path((id, number)): Path<(String, String)>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    state
        .app
        .check_case(&u.user, &u.ctx, id, CaseAccess::Manage, "plan.approve")
        .await
        .map_err(|e| u.err(e))?;
    let number: i64 = number.parse().map_err(|_| u.err(AppError::NotFound))?;
    let approve = p.get("decision") == "approve";
    match state
        .app
        .decide_plan(&u.user, &u.ctx, id, number, approve)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}/plan?decided=1")).into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let msg = WebError::new(e, Surface::Page, u.tr.clone())
                .fields()
                .into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join(" ");
            plan_page(
                &state,
                &u,
                id,
                Some(msg),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /cases/{id}/progress`: a progress entry on a goal of the plan in force.
pub async fn progress(
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
        .check_case(&u.user, &u.ctx, id, CaseAccess::Edit, "progress.create")
        .await
        .map_err(|e| u.err(e))?;
    let input = ProgressInput {
        goal_id: p.get("goal_id"),
        date: p.get("date"),
        gas: p.get("gas").trim().parse().ok(),
        value: p.get("value"),
        source: p.get("source"),
        note: p.get("note"),
    };
    match state.app.add_progress(&u.user, &u.ctx, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{id}/plan?progress=1")).into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let fields = WebError::new(e, Surface::Page, u.tr.clone()).fields();
            let goal = Uuid::parse_str(p.get("goal_id").trim()).unwrap_or_default();
            plan_page(
                &state,
                &u,
                id,
                None,
                Some((goal, FormState::from_pairs(&p.0).errors(fields))),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}
