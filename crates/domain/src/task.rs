//! Tasks of a case team (งานที่มอบหมาย): assigned to a team member who may open the case, or
//! to a named person of another agency whom the case manager follows up; with a due date and a
//! priority; open, in progress, done, or cancelled with a reason; optionally tied to a goal or
//! an intervention of the plan. History is kept.

use crate::error::{FieldError, Validation};
use chrono::NaiveDate;
use karuna_thai::calendar::{parse_date, Era};
use serde::{Deserialize, Serialize};

/// The longest title, in characters.
pub const TITLE_MAX: usize = 200;
/// The longest details, reason or outside name, in characters.
pub const TEXT_MAX: usize = 2000;

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// To be done.
    Open,
    /// Begun.
    InProgress,
    /// Done.
    Done,
    /// Will not be done, with a reason.
    Cancelled,
}

impl TaskStatus {
    /// Every status, in display order.
    pub const ALL: [TaskStatus; 4] = [
        TaskStatus::Open,
        TaskStatus::InProgress,
        TaskStatus::Done,
        TaskStatus::Cancelled,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Done => "done",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Still to be done (open or in progress).
    pub fn is_active(self) -> bool {
        matches!(self, TaskStatus::Open | TaskStatus::InProgress)
    }
}

/// How soon a task matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// When there is time.
    Low,
    /// The default.
    Normal,
    /// Before other work.
    High,
    /// Now: someone's safety or a legal deadline depends on it.
    Urgent,
}

impl Priority {
    /// Every priority, lowest first.
    pub const ALL: [Priority; 4] = [
        Priority::Low,
        Priority::Normal,
        Priority::High,
        Priority::Urgent,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
            Priority::Urgent => "urgent",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.code() == code)
    }

    /// The sort rank stored beside the code (urgent first when sorted descending).
    pub fn rank(self) -> i64 {
        match self {
            Priority::Low => 0,
            Priority::Normal => 1,
            Priority::High => 2,
            Priority::Urgent => 3,
        }
    }
}

/// Who does a task: a colleague with an account, or a named person of another agency (no
/// account) whom the case manager follows up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Assignee {
    /// An account id, as typed (checked against the case's access rule by the use case).
    Account(String),
    /// A person outside Karuna: name and organisation or role.
    Outside {
        /// Name.
        name: String,
        /// Organisation and role (may be empty).
        organisation: String,
    },
}

/// A new task as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TaskInput {
    /// What is to be done.
    pub title: String,
    /// More about it (optional).
    pub details: String,
    /// The colleague who does it (an account id); empty when `outside_name` is given.
    pub assignee_id: String,
    /// A person of another agency who does it (no account), followed up by the case manager.
    pub outside_name: String,
    /// Their organisation and role.
    pub outside_organisation: String,
    /// By when, in the user's calendar.
    pub due: String,
    /// `low`, `normal` (default), `high` or `urgent`.
    pub priority: String,
    /// A goal of the case's plan it serves (optional).
    pub goal_id: String,
    /// An intervention of the case's plan it serves (optional).
    pub intervention_id: String,
}

/// A task that passed validation (the assignee and the plan links are checked by the use case).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidTask {
    /// Title.
    pub title: String,
    /// Details.
    pub details: Option<String>,
    /// Who.
    pub assignee: Assignee,
    /// Due.
    pub due: NaiveDate,
    /// Priority.
    pub priority: Priority,
    /// Plan goal, as typed.
    pub goal_id: Option<String>,
    /// Plan intervention, as typed.
    pub intervention_id: Option<String>,
}

/// Reads who is to do the task from the form's three fields.
pub fn validate_assignee(
    v: &mut Validation,
    account: &str,
    outside_name: &str,
    outside_org: &str,
) -> Option<Assignee> {
    let account = account.trim();
    let name = v.text("outside_name", outside_name, TITLE_MAX);
    let organisation = v
        .text("outside_organisation", outside_org, TITLE_MAX)
        .unwrap_or_default();
    match (account.is_empty(), name) {
        (false, Some(_)) => {
            v.push(FieldError::new("assignee_id", "task.assignee_both"));
            None
        }
        (false, None) => Some(Assignee::Account(account.to_string())),
        (true, Some(name)) => Some(Assignee::Outside { name, organisation }),
        (true, None) => {
            v.push(FieldError::new("assignee_id", "task.assignee_required"));
            None
        }
    }
}

