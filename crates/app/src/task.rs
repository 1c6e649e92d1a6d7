//! Tasks of a case team: assigned by anyone on the case to a colleague who may open it (or to a
//! named person of another agency whom the case manager follows up), changed by the people the
//! rule of `domain::task::may_change` names, listed per case, per person ("my tasks") and per
//! unit (its supervisor's view). Every read is audited: tasks name cases and what is done for
//! the client.

use crate::case::CaseAccess;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::Utc;
use karuna_domain::access::{decide, is_on_case, Action, CaseFacts, DenyReason, Role};
use karuna_domain::audit::Outcome;
use karuna_domain::task::{
    check_change, may_change, validate_assignee, validate_due, validate_task, Assignee, TaskChange,
    TaskInput, TaskStatus, TEXT_MAX,
};
use karuna_domain::{FieldError, Validation};
use karuna_store::account as accounts;
use karuna_store::audit;
use karuna_store::task::{self as store, Doer, NewTask, TaskEvent, TaskRow, TaskState, Whose};
use karuna_thai::calendar::{bangkok_date, Era};
use uuid::Uuid;

/// The most tasks a list returns.
pub const LIST_LIMIT: i64 = 500;

/// A change to a task: `action` is `start`, `done` (with an optional `reason`: what came of
/// it), `cancel` (with `reason`), `reopen` (with `reason`), `reassign` (with `assignee_id`, or
/// `outside_name` and `outside_organisation`) or `reschedule` (with `due` and `reason`);
/// `version` is the one read.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TaskUpdate {
    /// The version read.
    pub version: i64,
    /// `start`, `done`, `cancel`, `reopen`, `reassign` or `reschedule`.
    pub action: String,
    /// Why (required to cancel, reopen or reschedule); for `done`, what came of it (optional).
    pub reason: String,
    /// For `reassign`: the colleague who does it now.
    pub assignee_id: String,
    /// For `reassign`: or a person of another agency.
    pub outside_name: String,
    /// For `reassign`: their organisation and role.
    pub outside_organisation: String,
    /// For `reschedule`: the new date, in the user's calendar.
    pub due: String,
}

/// Which tasks a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskList {
    /// Mine: assigned to me, or to an outside person on a case I manage.
    Mine,
    /// My unit's (a supervisor).
    Unit,
}

/// A task with what the viewer may do to it.
#[derive(Debug, Clone)]
pub struct TaskView {
    /// The task.
    pub task: TaskRow,
    /// The viewer may start it, mark it done, or reopen it.
    pub can_progress: bool,
    /// The viewer may cancel, reassign or reschedule it.
    pub can_steer: bool,
}

/// A goal or an intervention of a case's plan that a task can serve.
#[derive(Debug, Clone)]
pub struct PlanLink {
    /// Its stable id.
    pub id: Uuid,
    /// A goal's dimension or an intervention's method code.
    pub code: String,
    /// The goal's statement (for an intervention, its goal's).
    pub text: String,
}

/// The tasks of a case with what its task form offers.
#[derive(Debug, Clone)]
pub struct CaseTasks {
    /// Tasks, still to be done first, overdue first.
    pub tasks: Vec<TaskView>,
    /// Their history, oldest first.
    pub events: Vec<TaskEvent>,
    /// The plan's goals.
    pub goals: Vec<PlanLink>,
    /// The plan's interventions.
    pub interventions: Vec<PlanLink>,
}

fn doer(a: Assignee, account: Option<Uuid>) -> Doer {
    match (a, account) {
        (_, Some(id)) => Doer::Account(id),
        (Assignee::Outside { name, organisation }, None) => Doer::Outside {
            name,
            organisation: Some(organisation).filter(|o| !o.is_empty()),
        },
        (Assignee::Account(_), None) => Doer::Outside {
            name: String::new(),
            organisation: None,
        },
    }
}

/// Tells a colleague a task is theirs (in the assigning transaction).
async fn notify_assignee(
    tx: &mut karuna_store::db::Tx,
    org_id: Uuid,
    case_id: Uuid,
    task_id: Uuid,
    to: Uuid,
    actor: Uuid,
) -> Result<(), AppError> {
    let n = karuna_store::notification::NewNotification {
        org_id,
        kind: "task_assigned",
        case_id,
        entity_id: Some(task_id),
        actor_id: Some(actor),
    };
    karuna_store::notification::notify(tx, to, &n).await?;
    Ok(())
}

