//! The resource directory (ทำเนียบหน่วยบริการ), modelled on the Open Referral Human Services
//! Data Specification (HSDS 3.0): an **organisation** provides **services**, each delivered at
//! a **location** (an organisation's office or shelter) and to a **service area** (provinces,
//! or districts of a province, or the whole country). Beyond HSDS, a service carries its
//! capacity and current vacancy, and a machine-readable eligibility rule that the gatekeeping
//! work evaluates later. Every entry names its source and whether it still has to be verified
//! locally (the seed set is public knowledge, never invented contact details).

use crate::error::{FieldError, Validation};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The longest name, in characters.
pub const NAME_MAX: usize = 300;
/// The longest description or other free text, in characters.
pub const TEXT_MAX: usize = 4000;
/// The longest contact field (phone, e-mail, address line, hours), in characters.
pub const SHORT_MAX: usize = 500;
/// The most area entries one service may list.
pub const AREAS_MAX: usize = 1000;

/// What kind of help a service gives, in the categories of Thai social welfare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Emergency and longer-term shelter (บ้านพัก).
    Shelter,
    /// Legal aid and advice.
    LegalAid,
    /// Health care.
    Health,
    /// Mental health and counselling.
    MentalHealth,
    /// Schooling, scholarships.
    Education,
    /// Work, training for work, income.
    Work,
    /// Cash and in-kind assistance.
    Assistance,
    /// Child protection.
    ChildProtection,
    /// Services for people with disabilities.
    Disability,
    /// Services for older people.
    OlderPeople,
    /// Help for victims of human trafficking.
    AntiTrafficking,
    /// General social welfare: the provincial offices, hotlines, information and referral.
    GeneralWelfare,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 12] = [
        Category::Shelter,
        Category::LegalAid,
        Category::Health,
        Category::MentalHealth,
        Category::Education,
        Category::Work,
        Category::Assistance,
        Category::ChildProtection,
        Category::Disability,
        Category::OlderPeople,
        Category::AntiTrafficking,
        Category::GeneralWelfare,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            Category::Shelter => "shelter",
            Category::LegalAid => "legal_aid",
            Category::Health => "health",
            Category::MentalHealth => "mental_health",
            Category::Education => "education",
            Category::Work => "work",
            Category::Assistance => "assistance",
            Category::ChildProtection => "child_protection",
            Category::Disability => "disability",
            Category::OlderPeople => "older_people",
            Category::AntiTrafficking => "anti_trafficking",
            Category::GeneralWelfare => "general_welfare",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// Whether a service can be used now (HSDS `service.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceStatus {
    /// Open.
    Active,
    /// Closed for a while (works, a full house, no staff).
    TemporarilyClosed,
    /// No longer offered.
    Defunct,
}

impl ServiceStatus {
    /// Every status.
    pub const ALL: [ServiceStatus; 3] = [
        ServiceStatus::Active,
        ServiceStatus::TemporarilyClosed,
        ServiceStatus::Defunct,
    ];

