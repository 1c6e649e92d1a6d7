//! The plan's version form: every goal and intervention of the latest version, plus one empty
//! slot for another, with fields named by the validation paths so errors land beside them and
//! in the error summary. "Add a goal" and "add an intervention" are submit buttons: the form
//! comes back with what was typed and one more slot (no JavaScript needed, nothing saved).

use super::case_header::CaseHeader;
use super::cases::choices;
use super::intake::Pairs;
use super::plan::{case_id, team_of};
use super::users::Choice;
use super::{render, Chrome, ErrorLink, FormState};
use crate::auth::{PageUser, WebForm};
use crate::error::{Surface, WebError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::case::CaseAccess;
use karuna_app::plan::PlanSubmission;
use karuna_app::AppError;
use karuna_domain::plan::{
    GoalInput, InterventionInput, PlanInput, DIMENSIONS, INTERVENTION_STATES, METHODS, PRIORITIES,
};
use uuid::Uuid;

#[derive(Template)]
#[template(path = "plan_form.html")]
struct FormPage {
    c: Chrome,
    id: Uuid,
    head: CaseHeader,
    number: String,
    based_on: i64,
    goals: Vec<FormGoal>,
    form: FormState,
    summary: Vec<ErrorLink>,
    /// The form comes back with input not yet saved (a slot was added, or saving failed).
    unsaved: bool,
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

async fn form_page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    based_on: i64,
    form: FormState,
    slots: &[usize],
    status: StatusCode,
) -> Result<Response, WebError> {
    let (case, team) = team_of(state, u, id).await?;
    let head = CaseHeader::new(u, &case, "plan");
    let number = case.case.number.clone();
    let goals = slots
        .iter()
        .enumerate()
        .map(|(i, n)| form_goal(&form, i, *n))
        .collect();
    let summary = form.summary(|name| plan_field(u, name));
    // Re-shown after a failed save, or with a slot added ("add" came with the input).
    let unsaved = status != StatusCode::OK || !form.value("add").is_empty();
    let page = FormPage {
        c: Chrome::for_user(u, &format!("/cases/{id}/plan/edit")),
        id,
        head,
        number,
        based_on,
        goals,
        form,
        summary,
        unsaved,
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

/// The element id and label of a plan form field, for the error summary: `goals[1].target`
/// is "Goal 2 · Target", `goals[0].interventions[1].start` "Goal 1 · Intervention 2 · Start".
fn plan_field(u: &PageUser, name: &str) -> Option<(String, String)> {
    let id = name.replace(['[', '.'], "-").replace(']', "");
    if name == "reason" {
        return Some((id, u.tr.get("plan-reason")));
    }
    let rest = name.strip_prefix("goals[")?;
    let (i, rest) = rest.split_once("].")?;
    let goal = u.tr.get1(
        "plan-goal-n",
        "n",
        &(i.parse::<usize>().ok()? + 1).to_string(),
    );
    let (prefix, field) = match rest.strip_prefix("interventions[") {
        Some(x) => {
            let (j, field) = x.split_once("].")?;
            let n = j.parse::<usize>().ok()? + 1;
            (
                format!("{goal} · {} {n}", u.tr.get("plan-intervention")),
                field,
            )
        }
        None => (goal, rest),
    };
    let key = match field {
        "dimension" => "plan-dimension",
        "priority" => "plan-priority",
        "weight" => "plan-weight",
        "statement" => "plan-statement",
        "indicator" => "plan-indicator",
        "baseline" => "plan-baseline",
        "target" => "plan-target",
        "target_date" => "plan-target-date",
        "client_agreement" => "plan-client-agreement",
        "method" => "plan-method",
        "status" => "plan-intervention-status",
        "responsible_id" => "plan-responsible",
        "provider" => "plan-provider",
        "start" => "plan-start",
        "end" => "plan-end",
        "frequency" => "plan-frequency",
        _ => return None,
    };
    Some((id, format!("{prefix} · {}", u.tr.get(key))))
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
    let (plan, mut counts) = plan_input(&p);
    let based_on = p.get("based_on").trim().parse().unwrap_or(-1);
    // "Add a goal" / "add an intervention to goal i": the same input back, one slot more.
    let add = p.get("add");
    if !add.is_empty() {
        state
            .app
            .check_case(&u.user, &u.ctx, id, CaseAccess::Edit, "plan.save")
            .await
            .map_err(|e| u.err(e))?;
        match add.strip_prefix("intervention-").map(str::parse::<usize>) {
            Some(Ok(i)) if i < counts.len() => counts[i] += 1,
            _ => counts.push(1),
        }
        return form_page(
            &state,
            &u,
            id,
            based_on.max(0),
            FormState::from_pairs(&p.0),
            &counts,
            StatusCode::OK,
        )
        .await;
    }
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
