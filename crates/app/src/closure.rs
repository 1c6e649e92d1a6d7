//! Reviews, closure and follow-up: reviews fall due at the interval the case's types set; a
//! closure summary (approved by a supervisor where the case's type asks for it) lets the case
//! close, and closing schedules the follow-up contacts.

use crate::case::CaseAccess;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::NaiveDate;
use karuna_domain::access::{decide, Action};
use karuna_domain::audit::Outcome;
use karuna_domain::case::Status;
use karuna_domain::closure::{
    follow_up_dates, next_review, validate_closure, validate_review, ClosureInput, ReviewInput,
};
use karuna_domain::FieldError;
use karuna_store::audit;
use karuna_store::closure::{self as store, ClosureRow, FollowUpRow, ReviewRow};
use karuna_store::db::Tx;
use karuna_thai::calendar::{bangkok_date, parse_date, Era};
use uuid::Uuid;

/// Where a case stands on reviews and closure.
#[derive(Debug, Clone)]
pub struct ClosureView {
    /// Reviews, newest first.
    pub reviews: Vec<ReviewRow>,
    /// When the next review is due (cases in implementation or review with a plan in force).
    pub next_review: Option<NaiveDate>,
    /// Days between reviews for this case (the shortest of its types' intervals).
    pub review_days: i64,
    /// Closures, newest first.
    pub closures: Vec<ClosureRow>,
    /// The case's types ask for a supervisor's approval of the closure.
    pub approval_required: bool,
    /// Follow-ups after closure.
    pub follow_ups: Vec<FollowUpRow>,
    /// Promises still open (at most 50): the case does not close until each is kept or
    /// released with a note that the client was told.
    pub open_promises: Vec<karuna_store::promise::PromiseRow>,
}

/// Marks the closure used and schedules its follow-ups from today (inside the closing
/// transaction).
pub(crate) async fn close_with(
    tx: &mut Tx,
    org_id: Uuid,
    case_id: Uuid,
    c: &ClosureRow,
) -> Result<(), AppError> {
    store::set_status(tx, c.id, &["ready", "approved"], "done", None).await?;
    let today = bangkok_date(karuna_store::time::now());
    let dates = follow_up_dates(today, &c.follow_up_months);
    store::insert_follow_ups(tx, org_id, case_id, c.id, &dates).await?;
    Ok(())
}

fn tenths(t: Option<f64>) -> Option<i64> {
    t.map(|t| (t * 10.0).round() as i64)
}