    /// Stable code (HSDS spells `temporarily closed` with a space; Karuna's code has `_`).
    pub fn code(self) -> &'static str {
        match self {
            ServiceStatus::Active => "active",
            ServiceStatus::TemporarilyClosed => "temporarily_closed",
            ServiceStatus::Defunct => "defunct",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<ServiceStatus> {
        ServiceStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// An organisation as typed (a form, the API or an HSDS file).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct OrganizationInput {
    /// Name (required).
    pub name: String,
    /// Another name or abbreviation (e.g. พมจ.).
    pub alternate_name: String,
    /// What it does.
    pub description: String,
    /// Web site (http or https).
    pub website: String,
    /// E-mail address.
    pub email: String,
    /// Telephone, as published.
    pub phone: String,
    /// Where the entry comes from (a published list, a web page, a phone call).
    pub source: String,
    /// The entry still has to be checked by someone who knows the place.
    pub verify_locally: bool,
}

/// A location (an office, a shelter) of an organisation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LocationInput {
    /// Name (e.g. "สำนักงาน พมจ. เชียงใหม่").
    pub name: String,
    /// Address line (house number, road), without the area names.
    pub address: String,
    /// Province code (2 digits), required.
    pub province_code: String,
    /// District code (4 digits) in that province, optional.
    pub district_code: String,
    /// Opening hours, as published.
    pub hours: String,
    /// Where the entry comes from.
    pub source: String,
    /// The entry still has to be checked locally.
    pub verify_locally: bool,
}

/// A service as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ServiceInput {
    /// Name (required).
    pub name: String,
    /// What it gives, to whom.
    pub description: String,
    /// Category codes (at least one).
    pub categories: Vec<String>,
    /// `active` (default), `temporarily_closed`, `defunct`.
    pub status: String,
    /// Who may use it, in words.
    pub eligibility_description: String,
    /// Who may use it, as a rule the gatekeeping work evaluates (kept as written for now).
    pub eligibility_rule: String,
    /// Documents to bring.
    pub required_documents: String,
    /// Fees, or "free of charge".
    pub fees: String,
    /// Languages spoken (ISO 639 codes: th, en, my, km, lo …).
    pub languages: Vec<String>,
    /// Opening hours, as published.
    pub hours: String,
    /// Telephone, as published.
    pub phone: String,
    /// E-mail address.
    pub email: String,
    /// Web page or app link (http or https).
    pub url: String,
    /// How many people it can serve at a time, when known.
    pub capacity: Option<i64>,
    /// How many places are free now, when known.
    pub vacancy: Option<i64>,
    /// Served everywhere in Thailand.
    pub national: bool,
    /// Areas served: province codes (2 digits) or district codes (4 digits).
    pub areas: Vec<String>,
    /// The location it is delivered at (an id of the organisation's locations), if any.
    pub location_id: String,
    /// When someone last confirmed the entry, in ISO form (YYYY-MM-DD).
    pub last_verified_on: String,
    /// Where the entry comes from.
    pub source: String,
    /// The entry still has to be checked locally.
    pub verify_locally: bool,
}

/// A service after checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidService {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Categories (deduplicated, in `Category::ALL` order).
    pub categories: Vec<Category>,
    /// Status.
    pub status: ServiceStatus,
    /// Eligibility in words.
    pub eligibility_description: String,
    /// Eligibility rule.
    pub eligibility_rule: String,
    /// Documents.
    pub required_documents: String,
    /// Fees.
    pub fees: String,
    /// Language codes (deduplicated, lower case).
    pub languages: Vec<String>,
    /// Hours.
    pub hours: String,
    /// Phone.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// URL.
    pub url: String,
    /// Capacity.
    pub capacity: Option<i64>,
    /// Vacancy.
    pub vacancy: Option<i64>,
    /// National.
    pub national: bool,
    /// Area codes (deduplicated, sorted; a district whose province is listed is dropped).
    pub areas: Vec<String>,
    /// Location id as typed (checked by the use case).
    pub location_id: Option<String>,
    /// Last verified.
    pub last_verified_on: Option<NaiveDate>,
    /// Source.
    pub source: String,
    /// To be verified locally.
    pub verify_locally: bool,
}

fn text(v: &mut Validation, field: &str, value: &str, max: usize) -> String {
    let t = value.trim();
    if t.chars().count() > max {
        v.push(FieldError::new(field, "too_long").arg("max", max));
    }
    t.to_string()
}

fn required(v: &mut Validation, field: &str, value: &str, max: usize) -> String {
    let t = text(v, field, value, max);
    v.check(t.is_empty(), field, "required");
    t
}

fn link(v: &mut Validation, field: &str, value: &str) -> String {
    let t = text(v, field, value, SHORT_MAX);
    if !t.is_empty() {
        let ok = (t.starts_with("https://") || t.starts_with("http://"))
            && t.len() > "https://".len()
            && !t.chars().any(|c| c.is_whitespace() || c.is_control());
        v.check(!ok, field, "resource.link_invalid");
    }
    t
}

fn email(v: &mut Validation, field: &str, value: &str) -> String {
    match crate::account::normalize_email(field, value) {
        Ok(e) => e.unwrap_or_default(),
        Err(e) => {
            v.push(e);
            String::new()
        }
    }
}

fn count(v: &mut Validation, field: &str, value: Option<i64>) -> Option<i64> {
    if let Some(n) = value {
        v.check(
            !(0..=1_000_000).contains(&n),
            field,
            "resource.count_invalid",
        );
    }
    value
}

/// Checks an organisation.
pub fn validate_organization(
    input: &OrganizationInput,
) -> Result<OrganizationInput, Vec<FieldError>> {
    let mut v = Validation::new();
    let out = OrganizationInput {
        name: required(&mut v, "name", &input.name, NAME_MAX),
        alternate_name: text(&mut v, "alternate_name", &input.alternate_name, NAME_MAX),
        description: text(&mut v, "description", &input.description, TEXT_MAX),
        website: link(&mut v, "website", &input.website),
        email: email(&mut v, "email", &input.email),
        phone: text(&mut v, "phone", &input.phone, SHORT_MAX),
        source: text(&mut v, "source", &input.source, SHORT_MAX),
        verify_locally: input.verify_locally,
    };
    v.finish()?;
    Ok(out)
}

