//! Tests of the typeset PDFs, read back through a PDF text extractor.

use super::*;

mod extract;

/// A social-work case note of about five hundred Thai words in six paragraphs.
const CASE_NOTE: &str = include_str!("case_note.txt");

fn doc(blocks: Vec<Block>) -> Document {
    Document {
        lang: Lang::Th,
        title: "บันทึกการเยี่ยมบ้าน".into(),
        subtitle: Some("กรณี C-2569-0042".into()),
        header: "ลับ — ข้อมูลส่วนบุคคล ใช้เพื่อการช่วยเหลือเท่านั้น".into(),
        footer: "ออกเมื่อ 6 ธันวาคม 2569 โดย สมใจ ใจดี".into(),
        page_label: "หน้า {page} จาก {total}".into(),
        blocks,
    }
}

/// Text with white space and zero-width spaces removed, so layout does not matter.
fn squash(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{200B}')
        .collect()
}

fn expense_table(rows: usize) -> Block {
    Block::Table {
        columns: vec![
            Column {
                title: "วันที่".into(),
                numeric: false,
            },
            Column {
                title: "รายการ".into(),
                numeric: false,
            },
            Column {
                title: "จำนวนเงิน (บาท)".into(),
                numeric: true,
            },
        ],
        rows: (0..rows)
            .map(|i| {
                vec![
                    format!("{} ม.ค. 2569", i % 28 + 1),
                    format!("ค่าเดินทางไปโรงพยาบาลชุมชน (LINE แจ้งแล้ว) ครั้งที่ {i}"),
                    format!("{},250.50", i + 1),
                ]
            })
            .collect(),
    }
}

fn render_ok(doc: &Document) -> Vec<u8> {
    match render(doc) {
        Ok(pdf) => pdf,
        Err(e) => panic!("render failed: {e}"),
    }
}

#[test]
fn thai_text_round_trips_through_the_pdf() {
    let table = expense_table(12);
    let blocks = vec![
        Block::Heading {
            level: 1,
            text: "บันทึกการเยี่ยมบ้าน ครั้งที่ 3".into(),
        },
        Block::Paragraph(CASE_NOTE.into()),
        Block::Fields(vec![(
            "ผู้จัดการรายกรณี".into(),
            "นางสาวสมใจ ใจดี (Case Manager)".into(),
        )]),
        table.clone(),
        Block::List(vec!["ประสานโรงเรียน".into(), "เยี่ยมบ้านซ้ำภายใน 30 วัน".into()]),
    ];
    let doc = doc(blocks);
    let pdf = render_ok(&doc);

    let mut expected = squash(&doc.title) + &squash(doc.subtitle.as_deref().unwrap_or_default());
    for block in &doc.blocks {
        match block {
            Block::Heading { text, .. } | Block::Paragraph(text) => expected += &squash(text),
            Block::Fields(pairs) => pairs
                .iter()
                .for_each(|(l, v)| expected += &(squash(l) + &squash(v))),
            Block::Table { columns, rows } => {
                columns.iter().for_each(|c| expected += &squash(&c.title));
                rows.iter()
                    .flatten()
                    .for_each(|cell| expected += &squash(cell));
            }
            Block::List(items) => items.iter().for_each(|i| expected += &squash(i)),
            Block::PageBreak => {}
        }
    }
    let body = squash(&extract::pages(&pdf, false).concat()).replace('•', "");
    assert_eq!(body, expected);
}