/// Reads a due date: required, in the user's calendar, not before `today`.
pub fn validate_due(
    v: &mut Validation,
    due: &str,
    era: Era,
    today: NaiveDate,
) -> Option<NaiveDate> {
    if due.trim().is_empty() {
        v.push(FieldError::new("due", "required"));
        return None;
    }
    match parse_date(due, era) {
        Ok(d) if d.date < today => {
            v.push(FieldError::new("due", "task.due_past"));
            None
        }
        Ok(d) => Some(d.date),
        Err(e) => {
            v.push(FieldError::new("due", e.code()));
            None
        }
    }
}

/// Reads a priority code; empty is `normal`.
pub fn validate_priority(v: &mut Validation, priority: &str) -> Priority {
    match priority.trim() {
        "" => Priority::Normal,
        code => Priority::from_code(code).unwrap_or_else(|| {
            v.push(FieldError::new("priority", "task.priority_unknown"));
            Priority::Normal
        }),
    }
}

/// Validates a new task; every field's problem is reported at once.
pub fn validate_task(
    input: &TaskInput,
    era: Era,
    today: NaiveDate,
) -> Result<ValidTask, Vec<FieldError>> {
    let mut v = Validation::new();
    let title = input.title.trim().to_string();
    v.check(title.is_empty(), "title", "required");
    v.check(title.chars().count() > TITLE_MAX, "title", "too_long");
    let details = v.text("details", &input.details, TEXT_MAX);
    let assignee = validate_assignee(
        &mut v,
        &input.assignee_id,
        &input.outside_name,
        &input.outside_organisation,
    );
    let due = validate_due(&mut v, &input.due, era, today);
    let priority = validate_priority(&mut v, &input.priority);
    let goal_id = Some(input.goal_id.trim().to_string()).filter(|s| !s.is_empty());
    let intervention_id = Some(input.intervention_id.trim().to_string()).filter(|s| !s.is_empty());
    v.finish()?;
    match (assignee, due) {
        (Some(assignee), Some(due)) => Ok(ValidTask {
            title,
            details,
            assignee,
            due,
            priority,
            goal_id,
            intervention_id,
        }),
        _ => Err(vec![FieldError::new("due", "required")]),
    }
}

/// What can happen to a task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskChange {
    /// Work on it has begun.
    Start,
    /// It is done (an optional note of what came of it).
    Done(Option<String>),
    /// It will not be done, and why.
    Cancel(String),
    /// It is to be done again (a done or cancelled task), and why.
    Reopen(String),
    /// Someone else does it.
    Reassign(Assignee),
    /// A new due date, and why.
    Reschedule(NaiveDate, String),
}

impl TaskChange {
    /// The code of the history entry it writes.
    pub fn kind(&self) -> &'static str {
        match self {
            TaskChange::Start => "started",
            TaskChange::Done(_) => "done",
            TaskChange::Cancel(_) => "cancelled",
            TaskChange::Reopen(_) => "reopened",
            TaskChange::Reassign(_) => "reassigned",
            TaskChange::Reschedule(..) => "rescheduled",
        }
    }

    /// The status after the change, from `status`.
    pub fn status_after(&self, status: TaskStatus) -> TaskStatus {
        match self {
            TaskChange::Start => TaskStatus::InProgress,
            TaskChange::Done(_) => TaskStatus::Done,
            TaskChange::Cancel(_) => TaskStatus::Cancelled,
            TaskChange::Reopen(_) => TaskStatus::Open,
            TaskChange::Reassign(_) | TaskChange::Reschedule(..) => status,
        }
    }
}

/// Checks a change against the task's status: only a task still to be done is started,
/// finished, cancelled, reassigned or rescheduled; only a done or cancelled one is reopened.
pub fn check_change(status: TaskStatus, change: &TaskChange) -> Result<(), FieldError> {
    match change {
        TaskChange::Reopen(_) if status.is_active() => {
            Err(FieldError::new("action", "task.not_closed"))
        }
        TaskChange::Reopen(reason) if reason.trim().is_empty() => {
            Err(FieldError::new("reason", "required"))
        }
        TaskChange::Reopen(_) => Ok(()),
        _ if !status.is_active() => Err(FieldError::new("action", "task.not_active")),
        TaskChange::Start if status == TaskStatus::InProgress => {
            Err(FieldError::new("action", "task.already_started"))
        }
        TaskChange::Cancel(reason) | TaskChange::Reschedule(_, reason)
            if reason.trim().is_empty() =>
        {
            Err(FieldError::new("reason", "required"))
        }
        _ => Ok(()),
    }
}

