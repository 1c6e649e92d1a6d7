//! The case's timeline page: one chronological view of everything recorded on the case.

use super::case_header::CaseHeader;
use super::cases::label;
use super::plan::case_id;
use super::{render, Chrome};
use crate::auth::PageUser;
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;

struct Line {
    when: String,
    kind: String,
    kind_code: String,
    what: String,
    text: String,
    value: String,
    by: String,
    page: String,
}

#[derive(Template)]
#[template(path = "timeline.html")]
struct TimelinePage {
    c: Chrome,
    head: CaseHeader,
    number: String,
    lines: Vec<Line>,
}

/// The label of an entry's own code, from the family its kind uses.
fn what(u: &PageUser, kind: &str, code: &str) -> String {
    let family = match kind {
        "contact" => "contact-kind",
        "assessment" => "timeline-assessment",
        "attachment" => "timeline-attachment",
        "plan" => "plan-status",
        "progress" => "evidence",
        "review" => "review-outcome",
        "closure" => "closure-reason",
        "follow_up" => "timeline-follow-up",
        "transition" => "status",
        "promise" => "timeline-promise",
        "conference" => "conference-status",
        "consultation" => "consultation-event",
        "referral" => "referral-event",
        "allocation" => "gk-event",
        "screening" => "screening-event",
        "service_match" => "match-event",
        _ => return code.to_string(),
    };
    if kind == "transition"
        && !karuna_domain::case::Status::ALL
            .iter()
            .any(|s| s.code() == code)
    {
        return u.tr.get("timeline-transition-other");
    }
    label(u, family, code)
}

/// `GET /cases/{id}/timeline`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let case = state
        .app
        .open_case(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let entries = state
        .app
        .timeline(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    // An assessment's entry carries its template's key: show the template's title instead.
    let templates = if entries.iter().any(|e| e.kind == "assessment") {
        state
            .app
            .available_templates(&u.user, &u.ctx)
            .await
            .map_err(|e| u.err(e))?
    } else {
        Vec::new()
    };
    let lang = u.tr.lang_code();
    let lines = entries
        .into_iter()
        .map(|e| Line {
            when: if e.all_day {
                u.tr.date(&karuna_thai::calendar::bangkok_date(e.at))
            } else {
                u.tr.datetime(&e.at)
            },
            text: if e.kind == "assessment" {
                templates
                    .iter()
                    .find(|t| t.key == e.text)
                    .map(|t| t.template.title.get(lang).to_string())
                    .unwrap_or_else(|| u.tr.get("timeline-kind-assessment"))
            } else {
                e.text
            },
            kind: u
                .tr
                .get(&format!("timeline-kind-{}", e.kind.replace('_', "-"))),
            what: what(&u, &e.kind, &e.code),
            value: match (e.kind.as_str(), e.value) {
                ("screening", Some(level)) => label(&u, "screening-level", &level),
                ("service_match", Some(need)) => label(&u, "resource-category", &need),
                (_, v) => v.unwrap_or_default(),
            },
            kind_code: e.kind,
            by: e.by.unwrap_or_default(),
            page: e.page,
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &TimelinePage {
            c: Chrome::for_user(&u, "/cases"),
            head: CaseHeader::new(&u, &case, "timeline"),
            number: case.case.number.clone(),
            lines,
        },
    ))
}
