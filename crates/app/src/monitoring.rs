//! What needs attention: overdue reviews, stalled interventions and follow-ups after closure
//! falling due — on the worker's own cases, or across the unit for a supervisor.

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::NaiveDate;
use karuna_domain::access::{Action, Role};
use karuna_domain::audit::Outcome;
use karuna_domain::case_type::rules_for;
use karuna_domain::closure::next_review;
use karuna_domain::plan::stalled;
use karuna_store::audit;
use karuna_store::case_list::Scope;
use karuna_store::monitoring::{self as store, DueFollowUp};
use karuna_thai::calendar::bangkok_date;
use uuid::Uuid;

/// How many cases the attention lists look at, at most.
const MAX_CASES: i64 = 2_000;

/// A review past its date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverdueReview {
    /// Case.
    pub case_id: Uuid,
    /// Number.
    pub number: String,
    /// Case manager.
    pub manager: String,
    /// When it was due.
    pub due: NaiveDate,
}

/// An intervention that has stalled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StalledIntervention {
    /// Case.
    pub case_id: Uuid,
    /// Number.
    pub number: String,
    /// Case manager.
    pub manager: String,
    /// Method code.
    pub method: String,
    /// The goal it serves.
    pub goal: String,
    /// `past_end` or `not_started`.
    pub why: &'static str,
}

/// The attention lists.
#[derive(Debug, Clone, Default)]
pub struct Attention {
    /// Reviews past their date.
    pub overdue_reviews: Vec<OverdueReview>,
    /// Reviews falling due in the next 7 days (not yet overdue), soonest first.
    pub reviews_due_soon: Vec<OverdueReview>,
    /// Interventions stalled.
    pub stalled: Vec<StalledIntervention>,
    /// Follow-ups after closure due within a week or overdue.
    pub follow_ups: Vec<DueFollowUp>,
    /// The list covers the supervisor's whole unit.
    pub unit_wide: bool,
}

impl App {
    /// What needs attention on the user's cases (a supervisor: the unit's cases).
    pub async fn attention(&self, user: &CurrentUser, ctx: &Ctx) -> Result<Attention, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ListCases,
            "case.attention",
            ("case", None),
        )
        .await?;
        let unit_wide = user.role() == Role::Supervisor;
        let scope = Scope {
            org_id: user.actor.org_id,
            actor_id: user.actor.id,
            supervisor_unit: if unit_wide { user.actor.unit_id } else { None },
        };
        let today = bangkok_date(chrono::Utc::now());
        let types = self.case_types_of(user.actor.org_id).await?;
        let mut out = Attention {
            unit_wide,
            ..Default::default()
        };
        for c in store::monitored(&self.db, scope, MAX_CASES).await? {
            let days = rules_for(&types, &c.case_types).review_days;
            let since = bangkok_date(c.plan_decided_at.unwrap_or(c.plan_created_at));
            if let Some(due) = next_review(c.last_review, Some(since), days) {
                let r = OverdueReview {
                    case_id: c.case_id,
                    number: c.number.clone(),
                    manager: c.manager_name.clone(),
                    due,
                };
                if due < today {
                    out.overdue_reviews.push(r);
                } else if due <= today + chrono::Days::new(7) {
                    out.reviews_due_soon.push(r);
                }
            }
            for g in &c.plan.goals {
                for x in &g.interventions {
                    if let Some(why) = stalled(x, today) {
                        out.stalled.push(StalledIntervention {
                            case_id: c.case_id,
                            number: c.number.clone(),
                            manager: c.manager_name.clone(),
                            method: x.method.clone(),
                            goal: g.statement.clone(),
                            why,
                        });
                    }
                }
            }
        }
        out.overdue_reviews.sort_by_key(|r| r.due);
        out.reviews_due_soon.sort_by_key(|r| r.due);
        let week = today + chrono::Days::new(7);
        out.follow_ups = store::follow_ups_due(&self.db, scope, week, 200).await?;
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "case.attention", Outcome::Success),
                "case",
                None,
            ),
        )
        .await?;
        Ok(out)
    }
}
