//! Gatekeeping over the API: programmes of scarce resources (administrators define them, any
//! account reads them), their criteria (draft, try on sample facts, publish), budgets by Thai
//! fiscal year, a case's requests for an allocation, the decision within authority, payments
//! and their reversal, and a gatekeeper's queue with the waiting lists.

use super::cases::{guard, parse_id, Created, Versioned};
use crate::api::extract::Path;
use crate::auth::{ApiJson, ApiUser};
use crate::error::WebError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use karuna_app::allocation::{needed, AllocationView, QueueLine};
use karuna_app::budget::{BudgetInput, BudgetView, DisbursementInput, MonthFigure};
use karuna_app::case::CaseAccess;
use karuna_app::gatekeeping::ProgrammeView;
use karuna_domain::access::Action;
use karuna_domain::gatekeeping::criteria::{Check, CriterionInput, FactKind, Facts, FACTS};
use karuna_domain::gatekeeping::{DecisionInput, ProgrammeInput, RequestInput, Unit};
use karuna_store::budget::{BudgetRow, EntryRow};
use karuna_store::gatekeeping::{ProgrammeRow, RequestRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

fn unit_of(code: &str) -> Unit {
    Unit::from_code(code).unwrap_or(Unit::Baht)
}

/// A programme of a scarce resource.
#[derive(Debug, Serialize, ToSchema)]
pub struct Programme {
    /// Id.
    pub id: Uuid,
    /// Name in Thai.
    pub name_th: String,
    /// Name in English.
    pub name_en: Option<String>,
    /// What it gives and to whom.
    pub description: Option<String>,
    /// `baht`, `nights`, `places` or `items`.
    pub unit: String,
    /// How many can be allocated at once (nights, places, items).
    pub capacity: Option<i64>,
    /// Of which allocated now.
    pub in_use: i64,
    /// The documents a request needs.
    pub documents: Vec<String>,
    /// `active` or `closed`.
    pub status: String,
    /// Version (send it back with a change).
    pub version: i64,
}

impl From<ProgrammeRow> for Programme {
    fn from(p: ProgrammeRow) -> Self {
        Programme {
            id: p.id,
            name_th: p.name_th,
            name_en: p.name_en,
            description: p.description,
            unit: p.unit,
            capacity: p.capacity,
            in_use: p.in_use,
            documents: p.documents,
            status: p.status,
            version: p.version,
        }
    }
}

/// Who may decide how much.
#[derive(Debug, Serialize, ToSchema)]
pub struct Authority {
    /// A role code, or none when a person is named.
    pub role: Option<String>,
    /// A person's username.
    pub username: Option<String>,
    /// Their name.
    pub display_name: Option<String>,
    /// The most they may approve, in the programme's unit (`2000`, `1250.50`); none: no limit.
    pub limit: Option<String>,
}

/// A version of a programme's criteria.
#[derive(Debug, Serialize, ToSchema)]
pub struct CriteriaVersion {
    /// Version number.
    pub version: i64,
    /// `draft`, `published` or `retired`.
    pub status: String,
    /// The criteria.
    pub criteria: Vec<CriterionInput>,
    /// Written by.
    pub created_by: Option<String>,
    /// When written.
    pub created_at: DateTime<Utc>,
    /// When published.
    pub published_at: Option<DateTime<Utc>>,
}

/// A budget's totals.
#[derive(Debug, Serialize, ToSchema)]
pub struct Budget {
    /// Id.
    pub id: Uuid,
    /// Fiscal year (Buddhist era).
    pub fiscal_year: i64,
    /// A unit's own budget.
    pub unit_id: Option<Uuid>,
    /// That unit's name.
    pub unit_name: Option<String>,
    /// Allocated, in baht.
    pub allocated: String,
    /// Committed to approved requests and not yet paid.
    pub committed: String,
    /// Paid out.
    pub disbursed: String,
    /// Left to commit: allocated − committed − disbursed.
    pub balance: String,
}

impl From<&BudgetRow> for Budget {
    fn from(b: &BudgetRow) -> Self {
        let u = Unit::Baht;
        Budget {
            id: b.id,
            fiscal_year: b.fiscal_year,
            unit_id: b.unit_id,
            unit_name: b.unit_name.clone(),
            allocated: u.plain(b.allocated),
            committed: u.plain(b.committed),
            disbursed: u.plain(b.disbursed),
            balance: u.plain(b.allocated - b.committed - b.disbursed),
        }
    }
}

/// A programme with its authorities, criteria versions and budgets.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProgrammeDetail {
    /// The programme.
    pub programme: Programme,
    /// Who may decide how much.
    pub authorities: Vec<Authority>,
    /// Criteria versions, newest first.
    pub criteria: Vec<CriteriaVersion>,
    /// Budgets, newest year first.
    pub budgets: Vec<Budget>,
}