#[test]
fn thai_lines_end_only_at_karuna_word_boundaries() {
    let pdf = render_ok(&doc(vec![Block::Paragraph(CASE_NOTE.into())]));
    let body = extract::pages(&pdf, false).join("\n");
    let lines: Vec<&str> = body.lines().skip(2).collect(); // title and subtitle

    // Where a line may end: the end of each word, counted in characters of the squashed note.
    let mut boundaries = std::collections::HashSet::new();
    let mut ranges = Vec::new();
    karuna_thai::segment::segment_into(CASE_NOTE, &mut ranges);
    for (_, end) in &ranges {
        boundaries.insert(squash(&CASE_NOTE[..*end]).chars().count());
    }
    let note: Vec<char> = squash(CASE_NOTE).chars().collect();

    let mut at = 0;
    for line in &lines {
        let line: Vec<char> = squash(line).chars().collect();
        assert_eq!(
            note.get(at..at + line.len()),
            Some(&line[..]),
            "line out of order"
        );
        at += line.len();
        let tail: String = note[at.saturating_sub(12)..at].iter().collect();
        assert!(
            boundaries.contains(&at),
            "line ends inside a word: …{tail}|"
        );
    }
    assert_eq!(at, note.len());
    assert!(
        lines.len() >= 25,
        "only {} lines: the note should wrap many times",
        lines.len()
    );
}

#[test]
fn markup_in_text_prints_literally() {
    let hostile = r#"#set page(fill: red) *bold* _em_ $x^2$ ] [ // not a comment <label> @ref \ back\slash #eval("1") ``` `code` = head"#;
    let mut doc = doc(vec![
        Block::Heading {
            level: 2,
            text: hostile.into(),
        },
        Block::Paragraph(hostile.into()),
        Block::Fields(vec![(hostile.into(), hostile.into())]),
        Block::Table {
            columns: vec![Column {
                title: hostile.into(),
                numeric: true,
            }],
            rows: vec![vec![hostile.into()]],
        },
        Block::List(vec![hostile.into()]),
    ]);
    doc.title = hostile.into();
    doc.header = hostile.into();
    doc.footer = hostile.into();
    let text = squash(&extract::pages(&render_ok(&doc), true).concat());
    let hostile = squash(hostile);
    // Title, header, heading, paragraph, field label and value, column title, cell, item, footer.
    assert_eq!(text.matches(&hostile).count(), 10, "{text}");
}

#[test]
fn every_page_has_the_header_and_its_page_label() {
    let doc = doc(vec![Block::Paragraph(CASE_NOTE.into()), expense_table(80)]);
    let pages = extract::pages(&render_ok(&doc), true);
    assert!(pages.len() >= 2);
    let header = squash(&doc.header);
    for (i, page) in pages.iter().enumerate() {
        let page = squash(page);
        assert!(page.starts_with(&header), "page {} has no header", i + 1);
        let footer = format!("{}หน้า{}จาก{}", squash(&doc.footer), i + 1, pages.len());
        assert!(page.ends_with(&footer), "page {} ends {page}", i + 1);
    }
}

#[test]
fn table_header_repeats_on_every_page_it_runs_onto() {
    let doc = doc(vec![expense_table(120)]);
    let pages = extract::pages(&render_ok(&doc), true);
    assert!(pages.len() >= 3);
    for page in &pages {
        assert!(squash(page).contains("วันที่รายการจำนวนเงิน(บาท)"), "{page}");
    }
}

#[test]
fn empty_document_renders_one_page() {
    let mut doc = doc(Vec::new());
    doc.subtitle = None;
    let pages = extract::pages(&render_ok(&doc), true);
    assert_eq!(pages.len(), 1);
    assert!(squash(&pages[0]).ends_with("หน้า1จาก1"));
}

#[test]
fn forty_page_document_renders() {
    let mut blocks = Vec::new();
    for i in 0..28 {
        blocks.push(Block::Heading {
            level: 2,
            text: format!("บันทึกครั้งที่ {}", i + 1),
        });
        blocks.push(Block::Paragraph(CASE_NOTE.into()));
    }
    blocks.push(expense_table(700));
    let doc = doc(blocks);
    warm_up();
    let started = std::time::Instant::now();
    let pdf = render_ok(&doc);
    let elapsed = started.elapsed();
    let pages = extract::pages(&pdf, true).len();
    eprintln!(
        "{pages} pages, {} KiB, rendered in {elapsed:?}",
        pdf.len() / 1024
    );
    assert!(pages >= 40, "only {pages} pages");
}