/// Checks a location; `area_known(province, district)` says whether the codes name a real
/// province (and district of it).
pub fn validate_location(
    input: &LocationInput,
    area_known: impl Fn(&str, Option<&str>) -> bool,
) -> Result<LocationInput, Vec<FieldError>> {
    let mut v = Validation::new();
    let province = input.province_code.trim().to_string();
    let district = input.district_code.trim().to_string();
    v.check(province.is_empty(), "province_code", "required");
    if !province.is_empty() && !area_known(&province, None) {
        v.push(FieldError::new("province_code", "resource.area_unknown"));
    } else if !district.is_empty() && !area_known(&province, Some(&district)) {
        v.push(FieldError::new("district_code", "resource.area_unknown"));
    }
    let out = LocationInput {
        name: required(&mut v, "name", &input.name, NAME_MAX),
        address: text(&mut v, "address", &input.address, SHORT_MAX),
        province_code: province,
        district_code: district,
        hours: text(&mut v, "hours", &input.hours, SHORT_MAX),
        source: text(&mut v, "source", &input.source, SHORT_MAX),
        verify_locally: input.verify_locally,
    };
    v.finish()?;
    Ok(out)
}

/// Checks a service; `area_known(code)` says whether a 2-digit province or 4-digit district
/// code is real.
pub fn validate_service(
    input: &ServiceInput,
    area_known: impl Fn(&str) -> bool,
) -> Result<ValidService, Vec<FieldError>> {
    let mut v = Validation::new();
    let name = required(&mut v, "name", &input.name, NAME_MAX);
    let mut categories = Vec::new();
    for code in &input.categories {
        match Category::from_code(code.trim()) {
            Some(c) if !categories.contains(&c) => categories.push(c),
            Some(_) => {}
            None => v.push(FieldError::new("categories", "resource.category_unknown")),
        }
    }
    categories.sort();
    if input.categories.is_empty() {
        v.push(FieldError::new("categories", "required"));
    }
    let status = match input.status.trim() {
        "" => ServiceStatus::Active,
        s => ServiceStatus::from_code(s).unwrap_or_else(|| {
            v.push(FieldError::new("status", "resource.status_unknown"));
            ServiceStatus::Active
        }),
    };
    let mut languages: Vec<String> = Vec::new();
    for l in &input.languages {
        let l = l.trim().to_ascii_lowercase();
        let ok = (2..=3).contains(&l.len()) && l.chars().all(|c| c.is_ascii_lowercase());
        if !ok {
            v.push(FieldError::new("languages", "resource.language_invalid"));
        } else if !languages.contains(&l) {
            languages.push(l);
        }
    }
    let mut areas: Vec<String> = Vec::new();
    if input.areas.len() > AREAS_MAX {
        v.push(FieldError::new("areas", "resource.too_many_areas").arg("max", AREAS_MAX));
    } else {
        for a in &input.areas {
            let a = a.trim().to_string();
            if a.is_empty() {
                continue;
            }
            let shaped = (a.len() == 2 || a.len() == 4) && a.chars().all(|c| c.is_ascii_digit());
            if !shaped || !area_known(&a) {
                v.push(FieldError::new("areas", "resource.area_unknown").arg("code", &a));
            } else if !areas.contains(&a) {
                areas.push(a);
            }
        }
    }
    let provinces: Vec<String> = areas.iter().filter(|a| a.len() == 2).cloned().collect();
    areas.retain(|a| a.len() == 2 || !provinces.iter().any(|p| a.starts_with(p.as_str())));
    areas.sort();
    if !input.national && areas.is_empty() {
        v.push(FieldError::new("areas", "resource.area_required"));
    }
    let capacity = count(&mut v, "capacity", input.capacity);
    let vacancy = count(&mut v, "vacancy", input.vacancy);
    if let (Some(c), Some(f)) = (capacity, vacancy) {
        v.check(f > c, "vacancy", "resource.vacancy_above_capacity");
    }
    let last_verified_on = match input.last_verified_on.trim() {
        "" => None,
        d => NaiveDate::parse_from_str(d, "%Y-%m-%d").ok().or_else(|| {
            v.push(FieldError::new("last_verified_on", "resource.date_invalid"));
            None
        }),
    };
    let out = ValidService {
        name,
        description: text(&mut v, "description", &input.description, TEXT_MAX),
        categories,
        status,
        eligibility_description: text(
            &mut v,
            "eligibility_description",
            &input.eligibility_description,
            TEXT_MAX,
        ),
        eligibility_rule: text(
            &mut v,
            "eligibility_rule",
            &input.eligibility_rule,
            TEXT_MAX,
        ),
        required_documents: text(
            &mut v,
            "required_documents",
            &input.required_documents,
            TEXT_MAX,
        ),
        fees: text(&mut v, "fees", &input.fees, SHORT_MAX),
        languages,
        hours: text(&mut v, "hours", &input.hours, SHORT_MAX),
        phone: text(&mut v, "phone", &input.phone, SHORT_MAX),
        email: email(&mut v, "email", &input.email),
        url: link(&mut v, "url", &input.url),
        capacity,
        vacancy,
        national: input.national,
        areas: if input.national { Vec::new() } else { areas },
        location_id: Some(input.location_id.trim().to_string()).filter(|l| !l.is_empty()),
        last_verified_on,
        source: text(&mut v, "source", &input.source, SHORT_MAX),
        verify_locally: input.verify_locally,
    };
    v.finish()?;
    Ok(out)
}