impl From<ProgrammeView> for ProgrammeDetail {
    fn from(v: ProgrammeView) -> Self {
        let unit = unit_of(&v.programme.unit);
        ProgrammeDetail {
            authorities: v
                .authorities
                .iter()
                .map(|a| Authority {
                    role: a.role.clone(),
                    username: a.username.clone(),
                    display_name: a.display_name.clone(),
                    limit: a.limit.map(|l| unit.plain(l)),
                })
                .collect(),
            criteria: v
                .criteria
                .iter()
                .map(|c| CriteriaVersion {
                    version: c.version,
                    status: c.status.clone(),
                    criteria: serde_json::from_str::<
                        Vec<karuna_domain::gatekeeping::criteria::Criterion>,
                    >(&c.criteria)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|c| CriterionInput {
                        label_th: c.label_th,
                        label_en: c.label_en,
                        rule: c.rule,
                    })
                    .collect(),
                    created_by: c.created_by.clone(),
                    created_at: c.created_at,
                    published_at: c.published_at,
                })
                .collect(),
            budgets: v.budgets.iter().map(Budget::from).collect(),
            programme: v.programme.into(),
        }
    }
}

async fn may_configure(
    state: &AppState,
    u: &ApiUser,
    action: &str,
    id: Option<Uuid>,
) -> Result<(), WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::ManageConfiguration,
            action,
            ("programme", id),
        )
        .await
        .map_err(|e| u.err(e))
}

/// `GET /api/v1/programmes`.
#[utoipa::path(get, path = "/api/v1/programmes", operation_id = "listProgrammes", tag = "gatekeeping",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<Programme>)))]
pub async fn list(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<Vec<Programme>>, WebError> {
    let rows = state
        .app
        .programmes(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(rows.into_iter().map(Programme::from).collect()))
}

/// `POST /api/v1/programmes`.
#[utoipa::path(post, path = "/api/v1/programmes", operation_id = "createProgramme", tag = "gatekeeping",
    request_body = ProgrammeInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created), (status = 403, description = "not an administrator", content_type = "application/problem+json")))]
pub async fn create(
    State(state): State<AppState>,
    u: ApiUser,
    body: Result<ApiJson<ProgrammeInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    may_configure(&state, &u, "programme.create", None).await?;
    let ApiJson(p) = body?;
    let id = state
        .app
        .create_programme(&u.user, &u.ctx, &p)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// `GET /api/v1/programmes/{id}`.
#[utoipa::path(get, path = "/api/v1/programmes/{id}", operation_id = "getProgramme", tag = "gatekeeping", params(("id" = String, Path, description = "programme id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = ProgrammeDetail)))]
pub async fn get_one(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<ProgrammeDetail>, WebError> {
    let id = parse_id(&u, &id)?;
    let v = state
        .app
        .programme(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(v.into()))
}

/// `PUT /api/v1/programmes/{id}`.
#[utoipa::path(put, path = "/api/v1/programmes/{id}", operation_id = "updateProgramme", tag = "gatekeeping", params(("id" = String, Path, description = "programme id")),
    request_body = ProgrammeInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned), (status = 403, description = "not an administrator", content_type = "application/problem+json")))]
pub async fn update(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ProgrammeInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    may_configure(&state, &u, "programme.update", Some(id)).await?;
    let ApiJson(p) = body?;
    let version = state
        .app
        .update_programme(&u.user, &u.ctx, id, &p)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// Criteria to save as the draft.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CriteriaInput {
    /// Every criterion, in order.
    pub criteria: Vec<CriterionInput>,
}

