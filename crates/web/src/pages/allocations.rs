//! Requests for an allocation in the browser: a case's requests with the form that asks for
//! one (`/cases/{id}/allocations`), a request's page with its eligibility check explained,
//! the decision within authority, payments with their receipts and their reversal, closing it,
//! and its history
//! (`/allocations/{id}`), and a gatekeeper's queue with the waiting lists (`/allocations`).

use super::attachments::{read_upload, FileBox};
use super::case_header::CaseHeader;
use super::cases::label;
use super::intake::Pairs;
use super::plan::case_id;
use super::programmes::{amount, explain, fiscal_year, ResultLineView};
use super::table_export::{Cell, Download, Table};
use super::users::Choice;
use super::{refusal, render, Chrome, ErrorLink, FormState, SavedQuery};
use crate::auth::{PageUser, WebForm};
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::attachment::AttachTarget;
use karuna_app::budget::{DisbursementInput, METHODS};
use karuna_app::case::CaseAccess;
use karuna_app::AppError;
use karuna_domain::gatekeeping::{DecisionInput, RequestInput};
use karuna_store::attachment::AttachedTo;
use karuna_store::gatekeeping::RequestRow;
use uuid::Uuid;

/// A request as a list line shows it.
struct Line {
    id: Uuid,
    case_number: String,
    programme: String,
    amount: String,
    eligibility: String,
    eligibility_code: String,
    status: String,
    status_code: String,
    created: String,
    place: Option<usize>,
    urgency: String,
}

fn line(u: &PageUser, r: &RequestRow, place: Option<usize>) -> Line {
    Line {
        id: r.id,
        case_number: r.case_number.clone(),
        programme: match (&r.programme_name_en, u.tr.lang_code()) {
            (Some(n), "en") => n.clone(),
            _ => r.programme_name_th.clone(),
        },
        amount: amount(u, &r.unit, r.amount),
        eligibility: label(u, "gk-result", &r.eligibility),
        eligibility_code: r.eligibility.clone(),
        status: label(u, "gk-request-status", &r.status),
        status_code: r.status.clone(),
        created: u.tr.datetime(&r.created_at),
        place,
        urgency: label(u, "urgency", &r.urgency),
    }
}

/// What the client was granted in one case from one programme, as the page shows it.
struct SpendingView {
    case_id: Uuid,
    case_number: String,
    this_case: bool,
    programme: String,
    requests: i64,
    approved: String,
    disbursed: String,
}

#[derive(Template)]
#[template(path = "case_allocations.html")]
struct CasePage {
    c: Chrome,
    id: Uuid,
    number: String,
    head: CaseHeader,
    lines: Vec<Line>,
    spending: Vec<SpendingView>,
    paid_total: String,
    across: bool,
    programmes: Vec<Choice>,
    goals: Vec<Choice>,
    open: bool,
    form: FormState,
    summary: Vec<ErrorLink>,
    flash: Option<String>,
}

