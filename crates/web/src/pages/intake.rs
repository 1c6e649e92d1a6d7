//! The guided intake: (1) who the client is — checked against persons already on record before
//! anyone new is created, (2) consent, (3) referral and presenting problem, (4) the safety
//! screening, (5) case types. Works without JavaScript; htmx fills the address pickers.

use super::cases::case_type_choices;
use super::users::Choice;
use super::{render, Chrome, ErrorLink, FormState};
use crate::auth::{PageUser, WebForm};
use crate::error::{Surface, WebError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::intake::{AddressInput, ConsentInput, IntakeInput, CONSENT_STATES, LAWFUL_BASES};
use karuna_app::person::Candidate;
use karuna_app::AppError;
use karuna_domain::access::Action;
use karuna_domain::case::{SafetyAnswer, REFERRAL_SOURCES, SAFETY_QUESTIONS};
use karuna_domain::person::{DocumentInput, PersonInput, SEXES};
use karuna_thai::address;
use karuna_thai::lang::Lang;
use karuna_thai::national_id::IdDocumentKind;
use std::collections::HashMap;

/// Submitted form pairs, in order (repeated names allowed).
pub struct Pairs(pub Vec<(String, String)>);

impl Pairs {
    /// The last value of a field, or "".
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// Every value of a field.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// True when the field was sent.
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }
}

/// Reads a person's fields from a form; `prefix` is the group the names carry (`client` gives
/// `client.first_name_th`), empty for forms with bare names. Phones are `phones[0]` and
/// `phones[1]`.
pub fn person_input(p: &Pairs, prefix: &str) -> PersonInput {
    let get = |name: &str| {
        if prefix.is_empty() {
            p.get(name)
        } else {
            p.get(&format!("{prefix}.{name}"))
        }
    };
    PersonInput {
        prefix: get("prefix"),
        first_name_th: get("first_name_th"),
        middle_name_th: get("middle_name_th"),
        last_name_th: get("last_name_th"),
        first_name_latin: get("first_name_latin"),
        middle_name_latin: get("middle_name_latin"),
        last_name_latin: get("last_name_latin"),
        nickname: get("nickname"),
        sex: get("sex"),
        birth_date: get("birth_date"),
        birth_year: get("birth_year"),
        nationality: get("nationality"),
        ethnicity: get("ethnicity"),
        languages: get("languages"),
        phones: vec![get("phones[0]"), get("phones[1]")],
    }
}

/// Reads the intake form into the use case's input.
pub fn intake_input(p: &Pairs) -> IntakeInput {
    let documents = (0..2)
        .map(|i| DocumentInput {
            kind: p.get(&format!("documents[{i}].kind")),
            number: p.get(&format!("documents[{i}].number")),
            country: p.get(&format!("documents[{i}].country")),
            override_reason: p.get(&format!("documents[{i}].override_reason")),
        })
        .collect();
    IntakeInput {
        existing_client_id: p.get("existing_client_id"),
        client: person_input(p, "client"),
        documents,
        address: AddressInput {
            house_no: p.get("address.house_no"),
            moo: p.get("address.moo"),
            village: p.get("address.village"),
            soi: p.get("address.soi"),
            road: p.get("address.road"),
            province_code: p.get("address.province_code"),
            district_code: p.get("address.district_code"),
            subdistrict_code: p.get("address.subdistrict_code"),
            postcode: p.get("address.postcode"),
        },
        consent: ConsentInput {
            status: p.get("consent.status"),
            lawful_basis: p.get("consent.lawful_basis"),
            evidence_note: p.get("consent.evidence_note"),
        },
        referral_source: p.get("referral_source"),
        referral_note: p.get("referral_note"),
        presenting_problem: p.get("presenting_problem"),
        safety: SAFETY_QUESTIONS
            .iter()
            .filter_map(|q| {
                // No answer (or one that is not a code) stays out: the screening names it.
                SafetyAnswer::from_code(&p.get(&format!("safety.{}", q.code)))
                    .map(|a| (q.code.to_string(), a))
            })
            .collect(),
        case_types: p.all("case_types"),
        sensitive: p.get("sensitive") == "on",
        unit_id: p.get("unit_id"),
        manager_id: String::new(),
    }
}