impl App {
    /// Checks that the account typed may do a task on the case: it exists in the organisation,
    /// is active, and may open the case (the same rule as `access::is_on_case`).
    async fn check_assignee(&self, facts: &CaseFacts, raw: &str) -> Result<Uuid, AppError> {
        let unknown = || AppError::from(FieldError::new("assignee_id", "task.assignee_unknown"));
        let id = Uuid::parse_str(raw.trim()).map_err(|_| unknown())?;
        let account = accounts::account_by_id(&self.db, id)
            .await?
            .filter(|a| a.org_id == facts.org_id)
            .ok_or_else(unknown)?;
        if !account.active {
            return Err(FieldError::new("assignee_id", "task.assignee_inactive").into());
        }
        match crate::actor_of(&account) {
            Some(actor) if is_on_case(&actor, facts) => Ok(id),
            _ => Err(FieldError::new("assignee_id", "task.assignee_cannot_open").into()),
        }
    }

    /// Checks that the goal and intervention typed belong to the case's plan (any version).
    async fn check_plan_links(
        &self,
        case_id: Uuid,
        goal: Option<&str>,
        intervention: Option<&str>,
    ) -> Result<(Option<Uuid>, Option<Uuid>), AppError> {
        if goal.is_none() && intervention.is_none() {
            return Ok((None, None));
        }
        let versions = karuna_store::plan::versions(&self.db, case_id).await?;
        let goal = match goal {
            None => None,
            Some(g) => Some(
                Uuid::parse_str(g)
                    .ok()
                    .filter(|id| {
                        versions
                            .iter()
                            .any(|v| v.content.goals.iter().any(|x| x.id == *id))
                    })
                    .ok_or_else(|| FieldError::new("goal_id", "task.goal_unknown"))?,
            ),
        };
        let intervention = match intervention {
            None => None,
            Some(i) => Some(
                Uuid::parse_str(i)
                    .ok()
                    .filter(|id| {
                        versions.iter().any(|v| {
                            v.content
                                .goals
                                .iter()
                                .any(|g| g.interventions.iter().any(|x| x.id == *id))
                        })
                    })
                    .ok_or_else(|| {
                        FieldError::new("intervention_id", "task.intervention_unknown")
                    })?,
            ),
        };
        Ok((goal, intervention))
    }