/// `PUT /api/v1/programmes/{id}/criteria`: saves the draft.
#[utoipa::path(put, path = "/api/v1/programmes/{id}/criteria", operation_id = "saveProgrammeCriteria", tag = "gatekeeping", params(("id" = String, Path, description = "programme id")),
    request_body = CriteriaInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 422, description = "invalid input: `criteria[i].rule` with `criteria.syntax` (not CEL), `criteria.unknown_fact` (names a fact outside the catalogue), `criteria.divides_by_zero`, `criteria.not_boolean` or `criteria.too_complex`", content_type = "application/problem+json")))]
pub async fn save_criteria(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<CriteriaInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    may_configure(&state, &u, "programme.criteria", Some(id)).await?;
    let ApiJson(c) = body?;
    let version = state
        .app
        .save_criteria(&u.user, &u.ctx, id, &c.criteria)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `POST /api/v1/programmes/{id}/criteria/publish`.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/criteria/publish", operation_id = "publishProgrammeCriteria", tag = "gatekeeping", params(("id" = String, Path, description = "programme id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned), (status = 409, description = "no draft to publish (`criteria_no_draft`)", content_type = "application/problem+json")))]
pub async fn publish_criteria(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    let version = state
        .app
        .publish_criteria(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// Sample facts to try criteria on.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CriteriaTest {
    /// Rules to try instead of the draft (or the published version).
    pub criteria: Option<Vec<CriterionInput>>,
    /// The facts of a sample case (`{"age": 67, "disability": true}`); a fact left out is
    /// unknown.
    #[schema(value_type = Object)]
    pub facts: Facts,
}

/// `POST /api/v1/programmes/{id}/criteria/test`: tries criteria on sample facts (nothing is
/// stored).
#[utoipa::path(post, path = "/api/v1/programmes/{id}/criteria/test", operation_id = "testProgrammeCriteria", tag = "gatekeeping", params(("id" = String, Path, description = "programme id")),
    request_body = CriteriaTest, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Check)))]
pub async fn test_criteria(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<CriteriaTest>, WebError>,
) -> Result<Json<Check>, WebError> {
    let id = parse_id(&u, &id)?;
    may_configure(&state, &u, "programme.test", Some(id)).await?;
    let ApiJson(t) = body?;
    let check = state
        .app
        .test_criteria(&u.user, &u.ctx, id, t.criteria.as_deref(), &t.facts)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(check))
}

/// One fact a rule may use.
#[derive(Debug, Serialize, ToSchema)]
pub struct FactInfo {
    /// The name a rule uses.
    pub name: String,
    /// Its kind.
    pub kind: FactKind,
}

/// `GET /api/v1/criteria-facts`: the facts a rule may use.
#[utoipa::path(get, path = "/api/v1/criteria-facts", operation_id = "listCriteriaFacts", tag = "gatekeeping",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<FactInfo>)))]
pub async fn facts(_u: ApiUser) -> Json<Vec<FactInfo>> {
    Json(
        FACTS
            .iter()
            .map(|f| FactInfo {
                name: f.name.into(),
                kind: f.kind,
            })
            .collect(),
    )
}

/// `POST /api/v1/programmes/{id}/budgets`: adds to (or reduces) a fiscal year's budget.
#[utoipa::path(post, path = "/api/v1/programmes/{id}/budgets", operation_id = "allocateBudget", tag = "gatekeeping", params(("id" = String, Path, description = "programme id")),
    request_body = BudgetInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 409, description = "a reduction below what is committed and paid (`budget_below_spent`)", content_type = "application/problem+json")))]
pub async fn allocate_budget(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<BudgetInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    may_configure(&state, &u, "budget.allocate", Some(id)).await?;
    let ApiJson(b) = body?;
    let bid = state
        .app
        .allocate_budget(&u.user, &u.ctx, id, &b)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: bid })))
}

