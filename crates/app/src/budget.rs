//! Budgets of programmes by Thai fiscal year: administrators allocate (or reduce) a budget for
//! the whole programme or one unit; approvals commit from it (`allocation`); the case team
//! records what was paid out (date, amount, method, receipt reference) against an approved
//! request; a mistaken payment is corrected by a reversing entry, never an edit. The budget
//! page shows the totals, the balance and the figures by month and quarter; its ledger (which
//! names cases) is for administrators and supervisors.

use crate::allocation::audit_on;
use crate::case::CaseAccess;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{Datelike, NaiveDate};
use karuna_domain::access::Action;
use karuna_domain::audit::Outcome;
use karuna_domain::error::{FieldError, Validation};
use karuna_domain::gatekeeping::budget::{EntryKind, Totals};
use karuna_domain::gatekeeping::{Unit, TEXT_MAX};
use karuna_store::audit;
use karuna_store::budget::{self as ledger, BudgetRow, EntryRow, NewEntry};
use karuna_store::gatekeeping::{self as store, ProgrammeRow};
use karuna_thai::calendar::{bangkok_date, fiscal_year_range, parse_date, Era};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A budget allocation as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct BudgetInput {
    /// The fiscal year in the Buddhist era (`2570` runs 1 October 2026 – 30 September 2027).
    pub fiscal_year: i32,
    /// A unit's own budget (its id); empty: the programme's for every unit.
    pub unit_id: String,
    /// Baht to add (a negative amount reduces the budget, never below what is committed
    /// and paid).
    pub amount: String,
    /// Why (the source of the money, a cabinet or board decision).
    pub note: String,
}

/// A payment as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DisbursementInput {
    /// Baht paid.
    pub amount: String,
    /// The day paid, in the user's calendar (default: today).
    pub paid_on: String,
    /// `cash`, `transfer`, `cheque` or `in_kind`.
    pub method: String,
    /// The receipt's number or reference.
    pub receipt_ref: String,
    /// A note.
    pub note: String,
}

/// The payment methods.
pub const METHODS: [&str; 4] = ["cash", "transfer", "cheque", "in_kind"];

/// One month's movements of a budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct MonthFigure {
    /// First day of the month.
    pub month: NaiveDate,
    /// Quarter of the fiscal year (1: October–December).
    pub quarter: u32,
    /// Committed that month (net of releases).
    pub committed: i64,
    /// Paid out that month (net of reversals).
    pub disbursed: i64,
}

/// What a client was granted in one case from one programme (approved or closed requests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendingLine {
    /// The case.
    pub case_id: Uuid,
    /// Its number.
    pub case_number: String,
    /// The case the viewer asked about.
    pub this_case: bool,
    /// The programme.
    pub programme_id: Uuid,
    /// Its name in Thai.
    pub programme_name_th: String,
    /// In English.
    pub programme_name_en: Option<String>,
    /// Its unit code.
    pub unit: String,
    /// How many requests were granted.
    pub requests: i64,
    /// The amounts approved (minor units of the programme's unit).
    pub approved: i64,
    /// Paid out of them (satang; money programmes only).
    pub disbursed: i64,
}

/// A budget with its programme, ledger and figures.
#[derive(Debug, Clone)]
pub struct BudgetView {
    /// The programme.
    pub programme: ProgrammeRow,
    /// The budget's carried totals.
    pub budget: BudgetRow,
    /// The entries (empty when the viewer sees totals only).
    pub entries: Vec<EntryRow>,
    /// The viewer sees the ledger.
    pub ledger: bool,
    /// Figures by month of the fiscal year.
    pub months: Vec<MonthFigure>,
}

impl BudgetView {
    /// The totals.
    pub fn totals(&self) -> Totals {
        Totals {
            allocated: self.budget.allocated,
            committed: self.budget.committed,
            disbursed: self.budget.disbursed,
        }
    }
}

