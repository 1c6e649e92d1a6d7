//! A small text extractor for the PDFs Typst writes, so tests can read back what was printed.
//!
//! General extractors (pdf-extract) read glyphs through the fonts' ToUnicode maps only, which
//! garbles Thai: a glyph such as ล stands for "ลั" in one cluster and "ล" in another, so Typst
//! (krilla) writes such clusters inside `/Span <</ActualText ...>> BDC ... EMC` and a reader
//! must take the ActualText instead of the glyphs. This one does, decodes the rest through
//! ToUnicode, starts a new line whenever the baseline moves, and can leave out artifacts (the
//! running header and footer, repeated table headers).
//!
//! Typst 0.15 draws a tone mark raised over an upper vowel (ซึ่, ครั้) as a text item of its
//! own, and the PDF maps that lone glyph to the whole cluster again, so a plain reader (and a
//! PDF viewer's copy) repeats the cluster: "ซึ่ซึ่ง". With `merge_split_clusters` this reader
//! drops a glyph or ActualText whose text (a cluster of three or more characters) ends the
//! ActualText last written; the test
//! `raised_tone_marks_repeat_their_cluster_in_the_text_layer` pins the upstream behaviour.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Object};

/// The text of each page, lines separated by '\n'; artifacts left out unless `artifacts`.
pub(super) fn pages(pdf: &[u8], artifacts: bool) -> Vec<String> {
    read(pdf, artifacts, true)
}

/// Like [`pages`] with artifacts, without merging split clusters: what a plain reader sees.
pub(super) fn raw_pages(pdf: &[u8]) -> Vec<String> {
    read(pdf, true, false)
}

fn read(pdf: &[u8], artifacts: bool, merge_split_clusters: bool) -> Vec<String> {
    let doc = Document::load_mem(pdf).unwrap_or_else(|e| panic!("unreadable PDF: {e}"));
    doc.get_pages()
        .values()
        .map(|&page| {
            let fonts = doc
                .get_page_fonts(page)
                .unwrap_or_default()
                .into_iter()
                .map(|(name, font)| (name, to_unicode(&doc, font)))
                .collect();
            let content = doc
                .get_and_decode_page_content(page)
                .unwrap_or_else(|e| panic!("unreadable page content: {e}"));
            let mut page = Page::new(fonts, artifacts);
            page.merge_split_clusters = merge_split_clusters;
            page.read(&content.operations)
        })
        .collect()
}

/// A 2-D affine transform `[a b c d e f]`.
type Matrix = [f32; 6];

