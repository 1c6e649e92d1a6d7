//! A budget as a spreadsheet (`.xlsx`), for the finance office and the annual report: its
//! totals, its figures by month and by quarter of the Thai fiscal year and — for those who may
//! see it — its ledger. Labels, months and dates are in the reader's language and calendar, as
//! on the page; amounts are numbers in baht with two decimals, so that they add up in the
//! spreadsheet (the ledger itself stays in satang, exact, in Karuna). Text cells are written as
//! text, never as formulas, whatever they begin with.

use crate::i18n::Tr;
use chrono::Datelike;
use karuna_app::budget::BudgetView;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// The workbook's MIME type.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// Baht from satang, for a spreadsheet cell.
fn baht(minor: i64) -> f64 {
    minor as f64 / 100.0
}

/// A worksheet name: at most 31 characters, none of `[]:*?/\`.
pub(crate) fn sheet_name(label: &str) -> String {
    label
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect()
}

/// A header row in bold, frozen above the data.
fn header(
    sheet: &mut Worksheet,
    row: u32,
    cells: &[String],
    bold: &Format,
) -> Result<(), XlsxError> {
    for (i, c) in cells.iter().enumerate() {
        sheet.write_string_with_format(row, i as u16, c, bold)?;
        sheet.set_column_width(i as u16, 18)?;
    }
    sheet.set_freeze_panes(row + 1, 0)?;
    Ok(())
}

/// The file name of a budget's workbook (ASCII, for every browser).
pub fn file_name(v: &BudgetView) -> String {
    format!("karuna-budget-{}.xlsx", v.budget.fiscal_year)
}

/// The workbook of a budget, as the reader `tr` sees it.
pub fn workbook(tr: &Tr, v: &BudgetView) -> Result<Vec<u8>, XlsxError> {
    let lang = karuna_thai::lang::Lang::from_code(tr.lang_code()).unwrap_or_default();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let money_bold = Format::new().set_num_format("#,##0.00").set_bold();
    let mut book = Workbook::new();
    let totals = v.totals();

    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(&tr.get("gk-budget-title")))?;
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 36)?;
    let head = [
        (
            tr.get("gk-programme"),
            v.programme.name(tr.lang_code()).to_string(),
        ),
        (
            tr.get("gk-budget-year"),
            tr.get1("gk-fiscal-year", "year", &v.budget.fiscal_year.to_string()),
        ),
        (
            tr.get("gk-budget-scope"),
            v.budget
                .unit_name
                .clone()
                .unwrap_or_else(|| tr.get("gk-budget-all-units")),
        ),
    ];
    for (row, (k, value)) in head.iter().enumerate() {
        sheet.write_string_with_format(row as u32, 0, k, &bold)?;
        sheet.write_string(row as u32, 1, value)?;
    }
    let figures = [
        ("gk-allocated", totals.allocated),
        ("gk-committed", totals.committed),
        ("gk-disbursed", totals.disbursed),
        ("gk-balance", totals.balance()),
    ];
    for (i, (key, minor)) in figures.iter().enumerate() {
        let row = 4 + i as u32;
        sheet.write_string_with_format(row, 0, tr.get(&format!("{key}-baht")), &bold)?;
        sheet.write_number_with_format(row, 1, baht(*minor), &money)?;
    }
    sheet.write_string(9, 0, tr.get("gk-balance-rule"))?;

    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(&tr.get("gk-by-month")))?;
    header(
        sheet,
        0,
        &[
            tr.get("gk-month"),
            tr.get("gk-quarter-col"),
            tr.get("gk-committed-baht"),
            tr.get("gk-disbursed-baht"),
        ],
        &bold,
    )?;
    let mut quarters = [(0i64, 0i64); 4];
    for (i, m) in v.months.iter().enumerate() {
        let row = 1 + i as u32;
        let name = format!(
            "{} {}",
            karuna_thai::calendar::month_name(m.month.month(), lang).unwrap_or_default(),
            tr.year(i64::from(m.month.year()))
        );
        sheet.write_string(row, 0, name)?;
        sheet.write_string(row, 1, tr.get1("gk-quarter", "q", &m.quarter.to_string()))?;
        sheet.write_number_with_format(row, 2, baht(m.committed), &money)?;
        sheet.write_number_with_format(row, 3, baht(m.disbursed), &money)?;
        if let Some(q) = quarters.get_mut(m.quarter.saturating_sub(1) as usize) {
            q.0 += m.committed;
            q.1 += m.disbursed;
        }
    }
    let total_row = 1 + v.months.len() as u32;
    sheet.write_string_with_format(total_row, 0, tr.get("gk-year-total"), &bold)?;
    let (c, d) = quarters.iter().fold((0, 0), |(c, d), q| (c + q.0, d + q.1));
    sheet.write_number_with_format(total_row, 2, baht(c), &money_bold)?;
    sheet.write_number_with_format(total_row, 3, baht(d), &money_bold)?;

    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(&tr.get("gk-by-quarter")))?;
    header(
        sheet,
        0,
        &[
            tr.get("gk-quarter-col"),
            tr.get("gk-committed-baht"),
            tr.get("gk-disbursed-baht"),
        ],
        &bold,
    )?;
    for (i, (c, d)) in quarters.iter().enumerate() {
        let row = 1 + i as u32;
        sheet.write_string(row, 0, tr.get1("gk-quarter", "q", &(i + 1).to_string()))?;
        sheet.write_number_with_format(row, 1, baht(*c), &money)?;
        sheet.write_number_with_format(row, 2, baht(*d), &money)?;
    }

    if v.ledger {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(&tr.get("gk-ledger")))?;
        header(
            sheet,
            0,
            &[
                tr.get("gk-entry-date"),
                tr.get("gk-entry-kind"),
                tr.get("gk-amount-in-baht"),
                tr.get("gk-case"),
                tr.get("gk-method"),
                tr.get("gk-receipt"),
                tr.get("gk-note"),
                tr.get("gk-entry-by"),
                tr.get("gk-entry-recorded"),
                tr.get("gk-reversed-col"),
            ],
            &bold,
        )?;
        for (i, e) in v.entries.iter().enumerate() {
            let row = 1 + i as u32;
            sheet.write_string(row, 0, tr.date(&e.occurred_on))?;
            sheet.write_string(row, 1, tr.code("gk-entry", &e.kind))?;
            sheet.write_number_with_format(row, 2, baht(e.amount), &money)?;
            let text = [
                e.case_number.clone().unwrap_or_default(),
                e.method
                    .as_deref()
                    .map(|m| tr.code("gk-method", m))
                    .unwrap_or_default(),
                e.receipt_ref.clone().unwrap_or_default(),
                e.note.clone().unwrap_or_default(),
                e.by.clone(),
                tr.datetime(&e.created_at),
                if e.reversed {
                    tr.get("gk-reversed")
                } else {
                    String::new()
                },
            ];
            for (j, t) in text.iter().enumerate() {
                if !t.is_empty() {
                    sheet.write_string(row, 3 + j as u16, t)?;
                }
            }
        }
    }
    book.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::sheet_name;

    #[test]
    fn a_sheet_name_drops_what_a_spreadsheet_forbids_and_stays_short() {
        assert_eq!(sheet_name("Q1/Q2: [plan]?"), "Q1Q2 plan");
        assert_eq!(sheet_name(&"ก".repeat(40)).chars().count(), 31);
    }
}
