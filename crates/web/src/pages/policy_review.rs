//! Policy reviews in the browser: the list (`/reports/policy`: the review cycle and when the
//! next review falls due, the reviews, every action not yet done, and, for a supervisor, the
//! forms that start a review and set the cycle) and one review (`/reports/policy/{id}`: its
//! measures area by area beside the previous review's, its findings, decisions and actions,
//! each action's progress, and the forms to add items, recompute the measures and conclude).

use super::cases::{choices, label};
use super::dashboard::period_name;
use super::intake::Pairs;
use super::users::Choice;
use super::{refusal, render, Chrome, ErrorLink, FormState, SavedQuery};
use crate::api::extract::Path;
use crate::auth::{PageUser, WebForm};
use crate::error::WebError;
use crate::i18n::Tr;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::policy_review::{action_status, PolicyReview};
use karuna_app::AppError;
use karuna_domain::access::Role;
use karuna_domain::policy_review::{
    unit_of, ActionStatus, ActionUpdateInput, ConcludeInput, CycleInput, ItemKind, Measure,
    NewItemInput, NewReviewInput, Status, Unit, AREAS, CYCLE_MONTHS,
};
use karuna_domain::report::period::Period;
use karuna_store::policy_review::ItemRow;
use karuna_thai::calendar::{self, fiscal_year_be};
use uuid::Uuid;

struct ReviewLine {
    id: Uuid,
    title: String,
    period: String,
    status: String,
    concluded: bool,
    open_actions: i64,
}

/// An action as shown, with what its reader may do with it.
struct ActionLine {
    id: Uuid,
    review_id: Uuid,
    review_title: String,
    area: String,
    text: String,
    owner: String,
    due: String,
    overdue: bool,
    status: String,
    status_code: String,
    note: String,
    updated: String,
    version: i64,
    may_track: bool,
    note_error: Option<String>,
}

#[derive(Template)]
#[template(path = "policy_list.html")]
struct ListPage {
    c: Chrome,
    cycle: String,
    next_due: Option<String>,
    overdue: bool,
    reviews: Vec<ReviewLine>,
    actions: Vec<ActionLine>,
    manages: bool,
    periods: Vec<Choice>,
    cycles: Vec<Choice>,
    cycle_months: String,
    form: FormState,
    summary: Vec<ErrorLink>,
    flash: Option<String>,
}

/// One measure's line: what, on how many, now, before, and the change.
pub(crate) struct MeasureLine {
    pub name: String,
    pub base: String,
    pub value: String,
    pub previous: String,
    pub change: String,
}

/// An area of the policy with its measures.
pub(crate) struct AreaBlock {
    pub key: String,
    pub name: String,
    pub measures: Vec<MeasureLine>,
}

struct ItemLine {
    area: String,
    text: String,
}

/// The findings or the decisions.
struct ItemSection {
    /// Catalogue key of the heading, also the list's id.
    key: &'static str,
    lines: Vec<ItemLine>,
}

/// A select of the form that adds an item.
struct FieldSelect {
    field: &'static str,
    key: &'static str,
    choices: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "policy_review.html")]
struct ReviewPage {
    c: Chrome,
    id: Uuid,
    title: String,
    period: String,
    status: String,
    open: bool,
    started: String,
    concluded: Option<String>,
    summary_text: Option<String>,
    measured: String,
    previous: Option<(Uuid, String)>,
    areas: Vec<AreaBlock>,
    sections: Vec<ItemSection>,
    actions: Vec<ActionLine>,
    version: i64,
    manages: bool,
    selects: Vec<FieldSelect>,
    owners: Vec<Choice>,
    statuses: Vec<Choice>,
    form: FormState,
    summary: Vec<ErrorLink>,
    flash: Option<String>,
}

fn manages(u: &PageUser) -> bool {
    u.user.role() == Role::Supervisor
}

fn review_id(u: &PageUser, id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| u.err(AppError::NotFound))
}

pub(crate) fn period_label(t: &Tr, code: &str) -> String {
    Period::parse(code)
        .map(|p| period_name(t, p))
        .unwrap_or_else(|| code.to_string())
}

/// A measure's value in words: days or a percentage, or "too few" when suppressed.
fn value_text(t: &Tr, key: &str, value: Option<i64>) -> String {
    match (value, unit_of(key)) {
        (Some(d), Some(Unit::Days)) => t.get1("dash-days", "n", &d.to_string()),
        (Some(p), _) => format!("{p}%"),
        (None, _) => t.get("dash-too-few"),
    }
}

