//! An advocacy report as a PDF (`karuna-pdf`): its title, what it is and for whom, the
//! situation, the figures shown (each a table, "<5" where suppressed), the de-identified
//! examples, the problems and the proposed solutions; a confidentiality line on every page
//! (with "draft" until it is approved), who printed it and when, and page numbers. The same
//! document serves the page's download and the API (`pages::pdf::respond`).

use super::advocacy::{content_view, period_name, scope_name};
use crate::i18n::Tr;
use karuna_app::advocacy::AdvocacyReport;
use karuna_domain::advocacy::Status;
use karuna_pdf::{Block, Column, Document};
use karuna_thai::calendar;

/// The report as a document to typeset, in `t`'s language and calendar, printed by `printer`.
pub(crate) fn document(t: &Tr, r: &AdvocacyReport, printer: &str) -> Document {
    let content = content_view(t, &r.content);
    let mut blocks = vec![Block::Fields(vec![
        (t.get("advocacy-kind"), t.code("advocacy-kind", &r.row.kind)),
        (
            t.get("advocacy-audience"),
            t.code("advocacy-audience", &r.row.audience),
        ),
        (
            t.get("dash-period"),
            r.period
                .map(|p| period_name(t, p))
                .unwrap_or_else(|| r.row.period.clone()),
        ),
        (t.get("advocacy-scope"), scope_name(t, r)),
        (
            t.get("advocacy-status"),
            t.code("advocacy-status", &r.row.status),
        ),
    ])];
    let text = |blocks: &mut Vec<Block>, key: &str, body: &str| {
        if !body.trim().is_empty() {
            blocks.push(Block::Heading {
                level: 2,
                text: t.get(key),
            });
            blocks.push(Block::Paragraph(body.to_string()));
        }
    };
    text(&mut blocks, "advocacy-narrative", &content.narrative);
    let shown: Vec<_> = content.findings.iter().filter(|f| f.included).collect();
    if !shown.is_empty() {
        blocks.push(Block::Heading {
            level: 2,
            text: t.get("advocacy-figures"),
        });
    }
    for f in shown {
        blocks.push(Block::Heading {
            level: 3,
            text: f.title.clone(),
        });
        if f.rows.is_empty() {
            blocks.push(Block::Paragraph(t.get("advocacy-finding-none")));
            continue;
        }
        let mut columns = vec![
            Column {
                title: t.get("advocacy-column-what"),
                numeric: false,
            },
            Column {
                title: f.column.clone(),
                numeric: true,
            },
        ];
        if let Some(x) = &f.extra_column {
            columns.push(Column {
                title: x.clone(),
                numeric: true,
            });
        }
        let rows = f
            .rows
            .iter()
            .map(|(what, figure, extra)| {
                let mut row = vec![what.clone(), figure.clone()];
                if f.extra_column.is_some() {
                    row.push(extra.clone());
                }
                row
            })
            .collect();
        blocks.push(Block::Table { columns, rows });
    }
    if !content.examples.is_empty() {
        blocks.push(Block::Heading {
            level: 2,
            text: t.get("advocacy-examples"),
        });
        blocks.push(Block::List(content.examples.clone()));
    }
    text(&mut blocks, "advocacy-problems", &content.problems);
    text(&mut blocks, "advocacy-solutions", &content.solutions);
    let mut header = t.get("advocacy-pdf-confidential");
    if r.status != Status::Approved {
        header = format!("{} · {header}", t.get("advocacy-pdf-draft"));
    }
    let today = calendar::bangkok_date(karuna_store::time::now());
    Document {
        lang: t.lang,
        title: r.row.title.clone(),
        subtitle: r.row.approved_at.map(|at| {
            t.args(
                "advocacy-approved-by",
                &[
                    ("name", r.row.approved_by_name.clone().unwrap_or_default()),
                    ("date", t.date(&calendar::bangkok_date(at))),
                ],
            )
        }),
        header,
        footer: t.args(
            "pdf-footer",
            &[("org", printer.to_string()), ("date", t.date(&today))],
        ),
        page_label: t.get("pdf-page"),
        blocks,
    }
}
