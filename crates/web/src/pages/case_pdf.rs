//! A case file as a PDF (`karuna-pdf`): the case's facts, its persons and team, the plan in
//! force with its goals and interventions, the progress measured, the reviews, the closure
//! summary and its follow-ups, the promises, and the contact log oldest first — what the case
//! page shows, in the reader's language and calendar, with the client masked exactly as the
//! page masks her. A confidentiality line heads every page; the footer names who printed it
//! and when, with page numbers. The page's download and the API share it.

use super::cases::case_type_label_in;
use crate::api::extract::Path;
use crate::auth::PageUser;
use crate::error::WebError;
use crate::i18n::Tr;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use karuna_app::case::CaseExport;
use karuna_app::AppError;
use karuna_domain::case_type::CaseType;
use karuna_pdf::{Block, Column, Document};
use karuna_thai::calendar;
use uuid::Uuid;

/// `GET /cases/{id}/file.pdf`: the case file as a PDF.
pub async fn download(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = Uuid::parse_str(&id).map_err(|_| u.err(AppError::NotFound))?;
    let x = state
        .app
        .case_export(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let types = state
        .app
        .case_types(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let doc = document(&u.tr, &types, &x, &u.user.display_name);
    super::pdf::respond(doc, &file_name(&x), |e| u.err(e)).await
}

/// The download's name: the case number, which names no one.
pub(crate) fn file_name(x: &CaseExport) -> String {
    let number: String = x
        .file
        .view
        .case
        .number
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    format!("karuna-case-{number}.pdf")
}

fn heading(level: u8, text: String) -> Block {
    Block::Heading { level, text }
}

fn table(t: &Tr, columns: &[(&str, bool)], rows: Vec<Vec<String>>) -> Block {
    Block::Table {
        columns: columns
            .iter()
            .map(|(key, numeric)| Column {
                title: t.get(key),
                numeric: *numeric,
            })
            .collect(),
        rows,
    }
}

/// The case file as a document to typeset, printed by `printer` of `org`.
pub(crate) fn document(t: &Tr, types: &[CaseType], x: &CaseExport, printer: &str) -> Document {
    let v = &x.file.view;
    let c = &v.case;
    let client = v
        .persons
        .first()
        .map(|(p, _)| p.display_name.clone())
        .unwrap_or_default();
    let mut blocks = vec![Block::Fields(vec![
        (t.get("case-number"), c.number.clone()),
        (t.get("case-status"), t.code("status", &c.status)),
        (t.get("case-urgency"), t.code("urgency", &c.urgency)),
        (
            t.get("case-type"),
            c.case_types
                .iter()
                .map(|code| case_type_label_in(t, types, code))
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (t.get("case-manager"), v.manager_name.clone()),
        (
            t.get("case-opened"),
            t.date(&calendar::bangkok_date(c.opened_at)),
        ),
        (
            t.get("case-referral-source"),
            t.code("referral", &c.referral_source),
        ),
    ])];
    if !c.presenting_problem.trim().is_empty() {
        blocks.push(heading(2, t.get("case-presenting-problem")));
        blocks.push(Block::Paragraph(c.presenting_problem.clone()));
    }

    blocks.push(heading(2, t.get("case-tab-persons")));
    blocks.push(table(
        t,
        &[("case-pdf-person", false), ("case-pdf-relationship", false)],
        v.persons
            .iter()
            .map(|(p, rel)| vec![p.display_name.clone(), t.code("relationship", rel)])
            .collect(),
    ));
    if !v.team.is_empty() {
        blocks.push(heading(2, t.get("case-tab-team")));
        blocks.push(table(
            t,
            &[("case-pdf-person", false), ("case-team-role", false)],
            v.team
                .iter()
                .map(|m| vec![m.display_name.clone(), m.role_in_case.clone()])
                .collect(),
        ));
    }

    plan_blocks(t, x, &mut blocks);
    closure_blocks(t, x, &mut blocks);

    if !x.file.promises.is_empty() {
        blocks.push(heading(2, t.get("case-tab-promises")));
        blocks.push(table(
            t,
            &[
                ("promise-what", false),
                ("promise-due", false),
                ("case-status", false),
            ],
            x.file
                .promises
                .iter()
                .map(|p| {
                    vec![
                        p.what.clone(),
                        t.date(&p.due_date),
                        t.code("promise-status", &p.status),
                    ]
                })
                .collect(),
        ));
    }

    blocks.push(heading(2, t.get("case-tab-contacts")));
    if x.file.contacts.is_empty() {
        blocks.push(Block::Paragraph(t.get("contact-empty")));
    }
    for k in x.file.contacts.iter().rev() {
        let when = if k.time_known {
            t.datetime(&k.occurred_at)
        } else {
            t.date(&calendar::bangkok_date(k.occurred_at))
        };
        blocks.push(heading(
            3,
            format!("{when} · {}", t.code("contact-kind", &k.kind)),
        ));
        let mut fields = Vec::new();
        if let Some(place) = k.place.as_deref().filter(|p| !p.trim().is_empty()) {
            fields.push((t.get("contact-place"), place.to_string()));
        }
        if let Some(by) = &k.created_by_name {
            fields.push((t.get("case-pdf-recorded-by"), by.clone()));
        }
        if !fields.is_empty() {
            blocks.push(Block::Fields(fields));
        }
        blocks.push(Block::Paragraph(k.note.clone()));
        if let Some(f) = k.follow_up_note.as_deref().filter(|_| k.follow_up_needed) {
            blocks.push(Block::Fields(vec![(
                t.get("contact-follow-up"),
                f.to_string(),
            )]));
        }
    }

    let today = calendar::bangkok_date(karuna_store::time::now());
    Document {
        lang: t.lang,
        title: t.get1("case-pdf-title", "number", &c.number),
        subtitle: Some(client),
        header: t.get("case-pdf-confidential"),
        footer: t.args(
            "pdf-footer",
            &[("org", printer.to_string()), ("date", t.date(&today))],
        ),
        page_label: t.get("pdf-page"),
        blocks,
    }
}

/// The plan in force: each goal with its interventions, then the progress measured.
fn plan_blocks(t: &Tr, x: &CaseExport, blocks: &mut Vec<Block>) {
    blocks.push(heading(2, t.get("plan-title")));
    let Some(plan) = x.plan.current() else {
        blocks.push(Block::Paragraph(t.get("plan-none-in-force")));
        return;
    };
    blocks.push(Block::Paragraph(t.get1(
        "plan-version-n",
        "n",
        &plan.number.to_string(),
    )));
    for (i, g) in plan.content.goals.iter().enumerate() {
        blocks.push(heading(
            3,
            format!(
                "{} · {}",
                t.get1("plan-goal-n", "n", &(i + 1).to_string()),
                t.code("dimension", &g.dimension)
            ),
        ));
        blocks.push(Block::Fields(vec![
            (t.get("plan-statement"), g.statement.clone()),
            (t.get("plan-indicator"), g.indicator.clone()),
            (t.get("plan-baseline"), g.baseline.clone()),
            (t.get("plan-target"), g.target.clone()),
            (t.get("plan-target-date"), t.date(&g.target_date)),
        ]));
        if !g.interventions.is_empty() {
            blocks.push(table(
                t,
                &[
                    ("plan-method", false),
                    ("plan-dates", false),
                    ("plan-intervention-status", false),
                ],
                g.interventions
                    .iter()
                    .map(|iv| {
                        let method = match &iv.provider {
                            Some(p) => format!("{} ({p})", t.code("method", &iv.method)),
                            None => t.code("method", &iv.method),
                        };
                        let dates = match iv.end {
                            Some(end) => format!("{} – {}", t.date(&iv.start), t.date(&end)),
                            None => t.date(&iv.start),
                        };
                        vec![method, dates, t.code("intervention-status", &iv.status)]
                    })
                    .collect(),
            ));
        }
    }
    if !x.plan.progress.is_empty() {
        blocks.push(heading(3, t.get("case-pdf-progress")));
        let goal_no = |id| {
            plan.content
                .goals
                .iter()
                .position(|g| g.id == id)
                .map(|i| (i + 1).to_string())
                .unwrap_or_default()
        };
        blocks.push(table(
            t,
            &[
                ("case-pdf-date", false),
                ("case-pdf-goal", true),
                ("case-pdf-gas", true),
                ("case-pdf-note", false),
            ],
            x.plan
                .progress
                .iter()
                .map(|p| {
                    vec![
                        t.date(&p.measured_on),
                        goal_no(p.goal_id),
                        p.gas.map(|g| format!("{g:+}")).unwrap_or_default(),
                        p.note.clone().unwrap_or_default(),
                    ]
                })
                .collect(),
        ));
    }
}

/// The reviews, the latest closure's summary and the follow-ups after it.
fn closure_blocks(t: &Tr, x: &CaseExport, blocks: &mut Vec<Block>) {
    let cv = &x.closure;
    if !cv.reviews.is_empty() {
        blocks.push(heading(2, t.get("review-title")));
        blocks.push(table(
            t,
            &[
                ("case-pdf-date", false),
                ("review-outcome", false),
                ("review-note", false),
            ],
            cv.reviews
                .iter()
                .rev()
                .map(|r| {
                    vec![
                        t.date(&r.held_on),
                        t.code("review-outcome", &r.outcome),
                        r.note.clone(),
                    ]
                })
                .collect(),
        ));
    }
    if let Some(cl) = cv.closures.first() {
        blocks.push(heading(2, t.get("closure-title")));
        blocks.push(Block::Fields(vec![
            (
                t.get("closure-reason"),
                t.code("closure-reason", &cl.reason),
            ),
            (t.get("case-status"), t.code("closure-status", &cl.status)),
        ]));
        blocks.push(Block::Paragraph(cl.summary.clone()));
        if !cv.follow_ups.is_empty() {
            blocks.push(heading(3, t.get("closure-follow-ups")));
            blocks.push(table(
                t,
                &[
                    ("case-pdf-due", false),
                    ("case-pdf-done", false),
                    ("case-pdf-note", false),
                ],
                cv.follow_ups
                    .iter()
                    .map(|f| {
                        vec![
                            t.date(&f.due_on),
                            f.done_on.map(|d| t.date(&d)).unwrap_or_default(),
                            f.note.clone().unwrap_or_default(),
                        ]
                    })
                    .collect(),
            ));
        }
    }
}

/// Typesets a case file as its download does, in Thai with Buddhist-era dates (for `karuna
/// bench pdf`, which times the whole path from the read to the bytes).
pub fn render_case_file(
    catalog: std::sync::Arc<crate::i18n::Catalog>,
    types: &[CaseType],
    x: &CaseExport,
    printer: &str,
) -> Result<karuna_pdf::Typeset, String> {
    let t = Tr::new(
        catalog,
        karuna_thai::lang::Lang::Th,
        karuna_thai::calendar::Era::Buddhist,
    );
    karuna_pdf::typeset(&document(&t, types, x, printer)).map_err(|e| e.to_string())
}
