//! Requests for an allocation of a scarce resource and the gatekeeper's decision. The case
//! team requests an amount for a purpose (a plan goal) with a justification; the eligibility
//! check runs against the programme's published criteria and is stored with the request as it
//! was. The decision belongs to the person whose authority covers the amount — one level up
//! when the check did not pass, and then with an override reason. Approval commits the amount
//! from the budget of the current Thai fiscal year (money) or takes capacity (nights, places,
//! items; when full, the request joins the waiting list and freed capacity offers the next).
//! Every step is audited and on the case timeline.

use crate::case::CaseAccess;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::access::DenyReason;
use karuna_domain::audit::Outcome;
use karuna_domain::error::FieldError;
use karuna_domain::gatekeeping::budget::EntryKind;
use karuna_domain::gatekeeping::criteria::{self, Check};
use karuna_domain::gatekeeping::{self as domain, DecisionInput, RequestInput, Unit};
use karuna_store::budget::{self as ledger, EntryRow, NewEntry};
use karuna_store::gatekeeping::{self as store, DecisionWrite, NewRequest, RequestRow};
use karuna_store::notification::{self as notes, NewNotification};
use karuna_store::referral::EventRow;
use karuna_store::{audit, Tx};
use karuna_thai::calendar::{bangkok_date, fiscal_year_be};
use uuid::Uuid;

/// A request with what its page shows.
#[derive(Debug, Clone)]
pub struct AllocationView {
    /// The request.
    pub request: RequestRow,
    /// Its eligibility check as stored.
    pub check: Option<Check>,
    /// Its history.
    pub events: Vec<EventRow>,
    /// Its ledger entries.
    pub entries: Vec<EntryRow>,
    /// The viewer may decide it (pending, within their authority).
    pub can_decide: bool,
    /// The documents the programme requires.
    pub documents: Vec<String>,
    /// The receipts kept for its payments (names and sizes; the download checks again).
    pub receipts: Vec<karuna_store::attachment::AttachmentInfo>,
    /// The viewer may record payments and keep receipts (she may edit the case).
    pub can_edit: bool,
}

/// A request in a gatekeeper's queue.
#[derive(Debug, Clone)]
pub struct QueueLine {
    /// The request.
    pub request: RequestRow,
    /// Its place on the waiting list (1 = next), for a waiting request.
    pub place: Option<usize>,
}

pub(crate) async fn audit_on(
    tx: &mut Tx,
    user: &CurrentUser,
    ctx: &Ctx,
    action: &str,
    id: Uuid,
    reason: Option<&str>,
) -> Result<(), AppError> {
    let mut e = on(
        event(Some(user), ctx, action, Outcome::Success),
        "allocation",
        Some(id),
    );
    e.reason = reason.map(str::to_string);
    audit::append(tx, &e).await?;
    Ok(())
}

