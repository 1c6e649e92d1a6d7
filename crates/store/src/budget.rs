//! Budgets of programmes by Thai fiscal year and their append-only ledger. The budget row
//! carries the three totals, moved in the same transaction as each entry; the race for the
//! last baht is decided by one guarded `UPDATE` of those totals (on PostgreSQL the row lock
//! makes a concurrent update wait and re-check the guard; on SQLite the single writer runs
//! transactions one at a time).

use crate::db::{Db, Tx};
use crate::error::{Result, StoreError};
use crate::row::{instant, opt_uuid, uuid};
use crate::time::now_db;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

/// A budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetRow {
    /// Id.
    pub id: Uuid,
    /// Programme.
    pub programme_id: Uuid,
    /// Fiscal year (BE).
    pub fiscal_year: i64,
    /// A unit's budget, or the programme's for every unit.
    pub unit_id: Option<Uuid>,
    /// The unit's name.
    pub unit_name: Option<String>,
    /// Allocated.
    pub allocated: i64,
    /// Committed.
    pub committed: i64,
    /// Disbursed.
    pub disbursed: i64,
}

const BCOLS: &str =
    "b.id, b.programme_id, b.fiscal_year, b.unit_id, u.name AS unit_name, b.allocated, \
    b.committed, b.disbursed FROM budget b LEFT JOIN unit u ON u.id = b.unit_id";

fn budget_row(r: &AnyRow) -> Result<BudgetRow> {
    Ok(BudgetRow {
        id: uuid(r, "id")?,
        programme_id: uuid(r, "programme_id")?,
        fiscal_year: r.try_get("fiscal_year")?,
        unit_id: opt_uuid(r, "unit_id")?,
        unit_name: r.try_get("unit_name")?,
        allocated: r.try_get("allocated")?,
        committed: r.try_get("committed")?,
        disbursed: r.try_get("disbursed")?,
    })
}

/// A programme's budgets, newest year first (the programme-wide one before the units').
pub async fn budgets(db: &Db, programme: Uuid) -> Result<Vec<BudgetRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {BCOLS} WHERE b.programme_id = $1 ORDER BY b.fiscal_year DESC, b.scope LIMIT 500"
    ))
    .bind(programme.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(budget_row).collect()
}

/// One budget.
pub async fn budget(db: &Db, id: Uuid) -> Result<Option<BudgetRow>> {
    let row = sqlx::query(&format!("SELECT {BCOLS} WHERE b.id = $1"))
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    row.as_ref().map(budget_row).transpose()
}

/// The budget a request of a case in `unit` draws on this fiscal year: the unit's own when
/// it has one, else the programme's for every unit.
pub async fn budget_for(
    tx: &mut Tx,
    programme: Uuid,
    fiscal_year: i32,
    unit: Uuid,
) -> Result<Option<Uuid>> {
    let id: Option<String> = sqlx::query_scalar(
        "SELECT id FROM budget WHERE programme_id = $1 AND fiscal_year = $2 AND scope IN ($3, 'all') \
         ORDER BY CASE WHEN scope = 'all' THEN 1 ELSE 0 END LIMIT 1",
    )
    .bind(programme.to_string())
    .bind(i64::from(fiscal_year))
    .bind(unit.to_string())
    .fetch_optional(&mut **tx)
    .await?;
    id.map(|s| Uuid::parse_str(&s).map_err(|_| StoreError::Corrupt("uuid")))
        .transpose()
}

/// The budget of a programme, year and unit (or every unit), created empty when missing.
pub async fn ensure_budget(
    tx: &mut Tx,
    org: Uuid,
    programme: Uuid,
    fiscal_year: i32,
    unit: Option<Uuid>,
) -> Result<Uuid> {
    let scope = unit.map_or_else(|| "all".to_string(), |u| u.to_string());
    let found: Option<String> = sqlx::query_scalar(
        "SELECT id FROM budget WHERE programme_id = $1 AND fiscal_year = $2 AND scope = $3",
    )
    .bind(programme.to_string())
    .bind(i64::from(fiscal_year))
    .bind(&scope)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(id) = found {
        return Uuid::parse_str(&id).map_err(|_| StoreError::Corrupt("uuid"));
    }
    let id = Uuid::now_v7();
    let now = now_db();
    sqlx::query(
        "INSERT INTO budget (id, org_id, programme_id, fiscal_year, unit_id, scope, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(id.to_string())
    .bind(org.to_string())
    .bind(programme.to_string())
    .bind(i64::from(fiscal_year))
    .bind(unit.map(|u| u.to_string()))
    .bind(&scope)
    .bind(&now)
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(id)
}

/// A ledger entry to append.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    /// Budget.
    pub budget_id: Uuid,
    /// Kind code.
    pub kind: karuna_domain::gatekeeping::budget::EntryKind,
    /// Amount (positive; an allocation may be negative).
    pub amount: i64,
    /// The request it concerns.
    pub request_id: Option<Uuid>,
    /// The entry it reverses.
    pub reverses: Option<Uuid>,
    /// When it happened.
    pub occurred_on: NaiveDate,
    /// Payment method.
    pub method: Option<&'a str>,
    /// Receipt reference.
    pub receipt_ref: Option<&'a str>,
    /// Note.
    pub note: Option<&'a str>,
    /// Who.
    pub by: Uuid,
}

