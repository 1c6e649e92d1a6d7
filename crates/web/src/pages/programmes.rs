//! Programmes of scarce resources in the browser: the list (`/programmes`, with the form that
//! defines one for administrators), a programme's page (`/programmes/{id}`: its settings and
//! who may decide how much, its criteria with the editor that tries rules on a sample case
//! before a version is published, its budgets with the form that allocates one). A budget's
//! own page is `budget`'s.

use super::cases::label;
use super::intake::Pairs;
use super::plan::case_id;
use super::users::Choice;
use super::{refusal, render, Chrome, ErrorLink, FormState, SavedQuery};
use crate::auth::{PageUser, WebForm};
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::budget::BudgetInput;
use karuna_app::gatekeeping::ProgrammeView;
use karuna_app::AppError;
use karuna_domain::access::Role;
use karuna_domain::gatekeeping::criteria::{
    self, Check, CriterionInput, FactKind, FactValue, Facts, FACTS,
};
use karuna_domain::gatekeeping::{AuthorityInput, ProgrammeInput, Unit};
use karuna_store::budget::BudgetRow;
use karuna_thai::calendar::{bangkok_date, fiscal_year_be};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A fiscal year as a reader sees it (ปีงบประมาณ 2570).
pub fn fiscal_year(u: &PageUser, be: i64) -> String {
    u.tr.get1("gk-fiscal-year", "year", &be.to_string())
}

/// A programme's unit.
fn unit_of(code: &str) -> Unit {
    Unit::from_code(code).unwrap_or(Unit::Baht)
}

/// An amount with its unit (`2,000 บาท`, `3 คืน`).
pub fn amount(u: &PageUser, unit: &str, minor: i64) -> String {
    u.tr.get1(
        &format!("gk-amount-{unit}"),
        "n",
        &unit_of(unit).show(minor),
    )
}

struct ProgrammeLine {
    id: Uuid,
    name: String,
    unit: String,
    status: String,
    capacity: String,
}

#[derive(Template)]
#[template(path = "programmes.html")]
struct ListPage {
    c: Chrome,
    lines: Vec<ProgrammeLine>,
    admin: bool,
    gatekeeper: bool,
    units: Vec<Choice>,
    form: FormState,
    summary: Vec<ErrorLink>,
}

fn units(u: &PageUser) -> Vec<Choice> {
    Unit::ALL
        .iter()
        .map(|x| Choice {
            value: x.code().into(),
            label: label(u, "gk-unit", x.code()),
        })
        .collect()
}