/// A ledger entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct Entry {
    /// Id.
    pub id: Uuid,
    /// `allocation`, `commitment`, `release`, `disbursement` or `reversal`.
    pub kind: String,
    /// Baht.
    pub amount: String,
    /// The request it concerns.
    pub request_id: Option<Uuid>,
    /// Its case number.
    pub case_number: Option<String>,
    /// The entry it reverses.
    pub reverses: Option<Uuid>,
    /// A later entry reverses it.
    pub reversed: bool,
    /// When it happened.
    pub occurred_on: NaiveDate,
    /// `cash`, `transfer`, `cheque` or `in_kind`.
    pub method: Option<String>,
    /// Receipt reference.
    pub receipt_ref: Option<String>,
    /// Note.
    pub note: Option<String>,
    /// Who recorded it.
    pub by: String,
    /// When recorded.
    pub created_at: DateTime<Utc>,
}

impl From<EntryRow> for Entry {
    fn from(e: EntryRow) -> Self {
        Entry {
            id: e.id,
            kind: e.kind,
            amount: Unit::Baht.plain(e.amount),
            request_id: e.request_id,
            case_number: e.case_number,
            reverses: e.reverses,
            reversed: e.reversed,
            occurred_on: e.occurred_on,
            method: e.method,
            receipt_ref: e.receipt_ref,
            note: e.note,
            by: e.by,
            created_at: e.created_at,
        }
    }
}

/// A budget with its figures and (for administrators and supervisors) its ledger.
#[derive(Debug, Serialize, ToSchema)]
pub struct BudgetDetail {
    /// The programme.
    pub programme_id: Uuid,
    /// The totals.
    pub budget: Budget,
    /// Figures by month of the fiscal year (satang).
    pub months: Vec<MonthFigure>,
    /// The ledger, oldest first (empty for those who see totals only).
    pub entries: Vec<Entry>,
}

impl From<BudgetView> for BudgetDetail {
    fn from(v: BudgetView) -> Self {
        BudgetDetail {
            programme_id: v.programme.id,
            budget: Budget::from(&v.budget),
            months: v.months,
            entries: v.entries.into_iter().map(Entry::from).collect(),
        }
    }
}

