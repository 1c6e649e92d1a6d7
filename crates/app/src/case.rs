//! The case: opening it (with need-to-know and sensitivity), lists in scope, lifecycle
//! transitions, transfer (the team and other persons are in `team`).

use crate::person::{person_view, PersonView};
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::Utc;
use karuna_domain::access::{decide, is_on_case, Action, CaseFacts, Decision, Role};
use karuna_domain::audit::Outcome;
use karuna_domain::case::{
    check_reason, check_reopen, check_transition, default_guards, Status, TransitionFacts, Urgency,
};
use karuna_domain::case_type::check_case_types;
use karuna_domain::FieldError;
use karuna_store::account as accounts;
use karuna_store::case::{
    self as store, CaseFilter, CaseRow, CaseSummary, MemberRow, NewTransition, TransitionRow,
};
use karuna_store::{audit, revision};
use karuna_thai::calendar::bangkok_date;
use serde::Serialize;
use uuid::Uuid;

/// Everything the case file shows.
#[derive(Debug, Clone)]
pub struct CaseView {
    /// The case.
    pub case: CaseRow,
    /// The persons on the case with their relationship, client first; a sensitive case's client
    /// is masked for those who may not see the identity.
    pub persons: Vec<(PersonView, String)>,
    /// The team.
    pub team: Vec<MemberRow>,
    /// Case manager's name.
    pub manager_name: String,
    /// History.
    pub history: Vec<TransitionRow>,
    /// The viewer may see the client's identity.
    pub identity_visible: bool,
    /// The viewer may steer the case (transfer, team, close).
    pub can_manage: bool,
    /// The user reads the case through an emergency window (break-the-glass), read-only.
    pub emergency: bool,
    /// Someone on the case is an alleged perpetrator.
    pub alleged_perpetrator: bool,
}

/// Everything the case-file page shows, loaded after one access check and one audit event.
#[derive(Debug, Clone)]
pub struct CaseFile {
    /// The case, its persons, team and history.
    pub view: CaseView,
    /// Contacts, newest first.
    pub contacts: Vec<karuna_store::contact::ContactRow>,
    /// Promises.
    pub promises: Vec<karuna_store::promise::PromiseRow>,
    /// The promises' history.
    pub promise_events: Vec<karuna_store::promise::PromiseEvent>,
    /// The consent records of the case's persons.
    pub consents: Vec<karuna_store::consent::ConsentRow>,
    /// Evidence files (names and sizes).
    pub attachments: Vec<karuna_store::attachment::AttachmentInfo>,
    /// Handover notes of its transfers, newest first.
    pub handovers: Vec<karuna_store::handover::HandoverRow>,
}

/// One row of a case list, with the client masked where the viewer may not see who it is.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CaseListItem {
    /// Id.
    pub id: Uuid,
    /// Number.
    pub number: String,
    /// Client's name, or the case number for a sensitive case the viewer may not identify.
    pub client: String,
    /// Status code.
    pub status: String,
    /// Urgency code.
    pub urgency: String,
    /// Case types.
    pub case_types: Vec<String>,
    /// Manager's name.
    pub manager: String,
    /// Sensitive.
    pub sensitive: bool,
    /// Overdue promises.
    pub overdue_promises: i64,
    /// An alleged perpetrator is on the case.
    pub alleged_perpetrator: bool,
    /// Version.
    pub version: i64,
    /// Last change.
    pub updated_at: chrono::DateTime<Utc>,
}

/// What is asked of a case: reading, adding to it, or steering it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseAccess {
    /// Read it.
    Open,
    /// Add to it (contacts, promises, persons).
    Edit,
    /// Steer it (transfer, team, close).
    Manage,
}

impl CaseAccess {
    fn on(self, facts: &CaseFacts) -> Action<'_> {
        match self {
            CaseAccess::Open => Action::OpenCase(facts),
            CaseAccess::Edit => Action::EditCase(facts),
            CaseAccess::Manage => Action::ManageCase(facts),
        }
    }
}

/// A transfer to another case manager: the version read, who, why, and the handover note
/// she acknowledges (what she must know: risks, promises made, next steps).
#[derive(Debug, Clone, Copy)]
pub struct Transfer<'a> {
    /// The case's version read.
    pub version: i64,
    /// The new case manager.
    pub to_manager: Uuid,
    /// Why.
    pub reason: &'a str,
    /// What the new case manager must know.
    pub handover_note: &'a str,
}

/// The masked stand-in for a client's name.
pub fn masked_name(number: &str) -> String {
    format!("[{number}]")
}

