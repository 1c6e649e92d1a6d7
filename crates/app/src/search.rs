//! Search: the user's query over notes, cases and persons in the cases she may open (the
//! store applies the case list's predicate inside the query), with snippets built here from the
//! stored text. Audited as a read; the audit event holds the query's length, never its text.

use crate::case::masked_name;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::NaiveDate;
use karuna_domain::access::{Action, Role};
use karuna_domain::audit::Outcome;
use karuna_domain::FieldError;
use karuna_store::audit;
use karuna_store::case_list::Scope;
use karuna_store::search::text::{parse_query, snippet};
use karuna_store::search::{self as store, SearchFilter};
use serde::Serialize;
use uuid::Uuid;

/// Results per page unless the caller asks for another number (at most 100).
pub const DEFAULT_LIMIT: i64 = 20;
/// Characters of text around the first hit in a snippet.
const SNIPPET_CHARS: usize = 160;
/// Record kinds a search can be narrowed to.
pub const KINDS: [&str; 5] = ["contact", "case", "person", "assessment", "plan"];

/// What the user asked, as typed (the adapters fill it from the form or the query string).
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The query.
    pub q: String,
    /// Record kind (`contact`, `case`, `person`), empty for all.
    pub kind: String,
    /// Case type code, empty for all.
    pub case_type: String,
    /// Case status code, empty for all.
    pub status: String,
    /// Unit id, empty for all.
    pub unit: String,
    /// First day (ISO `YYYY-MM-DD`), empty for none.
    pub from: String,
    /// Last day (ISO), empty for none.
    pub to: String,
    /// Page size.
    pub limit: Option<i64>,
    /// Cursor from the previous page.
    pub after: String,
}

/// A piece of a snippet; `hit` pieces are shown marked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct SnippetPart {
    /// Plain text (escape it when rendering).
    pub text: String,
    /// Part of a matched term.
    pub hit: bool,
}

/// One result.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchItem {
    /// `contact`, `case` or `person`.
    pub kind: String,
    /// The record.
    pub id: Uuid,
    /// Its case.
    pub case_id: Uuid,
    /// Case number.
    pub case_number: String,
    /// Client's name, or the case number for a sensitive case the viewer may not identify.
    pub client: String,
    /// Case status code.
    pub status: String,
    /// The record's date.
    pub date: chrono::DateTime<chrono::Utc>,
    /// Text around the first hit.
    pub snippet: Vec<SnippetPart>,
}

/// A page of results.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SearchResults {
    /// Results, best first.
    pub items: Vec<SearchItem>,
    /// Results in all (at most 1000).
    pub total: i64,
    /// There are more than `total`.
    pub more: bool,
    /// The query was cut to its first 256 characters or 16 terms.
    pub truncated: bool,
    /// Cursor for the next page, when there is one.
    pub next: Option<String>,
}

fn date(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<NaiveDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| errors.push(FieldError::new(field, "search.date")))
        .ok()
}

fn opt(raw: &str) -> Option<String> {
    let raw = raw.trim();
    (!raw.is_empty()).then(|| raw.to_string())
}

/// The filters and paging of a request, or every field error.
fn parse_request(r: &SearchRequest) -> Result<(SearchFilter, i64, i64), AppError> {
    let mut errors = Vec::new();
    let from = date("from", &r.from, &mut errors);
    let to = date("to", &r.to, &mut errors);
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            errors.push(FieldError::new("to", "search.range"));
        }
    }
    let unit_id = opt(&r.unit).and_then(|u| {
        Uuid::parse_str(&u)
            .map_err(|_| errors.push(FieldError::new("unit", "search.unit")))
            .ok()
    });
    let entity_type = opt(&r.kind);
    if entity_type.as_deref().is_some_and(|k| !KINDS.contains(&k)) {
        errors.push(FieldError::new("type", "search.kind"));
    }
    let limit = r.limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=100).contains(&limit) {
        errors.push(FieldError::new("limit", "search.limit"));
    }
    let offset = match opt(&r.after) {
        None => 0,
        Some(a) => a
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=store::COUNT_CAP).contains(n))
            .unwrap_or_else(|| {
                errors.push(FieldError::new("after", "search.cursor"));
                0
            }),
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let filter = SearchFilter {
        case_type: opt(&r.case_type),
        status: opt(&r.status),
        unit_id,
        from,
        to,
        entity_type,
    };
    Ok((filter, limit, offset))
}

impl App {
    /// Whether the user may search at all (the page checks before showing its form).
    pub async fn may_search(&self, user: &CurrentUser, ctx: &Ctx) -> Result<(), AppError> {
        self.authorize(user, ctx, Action::ListCases, "search", ("search", None))
            .await
    }

    /// Searches the cases the user may open; an empty query (or one with no word in it) is a
    /// field error on `q`.
    pub async fn search(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        r: &SearchRequest,
    ) -> Result<SearchResults, AppError> {
        self.may_search(user, ctx).await?;
        let parsed = parse_query(&r.q);
        let checked = parse_request(r);
        let (filter, limit, offset) = match (parsed.is_empty(), checked) {
            (false, Ok(ok)) => ok,
            (empty, Err(AppError::Invalid(mut e))) => {
                if empty {
                    e.insert(0, FieldError::new("q", "search.empty"));
                }
                return Err(AppError::Invalid(e));
            }
            (true, _) => return Err(AppError::field("q", "search.empty")),
            (false, Err(e)) => return Err(e),
        };
        let supervisor = user.role() == Role::Supervisor;
        let scope = Scope {
            org_id: user.actor.org_id,
            actor_id: user.actor.id,
            supervisor_unit: if supervisor { user.actor.unit_id } else { None },
        };
        let page = store::search(&self.db, scope, &parsed, &filter, limit, offset).await?;
        let items = page
            .hits
            .into_iter()
            .map(|h| {
                let visible = !h.sensitive
                    || h.manager_id == user.actor.id
                    || (supervisor && user.actor.unit_id == Some(h.unit_id));
                let client = if visible {
                    karuna_domain::person::display_name(
                        h.client
                            .prefix
                            .as_deref()
                            .and_then(karuna_thai::names::prefix_by_code)
                            .map(|p| p.th_abbr),
                        h.client.first_th.as_deref(),
                        h.client.last_th.as_deref(),
                        h.client.first_latin.as_deref(),
                        h.client.last_latin.as_deref(),
                        h.client.nickname.as_deref(),
                    )
                } else {
                    masked_name(&h.case_number)
                };
                let snippet = snippet(&h.text, &parsed.terms, SNIPPET_CHARS)
                    .into_iter()
                    .map(|p| SnippetPart {
                        text: p.text,
                        hit: p.hit,
                    })
                    .collect();
                SearchItem {
                    kind: h.entity_type,
                    id: h.entity_id,
                    case_id: h.case_id,
                    case_number: h.case_number,
                    client,
                    status: h.case_status,
                    date: karuna_store::time::from_db(&h.doc_date).unwrap_or_default(),
                    snippet,
                }
            })
            .collect::<Vec<_>>();
        let shown = offset + items.len() as i64;
        let next = (items.len() as i64 == limit && (shown < page.total || page.more))
            .then(|| shown.to_string());
        let mut e = on(
            event(Some(user), ctx, "search", Outcome::Success),
            "search",
            None,
        );
        e.reason = Some(format!(
            "query_chars={} terms={} results={}",
            r.q.chars().count(),
            parsed.terms.len(),
            page.total
        ));
        audit::append_alone(&self.db, &e).await?;
        Ok(SearchResults {
            items,
            total: page.total,
            more: page.more,
            truncated: parsed.truncated,
            next,
        })
    }
}