fn change_text(t: &Tr, key: &str, now: Option<i64>, before: Option<i64>) -> String {
    let (Some(a), Some(b)) = (now, before) else {
        return String::new();
    };
    let d = a - b;
    let n = if d > 0 {
        format!("+{d}")
    } else {
        d.to_string()
    };
    match unit_of(key) {
        Some(Unit::Days) => t.get1("policy-change-days", "n", &n),
        _ => t.get1("policy-change-points", "n", &n),
    }
}

pub(crate) fn areas(t: &Tr, measures: &[Measure], previous: Option<&[Measure]>) -> Vec<AreaBlock> {
    AREAS
        .iter()
        .map(|area| AreaBlock {
            key: area.to_string(),
            name: t.code("policy-area", area),
            measures: measures
                .iter()
                .filter(|m| m.area == *area)
                .map(|m| {
                    let before = previous
                        .and_then(|p| p.iter().find(|x| x.key == m.key))
                        .map(|x| x.value);
                    MeasureLine {
                        name: t.code("policy-measure", &m.key),
                        base: m.base.text(),
                        value: value_text(t, &m.key, m.value),
                        previous: match before {
                            Some(v) => value_text(t, &m.key, v),
                            None => String::new(),
                        },
                        change: change_text(t, &m.key, m.value, before.flatten()),
                    }
                })
                .collect(),
        })
        .collect()
}

fn action_line(u: &PageUser, i: ItemRow, failed: Option<(Uuid, &FormState)>) -> ActionLine {
    let today = calendar::bangkok_date(karuna_store::time::now());
    let status = action_status(&i).unwrap_or(ActionStatus::Open);
    let may_track = manages(u) || i.owner_id == Some(u.user.actor.id);
    let note_error = failed
        .filter(|(id, _)| *id == i.id)
        .and_then(|(_, f)| f.error("note").map(str::to_string));
    ActionLine {
        id: i.id,
        review_id: i.review_id,
        review_title: i.review_title,
        area: label(u, "policy-area", &i.area),
        text: i.text,
        owner: i.owner_name.unwrap_or_default(),
        due: i.due_on.map(|d| u.tr.date(&d)).unwrap_or_default(),
        overdue: !status.is_final() && i.due_on.is_some_and(|d| d < today),
        status: label(u, "policy-action-status", status.code()),
        status_code: status.code().to_string(),
        note: i.note.unwrap_or_default(),
        updated: u.tr.args(
            "policy-updated-by",
            &[
                ("name", i.updated_by_name),
                ("date", u.tr.date(&calendar::bangkok_date(i.updated_at))),
            ],
        ),
        version: i.version,
        may_track,
        note_error,
    }
}

