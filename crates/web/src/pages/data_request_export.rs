//! An access request's export (PDPA s. 30) in the two forms the person may ask for: a PDF to
//! read, and JSON to carry elsewhere. Both hold the same: the request, the person's record, each
//! of her cases the worker may open as its printed case file (`case_pdf::document`), and the
//! units holding her other cases. The JSON gives the person's record field by field and each
//! case file as sections of labelled fields, tables and text, in the reader's language.

use super::case_pdf;
use crate::i18n::Tr;
use karuna_app::data_request::AccessExport;
use karuna_pdf::{Block, Document};
use karuna_thai::calendar;
use serde_json::{json, Map, Value};

/// The download's name: the request's id, which names no one.
pub(crate) fn file_name(x: &AccessExport, ext: &str) -> String {
    format!("karuna-data-request-{}.{ext}", x.request.id)
}

fn person_fields(t: &Tr, x: &AccessExport) -> Vec<(String, String)> {
    let p = &x.person;
    let mut f = vec![(t.get("dsr-person-name"), p.display_name.clone())];
    if let Some(latin) = &p.latin_name {
        f.push((t.get("dsr-person-latin-name"), latin.clone()));
    }
    if let Some(n) = &p.nickname {
        f.push((t.get("person-nickname"), n.clone()));
    }
    f.push((t.get("person-sex"), t.code("sex", &p.sex)));
    if let Some(d) = p.birth_date {
        f.push((t.get("person-birth-date"), t.date(&d)));
    } else if let Some(y) = p.birth_year {
        f.push((t.get("person-birth-year"), y.to_string()));
    }
    for (key, value) in [
        ("person-nationality", &p.nationality),
        ("person-ethnicity", &p.ethnicity),
    ] {
        if let Some(v) = value {
            f.push((t.get(key), v.clone()));
        }
    }
    if !p.languages.is_empty() {
        f.push((t.get("person-languages"), p.languages.join(", ")));
    }
    for phone in &p.phones {
        f.push((t.get("person-phone"), phone.clone()));
    }
    for d in &p.documents {
        f.push((t.code("document", &d.kind), d.number.clone()));
    }
    let addresses = if t.lang_code() == "en" {
        &p.addresses_en
    } else {
        &p.addresses
    };
    for a in addresses {
        f.push((t.get("dsr-person-address"), a.clone()));
    }
    f
}

fn request_fields(t: &Tr, x: &AccessExport) -> Vec<(String, String)> {
    let r = &x.request;
    vec![
        (t.get("dsr-kind"), t.get(&format!("dsr-kind-{}", r.kind))),
        (t.get("dsr-received-on"), t.date(&r.received_on)),
        (t.get("dsr-due-on"), t.date(&r.due_on)),
        (t.get("dsr-details"), r.details.clone()),
        (t.get("dsr-recorded-by"), r.recorded_by_name.clone()),
    ]
}

/// The export as a document to typeset.
pub(crate) fn document(t: &Tr, x: &AccessExport, printer: &str) -> Document {
    let mut blocks = vec![
        Block::Paragraph(t.get("dsr-export-intro")),
        Block::Heading {
            level: 2,
            text: t.get("dsr-request"),
        },
        Block::Fields(request_fields(t, x)),
        Block::Heading {
            level: 2,
            text: t.get("dsr-person"),
        },
        Block::Fields(person_fields(t, x)),
    ];
    if !x.other_units.is_empty() {
        blocks.push(Block::Paragraph(t.get1(
            "dsr-other-units",
            "units",
            &x.other_units.join(", "),
        )));
    }
    for case in &x.cases {
        let doc = case_pdf::document(t, &x.types, case, printer);
        blocks.push(Block::PageBreak);
        blocks.push(Block::Heading {
            level: 1,
            text: doc.title,
        });
        blocks.extend(doc.blocks);
    }
    let today = calendar::bangkok_date(karuna_store::time::now());
    Document {
        lang: t.lang,
        title: t.get("dsr-export-title"),
        subtitle: Some(x.person.display_name.clone()),
        header: t.get("case-pdf-confidential"),
        footer: t.args(
            "pdf-footer",
            &[("org", printer.to_string()), ("date", t.date(&today))],
        ),
        page_label: t.get("pdf-page"),
        blocks,
    }
}

fn fields_json(fields: &[(String, String)]) -> Value {
    Value::Array(
        fields
            .iter()
            .map(|(label, value)| json!({"label": label, "value": value}))
            .collect(),
    )
}

/// A document's blocks as sections: each heading opens one, holding the fields, tables,
/// paragraphs and lists under it.
fn sections_json(blocks: &[Block]) -> Value {
    let mut sections: Vec<Map<String, Value>> = vec![Map::new()];
    for b in blocks {
        let Some(cur) = sections.last_mut() else {
            continue;
        };
        let push = |cur: &mut Map<String, Value>, key: &str, v: Value| {
            if let Value::Array(list) = cur.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
                list.push(v);
            }
        };
        match b {
            Block::Heading { text, .. } => {
                let mut m = Map::new();
                m.insert("title".into(), Value::String(text.clone()));
                sections.push(m);
            }
            Block::Paragraph(p) => push(cur, "text", Value::String(p.clone())),
            Block::Fields(f) => push(cur, "fields", fields_json(f)),
            Block::Table { columns, rows } => {
                let rows: Vec<Value> = rows
                    .iter()
                    .map(|r| {
                        Value::Object(
                            columns
                                .iter()
                                .zip(r)
                                .map(|(c, v)| (c.title.clone(), Value::String(v.clone())))
                                .collect(),
                        )
                    })
                    .collect();
                push(cur, "tables", Value::Array(rows));
            }
            Block::List(items) => push(cur, "lists", json!(items)),
            Block::PageBreak => {}
        }
    }
    Value::Array(
        sections
            .into_iter()
            .filter(|s| !s.is_empty())
            .map(Value::Object)
            .collect(),
    )
}

/// The export as JSON.
pub(crate) fn json(t: &Tr, x: &AccessExport, printer: &str) -> Value {
    let r = &x.request;
    json!({
        "request": {
            "id": r.id,
            "kind": r.kind,
            "received_on": r.received_on,
            "due_on": r.due_on,
            "details": r.details,
            "recorded_by": r.recorded_by_name,
        },
        "exported_on": calendar::bangkok_date(karuna_store::time::now()),
        "person": x.person,
        "person_fields": fields_json(&person_fields(t, x)),
        "cases": x.cases.iter().map(|c| {
            let doc = case_pdf::document(t, &x.types, c, printer);
            json!({
                "number": c.file.view.case.number,
                "title": doc.title,
                "sections": sections_json(&doc.blocks),
            })
        }).collect::<Vec<_>>(),
        "other_units": x.other_units,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use karuna_pdf::Column;

    #[test]
    fn blocks_become_sections_under_their_headings() {
        let blocks = vec![
            Block::Fields(vec![("a".into(), "1".into())]),
            Block::Heading {
                level: 2,
                text: "Plan".into(),
            },
            Block::Table {
                columns: vec![Column {
                    title: "Goal".into(),
                    numeric: false,
                }],
                rows: vec![vec!["Safe housing".into()]],
            },
            Block::PageBreak,
            Block::Paragraph("note".into()),
        ];
        let s = sections_json(&blocks);
        assert_eq!(s[0]["fields"][0][0]["label"], "a");
        assert_eq!(s[1]["title"], "Plan");
        assert_eq!(s[1]["tables"][0][0]["Goal"], "Safe housing");
        assert_eq!(s[1]["text"][0], "note");
    }
}
