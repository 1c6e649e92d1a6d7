//! Server-rendered HTML pages: post/redirect/get, every string from the catalogues, forms that
//! re-render with the user's input and a message beside each field.

pub mod advocacy;
pub mod advocacy_pdf;
pub mod allocations;
pub mod assessment_admin;
pub mod assessment_compare;
pub mod assessments;
pub mod attachments;
pub mod audit;
pub mod budget;
pub mod budget_workbook;
pub mod case_file;
pub mod case_header;
pub mod case_pdf;
pub mod case_types;
pub mod caseload;
pub mod cases;
pub mod closure;
pub mod conference_minutes;
pub mod conferences;
pub mod consultations;
pub mod dashboard;
pub mod data_request_export;
pub mod data_requests;
pub mod duplicates;
pub mod emergency_access;
pub mod home;
pub mod inbox;
pub mod intake;
pub mod login;
pub mod merges;
pub mod mfa;
pub mod pdf;
pub mod person_card;
pub mod plan;
pub mod plan_form;
pub mod policy_pdf;
pub mod policy_review;
pub mod profile;
pub mod programmes;
pub mod records;
pub mod referrals;
pub mod reports;
pub mod resource_exchange;
pub mod resources;
pub mod screening;
pub mod screening_model;
pub mod search;
pub mod service_match;
pub mod similar;
pub mod sso;
pub mod supervision;
pub mod table_export;
pub mod tasks;
pub mod timeline;
pub mod trends;
pub mod users;

use crate::auth::PageUser;
use crate::i18n::Tr;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use karuna_app::CurrentUser;
use karuna_domain::access::Role;
use std::collections::HashMap;

/// One link in the header navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    /// Target.
    pub href: &'static str,
    /// Label (translated).
    pub label: String,
    /// The current page.
    pub current: bool,
    /// A count shown beside the label (the inbox's unread notifications), and what it counts.
    pub badge: Option<(i64, String)>,
}

/// What every page's frame needs: translator, the user, CSRF token, navigation.
#[derive(Debug, Clone)]
pub struct Chrome {
    /// Translator.
    pub t: Tr,
    /// Display name of the signed-in user, if any.
    pub user_name: Option<String>,
    /// CSRF token for the header forms (logout, language).
    pub csrf: String,
    /// The current page, path and query (where the language switch returns to).
    pub path: String,
    /// Navigation for the user's role.
    pub nav: Vec<NavItem>,
}

impl Chrome {
    /// The frame for a signed-in user on `path`: the page's own address (path and query) for
    /// a GET, else `path`, the page a failed form submission re-renders (so the language
    /// switch never lands on a list or a form's POST address).
    pub fn for_user(u: &PageUser, path: &str) -> Chrome {
        Chrome {
            t: u.tr.clone(),
            user_name: Some(u.user.display_name.clone()),
            csrf: u.csrf(),
            path: u.here.clone().unwrap_or_else(|| path.to_string()),
            nav: nav(&u.tr, &u.user, path, u.unread),
        }
    }

    /// The frame for an anonymous visitor.
    pub fn anonymous(t: &Tr, csrf: &str, path: &str) -> Chrome {
        Chrome {
            t: t.clone(),
            user_name: None,
            csrf: csrf.to_string(),
            path: path.to_string(),
            nav: Vec::new(),
        }
    }

    /// True when header forms can be offered.
    pub fn has_csrf(&self) -> bool {
        !self.csrf.is_empty()
    }

    /// Shorthand for templates.
    pub fn get(&self, key: &str) -> String {
        self.t.get(key)
    }
}