/// Appends an entry and moves the budget's totals with it. With `guard`, the entry is
/// refused (`Ok(None)`) when it would take the balance below zero or leave less allocated
/// than is committed and paid: the one check that decides a race for the last baht.
pub async fn append_entry(tx: &mut Tx, e: &NewEntry<'_>, guard: bool) -> Result<Option<Uuid>> {
    let (a, c, d) = e.kind.effect(e.amount);
    let guard_sql = if guard {
        " AND allocated + $1 - (committed + $2) - (disbursed + $3) >= 0"
    } else {
        ""
    };
    let r = sqlx::query(&format!(
        "UPDATE budget SET allocated = allocated + $1, committed = committed + $2, disbursed = disbursed + $3, \
         updated_at = $4 WHERE id = $5{guard_sql}"
    ))
    .bind(a)
    .bind(c)
    .bind(d)
    .bind(now_db())
    .bind(e.budget_id.to_string())
    .execute(&mut **tx)
    .await?;
    if r.rows_affected() == 0 {
        return Ok(None);
    }
    let id = Uuid::now_v7();
    sqlx::query(
        "INSERT INTO budget_entry (id, budget_id, kind, amount, request_id, reverses_id, occurred_on, method, \
         receipt_ref, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(id.to_string())
    .bind(e.budget_id.to_string())
    .bind(e.kind.code())
    .bind(e.amount)
    .bind(e.request_id.map(|r| r.to_string()))
    .bind(e.reverses.map(|r| r.to_string()))
    .bind(crate::row::date_db(e.occurred_on))
    .bind(e.method)
    .bind(e.receipt_ref)
    .bind(e.note)
    .bind(e.by.to_string())
    .bind(now_db())
    .execute(&mut **tx)
    .await
    .map_err(StoreError::from_insert)?;
    Ok(Some(id))
}

/// A ledger entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryRow {
    /// Id.
    pub id: Uuid,
    /// Budget.
    pub budget_id: Uuid,
    /// Kind code.
    pub kind: String,
    /// Amount.
    pub amount: i64,
    /// Request.
    pub request_id: Option<Uuid>,
    /// Its case number.
    pub case_number: Option<String>,
    /// The entry it reverses.
    pub reverses: Option<Uuid>,
    /// Reversed by a later entry.
    pub reversed: bool,
    /// When it happened.
    pub occurred_on: NaiveDate,
    /// Method.
    pub method: Option<String>,
    /// Receipt reference.
    pub receipt_ref: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Who (name).
    pub by: String,
    /// When recorded.
    pub created_at: DateTime<Utc>,
}

const ECOLS: &str = "e.id, e.budget_id, e.kind, e.amount, e.request_id, c.number AS case_number, e.reverses_id, \
    (SELECT COUNT(*) FROM budget_entry x WHERE x.reverses_id = e.id) AS reversed, e.occurred_on, e.method, \
    e.receipt_ref, e.note, a.display_name AS by_name, e.created_at FROM budget_entry e \
    JOIN account a ON a.id = e.created_by LEFT JOIN allocation_request r ON r.id = e.request_id \
    LEFT JOIN case_file c ON c.id = r.case_id";

fn entry_row(r: &AnyRow) -> Result<EntryRow> {
    Ok(EntryRow {
        id: uuid(r, "id")?,
        budget_id: uuid(r, "budget_id")?,
        kind: r.try_get("kind")?,
        amount: r.try_get("amount")?,
        request_id: opt_uuid(r, "request_id")?,
        case_number: r.try_get("case_number")?,
        reverses: opt_uuid(r, "reverses_id")?,
        reversed: r.try_get::<i64, _>("reversed")? > 0,
        occurred_on: crate::row::date(r, "occurred_on")?,
        method: r.try_get("method")?,
        receipt_ref: r.try_get("receipt_ref")?,
        note: r.try_get("note")?,
        by: r.try_get("by_name")?,
        created_at: instant(r, "created_at")?,
    })
}

/// A budget's ledger, oldest first.
pub async fn entries(db: &Db, budget: Uuid) -> Result<Vec<EntryRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {ECOLS} WHERE e.budget_id = $1 ORDER BY e.created_at, e.id LIMIT 10000"
    ))
    .bind(budget.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(entry_row).collect()
}

/// The ledger entries of a request, oldest first.
pub async fn entries_of_request(db: &Db, request: Uuid) -> Result<Vec<EntryRow>> {
    let rows = sqlx::query(&format!(
        "SELECT {ECOLS} WHERE e.request_id = $1 ORDER BY e.created_at, e.id LIMIT 1000"
    ))
    .bind(request.to_string())
    .fetch_all(db.read())
    .await?;
    rows.iter().map(entry_row).collect()
}

/// One entry.
pub async fn entry(db: &Db, id: Uuid) -> Result<Option<EntryRow>> {
    let row = sqlx::query(&format!("SELECT {ECOLS} WHERE e.id = $1"))
        .bind(id.to_string())
        .fetch_optional(db.read())
        .await?;
    row.as_ref().map(entry_row).transpose()
}

/// The totals a budget's ledger adds up to, recomputed from its entries (the invariant the
/// carried totals must always equal).
pub async fn ledger_totals(
    db: &Db,
    budget: Uuid,
) -> Result<karuna_domain::gatekeeping::budget::Totals> {
    use karuna_domain::gatekeeping::budget::{EntryKind, Totals};
    let rows = sqlx::query("SELECT kind, amount FROM budget_entry WHERE budget_id = $1")
        .bind(budget.to_string())
        .fetch_all(db.read())
        .await?;
    let mut entries = Vec::with_capacity(rows.len());
    for r in &rows {
        let kind: String = r.try_get("kind")?;
        let kind = EntryKind::from_code(&kind).ok_or(StoreError::Corrupt("budget entry kind"))?;
        entries.push((kind, r.try_get::<i64, _>("amount")?));
    }
    Ok(Totals::of(&entries))
}