/// One text input of a form, prepared for the template.
pub struct TextField {
    /// Element id (letters, digits, dashes).
    pub id: String,
    /// Submitted name.
    pub name: String,
    /// Label.
    pub label: String,
    /// Current value.
    pub value: String,
    /// Message when it failed.
    pub error: Option<String>,
    /// A hint under the field.
    pub hint: Option<String>,
    /// `text`, `tel`, `date`-like text, or `textarea`.
    pub kind: &'static str,
}

/// Builds a text field from the form state.
pub fn text_field(
    u: &PageUser,
    form: &FormState,
    name: &str,
    label_key: &str,
    kind: &'static str,
    hint: Option<String>,
) -> TextField {
    TextField {
        id: name
            .replace(['.', '[', ']', '_'], "-")
            .trim_matches('-')
            .replace("--", "-"),
        name: name.to_string(),
        label: u.tr.get(label_key),
        value: form.value(name).to_string(),
        error: form.error(name).map(str::to_string),
        hint,
        kind,
    }
}

#[derive(Template)]
#[template(path = "intake.html")]
struct IntakePage {
    c: Chrome,
    form: FormState,
    summary: Vec<ErrorLink>,
    candidates: Vec<Candidate>,
    names: Vec<TextField>,
    person_more: Vec<TextField>,
    address_fields: Vec<TextField>,
    prefixes: Vec<Choice>,
    sexes: Vec<Choice>,
    document_kinds: Vec<Choice>,
    provinces: Vec<Choice>,
    districts: Vec<Choice>,
    subdistricts: Vec<Choice>,
    consent_states: Vec<Choice>,
    lawful_bases: Vec<Choice>,
    referral_sources: Vec<Choice>,
    safety: Vec<Choice>,
    case_types: Vec<Choice>,
    units: Vec<Choice>,
}

fn choices(u: &PageUser, prefix: &str, codes: &[&str]) -> Vec<Choice> {
    codes
        .iter()
        .map(|c| Choice {
            value: c.to_string(),
            label: u.tr.get(&format!("{prefix}-{}", c.replace('_', "-"))),
        })
        .collect()
}

/// The element id and label key of an intake field that is not a plain text field (those
/// describe themselves), for the error summary.
fn intake_field(name: &str) -> Option<(String, String)> {
    let fixed = match name {
        "client.prefix" => Some(("client-prefix", "person-prefix")),
        "client.sex" => Some(("client-sex", "person-sex")),
        "address.province_code" => Some(("province", "address-province")),
        "address.district_code" => Some(("district", "address-district")),
        "address.subdistrict_code" => Some(("subdistrict", "address-subdistrict")),
        "address.postcode" => Some(("postcode", "address-postcode")),
        "consent.status" => Some(("consent-status", "consent-status")),
        "consent.lawful_basis" => Some(("consent-basis", "consent-basis")),
        "referral_source" => Some(("referral-source", "case-referral-source")),
        "referral_note" => Some(("referral-note", "case-referral-note")),
        "presenting_problem" => Some(("presenting-problem", "case-presenting-problem")),
        "case_types" => Some(("case-types-error", "intake-step-type")),
        "unit_id" => Some(("unit", "case-unit")),
        _ => None,
    };
    if let Some((id, key)) = fixed {
        return Some((id.to_string(), key.to_string()));
    }
    // documents[0].number → doc0-number
    let rest = name.strip_prefix("documents[")?;
    let (i, field) = rest.split_once("].")?;
    let key = match field {
        "kind" => "document-kind",
        "number" => "document-number",
        "country" => "document-country",
        "override_reason" => "document-override-reason",
        _ => return None,
    };
    let id = if field == "override_reason" {
        "override"
    } else {
        field
    };
    Some((format!("doc{i}-{id}"), key.to_string()))
}

/// District options for a province (empty when unknown).
pub fn district_choices(province: &str, lang: Lang) -> Vec<Choice> {
    address::districts(province.trim())
        .into_iter()
        .map(|d| Choice {
            value: d.code.into(),
            label: d.full_name(lang),
        })
        .collect()
}