async fn case_page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    form: FormState,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let app = &state.app;
    let view = app
        .open_case(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let rows = app
        .case_allocations(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let granted = app
        .client_spending(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let lang = u.tr.lang_code();
    let spending = granted
        .iter()
        .map(|l| SpendingView {
            case_id: l.case_id,
            case_number: l.case_number.clone(),
            this_case: l.this_case,
            programme: match (&l.programme_name_en, lang) {
                (Some(n), "en") => n.clone(),
                _ => l.programme_name_th.clone(),
            },
            requests: l.requests,
            approved: amount(u, &l.unit, l.approved),
            disbursed: if l.unit == "baht" {
                amount(u, "baht", l.disbursed)
            } else {
                String::new()
            },
        })
        .collect();
    let paid_total = amount(u, "baht", granted.iter().map(|l| l.disbursed).sum());
    let across = granted.iter().any(|l| !l.this_case);
    let programmes = app
        .programmes(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?
        .into_iter()
        .filter(|p| p.status == "active")
        .map(|p| Choice {
            value: p.id.to_string(),
            label: format!("{} ({})", p.name(lang), label(u, "gk-unit", &p.unit)),
        })
        .collect();
    let goals = karuna_store::plan::versions(&app.db, id)
        .await
        .map_err(|e| u.err(AppError::Store(e)))?
        .into_iter()
        .filter(|v| v.status == "active")
        .flat_map(|v| v.content.goals)
        .map(|g| Choice {
            value: g.id.to_string(),
            label: g.statement,
        })
        .collect();
    let summary = form.summary_by_name(
        &u.tr,
        &[
            ("programme_id", "gk-programme"),
            ("amount", "gk-amount"),
            ("goal_id", "gk-goal"),
            ("purpose", "gk-purpose"),
            ("justification", "gk-justification"),
        ],
    );
    let page = CasePage {
        c: Chrome::for_user(u, &format!("/cases/{id}/allocations")),
        id,
        number: view.case.number.clone(),
        open: view.case.status != "closed",
        head: CaseHeader::new(u, &view, "allocations"),
        lines: rows.iter().map(|r| line(u, r, None)).collect(),
        spending,
        paid_total,
        across,
        programmes,
        goals,
        form,
        summary,
        flash,
    };
    Ok(render(status, &page))
}

/// `GET /cases/{id}/allocations`.
pub async fn case_allocations(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let flash = q.saved.map(|_| u.tr.get("gk-saved"));
    case_page(&state, &u, id, FormState::default(), flash, StatusCode::OK).await
}

/// `POST /cases/{id}/allocations`: a request (its eligibility check runs now).
pub async fn create(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    state
        .app
        .check_case(&u.user, &u.ctx, id, CaseAccess::Edit, "allocation.create")
        .await
        .map_err(|e| u.err(e))?;
    let input = RequestInput {
        programme_id: p.get("programme_id"),
        amount: p.get("amount"),
        goal_id: p.get("goal_id"),
        purpose: p.get("purpose"),
        justification: p.get("justification"),
    };
    match state
        .app
        .request_allocation(&u.user, &u.ctx, id, &input)
        .await
    {
        Ok(r) => Ok(Redirect::to(&format!("/allocations/{r}?saved=1")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Refused(_))) => {
            let (status, fields) = refusal(&u, e);
            let form = FormState::from_pairs(&p.0).errors(fields);
            case_page(&state, &u, id, form, None, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// A payment or its reversal, with the payment's receipts and the form that keeps one.
struct PaymentLine {
    id: Uuid,
    day: String,
    amount: String,
    how: String,
    note: String,
    payment: bool,
    reversed: bool,
    receipts: FileBox,
}

#[derive(Template)]
#[template(path = "allocation.html")]
struct RequestPage {
    c: Chrome,
    r: RequestRow,
    programme: String,
    amount: String,
    disbursed: String,
    left: String,
    status: String,
    eligibility: String,
    eligibility_code: String,
    needs: String,
    year: String,
    results: Vec<ResultLineView>,
    documents: Vec<String>,
    can_decide: bool,
    money: bool,
    history: Vec<(String, String, String, String)>,
    payments: Vec<PaymentLine>,
    can_edit: bool,
    methods: Vec<Choice>,
    failed: Option<(&'static str, FormState)>,
    flash: Option<String>,
}

impl RequestPage {
    /// The failed form of `which`, if it is the one that failed.
    fn form(&self, which: &str) -> FormState {
        match &self.failed {
            Some((w, f)) if *w == which => f.clone(),
            _ => FormState::default(),
        }
    }

    /// The message of a form that failed as a whole.
    fn form_error(&self, which: &str) -> Option<String> {
        self.form(which).error("form").map(str::to_string)
    }
}

async fn request_page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    failed: Option<(&'static str, FormState)>,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let v = state
        .app
        .allocation(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let r = &v.request;
    let needs = match karuna_app::allocation::needed(r) {
        Some(l) => u.tr.get1("gk-needs-limit", "limit", &amount(u, &r.unit, l)),
        None => u.tr.get("gk-needs-committee"),
    };
    let page = RequestPage {
        c: Chrome::for_user(u, &format!("/allocations/{id}")),
        programme: match (&r.programme_name_en, u.tr.lang_code()) {
            (Some(n), "en") => n.clone(),
            _ => r.programme_name_th.clone(),
        },
        amount: amount(u, &r.unit, r.amount),
        disbursed: amount(u, &r.unit, r.disbursed),
        left: amount(u, &r.unit, r.amount - r.disbursed),
        status: label(u, "gk-request-status", &r.status),
        eligibility: label(u, "gk-result", &r.eligibility),
        eligibility_code: r.eligibility.clone(),
        needs,
        year: fiscal_year(u, r.fiscal_year),
        results: v.check.as_ref().map(|c| explain(u, c)).unwrap_or_default(),
        documents: v.documents.clone(),
        can_decide: v.can_decide,
        money: r.unit == "baht",
        history: v
            .events
            .iter()
            .map(|e| {
                (
                    u.tr.datetime(&e.at),
                    label(u, "gk-event", &e.kind),
                    e.reason.clone().unwrap_or_default(),
                    e.actor.clone().unwrap_or_default(),
                )
            })
            .collect(),
        payments: v
            .entries
            .iter()
            .filter(|e| matches!(e.kind.as_str(), "disbursement" | "reversal"))
            .map(|e| {
                let payment = e.kind == "disbursement";
                let files: Vec<_> = v
                    .receipts
                    .iter()
                    .filter(|f| f.to == AttachedTo::Payment(e.id))
                    .collect();
                let mut receipts = FileBox::new(
                    u,
                    format!("/budget-entries/{}/receipts", e.id),
                    format!("receipt-{}", e.id),
                    &files,
                    payment && v.can_edit,
                );
                if let Some(("receipt", f)) = &failed {
                    if f.value("entry") == e.id.to_string() {
                        receipts.form = f.clone();
                    }
                }
                PaymentLine {
                    id: e.id,
                    day: u.tr.date(&e.occurred_on),
                    amount: amount(u, "baht", e.amount),
                    how: format!(
                        "{}{}",
                        e.method
                            .as_deref()
                            .map(|m| label(u, "gk-method", m))
                            .unwrap_or_else(|| label(u, "gk-entry", &e.kind)),
                        e.receipt_ref
                            .as_deref()
                            .map(|x| format!(" · {x}"))
                            .unwrap_or_default()
                    ),
                    note: e.note.clone().unwrap_or_default(),
                    payment,
                    reversed: e.reversed,
                    receipts,
                }
            })
            .collect(),
        can_edit: v.can_edit,
        methods: METHODS
            .iter()
            .map(|m| Choice {
                value: m.to_string(),
                label: label(u, "gk-method", m),
            })
            .collect(),
        r: v.request.clone(),
        failed,
        flash,
    };
    Ok(render(status, &page))
}

/// `GET /allocations/{id}`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let flash = q.saved.map(|_| u.tr.get("gk-saved"));
    request_page(&state, &u, id, None, flash, StatusCode::OK).await
}

async fn after(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    which: &'static str,
    p: &Pairs,
    result: Result<(), AppError>,
) -> Result<Response, WebError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/allocations/{id}?saved=1")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Refused(_) | AppError::Conflict)) => {
            let (status, fields) = refusal(u, e);
            let status = if status == StatusCode::UNPROCESSABLE_ENTITY
                && fields.iter().any(|(f, _)| f == "form")
            {
                StatusCode::CONFLICT
            } else {
                status
            };
            let form = FormState::from_pairs(&p.0).errors(fields);
            request_page(state, u, id, Some((which, form)), None, status).await
        }
        Err(e @ AppError::Forbidden(karuna_domain::access::DenyReason::Authority)) => {
            let (_, fields) = refusal(u, e);
            let form = FormState::from_pairs(&p.0).errors(fields);
            request_page(
                state,
                u,
                id,
                Some((which, form)),
                None,
                StatusCode::FORBIDDEN,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /allocations/{id}/decision`: approve, decline or withdraw.
pub async fn decide(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = DecisionInput {
        decision: p.get("decision"),
        reason: p.get("reason"),
        override_reason: p.get("override_reason"),
        budget_override_reason: p.get("budget_override_reason"),
        version: p.get("version").parse().unwrap_or(0),
    };
    let which = if input.decision == "withdraw" {
        "withdraw"
    } else {
        "decide"
    };
    let r = state
        .app
        .decide_allocation(&u.user, &u.ctx, id, &input)
        .await
        .map(|_| ());
    after(&state, &u, id, which, &p, r).await
}

/// `POST /allocations/{id}/disbursements`: a payment.
pub async fn disburse(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = DisbursementInput {
        amount: p.get("amount"),
        paid_on: p.get("paid_on"),
        method: p.get("method"),
        receipt_ref: p.get("receipt_ref"),
        note: p.get("note"),
    };
    let r = state
        .app
        .disburse(&u.user, &u.ctx, id, &input)
        .await
        .map(|_| ());
    after(&state, &u, id, "disburse", &p, r).await
}

/// A reason's field errors under the name its form gives it (the request page has several
/// forms with a reason).
fn as_field(e: AppError, field: &str) -> AppError {
    match e {
        AppError::Invalid(list) => AppError::Invalid(
            list.into_iter()
                .map(|mut f| {
                    f.field = field.into();
                    f
                })
                .collect(),
        ),
        other => other,
    }
}

/// `POST /allocations/{id}/close`.
pub async fn close(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let version = p.get("version").parse().unwrap_or(0);
    let r = state
        .app
        .close_allocation(&u.user, &u.ctx, id, version, &p.get("close_reason"))
        .await
        .map(|_| ())
        .map_err(|e| as_field(e, "close_reason"));
    after(&state, &u, id, "close", &p, r).await
}

/// `POST /budget-entries/{id}/receipts` (multipart: `file`, `description`, `csrf`): keeps a
/// payment's receipt, back to the request's page.
pub async fn attach_receipt(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    body: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let entry = case_id(&u, &id)?;
    let request = state.app.entry_request(entry).await.map_err(|e| u.err(e))?;
    let case = state
        .app
        .attachment_case(AttachTarget::Payment(entry))
        .await
        .map_err(|e| u.err(e))?;
    state
        .app
        .check_case(&u.user, &u.ctx, case, CaseAccess::Edit, "attachment.create")
        .await
        .map_err(|e| u.err(e))?;
    let up = read_upload(&u, body, "file").await?;
    let mut p = Pairs(up.pairs);
    u.check_csrf(&p.get("csrf"))?;
    let r = state
        .app
        .attach_file(
            &u.user,
            &u.ctx,
            AttachTarget::Payment(entry),
            &p.get("description"),
            up.file.as_ref(),
        )
        .await
        .map(|_| ());
    p.0.push(("entry".into(), entry.to_string()));
    after(&state, &u, request, "receipt", &p, r).await
}

/// `POST /budget-entries/{id}/reverse`: back to the request's page.
pub async fn reverse(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let entry = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let request = state.app.entry_request(entry).await.map_err(|e| u.err(e))?;
    let r = state
        .app
        .reverse_disbursement(&u.user, &u.ctx, entry, &p.get("reverse_reason"))
        .await
        .map(|_| ())
        .map_err(|e| as_field(e, "reverse_reason"));
    after(&state, &u, request, "reverse", &p, r).await
}

#[derive(Template)]
#[template(path = "allocations.html")]
struct QueuePage {
    c: Chrome,
    pending: Vec<Line>,
    waiting: Vec<Line>,
}

/// `GET /allocations`: the gatekeeper's queue.
pub async fn queue(State(state): State<AppState>, u: PageUser) -> Result<Response, WebError> {
    let lines = state
        .app
        .allocation_queue(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let (waiting, pending): (Vec<_>, Vec<_>) = lines.iter().partition(|l| l.place.is_some());
    let page = QueuePage {
        c: Chrome::for_user(&u, "/allocations"),
        pending: pending.iter().map(|l| line(&u, &l.request, None)).collect(),
        waiting: waiting
            .iter()
            .map(|l| line(&u, &l.request, l.place))
            .collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

/// `GET /allocations.csv`: the queue (awaiting a decision, then the waiting list in its order)
/// as CSV.
pub async fn queue_csv(State(state): State<AppState>, u: PageUser) -> Result<Response, WebError> {
    queue_file(&state, &u, Download::Csv).await
}

/// `GET /allocations.xlsx`: the same as XLSX.
pub async fn queue_xlsx(State(state): State<AppState>, u: PageUser) -> Result<Response, WebError> {
    queue_file(&state, &u, Download::Xlsx).await
}

/// The queue as rows: place on the waiting list (none while awaiting a decision), case,
/// programme, urgency, amount, eligibility, status, requested.
async fn queue_file(state: &AppState, u: &PageUser, kind: Download) -> Result<Response, WebError> {
    let lines = state
        .app
        .allocation_queue(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let (waiting, pending): (Vec<_>, Vec<_>) = lines.iter().partition(|l| l.place.is_some());
    let col = |key: &str, width: f64| (u.tr.get(key), width);
    let table = Table {
        file: "karuna-allocation-queue",
        sheet: u.tr.get("gk-queue-title"),
        head: vec![
            col("gk-place", 8.0),
            col("gk-case", 18.0),
            col("gk-programme", 30.0),
            col("gk-urgency", 12.0),
            col("gk-amount", 16.0),
            col("gk-eligibility", 18.0),
            col("gk-status", 16.0),
            col("gk-requested-at", 20.0),
        ],
        rows: pending
            .iter()
            .chain(waiting.iter())
            .map(|l| {
                let x = line(u, &l.request, l.place);
                vec![
                    match x.place {
                        Some(p) => Cell::Number(p as f64),
                        None => Cell::Text(String::new()),
                    },
                    Cell::Text(x.case_number),
                    Cell::Text(x.programme),
                    Cell::Text(x.urgency),
                    Cell::Text(x.amount),
                    Cell::Text(x.eligibility),
                    Cell::Text(x.status),
                    Cell::Text(x.created),
                ]
            })
            .collect(),
    };
    super::table_export::respond(u, &table, kind)
}
