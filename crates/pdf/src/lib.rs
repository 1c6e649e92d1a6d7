//! Karuna's printable documents: a structured [`Document`] typeset to PDF by Typst.
//!
//! The caller builds a document from headings, paragraphs, label/value fields, tables and lists,
//! with every string already localised and every date already formatted. [`render`] hands it to
//! Typst as data (module `view`, read by the fixed template `template.typ` from a virtual
//! `/doc.json`), never as markup, so a note containing `#`, `*` or `$` prints as written. Thai
//! lines end only where Karuna's own segmenter puts a word boundary (module `breaks`). Typst
//! runs in a closed world of embedded Sarabun fonts with no clock (module `world`), so the same
//! document gives the same bytes.
//!
//! Pages are A4 with the confidentiality header on top of each and a footer carrying the
//! caller's line on the left and the page label ("หน้า 1 จาก 3") on the right. Tables repeat
//! their header row on every page they run onto.

#![warn(missing_docs)]

mod breaks;
#[cfg(test)]
mod tests;
mod view;
mod world;

pub use karuna_thai::lang::Lang;
use typst::diag::SourceDiagnostic;
use typst::ecow::EcoVec;
use typst::foundations::Smart;
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

/// A document to typeset: page furniture and a flow of blocks.
#[derive(Debug, Clone)]
pub struct Document {
    /// The language of the document's text; it sets Typst's text language and the PDF's.
    pub lang: Lang,
    /// Printed at the top of the first page and stored as the PDF's title.
    pub title: String,
    /// Printed under the title.
    pub subtitle: Option<String>,
    /// The confidentiality line printed at the top of every page.
    pub header: String,
    /// Printed on the left of every page's footer, e.g. "ออกเมื่อ 6 ธันวาคม 2569 โดย ...".
    pub footer: String,
    /// Printed on the right of every page's footer, with "{page}" and "{total}" replaced by the
    /// page number and the page count, e.g. "หน้า {page} จาก {total}".
    pub page_label: String,
    /// The content, in reading order.
    pub blocks: Vec<Block>,
}

/// One piece of a document's flow.
#[derive(Debug, Clone)]
pub enum Block {
    /// A bold heading; `level` 1 is the largest, and levels outside 1..=3 are clamped.
    Heading {
        /// 1, 2 or 3.
        level: u8,
        /// The heading's text.
        text: String,
    },
    /// Text where '\n' breaks the line and a blank line starts a new paragraph.
    Paragraph(String),
    /// Label/value pairs in a two-column grid, labels on the left.
    Fields(Vec<(String, String)>),
    /// A table whose header row repeats on every page it runs onto.
    Table {
        /// The columns, left to right.
        columns: Vec<Column>,
        /// The rows, each with exactly one cell per column.
        rows: Vec<Vec<String>>,
    },
    /// A bulleted list.
    List(Vec<String>),
    /// Starts a new page (nothing if the page is still empty).
    PageBreak,
}

/// A table column.
#[derive(Debug, Clone)]
pub struct Column {
    /// The header cell's text.
    pub title: String,
    /// Whether the column holds numbers, which are right-aligned.
    pub numeric: bool,
}

/// Why a document could not be typeset.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// A table row has a different number of cells than the table has columns.
    #[error("table (block {block}) row {row} has {cells} cells for {columns} columns")]
    RowWidth {
        /// The table's index in [`Document::blocks`].
        block: usize,
        /// The row's index in the table's rows.
        row: usize,
        /// The number of cells in the row.
        cells: usize,
        /// The number of columns of the table.
        columns: usize,
    },
    /// The document could not be serialised for the template.
    #[error("document could not be serialised: {0}")]
    Json(#[from] serde_json::Error),
    /// Typst failed to lay the document out (messages joined by "; ").
    #[error("typesetting failed: {0}")]
    Typeset(String),
    /// Typst failed to write the laid-out pages as PDF (messages joined by "; ").
    #[error("PDF export failed: {0}")]
    Export(String),
}

/// Typesets `doc` as an A4 PDF.
///
/// Fonts and Typst's standard library are loaded once per process, on the first call (or by
/// [`warm_up`]); later calls only lay out their own document.
pub fn render(doc: &Document) -> Result<Vec<u8>, PdfError> {
    typeset(doc).map(|t| t.pdf)
}

/// A typeset document: its PDF and how many pages it has.
#[derive(Debug, Clone)]
pub struct Typeset {
    /// The PDF's bytes.
    pub pdf: Vec<u8>,
    /// Its page count.
    pub pages: usize,
}

/// Typesets `doc` as [`render`] does, also counting its pages (for benchmarks and tests).
pub fn typeset(doc: &Document) -> Result<Typeset, PdfError> {
    let json = serde_json::to_vec(&view::View::of(doc)?)?;
    let world = world::DocWorld::new(json);
    let compiled = typst::compile::<PagedDocument>(&world).output;
    let out = compiled
        .map_err(|errors| PdfError::Typeset(messages(&errors)))
        .and_then(|paged| {
            let pdf = typst_pdf::pdf(&paged, &pdf_options())
                .map_err(|e| PdfError::Export(messages(&e)))?;
            Ok(Typeset {
                pdf,
                pages: paged.pages().len(),
            })
        });
    // Typst memoises layout across compilations; keep only what the last few renders used so a
    // long-running server does not grow without bound.
    typst::comemo::evict(RETAINED_RENDERS);
    out
}

/// Forgets every memoised layout result, so the next [`render`] lays its document out from
/// scratch (benchmarks measure that, not a repeat of the same document).
pub fn forget_layouts() {
    typst::comemo::evict(0);
}

/// Loads the fonts and Typst's standard library now, so the first [`render`] is not slower.
pub fn warm_up() {
    world::warm_up();
}

/// How many renders' worth of Typst's memoised results stay cached.
const RETAINED_RENDERS: usize = 2;

/// No timestamp (the template sets no date either) and a document id hashed from the title,
/// so the same document gives the same bytes.
fn pdf_options() -> PdfOptions {
    PdfOptions {
        ident: Smart::Auto,
        timestamp: None,
        ..PdfOptions::default()
    }
}

fn messages(diagnostics: &EcoVec<SourceDiagnostic>) -> String {
    diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}