async fn list_page(
    state: &AppState,
    u: &PageUser,
    form: FormState,
    status: StatusCode,
) -> Result<Response, WebError> {
    let rows = state
        .app
        .programmes(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let lang = u.tr.lang_code();
    let summary = form.summary_by_name(
        &u.tr,
        &[
            ("name_th", "gk-name-th"),
            ("name_en", "gk-name-en"),
            ("unit", "gk-unit"),
            ("capacity", "gk-capacity"),
            ("description", "gk-description"),
        ],
    );
    let page = ListPage {
        c: Chrome::for_user(u, "/programmes"),
        lines: rows
            .iter()
            .map(|p| ProgrammeLine {
                id: p.id,
                name: p.name(lang).to_string(),
                unit: label(u, "gk-unit", &p.unit),
                status: label(u, "gk-programme-status", &p.status),
                capacity: match p.capacity {
                    Some(c) => u.tr.args(
                        "gk-capacity-use",
                        &[("used", p.in_use.to_string()), ("capacity", c.to_string())],
                    ),
                    None => String::new(),
                },
            })
            .collect(),
        admin: u.user.role() == Role::Admin,
        gatekeeper: matches!(u.user.role(), Role::CaseManager | Role::Supervisor),
        units: units(u),
        form,
        summary,
    };
    Ok(render(status, &page))
}

/// `GET /programmes`.
pub async fn list(State(state): State<AppState>, u: PageUser) -> Result<Response, WebError> {
    list_page(&state, &u, FormState::default(), StatusCode::OK).await
}

fn programme_input(p: &Pairs, version: Option<i64>) -> ProgrammeInput {
    let mut authorities = Vec::new();
    for i in 0..40 {
        let role = p.get(&format!("auth_role_{i}"));
        let username = p.get(&format!("auth_username_{i}"));
        let limit = p.get(&format!("auth_limit_{i}"));
        if !p.has(&format!("auth_role_{i}")) && !p.has(&format!("auth_limit_{i}")) {
            break;
        }
        authorities.push(AuthorityInput {
            role,
            username,
            limit,
        });
    }
    ProgrammeInput {
        name_th: p.get("name_th"),
        name_en: p.get("name_en"),
        description: p.get("description"),
        unit: p.get("unit"),
        capacity: p.get("capacity"),
        documents: p
            .get("documents")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        authorities,
        status: p.get("status"),
        version,
    }
}

/// `POST /programmes`: a new programme (administrators).
pub async fn create(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = programme_input(&p, None);
    match state.app.create_programme(&u.user, &u.ctx, &input).await {
        Ok(id) => Ok(Redirect::to(&format!("/programmes/{id}?saved=1")).into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let (status, fields) = refusal(&u, e);
            list_page(
                &state,
                &u,
                FormState::from_pairs(&p.0).errors(fields),
                status,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}

struct AuthorityLine {
    i: usize,
    role: String,
    username: String,
    limit: String,
    error: Option<String>,
}

struct CriterionLine {
    i: usize,
    label_th: String,
    label_en: String,
    rule: String,
    error: Option<String>,
}

struct FactField {
    name: &'static str,
    label: String,
    kind: &'static str,
    value: String,
    hint: String,
}

/// One explained criterion of an eligibility check.
pub struct ResultLine {
    pub(crate) label: String,
    pub(crate) rule: String,
    pub(crate) outcome: String,
    pub(crate) outcome_code: &'static str,
    pub(crate) facts: String,
}

/// An eligibility check as the pages explain it: each criterion, its outcome and the facts it
/// used (or that were missing).
pub fn explain(u: &PageUser, check: &Check) -> Vec<ResultLineView> {
    let lang = u.tr.lang_code();
    check
        .criteria
        .iter()
        .map(|c| {
            let mut facts: Vec<String> = c
                .facts
                .iter()
                .map(|(k, v)| format!("{} = {}", fact_label(u, k), fact_value(u, k, v)))
                .collect();
            for m in &c.missing {
                facts.push(u.tr.get1("gk-fact-missing", "name", &fact_label(u, m)));
            }
            ResultLineView {
                label: if lang == "en" && !c.label_en.is_empty() {
                    c.label_en.clone()
                } else {
                    c.label_th.clone()
                },
                rule: c.rule.clone(),
                outcome: label(u, "gk-outcome", c.outcome.code()),
                outcome_code: c.outcome.code(),
                facts: facts.join(" · "),
            }
        })
        .collect()
}

/// One explained criterion (shared with the request's page).
pub type ResultLineView = ResultLine;

impl ResultLine {
    /// The badge class of its outcome.
    pub(crate) fn badge(&self) -> &'static str {
        match self.outcome_code {
            "met" => "badge-ok",
            "not_met" => "badge-error",
            _ => "",
        }
    }
}

/// A fact's value as a reader understands it: codes of urgency, stage and case type by their
/// labels, true and false as yes and no; other codes (an organisation's own) as they are.
fn fact_value(u: &PageUser, name: &str, v: &FactValue) -> String {
    let code = |family: &str, c: &str| {
        let key = format!("{family}-{}", c.replace('_', "-"));
        if u.tr.has(&key) {
            u.tr.get(&key)
        } else {
            c.to_string()
        }
    };
    match (name, v) {
        ("urgency", FactValue::Text(c)) => code("urgency", c),
        ("case_status", FactValue::Text(c)) => code("status", c),
        ("case_types", FactValue::List(l)) => l
            .iter()
            .map(|t| match t {
                FactValue::Text(c) => code("case-type", c),
                other => other.display(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        (_, FactValue::Bool(b)) => u.tr.get(if *b {
            "assessment-yes"
        } else {
            "assessment-no"
        }),
        _ => v.display(),
    }
}

fn fact_label(u: &PageUser, name: &str) -> String {
    let key = format!("gk-fact-{}", name.replace('_', "-"));
    if u.tr.has(&key) {
        u.tr.get(&key)
    } else {
        name.to_string()
    }
}

struct BudgetLine {
    id: Uuid,
    year: String,
    scope: String,
    allocated: String,
    committed: String,
    disbursed: String,
    balance: String,
}

fn budget_line(u: &PageUser, b: &BudgetRow) -> BudgetLine {
    BudgetLine {
        id: b.id,
        year: fiscal_year(u, b.fiscal_year),
        scope: b
            .unit_name
            .clone()
            .unwrap_or_else(|| u.tr.get("gk-budget-all-units")),
        allocated: amount(u, "baht", b.allocated),
        committed: amount(u, "baht", b.committed),
        disbursed: amount(u, "baht", b.disbursed),
        balance: amount(u, "baht", b.allocated - b.committed - b.disbursed),
    }
}

#[derive(Template)]
#[template(path = "programme.html")]
struct ProgrammePage {
    c: Chrome,
    id: Uuid,
    name: String,
    description: String,
    unit: String,
    capacity: String,
    documents: Vec<String>,
    authorities_shown: Vec<(String, String)>,
    published: Option<(i64, Vec<(String, String)>)>,
    draft_version: Option<i64>,
    versions: Vec<(i64, String, String)>,
    budgets: Vec<BudgetLine>,
    admin: bool,
    settings: FormState,
    settings_summary: Vec<ErrorLink>,
    units: Vec<Choice>,
    roles: Vec<Choice>,
    authorities: Vec<AuthorityLine>,
    criteria_rows: Vec<CriterionLine>,
    criteria_error: Option<String>,
    facts: Vec<FactField>,
    results: Option<(String, Vec<ResultLine>)>,
    budget_form: FormState,
    budget_summary: Vec<ErrorLink>,
    years: Vec<Choice>,
    unit_choices: Vec<Choice>,
    baht: bool,
    flash: Option<String>,
}

/// Criteria as typed, with the field errors they got.
type TypedCriteria = (Vec<CriterionInput>, Vec<(String, String)>);

/// What the programme page re-shows after a failed or tried form.
#[derive(Default)]
struct Forms {
    settings: Option<FormState>,
    criteria: Option<TypedCriteria>,
    facts: Option<BTreeMap<String, String>>,
    results: Option<Check>,
    budget: Option<FormState>,
    /// A refusal of the criteria form as a whole (nothing to publish).
    error: Option<String>,
}

fn settings_form(v: &ProgrammeView) -> FormState {
    let p = &v.programme;
    let unit = unit_of(&p.unit);
    let mut pairs: Vec<(String, String)> = vec![
        ("name_th".into(), p.name_th.clone()),
        ("name_en".into(), p.name_en.clone().unwrap_or_default()),
        (
            "description".into(),
            p.description.clone().unwrap_or_default(),
        ),
        ("unit".into(), p.unit.clone()),
        (
            "capacity".into(),
            p.capacity.map(|c| c.to_string()).unwrap_or_default(),
        ),
        ("documents".into(), p.documents.join("\n")),
        ("status".into(), p.status.clone()),
        ("version".into(), p.version.to_string()),
    ];
    for (i, a) in v.authorities.iter().enumerate() {
        pairs.push((format!("auth_role_{i}"), a.role.clone().unwrap_or_default()));
        pairs.push((
            format!("auth_username_{i}"),
            a.username.clone().unwrap_or_default(),
        ));
        pairs.push((
            format!("auth_limit_{i}"),
            a.limit.map(|l| unit.plain(l)).unwrap_or_default(),
        ));
    }
    FormState::from_pairs(&pairs)
}

async fn programme_page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    forms: Forms,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let v = state
        .app
        .programme(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let lang = u.tr.lang_code();
    let unit = unit_of(&v.programme.unit);
    let admin = u.user.role() == Role::Admin;
    let settings = forms.settings.unwrap_or_else(|| settings_form(&v));
    let authority_rows = (0..40)
        .take_while(|i| {
            *i < v.authorities.len() + 3
                || !settings.value(&format!("auth_role_{i}")).is_empty()
                || !settings.value(&format!("auth_limit_{i}")).is_empty()
        })
        .map(|i| AuthorityLine {
            i,
            role: settings.value(&format!("auth_role_{i}")).to_string(),
            username: settings.value(&format!("auth_username_{i}")).to_string(),
            limit: settings.value(&format!("auth_limit_{i}")).to_string(),
            error: [
                format!("authorities[{i}].role"),
                format!("authorities[{i}].username"),
                format!("authorities[{i}].limit"),
            ]
            .iter()
            .find_map(|f| settings.error(f).map(str::to_string)),
        })
        .collect();
    let settings_summary = settings.summary(|name| {
        let fields = [
            ("name_th", "gk-name-th"),
            ("name_en", "gk-name-en"),
            ("description", "gk-description"),
            ("unit", "gk-unit"),
            ("capacity", "gk-capacity"),
            ("status", "gk-status"),
            ("documents", "gk-documents"),
        ];
        if let Some((n, k)) = fields.iter().find(|(n, _)| *n == name) {
            return Some((format!("s-{n}"), u.tr.get(k)));
        }
        let i: usize = name
            .strip_prefix("authorities[")?
            .split(']')
            .next()?
            .parse()
            .ok()?;
        Some((format!("auth_role_{i}"), u.tr.get("gk-authorities")))
    });
    let (rows, row_errors) = match forms.criteria {
        Some((rows, errs)) => (rows, errs),
        None => (
            v.draft()
                .or_else(|| v.published())
                .map(|(_, c)| {
                    c.into_iter()
                        .map(|c| CriterionInput {
                            label_th: c.label_th,
                            label_en: c.label_en,
                            rule: c.rule,
                        })
                        .collect()
                })
                .unwrap_or_default(),
            Vec::new(),
        ),
    };
    let mut criteria_rows: Vec<CriterionLine> = rows
        .iter()
        .enumerate()
        .map(|(i, c)| CriterionLine {
            i,
            label_th: c.label_th.clone(),
            label_en: c.label_en.clone(),
            rule: c.rule.clone(),
            error: row_errors
                .iter()
                .find(|(f, _)| f.starts_with(&format!("criteria[{i}]")))
                .map(|(_, m)| m.clone()),
        })
        .collect();
    let n = criteria_rows.len();
    criteria_rows.extend((n..n + 3).map(|i| CriterionLine {
        i,
        label_th: String::new(),
        label_en: String::new(),
        rule: String::new(),
        error: None,
    }));
    let criteria_error = forms.error.clone().or_else(|| {
        row_errors
            .iter()
            .find(|(f, _)| !f.starts_with("criteria[") && !f.starts_with("fact"))
            .or_else(|| row_errors.iter().find(|(f, _)| f.starts_with("fact")))
            .map(|(_, m)| m.clone())
    });
    let typed = forms.facts.unwrap_or_else(|| {
        criteria::sample_facts(false)
            .into_iter()
            .filter(|(k, _)| FACTS.iter().any(|f| f.name == k && f.kind != FactKind::Map))
            .map(|(k, v)| (k, v.display()))
            .collect()
    });
    let facts = FACTS
        .iter()
        .filter(|f| f.name != "earlier_allocations")
        .map(|f| FactField {
            name: f.name,
            label: fact_label(u, f.name),
            kind: match f.kind {
                FactKind::Bool => "bool",
                _ => "text",
            },
            value: typed.get(f.name).cloned().unwrap_or_default(),
            hint: u.tr.get(match f.kind {
                FactKind::List => "gk-fact-hint-list",
                FactKind::Map => "gk-fact-hint-map",
                FactKind::Int => "gk-fact-hint-int",
                _ => "gk-fact-hint-text",
            }),
        })
        .collect();
    let results = forms
        .results
        .map(|check| (label(u, "gk-result", &check.result), explain(u, &check)));
    let budget_form = forms.budget.unwrap_or_else(|| {
        FormState::with(&[(
            "fiscal_year",
            fiscal_year_be(bangkok_date(karuna_store::time::now())).to_string(),
        )])
    });
    let budget_summary = budget_form.summary_by_name(
        &u.tr,
        &[
            ("fiscal_year", "gk-budget-year"),
            ("unit_id", "gk-budget-scope"),
            ("amount", "gk-budget-amount"),
            ("note", "gk-budget-note"),
        ],
    );
    let this_year = fiscal_year_be(bangkok_date(karuna_store::time::now()));
    let unit_choices = if admin {
        karuna_store::account::list_units(&state.app.db, u.user.actor.org_id)
            .await
            .map_err(|e| u.err(AppError::Store(e)))?
            .into_iter()
            .map(|x| Choice {
                value: x.id.to_string(),
                label: x.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let page = ProgrammePage {
        c: Chrome::for_user(u, &format!("/programmes/{id}")),
        id,
        name: v.programme.name(lang).to_string(),
        description: v.programme.description.clone().unwrap_or_default(),
        unit: label(u, "gk-unit", &v.programme.unit),
        capacity: v
            .programme
            .capacity
            .map(|c| {
                u.tr.args(
                    "gk-capacity-use",
                    &[
                        ("used", v.programme.in_use.to_string()),
                        ("capacity", c.to_string()),
                    ],
                )
            })
            .unwrap_or_default(),
        documents: v.programme.documents.clone(),
        authorities_shown: v
            .authorities
            .iter()
            .map(|a| {
                (
                    match (&a.role, &a.display_name) {
                        (Some(r), _) => label(u, "role", r),
                        (None, Some(n)) => n.clone(),
                        _ => String::new(),
                    },
                    a.limit
                        .map(|l| amount(u, unit.code(), l))
                        .unwrap_or_else(|| u.tr.get("gk-no-limit")),
                )
            })
            .collect(),
        published: v.published().map(|(ver, c)| {
            (
                ver,
                c.iter()
                    .map(|c| (c.label(lang).to_string(), c.rule.clone()))
                    .collect(),
            )
        }),
        draft_version: v.draft().map(|(ver, _)| ver),
        versions: v
            .criteria
            .iter()
            .map(|c| {
                (
                    c.version,
                    label(u, "gk-criteria-status", &c.status),
                    c.published_at
                        .map(|t| u.tr.datetime(&t))
                        .unwrap_or_else(|| u.tr.datetime(&c.created_at)),
                )
            })
            .collect(),
        budgets: v.budgets.iter().map(|b| budget_line(u, b)).collect(),
        admin,
        settings,
        settings_summary,
        units: units(u),
        roles: karuna_domain::gatekeeping::DECIDING_ROLES
            .iter()
            .map(|r| Choice {
                value: r.to_string(),
                label: label(u, "role", r),
            })
            .collect(),
        authorities: authority_rows,
        criteria_rows,
        criteria_error,
        facts,
        results,
        budget_form,
        budget_summary,
        years: (this_year - 1..=this_year + 1)
            .map(|y| Choice {
                value: y.to_string(),
                label: fiscal_year(u, i64::from(y)),
            })
            .collect(),
        unit_choices,
        baht: unit == Unit::Baht,
        flash,
    };
    Ok(render(status, &page))
}

/// `GET /programmes/{id}`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let flash = q.saved.map(|_| u.tr.get("gk-saved"));
    programme_page(&state, &u, id, Forms::default(), flash, StatusCode::OK).await
}

/// `POST /programmes/{id}`: changes the settings (administrators).
pub async fn update(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let version = p.get("version").parse().ok();
    let input = programme_input(&p, version);
    match state
        .app
        .update_programme(&u.user, &u.ctx, id, &input)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/programmes/{id}?saved=1")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict)) => {
            let (status, fields) = refusal(&u, e);
            let forms = Forms {
                settings: Some(FormState::from_pairs(&p.0).errors(fields)),
                ..Forms::default()
            };
            programme_page(&state, &u, id, forms, None, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// Reads the sample case typed on the criteria form: empty is unknown.
fn typed_facts(p: &Pairs) -> (BTreeMap<String, String>, Facts, Vec<(String, String)>) {
    let mut typed = BTreeMap::new();
    let mut facts = Facts::new();
    let mut errors = Vec::new();
    for f in FACTS.iter().filter(|f| f.name != "earlier_allocations") {
        let raw = p.get(&format!("fact_{}", f.name));
        let t = raw.trim();
        typed.insert(f.name.to_string(), raw.clone());
        if t.is_empty() {
            continue;
        }
        let value = match f.kind {
            FactKind::Int => match t.replace(',', "").parse::<i64>() {
                Ok(n) => Some(FactValue::Int(n)),
                Err(_) => {
                    errors.push((format!("fact_{}", f.name), "int".to_string()));
                    None
                }
            },
            FactKind::Bool => Some(FactValue::Bool(t == "true")),
            FactKind::String => Some(FactValue::Text(t.to_string())),
            FactKind::List => Some(FactValue::List(
                t.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|s| FactValue::Text(s.to_string()))
                    .collect(),
            )),
            FactKind::Map => Some(FactValue::Map(
                t.split(',')
                    .filter_map(|kv| {
                        let (k, v) = kv.split_once('=')?;
                        let v = v.trim();
                        let value = match v.parse::<i64>() {
                            Ok(n) => FactValue::Int(n),
                            Err(_) => match v {
                                "true" | "false" => FactValue::Bool(v == "true"),
                                _ => FactValue::Text(v.to_string()),
                            },
                        };
                        Some((k.trim().to_string(), value))
                    })
                    .collect(),
            )),
        };
        if let Some(v) = value {
            facts.insert(f.name.to_string(), v);
        }
    }
    (typed, facts, errors)
}

/// `POST /programmes/{id}/criteria`: saves the draft, or tries the rules on the sample case
/// (`action=test`, nothing stored).
pub async fn criteria(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let mut rows = Vec::new();
    for i in 0..criteria::CRITERIA_MAX + 3 {
        if !p.has(&format!("crit_rule_{i}")) {
            break;
        }
        let c = CriterionInput {
            label_th: p.get(&format!("crit_label_th_{i}")),
            label_en: p.get(&format!("crit_label_en_{i}")),
            rule: p.get(&format!("crit_rule_{i}")),
        };
        if c.label_th.trim().is_empty() && c.label_en.trim().is_empty() && c.rule.trim().is_empty()
        {
            continue;
        }
        rows.push(c);
    }
    let (typed, facts, fact_errors) = typed_facts(&p);
    if p.get("action") == "test" {
        if !fact_errors.is_empty() {
            let errs = vec![("facts".to_string(), u.tr.get("gk-fact-int-error"))];
            let forms = Forms {
                criteria: Some((rows, errs)),
                facts: Some(typed),
                ..Forms::default()
            };
            return programme_page(
                &state,
                &u,
                id,
                forms,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
        return match state
            .app
            .test_criteria(&u.user, &u.ctx, id, Some(&rows), &facts)
            .await
        {
            Ok(check) => {
                let forms = Forms {
                    criteria: Some((rows, Vec::new())),
                    facts: Some(typed),
                    results: Some(check),
                    ..Forms::default()
                };
                programme_page(&state, &u, id, forms, None, StatusCode::OK).await
            }
            Err(e @ AppError::Invalid(_)) => {
                let (status, fields) = refusal(&u, e);
                let forms = Forms {
                    criteria: Some((rows, fields)),
                    facts: Some(typed),
                    ..Forms::default()
                };
                programme_page(&state, &u, id, forms, None, status).await
            }
            Err(e) => Err(u.err(e)),
        };
    }
    match state.app.save_criteria(&u.user, &u.ctx, id, &rows).await {
        Ok(_) => Ok(Redirect::to(&format!("/programmes/{id}?saved=1#criteria")).into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let (status, fields) = refusal(&u, e);
            let forms = Forms {
                criteria: Some((rows, fields)),
                facts: Some(typed),
                ..Forms::default()
            };
            programme_page(&state, &u, id, forms, None, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /programmes/{id}/criteria/publish`.
pub async fn publish(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    match state.app.publish_criteria(&u.user, &u.ctx, id).await {
        Ok(_) => Ok(Redirect::to(&format!("/programmes/{id}?saved=1#criteria")).into_response()),
        Err(AppError::Refused(code)) => {
            let message =
                u.tr.get(&format!("problem-{}-detail", code.replace('_', "-")));
            let forms = Forms {
                error: Some(message),
                ..Forms::default()
            };
            programme_page(&state, &u, id, forms, None, StatusCode::CONFLICT).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /programmes/{id}/budgets`: adds to (or reduces) a fiscal year's budget.
pub async fn allocate(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = BudgetInput {
        fiscal_year: p.get("fiscal_year").trim().parse().unwrap_or(0),
        unit_id: p.get("unit_id"),
        amount: p.get("amount"),
        note: p.get("note"),
    };
    match state.app.allocate_budget(&u.user, &u.ctx, id, &input).await {
        Ok(b) => Ok(Redirect::to(&format!("/budgets/{b}?saved=1")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Refused(_))) => {
            let (status, fields) = refusal(&u, e);
            let forms = Forms {
                budget: Some(FormState::from_pairs(&p.0).errors(fields)),
                ..Forms::default()
            };
            programme_page(&state, &u, id, forms, None, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use karuna_domain::gatekeeping::criteria::Outcome;

    #[test]
    fn outcomes_have_badges() {
        let l = ResultLine {
            label: String::new(),
            rule: String::new(),
            outcome: String::new(),
            outcome_code: Outcome::Met.code(),
            facts: String::new(),
        };
        assert_eq!(l.badge(), "badge-ok");
    }
}