fn months_of(fiscal_year: i64, entries: &[EntryRow]) -> Vec<MonthFigure> {
    let Some((start, _)) = fiscal_year_range(fiscal_year as i32) else {
        return Vec::new();
    };
    (0..12)
        .filter_map(|i| {
            let m = start.checked_add_months(chrono::Months::new(i))?;
            let inside = |d: &NaiveDate| d.year() == m.year() && d.month() == m.month();
            let sum = |kinds: &[(EntryKind, i64)]| -> i64 {
                entries
                    .iter()
                    .filter(|e| inside(&e.occurred_on))
                    .map(|e| {
                        kinds
                            .iter()
                            .find(|(k, _)| k.code() == e.kind)
                            .map_or(0, |(_, sign)| sign * e.amount)
                    })
                    .sum()
            };
            Some(MonthFigure {
                month: m,
                quarter: i / 3 + 1,
                committed: sum(&[(EntryKind::Commitment, 1), (EntryKind::Release, -1)]),
                disbursed: sum(&[(EntryKind::Disbursement, 1), (EntryKind::Reversal, -1)]),
            })
        })
        .collect()
}

impl App {
    /// Adds to (or reduces) a programme's budget for a fiscal year (administrators); returns
    /// the budget's id.
    pub async fn allocate_budget(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        programme: Uuid,
        input: &BudgetInput,
    ) -> Result<Uuid, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ManageConfiguration,
            "budget.allocate",
            ("programme", Some(programme)),
        )
        .await?;
        let p = store::programme(&self.db, user.actor.org_id, programme)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut v = Validation::new();
        if p.unit != "baht" {
            v.push(FieldError::new("amount", "gatekeeping.budget_not_money"));
        }
        if !(2500..=2700).contains(&input.fiscal_year) {
            v.push(FieldError::new(
                "fiscal_year",
                "gatekeeping.fiscal_year_invalid",
            ));
        }
        let amount = match Unit::Baht.parse(&input.amount, true) {
            Ok(a) => a,
            Err(code) => {
                v.push(FieldError::new("amount", code));
                0
            }
        };
        let note = v.text("note", &input.note, TEXT_MAX);
        let unit = match input.unit_id.trim() {
            "" => None,
            u => {
                let units = karuna_store::account::list_units(&self.db, user.actor.org_id).await?;
                let found = Uuid::parse_str(u)
                    .ok()
                    .filter(|id| units.iter().any(|x| x.id == *id));
                if found.is_none() {
                    v.push(FieldError::new("unit_id", "gatekeeping.unit_id_unknown"));
                }
                found
            }
        };
        v.finish()?;
        let mut tx = self.db.begin().await?;
        let budget = ledger::ensure_budget(
            &mut tx,
            user.actor.org_id,
            programme,
            input.fiscal_year,
            unit,
        )
        .await?;
        let entry = ledger::append_entry(
            &mut tx,
            &NewEntry {
                budget_id: budget,
                kind: EntryKind::Allocation,
                amount,
                request_id: None,
                reverses: None,
                occurred_on: bangkok_date(karuna_store::time::now()),
                method: None,
                receipt_ref: None,
                note: note.as_deref(),
                by: user.actor.id,
            },
            amount < 0,
        )
        .await?;
        if entry.is_none() {
            return Err(AppError::Refused("budget_below_spent"));
        }
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "budget.allocate", Outcome::Success),
                "budget",
                Some(budget),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(budget)
    }

    /// A budget with its figures, and its ledger for administrators and supervisors.
    pub async fn budget(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<BudgetView, AppError> {
        self.budget_as(user, ctx, id, "budget.read").await
    }

    /// The same budget for a spreadsheet download, audited as an export (`budget.export`):
    /// who took the figures, and the ledger with them, out of Karuna.
    pub async fn budget_export(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<BudgetView, AppError> {
        self.budget_as(user, ctx, id, "budget.export").await
    }

    async fn budget_as(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        action: &str,
    ) -> Result<BudgetView, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ViewBudgets { ledger: false },
            action,
            ("budget", Some(id)),
        )
        .await?;
        let budget = ledger::budget(&self.db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let programme = store::programme(&self.db, user.actor.org_id, budget.programme_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let ledger =
            karuna_domain::access::decide(&user.actor, Action::ViewBudgets { ledger: true })
                .is_allowed();
        let all = ledger::entries(&self.db, id).await?;
        let months = months_of(budget.fiscal_year, &all);
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, action, Outcome::Success),
                "budget",
                Some(id),
            ),
        )
        .await?;
        Ok(BudgetView {
            programme,
            budget,
            entries: if ledger { all } else { Vec::new() },
            ledger,
            months,
        })
    }

    /// What the client of a case was granted across her cases, per case and programme: the
    /// cases the viewer may open only (another case is not counted, and not hinted at), and
    /// none but this one for a viewer who may not see who the client is; this case first.
    /// Audited as a read of the client's allocations.
    pub async fn client_spending(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
    ) -> Result<Vec<SpendingLine>, AppError> {
        let (case, facts) = self
            .case_for(user, ctx, case_id, CaseAccess::Open, "allocation.spending")
            .await?;
        // Someone who may not see who the client is (a sensitive case) must not learn it from
        // her other cases: she sees this case's lines only.
        let across = karuna_domain::access::decide(&user.actor, Action::SeeClientIdentity(&facts))
            .is_allowed();
        let rows = store::granted_to_client(&self.db, case.client_id).await?;
        let mut may_open: std::collections::HashMap<Uuid, bool> =
            std::collections::HashMap::from([(case_id, true)]);
        let mut lines: Vec<SpendingLine> = Vec::new();
        for r in rows {
            let open = match may_open.get(&r.case_id) {
                Some(b) => *b,
                None if !across => false,
                None => {
                    let b = self.can_open(user, r.case_id).await?;
                    may_open.insert(r.case_id, b);
                    b
                }
            };
            if !open {
                continue;
            }
            match lines
                .iter_mut()
                .find(|l| l.case_id == r.case_id && l.programme_id == r.programme_id)
            {
                Some(l) => {
                    l.requests += 1;
                    l.approved += r.amount;
                    l.disbursed += r.disbursed;
                }
                None => lines.push(SpendingLine {
                    case_id: r.case_id,
                    this_case: r.case_id == case_id,
                    case_number: r.case_number,
                    programme_id: r.programme_id,
                    programme_name_th: r.programme_name_th,
                    programme_name_en: r.programme_name_en,
                    unit: r.unit,
                    requests: 1,
                    approved: r.amount,
                    disbursed: r.disbursed,
                }),
            }
        }
        lines.sort_by(|a, b| {
            b.this_case
                .cmp(&a.this_case)
                .then_with(|| a.case_number.cmp(&b.case_number))
                .then_with(|| a.programme_name_th.cmp(&b.programme_name_th))
        });
        self.audit_read(user, ctx, "allocation.spending", ("person", case.client_id))
            .await?;
        Ok(lines)
    }

    /// Records a payment against an approved request (the case team); returns the entry's id.
    pub async fn disburse(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        request: Uuid,
        input: &DisbursementInput,
    ) -> Result<Uuid, AppError> {
        let r = store::request(&self.db, request)
            .await?
            .ok_or(AppError::NotFound)?;
        self.case_for(
            user,
            ctx,
            r.case_id,
            CaseAccess::Edit,
            "allocation.disburse",
        )
        .await?;
        let era = Era::from_code(&user.era).unwrap_or_default();
        let mut v = Validation::new();
        let amount = match Unit::Baht.parse(&input.amount, false) {
            Ok(a) => a,
            Err(code) => {
                v.push(FieldError::new("amount", code));
                0
            }
        };
        let today = bangkok_date(karuna_store::time::now());
        let paid_on = match input.paid_on.trim() {
            "" => today,
            t => match parse_date(t, era) {
                Ok(d) if d.date > today => {
                    v.push(FieldError::new("paid_on", "gatekeeping.paid_in_future"));
                    today
                }
                Ok(d) => d.date,
                Err(e) => {
                    v.push(FieldError::new("paid_on", e.code()));
                    today
                }
            },
        };
        let method = input.method.trim();
        if !METHODS.contains(&method) {
            v.push(FieldError::new(
                "method",
                if method.is_empty() {
                    "required"
                } else {
                    "gatekeeping.method_unknown"
                },
            ));
        }
        let receipt = v.text("receipt_ref", &input.receipt_ref, 200);
        let note = v.text("note", &input.note, TEXT_MAX);
        v.finish()?;
        if r.unit != "baht" {
            return Err(AppError::Refused("allocation_not_money"));
        }
        if r.status != "approved" {
            return Err(AppError::Refused("allocation_not_approved"));
        }
        let Some(budget) = r.budget_id else {
            return Err(AppError::Refused("allocation_not_approved"));
        };
        let mut tx = self.db.begin().await?;
        if !store::add_disbursed(&mut tx, request, amount).await? {
            return Err(AppError::Invalid(vec![FieldError::new(
                "amount",
                "gatekeeping.more_than_approved",
            )
            .arg("left", Unit::Baht.show(r.amount - r.disbursed))]));
        }
        let id = ledger::append_entry(
            &mut tx,
            &NewEntry {
                budget_id: budget,
                kind: EntryKind::Disbursement,
                amount,
                request_id: Some(request),
                reverses: None,
                occurred_on: paid_on,
                method: Some(method),
                receipt_ref: receipt.as_deref(),
                note: note.as_deref(),
                by: user.actor.id,
            },
            false,
        )
        .await?
        .ok_or(AppError::Conflict)?;
        store::add_event(
            &mut tx,
            request,
            "disburse",
            None,
            receipt.as_deref(),
            user.actor.id,
        )
        .await?;
        audit_on(&mut tx, user, ctx, "allocation.disburse", request, None).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Reverses a payment with a reason (the case team); returns the reversing entry's id.
    pub async fn reverse_disbursement(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        entry: Uuid,
        reason: &str,
    ) -> Result<Uuid, AppError> {
        let e = ledger::entry(&self.db, entry)
            .await?
            .ok_or(AppError::NotFound)?;
        let Some(request) = e.request_id else {
            return Err(AppError::NotFound);
        };
        let r = store::request(&self.db, request)
            .await?
            .ok_or(AppError::NotFound)?;
        self.case_for(user, ctx, r.case_id, CaseAccess::Edit, "allocation.reverse")
            .await?;
        let mut v = Validation::new();
        let reason = v.required("reason", reason, TEXT_MAX);
        v.finish()?;
        if e.kind != "disbursement" || e.reversed {
            return Err(AppError::Refused("entry_not_reversible"));
        }
        let mut tx = self.db.begin().await?;
        if !store::add_disbursed(&mut tx, request, -e.amount).await? {
            return Err(AppError::Conflict);
        }
        let id = ledger::append_entry(
            &mut tx,
            &NewEntry {
                budget_id: e.budget_id,
                kind: EntryKind::Reversal,
                amount: e.amount,
                request_id: Some(request),
                reverses: Some(entry),
                occurred_on: bangkok_date(karuna_store::time::now()),
                method: None,
                receipt_ref: None,
                note: Some(&reason),
                by: user.actor.id,
            },
            false,
        )
        .await
        .map_err(|err| match err {
            karuna_store::StoreError::Duplicate => AppError::Refused("entry_not_reversible"),
            other => other.into(),
        })?
        .ok_or(AppError::Conflict)?;
        store::add_event(
            &mut tx,
            request,
            "reverse",
            None,
            Some(&reason),
            user.actor.id,
        )
        .await?;
        audit_on(&mut tx, user, ctx, "allocation.reverse", request, None).await?;
        tx.commit().await?;
        Ok(id)
    }
}