#[test]
fn pdf_embeds_sarabun_and_keeps_thai_marks_in_order() {
    let words = "ผู้จัดการรายกรณี น้ำ ที่ปรึกษา ซึ่ง ครั้ง ปู่ ญาติ ฐานะ";
    let pdf = render_ok(&doc(vec![Block::Paragraph(words.into())]));
    assert!(pdf.windows(7).any(|w| w == b"Sarabun"));
    let text = extract::pages(&pdf, false).concat();
    for word in words.split(' ') {
        assert!(text.contains(word), "{word} missing from {text}");
    }
}

/// Typst 0.15 repeats the cluster of a raised tone mark in the PDF's text layer (see
/// `extract`). When this fails, Typst has fixed it: drop `merge_split_clusters`.
#[test]
fn raised_tone_marks_repeat_their_cluster_in_the_text_layer() {
    let pdf = render_ok(&doc(vec![Block::Paragraph("ซึ่ง".into())]));
    let raw = extract::raw_pages(&pdf).concat();
    assert!(raw.contains("ซึ่ซึ่ง"), "{raw}");
}

#[test]
fn same_document_gives_same_bytes() {
    let doc = doc(vec![Block::Paragraph(CASE_NOTE.into()), expense_table(5)]);
    assert_eq!(render_ok(&doc), render_ok(&doc));
}

#[test]
fn pdf_metadata_has_the_title_and_language() {
    let pdf = render_ok(&doc(Vec::new()));
    let pdf = String::from_utf8_lossy(&pdf);
    assert!(pdf.contains("/Lang(th)"));
    // The XMP packet is stored uncompressed.
    assert!(pdf.contains("บันทึกการเยี่ยมบ้าน"), "no title in the metadata");
    assert!(!pdf.contains("CreationDate"));
}

#[test]
fn english_document_is_tagged_english() {
    let mut doc = doc(vec![Block::Paragraph(
        "Home visit on 6 December 2026.".into(),
    )]);
    doc.lang = Lang::En;
    let pdf = render_ok(&doc);
    assert!(String::from_utf8_lossy(&pdf).contains("/Lang(en)"));
}

#[test]
fn ragged_table_row_is_an_error() {
    let doc = doc(vec![Block::Table {
        columns: vec![Column {
            title: "ก".into(),
            numeric: false,
        }],
        rows: vec![vec!["1".into(), "2".into()]],
    }]);
    assert!(matches!(
        render(&doc),
        Err(PdfError::RowWidth {
            block: 0,
            row: 0,
            cells: 2,
            columns: 1
        })
    ));
}

#[test]
fn pieces_box_thai_words_and_leave_the_rest_plain() {
    use crate::breaks::{pieces, Piece};
    let word = |w: &str| Piece::Word { w: w.into() };
    let plain = |p: &str| Piece::Plain(p.into());
    assert_eq!(
        pieces("ผู้จัดการรายกรณีใช้LINE (ผู้ป่วย) ครั้งละ 2 ครั้ง", &mut Vec::new()),
        vec![
            word("ผู้จัดการรายกรณี"),
            word("ใช้"),
            plain("LINE "),
            word("(ผู้ป่วย)"),
            plain(" "),
            word("ครั้ง"),
            word("ละ"),
            plain(" 2 "),
            word("ครั้ง"),
        ]
    );
    assert_eq!(
        pieces("Home visit", &mut Vec::new()),
        vec![plain("Home visit")]
    );
    assert_eq!(pieces("", &mut Vec::new()), Vec::<Piece>::new());
}

#[test]
fn nothing_breaks_before_mai_yamok() {
    use crate::breaks::{pieces, Piece};
    let got = pieces("เด็กๆ", &mut Vec::new());
    assert_eq!(
        got,
        vec![Piece::Word {
            w: "เด็กๆ".into()
        }]
    );
}