/// Subdistrict options for a district (empty when unknown).
pub fn subdistrict_choices(district: &str, lang: Lang) -> Vec<Choice> {
    address::subdistricts(district.trim())
        .into_iter()
        .map(|s| Choice {
            value: s.code.into(),
            label: s.full_name(lang),
        })
        .collect()
}

async fn page(
    state: &AppState,
    u: &PageUser,
    form: FormState,
    candidates: Vec<Candidate>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let units = state.app.units(&u.user).await.map_err(|e| u.err(e))?;
    let case_types = state
        .app
        .case_types(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let lang = u.tr.lang;
    let date_hint =
        u.tr.get(if u.tr.era == karuna_thai::calendar::Era::Buddhist {
            "date-hint-be"
        } else {
            "date-hint-ce"
        });
    let t = |name: &str, key: &str, kind: &'static str, hint: Option<String>| {
        text_field(u, &form, name, key, kind, hint)
    };
    let names = vec![
        t("client.first_name_th", "person-first-name-th", "text", None),
        t("client.last_name_th", "person-last-name-th", "text", None),
        t(
            "client.first_name_latin",
            "person-first-name-latin",
            "text",
            Some(u.tr.get("person-latin-hint")),
        ),
        t(
            "client.last_name_latin",
            "person-last-name-latin",
            "text",
            None,
        ),
        t("client.nickname", "person-nickname", "text", None),
    ];
    let person_more = vec![
        t(
            "client.birth_date",
            "person-birth-date",
            "text",
            Some(date_hint),
        ),
        t(
            "client.birth_year",
            "person-birth-year",
            "text",
            Some(u.tr.get("person-birth-year-hint")),
        ),
        t("client.nationality", "person-nationality", "text", None),
        t(
            "client.ethnicity",
            "person-ethnicity",
            "text",
            Some(u.tr.get("person-ethnicity-hint")),
        ),
        t(
            "client.languages",
            "person-languages",
            "text",
            Some(u.tr.get("person-languages-hint")),
        ),
        t(
            "client.phones[0]",
            "person-phone",
            "tel",
            Some(u.tr.get("person-phone-hint")),
        ),
        t("client.phones[1]", "person-phone-2", "tel", None),
    ];
    let address_fields = vec![
        t("address.house_no", "address-house-no", "text", None),
        t("address.moo", "address-moo", "text", None),
        t("address.village", "address-village", "text", None),
        t("address.soi", "address-soi", "text", None),
        t("address.road", "address-road", "text", None),
    ];
    let summary = form.summary(|name| {
        names
            .iter()
            .chain(&person_more)
            .chain(&address_fields)
            .find(|f| f.name == name)
            .map(|f| (f.id.clone(), f.label.clone()))
            .or_else(|| intake_field(name).map(|(id, key)| (id, u.tr.get(&key))))
    });
    let page = IntakePage {
        c: Chrome::for_user(u, "/cases/new"),
        summary,
        names,
        person_more,
        address_fields,
        prefixes: karuna_thai::names::prefixes()
            .iter()
            .map(|p| Choice {
                value: p.code.into(),
                label: p.label(lang).into(),
            })
            .collect(),
        sexes: choices(u, "sex", &SEXES),
        document_kinds: IdDocumentKind::ALL
            .iter()
            .map(|k| Choice {
                value: k.code().into(),
                label: u
                    .tr
                    .get(&format!("document-{}", k.code().replace('_', "-"))),
            })
            .collect(),
        provinces: address::provinces()
            .iter()
            .map(|p| Choice {
                value: p.code.into(),
                label: p.full_name(lang),
            })
            .collect(),
        districts: district_choices(form.value("address.province_code"), lang),
        subdistricts: subdistrict_choices(form.value("address.district_code"), lang),
        consent_states: choices(u, "consent-status", &CONSENT_STATES[..2]),
        lawful_bases: choices(u, "consent-basis", &LAWFUL_BASES),
        referral_sources: choices(u, "referral", &REFERRAL_SOURCES),
        safety: SAFETY_QUESTIONS
            .iter()
            .map(|q| Choice {
                value: q.code.into(),
                label: u.tr.get(&format!("safety-q-{}", q.code.replace('_', "-"))),
            })
            .collect(),
        case_types: case_type_choices(u, &case_types, true),
        units: units
            .into_iter()
            .map(|x| Choice {
                value: x.id.to_string(),
                label: x.name,
            })
            .collect(),
        form,
        candidates,
    };
    Ok(render(status, &page))
}