/// `GET /api/v1/budgets/{id}`.
#[utoipa::path(get, path = "/api/v1/budgets/{id}", operation_id = "getBudget", tag = "gatekeeping", params(("id" = String, Path, description = "budget id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = BudgetDetail)))]
pub async fn budget(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<BudgetDetail>, WebError> {
    let id = parse_id(&u, &id)?;
    let v = state
        .app
        .budget(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(v.into()))
}

/// A budget as a spreadsheet.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
#[allow(dead_code)] // Describes the download for the OpenAPI document.
pub struct Workbook(Vec<u8>);

/// `GET /api/v1/budgets/{id}/export`: the budget as an XLSX workbook (totals, months,
/// quarters and, for administrators and supervisors, the ledger), in the caller's language
/// and calendar; audited as an export.
#[utoipa::path(get, path = "/api/v1/budgets/{id}/export", operation_id = "exportBudget", tag = "gatekeeping", params(("id" = String, Path, description = "budget id")),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "the workbook", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Workbook)))]
pub async fn export_budget(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<axum::response::Response, WebError> {
    let id = parse_id(&u, &id)?;
    let v = state
        .app
        .budget_export(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let body = crate::pages::budget_workbook::workbook(&u.tr, &v)
        .map_err(|e| u.err(karuna_app::AppError::Internal(format!("workbook: {e}"))))?;
    Ok(crate::pages::budget::xlsx_response(
        &crate::pages::budget_workbook::file_name(&v),
        body,
    ))
}

/// A request for an allocation.
#[derive(Debug, Serialize, ToSchema)]
pub struct Allocation {
    /// Id.
    pub id: Uuid,
    /// Case.
    pub case_id: Uuid,
    /// Case number.
    pub case_number: String,
    /// Programme.
    pub programme_id: Uuid,
    /// Its name.
    pub programme_name: String,
    /// Its unit.
    pub unit: String,
    /// Amount, in the unit (`2000`, `1250.50`).
    pub amount: String,
    /// Paid out so far.
    pub disbursed: String,
    /// The plan goal it serves.
    pub goal_id: Option<Uuid>,
    /// What it is for.
    pub purpose: String,
    /// Why the client needs it.
    pub justification: String,
    /// The criteria version it was checked against.
    pub criteria_version: Option<i64>,
    /// `eligible`, `not_eligible` or `unknown`.
    pub eligibility: String,
    /// The authority it needs, in the unit; none: the unlimited authority (a committee).
    pub required_limit: Option<String>,
    /// `pending`, `waiting`, `approved`, `declined`, `withdrawn` or `closed`.
    pub status: String,
    /// A decline's reason the client can be told, or why it was withdrawn or closed.
    pub reason: Option<String>,
    /// Why it was approved though its check did not pass.
    pub override_reason: Option<String>,
    /// Why it was approved beyond the budget.
    pub budget_override_reason: Option<String>,
    /// Fiscal year (Buddhist era).
    pub fiscal_year: i64,
    /// On the waiting list since.
    pub waiting_since: Option<DateTime<Utc>>,
    /// Decided by.
    pub decided_by: Option<String>,
    /// When.
    pub decided_at: Option<DateTime<Utc>>,
    /// Requested by.
    pub created_by: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Version (send it back with a decision).
    pub version: i64,
}

impl From<RequestRow> for Allocation {
    fn from(r: RequestRow) -> Self {
        let unit = unit_of(&r.unit);
        Allocation {
            required_limit: needed(&r).map(|l| unit.plain(l)),
            id: r.id,
            case_id: r.case_id,
            case_number: r.case_number,
            programme_id: r.programme_id,
            programme_name: r.programme_name_th,
            unit: r.unit,
            amount: unit.plain(r.amount),
            disbursed: unit.plain(r.disbursed),
            goal_id: r.goal_id,
            purpose: r.purpose,
            justification: r.justification,
            criteria_version: r.criteria_version,
            eligibility: r.eligibility,
            status: r.status,
            reason: r.reason,
            override_reason: r.override_reason,
            budget_override_reason: r.budget_override_reason,
            fiscal_year: r.fiscal_year,
            waiting_since: r.waiting_since,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            created_by: r.created_by,
            created_at: r.created_at,
            version: r.version,
        }
    }
}

/// A step of a request's history.
#[derive(Debug, Serialize, ToSchema)]
pub struct AllocationStep {
    /// `requested`, `approve`, `approve_override`, `decline`, `withdraw`, `waitlist`,
    /// `offered`, `disburse`, `reverse` or `close`.
    pub kind: String,
    /// The status it led to.
    pub to_status: Option<String>,
    /// Why.
    pub reason: Option<String>,
    /// Who.
    pub actor: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// A request with its eligibility check, history and ledger entries.
#[derive(Debug, Serialize, ToSchema)]
pub struct AllocationDetail {
    /// The request.
    pub allocation: Allocation,
    /// The eligibility check as stored: every criterion with met / not met / unknown and
    /// the facts it used.
    pub check: Option<Check>,
    /// The documents the programme requires.
    pub documents: Vec<String>,
    /// The caller may decide it.
    pub can_decide: bool,
    /// Its history, oldest first.
    pub history: Vec<AllocationStep>,
    /// Its payments and other ledger entries.
    pub entries: Vec<Entry>,
    /// The receipts kept for its payments (`record_id` is the payment's entry).
    pub receipts: Vec<crate::api::attachments::Attachment>,
}

impl From<AllocationView> for AllocationDetail {
    fn from(v: AllocationView) -> Self {
        AllocationDetail {
            allocation: v.request.into(),
            check: v.check,
            documents: v.documents,
            can_decide: v.can_decide,
            history: v
                .events
                .into_iter()
                .map(|e| AllocationStep {
                    kind: e.kind,
                    to_status: e.to_status,
                    reason: e.reason,
                    actor: e.actor,
                    at: e.at,
                })
                .collect(),
            entries: v.entries.into_iter().map(Entry::from).collect(),
            receipts: v.receipts.into_iter().map(Into::into).collect(),
        }
    }
}

/// `GET /api/v1/cases/{id}/allocations`.
#[utoipa::path(get, path = "/api/v1/cases/{id}/allocations", operation_id = "listCaseAllocations", tag = "gatekeeping", params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<Allocation>)))]
pub async fn case_list(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<Allocation>>, WebError> {
    let id = parse_id(&u, &id)?;
    let rows = state
        .app
        .case_allocations(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(rows.into_iter().map(Allocation::from).collect()))
}

/// What a client was granted in one case from one programme.
#[derive(Debug, Serialize, ToSchema)]
pub struct Spending {
    /// The case.
    pub case_id: Uuid,
    /// Its number.
    pub case_number: String,
    /// The case asked about.
    pub this_case: bool,
    /// The programme.
    pub programme_id: Uuid,
    /// Its name in Thai.
    pub programme_name_th: String,
    /// In English.
    pub programme_name_en: Option<String>,
    /// `baht`, `nights`, `places` or `items`.
    pub unit: String,
    /// Requests granted (approved or closed).
    pub requests: i64,
    /// Approved, in the unit (`2000`, `1250.50`).
    pub approved: String,
    /// Paid out, in baht.
    pub disbursed: String,
}

/// `GET /api/v1/cases/{id}/client-spending`: what the case's client was granted across her
/// cases, per case and programme — only cases the caller may open, and only this case for a
/// caller who may not see who the client is.
#[utoipa::path(get, path = "/api/v1/cases/{id}/client-spending", operation_id = "getClientSpending", tag = "gatekeeping", params(("id" = String, Path, description = "case id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<Spending>)))]
pub async fn client_spending(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<Vec<Spending>>, WebError> {
    let id = parse_id(&u, &id)?;
    let rows = state
        .app
        .client_spending(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(
        rows.into_iter()
            .map(|l| Spending {
                approved: Unit::from_code(&l.unit)
                    .unwrap_or(Unit::Baht)
                    .plain(l.approved),
                disbursed: Unit::Baht.plain(l.disbursed),
                case_id: l.case_id,
                case_number: l.case_number,
                this_case: l.this_case,
                programme_id: l.programme_id,
                programme_name_th: l.programme_name_th,
                programme_name_en: l.programme_name_en,
                unit: l.unit,
                requests: l.requests,
            })
            .collect(),
    ))
}

/// `POST /api/v1/cases/{id}/allocations`: requests an allocation (the eligibility check runs
/// and is stored with it).
#[utoipa::path(post, path = "/api/v1/cases/{id}/allocations", operation_id = "requestAllocation", tag = "gatekeeping", params(("id" = String, Path, description = "case id")),
    request_body = RequestInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 409, description = "the case is closed (`allocation_case_closed`)", content_type = "application/problem+json"),
        (status = 422, description = "invalid input; `amount`: `gatekeeping.amount_invalid`, `gatekeeping.amount_positive`, `gatekeeping.amount_satang` or `gatekeeping.above_every_authority` (no one's authority covers it)", content_type = "application/problem+json")))]
pub async fn request(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<RequestInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    guard(&state, &u, id, CaseAccess::Edit, "allocation.create").await?;
    let ApiJson(r) = body?;
    let rid = state
        .app
        .request_allocation(&u.user, &u.ctx, id, &r)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: rid })))
}

