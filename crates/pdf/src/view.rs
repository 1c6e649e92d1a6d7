//! The document as the template reads it from `/doc.json`.
//!
//! [`View::of`] turns a [`Document`] into plain data the template can show without deciding
//! anything: every string already carries Karuna's Thai word breaks (module `breaks`),
//! paragraphs are split into paragraphs of lines, the page label into text and counters, and
//! table rows are checked against their columns. Strings stay strings all the way: the
//! template places them as text, so nothing the caller wrote is read as Typst markup.

use serde::Serialize;

use crate::breaks::{pieces, Piece};
use crate::{Block, Document, Lang, PdfError};

/// A string as the template places it, in pieces.
type Text = Vec<Piece>;

#[derive(Serialize)]
pub(crate) struct View {
    lang: &'static str,
    justify: bool,
    /// The title as one string, for the PDF's metadata.
    title_plain: String,
    title: Text,
    subtitle: Option<Text>,
    header: Text,
    footer: Text,
    page_label: Vec<LabelPart>,
    blocks: Vec<BlockView>,
}

/// A piece of the page label: literal text, or where the page number or page count goes.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum LabelPart {
    Text { text: Text },
    Page,
    Total,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum BlockView {
    Heading {
        level: u8,
        text: Text,
    },
    /// Paragraphs, each a list of lines.
    Paragraphs {
        paragraphs: Vec<Vec<Text>>,
    },
    Fields {
        fields: Vec<FieldView>,
    },
    Table {
        columns: Vec<ColumnView>,
        cells: Vec<Text>,
    },
    List {
        items: Vec<Text>,
    },
    PageBreak,
}

#[derive(Serialize)]
struct FieldView {
    label: Text,
    value: Text,
}

#[derive(Serialize)]
struct ColumnView {
    title: Text,
    numeric: bool,
}

impl View {
    /// The template's view of `doc`; fails on a table row whose width differs from its columns.
    pub(crate) fn of(doc: &Document) -> Result<Self, PdfError> {
        let mut m = Marker::default();
        let blocks = doc
            .blocks
            .iter()
            .enumerate()
            .map(|(index, block)| m.block(index, block))
            .collect::<Result<_, _>>()?;
        Ok(Self {
            lang: doc.lang.code(),
            justify: doc.lang != Lang::Th,
            title_plain: doc.title.clone(),
            title: m.text(&doc.title),
            subtitle: doc.subtitle.as_deref().map(|s| m.text(s)),
            header: m.text(&doc.header),
            footer: m.text(&doc.footer),
            page_label: m.page_label(&doc.page_label),
            blocks,
        })
    }
}

/// Cuts strings into pieces, reusing the segmenter's buffer across the document.
#[derive(Default)]
struct Marker {
    ranges: Vec<(usize, usize)>,
}

impl Marker {
    fn text(&mut self, text: &str) -> Text {
        pieces(text, &mut self.ranges)
    }

    fn texts(&mut self, texts: &[String]) -> Vec<Text> {
        texts.iter().map(|t| self.text(t)).collect()
    }

    fn block(&mut self, index: usize, block: &Block) -> Result<BlockView, PdfError> {
        Ok(match block {
            Block::Heading { level, text } => BlockView::Heading {
                level: (*level).clamp(1, 3),
                text: self.text(text),
            },
            Block::Paragraph(text) => BlockView::Paragraphs {
                paragraphs: self.paragraphs(text),
            },
            Block::Fields(pairs) => BlockView::Fields {
                fields: pairs
                    .iter()
                    .map(|(label, value)| FieldView {
                        label: self.text(label),
                        value: self.text(value),
                    })
                    .collect(),
            },
            Block::Table { columns, rows } => {
                let mut cells = Vec::with_capacity(columns.len() * rows.len());
                for (row_index, row) in rows.iter().enumerate() {
                    if row.len() != columns.len() {
                        return Err(PdfError::RowWidth {
                            block: index,
                            row: row_index,
                            cells: row.len(),
                            columns: columns.len(),
                        });
                    }
                    cells.extend(row.iter().map(|cell| self.text(cell)));
                }
                BlockView::Table {
                    columns: columns
                        .iter()
                        .map(|c| ColumnView {
                            title: self.text(&c.title),
                            numeric: c.numeric,
                        })
                        .collect(),
                    cells,
                }
            }
            Block::List(items) => BlockView::List {
                items: self.texts(items),
            },
            Block::PageBreak => BlockView::PageBreak,
        })
    }

    /// Splits at blank lines into paragraphs and at line breaks into lines.
    fn paragraphs(&mut self, text: &str) -> Vec<Vec<Text>> {
        let mut paragraphs = Vec::new();
        let mut lines: Vec<Text> = Vec::new();
        for line in text.lines() {
            if line.trim().is_empty() {
                if !lines.is_empty() {
                    paragraphs.push(std::mem::take(&mut lines));
                }
            } else {
                lines.push(self.text(line.trim_end()));
            }
        }
        if !lines.is_empty() {
            paragraphs.push(lines);
        }
        paragraphs
    }

    /// Splits a template such as "หน้า {page} จาก {total}" into text and counters.
    fn page_label(&mut self, template: &str) -> Vec<LabelPart> {
        let mut parts = Vec::new();
        let mut rest = template;
        while !rest.is_empty() {
            let next = [("{page}", LabelPart::Page), ("{total}", LabelPart::Total)]
                .into_iter()
                .filter_map(|(key, part)| rest.find(key).map(|at| (at, key.len(), part)))
                .min_by_key(|(at, _, _)| *at);
            let Some((at, len, part)) = next else {
                parts.push(LabelPart::Text {
                    text: self.text(rest),
                });
                break;
            };
            if at > 0 {
                parts.push(LabelPart::Text {
                    text: self.text(&rest[..at]),
                });
            }
            parts.push(part);
            rest = &rest[at + len..];
        }
        parts
    }
}