/// `GET /cases/new`.
pub async fn new_form(State(state): State<AppState>, u: PageUser) -> Result<Response, WebError> {
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::CreateCase,
            "case.create",
            ("case", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let unit = u
        .user
        .actor
        .unit_id
        .map(|x| x.to_string())
        .unwrap_or_default();
    let form = FormState::with(&[
        ("unit_id", unit),
        ("documents[0].kind", "thai_national_id".into()),
        ("client.sex", "unknown".into()),
    ]);
    page(&state, &u, form, Vec::new(), StatusCode::OK).await
}

/// `POST /cases`: checks for the same person first, then creates the case.
pub async fn create(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            Action::CreateCase,
            "case.create",
            ("case", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let form = FormState::from_pairs(&p.0);
    if p.has("refresh_area") {
        return page(&state, &u, form, Vec::new(), StatusCode::OK).await;
    }
    let input = intake_input(&p);
    if input.existing_client_id.trim().is_empty() && p.get("confirm_new") != "on" {
        let candidates = state
            .app
            .find_candidates(&u.user, &u.ctx, &input.client, &input.documents)
            .await
            .map_err(|e| u.err(e))?;
        if !candidates.is_empty() {
            return page(&state, &u, form, candidates, StatusCode::OK).await;
        }
    }
    match state.app.intake(&u.user, &u.ctx, &input).await {
        Ok(r) => {
            // A year read in the other era is said on the next page.
            let era = r
                .notices
                .iter()
                .find_map(|n| n.code.strip_prefix("date.understood_"))
                .unwrap_or("");
            let notice = if era.is_empty() {
                String::new()
            } else {
                format!("&understood={era}")
            };
            Ok(Redirect::to(&format!("/cases/{}?created=1{notice}", r.case_id)).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let fields =
                WebError::new(AppError::Invalid(errors), Surface::Page, u.tr.clone()).fields();
            page(
                &state,
                &u,
                form.errors(fields),
                Vec::new(),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}

#[derive(Template)]
#[template(path = "area_options.html")]
struct Options {
    placeholder: String,
    options: Vec<Choice>,
}

/// `GET /areas/options?address.province_code=…` or `?address.district_code=…`: the `<option>`s
/// for the next picker (htmx).
pub async fn area_options(u: PageUser, Query(q): Query<HashMap<String, String>>) -> Response {
    // The directory's and its location form's pickers name the province `province` and
    // `province_code`.
    let province = q
        .get("address.province_code")
        .or_else(|| q.get("province"))
        .or_else(|| q.get("province_code"));
    let (placeholder, options) = match (q.get("address.district_code"), province) {
        (Some(d), _) => (
            u.tr.get("address-choose-subdistrict"),
            subdistrict_choices(d, u.tr.lang),
        ),
        (None, Some(p)) => (
            u.tr.get("address-choose-district"),
            district_choices(p, u.tr.lang),
        ),
        _ => (String::new(), Vec::new()),
    };
    render(
        StatusCode::OK,
        &Options {
            placeholder,
            options,
        },
    )
}

#[derive(Template)]
#[template(path = "postcode_input.html")]
struct PostcodeInput {
    value: String,
}

/// `GET /areas/postcode?address.subdistrict_code=…`: the postcode input, filled when the
/// subdistrict has exactly one postcode (htmx).
pub async fn postcode(_u: PageUser, Query(q): Query<HashMap<String, String>>) -> Response {
    let code = q
        .get("address.subdistrict_code")
        .cloned()
        .unwrap_or_default();
    let value = address::subdistrict(code.trim())
        .and_then(|s| s.postcode())
        .unwrap_or("")
        .to_string();
    render(StatusCode::OK, &PostcodeInput { value })
}
