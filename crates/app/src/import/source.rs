//! Reading an import file on its own thread: CSV (streamed record by record, any size) or XLSX
//! (the first sheet, streamed cell by cell), sent to the importer in batches over a bounded
//! channel, so memory stays flat whatever the file's size and parsing overlaps the writes.

use super::decode::{
    delimiter_name, sniff_delimiter, sniff_encoding, Encoding, Tis620Reader, SNIFF_BYTES,
};
use calamine::{DataRef, Reader, Xlsx};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use tokio::sync::mpsc;

/// Rows per message between the reader thread and the importer.
const BATCH: usize = 1000;

/// The file formats the importer reads and the exporter writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values (or `;`, tab, `|`), UTF-8.
    Csv,
    /// Excel workbook (the first sheet).
    Xlsx,
}

impl Format {
    /// From a `--format` value.
    pub fn from_code(code: &str) -> Option<Format> {
        match code.to_ascii_lowercase().as_str() {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    /// From a file name's extension.
    pub fn from_path(path: &Path) -> Option<Format> {
        Format::from_code(path.extension()?.to_str()?)
    }
}

/// How to read the file.
#[derive(Debug, Clone)]
pub struct SourceOptions {
    /// The file.
    pub path: PathBuf,
    /// The format (else from the extension).
    pub format: Option<Format>,
    /// Convert TIS-620 / windows-874 text to UTF-8 instead of refusing it.
    pub tis620: bool,
}

/// One data row as read.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// The row number in the file (CSV: the line the record starts on; XLSX: the sheet row),
    /// the header being row 1 in the usual layout.
    pub row: u64,
    /// The cells as text, one per column (missing ones empty).
    pub cells: Vec<String>,
    /// Cells the file itself makes unusable: (column index, problem code).
    pub cell_problems: Vec<(usize, &'static str)>,
    /// A problem with the whole row (its cell count, its encoding).
    pub row_problem: Option<String>,
}

/// What the reader learned before the first row.
#[derive(Debug, Clone)]
pub struct SourceInfo {
    /// The format read.
    pub format: Format,
    /// The header cells, trimmed.
    pub headers: Vec<String>,
    /// What was noticed about the file (delimiter, BOM, conversion), for the report.
    pub notes: Vec<String>,
}

/// A message from the reader thread.
#[derive(Debug)]
pub enum Msg {
    /// The header row, first.
    Header(SourceInfo),
    /// Data rows.
    Rows(Vec<Record>),
    /// The end, with the number of empty rows skipped.
    End {
        /// Rows whose every cell was blank.
        empty_rows: u64,
    },
    /// The file cannot be read (a message for the operator); nothing follows.
    Fatal(String),
}

/// Starts reading `opts.path` on a new thread; the receiver yields a header, rows, then the end
/// (or a fatal error).
pub fn spawn(opts: SourceOptions) -> mpsc::Receiver<Msg> {
    let (tx, rx) = mpsc::channel(4);
    std::thread::spawn(move || {
        let result = match opts
            .format
            .or_else(|| Format::from_path(&opts.path))
            .unwrap_or(Format::Csv)
        {
            Format::Csv => read_csv(&opts, &tx),
            Format::Xlsx => read_xlsx(&opts.path, &tx),
        };
        match result {
            Ok(empty_rows) => {
                let _ = tx.blocking_send(Msg::End { empty_rows });
            }
            Err(Stop::Fatal(m)) => {
                let _ = tx.blocking_send(Msg::Fatal(m));
            }
            Err(Stop::Closed) => {}
        }
    });
    rx
}

/// Why reading stopped early.
enum Stop {
    /// The file cannot be read.
    Fatal(String),
    /// The importer hung up (it stopped, or was interrupted).
    Closed,
}

fn send(tx: &mpsc::Sender<Msg>, m: Msg) -> Result<(), Stop> {
    tx.blocking_send(m).map_err(|_| Stop::Closed)
}

fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

fn read_csv(opts: &SourceOptions, tx: &mpsc::Sender<Msg>) -> Result<u64, Stop> {
    let path = &opts.path;
    let mut file = File::open(path)
        .map_err(|e| Stop::Fatal(format!("cannot open {}: {e}", path.display())))?;
    let mut head = vec![0u8; SNIFF_BYTES];
    let mut filled = 0;
    while filled < head.len() {
        let n = file
            .read(&mut head[filled..])
            .map_err(|e| Stop::Fatal(format!("cannot read {}: {e}", path.display())))?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    head.truncate(filled);
    let mut notes = Vec::new();
    let encoding = sniff_encoding(&head);
    let body = std::io::Cursor::new(head.clone()).chain(file);
    let (reader, head_utf8): (Box<dyn Read + Send>, Vec<u8>) = match encoding {
        Encoding::Utf8 => (Box::new(body), head),
        Encoding::Utf8Bom => {
            notes.push("UTF-8 byte-order mark skipped".to_string());
            let mut r = body;
            let mut bom = [0u8; 3];
            r.read_exact(&mut bom)
                .map_err(|e| Stop::Fatal(e.to_string()))?;
            (Box::new(r), head[3..].to_vec())
        }
        Encoding::Tis620 if opts.tis620 => {
            notes.push("converted from TIS-620 (windows-874) to UTF-8".to_string());
            let mut sample = String::new();
            let _ = Tis620Reader::new(&head[..]).read_to_string(&mut sample);
            (Box::new(Tis620Reader::new(body)), sample.into_bytes())
        }
        Encoding::Tis620 => {
            return Err(Stop::Fatal(
                "the file is in TIS-620 (windows-874, Thai Excel's \"CSV\"), not UTF-8: save it as \
                 \"CSV UTF-8\", or add --encoding tis-620 to convert it while importing"
                    .into(),
            ))
        }
        Encoding::Utf16 => {
            return Err(Stop::Fatal(
                "the file is UTF-16 (Excel's \"Unicode text\"): save it as \"CSV UTF-8\" or import the .xlsx".into(),
            ))
        }
        Encoding::Unknown => {
            return Err(Stop::Fatal(
                "the file is neither UTF-8 nor TIS-620 text: save it as \"CSV UTF-8\"".into(),
            ))
        }
    };
    let delimiter = sniff_delimiter(&head_utf8);
    if delimiter != b',' {
        notes.push(format!("delimiter: {}", delimiter_name(delimiter)));
    }
    let mut csv = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut record = csv::ByteRecord::new();
    let mut headers: Option<usize> = None;
    let mut batch = Vec::with_capacity(BATCH);
    let mut empty_rows = 0;
    loop {
        let more = csv.read_byte_record(&mut record).map_err(|e| {
            Stop::Fatal(format!(
                "line {}: {e}",
                e.position().map(|p| p.line()).unwrap_or(0)
            ))
        })?;
        if !more {
            break;
        }
        let row = record.position().map(|p| p.line()).unwrap_or(0);
        let mut rec = Record {
            row,
            ..Record::default()
        };
        for field in record.iter() {
            match std::str::from_utf8(field) {
                Ok(s) => rec.cells.push(s.to_string()),
                Err(_) => {
                    rec.row_problem = Some("not valid UTF-8 text".into());
                    rec.cells.push(String::from_utf8_lossy(field).into_owned());
                }
            }
        }
        let Some(width) = headers else {
            if is_blank(&rec.cells) {
                continue;
            }
            let names: Vec<String> = rec.cells.iter().map(|c| c.trim().to_string()).collect();
            headers = Some(names.len());
            send(
                tx,
                Msg::Header(SourceInfo {
                    format: Format::Csv,
                    headers: names,
                    notes: std::mem::take(&mut notes),
                }),
            )?;
            continue;
        };
        if is_blank(&rec.cells) {
            empty_rows += 1;
            continue;
        }
        if rec.cells.len() > width && rec.cells[width..].iter().all(|c| c.trim().is_empty()) {
            rec.cells.truncate(width);
        }
        if rec.cells.len() != width && rec.row_problem.is_none() {
            rec.row_problem = Some(format!(
                "{} cells where the header has {width}",
                rec.cells.len()
            ));
        }
        rec.cells.resize(width, String::new());
        batch.push(rec);
        if batch.len() == BATCH {
            send(tx, Msg::Rows(std::mem::take(&mut batch)))?;
        }
    }
    if headers.is_none() {
        return Err(Stop::Fatal("the file is empty: no header row".into()));
    }
    if !batch.is_empty() {
        send(tx, Msg::Rows(batch))?;
    }
    Ok(empty_rows)
}

/// An Excel serial day number as an ISO date (1900 date system).
fn excel_date(serial: f64) -> Option<String> {
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let days = serial.floor();
    if !(0.0..=2_958_465.0).contains(&days) {
        return None;
    }
    let d = base.checked_add_days(chrono::Days::new(days as u64))?;
    Some(d.format("%Y-%m-%d").to_string())
}

fn cell_text(v: &DataRef<'_>) -> Result<String, &'static str> {
    Ok(match v {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => excel_date(d.as_f64()).ok_or("import.cell_error")?,
        DataRef::DateTimeIso(s) => s.chars().take(10).collect(),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(_) => return Err("import.cell_error"),
    })
}

fn read_xlsx(path: &Path, tx: &mpsc::Sender<Msg>) -> Result<u64, Stop> {
    let not_xlsx = |e: calamine::XlsxError| {
        Stop::Fatal(format!(
            "{} is not a readable .xlsx workbook: {e}",
            path.display()
        ))
    };
    let mut book: Xlsx<BufReader<File>> = calamine::open_workbook(path).map_err(not_xlsx)?;
    let Some(sheet) = book.sheet_names().first().cloned() else {
        return Err(Stop::Fatal("the workbook has no sheet".into()));
    };
    let mut cells = book.worksheet_cells_reader(&sheet).map_err(not_xlsx)?;
    let mut headers: Option<usize> = None;
    let mut current: Option<Record> = None;
    let mut batch = Vec::with_capacity(BATCH);
    let mut empty_rows = 0u64;
    let mut last_row = 0u64;
    let finish = |rec: Record,
                  headers: &mut Option<usize>,
                  batch: &mut Vec<Record>,
                  empty_rows: &mut u64,
                  last_row: &mut u64|
     -> Result<(), Stop> {
        let Some(width) = *headers else {
            if is_blank(&rec.cells) {
                return Ok(());
            }
            let names: Vec<String> = rec.cells.iter().map(|c| c.trim().to_string()).collect();
            *headers = Some(names.len());
            *last_row = rec.row;
            return send(
                tx,
                Msg::Header(SourceInfo {
                    format: Format::Xlsx,
                    headers: names,
                    notes: vec![format!("sheet: {sheet}")],
                }),
            );
        };
        // Rows with no cell at all are not in the file's stream: count them here.
        *empty_rows += rec.row.saturating_sub(*last_row + 1);
        *last_row = rec.row;
        if is_blank(&rec.cells) && rec.cell_problems.is_empty() {
            *empty_rows += 1;
            return Ok(());
        }
        let mut rec = rec;
        if rec.cells.len() > width {
            if rec.cells[width..].iter().any(|c| !c.trim().is_empty()) {
                rec.row_problem = Some(format!("cells beyond the header's {width} columns"));
            }
            rec.cells.truncate(width);
        }
        rec.cells.resize(width, String::new());
        batch.push(rec);
        if batch.len() == BATCH {
            send(tx, Msg::Rows(std::mem::take(batch)))?;
        }
        Ok(())
    };
    while let Some(cell) = cells.next_cell_with_formula().map_err(not_xlsx)? {
        let (r, c) = (u64::from(cell.pos.0) + 1, cell.pos.1 as usize);
        if current.as_ref().is_some_and(|rec| rec.row != r) {
            if let Some(done) = current.take() {
                finish(
                    done,
                    &mut headers,
                    &mut batch,
                    &mut empty_rows,
                    &mut last_row,
                )?;
            }
        }
        let rec = current.get_or_insert_with(|| Record {
            row: r,
            ..Record::default()
        });
        if c > 16_384 {
            continue;
        }
        if rec.cells.len() <= c {
            rec.cells.resize(c + 1, String::new());
        }
        if cell.formula.as_deref().is_some_and(|f| !f.is_empty()) {
            rec.cell_problems.push((c, "import.formula"));
        }
        match cell_text(&cell.value) {
            Ok(t) => rec.cells[c] = t,
            Err(code) => rec.cell_problems.push((c, code)),
        }
    }
    if let Some(done) = current.take() {
        finish(
            done,
            &mut headers,
            &mut batch,
            &mut empty_rows,
            &mut last_row,
        )?;
    }
    if headers.is_none() {
        return Err(Stop::Fatal(
            "the first sheet is empty: no header row".into(),
        ));
    }
    if !batch.is_empty() {
        send(tx, Msg::Rows(batch))?;
    }
    Ok(empty_rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_become_iso_dates() {
        assert_eq!(excel_date(31_851.0).as_deref(), Some("1987-03-15"));
        assert_eq!(excel_date(-1.0), None);
    }
}