async fn list_page(
    state: &AppState,
    u: &PageUser,
    form: Option<FormState>,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let o = state
        .app
        .policy_overview(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let today = calendar::bangkok_date(karuna_store::time::now());
    let last_fy = Period::FiscalYear(fiscal_year_be(today) - 1);
    let form = form.unwrap_or_else(|| {
        FormState::with(&[
            (
                "title",
                u.tr.get1(
                    "policy-default-title",
                    "period",
                    &period_name(&u.tr, last_fy),
                ),
            ),
            ("period", last_fy.code()),
        ])
    });
    let summary = form.summary_by_name(
        &u.tr,
        &[
            ("title", "policy-field-title"),
            ("period", "dash-period"),
            ("months", "policy-cycle"),
        ],
    );
    let page = ListPage {
        c: Chrome::for_user(u, "/reports/policy"),
        cycle: u
            .tr
            .get1("policy-cycle-months", "n", &o.cycle_months.to_string()),
        next_due: o.next_due.map(|d| u.tr.date(&d)),
        overdue: o.overdue,
        reviews: o
            .reviews
            .into_iter()
            .map(|r| ReviewLine {
                id: r.id,
                period: period_label(&u.tr, &r.period),
                status: label(u, "policy-status", &r.status),
                concluded: r.status == Status::Concluded.code(),
                open_actions: r.open_actions,
                title: r.title,
            })
            .collect(),
        actions: o
            .open_actions
            .into_iter()
            .map(|i| action_line(u, i, None))
            .collect(),
        manages: manages(u),
        periods: Period::choices(today)
            .into_iter()
            .map(|p| Choice {
                value: p.code(),
                label: period_name(&u.tr, p),
            })
            .collect(),
        cycles: CYCLE_MONTHS
            .iter()
            .map(|m| Choice {
                value: m.to_string(),
                label: u.tr.get1("policy-cycle-months", "n", &m.to_string()),
            })
            .collect(),
        cycle_months: o.cycle_months.to_string(),
        form,
        summary,
        flash,
    };
    Ok(render(status, &page))
}

/// `GET /reports/policy`.
pub async fn list(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let flash = q
        .saved
        .filter(|s| s == "cycle")
        .map(|_| u.tr.get("policy-saved-cycle"));
    list_page(&state, &u, None, flash, StatusCode::OK).await
}

/// `POST /reports/policy`: starts a review.
pub async fn create(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = NewReviewInput {
        title: p.get("title"),
        period: p.get("period"),
    };
    match state
        .app
        .create_policy_review(&u.user, &u.ctx, &input)
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/reports/policy/{id}")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Refused(_))) => {
            let (status, fields) = refusal(&u, e);
            let form = FormState::from_pairs(&p.0).errors(fields);
            list_page(&state, &u, Some(form), None, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /reports/policy-cycle`: sets the months between reviews.
pub async fn set_cycle(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = CycleInput {
        months: p.get("months").trim().parse().unwrap_or(0),
    };
    match state.app.set_policy_cycle(&u.user, &u.ctx, &input).await {
        Ok(()) => Ok(Redirect::to("/reports/policy?saved=cycle").into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let (status, fields) = refusal(&u, e);
            let form = FormState::from_pairs(&p.0).errors(fields);
            list_page(&state, &u, Some(form), None, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

async fn review_page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    form: Option<FormState>,
    failed_action: Option<Uuid>,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let r: PolicyReview = state
        .app
        .policy_review(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let open = r.status == Status::Open;
    let owners = if manages(u) && open {
        state
            .app
            .policy_owner_choices(&u.user, &u.ctx)
            .await
            .map_err(|e| u.err(e))?
            .into_iter()
            .map(|s| Choice {
                value: s.id.to_string(),
                label: s.display_name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let form = form.unwrap_or_default();
    let summary = form.summary(|name| {
        let (id, key) = match name {
            "kind" => ("item-kind", "policy-item-kind"),
            "area" => ("item-area", "policy-area"),
            "text" => ("item-text", "policy-item-text"),
            "owner_id" => ("item-owner", "policy-owner"),
            "due" => ("item-due", "policy-due"),
            "summary" => ("conclude-summary", "policy-summary"),
            "note" => {
                return failed_action.map(|a| (format!("note-{a}"), u.tr.get("policy-note")));
            }
            _ => return None,
        };
        Some((id.to_string(), u.tr.get(key)))
    });
    let mut findings = Vec::new();
    let mut decisions = Vec::new();
    let mut actions = Vec::new();
    for i in r.items {
        match ItemKind::from_code(&i.kind) {
            Some(ItemKind::Action) => {
                actions.push(action_line(u, i, failed_action.map(|a| (a, &form))))
            }
            kind => {
                let line = ItemLine {
                    area: label(u, "policy-area", &i.area),
                    text: i.text,
                };
                if kind == Some(ItemKind::Decision) {
                    decisions.push(line);
                } else {
                    findings.push(line);
                }
            }
        }
    }
    let page = ReviewPage {
        c: Chrome::for_user(u, "/reports/policy"),
        id,
        period: period_label(&u.tr, &r.row.period),
        status: label(u, "policy-status", &r.row.status),
        open,
        started: u.tr.args(
            "policy-started-by",
            &[
                ("name", r.row.created_by_name.clone()),
                ("date", u.tr.date(&calendar::bangkok_date(r.row.created_at))),
            ],
        ),
        concluded: r.row.concluded_at.map(|at| {
            u.tr.args(
                "policy-concluded-by",
                &[
                    ("name", r.row.concluded_by_name.clone().unwrap_or_default()),
                    ("date", u.tr.date(&calendar::bangkok_date(at))),
                ],
            )
        }),
        summary_text: r.row.summary.clone(),
        measured: u.tr.get1(
            "policy-measured-at",
            "date",
            &u.tr.datetime(&r.row.measured_at),
        ),
        previous: r.previous.as_ref().map(|(p, _)| {
            (
                p.id,
                format!("{} ({})", p.title, period_label(&u.tr, &p.period)),
            )
        }),
        areas: areas(
            &u.tr,
            &r.measures,
            r.previous.as_ref().map(|(_, m)| m.as_slice()),
        ),
        sections: vec![
            ItemSection {
                key: "policy-findings",
                lines: findings,
            },
            ItemSection {
                key: "policy-decisions",
                lines: decisions,
            },
        ],
        actions,
        version: r.row.version,
        manages: manages(u),
        selects: vec![
            FieldSelect {
                field: "kind",
                key: "policy-item-kind",
                choices: choices(u, "policy-item-kind", &ItemKind::ALL.map(ItemKind::code)),
            },
            FieldSelect {
                field: "area",
                key: "policy-area",
                choices: choices(u, "policy-area", &AREAS),
            },
        ],
        owners,
        statuses: choices(
            u,
            "policy-action-status",
            &ActionStatus::ALL.map(ActionStatus::code),
        ),
        form,
        summary,
        flash,
        title: r.row.title,
    };
    Ok(render(status, &page))
}

/// `GET /reports/policy/{id}`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let id = review_id(&u, &id)?;
    let flash = q
        .saved
        .filter(|s| ["item", "refresh", "conclude", "action"].contains(&s.as_str()))
        .map(|s| label(&u, "policy-saved", &s));
    review_page(&state, &u, id, None, None, flash, StatusCode::OK).await
}

/// Re-renders the review after a refused form, or fails.
async fn refused(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    p: &Pairs,
    failed_action: Option<Uuid>,
    e: AppError,
) -> Result<Response, WebError> {
    match e {
        e @ (AppError::Invalid(_) | AppError::Conflict | AppError::Refused(_)) => {
            let (status, fields) = refusal(u, e);
            let form = FormState::from_pairs(&p.0).errors(fields);
            review_page(state, u, id, Some(form), failed_action, None, status).await
        }
        e => Err(u.err(e)),
    }
}

/// `POST /reports/policy/{id}/items`: adds a finding, a decision or an action.
pub async fn add_item(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = review_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = NewItemInput {
        kind: p.get("kind"),
        area: p.get("area"),
        text: p.get("text"),
        owner_id: p.get("owner_id"),
        due: p.get("due"),
    };
    match state.app.add_policy_item(&u.user, &u.ctx, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/reports/policy/{id}?saved=item")).into_response()),
        Err(e) => refused(&state, &u, id, &p, None, e).await,
    }
}

/// `POST /reports/policy/{id}/refresh`: recomputes the measures.
pub async fn refresh(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = review_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let version = p.get("version").trim().parse().unwrap_or(0);
    match state
        .app
        .refresh_policy_measures(&u.user, &u.ctx, id, version)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/reports/policy/{id}?saved=refresh")).into_response()),
        Err(e) => refused(&state, &u, id, &p, None, e).await,
    }
}

/// `POST /reports/policy/{id}/conclude`: concludes the review with its summary.
pub async fn conclude(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = review_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = ConcludeInput {
        version: p.get("version").trim().parse().unwrap_or(0),
        summary: p.get("summary"),
    };
    match state
        .app
        .conclude_policy_review(&u.user, &u.ctx, id, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/reports/policy/{id}?saved=conclude")).into_response()),
        Err(e) => refused(&state, &u, id, &p, None, e).await,
    }
}

/// `POST /reports/policy-actions/{id}`: records an action's progress, then shows its review.
pub async fn update_action(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let item = review_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = ActionUpdateInput {
        version: p.get("version").trim().parse().unwrap_or(0),
        status: p.get("status"),
        note: p.get("note"),
    };
    match state
        .app
        .update_policy_action(&u.user, &u.ctx, item, &input)
        .await
    {
        Ok((review, _)) => Ok(Redirect::to(&format!(
            "/reports/policy/{review}?saved=action#action-{item}"
        ))
        .into_response()),
        // A refused update is shown on the review the form came from.
        Err(e) => match Uuid::parse_str(p.get("review").trim()) {
            Ok(review) => refused(&state, &u, review, &p, Some(item), e).await,
            Err(_) => Err(u.err(e)),
        },
    }
}

/// `GET /reports/policy/{id}/review.pdf`: the review as it stands, as a PDF.
pub async fn pdf(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = review_id(&u, &id)?;
    let r = state
        .app
        .policy_review_export(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let doc = super::policy_pdf::document(&u.tr, &r, &u.user.display_name);
    super::pdf::respond(doc, "karuna-policy-review.pdf", |e| u.err(e)).await
}
