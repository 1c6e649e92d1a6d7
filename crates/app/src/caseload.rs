//! Caseloads: my own, and for a supervisor each case manager and supervisor of her unit, with
//! the limit that applies and a warning above it; a supervisor sets the limit of her unit's
//! workers. Counts and names only, but they describe colleagues' work: reads are audited.

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::Utc;
use karuna_domain::access::{Action, DenyReason, Role};
use karuna_domain::audit::Outcome;
use karuna_domain::case::Status;
use karuna_domain::caseload::{validate_limit, Load, StatusCount, DEFAULT_LIMIT};
use karuna_store::audit;
use karuna_store::caseload::{self as store, Worker};
use karuna_thai::calendar::bangkok_date;
use uuid::Uuid;

/// Whose caseload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Caseloads {
    /// Mine.
    Mine,
    /// My unit's case managers and supervisors (a supervisor).
    Unit,
}

/// A worker and her load.
#[derive(Debug, Clone)]
pub struct WorkerLoad {
    /// Account.
    pub account_id: Uuid,
    /// Name.
    pub name: String,
    /// Role code.
    pub role: String,
    /// The load.
    pub load: Load,
}

impl App {
    /// The caseloads asked for, by name; audited (`caseload.read`).
    pub async fn caseloads(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        which: Caseloads,
    ) -> Result<Vec<WorkerLoad>, AppError> {
        let workers = match which {
            Caseloads::Mine => {
                self.authorize(
                    user,
                    ctx,
                    Action::ListCases,
                    "caseload.read",
                    ("account", None),
                )
                .await?;
                store::worker(&self.db, user.actor.id)
                    .await?
                    .into_iter()
                    .collect::<Vec<Worker>>()
            }
            Caseloads::Unit => {
                self.authorize(
                    user,
                    ctx,
                    Action::ViewUnitWork,
                    "caseload.read",
                    ("account", None),
                )
                .await?;
                let unit = user
                    .actor
                    .unit_id
                    .ok_or(AppError::Forbidden(DenyReason::Role))?;
                store::unit_workers(&self.db, user.actor.org_id, unit).await?
            }
        };
        let ids: Vec<Uuid> = workers.iter().map(|w| w.id).collect();
        let today = bangkok_date(Utc::now());
        let (cases, tasks, promises) = tokio::try_join!(
            store::open_cases(&self.db, &ids),
            store::tasks(&self.db, &ids, today),
            store::overdue_promises(&self.db, &ids, today),
        )?;
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "caseload.read", Outcome::Success),
                "account",
                None,
            ),
        )
        .await?;
        Ok(workers
            .into_iter()
            .map(|w| {
                let mine = |id: &Uuid| *id == w.id;
                let by_status: Vec<StatusCount> = Status::ALL
                    .iter()
                    .filter(|s| **s != Status::Closed)
                    .map(|s| StatusCount {
                        status: s.code().to_string(),
                        count: cases
                            .iter()
                            .filter(|(m, st, _, _)| mine(m) && st == s.code())
                            .map(|(_, _, _, n)| n)
                            .sum(),
                    })
                    .collect();
                let (open_tasks, overdue_tasks) = tasks
                    .iter()
                    .find(|(id, _, _)| mine(id))
                    .map(|(_, o, d)| (*o, *d))
                    .unwrap_or((0, 0));
                WorkerLoad {
                    account_id: w.id,
                    role: w.role.clone(),
                    load: Load {
                        open_cases: cases.iter().filter(|c| mine(&c.0)).map(|c| c.3).sum(),
                        urgent_cases: cases
                            .iter()
                            .filter(|c| mine(&c.0) && (c.2 == "urgent" || c.2 == "emergency"))
                            .map(|c| c.3)
                            .sum(),
                        by_status,
                        open_tasks,
                        overdue_tasks,
                        overdue_promises: promises
                            .iter()
                            .find(|(id, _)| mine(id))
                            .map(|(_, n)| *n)
                            .unwrap_or(0),
                        limit: w.limit.unwrap_or(DEFAULT_LIMIT),
                        limit_set: w.limit.is_some(),
                    },
                    name: w.name,
                }
            })
            .collect())
    }

    /// A supervisor sets (or clears, with None) the caseload limit of a worker of her unit.
    pub async fn set_caseload_limit(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        account: Uuid,
        limit: Option<i64>,
    ) -> Result<(), AppError> {
        self.authorize(
            user,
            ctx,
            Action::ViewUnitWork,
            "caseload.limit",
            ("account", Some(account)),
        )
        .await?;
        let worker = store::worker(&self.db, account)
            .await?
            .ok_or(AppError::NotFound)?;
        let same_unit = worker.unit_id.is_some() && worker.unit_id == user.actor.unit_id;
        if !same_unit
            || !matches!(
                Role::from_code(&worker.role),
                Some(Role::CaseManager | Role::Supervisor)
            )
        {
            let mut e = on(
                event(Some(user), ctx, "caseload.limit", Outcome::Denied),
                "account",
                Some(account),
            );
            e.reason = Some(DenyReason::NotOnCase.code().into());
            audit::append_alone(&self.db, &e).await?;
            return Err(AppError::Forbidden(DenyReason::NotOnCase));
        }
        let limit = validate_limit(limit)?;
        let mut tx = self.db.begin().await?;
        store::set_limit(&mut tx, account, limit).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "caseload.limit", Outcome::Success),
                "account",
                Some(account),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