/// Who may make a change: the assignee, the one who assigned it, or whoever steers the case
/// (`manages`: its manager, who also follows up tasks of outside people, or a supervisor of its
/// unit) starts, finishes or reopens a task; only the latter two cancel, reassign or reschedule
/// it.
pub fn may_change(
    actor: uuid::Uuid,
    assignee: Option<uuid::Uuid>,
    created_by: uuid::Uuid,
    manages: bool,
    change: &TaskChange,
) -> bool {
    let steers = manages || created_by == actor;
    match change {
        TaskChange::Start | TaskChange::Done(_) | TaskChange::Reopen(_) => {
            steers || assignee == Some(actor)
        }
        TaskChange::Cancel(_) | TaskChange::Reassign(_) | TaskChange::Reschedule(..) => steers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
    }

    fn input() -> TaskInput {
        TaskInput {
            title: "โทรนัดครู".into(),
            assignee_id: "a".into(),
            due: "10/12/2569".into(),
            ..TaskInput::default()
        }
    }

    fn codes(e: Vec<FieldError>) -> Vec<(String, String)> {
        e.into_iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_task_names_what_who_and_when() {
        let t = validate_task(&input(), Era::Buddhist, today()).unwrap();
        assert_eq!(t.due, NaiveDate::from_ymd_opt(2026, 12, 10).unwrap());
        assert_eq!(t.priority, Priority::Normal);
        assert_eq!(t.assignee, Assignee::Account("a".into()));
        let e = validate_task(&TaskInput::default(), Era::Buddhist, today()).unwrap_err();
        assert_eq!(
            codes(e),
            vec![
                ("title".into(), "required".into()),
                ("assignee_id".into(), "task.assignee_required".into()),
                ("due".into(), "required".into()),
            ]
        );
    }

    #[test]
    fn one_assignee_a_known_priority_and_a_date_ahead() {
        let both = TaskInput {
            outside_name: "ร.ต.อ. สมชาย".into(),
            priority: "asap".into(),
            due: "1/12/2569".into(),
            ..input()
        };
        assert_eq!(
            codes(validate_task(&both, Era::Buddhist, today()).unwrap_err()),
            vec![
                ("assignee_id".into(), "task.assignee_both".into()),
                ("due".into(), "task.due_past".into()),
                ("priority".into(), "task.priority_unknown".into()),
            ]
        );
        let outside = TaskInput {
            assignee_id: String::new(),
            outside_name: " ร.ต.อ. สมชาย ".into(),
            outside_organisation: "สภ.เมือง".into(),
            ..input()
        };
        assert_eq!(
            validate_task(&outside, Era::Buddhist, today())
                .unwrap()
                .assignee,
            Assignee::Outside {
                name: "ร.ต.อ. สมชาย".into(),
                organisation: "สภ.เมือง".into()
            }
        );
        let long = TaskInput {
            title: "ก".repeat(TITLE_MAX + 1),
            ..input()
        };
        assert_eq!(
            codes(validate_task(&long, Era::Buddhist, today()).unwrap_err()),
            vec![("title".into(), "too_long".into())]
        );
    }

    #[test]
    fn the_assignee_does_the_task_and_whoever_steers_the_case_changes_it() {
        let (me, other) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
        let cancel = TaskChange::Cancel("x".into());
        assert!(may_change(
            me,
            Some(me),
            other,
            false,
            &TaskChange::Done(None)
        ));
        assert!(!may_change(me, Some(me), other, false, &cancel));
        assert!(may_change(me, Some(other), me, false, &cancel));
        assert!(may_change(me, None, other, true, &cancel));
        assert!(!may_change(
            me,
            Some(other),
            other,
            false,
            &TaskChange::Start
        ));
    }

    #[test]
    fn tasks_move_forward_and_reopen_with_a_reason() {
        use TaskStatus::*;
        assert!(check_change(Open, &TaskChange::Start).is_ok());
        assert_eq!(
            check_change(InProgress, &TaskChange::Start)
                .unwrap_err()
                .code,
            "task.already_started"
        );
        assert!(check_change(InProgress, &TaskChange::Done(None)).is_ok());
        assert_eq!(
            check_change(Done, &TaskChange::Done(None))
                .unwrap_err()
                .code,
            "task.not_active"
        );
        assert_eq!(
            check_change(Open, &TaskChange::Cancel(" ".into()))
                .unwrap_err()
                .code,
            "required"
        );
        assert_eq!(
            check_change(Open, &TaskChange::Reopen("x".into()))
                .unwrap_err()
                .code,
            "task.not_closed"
        );
        assert!(check_change(Cancelled, &TaskChange::Reopen("ยังต้องทำ".into())).is_ok());
        assert_eq!(
            TaskChange::Reopen("x".into()).status_after(Done),
            TaskStatus::Open
        );
        assert_eq!(
            TaskChange::Reschedule(today(), "x".into()).status_after(InProgress),
            InProgress
        );
    }
}
