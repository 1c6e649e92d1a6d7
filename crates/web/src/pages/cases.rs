//! Case lists (the case file is in `case_file`).

use super::table_export::{Cell, Download, Table};
use super::users::Choice;
use super::{render, Chrome, FormState};
use crate::api::cases::{cursor, CaseQuery};
use crate::auth::PageUser;
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use karuna_domain::case::Status;
use karuna_domain::case_type::CaseType;
use serde::Deserialize;
use uuid::Uuid;

/// A label for a code: `<prefix>-<code with dashes>`.
pub fn label(u: &PageUser, prefix: &str, code: &str) -> String {
    u.tr.code(prefix, code)
}

/// A case type's label: the organisation's own wording when it set one, else the catalogue's.
pub(crate) fn case_type_label(u: &PageUser, types: &[CaseType], code: &str) -> String {
    case_type_label_in(&u.tr, types, code)
}

/// [`case_type_label`] in `t`'s language, for a document without a page.
pub(crate) fn case_type_label_in(t: &crate::i18n::Tr, types: &[CaseType], code: &str) -> String {
    match types.iter().find(|x| x.code == code) {
        Some(x) => match x.configured_label(t.lang_code()) {
            Some(l) => l.to_string(),
            None if x.built_in => t.code("case-type", code),
            None => code.to_string(),
        },
        None => code.to_string(),
    }
}

/// The case types offered as choices: the active ones (or all, for filters over older cases).
pub(crate) fn case_type_choices(
    u: &PageUser,
    types: &[CaseType],
    only_active: bool,
) -> Vec<Choice> {
    types
        .iter()
        .filter(|t| t.active || !only_active)
        .map(|t| Choice {
            value: t.code.clone(),
            label: case_type_label(u, types, &t.code),
        })
        .collect()
}

pub(crate) fn choices(u: &PageUser, prefix: &str, codes: &[&str]) -> Vec<Choice> {
    codes
        .iter()
        .map(|c| Choice {
            value: c.to_string(),
            label: label(u, prefix, c),
        })
        .collect()
}

struct ListRow {
    id: Uuid,
    number: String,
    client: String,
    status: String,
    urgency: String,
    urgency_code: String,
    types: String,
    manager: String,
    sensitive: bool,
    overdue: i64,
    perpetrator: bool,
    updated: String,
}

#[derive(Template)]
#[template(path = "cases_list.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<ListRow>,
    filter: FormState,
    statuses: Vec<Choice>,
    types: Vec<Choice>,
    urgencies: Vec<Choice>,
    next: Option<String>,
    /// The filters as a query string, for the downloads.
    export_query: String,
    can_create: bool,
    /// For supervisors: how many cases await their approval (the filter's count).
    awaiting_count: Option<i64>,
    /// A confirmation to show (a case just handed over to someone else).
    flash: Option<String>,
}

/// The list's confirmation flags (post/redirect/get).
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct ListFlash {
    transferred: Option<String>,
}