/// `GET /api/v1/allocations/{id}`.
#[utoipa::path(get, path = "/api/v1/allocations/{id}", operation_id = "getAllocation", tag = "gatekeeping", params(("id" = String, Path, description = "request id")),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = AllocationDetail)))]
pub async fn get_allocation(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
) -> Result<Json<AllocationDetail>, WebError> {
    let id = parse_id(&u, &id)?;
    let v = state
        .app
        .allocation(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(v.into()))
}

async fn allocation_guard(
    state: &AppState,
    u: &ApiUser,
    id: Uuid,
    access: CaseAccess,
    action: &str,
) -> Result<(), WebError> {
    let case = state.app.allocation_case(id).await.map_err(|e| u.err(e))?;
    guard(state, u, case, access, action).await
}

/// `POST /api/v1/allocations/{id}/decision`: approve, decline or withdraw.
#[utoipa::path(post, path = "/api/v1/allocations/{id}/decision", operation_id = "decideAllocation", tag = "gatekeeping", params(("id" = String, Path, description = "request id")),
    request_body = DecisionInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned),
        (status = 403, description = "not on the case, or the amount is beyond the caller's authority (`authority`)", content_type = "application/problem+json"),
        (status = 409, description = "decided already or changed since read, no budget for the fiscal year (`allocation_no_budget`), the budget cannot pay it (`allocation_budget_exhausted`), or still no place (`allocation_still_full`)", content_type = "application/problem+json"),
        (status = 422, description = "invalid input; `override_reason`: `gatekeeping.override_reason_required` when approving a request whose check did not pass", content_type = "application/problem+json")))]