fn nav(t: &Tr, user: &CurrentUser, path: &str, unread: Option<i64>) -> Vec<NavItem> {
    let mut items = vec![("/", "nav-home")];
    match user.role() {
        Role::Admin => {
            items.push(("/admin/users", "nav-users"));
            items.push(("/admin/case-types", "nav-case-types"));
            items.push(("/admin/assessment-templates", "nav-templates"));
            items.push(("/admin/screening", "nav-screening"));
            items.push(("/admin/emergency-access", "nav-emergency-settings"));
            items.push(("/admin/mfa", "nav-mfa-policy"));
            items.push(("/admin/sso", "nav-sso"));
            items.push(("/resources", "nav-resources"));
            items.push(("/programmes", "nav-programmes"));
        }
        Role::Auditor => items.push(("/audit", "nav-audit")),
        Role::CaseManager | Role::Supervisor | Role::TeamMember => {
            items.push(("/cases", "nav-cases"));
            items.push(("/tasks", "nav-tasks"));
            items.push(("/conferences", "nav-conferences"));
            items.push(("/inbox", "nav-inbox"));
            items.push(("/search", "nav-search"));
            items.push(("/resources", "nav-resources"));
            if user.role() != Role::TeamMember {
                items.push(("/programmes", "nav-programmes"));
                items.push(("/emergency-access", "nav-emergency"));
                items.push(("/data-requests", "nav-data-requests"));
            }
            if user.role() == Role::Supervisor {
                items.push(("/caseload", "nav-caseload"));
                items.push(("/persons/duplicates", "nav-duplicates"));
                items.push(("/persons/merges", "nav-merges"));
            }
        }
        Role::DataAnalyst => {}
    }
    items.push(("/profile", "nav-profile"));
    items
        .into_iter()
        .map(|(href, key)| NavItem {
            href,
            label: t.get(key),
            current: match href {
                "/" => path == "/",
                // An assessment's own page belongs to its case.
                "/cases" => path.starts_with(href) || path.starts_with("/assessments/"),
                _ => path.starts_with(href),
            },
            badge: match (href, unread) {
                ("/inbox", Some(n)) if n > 0 => {
                    Some((n, t.get1("nav-inbox-unread", "n", &n.to_string())))
                }
                _ => None,
            },
        })
        .collect()
}

/// The flag a page's address carries after a post/redirect/get (`?saved=1`): the page shows
/// its "saved" message.
#[derive(Debug, serde::Deserialize, Default)]
#[serde(default)]
pub struct SavedQuery {
    /// Present after a successful save.
    pub saved: Option<String>,
}

/// A form's submitted values and its field errors, for re-rendering.
#[derive(Debug, Clone, Default)]
pub struct FormState {
    values: HashMap<String, String>,
    errors: Vec<(String, String)>,
}

impl FormState {
    /// A form pre-filled with values.
    pub fn with(values: &[(&str, String)]) -> FormState {
        FormState {
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            errors: Vec::new(),
        }
    }

    /// A form re-filled from submitted pairs; a repeated field keeps all its values,
    /// comma-joined (see `has`).
    pub fn from_pairs(pairs: &[(String, String)]) -> FormState {
        let mut values: HashMap<String, String> = HashMap::new();
        for (k, v) in pairs {
            values
                .entry(k.clone())
                .and_modify(|e| {
                    e.push(',');
                    e.push_str(v);
                })
                .or_insert_with(|| v.clone());
        }
        FormState {
            values,
            errors: Vec::new(),
        }
    }

    /// True when a multi-valued field (checkboxes) holds `v` among its values.
    pub fn has(&self, name: &str, v: &str) -> bool {
        self.value(name).split(',').any(|x| x == v)
    }

    /// Adds the field errors of a failed submission.
    pub fn errors(mut self, errors: Vec<(String, String)>) -> FormState {
        self.errors = errors;
        self
    }

    /// The value of a field.
    pub fn value(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }

    /// True when a field holds `v` (for selects and radios).
    pub fn is(&self, name: &str, v: &str) -> bool {
        self.value(name) == v
    }

    /// The message for a field, if it failed.
    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(f, _)| f == name)
            .map(|(_, m)| m.as_str())
    }

    /// True when any field failed.
    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    /// Errors not tied to a field shown on the form.
    pub fn all_errors(&self) -> &[(String, String)] {
        &self.errors
    }

    /// The lines of the form's error summary (`templates/error_summary.html`), in the order
    /// the errors came: `describe` names a field's element id and label; a field it does not
    /// know (a form-level error) is listed by its message alone, never by its name.
    pub fn summary(&self, describe: impl Fn(&str) -> Option<(String, String)>) -> Vec<ErrorLink> {
        summary(&self.errors, describe)
    }

    /// The error summary of a form whose inputs have their field's name as element id:
    /// `fields` pairs each name with its label's catalogue key.
    pub fn summary_by_name(&self, t: &Tr, fields: &[(&str, &str)]) -> Vec<ErrorLink> {
        self.summary(|name| {
            fields
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(n, key)| (n.to_string(), t.get(key)))
        })
    }
}

/// One line of a form's error summary: the field at fault, linked, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorLink {
    /// `#element-id` of the field, or empty for an error of the whole form.
    pub href: String,
    /// The field's label (empty with `href`).
    pub label: String,
    /// The message.
    pub message: String,
}

