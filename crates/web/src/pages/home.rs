//! The home page: who I am, my role, and where my work is: my promises due today and overdue,
//! and for supervisors the promise-keeping of their unit.

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
            .my_due_promises(&u.user)
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
    let page = HomePage {
        c: Chrome::for_user(&u, "/"),
        role_key: format!("role-{code}"),
        role_help_key: format!("home-role-help-{code}"),
        is_admin: role == Role::Admin,
        is_auditor: role == Role::Auditor,
        works_cases,
        can_create: matches!(role, Role::CaseManager | Role::Supervisor),
        promises,
        keeping,
    };
    Ok(render(StatusCode::OK, &page))
}
