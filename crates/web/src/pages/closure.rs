//! Reviews, closure and follow-up in the browser: when the next review is due and the review
//! form, the closure summary (with the supervisor's decision and the button that closes the
//! case), and the follow-ups after closure.

use super::case_header::CaseHeader;
use super::cases::choices;
use super::cases::label;
use super::intake::Pairs;
use super::plan::case_id;
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
use karuna_app::AppError;
use karuna_domain::access::Role;
use karuna_domain::closure::{
    ClosureInput, GoalOutcomeInput, ReviewInput, CLOSURE_REASONS, GOAL_OUTCOMES, REVIEW_OUTCOMES,
};
use serde::Deserialize;
use uuid::Uuid;

struct ReviewLine {
    date: String,
    outcome: String,
    note: String,
    gas: String,
    by: String,
}

struct ClosureCard {
    status_code: String,
    status: String,
    reason: String,
    summary: String,
    goals: Vec<(String, String)>,
    gas: String,
    follow_ups: String,
    by: String,
    at: String,
}

struct FollowUpLine {
    id: Uuid,
    due: String,
    done: Option<String>,
    note: String,
    overdue: bool,
}

/// A goal of the plan in force, for the closure form.
struct GoalChoice {
    id: Uuid,
    statement: String,
}

#[derive(Template)]
#[template(path = "closure.html")]
struct ClosurePage {
    c: Chrome,
    id: Uuid,
    head: CaseHeader,
    number: String,
    status_code: String,
    version: i64,
    next_review: Option<String>,
    review_overdue: bool,
    review_days: i64,
    reviews: Vec<ReviewLine>,
    closures: Vec<ClosureCard>,
    approval_required: bool,
    can_decide: bool,
    can_close: bool,
    can_manage: bool,
    /// Promises still open (id, what, due date): they keep the case from closing.
    open_promises: Vec<(Uuid, String, String)>,
    goals: Vec<GoalChoice>,
    follow_ups: Vec<FollowUpLine>,
    flash: Option<String>,
    /// Which form failed (`review`, `closure`, or a follow-up id) and its state.
    failed: String,
    form: FormState,
    review_outcomes: Vec<Choice>,
    reasons: Vec<Choice>,
    outcomes: Vec<Choice>,
}

impl ClosurePage {
    /// The form's state when `name` is the form that failed, else an empty one.
    fn f(&self, name: &str) -> Option<&FormState> {
        (self.failed == name).then_some(&self.form)
    }
}

/// Flash flags.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ClosureQuery {
    saved: Option<String>,
}