impl App {
    /// The facts the policy needs about a case.
    pub(crate) async fn case_facts(&self, case: &CaseRow) -> Result<CaseFacts, AppError> {
        let (team, emergency) = store::case_readers(&self.db, case.id).await?;
        Ok(CaseFacts {
            org_id: case.org_id,
            unit_id: case.unit_id,
            case_manager_id: case.manager_id,
            team_member_ids: team,
            sensitive: case.sensitive,
            emergency_reader_ids: emergency,
        })
    }

    /// Loads a case and checks `action` on it; a denial is audited. Unknown ids and cases of
    /// other organisations are both "not found" to the caller (but the denial is recorded).
    pub(crate) async fn case_for(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        action: CaseAccess,
        audit_action: &str,
    ) -> Result<(CaseRow, CaseFacts), AppError> {
        let case = store::case_by_id(&self.db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let facts = self.case_facts(&case).await?;
        match self
            .authorize(
                user,
                ctx,
                action.on(&facts),
                audit_action,
                ("case", Some(id)),
            )
            .await
        {
            Err(AppError::Forbidden(_)) if case.org_id != user.actor.org_id => {
                Err(AppError::NotFound)
            }
            Err(e) => Err(e),
            Ok(()) => Ok((case, facts)),
        }
    }

    /// Checks `access` to a case before a request body is even read (a refusal never depends
    /// on the input); the use case checks again with the data it loads.
    pub async fn check_case(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        access: CaseAccess,
        audit_action: &str,
    ) -> Result<(), AppError> {
        self.case_for(user, ctx, id, access, audit_action)
            .await
            .map(|_| ())
    }

    /// Opens the case file (audited as a read of personal data).
    pub async fn open_case(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<CaseView, AppError> {
        let (case, facts) = self
            .case_for(user, ctx, id, CaseAccess::Open, "case.read")
            .await?;
        let identity_visible = decide(&user.actor, Action::SeeClientIdentity(&facts)).is_allowed();
        let can_manage = decide(&user.actor, Action::ManageCase(&facts)).is_allowed();
        let mut persons = Vec::new();
        let mut alleged_perpetrator = false;
        for (pid, rel) in store::persons(&self.db, id).await? {
            alleged_perpetrator |= rel == "alleged_perpetrator";
            let masked = rel == "client" && !identity_visible;
            if let Some(v) = person_view(
                &self.db,
                case.org_id,
                pid,
                masked.then_some(case.number.as_str()),
            )
            .await?
            {
                persons.push((v, rel));
            }
        }
        let manager_name = accounts::account_by_id(&self.db, case.manager_id)
            .await?
            .map(|a| a.display_name)
            .unwrap_or_default();
        let view = CaseView {
            team: store::team(&self.db, id).await?,
            history: store::transitions(&self.db, id).await?,
            manager_name,
            persons,
            identity_visible,
            can_manage,
            emergency: !is_on_case(&user.actor, &facts)
                && facts.emergency_reader_ids.contains(&user.actor.id),
            alleged_perpetrator,
            case,
        };
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "case.read", Outcome::Success),
                "case",
                Some(id),
            ),
        )
        .await?;
        Ok(view)
    }

    /// The whole case file for its page: `open_case` (the access check and the `case.read`
    /// event), then its contacts, promises, consents and files read side by side, without
    /// loading and checking the case again for each (at 1M cases the page's many small
    /// queries queued on the reader pool: see docs/PERFORMANCE.md).
    pub async fn case_file(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        contacts_limit: i64,
    ) -> Result<CaseFile, AppError> {
        let view = self.open_case(user, ctx, id).await?;
        let db = &self.db;
        let (contacts, promises, promise_events, consents, attachments, handovers) = tokio::try_join!(
            karuna_store::contact::for_case(db, id, contacts_limit.clamp(1, 500)),
            karuna_store::promise::for_case(db, id),
            karuna_store::promise::events_for_case(db, id),
            karuna_store::consent::for_case_persons(db, id),
            karuna_store::attachment::of_case(db, id),
            karuna_store::handover::for_case(db, id),
        )?;
        Ok(CaseFile {
            view,
            contacts,
            promises,
            promise_events,
            consents,
            attachments,
            handovers,
        })
    }

    /// A page of the cases the user may open, filtered; audited as a list read.
    pub async fn list_cases(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        filter: &CaseFilter,
        limit: i64,
    ) -> Result<Vec<CaseListItem>, AppError> {
        self.authorize(user, ctx, Action::ListCases, "case.list", ("case", None))
            .await?;
        let scope = user.case_scope();
        let today = bangkok_date(Utc::now());
        let rows = store::list_cases(&self.db, scope, filter, today, limit).await?;
        let items = rows.into_iter().map(|s| self.list_item(user, s)).collect();
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "case.list", Outcome::Success),
                "case",
                None,
            ),
        )
        .await?;
        Ok(items)
    }

    /// Every case of the list the user may open under `filter` (from its start), for a
    /// download: at most [`LIST_EXPORT_MAX`], more is refused with the limit named (narrow the
    /// filters); audited as `case.export_list`.
    pub async fn export_case_list(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        filter: &CaseFilter,
    ) -> Result<Vec<CaseListItem>, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ListCases,
            "case.export_list",
            ("case", None),
        )
        .await?;
        let today = bangkok_date(Utc::now());
        let rows = store::list_cases(
            &self.db,
            user.case_scope(),
            filter,
            today,
            LIST_EXPORT_MAX + 1,
        )
        .await?;
        if rows.len() as i64 > LIST_EXPORT_MAX {
            return Err(AppError::Invalid(vec![karuna_domain::FieldError::new(
                "export",
                "export.too_many_rows",
            )
            .arg("max", LIST_EXPORT_MAX)]));
        }
        let items = rows.into_iter().map(|s| self.list_item(user, s)).collect();
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "case.export_list", Outcome::Success),
                "case",
                None,
            ),
        )
        .await?;
        Ok(items)
    }

    fn list_item(&self, user: &CurrentUser, s: CaseSummary) -> CaseListItem {
        let c = &s.case;
        let visible = !c.sensitive
            || c.manager_id == user.actor.id
            || (user.role() == Role::Supervisor && user.actor.unit_id == Some(c.unit_id));
        let client = if visible {
            let prefix = s
                .client
                .prefix
                .as_deref()
                .and_then(karuna_thai::names::prefix_by_code)
                .map(|p| p.th_abbr);
            karuna_domain::person::display_name(
                prefix,
                s.client.first_th.as_deref(),
                s.client.last_th.as_deref(),
                s.client.first_latin.as_deref(),
                s.client.last_latin.as_deref(),
                s.client.nickname.as_deref(),
            )
        } else {
            masked_name(&c.number)
        };
        CaseListItem {
            id: c.id,
            number: c.number.clone(),
            client,
            status: c.status.clone(),
            urgency: c.urgency.clone(),
            case_types: c.case_types.clone(),
            manager: s.manager_name,
            sensitive: c.sensitive,
            overdue_promises: s.overdue_promises,
            alleged_perpetrator: s.alleged_perpetrator,
            version: c.version,
            updated_at: c.updated_at,
        }
    }

    /// Moves a case along its lifecycle (closing needs a reason); records the transition.
    pub async fn change_status(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        version: i64,
        to: &str,
        reason: &str,
    ) -> Result<i64, AppError> {
        let to =
            Status::from_code(to).ok_or_else(|| FieldError::new("to", "case.status_unknown"))?;
        let action = if to == Status::Closed {
            CaseAccess::Manage
        } else {
            CaseAccess::Edit
        };
        let (case, _) = self
            .case_for(user, ctx, id, action, "case.transition")
            .await?;
        let from =
            Status::from_code(&case.status).ok_or(AppError::Internal("stored status".into()))?;
        let mut reason = match reason.trim() {
            "" => None,
            r => Some(check_reason("reason", r)?),
        };
        let mut tx = self.db.begin().await?;
        let (has_contact, open_promises) = store::guard_facts(&mut tx, id).await?;
        let plan_in_force = karuna_store::plan::in_force_tx(&mut tx, id).await?;
        let assessment_completed = karuna_store::plan::assessment_completed_tx(&mut tx, id).await?;
        let closure = karuna_store::closure::usable_tx(&mut tx, id).await?;
        check_transition(
            from,
            to,
            &TransitionFacts {
                has_contact,
                open_promises,
                assessment_completed,
                plan_in_force,
                closure_ready: closure.is_some(),
            },
            &default_guards(),
        )?;
        let closed_at = (to == Status::Closed).then(Utc::now);
        let v = store::set_status(&mut tx, id, version, to.code(), closed_at).await?;
        if let (Status::Closed, Some(c)) = (to, &closure) {
            // The closure is used: its follow-ups are scheduled from today.
            crate::closure::close_with(&mut tx, case.org_id, id, c).await?;
            if reason.is_none() {
                reason = Some(c.reason.clone());
            }
        }
        let t = NewTransition {
            kind: "status",
            from_status: Some(from.code()),
            to_status: Some(to.code()),
            reason: reason.as_deref(),
            ..Default::default()
        };
        store::insert_transition(&mut tx, id, &t, user.actor.id).await?;
        let mut e = on(
            event(Some(user), ctx, "case.transition", Outcome::Success),
            "case",
            Some(id),
        );
        e.reason = Some(format!("{}→{}", from.code(), to.code()));
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Reopens a closed case into assessment or implementation, with a reason.
    pub async fn reopen_case(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        version: i64,
        to: &str,
        reason: &str,
    ) -> Result<i64, AppError> {
        let to =
            Status::from_code(to).ok_or_else(|| FieldError::new("to", "case.status_unknown"))?;
        let (case, _) = self
            .case_for(user, ctx, id, CaseAccess::Manage, "case.reopen")
            .await?;
        let from =
            Status::from_code(&case.status).ok_or(AppError::Internal("stored status".into()))?;
        check_reopen(from, to)?;
        let reason = check_reason("reason", reason)?;
        let mut tx = self.db.begin().await?;
        let v = store::set_status(&mut tx, id, version, to.code(), None).await?;
        karuna_store::closure::supersede_all(&mut tx, id).await?;
        let t = NewTransition {
            kind: "reopen",
            from_status: Some(from.code()),
            to_status: Some(to.code()),
            reason: Some(&reason),
            ..Default::default()
        };
        store::insert_transition(&mut tx, id, &t, user.actor.id).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "case.reopen", Outcome::Success),
                "case",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Hands the case to another case manager of the organisation, with a reason.
    pub async fn transfer_case(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        t: &Transfer<'_>,
    ) -> Result<i64, AppError> {
        let (version, to_manager) = (t.version, t.to_manager);
        let (case, _) = self
            .case_for(user, ctx, id, CaseAccess::Manage, "case.transfer")
            .await?;
        let mut errors = Vec::new();
        let reason = check_reason("reason", t.reason)
            .map_err(|e| errors.push(e))
            .ok();
        let note = t.handover_note.trim();
        if note.is_empty() {
            errors.push(FieldError::new("handover_note", "case.handover_required"));
        } else if note.chars().count() > 8000 {
            errors.push(FieldError::new("handover_note", "too_long"));
        }
        let Some(reason) = reason.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let target = accounts::account_by_id(&self.db, to_manager).await?;
        let ok = target.as_ref().is_some_and(|a| {
            a.org_id == case.org_id
                && a.active
                && matches!(a.role.as_str(), "case_manager" | "supervisor")
        });
        if !ok {
            return Err(FieldError::new("manager_id", "case.manager_invalid").into());
        }
        if to_manager == case.manager_id {
            return Err(FieldError::new("manager_id", "case.manager_same").into());
        }
        let mut tx = self.db.begin().await?;
        let v = store::set_manager(&mut tx, id, version, to_manager).await?;
        let transition = NewTransition {
            kind: "transfer",
            from_manager: Some(case.manager_id),
            to_manager: Some(to_manager),
            reason: Some(&reason),
            ..Default::default()
        };
        store::insert_transition(&mut tx, id, &transition, user.actor.id).await?;
        let handover = karuna_store::handover::insert(
            &mut tx,
            case.org_id,
            id,
            case.manager_id,
            to_manager,
            note,
            user.actor.id,
        )
        .await?;
        if to_manager != user.actor.id {
            let n = karuna_store::notification::NewNotification {
                org_id: case.org_id,
                kind: "transfer_received",
                case_id: id,
                entity_id: Some(handover),
                actor_id: Some(user.actor.id),
            };
            karuna_store::notification::notify(&mut tx, to_manager, &n).await?;
        }
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "case.transfer", Outcome::Success),
                "case",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Whether the user may still open a case (after handing it over, say), without reading
    /// it or recording anything.
    pub async fn can_open(&self, user: &CurrentUser, id: Uuid) -> Result<bool, AppError> {
        let Some(case) = store::case_by_id(&self.db, id).await? else {
            return Ok(false);
        };
        let facts = self.case_facts(&case).await?;
        Ok(decide(&user.actor, Action::OpenCase(&facts)).is_allowed())
    }

    /// The handovers of a case, newest first (audited as a read of the case's content).
    pub async fn case_handovers(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<Vec<karuna_store::handover::HandoverRow>, AppError> {
        self.case_for(user, ctx, id, CaseAccess::Open, "handover.list")
            .await?;
        let rows = karuna_store::handover::for_case(&self.db, id).await?;
        self.audit_read(user, ctx, "handover.list", ("case", id))
            .await?;
        Ok(rows)
    }

    /// Handovers to me not yet acknowledged, on cases I still manage (the home page; audited:
    /// they carry what the case is about).
    pub async fn my_pending_handovers(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Vec<karuna_store::handover::HandoverRow>, AppError> {
        let rows = karuna_store::handover::pending_for(&self.db, user.actor.id, 50).await?;
        if !rows.is_empty() {
            audit::append_alone(
                &self.db,
                &on(
                    event(Some(user), ctx, "handover.list", Outcome::Success),
                    "case_handover",
                    None,
                ),
            )
            .await?;
        }
        Ok(rows)
    }

    /// The new case manager acknowledges a handover; no one else may. Returns the case.
    pub async fn acknowledge_handover(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        handover: Uuid,
    ) -> Result<Uuid, AppError> {
        let h = karuna_store::handover::by_id(&self.db, handover)
            .await?
            .ok_or(AppError::NotFound)?;
        let (case, _) = self
            .case_for(
                user,
                ctx,
                h.case_id,
                CaseAccess::Open,
                "handover.acknowledge",
            )
            .await?;
        if h.to_manager != user.actor.id || case.manager_id != user.actor.id {
            let mut e = on(
                event(Some(user), ctx, "handover.acknowledge", Outcome::Denied),
                "case_handover",
                Some(handover),
            );
            e.reason = Some("not_new_manager".into());
            audit::append_alone(&self.db, &e).await?;
            return Err(AppError::Forbidden(
                karuna_domain::access::DenyReason::NotOnCase,
            ));
        }
        let mut tx = self.db.begin().await?;
        if !karuna_store::handover::acknowledge(&mut tx, handover).await? {
            return Err(FieldError::new("handover", "case.handover_acknowledged").into());
        }
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "handover.acknowledge", Outcome::Success),
                "case_handover",
                Some(handover),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(h.case_id)
    }

    /// Changes what intake recorded: urgency, sensitivity, types, presenting problem. The
    /// earlier values are kept as a revision.
    #[allow(clippy::too_many_arguments)]
    pub async fn update_case(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        version: i64,
        urgency: &str,
        sensitive: bool,
        case_types: &[String],
        presenting_problem: &str,
    ) -> Result<i64, AppError> {
        let (case, _) = self
            .case_for(user, ctx, id, CaseAccess::Manage, "case.update")
            .await?;
        let mut errors = Vec::new();
        if Urgency::from_code(urgency).is_none() {
            errors.push(FieldError::new("urgency", "case.urgency_unknown"));
        }
        let types = self.case_types_of(user.actor.org_id).await?;
        check_case_types(case_types, &types, &case.case_types, &mut errors);
        let problem = presenting_problem.trim();
        if problem.is_empty() {
            errors.push(FieldError::new("presenting_problem", "required"));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let mut tx = self.db.begin().await?;
        let snapshot = serde_json::json!({
            "urgency": case.urgency, "sensitive": case.sensitive, "case_types": case.case_types,
            "presenting_problem": case.presenting_problem,
        });
        let v = store::set_details(
            &mut tx, id, version, urgency, sensitive, case_types, problem,
        )
        .await?;
        revision::record(
            &mut tx,
            "case",
            id,
            version,
            &snapshot,
            Some(user.actor.id),
            None,
        )
        .await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "case.update", Outcome::Success),
                "case",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }
}

/// The policy decision, for callers that only need to know.
pub fn allowed(user: &CurrentUser, action: Action<'_>) -> bool {
    matches!(decide(&user.actor, action), Decision::Allow)
}

/// Everything a printed case file holds: the case file as its page shows it (with up to
/// [`EXPORT_CONTACTS`] contacts), its plan with progress, and its reviews, closures and
/// follow-ups.
#[derive(Debug, Clone)]
pub struct CaseExport {
    /// The case, its persons, team, history, contacts, promises, consents and files.
    pub file: CaseFile,
    /// The plan, its versions and progress.
    pub plan: crate::plan::PlanView,
    /// Reviews, closures and follow-ups.
    pub closure: crate::closure::ClosureView,
}

/// The most cases a list download holds.
pub const LIST_EXPORT_MAX: i64 = 10_000;

/// The most contacts a printed case file holds (the newest).
pub const EXPORT_CONTACTS: i64 = 500;

impl App {
    /// The case file to print (`case_file`, `plan` and `closure_view`, each checked and
    /// audited as a read), then a `case.export` event naming the case.
    pub async fn case_export(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<CaseExport, AppError> {
        let file = self.case_file(user, ctx, id, EXPORT_CONTACTS).await?;
        let plan = self.plan(user, ctx, id).await?;
        let closure = self.closure_view(user, ctx, id).await?;
        self.audit_read(user, ctx, "case.export", ("case", id))
            .await?;
        Ok(CaseExport {
            file,
            plan,
            closure,
        })
    }
}