const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn multiply(m: Matrix, n: Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// What one marked-content sequence means to the reader.
#[derive(Clone, Copy, PartialEq)]
enum Marked {
    /// Its glyphs are replaced by an ActualText already written out.
    Replaced,
    /// It is an artifact being left out.
    Skipped,
    Plain,
}

struct Page {
    fonts: HashMap<Vec<u8>, HashMap<u16, String>>,
    artifacts: bool,
    ctm: Matrix,
    saved: Vec<Matrix>,
    font: Vec<u8>,
    marked: Vec<Marked>,
    baseline: Option<f32>,
    merge_split_clusters: bool,
    last_actual_text: Option<String>,
    out: String,
}

impl Page {
    fn new(fonts: HashMap<Vec<u8>, HashMap<u16, String>>, artifacts: bool) -> Self {
        Self {
            fonts,
            artifacts,
            ctm: IDENTITY,
            saved: Vec::new(),
            font: Vec::new(),
            marked: Vec::new(),
            baseline: None,
            merge_split_clusters: true,
            last_actual_text: None,
            out: String::new(),
        }
    }

    fn read(mut self, ops: &[lopdf::content::Operation]) -> String {
        for op in ops {
            let args = &op.operands;
            match op.operator.as_str() {
                "q" => self.saved.push(self.ctm),
                "Q" => self.ctm = self.saved.pop().unwrap_or(IDENTITY),
                "cm" => {
                    let n: Vec<f32> = args.iter().filter_map(|o| o.as_float().ok()).collect();
                    if let Ok(n) = <Matrix>::try_from(n) {
                        self.ctm = multiply(n, self.ctm);
                    }
                }
                "Tf" => {
                    if let Some(Ok(name)) = args.first().map(Object::as_name) {
                        self.font = name.to_vec();
                    }
                }
                "BDC" | "BMC" => self.begin_marked(args),
                "EMC" => {
                    self.marked.pop();
                }
                "Tj" | "TJ" if self.marked.iter().all(|m| *m == Marked::Plain) => {
                    for arg in args {
                        match arg {
                            Object::String(bytes, _) => self.show(bytes),
                            Object::Array(items) => items.iter().for_each(|item| {
                                if let Object::String(bytes, _) = item {
                                    self.show(bytes);
                                }
                            }),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        self.out
    }

    fn begin_marked(&mut self, args: &[Object]) {
        let tag = args
            .first()
            .and_then(|o| o.as_name().ok())
            .unwrap_or_default();
        let outer_plain = self.marked.iter().all(|m| *m == Marked::Plain);
        let marked = if tag == b"Artifact" && !self.artifacts {
            Marked::Skipped
        } else if let Some(text) = args
            .get(1)
            .and_then(|o| o.as_dict().ok())
            .and_then(|d| d.get(b"ActualText").ok())
            .and_then(|o| o.as_str().ok())
        {
            if outer_plain {
                self.new_line_if_moved();
                let text = decode_text_string(text);
                if !self.repeats_last_cluster(&text) {
                    self.out.push_str(&text);
                    self.last_actual_text = Some(text);
                }
            }
            Marked::Replaced
        } else {
            Marked::Plain
        };
        self.marked.push(marked);
    }

    /// Starts a new line when this text's baseline differs from the last one's.
    fn new_line_if_moved(&mut self) {
        let y = self.ctm[5];
        if let Some(last) = self.baseline {
            if (last - y).abs() > 1.0 {
                self.out.push('\n');
            }
        }
        self.baseline = Some(y);
    }

    /// Whether `text`, the text of a glyph or an ActualText, is the tail of the cluster the
    /// last ActualText wrote: a raised mark drawn apart from its cluster. Such a cluster has
    /// at least three characters (consonant, upper vowel, tone mark).
    fn repeats_last_cluster(&self, text: &str) -> bool {
        self.merge_split_clusters
            && text.chars().count() > 2
            && self
                .last_actual_text
                .as_deref()
                .is_some_and(|last| last.ends_with(text))
    }

    fn show(&mut self, bytes: &[u8]) {
        self.new_line_if_moved();
        for code in bytes.chunks_exact(2) {
            let code = u16::from_be_bytes([code[0], code[1]]);
            let Some(text) = self.fonts.get(&self.font).and_then(|map| map.get(&code)) else {
                continue;
            };
            if !self.repeats_last_cluster(text) {
                let text = text.clone();
                self.out.push_str(&text);
                self.last_actual_text = None;
            }
        }
    }
}

/// A PDF text string: UTF-16BE after a byte-order mark, else (here) ASCII.
fn decode_text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => utf16_be(utf16),
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

fn utf16_be(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

/// A Type0 font's ToUnicode map, from its `bfchar` and `bfrange` entries.
fn to_unicode(doc: &Document, font: &Dictionary) -> HashMap<u16, String> {
    let mut map = HashMap::new();
    let Some(stream) = font
        .get(b"ToUnicode")
        .and_then(Object::as_reference)
        .and_then(|id| doc.get_object(id))
        .and_then(Object::as_stream)
        .ok()
    else {
        return map;
    };
    let cmap = stream
        .decompressed_content()
        .unwrap_or_else(|_| stream.content.clone());
    let cmap = String::from_utf8_lossy(&cmap);
    let hex = |s: &str| -> Vec<u8> {
        let s = s.trim_matches(|c| c == '<' || c == '>');
        (0..s.len() / 2)
            .filter_map(|i| u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok())
            .collect()
    };
    let code =
        |s: &str| -> Option<u16> { u16::from_str_radix(s.trim_matches(['<', '>']), 16).ok() };
    let mut section = "";
    for line in cmap.lines() {
        let line = line.trim();
        if line.ends_with("beginbfchar") || line.ends_with("beginbfrange") {
            section = if line.ends_with("beginbfchar") {
                "char"
            } else {
                "range"
            };
            continue;
        }
        if line.starts_with("endbf") {
            section = "";
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        match (section, parts.as_slice()) {
            ("char", [from, to]) => {
                if let Some(c) = code(from) {
                    map.insert(c, utf16_be(&hex(to)));
                }
            }
            ("range", [lo, hi, to]) if to.starts_with('<') => {
                if let (Some(lo), Some(hi)) = (code(lo), code(hi)) {
                    let mut units = hex(to);
                    for c in lo..=hi {
                        map.insert(c, utf16_be(&units));
                        if let Some(last) = units.last_mut() {
                            *last = last.wrapping_add(1);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    map
}
