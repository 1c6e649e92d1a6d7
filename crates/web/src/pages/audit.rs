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
    /// The stored code (the filter takes it), kept out of sight as the cell's title.
    action_code: String,
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

/// An action in words: `audit-action-<code>`, or "other action" for a code the catalogue
/// does not know yet (the test below keeps the known ones complete).
pub(crate) fn action_label(t: &crate::i18n::Tr, code: &str) -> String {
    let key = format!("audit-action-{}", code.replace(['.', '_'], "-"));
    if t.has(&key) {
        t.get(&key)
    } else {
        t.get("audit-action-other")
    }
}

/// A stored reason in words: a reason code (`locked`, a denial's reason), a count written by a
/// list read ("5 pairs, 5 shown"), a status change ("intake→assessment"); anything else is
/// what a person wrote (a reason for a transfer) or a record number, shown as it is.
fn reason_text(u: &PageUser, reason: &str) -> String {
    let key = format!("audit-reason-{}", reason.replace(['.', '_'], "-"));
    if u.tr.has(&key) {
        return u.tr.get(&key);
    }
    let n = |s: &str| s.trim().parse::<i64>().ok();
    let counted = |total: &str, shown: &str, key: &str| {
        Some(u.tr.args(
            key,
            &[
                ("total", karuna_thai::number::group_int(n(total)?)),
                ("shown", karuna_thai::number::group_int(n(shown)?)),
            ],
        ))
    };
    if let Some((a, b)) = reason.split_once(", ") {
        let text = match (a.strip_suffix(" pairs"), a.strip_suffix(" merges")) {
            (Some(total), _) => b
                .strip_suffix(" shown")
                .and_then(|s| counted(total, s, "audit-reason-pairs-shown")),
            (_, Some(total)) => b
                .strip_suffix(" shown")
                .and_then(|s| counted(total, s, "audit-reason-merges-shown")),
            _ => None,
        };
        if let Some(t) = text {
            return t;
        }
    }
    if let Some(c) = reason.strip_suffix(" candidates").and_then(n) {
        return u.tr.get1(
            "audit-reason-candidates",
            "n",
            &karuna_thai::number::group_int(c),
        );
    }
    if let Some(c) = reason.strip_prefix("rows=").and_then(n) {
        return u
            .tr
            .get1("audit-reason-rows", "n", &karuna_thai::number::group_int(c));
    }
    if let Some((from, to)) = reason.split_once('→') {
        let status = |s: &str| {
            karuna_domain::case::Status::from_code(s.trim())
                .map(|s| super::cases::label(u, "status", s.code()))
        };
        if let (Some(a), Some(b)) = (status(from), status(to)) {
            return format!("{a} → {b}");
        }
    }
    reason.to_string()
}

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
                action: action_label(&u.tr, &r.action),
                action_code: r.action.clone(),
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
                reason: r
                    .reason
                    .as_deref()
                    .map(|x| reason_text(&u, x))
                    .unwrap_or_default(),
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

#[cfg(test)]
mod tests {
    use crate::i18n::Catalog;
    use karuna_thai::lang::Lang;
    use std::path::Path;

    fn sources(dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("dir").flatten() {
            let p = entry.path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|e| e == "rs") {
                out.push(std::fs::read_to_string(&p).expect("read"));
            }
        }
    }

    /// Every action the code records has its words in both languages, so the audit viewer
    /// never falls back to "other action" for an action of this version.
    #[test]
    fn every_recorded_action_has_a_label() {
        let catalog = Catalog::load().expect("catalogues");
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut texts = Vec::new();
        for dir in ["app/src", "web/src"] {
            sources(&root.join(dir), &mut texts);
        }
        let patterns = [
            r#"event\([^"]*?"([a-z_]+\.[a-z_.]+|search)""#,
            r#"(?:authorize|case_for|check_case|check_person)\([^;]*?"([a-z_]+\.[a-z_.]+|search)""#,
        ]
        .map(|p| regex_lite::Regex::new(p).expect("regex"));
        let mut found = 0;
        let mut missing = Vec::new();
        for text in &texts {
            for re in &patterns {
                for m in re.captures_iter(text) {
                    let code = &m[1];
                    found += 1;
                    let key = format!("audit-action-{}", code.replace(['.', '_'], "-"));
                    for lang in [Lang::Th, Lang::En] {
                        if !catalog.keys(lang).contains(&key) {
                            missing.push(format!("{code} ({lang:?})"));
                        }
                    }
                }
            }
        }
        missing.sort();
        missing.dedup();
        assert!(found > 40, "the scan found only {found} actions");
        assert!(missing.is_empty(), "actions without words: {missing:?}");
    }
}
