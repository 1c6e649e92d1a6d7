//! The individual plan in the browser: the plan in force with its progress and GAS T-score,
//! earlier versions, the supervisor's decision, and the form that writes a new version.

use super::case_header::CaseHeader;
use super::cases::{choices, label};
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
use karuna_app::plan::PlanView;
use karuna_app::AppError;
use karuna_domain::access::Role;
use karuna_domain::plan::INTERVENTION_STATES;
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
    /// "indicator: baseline → target", leaving out what is empty (no ": →").
    measure: String,
    target_date: String,
    weight: i64,
    client_agreement: String,
    interventions: Vec<InterventionLine>,
    progress: Vec<ProgressLine>,
}

struct InterventionLine {
    id: Uuid,
    status_code: String,
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
    head: CaseHeader,
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
    states: Vec<Choice>,
}

impl PlanPage {
    /// True when the progress form that failed belongs to goal `id`.
    fn failed(&self, id: &Uuid) -> bool {
        self.failed_goal == Some(*id)
    }
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
            measure: measure(&g.indicator, &g.baseline, &g.target),
            target_date: u.tr.date(&g.target_date),
            weight: g.weight,
            client_agreement: g.client_agreement.clone(),
            interventions: g
                .interventions
                .iter()
                .map(|x| InterventionLine {
                    id: x.id,
                    status_code: x.status.clone(),
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

/// A goal's measure in one line without separators around empty parts: "attends: missed 2 →
/// attends all", "attends → attends all" when no baseline was recorded, "attends all" alone.
fn measure(indicator: &str, baseline: &str, target: &str) -> String {
    let (indicator, baseline, target) = (indicator.trim(), baseline.trim(), target.trim());
    let change = match (baseline.is_empty(), target.is_empty()) {
        (false, false) => format!("{baseline} → {target}"),
        (false, true) => baseline.to_string(),
        (true, false) => target.to_string(),
        (true, true) => String::new(),
    };
    match (indicator.is_empty(), change.is_empty()) {
        (true, _) => change,
        (false, true) => indicator.to_string(),
        (false, false) if baseline.is_empty() => format!("{indicator} → {change}"),
        (false, false) => format!("{indicator}: {change}"),
    }
}

pub(super) fn case_id(u: &PageUser, id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| u.err(AppError::NotFound))
}

pub(super) async fn team_of(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
) -> Result<(karuna_app::case::CaseView, Vec<(Uuid, String)>), WebError> {
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
    Ok((view, team))
}

async fn plan_page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    flash: Option<String>,
    failed: Option<(Uuid, FormState)>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let (case, team) = team_of(state, u, id).await?;
    let head = CaseHeader::new(u, &case, "plan");
    let number = case.case.number.clone();
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
        c: Chrome::for_user(u, &format!("/cases/{id}/plan")),
        id,
        head,
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
        states: choices(u, "intervention-status", &INTERVENTION_STATES),
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

/// `POST /cases/{id}/interventions/{intervention}`: an intervention's new status.
pub async fn intervention(
    State(state): State<AppState>,
    u: PageUser,
    Path((id, iid)): Path<(String, String)>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    state
        .app
        .check_case(&u.user, &u.ctx, id, CaseAccess::Edit, "intervention.update")
        .await
        .map_err(|e| u.err(e))?;
    let iid = case_id(&u, &iid)?;
    match state
        .app
        .update_intervention(&u.user, &u.ctx, id, iid, &p.get("status"), &p.get("note"))
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}/plan?saved=1")).into_response()),
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

#[cfg(test)]
mod tests {
    use super::measure;

    #[test]
    fn a_measure_has_no_separator_around_an_empty_part() {
        assert_eq!(measure("นัด", "ขาด 2", "ครบ"), "นัด: ขาด 2 → ครบ");
        assert_eq!(measure("นัด", "", "ครบ"), "นัด → ครบ");
        assert_eq!(measure("นัด", " ", ""), "นัด");
        assert_eq!(measure("", "", "ครบ"), "ครบ");
        assert_eq!(measure("", "", ""), "");
    }
}
