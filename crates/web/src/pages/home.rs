//! The home page: who I am, my role, and where my work is: my promises due today and overdue,
//! overdue reviews, stalled interventions and follow-ups falling due (a supervisor sees the
//! unit's), and for supervisors the promise-keeping of their unit.

use super::{render, Chrome};
use crate::auth::PageUser;
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use karuna_domain::access::Role;
use uuid::Uuid;

struct DuePromise {
    case_id: Uuid,
    case_number: String,
    what: String,
    due: String,
    overdue: bool,
}

struct Keeping {
    name: String,
    kept: i64,
    missed: i64,
    overdue: i64,
    rate: String,
}

/// One line of an attention list.
struct AttentionLine {
    case_id: Uuid,
    number: String,
    what: String,
    manager: String,
}

/// One attention list: its heading id, catalogue key, the case file page it links to.
struct AttentionList {
    heading: &'static str,
    key: &'static str,
    page: &'static str,
    lines: Vec<AttentionLine>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    role_key: String,
    role_help_key: String,
    is_admin: bool,
    is_auditor: bool,
    works_cases: bool,
    can_create: bool,
    promises: Vec<DuePromise>,
    keeping: Vec<Keeping>,
    unit_wide: bool,
    attention: Vec<AttentionList>,
    /// The role reads aggregate figures (data analysts, supervisors).
    sees_figures: bool,
    /// Writes advocacy reports (case managers, supervisors, analysts).
    writes_reports: bool,
    /// A supervisor's queue: plans and closures awaiting her approval, and how many in all.
    approvals: Option<(Vec<ApprovalLine>, i64)>,
    /// What falls due in the next 7 days: my promises and contacts awaiting follow-up.
    due_soon: Vec<AttentionList>,
    /// My tasks still to be done, and how many of them are overdue.
    tasks: (i64, i64),
    /// Cases handed over to me whose handover note I have not acknowledged: (case, number,
    /// from whom, when).
    handovers: Vec<(Uuid, String, String, String)>,
}

/// One item awaiting approval.
struct ApprovalLine {
    case_id: Uuid,
    number: String,
    client: String,
    what: String,
    page: &'static str,
}

