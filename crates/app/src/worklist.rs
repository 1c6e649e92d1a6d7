//! Worklists: what awaits the supervisor's approval (plans and closures she may decide) and
//! what falls due in the next week (the user's open promises, contacts marked for follow-up).
//! Each row's client is named only where `SeeClientIdentity` allows, else masked as the lists
//! do. The reviews and follow-ups falling due are `monitoring`'s.

use crate::case::masked_name;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{DateTime, NaiveDate, Utc};
use karuna_domain::access::{decide, Action, CaseFacts, Role};
use karuna_domain::audit::Outcome;
use karuna_store::audit;
use karuna_store::worklist::{self as store, CaseRef};
use karuna_thai::calendar::bangkok_date;
use serde::Serialize;
use uuid::Uuid;

/// How far ahead "falls due soon" looks, in days.
pub const DUE_SOON_DAYS: u64 = 7;
/// The most rows one worklist shows.
pub const WORKLIST_LIMIT: i64 = 50;

/// One plan version or closure summary awaiting approval.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApprovalItem {
    /// `plan` or `closure`.
    pub kind: String,
    /// The case.
    pub case_id: Uuid,
    /// Case number.
    pub number: String,
    /// The client's name, or `[CM-…]` where the user may not see it.
    pub client: String,
    /// The plan version's number (plans only).
    pub plan_number: Option<i64>,
    /// Who wrote it.
    pub author: String,
    /// When it was submitted.
    pub submitted_at: DateTime<Utc>,
}

/// What awaits my approval: the oldest first (at most 50) and how many in all.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct Approvals {
    /// The items, oldest first.
    pub items: Vec<ApprovalItem>,
    /// How many there are in all.
    pub count: i64,
}

/// One thing falling due.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DueItem {
    /// The case.
    pub case_id: Uuid,
    /// Case number.
    pub number: String,
    /// The client's name, or `[CM-…]` where the user may not see it.
    pub client: String,
    /// What: the promise, or the follow-up noted on the contact (may be empty).
    pub what: String,
    /// By when (a promise), or the contact's date (a contact awaiting its follow-up).
    pub date: NaiveDate,
    /// Past its date.
    pub overdue: bool,
}

/// What falls due in the next [`DUE_SOON_DAYS`] days (and what is already overdue).
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct DueSoon {
    /// My open promises due after today and by then, soonest first (those due today or
    /// overdue are `App::my_due_promises`).
    pub promises: Vec<DueItem>,
    /// Contacts on my cases (a supervisor: the unit's) marked "needs follow-up" with no later
    /// contact yet, oldest first.
    pub contacts: Vec<DueItem>,
}

/// The client's name on a row the user reached through her scope, or the masked number where
/// `SeeClientIdentity` says no. The row is in her scope (manager, team member or the unit's
/// supervisor), which the facts state by counting her on the team; the identity rule itself
/// reads only the manager, the unit and the sensitive flag.
fn client_name(user: &CurrentUser, c: &CaseRef) -> String {
    let facts = CaseFacts {
        org_id: c.org_id,
        unit_id: c.unit_id,
        case_manager_id: c.manager_id,
        team_member_ids: vec![user.actor.id],
        sensitive: c.sensitive,
        emergency_reader_ids: Vec::new(),
    };
    if !decide(&user.actor, Action::SeeClientIdentity(&facts)).is_allowed() {
        return masked_name(&c.number);
    }
    let [prefix, first_th, last_th, first_latin, last_latin, nickname] = &c.client;
    let prefix = prefix
        .as_deref()
        .and_then(karuna_thai::names::prefix_by_code)
        .map(|p| p.th_abbr);
    karuna_domain::person::display_name(
        prefix,
        first_th.as_deref(),
        last_th.as_deref(),
        first_latin.as_deref(),
        last_latin.as_deref(),
        nickname.as_deref(),
    )
}

fn facts_of(c: &CaseRef) -> CaseFacts {
    CaseFacts {
        org_id: c.org_id,
        unit_id: c.unit_id,
        case_manager_id: c.manager_id,
        team_member_ids: Vec::new(),
        sensitive: c.sensitive,
        emergency_reader_ids: Vec::new(),
    }
}

impl App {
    /// Plans and closures awaiting approval that the user may decide (`ApproveWork`: a
    /// supervisor of the case's unit, never for her own work). Empty for other roles.
    #[tracing::instrument(skip_all)]
    pub async fn awaiting_my_approval(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Approvals, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ListCases,
            "case.approvals",
            ("case", None),
        )
        .await?;
        let Some(unit) = user
            .actor
            .unit_id
            .filter(|_| user.role() == Role::Supervisor)
        else {
            return Ok(Approvals::default());
        };
        let (rows, count) = store::awaiting_approval(
            &self.db,
            user.actor.org_id,
            unit,
            user.actor.id,
            WORKLIST_LIMIT,
        )
        .await?;
        let items: Vec<ApprovalItem> = rows
            .into_iter()
            .filter(|r| {
                let facts = facts_of(&r.case);
                decide(
                    &user.actor,
                    Action::ApproveWork {
                        case: &facts,
                        author: r.author_id,
                    },
                )
                .is_allowed()
            })
            .map(|r| ApprovalItem {
                client: client_name(user, &r.case),
                kind: r.kind,
                case_id: r.case.case_id,
                number: r.case.number,
                plan_number: r.plan_number,
                author: r.author_name,
                submitted_at: r.submitted_at,
            })
            .collect();
        let mut e = on(
            event(Some(user), ctx, "case.approvals", Outcome::Success),
            "case",
            None,
        );
        e.reason = Some(format!("{} listed", items.len()));
        audit::append_alone(&self.db, &e).await?;
        Ok(Approvals { items, count })
    }

    /// How many plans and closures await the user's approval (`None` for roles that approve
    /// nothing): a count, no personal data, so no audit event of its own.
    pub async fn awaiting_count(&self, user: &CurrentUser) -> Result<Option<i64>, AppError> {
        let Some(unit) = user
            .actor
            .unit_id
            .filter(|_| user.role() == Role::Supervisor)
        else {
            return Ok(None);
        };
        Ok(Some(
            store::count_awaiting(&self.db, user.actor.org_id, unit, user.actor.id).await?,
        ))
    }

    /// What falls due in the next week for the user (see [`DueSoon`]).
    #[tracing::instrument(skip_all)]
    pub async fn due_soon(&self, user: &CurrentUser, ctx: &Ctx) -> Result<DueSoon, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ListCases,
            "case.due_soon",
            ("case", None),
        )
        .await?;
        let today = bangkok_date(Utc::now());
        let until = today + chrono::Days::new(DUE_SOON_DAYS);
        let scope = user.case_scope();
        let promises = store::promises_due(&self.db, user.actor.id, today, until, WORKLIST_LIMIT)
            .await?
            .into_iter()
            .map(|p| DueItem {
                client: client_name(user, &p.case),
                case_id: p.case.case_id,
                number: p.case.number,
                what: p.what,
                date: p.due_date,
                overdue: p.due_date < today,
            })
            .collect();
        let contacts = store::contacts_needing_follow_up(&self.db, scope, WORKLIST_LIMIT)
            .await?
            .into_iter()
            .map(|k| DueItem {
                client: client_name(user, &k.case),
                case_id: k.case.case_id,
                number: k.case.number,
                what: k.follow_up_note.unwrap_or_default(),
                date: bangkok_date(k.occurred_at),
                overdue: false,
            })
            .collect();
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "case.due_soon", Outcome::Success),
                "case",
                None,
            ),
        )
        .await?;
        Ok(DueSoon { promises, contacts })
    }
}
