//! The resource directory in the browser: search by words, category and area (`/resources`),
//! a service's page, a provider's page with its locations and services, and — administrators
//! and designated resource editors — the forms that add and change them and "verified today".

use super::intake::{district_choices, TextField};
use super::users::Choice;
use super::{refusal, render, Chrome, ErrorLink, FormState};
use crate::auth::{PageUser, WebForm};
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::resource::{input_of, DirectorySearch, PAGE_SIZE};
use karuna_app::AppError;
use karuna_domain::resource::{
    Category, LocationInput, OrganizationInput, ServiceInput, ServiceStatus,
};
use karuna_store::resource::{LocationRow, ServiceRow};
use karuna_thai::address;
use uuid::Uuid;

fn id_of(u: &PageUser, id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| u.err(AppError::NotFound))
}

/// Text inputs of a form whose element ids are the field names: (name, label key, kind).
fn text_fields(
    u: &PageUser,
    form: &FormState,
    specs: &[(&str, &str, &'static str)],
) -> Vec<TextField> {
    specs
        .iter()
        .map(|(name, key, kind)| TextField {
            id: name.to_string(),
            name: name.to_string(),
            label: u.tr.get(key),
            value: form.value(name).to_string(),
            error: form.error(name).map(str::to_string),
            hint: u
                .tr
                .has(&format!("{key}-hint"))
                .then(|| u.tr.get(&format!("{key}-hint"))),
            kind,
        })
        .collect()
}

fn category_choices(u: &PageUser) -> Vec<Choice> {
    Category::ALL
        .iter()
        .map(|c| Choice {
            value: c.code().into(),
            label: u
                .tr
                .get(&format!("resource-category-{}", c.code().replace('_', "-"))),
        })
        .collect()
}

/// Every province, named in the user's language, for a select.
pub(crate) fn province_choices(u: &PageUser) -> Vec<Choice> {
    address::provinces()
        .iter()
        .map(|p| Choice {
            value: p.code.into(),
            label: p.full_name(u.tr.lang),
        })
        .collect()
}

/// An area code as the user reads it.
fn area_name(u: &PageUser, code: &str) -> String {
    match code.len() {
        2 => address::province(code).map(|p| p.full_name(u.tr.lang)),
        4 => address::district(code).map(|d| {
            let province = address::province(d.province_code)
                .map(|p| p.full_name(u.tr.lang))
                .unwrap_or_default();
            format!("{} {}", d.full_name(u.tr.lang), province)
        }),
        _ => None,
    }
    .unwrap_or_else(|| code.to_string())
}

/// A service as a list line or a page shows it.
struct ServiceLine {
    id: Uuid,
    name: String,
    provider_id: Uuid,
    provider_name: String,
    categories: Vec<String>,
    status: String,
    active: bool,
    area: String,
    vacancy: Option<String>,
    stale: bool,
    verify_locally: bool,
}

fn line(u: &PageUser, s: &ServiceRow, stale: bool) -> ServiceLine {
    let area = if s.national {
        u.tr.get("resource-national")
    } else {
        let names: Vec<String> = s.areas.iter().take(3).map(|a| area_name(u, a)).collect();
        let more = s.areas.len().saturating_sub(3);
        if more > 0 {
            format!(
                "{} {}",
                names.join(", "),
                u.tr.get1("resource-areas-more", "n", &more.to_string())
            )
        } else {
            names.join(", ")
        }
    };
    ServiceLine {
        id: s.id,
        name: s.name.clone(),
        provider_id: s.provider_id,
        provider_name: s.provider_name.clone(),
        categories: s
            .categories
            .iter()
            .map(|c| {
                u.tr.get(&format!("resource-category-{}", c.replace('_', "-")))
            })
            .collect(),
        status: u
            .tr
            .get(&format!("resource-status-{}", s.status.replace('_', "-"))),
        active: s.status == ServiceStatus::Active.code(),
        area,
        vacancy: match (s.vacancy, s.capacity) {
            (Some(v), Some(c)) => Some(u.tr.args(
                "resource-vacancy-of",
                &[("n", v.to_string()), ("of", c.to_string())],
            )),
            (Some(v), None) => Some(u.tr.get1("resource-vacancy", "n", &v.to_string())),
            _ => None,
        },
        stale,
        verify_locally: s.verify_locally,
    }
}

#[derive(Template)]
#[template(path = "resources.html")]
struct DirectoryPage {
    c: Chrome,
    form: FormState,
    categories: Vec<Choice>,
    provinces: Vec<Choice>,
    districts: Vec<Choice>,
    lines: Vec<ServiceLine>,
    total: i64,
    pages: i64,
    page_label: String,
    prev: Option<String>,
    next: Option<String>,
    searched: bool,
    editor: bool,
    /// Searching for a case's referral: each service links to the referral form.
    refer_case: Option<Uuid>,
    summary: Vec<ErrorLink>,
    flash: Option<String>,
}

fn page_link(pairs: &[(String, String)], page: i64) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs.iter().filter(|(k, _)| k != "page") {
        s.append_pair(k, v);
    }
    s.append_pair("page", &page.to_string());
    format!("/resources?{}", s.finish())
}

/// `GET /resources`.
pub async fn directory(
    State(state): State<AppState>,
    u: PageUser,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let form = FormState::from_pairs(&pairs);
    directory_page(&state, &u, &pairs, form, StatusCode::OK).await
}

/// The directory page for the query `pairs`; `form` carries errors of its own (a refused
/// import) besides the search's.
pub(super) async fn directory_page(
    state: &AppState,
    u: &PageUser,
    pairs: &[(String, String)],
    form: FormState,
    status: StatusCode,
) -> Result<Response, WebError> {
    let search: DirectorySearch = crate::api::resources::search_from(pairs);
    let editor = state
        .app
        .can_edit_resources(&u.user)
        .await
        .map_err(|e| u.err(e))?;
    let districts = district_choices(&search.province, u.tr.lang);
    let (status, form, lines, total, page) =
        match state.app.directory(&u.user, &u.ctx, &search).await {
            Ok(p) => {
                let lines = p
                    .items
                    .iter()
                    .map(|(s, stale)| line(u, s, *stale))
                    .collect();
                (status, form, lines, p.total, p.page)
            }
            Err(e @ AppError::Invalid(_)) => {
                let (status, fields) = refusal(u, e);
                (status, form.errors(fields), Vec::new(), 0, 1)
            }
            Err(e) => return Err(u.err(e)),
        };
    let pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
    let summary = form.summary_by_name(
        &u.tr,
        &[
            ("q", "resource-search-words"),
            ("category", "resource-category"),
            ("province", "address-province"),
            ("district", "resource-district"),
        ],
    );
    let flash = pairs.iter().find(|(k, _)| k == "imported").map(|(_, v)| {
        let n: Vec<String> = v.split('.').map(str::to_string).collect();
        let get = |i: usize| n.get(i).cloned().unwrap_or_default();
        u.tr.args(
            "resource-imported",
            &[
                ("pa", get(0)),
                ("pu", get(1)),
                ("sa", get(2)),
                ("su", get(3)),
            ],
        )
    });
    let p = DirectoryPage {
        c: Chrome::for_user(u, "/resources"),
        categories: category_choices(u),
        provinces: province_choices(u),
        districts,
        lines,
        total,
        pages,
        page_label: u.tr.args(
            "resource-page-of",
            &[("n", page.to_string()), ("of", pages.to_string())],
        ),
        prev: (page > 1).then(|| page_link(pairs, page - 1)),
        next: (page < pages).then(|| page_link(pairs, page + 1)),
        searched: pairs.iter().any(|(k, _)| k != "case" && k != "imported"),
        editor,
        refer_case: pairs
            .iter()
            .rev()
            .find(|(k, _)| k == "case")
            .and_then(|(_, v)| Uuid::parse_str(v).ok()),
        summary,
        flash,
        form,
    };
    Ok(render(status, &p))
}

struct Fact {
    label: String,
    value: String,
}

#[derive(Template)]
#[template(path = "resource_service.html")]
struct ServicePage {
    c: Chrome,
    s: ServiceLine,
    version: i64,
    description: String,
    facts: Vec<Fact>,
    url: String,
    location: Option<(String, String)>,
    source: String,
    verified: String,
    history: Vec<(i64, String, String)>,
    editor: bool,
    flash: Option<String>,
}

fn location_text(u: &PageUser, l: &LocationRow) -> (String, String) {
    let f = &l.fields;
    let area = if f.district_code.is_empty() {
        area_name(u, &f.province_code)
    } else {
        area_name(u, &f.district_code)
    };
    let place = [f.address.as_str(), area.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    (f.name.clone(), place)
}

/// Query flags after a redirect.
#[derive(Debug, serde::Deserialize, Default)]
#[serde(default)]
pub struct Flash {
    saved: Option<String>,
}

/// `GET /resources/services/{id}`.
pub async fn service(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> Result<Response, WebError> {
    let id = id_of(&u, &id)?;
    let v = state
        .app
        .resource_service(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let editor = state
        .app
        .can_edit_resources(&u.user)
        .await
        .map_err(|e| u.err(e))?;
    let s = &v.service;
    let mut facts = Vec::new();
    let mut fact = |key: &str, value: &str| {
        if !value.trim().is_empty() {
            facts.push(Fact {
                label: u.tr.get(key),
                value: value.to_string(),
            });
        }
    };
    fact("resource-eligibility", &s.eligibility_description);
    fact("resource-documents", &s.required_documents);
    fact("resource-fees", &s.fees);
    fact("resource-hours", &s.hours);
    fact("resource-phone", &s.phone);
    fact("resource-email", &s.email);
    let languages: Vec<String> = s
        .languages
        .iter()
        .map(|l| {
            let key = format!("language-{l}");
            if u.tr.has(&key) {
                u.tr.get(&key)
            } else {
                l.clone()
            }
        })
        .collect();
    fact("resource-languages", &languages.join(", "));
    if let Some(c) = s.capacity {
        fact("resource-capacity", &c.to_string());
    }
    let all_areas = if s.national {
        u.tr.get("resource-national")
    } else {
        s.areas
            .iter()
            .map(|a| area_name(&u, a))
            .collect::<Vec<_>>()
            .join(", ")
    };
    fact("resource-area", &all_areas);
    let p = ServicePage {
        c: Chrome::for_user(&u, "/resources"),
        version: s.version,
        description: s.description.clone(),
        url: s.url.clone(),
        location: v.location.as_ref().map(|l| location_text(&u, l)),
        source: s.source.clone(),
        verified: s
            .last_verified_on
            .map(|d| u.tr.date(&d))
            .unwrap_or_else(|| u.tr.get("resource-never-verified")),
        history: v
            .history
            .iter()
            .map(|r| {
                (
                    r.version,
                    r.actor
                        .clone()
                        .unwrap_or_else(|| u.tr.get("resource-history-import")),
                    u.tr.datetime(&r.at),
                )
            })
            .collect(),
        editor,
        flash: flash.saved.map(|_| u.tr.get("resource-saved")),
        s: line(&u, s, v.stale),
        facts,
    };
    Ok(render(StatusCode::OK, &p))
}

#[derive(Template)]
#[template(path = "resource_provider.html")]
struct ProviderPage {
    c: Chrome,
    id: Uuid,
    f: OrganizationInput,
    locations: Vec<(Uuid, String, String)>,
    services: Vec<ServiceLine>,
    editor: bool,
    location_form: FormState,
    provinces: Vec<Choice>,
    districts: Vec<Choice>,
    flash: Option<String>,
}

async fn provider_page(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    location_form: FormState,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let v = state
        .app
        .resource_provider(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let editor = state
        .app
        .can_edit_resources(&u.user)
        .await
        .map_err(|e| u.err(e))?;
    let today = karuna_thai::calendar::bangkok_date(chrono::Utc::now());
    let days = state.app.settings.resource_stale_days;
    let p = ProviderPage {
        c: Chrome::for_user(u, "/resources"),
        id,
        locations: v
            .locations
            .iter()
            .map(|l| {
                let (name, place) = location_text(u, l);
                (l.id, name, place)
            })
            .collect(),
        services: v
            .services
            .iter()
            .map(|s| {
                line(
                    u,
                    s,
                    karuna_domain::resource::is_stale(s.last_verified_on, today, days),
                )
            })
            .collect(),
        f: v.provider.fields,
        editor,
        districts: district_choices(location_form.value("province_code"), u.tr.lang),
        provinces: province_choices(u),
        location_form,
        flash,
    };
    Ok(render(status, &p))
}

/// `GET /resources/providers/{id}`.
pub async fn provider(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(flash): Query<Flash>,
) -> Result<Response, WebError> {
    let id = id_of(&u, &id)?;
    let flash = flash.saved.map(|_| u.tr.get("resource-saved"));
    provider_page(&state, &u, id, FormState::default(), flash, StatusCode::OK).await
}

/// `POST /resources/providers/{id}/locations`.
pub async fn add_location(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_of(&u, &id)?;
    let form = FormState::from_pairs(&pairs);
    u.check_csrf(form.value("csrf"))?;
    let input = LocationInput {
        name: form.value("name").into(),
        address: form.value("address").into(),
        province_code: form.value("province_code").into(),
        district_code: form.value("district_code").into(),
        hours: form.value("hours").into(),
        source: form.value("source").into(),
        verify_locally: !form.value("verify_locally").is_empty(),
    };
    match state.app.create_location(&u.user, &u.ctx, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/resources/providers/{id}?saved=1")).into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let (status, fields) = refusal(&u, e);
            provider_page(&state, &u, id, form.errors(fields), None, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

#[derive(Template)]
#[template(path = "resource_provider_form.html")]
struct ProviderForm {
    c: Chrome,
    action: String,
    fields: Vec<TextField>,
    form: FormState,
    summary: Vec<ErrorLink>,
    new: bool,
}

const PROVIDER_FIELDS: &[(&str, &str, &str)] = &[
    ("name", "resource-provider-name", "text"),
    ("alternate_name", "resource-alternate-name", "text"),
    ("description", "resource-description", "textarea"),
    ("website", "resource-website", "text"),
    ("email", "resource-email", "text"),
    ("phone", "resource-phone", "tel"),
    ("source", "resource-source", "text"),
];

fn labels(
    specs: &[(&'static str, &'static str, &'static str)],
) -> Vec<(&'static str, &'static str)> {
    specs.iter().map(|(n, k, _)| (*n, *k)).collect()
}

fn provider_form(
    u: &PageUser,
    action: String,
    form: FormState,
    new: bool,
    status: StatusCode,
) -> Response {
    let summary = form.summary_by_name(&u.tr, &labels(PROVIDER_FIELDS));
    render(
        status,
        &ProviderForm {
            c: Chrome::for_user(u, "/resources"),
            action,
            fields: text_fields(u, &form, PROVIDER_FIELDS),
            form,
            summary,
            new,
        },
    )
}

/// `GET /resources/providers/new`.
pub async fn new_provider(
    State(state): State<AppState>,
    u: PageUser,
) -> Result<Response, WebError> {
    state
        .app
        .authorize_edit(&u.user, &u.ctx, "resource.create", ("resource_org", None))
        .await
        .map_err(|e| u.err(e))?;
    Ok(provider_form(
        &u,
        "/resources/providers".into(),
        FormState::default(),
        true,
        StatusCode::OK,
    ))
}

fn provider_input(form: &FormState) -> OrganizationInput {
    OrganizationInput {
        name: form.value("name").into(),
        alternate_name: form.value("alternate_name").into(),
        description: form.value("description").into(),
        website: form.value("website").into(),
        email: form.value("email").into(),
        phone: form.value("phone").into(),
        source: form.value("source").into(),
        verify_locally: !form.value("verify_locally").is_empty(),
    }
}

/// `POST /resources/providers`.
pub async fn create_provider(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let form = FormState::from_pairs(&pairs);
    u.check_csrf(form.value("csrf"))?;
    match state
        .app
        .create_provider(&u.user, &u.ctx, &provider_input(&form))
        .await
    {
        Ok(id) => Ok(Redirect::to(&format!("/resources/providers/{id}?saved=1")).into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let (status, fields) = refusal(&u, e);
            Ok(provider_form(
                &u,
                "/resources/providers".into(),
                form.errors(fields),
                true,
                status,
            ))
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `GET /resources/providers/{id}/edit`.
pub async fn edit_provider(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_of(&u, &id)?;
    state
        .app
        .authorize_edit(
            &u.user,
            &u.ctx,
            "resource.update",
            ("resource_org", Some(id)),
        )
        .await
        .map_err(|e| u.err(e))?;
    let v = state
        .app
        .resource_provider(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let f = v.provider.fields;
    let form = FormState::with(&[
        ("version", v.provider.version.to_string()),
        ("name", f.name),
        ("alternate_name", f.alternate_name),
        ("description", f.description),
        ("website", f.website),
        ("email", f.email),
        ("phone", f.phone),
        ("source", f.source),
        (
            "verify_locally",
            if f.verify_locally { "on" } else { "" }.into(),
        ),
    ]);
    Ok(provider_form(
        &u,
        format!("/resources/providers/{id}"),
        form,
        false,
        StatusCode::OK,
    ))
}

/// `POST /resources/providers/{id}`.
pub async fn update_provider(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_of(&u, &id)?;
    let form = FormState::from_pairs(&pairs);
    u.check_csrf(form.value("csrf"))?;
    let version = form.value("version").trim().parse().unwrap_or(0);
    match state
        .app
        .update_provider(&u.user, &u.ctx, id, version, &provider_input(&form))
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/resources/providers/{id}?saved=1")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict)) => {
            let (status, fields) = refusal(&u, e);
            Ok(provider_form(
                &u,
                format!("/resources/providers/{id}"),
                form.errors(fields),
                false,
                status,
            ))
        }
        Err(e) => Err(u.err(e)),
    }
}

#[derive(Template)]
#[template(path = "resource_service_form.html")]
struct ServiceForm {
    c: Chrome,
    action: String,
    provider_name: String,
    fields: Vec<TextField>,
    more: Vec<TextField>,
    form: FormState,
    summary: Vec<ErrorLink>,
    categories: Vec<Choice>,
    statuses: Vec<Choice>,
    locations: Vec<Choice>,
    new: bool,
}

/// The service form's text inputs before the pickers.
const SERVICE_FIELDS: &[(&str, &str, &str)] = &[
    ("name", "resource-service-name", "text"),
    ("description", "resource-description", "textarea"),
    (
        "eligibility_description",
        "resource-eligibility",
        "textarea",
    ),
    ("eligibility_rule", "resource-eligibility-rule", "text"),
    ("required_documents", "resource-documents", "textarea"),
    ("fees", "resource-fees", "text"),
    ("languages", "resource-languages", "text"),
    ("hours", "resource-hours", "text"),
    ("phone", "resource-phone", "tel"),
    ("email", "resource-email", "text"),
    ("url", "resource-url", "text"),
    ("capacity", "resource-capacity", "text"),
    ("vacancy", "resource-vacancy-label", "text"),
];

/// The service form's text inputs after the pickers.
const SERVICE_MORE: &[(&str, &str, &str)] = &[
    ("areas", "resource-area-codes", "text"),
    ("last_verified_on", "resource-last-verified", "text"),
    ("source", "resource-source", "text"),
];

#[allow(clippy::too_many_arguments)]
async fn service_form(
    state: &AppState,
    u: &PageUser,
    provider_id: Uuid,
    action: String,
    form: FormState,
    new: bool,
    status: StatusCode,
) -> Result<Response, WebError> {
    let v = state
        .app
        .resource_provider(&u.user, &u.ctx, provider_id)
        .await
        .map_err(|e| u.err(e))?;
    let mut named = labels(SERVICE_FIELDS);
    named.extend(labels(SERVICE_MORE));
    named.extend([
        ("categories", "resource-category"),
        ("status", "resource-status"),
        ("location_id", "resource-location"),
    ]);
    let summary = form.summary_by_name(&u.tr, &named);
    let page = ServiceForm {
        c: Chrome::for_user(u, "/resources"),
        action,
        provider_name: v.provider.fields.name.clone(),
        fields: text_fields(u, &form, SERVICE_FIELDS),
        more: text_fields(u, &form, SERVICE_MORE),
        summary,
        categories: category_choices(u),
        statuses: ServiceStatus::ALL
            .iter()
            .map(|s| Choice {
                value: s.code().into(),
                label: u
                    .tr
                    .get(&format!("resource-status-{}", s.code().replace('_', "-"))),
            })
            .collect(),
        locations: v
            .locations
            .iter()
            .map(|l| Choice {
                value: l.id.to_string(),
                label: location_text(u, l).0,
            })
            .collect(),
        form,
        new,
    };
    Ok(render(status, &page))
}

fn count_field(form: &FormState, name: &str) -> Result<Option<i64>, (String, String)> {
    match form.value(name).trim() {
        "" => Ok(None),
        t => t
            .parse()
            .map(Some)
            .map_err(|_| (name.to_string(), "resource.count_invalid".to_string())),
    }
}

/// The service form's fields as the use case's input; a number that is not one is a field
/// error of its own.
fn service_input(
    form: &FormState,
    era: karuna_thai::calendar::Era,
) -> Result<ServiceInput, Vec<karuna_domain::error::FieldError>> {
    let split = |name: &str| -> Vec<String> {
        form.value(name)
            .split([',', ' ', '\n'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut errors = Vec::new();
    let capacity = count_field(form, "capacity").unwrap_or_else(|(f, c)| {
        errors.push(karuna_domain::error::FieldError::new(f, c));
        None
    });
    let vacancy = count_field(form, "vacancy").unwrap_or_else(|(f, c)| {
        errors.push(karuna_domain::error::FieldError::new(f, c));
        None
    });
    // The form takes the date in the user's calendar; the use case takes ISO.
    let last_verified_on = match form.value("last_verified_on").trim() {
        "" => String::new(),
        d => match karuna_thai::calendar::parse_date(d, era) {
            Ok(p) => p.date.format("%Y-%m-%d").to_string(),
            Err(e) => {
                errors.push(karuna_domain::error::FieldError::new(
                    "last_verified_on",
                    e.code(),
                ));
                String::new()
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ServiceInput {
        name: form.value("name").into(),
        description: form.value("description").into(),
        categories: form
            .value("categories")
            .split(',')
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect(),
        status: form.value("status").into(),
        eligibility_description: form.value("eligibility_description").into(),
        eligibility_rule: form.value("eligibility_rule").into(),
        required_documents: form.value("required_documents").into(),
        fees: form.value("fees").into(),
        languages: split("languages"),
        hours: form.value("hours").into(),
        phone: form.value("phone").into(),
        email: form.value("email").into(),
        url: form.value("url").into(),
        capacity,
        vacancy,
        national: !form.value("national").is_empty(),
        areas: split("areas"),
        location_id: form.value("location_id").into(),
        last_verified_on,
        source: form.value("source").into(),
        verify_locally: !form.value("verify_locally").is_empty(),
    })
}

/// `GET /resources/providers/{id}/services/new`.
pub async fn new_service(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_of(&u, &id)?;
    state
        .app
        .authorize_edit(
            &u.user,
            &u.ctx,
            "resource.create",
            ("resource_service", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let form = FormState::with(&[("status", "active".into()), ("languages", "th".into())]);
    service_form(
        &state,
        &u,
        id,
        format!("/resources/providers/{id}/services"),
        form,
        true,
        StatusCode::OK,
    )
    .await
}

/// `POST /resources/providers/{id}/services`.
pub async fn create_service(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_of(&u, &id)?;
    let form = FormState::from_pairs(&pairs);
    u.check_csrf(form.value("csrf"))?;
    let result = match service_input(&form, u.tr.era) {
        Ok(input) => state.app.create_service(&u.user, &u.ctx, id, &input).await,
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    let action = format!("/resources/providers/{id}/services");
    match result {
        Ok(sid) => Ok(Redirect::to(&format!("/resources/services/{sid}?saved=1")).into_response()),
        Err(e @ AppError::Invalid(_)) => {
            let (status, fields) = refusal(&u, e);
            service_form(&state, &u, id, action, form.errors(fields), true, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `GET /resources/services/{id}/edit`.
pub async fn edit_service(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = id_of(&u, &id)?;
    state
        .app
        .authorize_edit(
            &u.user,
            &u.ctx,
            "resource.update",
            ("resource_service", Some(id)),
        )
        .await
        .map_err(|e| u.err(e))?;
    let v = state
        .app
        .resource_service(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    let i = input_of(&v.service);
    let form = FormState::with(&[
        ("version", v.service.version.to_string()),
        ("name", i.name),
        ("description", i.description),
        ("categories", i.categories.join(",")),
        ("status", i.status),
        ("eligibility_description", i.eligibility_description),
        ("eligibility_rule", i.eligibility_rule),
        ("required_documents", i.required_documents),
        ("fees", i.fees),
        ("languages", i.languages.join(" ")),
        ("hours", i.hours),
        ("phone", i.phone),
        ("email", i.email),
        ("url", i.url),
        (
            "capacity",
            i.capacity.map(|c| c.to_string()).unwrap_or_default(),
        ),
        (
            "vacancy",
            i.vacancy.map(|c| c.to_string()).unwrap_or_default(),
        ),
        ("national", if i.national { "on" } else { "" }.into()),
        ("areas", i.areas.join(" ")),
        ("location_id", i.location_id),
        (
            "last_verified_on",
            v.service
                .last_verified_on
                .map(|d| u.tr.date_input(&d))
                .unwrap_or_default(),
        ),
        ("source", i.source),
        (
            "verify_locally",
            if i.verify_locally { "on" } else { "" }.into(),
        ),
    ]);
    service_form(
        &state,
        &u,
        v.service.provider_id,
        format!("/resources/services/{id}"),
        form,
        false,
        StatusCode::OK,
    )
    .await
}

/// `POST /resources/services/{id}`.
pub async fn update_service(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_of(&u, &id)?;
    let form = FormState::from_pairs(&pairs);
    u.check_csrf(form.value("csrf"))?;
    let version = form.value("version").trim().parse().unwrap_or(0);
    let result = match service_input(&form, u.tr.era) {
        Ok(input) => {
            state
                .app
                .update_service(&u.user, &u.ctx, id, version, &input)
                .await
        }
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/resources/services/{id}?saved=1")).into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict)) => {
            let v = state
                .app
                .resource_service(&u.user, &u.ctx, id)
                .await
                .map_err(|e| u.err(e))?;
            let (status, fields) = refusal(&u, e);
            service_form(
                &state,
                &u,
                v.service.provider_id,
                format!("/resources/services/{id}"),
                form.errors(fields),
                false,
                status,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /resources/services/{id}/verify`.
pub async fn verify_service(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = id_of(&u, &id)?;
    let form = FormState::from_pairs(&pairs);
    u.check_csrf(form.value("csrf"))?;
    let version = form.value("version").trim().parse().unwrap_or(0);
    state
        .app
        .verify_service(&u.user, &u.ctx, id, version)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Redirect::to(&format!("/resources/services/{id}?saved=1")).into_response())
}