/// The error summary of `(field, message)` pairs: see `FormState::summary`. A message repeated
/// for the same place is listed once.
pub fn summary(
    errors: &[(String, String)],
    describe: impl Fn(&str) -> Option<(String, String)>,
) -> Vec<ErrorLink> {
    let mut out: Vec<ErrorLink> = Vec::new();
    for (field, message) in errors {
        let line = match describe(field) {
            Some((id, label)) => ErrorLink {
                href: format!("#{id}"),
                label,
                message: message.clone(),
            },
            None => ErrorLink {
                href: String::new(),
                label: String::new(),
                message: message.clone(),
            },
        };
        if !out.contains(&line) {
            out.push(line);
        }
    }
    out
}

/// A refused form submission: its status (409 when the record changed since it was read, else
/// 422) and its messages by field; a refusal of no field (a conflict) is one message under
/// `form`, which error summaries list by its message alone.
pub fn refusal(u: &PageUser, e: karuna_app::AppError) -> (StatusCode, Vec<(String, String)>) {
    let status = if matches!(e, karuna_app::AppError::Conflict) {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let err = crate::error::WebError::new(e, crate::error::Surface::Page, u.tr.clone());
    let mut fields = err.fields();
    if fields.is_empty() {
        fields.push(("form".into(), err.detail()));
    }
    (status, fields)
}

/// Renders a template, or a plain 500 when rendering itself fails.
pub fn render<T: Template>(status: StatusCode, page: &T) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    status: u16,
    title: String,
    detail: String,
    fields: Vec<(String, String)>,
}

/// The friendly error page.
pub fn error_page(
    t: &Tr,
    status: StatusCode,
    code: &str,
    detail: &str,
    fields: &[(String, String)],
) -> Response {
    let page = ErrorPage {
        c: Chrome::anonymous(t, "", ""),
        status: status.as_u16(),
        title: t.get(&format!("problem-{}-title", code.replace('_', "-"))),
        detail: detail.to_string(),
        fields: fields.to_vec(),
    };
    render(status, &page)
}

/// Fallback for unknown paths: problem+json under /api, a page elsewhere.
pub async fn not_found(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    req: axum::extract::Request,
) -> Response {
    let (parts, _) = req.into_parts();
    let tr = crate::auth::anon_tr(&state, &parts);
    let surface = if parts.uri.path().starts_with("/api/") {
        crate::error::Surface::Api
    } else {
        crate::error::Surface::Page
    };
    crate::error::WebError::new(karuna_app::AppError::NotFound, surface, tr).into_response()
}

/// A same-origin relative path (with its query) to return to after a form, or `/`: never
/// another site (`//host`, `/\\host`, a scheme), never a character a browser would drop or a
/// `Location` header could not carry (only visible ASCII: a request's own path and query are
/// percent-encoded already), never longer than 2,000 characters.
pub fn safe_next(next: &str) -> String {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.contains("://")
        && next.len() <= 2000
        && next.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        next.to_string()
    } else {
        "/".into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_links_known_fields_and_never_names_a_key() {
        let errors = vec![
            ("name".to_string(), "Required".to_string()),
            ("form".to_string(), "Saved by someone else".to_string()),
            ("name".to_string(), "Required".to_string()),
        ];
        let lines = summary(&errors, |f| {
            (f == "name").then(|| ("user-name".to_string(), "Name".to_string()))
        });
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].href, "#user-name");
        assert_eq!(lines[0].label, "Name");
        assert_eq!(lines[1].href, "");
        assert!(!lines.iter().any(|l| l.label.contains("form")));
    }

    #[test]
    fn next_stays_on_site() {
        assert_eq!(safe_next("/profile"), "/profile");
        assert_eq!(safe_next("//evil.example"), "/");
        assert_eq!(safe_next("https://evil.example"), "/");
        assert_eq!(safe_next("/\\evil"), "/");
        assert_eq!(safe_next(""), "/");
    }

    #[test]
    fn next_keeps_the_query_and_refuses_what_a_browser_would_rewrite() {
        assert_eq!(
            safe_next("/search?q=%E0%B8%AA&type=contact"),
            "/search?q=%E0%B8%AA&type=contact"
        );
        assert_eq!(safe_next("/cases/1?tab=contacts"), "/cases/1?tab=contacts");
        for bad in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /x",
            "/สวัสดี",
            "/a?next=https://evil.example",
        ] {
            assert_eq!(safe_next(bad), "/", "{bad:?}");
        }
        assert_eq!(safe_next(&format!("/{}", "a".repeat(2001))), "/");
    }
}