/// Whether an entry last verified on `verified` (never: `None`) is stale on `today` after
/// `max_days` without verification.
pub fn is_stale(verified: Option<NaiveDate>, today: NaiveDate, max_days: i64) -> bool {
    verified.is_none_or(|d| (today - d).num_days() > max_days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(code: &str) -> bool {
        matches!(code, "50" | "5001" | "5002" | "10" | "1001")
    }

    fn service() -> ServiceInput {
        ServiceInput {
            name: "บ้านพักเด็กและครอบครัวจังหวัดเชียงใหม่".into(),
            categories: vec![
                "shelter".into(),
                "child_protection".into(),
                "shelter".into(),
            ],
            areas: vec!["5001".into(), "50".into(), "1001".into()],
            languages: vec!["TH".into(), "my".into()],
            capacity: Some(30),
            vacancy: Some(4),
            ..ServiceInput::default()
        }
    }

    #[test]
    fn a_service_is_normalised() {
        let s = validate_service(&service(), known).unwrap();
        assert_eq!(
            s.categories,
            vec![Category::Shelter, Category::ChildProtection]
        );
        assert_eq!(s.status, ServiceStatus::Active);
        assert_eq!(s.areas, vec!["1001".to_string(), "50".to_string()]);
        assert_eq!(s.languages, vec!["th".to_string(), "my".to_string()]);
    }

    #[test]
    fn bad_services_are_refused_field_by_field() {
        let bad = ServiceInput {
            name: " ".into(),
            categories: vec!["magic".into()],
            status: "open".into(),
            areas: vec!["99".into()],
            url: "javascript:alert(1)".into(),
            capacity: Some(3),
            vacancy: Some(5),
            last_verified_on: "5/12/2569".into(),
            languages: vec!["thai language".into()],
            ..ServiceInput::default()
        };
        let codes: Vec<(String, String)> = validate_service(&bad, known)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        for expected in [
            ("name", "required"),
            ("categories", "resource.category_unknown"),
            ("status", "resource.status_unknown"),
            ("areas", "resource.area_unknown"),
            ("url", "resource.link_invalid"),
            ("vacancy", "resource.vacancy_above_capacity"),
            ("last_verified_on", "resource.date_invalid"),
            ("languages", "resource.language_invalid"),
        ] {
            assert!(
                codes.contains(&(expected.0.into(), expected.1.into())),
                "{expected:?} in {codes:?}"
            );
        }
        let nowhere = ServiceInput {
            areas: vec![],
            ..service()
        };
        assert_eq!(
            validate_service(&nowhere, known).unwrap_err()[0].code,
            "resource.area_required"
        );
        let national = ServiceInput {
            areas: vec![],
            national: true,
            ..service()
        };
        assert!(validate_service(&national, known).is_ok());
    }

    #[test]
    fn entries_go_stale() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 5).unwrap();
        assert!(is_stale(None, today, 365));
        assert!(!is_stale(NaiveDate::from_ymd_opt(2026, 1, 5), today, 365));
        assert!(is_stale(NaiveDate::from_ymd_opt(2025, 12, 4), today, 365));
    }
}
