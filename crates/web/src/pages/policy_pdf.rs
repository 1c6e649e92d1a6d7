//! A policy review as a PDF (`karuna-pdf`): what was reviewed and its status, the summary, the
//! measures area by area beside the previous review's, the findings, the decisions and the
//! actions with their owners, due dates and progress; a confidentiality line on every page,
//! who printed it and when, and page numbers. The page's download and the API share it.

use super::policy_review::{areas, period_label};
use crate::i18n::Tr;
use karuna_app::policy_review::{action_status, PolicyReview};
use karuna_domain::policy_review::{ActionStatus, ItemKind};
use karuna_pdf::{Block, Column, Document};
use karuna_thai::calendar;

fn column(t: &Tr, key: &str, numeric: bool) -> Column {
    Column {
        title: t.get(key),
        numeric,
    }
}

/// The review as a document to typeset, in `t`'s language and calendar, printed by `printer`.
pub(crate) fn document(t: &Tr, r: &PolicyReview, printer: &str) -> Document {
    let mut facts = vec![
        (t.get("dash-period"), period_label(t, &r.row.period)),
        (
            t.get("policy-status"),
            t.code("policy-status", &r.row.status),
        ),
    ];
    if let Some((p, _)) = &r.previous {
        facts.push((
            t.get("policy-compared-with"),
            format!("{} ({})", p.title, period_label(t, &p.period)),
        ));
    }
    facts.push((
        t.get("policy-measures"),
        t.get1(
            "policy-measured-at",
            "date",
            &t.datetime(&r.row.measured_at),
        ),
    ));
    let mut blocks = vec![Block::Fields(facts)];
    if let Some(s) = r.row.summary.as_deref() {
        blocks.push(Block::Heading {
            level: 2,
            text: t.get("policy-summary"),
        });
        blocks.push(Block::Paragraph(s.to_string()));
    }
    blocks.push(Block::Heading {
        level: 2,
        text: t.get("policy-measures"),
    });
    for a in areas(
        t,
        &r.measures,
        r.previous.as_ref().map(|(_, m)| m.as_slice()),
    ) {
        blocks.push(Block::Heading {
            level: 3,
            text: a.name,
        });
        blocks.push(Block::Table {
            columns: vec![
                column(t, "policy-measure", false),
                column(t, "policy-base", true),
                column(t, "policy-value", true),
                column(t, "policy-previous", true),
                column(t, "policy-change", true),
            ],
            rows: a
                .measures
                .into_iter()
                .map(|m| vec![m.name, m.base, m.value, m.previous, m.change])
                .collect(),
        });
    }
    for (kind, key) in [
        (ItemKind::Finding, "policy-findings"),
        (ItemKind::Decision, "policy-decisions"),
    ] {
        let lines: Vec<String> = r
            .items
            .iter()
            .filter(|i| i.kind == kind.code())
            .map(|i| format!("{}: {}", t.code("policy-area", &i.area), i.text))
            .collect();
        if !lines.is_empty() {
            blocks.push(Block::Heading {
                level: 2,
                text: t.get(key),
            });
            blocks.push(Block::List(lines));
        }
    }
    let actions: Vec<Vec<String>> = r
        .items
        .iter()
        .filter(|i| i.kind == ItemKind::Action.code())
        .map(|i| {
            vec![
                i.text.clone(),
                i.owner_name.clone().unwrap_or_default(),
                i.due_on.map(|d| t.date(&d)).unwrap_or_default(),
                t.code(
                    "policy-action-status",
                    action_status(i).unwrap_or(ActionStatus::Open).code(),
                ),
                i.note.clone().unwrap_or_default(),
            ]
        })
        .collect();
    if !actions.is_empty() {
        blocks.push(Block::Heading {
            level: 2,
            text: t.get("policy-actions"),
        });
        blocks.push(Block::Table {
            columns: vec![
                column(t, "policy-item-text", false),
                column(t, "policy-owner", false),
                column(t, "policy-due", false),
                column(t, "policy-action-status", false),
                column(t, "policy-note", false),
            ],
            rows: actions,
        });
    }
    let today = calendar::bangkok_date(karuna_store::time::now());
    Document {
        lang: t.lang,
        title: r.row.title.clone(),
        subtitle: r.row.concluded_at.map(|at| {
            t.args(
                "policy-concluded-by",
                &[
                    ("name", r.row.concluded_by_name.clone().unwrap_or_default()),
                    ("date", t.date(&calendar::bangkok_date(at))),
                ],
            )
        }),
        header: t.get("policy-pdf-confidential"),
        footer: t.args(
            "pdf-footer",
            &[("org", printer.to_string()), ("date", t.date(&today))],
        ),
        page_label: t.get("pdf-page"),
        blocks,
    }
}
