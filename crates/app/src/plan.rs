//! The individual plan and monitoring: versions with their reasons, supervisor approval where
//! the case's type asks for it, progress entries and the plan's GAS T-score.

use crate::case::CaseAccess;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::access::{decide, Action};
use karuna_domain::audit::Outcome;
use karuna_domain::plan::{gas_t_score, validate_plan, validate_status_change, PlanInput};
use karuna_domain::progress::{validate_progress, ProgressInput};
use karuna_domain::FieldError;
use karuna_store::audit;
use karuna_store::plan::{self as store, PlanVersionRow, ProgressRow};
use karuna_thai::calendar::{bangkok_date, Era};
use uuid::Uuid;

/// A case's plan: every version (newest first), the progress entries, and the GAS T-score of
/// the plan in force (the latest score of each of its goals, weighted).
#[derive(Debug, Clone)]
pub struct PlanView {
    /// Versions, newest first.
    pub versions: Vec<PlanVersionRow>,
    /// Progress entries, oldest first.
    pub progress: Vec<ProgressRow>,
    /// The T-score, once a goal of the plan in force has a GAS score.
    pub gas_t: Option<f64>,
    /// The case's types ask for a supervisor's approval of each version.
    pub approval_required: bool,
    /// Status changes of interventions between versions, oldest first.
    pub intervention_events: Vec<store::InterventionEvent>,
}

impl PlanView {
    /// The version in force (the latest active one).
    pub fn current(&self) -> Option<&PlanVersionRow> {
        self.versions.iter().find(|v| v.status == "active")
    }
}

/// A new plan version: `based_on` is the latest version number read (0 for the first plan).
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PlanSubmission {
    /// The latest version number the author saw; anything else is a conflict.
    pub based_on: i64,
    /// The plan.
    #[serde(flatten)]
    pub plan: PlanInput,
}