/// `GET /cases`.
pub async fn list(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<CaseQuery>,
    Query(flash): Query<ListFlash>,
) -> Result<Response, WebError> {
    const PAGE: i64 = 50;
    let f = q.filter();
    let mut items = state
        .app
        .list_cases(&u.user, &u.ctx, &f, PAGE + 1)
        .await
        .map_err(|e| u.err(e))?;
    let more = items.len() as i64 > PAGE;
    items.truncate(PAGE as usize);
    let case_types = state
        .app
        .case_types(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let filter = FormState::with(&[
        ("mine", if q.mine { "true".into() } else { String::new() }),
        ("status", q.status.clone().unwrap_or_default()),
        ("case_type", q.case_type.clone().unwrap_or_default()),
        ("urgency", q.urgency.clone().unwrap_or_default()),
        (
            "overdue",
            if q.overdue {
                "true".into()
            } else {
                String::new()
            },
        ),
        ("sort", f.sort.clone()),
        (
            "awaiting",
            if f.awaiting_approval {
                "approval".into()
            } else {
                String::new()
            },
        ),
    ]);
    let next = if more {
        items.last().map(|i| {
            let params = [
                ("mine", filter.value("mine")),
                ("status", filter.value("status")),
                ("case_type", filter.value("case_type")),
                ("urgency", filter.value("urgency")),
                ("overdue", filter.value("overdue")),
                ("awaiting", filter.value("awaiting")),
                ("sort", filter.value("sort")),
            ];
            let mut qs: Vec<(String, String)> = params
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            qs.push(("after".into(), cursor(i, &f.sort)));
            format!(
                "/cases?{}",
                serde_urlencoded::to_string(&qs).unwrap_or_default()
            )
        })
    } else {
        None
    };
    let export_query = serde_urlencoded::to_string(
        [
            ("mine", filter.value("mine")),
            ("status", filter.value("status")),
            ("case_type", filter.value("case_type")),
            ("urgency", filter.value("urgency")),
            ("overdue", filter.value("overdue")),
            ("awaiting", filter.value("awaiting")),
            ("sort", filter.value("sort")),
        ]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    let rows = items
        .into_iter()
        .map(|i| ListRow {
            id: i.id,
            number: i.number,
            client: i.client,
            status: label(&u, "status", &i.status),
            urgency: label(&u, "urgency", &i.urgency),
            urgency_code: i.urgency,
            types: i
                .case_types
                .iter()
                .map(|t| case_type_label(&u, &case_types, t))
                .collect::<Vec<_>>()
                .join(", "),
            manager: i.manager,
            sensitive: i.sensitive,
            overdue: i.overdue_promises,
            perpetrator: i.alleged_perpetrator,
            updated: u.tr.datetime(&i.updated_at),
        })
        .collect();
    let can_create = karuna_app::case::allowed(&u.user, karuna_domain::access::Action::CreateCase);
    let page = ListPage {
        c: Chrome::for_user(&u, "/cases"),
        rows,
        statuses: Status::ALL
            .iter()
            .map(|s| Choice {
                value: s.code().into(),
                label: label(&u, "status", s.code()),
            })
            .collect(),
        types: case_type_choices(&u, &case_types, false),
        urgencies: ["emergency", "urgent", "routine"]
            .iter()
            .map(|x| Choice {
                value: x.to_string(),
                label: label(&u, "urgency", x),
            })
            .collect(),
        filter,
        next,
        export_query,
        can_create,
        awaiting_count: state
            .app
            .awaiting_count(&u.user)
            .await
            .map_err(|e| u.err(e))?,
        flash: flash.transferred.map(|_| u.tr.get("case-transferred-away")),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `GET /cases.csv?…`: the case list under the same filters, from its start, as CSV.
pub async fn export_csv(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<CaseQuery>,
) -> Result<Response, WebError> {
    export(&state, &u, q, Download::Csv).await
}

/// `GET /cases.xlsx?…`: the same as XLSX.
pub async fn export_xlsx(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<CaseQuery>,
) -> Result<Response, WebError> {
    export(&state, &u, q, Download::Xlsx).await
}

/// The list's columns as shown (clients masked as on the page), every case the filters
/// match, at most `LIST_EXPORT_MAX` (more is refused: narrow the filters).
async fn export(
    state: &AppState,
    u: &PageUser,
    q: CaseQuery,
    kind: Download,
) -> Result<Response, WebError> {
    let mut f = q.filter();
    f.after = None;
    let items = state
        .app
        .export_case_list(&u.user, &u.ctx, &f)
        .await
        .map_err(|e| u.err(e))?;
    let types = state
        .app
        .case_types(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let col = |key: &str, width: f64| (u.tr.get(key), width);
    let table = Table {
        file: "karuna-cases",
        sheet: u.tr.get("nav-cases"),
        head: vec![
            col("case-number", 18.0),
            col("case-client", 30.0),
            col("case-status", 16.0),
            col("case-urgency", 12.0),
            col("case-type", 30.0),
            col("case-manager", 24.0),
            col("cases-overdue-promises", 12.0),
            col("cases-updated", 20.0),
        ],
        rows: items
            .into_iter()
            .map(|i| {
                vec![
                    Cell::Text(i.number),
                    Cell::Text(i.client),
                    Cell::Text(label(u, "status", &i.status)),
                    Cell::Text(label(u, "urgency", &i.urgency)),
                    Cell::Text(
                        i.case_types
                            .iter()
                            .map(|t| case_type_label(u, &types, t))
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Cell::Text(i.manager),
                    Cell::Number(i.overdue_promises as f64),
                    Cell::Text(u.tr.datetime(&i.updated_at)),
                ]
            })
            .collect(),
    };
    super::table_export::respond(u, &table, kind)
}
