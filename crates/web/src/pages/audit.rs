//! The audit viewer (auditors): filter by actor, action, outcome, entity and dates; newest first.

use super::{render, Chrome, FormState};
use crate::auth::PageUser;
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use karuna_store::audit::EventFilter;
use karuna_thai::calendar::parse_date;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    form: FormState,
    rows: Vec<Row>,
    next: Option<String>,
}

struct Row {
    when: String,
    actor: String,
    action: String,
    entity: String,
    outcome: String,
    outcome_class: &'static str,
    reason: String,
    sealed: bool,
}

/// The filter form (GET).
#[derive(Debug, Deserialize, serde::Serialize, Default, Clone)]
#[serde(default)]
pub struct AuditQuery {
    actor: String,
    action: String,
    outcome: String,
    entity_type: String,
    entity_id: String,
    from: String,
    to: String,
    before: String,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

const PAGE: i64 = 50;

/// `GET /audit`.
pub async fn list(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<AuditQuery>,
) -> Result<Response, WebError> {
    let mut errors = Vec::new();
    let mut date = |field: &str, input: &str, days: i64| -> Option<String> {
        let input = input.trim();
        if input.is_empty() {
            return None;
        }
        match parse_date(input, u.tr.era) {
            Ok(d) => {
                // Bangkok midnight of the day (+ `days`) as a UTC instant.
                let start = (d.date + chrono::Duration::days(days)).and_hms_opt(0, 0, 0)?
                    - chrono::Duration::hours(7);
                Some(karuna_store::time::to_db(start.and_utc()))
            }
            Err(e) => {
                errors.push((field.to_string(), u.tr.error(e.code(), &[])));
                None
            }
        }
    };
    let filter = EventFilter {
        actor: opt(&q.actor).map(|a| a.to_lowercase()),
        action: opt(&q.action),
        outcome: opt(&q.outcome),
        entity_type: opt(&q.entity_type),
        entity_id: opt(&q.entity_id),
        from: date("from", &q.from, 0),
        to: date("to", &q.to, 1),
        before_id: opt(&q.before),
    };
    let events = state
        .app
        .list_audit(&u.user, &u.ctx, &filter, PAGE + 1)
        .await
        .map_err(|e| u.err(e))?;
    let more = events.len() as i64 > PAGE;
    let rows: Vec<Row> = events
        .iter()
        .take(PAGE as usize)
        .map(|e| {
            let r = &e.record;
            Row {
                when: karuna_store::time::from_db(&r.occurred_at)
                    .map(|t| u.tr.datetime(&t))
                    .unwrap_or_else(|| r.occurred_at.clone()),
                actor: r.actor_username.clone().unwrap_or_default(),
                action: r.action.clone(),
                entity: match (&r.entity_type, &r.entity_id) {
                    (Some(t), Some(i)) => format!("{t} {i}"),
                    (Some(t), None) => t.clone(),
                    _ => String::new(),
                },
                outcome: u.tr.get(&format!("audit-outcome-{}", r.outcome)),
                outcome_class: match r.outcome.as_str() {
                    "success" => "badge badge-ok",
                    "denied" => "badge badge-warn",
                    _ => "badge badge-error",
                },
                reason: r.reason.clone().unwrap_or_default(),
                sealed: e.chain_seq.is_some(),
            }
        })
        .collect();
    let next = if more {
        events.get(PAGE as usize - 1).map(|e| {
            let q = AuditQuery {
                before: e.record.id.clone(),
                ..q.clone()
            };
            format!(
                "/audit?{}",
                serde_urlencoded::to_string(&q).unwrap_or_default()
            )
        })
    } else {
        None
    };
    let form = FormState::with(&[
        ("actor", q.actor.clone()),
        ("action", q.action.clone()),
        ("outcome", q.outcome.clone()),
        ("entity_type", q.entity_type.clone()),
        ("entity_id", q.entity_id.clone()),
        ("from", q.from.clone()),
        ("to", q.to.clone()),
    ])
    .errors(errors);
    let status = if form.has_errors() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &AuditPage {
            c: Chrome::for_user(&u, "/audit"),
            form,
            rows,
            next,
        },
    ))
}