impl App {
    /// The case's plan, its versions and its progress.
    pub async fn plan(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
    ) -> Result<PlanView, AppError> {
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Open, "plan.read")
            .await?;
        let mut versions = store::versions(&self.db, case_id).await?;
        let events = store::intervention_events(&self.db, case_id).await?;
        if let Some(v) = versions.iter_mut().find(|v| v.status == "active") {
            store::apply_events(v, &events);
        }
        let progress = store::progress(&self.db, case_id).await?;
        let approval_required = self
            .case_rules(case.org_id, &case.case_types)
            .await?
            .plan_approval;
        let mut view = PlanView {
            versions,
            progress,
            gas_t: None,
            approval_required,
            intervention_events: events,
        };
        view.gas_t = view.current().and_then(|v| {
            let scored: Vec<(i64, i64)> = v
                .content
                .goals
                .iter()
                .filter_map(|g| {
                    view.progress
                        .iter()
                        .rev()
                        .find(|p| p.goal_id == g.id && p.gas.is_some())
                        .and_then(|p| p.gas)
                        .map(|x| (g.weight, x))
                })
                .collect();
            gas_t_score(&scored)
        });
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "plan.read", Outcome::Success),
                "case",
                Some(case_id),
            ),
        )
        .await?;
        Ok(view)
    }

    /// Saves a new plan version (the first plan, or a revision with its reason). It is in force
    /// at once, or awaits a supervisor's approval when the case's type asks for it. A stale
    /// `based_on` is a conflict.
    pub async fn save_plan(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        submission: &PlanSubmission,
    ) -> Result<i64, AppError> {
        let (case, facts) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "plan.save")
            .await?;
        let era = Era::from_code(&user.era).unwrap_or_default();
        let mut team = facts.team_member_ids.clone();
        team.push(facts.case_manager_id);
        let revision = submission.based_on > 0;
        let (content, reason) = validate_plan(&submission.plan, era, &team, revision)?;
        let status = if self
            .case_rules(case.org_id, &case.case_types)
            .await?
            .plan_approval
        {
            "awaiting_approval"
        } else {
            "active"
        };
        let mut tx = self.db.begin().await?;
        let (latest, _) = store::latest_tx(&mut tx, case_id).await?;
        if latest != submission.based_on {
            return Err(AppError::Conflict);
        }
        let number = latest + 1;
        let id = store::insert_version(
            &mut tx,
            case.org_id,
            case_id,
            number,
            &content,
            reason.as_deref(),
            status,
            user.actor.id,
        )
        .await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        if status == "awaiting_approval" {
            let n = karuna_store::notification::NewNotification {
                org_id: case.org_id,
                kind: "plan_approval",
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
        let action = if revision {
            "plan.revise"
        } else {
            "plan.create"
        };
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, action, Outcome::Success),
                "plan_version",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(number)
    }

    /// A supervisor of the case's unit approves (or returns, with `approve` false) a version
    /// awaiting approval; the author may not approve their own plan.
    pub async fn decide_plan(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        number: i64,
        approve: bool,
    ) -> Result<(), AppError> {
        let action = if approve {
            "plan.approve"
        } else {
            "plan.return"
        };
        let (_, facts) = self
            .case_for(user, ctx, case_id, CaseAccess::Manage, action)
            .await?;
        let versions = store::versions(&self.db, case_id).await?;
        let v = versions
            .iter()
            .find(|v| v.number == number)
            .ok_or(AppError::NotFound)?;
        let may = decide(
            &user.actor,
            Action::ApproveWork {
                case: &facts,
                author: v.created_by,
            },
        );
        if !may.is_allowed() {
            return Err(FieldError::new("number", "plan.approver_invalid").into());
        }
        let mut tx = self.db.begin().await?;
        let status = if approve { "active" } else { "returned" };
        if !store::decide(&mut tx, case_id, number, status, user.actor.id).await? {
            return Err(FieldError::new("number", "plan.not_awaiting").into());
        }
        // The author hears of the decision (never the decider: no one approves her own work).
        let n = karuna_store::notification::NewNotification {
            org_id: facts.org_id,
            kind: if approve {
                "plan_approved"
            } else {
                "plan_returned"
            },
            case_id,
            entity_id: Some(v.id),
            actor_id: Some(user.actor.id),
        };
        karuna_store::notification::notify(&mut tx, v.created_by, &n).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, action, Outcome::Success),
                "plan_version",
                Some(v.id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes the status of an intervention of the plan in force without a new version (it
    /// started, was completed, ended early or was cancelled — the last two with a reason).
    pub async fn update_intervention(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        intervention_id: Uuid,
        status: &str,
        note: &str,
    ) -> Result<(), AppError> {
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "intervention.update")
            .await?;
        let (status, note) = validate_status_change(status, note)?;
        let versions = store::versions(&self.db, case_id).await?;
        let in_plan = versions
            .iter()
            .find(|v| v.status == "active")
            .is_some_and(|v| {
                v.content
                    .goals
                    .iter()
                    .flat_map(|g| g.interventions.iter())
                    .any(|x| x.id == intervention_id)
            });
        if !in_plan {
            return Err(AppError::NotFound);
        }
        let mut tx = self.db.begin().await?;
        store::insert_intervention_event(
            &mut tx,
            case.org_id,
            case_id,
            intervention_id,
            &status,
            note.as_deref(),
            user.actor.id,
        )
        .await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        let mut e = on(
            event(Some(user), ctx, "intervention.update", Outcome::Success),
            "case",
            Some(case_id),
        );
        e.reason = Some(format!("{intervention_id} {status}"));
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records progress on a goal of the plan in force.
    pub async fn add_progress(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        input: &ProgressInput,
    ) -> Result<Uuid, AppError> {
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "progress.create")
            .await?;
        let versions = store::versions(&self.db, case_id).await?;
        let current = versions.iter().find(|v| v.status == "active");
        let goals: Vec<Uuid> = current
            .map(|v| v.content.goals.iter().map(|g| g.id).collect())
            .unwrap_or_default();
        let era = Era::from_code(&user.era).unwrap_or_default();
        let today = bangkok_date(karuna_store::time::now());
        let p = validate_progress(input, era, &goals, today)?;
        let plan_number = current.map_or(0, |v| v.number);
        let mut tx = self.db.begin().await?;
        let id = store::insert_progress(
            &mut tx,
            case.org_id,
            case_id,
            plan_number,
            &p,
            user.actor.id,
        )
        .await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "progress.create", Outcome::Success),
                "goal_progress",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}
