//! Supervision sessions: recorded by a supervisor of a unit with one of its workers, read by
//! her, by the worker, and by the unit's supervisors; nobody else. Reads are audited: the
//! sessions hold the worker's wellbeing.

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::Utc;
use karuna_domain::access::{Action, DenyReason, Role};
use karuna_domain::audit::Outcome;
use karuna_domain::supervision::{validate_session, SupervisionInput};
use karuna_domain::FieldError;
use karuna_store::audit;
use karuna_store::supervision::{self as store, NewSession, SessionRow};
use karuna_thai::calendar::{bangkok_date, Era};
use uuid::Uuid;

impl App {
    /// A supervisor records a session with a worker of her unit (not herself).
    pub async fn record_supervision(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        input: &SupervisionInput,
    ) -> Result<Uuid, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ViewUnitWork,
            "supervision.create",
            ("account", None),
        )
        .await?;
        let unit = user
            .actor
            .unit_id
            .ok_or(AppError::Forbidden(DenyReason::Role))?;
        let era = Era::from_code(&user.era).unwrap_or_default();
        let s = validate_session(input, era, bangkok_date(Utc::now()))?;
        let worker = Uuid::parse_str(input.worker_id.trim())
            .ok()
            .map(|id| karuna_store::account::account_by_id(&self.db, id));
        let worker = match worker {
            Some(f) => f.await?,
            None => None,
        }
        .filter(|a| a.org_id == user.actor.org_id && a.active && a.id != user.actor.id);
        let ok = worker.as_ref().is_some_and(|w| {
            w.unit_id == Some(unit)
                && matches!(
                    Role::from_code(&w.role),
                    Some(Role::CaseManager | Role::TeamMember | Role::Supervisor)
                )
        });
        let Some(worker) = worker.filter(|_| ok) else {
            return Err(FieldError::new("worker_id", "supervision.worker_not_in_unit").into());
        };
        let mut tx = self.db.begin().await?;
        let id = store::insert(
            &mut tx,
            &NewSession {
                org_id: user.actor.org_id,
                unit_id: unit,
                supervisor_id: user.actor.id,
                worker_id: worker.id,
                held_on: s.held_on,
                caseload_reviewed: input.caseload_reviewed,
                cases_discussed: &s.cases_discussed,
                agreed_actions: &s.agreed_actions,
                wellbeing: &s.wellbeing,
                training_needs: &s.training_needs,
            },
        )
        .await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "supervision.create", Outcome::Success),
                "supervision_session",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The sessions the user may read: her own (as worker or supervisor), and for a supervisor
    /// of a unit, its workers'. Audited.
    pub async fn supervision_sessions(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Vec<SessionRow>, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ListCases,
            "supervision.list",
            ("account", None),
        )
        .await?;
        let unit = (user.role() == Role::Supervisor)
            .then_some(user.actor.unit_id)
            .flatten();
        let rows = store::visible_to(&self.db, user.actor.org_id, user.actor.id, unit, 200).await?;
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "supervision.list", Outcome::Success),
                "supervision_session",
                None,
            ),
        )
        .await?;
        Ok(rows)
    }
}