impl App {
    /// Reviews, closures and follow-ups of a case, with the next review's date.
    pub async fn closure_view(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
    ) -> Result<ClosureView, AppError> {
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Open, "review.read")
            .await?;
        let rules = self.case_rules(case.org_id, &case.case_types).await?;
        let reviews = store::reviews(&self.db, case_id).await?;
        let in_force_since = karuna_store::plan::versions(&self.db, case_id)
            .await?
            .into_iter()
            .find(|v| v.status == "active")
            .map(|v| bangkok_date(v.decided_at.unwrap_or(v.created_at)));
        let reviewing = matches!(
            Status::from_code(&case.status),
            Some(Status::Implementation | Status::Review)
        );
        let next = next_review(
            reviews.first().map(|r| r.held_on),
            in_force_since,
            rules.review_days,
        )
        .filter(|_| reviewing);
        let view = ClosureView {
            reviews,
            next_review: next,
            review_days: rules.review_days,
            closures: store::closures(&self.db, case_id).await?,
            approval_required: rules.closure_approval,
            follow_ups: store::follow_ups(&self.db, case_id).await?,
            open_promises: karuna_store::promise::open_for_case(&self.db, case_id, 50).await?,
        };
        self.audit_read(user, ctx, "closure.read", ("case", case_id))
            .await?;
        Ok(view)
    }

    /// Records a review of the plan (cases in implementation or review), with the plan's GAS
    /// T-score at the time.
    pub async fn record_review(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        input: &ReviewInput,
    ) -> Result<Uuid, AppError> {
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "review.create")
            .await?;
        let (outcome, note) = validate_review(input)?;
        if !matches!(
            Status::from_code(&case.status),
            Some(Status::Implementation | Status::Review)
        ) {
            return Err(FieldError::new("outcome", "review.not_in_implementation").into());
        }
        let gas = self.plan(user, ctx, case_id).await?.gas_t;
        let today = bangkok_date(karuna_store::time::now());
        let mut tx = self.db.begin().await?;
        let id = store::insert_review(
            &mut tx,
            case.org_id,
            case_id,
            today,
            &outcome,
            &note,
            tenths(gas),
            user.actor.id,
        )
        .await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        let mut e = on(
            event(Some(user), ctx, "review.create", Outcome::Success),
            "case_review",
            Some(id),
        );
        e.reason = Some(outcome);
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records the closure summary: reason, summary, each goal's outcome and the final GAS,
    /// the follow-ups to schedule. It is ready at once, or awaits a supervisor's approval when
    /// the case's type asks for it.
    pub async fn record_closure(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        input: &ClosureInput,
    ) -> Result<Uuid, AppError> {
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Manage, "closure.create")
            .await?;
        if case.status == Status::Closed.code() {
            return Err(FieldError::new("reason", "closure.already_closed").into());
        }
        let plan = self.plan(user, ctx, case_id).await?;
        let goals: Vec<Uuid> = plan
            .current()
            .map(|v| v.content.goals.iter().map(|g| g.id).collect())
            .unwrap_or_default();
        let closure = validate_closure(input, &goals)?;
        let rules = self.case_rules(case.org_id, &case.case_types).await?;
        let status = if rules.closure_approval {
            "awaiting_approval"
        } else {
            "ready"
        };
        let mut tx = self.db.begin().await?;
        let id = store::insert_closure(
            &mut tx,
            case.org_id,
            case_id,
            &closure,
            tenths(plan.gas_t),
            status,
            user.actor.id,
        )
        .await?;
        if status == "awaiting_approval" {
            let n = karuna_store::notification::NewNotification {
                org_id: case.org_id,
                kind: "closure_approval",
                case_id,
                entity_id: Some(id),
                actor_id: Some(user.actor.id),
            };
            karuna_store::notification::notify_unit_supervisors(
                &mut tx,
                case.unit_id,
                user.actor.id,
                &n,
            )
            .await?;
        }
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "closure.create", Outcome::Success),
                "case_closure",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A supervisor of the case's unit, other than its author, approves or returns a closure
    /// awaiting approval.
    pub async fn decide_closure(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        approve: bool,
    ) -> Result<(), AppError> {
        let action = if approve {
            "closure.approve"
        } else {
            "closure.return"
        };
        let (_, facts) = self
            .case_for(user, ctx, case_id, CaseAccess::Manage, action)
            .await?;
        let waiting = store::closures(&self.db, case_id)
            .await?
            .into_iter()
            .find(|c| c.status == "awaiting_approval")
            .ok_or_else(|| FieldError::new("approve", "closure.not_awaiting"))?;
        let may = decide(
            &user.actor,
            Action::ApproveWork {
                case: &facts,
                author: waiting.created_by,
            },
        );
        if !may.is_allowed() {
            return Err(FieldError::new("approve", "plan.approver_invalid").into());
        }
        let to = if approve { "approved" } else { "returned" };
        let mut tx = self.db.begin().await?;
        if !store::set_status(
            &mut tx,
            waiting.id,
            &["awaiting_approval"],
            to,
            Some(user.actor.id),
        )
        .await?
        {
            return Err(AppError::Conflict);
        }
        let n = karuna_store::notification::NewNotification {
            org_id: facts.org_id,
            kind: if approve {
                "closure_approved"
            } else {
                "closure_returned"
            },
            case_id,
            entity_id: Some(waiting.id),
            actor_id: Some(user.actor.id),
        };
        karuna_store::notification::notify(&mut tx, waiting.created_by, &n).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, action, Outcome::Success),
                "case_closure",
                Some(waiting.id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a follow-up contact after closure as done, with what was found.
    pub async fn complete_follow_up(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        follow_up: Uuid,
        date: &str,
        note: &str,
    ) -> Result<(), AppError> {
        self.case_for(user, ctx, case_id, CaseAccess::Edit, "follow_up.complete")
            .await?;
        let era = Era::from_code(&user.era).unwrap_or_default();
        let today = bangkok_date(karuna_store::time::now());
        let on_date = if date.trim().is_empty() {
            today
        } else {
            let d = parse_date(date, era)
                .map_err(|e| FieldError::new("date", e.code()))?
                .date;
            if d > today {
                return Err(FieldError::new("date", "progress.in_future").into());
            }
            d
        };
        let note = note.trim();
        if note.is_empty() {
            return Err(FieldError::new("note", "required").into());
        }
        if note.chars().count() > 5000 {
            return Err(FieldError::new("note", "too_long").into());
        }
        let mut tx = self.db.begin().await?;
        if !store::complete_follow_up(&mut tx, case_id, follow_up, on_date, note, user.actor.id)
            .await?
        {
            return Err(AppError::NotFound);
        }
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "follow_up.complete", Outcome::Success),
                "follow_up",
                Some(follow_up),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