/// `GET /`.
pub async fn show(State(state): State<AppState>, u: PageUser) -> Result<Response, WebError> {
    let role = u.user.role();
    let code = role.code().replace('_', "-");
    let works_cases = matches!(
        role,
        Role::CaseManager | Role::Supervisor | Role::TeamMember
    );
    let today = karuna_thai::calendar::bangkok_date(chrono::Utc::now());
    let promises = if works_cases {
        state
            .app
            .my_due_promises(&u.user, &u.ctx)
            .await
            .map_err(|e| u.err(e))?
            .into_iter()
            .map(|p| DuePromise {
                case_id: p.case_id,
                case_number: p.case_number,
                what: p.what,
                due: u.tr.date(&p.due_date),
                overdue: p.due_date < today,
            })
            .collect()
    } else {
        Vec::new()
    };
    let handovers = if works_cases {
        state
            .app
            .my_pending_handovers(&u.user, &u.ctx)
            .await
            .map_err(|e| u.err(e))?
            .into_iter()
            .map(|h| {
                (
                    h.case_id,
                    h.case_number,
                    h.from_name,
                    u.tr.datetime(&h.created_at),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let tasks = if works_cases {
        state
            .app
            .my_task_counts(&u.user)
            .await
            .map_err(|e| u.err(e))?
    } else {
        (0, 0)
    };
    let mut keeping: Vec<Keeping> = if role == Role::Supervisor {
        state
            .app
            .promise_keeping(&u.user, &u.ctx)
            .await
            .map_err(|e| u.err(e))?
            .into_iter()
            .map(|k| {
                let settled = k.kept + k.missed;
                let rate = if settled == 0 {
                    "—".to_string()
                } else {
                    format!("{:.0}%", 100.0 * k.kept as f64 / settled as f64)
                };
                Keeping {
                    name: k.name,
                    kept: k.kept,
                    missed: k.missed,
                    overdue: k.overdue,
                    rate,
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    if keeping.len() > 1 {
        // The unit as a whole.
        let (kept, missed, overdue) = keeping.iter().fold((0, 0, 0), |a, k| {
            (a.0 + k.kept, a.1 + k.missed, a.2 + k.overdue)
        });
        let settled = kept + missed;
        let rate = if settled == 0 {
            "—".to_string()
        } else {
            format!("{:.0}%", 100.0 * kept as f64 / settled as f64)
        };
        keeping.push(Keeping {
            name: u.tr.get("home-keeping-unit"),
            kept,
            missed,
            overdue,
            rate,
        });
    }
    let attention = if works_cases {
        state
            .app
            .attention(&u.user, &u.ctx)
            .await
            .map_err(|e| u.err(e))?
    } else {
        Default::default()
    };
    let line = |case_id, number: &str, what: String, manager: &str| AttentionLine {
        case_id,
        number: number.to_string(),
        what,
        manager: manager.to_string(),
    };
    let reviews: Vec<AttentionLine> = attention
        .overdue_reviews
        .iter()
        .map(|r| {
            let what = u.tr.get1("home-review-due", "date", &u.tr.date(&r.due));
            line(r.case_id, &r.number, what, &r.manager)
        })
        .collect();
    let reviews_soon: Vec<AttentionLine> = attention
        .reviews_due_soon
        .iter()
        .map(|r| {
            let what = u.tr.get1("home-review-due", "date", &u.tr.date(&r.due));
            line(r.case_id, &r.number, what, &r.manager)
        })
        .collect();
    let stalled: Vec<AttentionLine> = attention
        .stalled
        .iter()
        .map(|x| {
            let what = format!(
                "{} · {} · {}",
                super::cases::label(&u, "method", &x.method),
                x.goal,
                u.tr.get(&format!("home-stalled-{}", x.why.replace('_', "-")))
            );
            line(x.case_id, &x.number, what, &x.manager)
        })
        .collect();
    let follow_ups: Vec<AttentionLine> = attention
        .follow_ups
        .iter()
        .map(|f| {
            let what =
                u.tr.get1("home-follow-up-due", "date", &u.tr.date(&f.due_on));
            line(f.case_id, &f.number, what, "")
        })
        .collect();
    let approvals = if role == Role::Supervisor {
        let a = state
            .app
            .awaiting_my_approval(&u.user, &u.ctx)
            .await
            .map_err(|e| u.err(e))?;
        let lines = a
            .items
            .into_iter()
            .map(|i| {
                let (what, page) = match i.plan_number {
                    Some(n) => (u.tr.get1("home-approval-plan", "n", &n.to_string()), "plan"),
                    None => (u.tr.get("home-approval-closure"), "closure"),
                };
                ApprovalLine {
                    case_id: i.case_id,
                    number: i.number,
                    client: i.client,
                    what: format!("{what} · {} · {}", i.author, u.tr.datetime(&i.submitted_at)),
                    page,
                }
            })
            .collect();
        Some((lines, a.count))
    } else {
        None
    };
    let due_soon = if works_cases {
        let d = state
            .app
            .due_soon(&u.user, &u.ctx)
            .await
            .map_err(|e| u.err(e))?;
        let lines = |items: Vec<karuna_app::worklist::DueItem>, key: &str| {
            items
                .into_iter()
                .map(|i| {
                    let mut what = u.tr.get1(key, "date", &u.tr.date(&i.date));
                    if !i.what.is_empty() {
                        what = format!("{} · {what}", i.what);
                    }
                    if i.overdue {
                        what = format!("{what} · {}", u.tr.get("promise-overdue"));
                    }
                    AttentionLine {
                        case_id: i.case_id,
                        number: i.number,
                        what,
                        manager: i.client,
                    }
                })
                .collect::<Vec<_>>()
        };
        vec![
            AttentionList {
                heading: "due-soon-promises-heading",
                key: "home-due-soon-promises",
                page: "",
                lines: lines(d.promises, "home-due-by"),
            },
            AttentionList {
                heading: "due-soon-contacts-heading",
                key: "home-due-soon-contacts",
                page: "",
                lines: lines(d.contacts, "home-contact-on"),
            },
        ]
    } else {
        Vec::new()
    };
    let page = HomePage {
        c: Chrome::for_user(&u, "/"),
        sees_figures: matches!(role, Role::DataAnalyst | Role::Supervisor),
        writes_reports: matches!(
            role,
            Role::DataAnalyst | Role::Supervisor | Role::CaseManager
        ),
        approvals,
        due_soon,
        role_key: format!("role-{code}"),
        role_help_key: format!("home-role-help-{code}"),
        is_admin: role == Role::Admin,
        is_auditor: role == Role::Auditor,
        works_cases,
        can_create: matches!(role, Role::CaseManager | Role::Supervisor),
        promises,
        tasks,
        handovers,
        keeping,
        unit_wide: attention.unit_wide,
        attention: vec![
            AttentionList {
                heading: "reviews-heading",
                key: "home-reviews-overdue",
                page: "closure",
                lines: reviews,
            },
            AttentionList {
                heading: "reviews-soon-heading",
                key: "home-reviews-due-soon",
                page: "closure",
                lines: reviews_soon,
            },
            AttentionList {
                heading: "stalled-heading",
                key: "home-stalled",
                page: "plan",
                lines: stalled,
            },
            AttentionList {
                heading: "follow-ups-heading",
                key: "home-follow-ups",
                page: "closure",
                lines: follow_ups,
            },
        ],
    };
    Ok(render(StatusCode::OK, &page))
}