    /// Assigns a task on a case.
    pub async fn add_task(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        input: &TaskInput,
    ) -> Result<Uuid, AppError> {
        let (case, facts) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "task.create")
            .await?;
        let era = Era::from_code(&user.era).unwrap_or_default();
        let t = validate_task(input, era, bangkok_date(Utc::now()))?;
        let account = match &t.assignee {
            Assignee::Account(raw) => Some(self.check_assignee(&facts, raw).await?),
            Assignee::Outside { .. } => None,
        };
        let (goal_id, intervention_id) = self
            .check_plan_links(case_id, t.goal_id.as_deref(), t.intervention_id.as_deref())
            .await?;
        let mut tx = self.db.begin().await?;
        let id = store::insert(
            &mut tx,
            &NewTask {
                org_id: case.org_id,
                case_id,
                title: &t.title,
                details: t.details.as_deref(),
                doer: doer(t.assignee, account),
                due: t.due,
                priority: (t.priority.code(), t.priority.rank()),
                goal_id,
                intervention_id,
                created_by: user.actor.id,
                from_conference: None,
            },
        )
        .await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        if let Some(to) = account.filter(|a| *a != user.actor.id) {
            notify_assignee(&mut tx, case.org_id, case_id, id, to, user.actor.id).await?;
        }
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "task.create", Outcome::Success),
                "task",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Reads a change as typed into its domain form.
    async fn task_change(
        &self,
        user: &CurrentUser,
        facts: &CaseFacts,
        update: &TaskUpdate,
    ) -> Result<TaskChange, AppError> {
        let reason = update.reason.trim().to_string();
        if reason.chars().count() > TEXT_MAX {
            return Err(FieldError::new("reason", "too_long").into());
        }
        let era = Era::from_code(&user.era).unwrap_or_default();
        let mut v = Validation::new();
        let change = match update.action.as_str() {
            "start" => TaskChange::Start,
            "done" => TaskChange::Done(Some(reason).filter(|r| !r.is_empty())),
            "cancel" => TaskChange::Cancel(reason),
            "reopen" => TaskChange::Reopen(reason),
            "reassign" => {
                let a = validate_assignee(
                    &mut v,
                    &update.assignee_id,
                    &update.outside_name,
                    &update.outside_organisation,
                );
                v.finish()?;
                match a {
                    Some(Assignee::Account(raw)) => {
                        self.check_assignee(facts, &raw).await?;
                        TaskChange::Reassign(Assignee::Account(raw))
                    }
                    Some(outside) => TaskChange::Reassign(outside),
                    None => {
                        return Err(FieldError::new("assignee_id", "task.assignee_required").into())
                    }
                }
            }
            "reschedule" => {
                let due = validate_due(&mut v, &update.due, era, bangkok_date(Utc::now()));
                v.check(reason.is_empty(), "reason", "required");
                v.finish()?;
                let due = due.ok_or_else(|| FieldError::new("due", "required"))?;
                TaskChange::Reschedule(due, reason)
            }
            _ => return Err(FieldError::new("action", "task.action_unknown").into()),
        };
        Ok(change)
    }

    /// Starts, finishes, cancels, reopens, reassigns or reschedules a task; history is kept.
    pub async fn change_task(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        task_id: Uuid,
        update: &TaskUpdate,
    ) -> Result<i64, AppError> {
        let case_id = self.task_case(task_id).await?;
        let (_, facts) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "task.update")
            .await?;
        let change = self.task_change(user, &facts, update).await?;
        let mut tx = self.db.begin().await?;
        let t = store::by_id_tx(&mut tx, task_id)
            .await?
            .ok_or(AppError::NotFound)?;
        if t.version != update.version {
            return Err(AppError::Conflict);
        }
        let manages = decide(&user.actor, Action::ManageCase(&facts)).is_allowed();
        if !may_change(user.actor.id, t.assignee_id, t.created_by, manages, &change) {
            drop(tx);
            let mut e = on(
                event(Some(user), ctx, "task.update", Outcome::Denied),
                "task",
                Some(task_id),
            );
            e.reason = Some("not_assignee".into());
            audit::append_alone(&self.db, &e).await?;
            return Err(AppError::Forbidden(DenyReason::NotOnCase));
        }
        let status = TaskStatus::from_code(&t.status)
            .ok_or(AppError::Internal("stored task status".into()))?;
        check_change(status, &change)?;
        let (mut who, mut due) = (
            match (&t.assignee_id, &t.outside_name) {
                (Some(a), _) => Doer::Account(*a),
                (None, name) => Doer::Outside {
                    name: name.clone().unwrap_or_default(),
                    organisation: t.outside_organisation.clone(),
                },
            },
            t.due_date,
        );
        let mut reason: Option<String> = None;
        let mut newly_assigned = None;
        match &change {
            TaskChange::Reassign(a) => {
                let account = match a {
                    Assignee::Account(raw) => Uuid::parse_str(raw).ok(),
                    Assignee::Outside { .. } => None,
                };
                newly_assigned = account.filter(|a| Some(*a) != t.assignee_id);
                who = doer(a.clone(), account);
            }
            TaskChange::Reschedule(d, r) => {
                due = *d;
                reason = Some(r.clone());
            }
            TaskChange::Done(note) => reason = note.clone(),
            TaskChange::Cancel(r) | TaskChange::Reopen(r) => reason = Some(r.clone()),
            TaskChange::Start => {}
        }
        let after = change.status_after(status);
        // The stored reason is the one that explains the current status: a cancellation's
        // reason or what the task was done with; it is cleared when the task is reopened.
        let status_reason = match &change {
            TaskChange::Cancel(_) | TaskChange::Done(_) => reason.as_deref(),
            TaskChange::Reopen(_) => None,
            _ => t.status_reason.as_deref(),
        };
        let v = store::update(
            &mut tx,
            task_id,
            update.version,
            &TaskState {
                status: after.code(),
                reason: status_reason,
                doer: who,
                due,
            },
        )
        .await?;
        store::insert_event(
            &mut tx,
            task_id,
            change.kind(),
            reason.as_deref(),
            user.actor.id,
        )
        .await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        if let Some(to) = newly_assigned.filter(|a| *a != user.actor.id) {
            notify_assignee(&mut tx, facts.org_id, case_id, task_id, to, user.actor.id).await?;
        }
        let mut e = on(
            event(Some(user), ctx, "task.update", Outcome::Success),
            "task",
            Some(task_id),
        );
        e.reason = Some(change.kind().to_string());
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// The case a task belongs to (`NotFound` when there is no such task).
    pub async fn task_case(&self, task_id: Uuid) -> Result<Uuid, AppError> {
        store::case_of(&self.db, task_id)
            .await?
            .ok_or(AppError::NotFound)
    }

    fn views(
        &self,
        user: &CurrentUser,
        rows: Vec<TaskRow>,
        manages: impl Fn(&TaskRow) -> bool,
    ) -> Vec<TaskView> {
        rows.into_iter()
            .map(|task| {
                let m = manages(&task);
                let me = user.actor.id;
                let can_progress =
                    may_change(me, task.assignee_id, task.created_by, m, &TaskChange::Start);
                let can_steer = may_change(
                    me,
                    task.assignee_id,
                    task.created_by,
                    m,
                    &TaskChange::Cancel(String::new()),
                );
                TaskView {
                    task,
                    can_progress,
                    can_steer,
                }
            })
            .collect()
    }

    /// A case's tasks (still to be done first), their history, and the goals and interventions
    /// of its plan a task can serve.
    pub async fn case_tasks(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
    ) -> Result<CaseTasks, AppError> {
        let (_, facts) = self
            .case_for(user, ctx, case_id, CaseAccess::Open, "task.list")
            .await?;
        let (rows, versions) = tokio::try_join!(
            store::for_case(&self.db, case_id),
            karuna_store::plan::versions(&self.db, case_id),
        )?;
        let ids: Vec<Uuid> = rows.iter().map(|t| t.id).collect();
        let events = store::events(&self.db, &ids).await?;
        self.audit_read(user, ctx, "task.list", ("case", case_id))
            .await?;
        let manages = decide(&user.actor, Action::ManageCase(&facts)).is_allowed();
        // Goals and interventions of every version, the latest wording first, each once.
        let mut goals: Vec<PlanLink> = Vec::new();
        let mut interventions: Vec<PlanLink> = Vec::new();
        for v in &versions {
            for g in &v.content.goals {
                if !goals.iter().any(|x| x.id == g.id) {
                    goals.push(PlanLink {
                        id: g.id,
                        code: g.dimension.clone(),
                        text: g.statement.clone(),
                    });
                }
                for i in &g.interventions {
                    if !interventions.iter().any(|x| x.id == i.id) {
                        interventions.push(PlanLink {
                            id: i.id,
                            code: i.method.clone(),
                            text: g.statement.clone(),
                        });
                    }
                }
            }
        }
        Ok(CaseTasks {
            tasks: self.views(user, rows, |_| manages),
            events,
            goals,
            interventions,
        })
    }

    /// One task and its history.
    pub async fn task(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        task_id: Uuid,
    ) -> Result<(TaskView, Vec<TaskEvent>), AppError> {
        let case_id = self.task_case(task_id).await?;
        let (_, facts) = self
            .case_for(user, ctx, case_id, CaseAccess::Open, "task.read")
            .await?;
        let row = store::by_id(&self.db, task_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let events = store::events(&self.db, &[task_id]).await?;
        self.audit_read(user, ctx, "task.read", ("task", task_id))
            .await?;
        let manages = decide(&user.actor, Action::ManageCase(&facts)).is_allowed();
        let view = self
            .views(user, vec![row], |_| manages)
            .pop()
            .ok_or(AppError::NotFound)?;
        Ok((view, events))
    }

    /// My tasks, or my unit's (a supervisor), on the cases I may open, with the given status
    /// codes (none: those still to be done); overdue first. Audited as a read.
    pub async fn tasks(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        list: TaskList,
        statuses: &[TaskStatus],
    ) -> Result<Vec<TaskView>, AppError> {
        let whose = match list {
            TaskList::Mine => {
                self.authorize(user, ctx, Action::ListCases, "task.list", ("task", None))
                    .await?;
                Whose::Mine
            }
            TaskList::Unit => {
                self.authorize(user, ctx, Action::ViewUnitWork, "task.list", ("task", None))
                    .await?;
                Whose::Unit(
                    user.actor
                        .unit_id
                        .ok_or(AppError::Forbidden(DenyReason::Role))?,
                )
            }
        };
        let codes: Vec<&str> = statuses.iter().map(|s| s.code()).collect();
        let rows = store::list(&self.db, user.case_scope(), whose, &codes, LIST_LIMIT).await?;
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "task.list", Outcome::Success),
                "task",
                None,
            ),
        )
        .await?;
        // `access::decide(ManageCase)` over the facts a row carries: the case's manager, or a
        // supervisor of its unit (the list holds only cases the user may open).
        let (me, unit) = (user.actor.id, user.actor.unit_id);
        let supervisor = user.role() == Role::Supervisor;
        Ok(self.views(user, rows, |t| {
            t.case_manager_id == me || (supervisor && unit == Some(t.case_unit_id))
        }))
    }

    /// How many of my tasks are still to be done, and how many of them are overdue (the home
    /// page and the navigation's badge; counts only, on cases I may open).
    pub async fn my_task_counts(&self, user: &CurrentUser) -> Result<(i64, i64), AppError> {
        if !decide(&user.actor, Action::ListCases).is_allowed() {
            return Ok((0, 0));
        }
        Ok(store::count_active(
            &self.db,
            user.case_scope(),
            user.actor.id,
            bangkok_date(Utc::now()),
        )
        .await?)
    }
}
