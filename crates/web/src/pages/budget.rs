//! A budget's page (`/budgets/{id}`): the totals and balance of a programme's budget for one
//! Thai fiscal year, its figures by month and quarter, and — for administrators and
//! supervisors — its ledger.

use super::cases::label;
use super::plan::case_id;
use super::programmes::{amount, fiscal_year};
use super::{render, Chrome, SavedQuery};
use crate::auth::PageUser;
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Datelike;
use uuid::Uuid;

struct EntryLine {
    kind: String,
    kind_code: String,
    amount: String,
    case_number: String,
    request_id: Option<Uuid>,
    occurred: String,
    method: String,
    receipt: String,
    note: String,
    by: String,
    reversed: bool,
}

struct MonthLine {
    month: String,
    quarter: String,
    committed: String,
    disbursed: String,
    quarter_end: bool,
    quarter_committed: String,
    quarter_disbursed: String,
}

#[derive(Template)]
#[template(path = "budget.html")]
struct BudgetPage {
    c: Chrome,
    id: Uuid,
    programme_id: Uuid,
    programme: String,
    year: String,
    scope: String,
    allocated: String,
    committed: String,
    disbursed: String,
    balance: String,
    overspent: bool,
    months: Vec<MonthLine>,
    ledger: bool,
    entries: Vec<EntryLine>,
    flash: Option<String>,
}

/// `GET /budgets/{id}`.
pub async fn budget(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let v = state
        .app
        .budget(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let t = v.totals();
    let lang = karuna_thai::lang::Lang::from_code(u.tr.lang_code()).unwrap_or_default();
    let mut months = Vec::new();
    let (mut qc, mut qd) = (0i64, 0i64);
    for (i, m) in v.months.iter().enumerate() {
        qc += m.committed;
        qd += m.disbursed;
        let end = i % 3 == 2;
        months.push(MonthLine {
            month: format!(
                "{} {}",
                karuna_thai::calendar::month_name(m.month.month(), lang).unwrap_or_default(),
                u.tr.year(i64::from(m.month.year()))
            ),
            quarter: u.tr.get1("gk-quarter", "q", &m.quarter.to_string()),
            committed: amount(&u, "baht", m.committed),
            disbursed: amount(&u, "baht", m.disbursed),
            quarter_end: end,
            quarter_committed: amount(&u, "baht", qc),
            quarter_disbursed: amount(&u, "baht", qd),
        });
        if end {
            qc = 0;
            qd = 0;
        }
    }
    let page = BudgetPage {
        c: Chrome::for_user(&u, &format!("/budgets/{id}")),
        id,
        programme_id: v.programme.id,
        programme: v.programme.name(u.tr.lang_code()).to_string(),
        year: fiscal_year(&u, v.budget.fiscal_year),
        scope: v
            .budget
            .unit_name
            .clone()
            .unwrap_or_else(|| u.tr.get("gk-budget-all-units")),
        allocated: amount(&u, "baht", t.allocated),
        committed: amount(&u, "baht", t.committed),
        disbursed: amount(&u, "baht", t.disbursed),
        balance: amount(&u, "baht", t.balance()),
        overspent: t.balance() < 0,
        months,
        ledger: v.ledger,
        entries: v
            .entries
            .iter()
            .rev()
            .map(|e| EntryLine {
                kind: label(&u, "gk-entry", &e.kind),
                kind_code: e.kind.clone(),
                amount: amount(&u, "baht", e.amount),
                case_number: e.case_number.clone().unwrap_or_default(),
                request_id: e.request_id,
                occurred: u.tr.date(&e.occurred_on),
                method: e
                    .method
                    .as_deref()
                    .map(|m| label(&u, "gk-method", m))
                    .unwrap_or_default(),
                receipt: e.receipt_ref.clone().unwrap_or_default(),
                note: e.note.clone().unwrap_or_default(),
                by: e.by.clone(),
                reversed: e.reversed,
            })
            .collect(),
        flash: q.saved.map(|_| u.tr.get("gk-saved")),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `GET /budgets/{id}/export.xlsx`: the budget as a spreadsheet (audited as an export).
pub async fn export(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let v = state
        .app
        .budget_export(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let body = super::budget_workbook::workbook(&u.tr, &v)
        .map_err(|e| u.err(karuna_app::AppError::Internal(format!("workbook: {e}"))))?;
    Ok(xlsx_response(&super::budget_workbook::file_name(&v), body))
}

/// A spreadsheet download.
pub(crate) fn xlsx_response(name: &str, body: Vec<u8>) -> Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (
                header::CONTENT_TYPE,
                super::budget_workbook::XLSX.to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}
