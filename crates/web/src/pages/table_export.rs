//! A list or a table of figures as a download, CSV or XLSX, from the rows the page shows: CSV
//! with a byte-order mark (so a spreadsheet opens Thai as UTF-8) and formula-safe cells
//! (`export::csv_safe`); XLSX with a bold, frozen header row and numbers as numbers.

use super::budget_workbook::{sheet_name, XLSX};
use crate::auth::PageUser;
use crate::error::WebError;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// Which file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Download {
    /// Comma-separated values.
    Csv,
    /// An Excel workbook.
    Xlsx,
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text as shown.
    Text(String),
    /// A count or an amount the sheet can add up.
    Number(f64),
}

impl Cell {
    /// A shown figure: a plain integer is a number, anything else ("<5", "—") text.
    pub fn figure(shown: &str) -> Cell {
        match shown.parse::<i64>() {
            Ok(n) => Cell::Number(n as f64),
            Err(_) => Cell::Text(shown.to_string()),
        }
    }

    fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
        }
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

/// A table to download.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file's name without its extension (`karuna-cases`).
    pub file: &'static str,
    /// The sheet's name (cut to what a workbook allows).
    pub sheet: String,
    /// Column headings with their width in characters (XLSX).
    pub head: Vec<(String, f64)>,
    /// The rows, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

fn csv(t: &Table) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(t.head.iter().map(|(h, _)| h))
        .map_err(|e| e.to_string())?;
    for r in &t.rows {
        w.write_record(r.iter().map(|c| karuna_app::export::csv_safe(&c.text())))
            .map_err(|e| e.to_string())?;
    }
    let body = w.into_inner().map_err(|e| e.to_string())?;
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend(body);
    Ok(with_bom)
}

fn xlsx(t: &Table) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(&t.sheet))?;
    for (i, (h, width)) in t.head.iter().enumerate() {
        let col = i as u16;
        sheet.write_string_with_format(0, col, h, &bold)?;
        sheet.set_column_width(col, *width)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let at = r as u32 + 1;
        for (i, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(s) => sheet.write_string(at, i as u16, s)?,
                Cell::Number(n) => sheet.write_number(at, i as u16, *n)?,
            };
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    book.save_to_buffer()
}

/// Answers `t` as the download `kind`.
pub fn respond(u: &PageUser, t: &Table, kind: Download) -> Result<Response, WebError> {
    let internal = |e: String| {
        u.err(karuna_app::AppError::Internal(format!(
            "{} export: {e}",
            t.file
        )))
    };
    let (body, mime, ext) = match kind {
        Download::Csv => (csv(t).map_err(internal)?, "text/csv; charset=utf-8", "csv"),
        Download::Xlsx => (xlsx(t).map_err(|e| internal(e.to_string()))?, XLSX, "xlsx"),
    };
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.{ext}\"", t.file),
            ),
        ],
        body,
    )
        .into_response())
}