async fn page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    flash: Option<String>,
    failed: (String, FormState),
    status: StatusCode,
) -> Result<Response, WebError> {
    let app = &state.app;
    let case = app
        .open_case(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let view = app
        .closure_view(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let plan = app.plan(&u.user, &u.ctx, id).await.map_err(|e| u.err(e))?;
    let today = karuna_thai::calendar::bangkok_date(chrono::Utc::now());
    let goals: Vec<GoalChoice> = plan
        .current()
        .map(|v| {
            v.content
                .goals
                .iter()
                .map(|g| GoalChoice {
                    id: g.id,
                    statement: g.statement.clone(),
                })
                .collect()
        })
        .unwrap_or_default();
    let statement_of = |gid: &Uuid| {
        plan.versions
            .iter()
            .flat_map(|v| v.content.goals.iter())
            .find(|g| g.id == *gid)
            .map(|g| g.statement.clone())
            .unwrap_or_default()
    };
    let usable = view
        .closures
        .iter()
        .any(|c| matches!(c.status.as_str(), "ready" | "approved"));
    let can_decide = view.closures.iter().any(|c| {
        c.status == "awaiting_approval"
            && u.user.actor.role == Role::Supervisor
            && c.created_by != u.user.actor.id
    });
    let page = ClosurePage {
        c: Chrome::for_user(u, &format!("/cases/{id}/closure")),
        id,
        head: CaseHeader::new(u, &case, "closure"),
        number: case.case.number.clone(),
        status_code: case.case.status.clone(),
        version: case.case.version,
        next_review: view.next_review.map(|d| u.tr.date(&d)),
        review_overdue: view.next_review.is_some_and(|d| d < today),
        review_days: view.review_days,
        reviews: view
            .reviews
            .iter()
            .map(|r| ReviewLine {
                date: u.tr.date(&r.held_on),
                outcome: label(u, "review-outcome", &r.outcome),
                note: r.note.clone(),
                gas: r
                    .gas_t_tenths
                    .map(|t| format!("{:.1}", t as f64 / 10.0))
                    .unwrap_or_default(),
                by: r.recorded_by_name.clone(),
            })
            .collect(),
        closures: view
            .closures
            .iter()
            .map(|c| ClosureCard {
                status_code: c.status.clone(),
                status: label(u, "closure-status", &c.status),
                reason: label(u, "closure-reason", &c.reason),
                summary: c.summary.clone(),
                goals: c
                    .goals
                    .iter()
                    .map(|g| {
                        (
                            statement_of(&g.goal_id),
                            label(u, "goal-outcome", &g.outcome),
                        )
                    })
                    .collect(),
                gas: c
                    .final_gas_tenths
                    .map(|t| format!("{:.1}", t as f64 / 10.0))
                    .unwrap_or_default(),
                follow_ups: c
                    .follow_up_months
                    .iter()
                    .map(|m| m.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                by: c.created_by_name.clone(),
                at: u.tr.datetime(&c.created_at),
            })
            .collect(),
        approval_required: view.approval_required,
        can_decide,
        can_close: usable
            && view.open_promises.is_empty()
            && case.can_manage
            && case.case.status != "closed",
        can_manage: case.can_manage,
        open_promises: view
            .open_promises
            .iter()
            .map(|p| (p.id, p.what.clone(), u.tr.date(&p.due_date)))
            .collect(),
        goals,
        follow_ups: view
            .follow_ups
            .iter()
            .map(|f| FollowUpLine {
                id: f.id,
                due: u.tr.date(&f.due_on),
                done: f.done_on.map(|d| u.tr.date(&d)),
                note: f.note.clone().unwrap_or_default(),
                overdue: f.done_on.is_none() && f.due_on < today,
            })
            .collect(),
        flash,
        failed: failed.0,
        form: failed.1,
        review_outcomes: choices(u, "review-outcome", &REVIEW_OUTCOMES),
        reasons: choices(u, "closure-reason", &CLOSURE_REASONS),
        outcomes: choices(u, "goal-outcome", &GOAL_OUTCOMES),
    };
    Ok(render(status, &page))
}

/// `GET /cases/{id}/closure`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<ClosureQuery>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let flash = q.saved.map(|_| u.tr.get("closure-page-saved"));
    let none = (String::new(), FormState::with(&[]));
    page(&state, &u, id, flash, none, StatusCode::OK).await
}

/// Redirects on success; re-renders with the failed form's errors otherwise.
async fn finish(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    form: &str,
    p: &Pairs,
    r: Result<(), AppError>,
) -> Result<Response, WebError> {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}/closure?saved=1")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict)) => {
            let status = if matches!(e, AppError::Conflict) {
                StatusCode::CONFLICT
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let fields = WebError::new(e, Surface::Page, u.tr.clone()).fields();
            let state_of = FormState::from_pairs(&p.0).errors(fields);
            page(state, u, id, None, (form.to_string(), state_of), status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

async fn read(
    state: &AppState,
    u: &PageUser,
    id: &str,
    pairs: Vec<(String, String)>,
    access: CaseAccess,
    what: &str,
) -> Result<(Uuid, Pairs), WebError> {
    let id = case_id(u, id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    state
        .app
        .check_case(&u.user, &u.ctx, id, access, what)
        .await
        .map_err(|e| u.err(e))?;
    Ok((id, p))
}

/// `POST /cases/{id}/reviews`.
pub async fn review(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let (id, p) = read(&state, &u, &id, pairs, CaseAccess::Edit, "review.create").await?;
    let input = ReviewInput {
        outcome: p.get("outcome"),
        note: p.get("note"),
    };
    let r = state.app.record_review(&u.user, &u.ctx, id, &input).await;
    finish(&state, &u, id, "review", &p, r.map(|_| ())).await
}

/// `POST /cases/{id}/closure`: the closure summary.
pub async fn closure(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let (id, p) = read(&state, &u, &id, pairs, CaseAccess::Manage, "closure.create").await?;
    let mut goals = Vec::new();
    let mut i = 0;
    while p.has(&format!("goals[{i}].goal_id")) {
        goals.push(GoalOutcomeInput {
            goal_id: p.get(&format!("goals[{i}].goal_id")),
            outcome: p.get(&format!("goals[{i}].outcome")),
        });
        i += 1;
    }
    let input = ClosureInput {
        reason: p.get("reason"),
        summary: p.get("summary"),
        goals,
        follow_up_months: Some(
            p.all("follow_up_months")
                .iter()
                .filter_map(|m| m.trim().parse().ok())
                .collect(),
        ),
    };
    let r = state.app.record_closure(&u.user, &u.ctx, id, &input).await;
    finish(&state, &u, id, "closure", &p, r.map(|_| ())).await
}

/// `POST /cases/{id}/closure/decision`: `decision` is `approve` or `return`.
pub async fn decide(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let (id, p) = read(
        &state,
        &u,
        &id,
        pairs,
        CaseAccess::Manage,
        "closure.approve",
    )
    .await?;
    let approve = p.get("decision") == "approve";
    let r = state.app.decide_closure(&u.user, &u.ctx, id, approve).await;
    finish(&state, &u, id, "decision", &p, r).await
}

/// `POST /cases/{id}/follow-ups/{follow_up}`: a follow-up done.
pub async fn follow_up(
    State(state): State<AppState>,
    u: PageUser,
    Path((id, fid)): Path<(String, String)>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let (id, p) = read(
        &state,
        &u,
        &id,
        pairs,
        CaseAccess::Edit,
        "follow_up.complete",
    )
    .await?;
    let fid = case_id(&u, &fid)?;
    let r = state
        .app
        .complete_follow_up(&u.user, &u.ctx, id, fid, &p.get("date"), &p.get("note"))
        .await;
    finish(&state, &u, id, &fid.to_string(), &p, r).await
}