pub async fn decide(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<DecisionInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    allocation_guard(&state, &u, id, CaseAccess::Open, "allocation.decide").await?;
    let ApiJson(d) = body?;
    let version = state
        .app
        .decide_allocation(&u.user, &u.ctx, id, &d)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// Closing an approved request.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CloseInput {
    /// Why (the service was delivered, the client left the shelter …).
    pub reason: String,
    /// The request's version as read.
    pub version: i64,
}

/// `POST /api/v1/allocations/{id}/close`: what was not paid out goes back to the budget; a
/// place is freed and offered to the next on the waiting list.
#[utoipa::path(post, path = "/api/v1/allocations/{id}/close", operation_id = "closeAllocation", tag = "gatekeeping", params(("id" = String, Path, description = "request id")),
    request_body = CloseInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Versioned)))]
pub async fn close(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<CloseInput>, WebError>,
) -> Result<Json<Versioned>, WebError> {
    let id = parse_id(&u, &id)?;
    allocation_guard(&state, &u, id, CaseAccess::Edit, "allocation.close").await?;
    let ApiJson(c) = body?;
    let version = state
        .app
        .close_allocation(&u.user, &u.ctx, id, c.version, &c.reason)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(Versioned { version }))
}

/// `POST /api/v1/allocations/{id}/disbursements`: records a payment.
#[utoipa::path(post, path = "/api/v1/allocations/{id}/disbursements", operation_id = "recordDisbursement", tag = "gatekeeping", params(("id" = String, Path, description = "request id")),
    request_body = DisbursementInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 409, description = "the request is not approved or not money", content_type = "application/problem+json"),
        (status = 422, description = "invalid input; `amount`: `gatekeeping.more_than_approved` beyond what is left to pay", content_type = "application/problem+json")))]
pub async fn disburse(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<DisbursementInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    allocation_guard(&state, &u, id, CaseAccess::Edit, "allocation.disburse").await?;
    let ApiJson(d) = body?;
    let eid = state
        .app
        .disburse(&u.user, &u.ctx, id, &d)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: eid })))
}

/// Reversing a payment.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ReverseInput {
    /// Why.
    pub reason: String,
}

/// `POST /api/v1/budget-entries/{id}/reverse`: a reversing entry for a payment.
#[utoipa::path(post, path = "/api/v1/budget-entries/{id}/reverse", operation_id = "reverseDisbursement", tag = "gatekeeping", params(("id" = String, Path, description = "ledger entry id")),
    request_body = ReverseInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created),
        (status = 409, description = "not a payment, or reversed already (`entry_not_reversible`)", content_type = "application/problem+json")))]
pub async fn reverse(
    State(state): State<AppState>,
    u: ApiUser,
    Path(id): Path<String>,
    body: Result<ApiJson<ReverseInput>, WebError>,
) -> Result<(StatusCode, Json<Created>), WebError> {
    let id = parse_id(&u, &id)?;
    let ApiJson(r) = body?;
    let eid = state
        .app
        .reverse_disbursement(&u.user, &u.ctx, id, &r.reason)
        .await
        .map_err(|e| u.err(e))?;
    Ok((StatusCode::CREATED, Json(Created { id: eid })))
}

/// A request in a gatekeeper's queue.
#[derive(Debug, Serialize, ToSchema)]
pub struct QueueItem {
    /// The request.
    pub allocation: Allocation,
    /// Its place on the programme's waiting list (1 = next), when waiting.
    pub place: Option<usize>,
}

/// `GET /api/v1/allocations`: the requests the caller may decide and the waiting lists of
/// their programmes, in order (urgency, then waiting time).
#[utoipa::path(get, path = "/api/v1/allocations", operation_id = "listAllocationQueue", tag = "gatekeeping",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = Vec<QueueItem>)))]
pub async fn queue(
    State(state): State<AppState>,
    u: ApiUser,
) -> Result<Json<Vec<QueueItem>>, WebError> {
    let lines: Vec<QueueLine> = state
        .app
        .allocation_queue(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Json(
        lines
            .into_iter()
            .map(|l| QueueItem {
                allocation: l.request.into(),
                place: l.place,
            })
            .collect(),
    ))
}