impl App {
    /// Requests an allocation for the client of `case_id`; returns the new request's id.
    pub async fn request_allocation(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        input: &RequestInput,
    ) -> Result<Uuid, AppError> {
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "allocation.create")
            .await?;
        let r = domain::validate_request(input)?;
        if case.status == "closed" {
            return Err(AppError::Refused("allocation_case_closed"));
        }
        let mut errors = Vec::new();
        let programme = match Uuid::parse_str(&r.programme_id) {
            Ok(id) => store::programme(&self.db, case.org_id, id).await?,
            Err(_) => None,
        };
        let Some(programme) = programme else {
            return Err(AppError::Invalid(vec![FieldError::new(
                "programme_id",
                "gatekeeping.programme_unknown",
            )]));
        };
        if programme.status != "active" {
            errors.push(FieldError::new(
                "programme_id",
                "gatekeeping.programme_closed",
            ));
        }
        let unit = Unit::from_code(&programme.unit).unwrap_or(Unit::Baht);
        let amount = match unit.parse(&input.amount, false) {
            Ok(a) => a,
            Err(code) => {
                errors.push(FieldError::new("amount", code));
                0
            }
        };
        let goal = match &r.goal_id {
            Some(g) => {
                let id = Uuid::parse_str(g).ok();
                let versions = karuna_store::plan::versions(&self.db, case_id).await?;
                let known = id.is_some_and(|id| {
                    versions
                        .iter()
                        .filter(|v| v.status == "active")
                        .flat_map(|v| v.content.goals.iter())
                        .any(|x| x.id == id)
                });
                if !known {
                    errors.push(FieldError::new("goal_id", "gatekeeping.goal_unknown"));
                }
                id.filter(|_| known)
            }
            None => None,
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let view = self.programme_view(case.org_id, programme.id).await?;
        let (criteria_version, list) = match view.published() {
            Some((v, c)) => (Some(v), c),
            None => (None, Vec::new()),
        };
        let facts = self
            .eligibility_facts(&case, programme.id, unit, amount)
            .await?;
        let check = criteria::evaluate(&list, &facts);
        let limits: Vec<Option<i64>> = view.authorities.iter().map(|a| a.limit).collect();
        let Some(required) = domain::required_level(&limits, amount, check.eligible()) else {
            return Err(AppError::Invalid(vec![FieldError::new(
                "amount",
                "gatekeeping.above_every_authority",
            )
            .arg("amount", unit.show(amount))]));
        };
        let json = serde_json::to_string(&check).map_err(|e| AppError::Internal(e.to_string()))?;
        let id = Uuid::now_v7();
        let fiscal_year = fiscal_year_be(bangkok_date(karuna_store::time::now()));
        let mut tx = self.db.begin().await?;
        store::insert_request(
            &mut tx,
            &NewRequest {
                id,
                org_id: case.org_id,
                case_id,
                client_id: case.client_id,
                programme_id: programme.id,
                criteria_version,
                amount,
                goal_id: goal,
                purpose: &r.purpose,
                justification: &r.justification,
                check: &json,
                eligibility: &check.result,
                required_limit: required,
                fiscal_year,
                urgency: &case.urgency,
                created_by: user.actor.id,
            },
        )
        .await?;
        // Beyond the requester's own authority: the unit's supervisors are told.
        let own = self.authority_of(user, programme.id).await?;
        if !domain::covers(own, required) {
            notes::notify_unit_supervisors(
                &mut tx,
                case.unit_id,
                user.actor.id,
                &NewNotification {
                    org_id: case.org_id,
                    kind: "allocation_request",
                    case_id,
                    entity_id: Some(id),
                    actor_id: Some(user.actor.id),
                },
            )
            .await?;
        }
        karuna_store::case::touch(&mut tx, case_id).await?;
        audit_on(
            &mut tx,
            user,
            ctx,
            "allocation.create",
            id,
            Some(&check.result),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The case's requests (an audited read).
    pub async fn case_allocations(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
    ) -> Result<Vec<RequestRow>, AppError> {
        self.case_for(user, ctx, case_id, CaseAccess::Open, "allocation.list")
            .await?;
        let list = store::requests_of_case(&self.db, case_id).await?;
        self.audit_read(user, ctx, "allocation.list", ("case", case_id))
            .await?;
        Ok(list)
    }

    /// The request a ledger entry concerns (for the page to return to; no access check: the
    /// use case that acts on the entry checks).
    pub async fn entry_request(&self, entry: Uuid) -> Result<Uuid, AppError> {
        ledger::entry(&self.db, entry)
            .await?
            .and_then(|e| e.request_id)
            .ok_or(AppError::NotFound)
    }

    /// The case a request belongs to (for the adapters' access check before a body is read).
    pub async fn allocation_case(&self, id: Uuid) -> Result<Uuid, AppError> {
        Ok(store::request(&self.db, id)
            .await?
            .ok_or(AppError::NotFound)?
            .case_id)
    }

    /// One request with its check, history and ledger (an audited read).
    pub async fn allocation(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<AllocationView, AppError> {
        let request = store::request(&self.db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (_, facts) = self
            .case_for(
                user,
                ctx,
                request.case_id,
                CaseAccess::Open,
                "allocation.read",
            )
            .await?;
        let can_edit = karuna_domain::access::decide(
            &user.actor,
            karuna_domain::access::Action::EditCase(&facts),
        )
        .is_allowed();
        let held = self.authority_of(user, request.programme_id).await?;
        let can_decide = matches!(request.status.as_str(), "pending" | "waiting")
            && domain::covers(held, needed(&request));
        let documents = store::programme(&self.db, request.org_id, request.programme_id)
            .await?
            .map(|p| p.documents)
            .unwrap_or_default();
        let view = AllocationView {
            check: serde_json::from_str(&request.check).ok(),
            events: store::events(&self.db, id).await?,
            entries: ledger::entries_of_request(&self.db, id).await?,
            can_decide,
            documents,
            receipts: karuna_store::attachment::of_request_payments(&self.db, id).await?,
            can_edit,
            request,
        };
        self.audit_read(user, ctx, "allocation.read", ("allocation", id))
            .await?;
        Ok(view)
    }

    /// Decides a request: approve (within authority; an override reason when its check did not
    /// pass), decline (with a reason the client can be told), or withdraw it (the case team,
    /// before a decision). Returns the new version.
    pub async fn decide_allocation(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: &DecisionInput,
    ) -> Result<i64, AppError> {
        let r = store::request(&self.db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let access = if input.decision.trim() == "withdraw" {
            CaseAccess::Edit
        } else {
            CaseAccess::Open
        };
        let (case, _) = self
            .case_for(user, ctx, r.case_id, access, "allocation.decide")
            .await?;
        let d = domain::validate_decision(input)?;
        if !matches!(r.status.as_str(), "pending" | "waiting") {
            return Err(AppError::Refused("allocation_decided"));
        }
        if r.version != input.version {
            return Err(AppError::Conflict);
        }
        if d.decision == "withdraw" {
            let mut tx = self.db.begin().await?;
            let v = store::decide(
                &mut tx,
                id,
                input.version,
                &DecisionWrite {
                    from: &r.status,
                    to: "withdrawn",
                    reason: d.reason.as_deref(),
                    override_reason: None,
                    budget_override_reason: None,
                    budget_id: None,
                    decided_by: None,
                    waiting: false,
                },
            )
            .await?;
            store::add_event(
                &mut tx,
                id,
                "withdraw",
                Some("withdrawn"),
                d.reason.as_deref(),
                user.actor.id,
            )
            .await?;
            karuna_store::case::touch(&mut tx, case.id).await?;
            audit_on(
                &mut tx,
                user,
                ctx,
                "allocation.decide",
                id,
                Some("withdraw"),
            )
            .await?;
            tx.commit().await?;
            return Ok(v);
        }
        // The authority: the viewer's widest on this programme must cover the level needed.
        let held = self.authority_of(user, r.programme_id).await?;
        if !domain::covers(held, needed(&r)) {
            let mut e = on(
                event(Some(user), ctx, "allocation.decide", Outcome::Denied),
                "allocation",
                Some(id),
            );
            e.reason = Some(DenyReason::Authority.code().into());
            audit::append_alone(&self.db, &e).await?;
            return Err(AppError::Forbidden(DenyReason::Authority));
        }
        let passed = r.eligibility == "eligible";
        if d.decision == "approve" && !passed && d.override_reason.is_none() {
            return Err(AppError::Invalid(vec![FieldError::new(
                "override_reason",
                "gatekeeping.override_reason_required",
            )]));
        }
        // An override reason means something only when the check did not pass.
        let override_reason = d.override_reason.clone().filter(|_| !passed);
        let unit = Unit::from_code(&r.unit).unwrap_or(Unit::Baht);
        let mut tx = self.db.begin().await?;
        if d.decision == "decline" {
            let v = store::decide(
                &mut tx,
                id,
                input.version,
                &DecisionWrite {
                    from: &r.status,
                    to: "declined",
                    reason: d.reason.as_deref(),
                    override_reason: None,
                    budget_override_reason: None,
                    budget_id: None,
                    decided_by: Some(user.actor.id),
                    waiting: false,
                },
            )
            .await?;
            store::add_event(
                &mut tx,
                id,
                "decline",
                Some("declined"),
                d.reason.as_deref(),
                user.actor.id,
            )
            .await?;
            self.tell_requester(&mut tx, &r, user).await?;
            karuna_store::case::touch(&mut tx, case.id).await?;
            audit_on(&mut tx, user, ctx, "allocation.decide", id, Some("decline")).await?;
            tx.commit().await?;
            return Ok(v);
        }
        // Approve: money from the budget of this fiscal year; capacity otherwise.
        let mut budget_id = None;
        let mut to = "approved";
        if unit == Unit::Baht {
            let Some(b) =
                ledger::budget_for(&mut tx, r.programme_id, r.fiscal_year as i32, case.unit_id)
                    .await?
            else {
                return Err(AppError::Refused("allocation_no_budget"));
            };
            let overriding = d.budget_override_reason.is_some();
            if overriding && held != Some(None) {
                return Err(AppError::Invalid(vec![FieldError::new(
                    "budget_override_reason",
                    "gatekeeping.budget_override_authority",
                )]));
            }
            let today = bangkok_date(karuna_store::time::now());
            let entry = ledger::append_entry(
                &mut tx,
                &NewEntry {
                    budget_id: b,
                    kind: EntryKind::Commitment,
                    amount: r.amount,
                    request_id: Some(id),
                    reverses: None,
                    occurred_on: today,
                    method: None,
                    receipt_ref: None,
                    note: d.budget_override_reason.as_deref(),
                    by: user.actor.id,
                },
                !overriding,
            )
            .await?;
            if entry.is_none() {
                return Err(AppError::Refused("allocation_budget_exhausted"));
            }
            budget_id = Some(b);
        } else if !store::take_capacity(&mut tx, r.programme_id, r.amount).await? {
            if r.status == "waiting" {
                return Err(AppError::Refused("allocation_still_full"));
            }
            to = "waiting";
        }
        let v = store::decide(
            &mut tx,
            id,
            input.version,
            &DecisionWrite {
                from: &r.status,
                to,
                reason: None,
                override_reason: override_reason.as_deref(),
                budget_override_reason: d.budget_override_reason.as_deref(),
                budget_id,
                decided_by: (to == "approved").then_some(user.actor.id),
                waiting: to == "waiting",
            },
        )
        .await?;
        let why = match (&override_reason, &d.budget_override_reason) {
            (Some(o), Some(b)) => Some(format!("{o} / {b}")),
            (Some(o), None) => Some(o.clone()),
            (None, b) => b.clone(),
        };
        let kind = if to == "waiting" {
            "waitlist"
        } else if override_reason.is_some() {
            "approve_override"
        } else {
            "approve"
        };
        store::add_event(&mut tx, id, kind, Some(to), why.as_deref(), user.actor.id).await?;
        if to == "approved" {
            self.tell_requester(&mut tx, &r, user).await?;
        }
        karuna_store::case::touch(&mut tx, case.id).await?;
        audit_on(&mut tx, user, ctx, "allocation.decide", id, Some(kind)).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Closes an approved request: the money not paid out is released to the budget, the
    /// place is freed and offered to the next on the waiting list. Returns the new version.
    pub async fn close_allocation(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        version: i64,
        reason: &str,
    ) -> Result<i64, AppError> {
        let r = store::request(&self.db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (case, _) = self
            .case_for(user, ctx, r.case_id, CaseAccess::Edit, "allocation.close")
            .await?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > domain::TEXT_MAX {
            let code = if reason.is_empty() {
                "required"
            } else {
                "too_long"
            };
            return Err(AppError::Invalid(vec![FieldError::new("reason", code)]));
        }
        if r.status != "approved" {
            return Err(AppError::Refused("allocation_not_approved"));
        }
        let unit = Unit::from_code(&r.unit).unwrap_or(Unit::Baht);
        let mut tx = self.db.begin().await?;
        let v = store::decide(
            &mut tx,
            id,
            version,
            &DecisionWrite {
                from: "approved",
                to: "closed",
                reason: Some(reason),
                override_reason: None,
                budget_override_reason: None,
                budget_id: None,
                decided_by: None,
                waiting: false,
            },
        )
        .await?;
        let unpaid = r.amount - r.disbursed;
        if unit == Unit::Baht {
            if let (Some(b), true) = (r.budget_id, unpaid > 0) {
                ledger::append_entry(
                    &mut tx,
                    &NewEntry {
                        budget_id: b,
                        kind: EntryKind::Release,
                        amount: unpaid,
                        request_id: Some(id),
                        reverses: None,
                        occurred_on: bangkok_date(karuna_store::time::now()),
                        method: None,
                        receipt_ref: None,
                        note: Some(reason),
                        by: user.actor.id,
                    },
                    false,
                )
                .await?;
            }
        } else {
            store::free_capacity(&mut tx, r.programme_id, r.amount).await?;
            self.offer_next(&mut tx, r.org_id, r.programme_id, user)
                .await?;
        }
        store::add_event(
            &mut tx,
            id,
            "close",
            Some("closed"),
            Some(reason),
            user.actor.id,
        )
        .await?;
        karuna_store::case::touch(&mut tx, case.id).await?;
        audit_on(&mut tx, user, ctx, "allocation.close", id, None).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Freed capacity: the first request of the waiting list is offered to its gatekeeper
    /// again (back to pending, its case manager told).
    async fn offer_next(
        &self,
        tx: &mut Tx,
        org: Uuid,
        programme: Uuid,
        user: &CurrentUser,
    ) -> Result<(), AppError> {
        let waiting = store::requests_in(&self.db, org, &[programme], &["waiting"]).await?;
        let Some(next) = ordered(waiting).into_iter().next() else {
            return Ok(());
        };
        store::decide(
            tx,
            next.id,
            next.version,
            &DecisionWrite {
                from: "waiting",
                to: "pending",
                reason: None,
                override_reason: None,
                budget_override_reason: None,
                budget_id: None,
                decided_by: None,
                waiting: false,
            },
        )
        .await?;
        store::add_event(tx, next.id, "offered", Some("pending"), None, user.actor.id).await?;
        notes::notify(
            tx,
            next.created_by_id,
            &NewNotification {
                org_id: org,
                kind: "allocation_offered",
                case_id: next.case_id,
                entity_id: Some(next.id),
                actor_id: Some(user.actor.id),
            },
        )
        .await?;
        Ok(())
    }

    async fn tell_requester(
        &self,
        tx: &mut Tx,
        r: &RequestRow,
        user: &CurrentUser,
    ) -> Result<(), AppError> {
        if r.created_by_id != user.actor.id {
            notes::notify(
                tx,
                r.created_by_id,
                &NewNotification {
                    org_id: r.org_id,
                    kind: "allocation_decided",
                    case_id: r.case_id,
                    entity_id: Some(r.id),
                    actor_id: Some(user.actor.id),
                },
            )
            .await?;
        }
        Ok(())
    }

    /// A gatekeeper's queue: the pending requests they may decide and the waiting lists of
    /// their programmes in order, on cases they may open (an audited read).
    pub async fn allocation_queue(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Vec<QueueLine>, AppError> {
        if !matches!(
            user.role(),
            karuna_domain::access::Role::CaseManager | karuna_domain::access::Role::Supervisor
        ) {
            let mut e = on(
                event(Some(user), ctx, "allocation.queue", Outcome::Denied),
                "allocation",
                None,
            );
            e.reason = Some(DenyReason::Role.code().into());
            audit::append_alone(&self.db, &e).await?;
            return Err(AppError::Forbidden(DenyReason::Role));
        }
        let lines = karuna_store::gatekeeping::authorities_of(
            &self.db,
            user.actor.org_id,
            user.actor.id,
            user.role().code(),
        )
        .await?;
        let mut programmes: Vec<Uuid> = lines.iter().map(|(p, _)| *p).collect();
        programmes.sort();
        programmes.dedup();
        let all = store::requests_in(
            &self.db,
            user.actor.org_id,
            &programmes,
            &["pending", "waiting"],
        )
        .await?;
        let mut out = Vec::new();
        let mut waiting_by: std::collections::BTreeMap<Uuid, Vec<RequestRow>> = Default::default();
        for r in all {
            let held = domain::widest(
                &lines
                    .iter()
                    .filter(|(p, _)| *p == r.programme_id)
                    .map(|(_, l)| *l)
                    .collect::<Vec<_>>(),
            );
            if !domain::covers(held, needed(&r)) {
                continue;
            }
            if !self.may_open(user, r.case_id).await? {
                continue;
            }
            if r.status == "waiting" {
                waiting_by.entry(r.programme_id).or_default().push(r);
            } else {
                out.push(QueueLine {
                    request: r,
                    place: None,
                });
            }
        }
        for (_, list) in waiting_by {
            for (i, r) in ordered(list).into_iter().enumerate() {
                out.push(QueueLine {
                    request: r,
                    place: Some(i + 1),
                });
            }
        }
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "allocation.queue", Outcome::Success),
                "allocation",
                None,
            ),
        )
        .await?;
        Ok(out)
    }

    async fn may_open(&self, user: &CurrentUser, case: Uuid) -> Result<bool, AppError> {
        let Some(row) = karuna_store::case::case_by_id(&self.db, case).await? else {
            return Ok(false);
        };
        let facts = self.case_facts(&row).await?;
        Ok(karuna_domain::access::decide(
            &user.actor,
            karuna_domain::access::Action::OpenCase(&facts),
        )
        .is_allowed())
    }
}

/// The authority level a stored request needs.
pub fn needed(r: &RequestRow) -> Option<i64> {
    if r.required_unlimited {
        None
    } else {
        r.required_limit
    }
}

/// A waiting list in its documented order: the case's urgency (emergency first), then who
/// has waited longest.
pub fn ordered(mut list: Vec<RequestRow>) -> Vec<RequestRow> {
    list.sort_by_key(|r| {
        domain::queue_key(
            &r.urgency,
            &r.waiting_since
                .map(karuna_store::time::to_db)
                .unwrap_or_default(),
        )
    });
    list
}
