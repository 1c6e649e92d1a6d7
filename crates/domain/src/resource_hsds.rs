//! Exchange of the resource directory in the Open Referral Human Services Data Specification
//! (HSDS 3.0): its canonical JSON (an array of organisation objects, each nesting its
//! `locations` and `services` as the compiled `organization.json` schema does) and its tabular
//! form (one CSV file per object, the file and column names of HSDS's `datapackage.json`).
//! Pure functions: no I/O. Import maps the shape only; the use case then runs
//! `validate_organization`, `validate_location` and `validate_service` on every record with
//! real area lookups and checks that a service's `location_id` names a known location.
//!
//! # Mapping
//!
//! | Karuna | HSDS 3.0 |
//! |---|---|
//! | organisation `name`, `alternate_name`, `description`, `email`, `website` | same fields |
//! | organisation / service `phone` | one `phones` entry (`number`); on import every phone's number (with ` ต่อ ` and its `extension`) joined by `, ` |
//! | location | `location_type` `physical`; `name` |
//! | location `address` | `addresses[0].address_1` (import: the first `physical` address, `address_1` and `address_2` joined); `state_province` and `city` carry the Thai province and district names, `country` `TH` |
//! | location / service `hours` | `schedules[0].description` (import: descriptions, or `byday opens_at–closes_at`, joined by `; `) |
//! | service `status` | `status`: `temporarily_closed` ↔ `temporarily closed`; see below |
//! | service `eligibility_description`, `url`, `email`, `description` | same fields |
//! | service `fees` | `fees_description` (import falls back on the deprecated `fees`) |
//! | service `required_documents` | one `required_documents` entry (`document`); on import joined by new lines |
//! | service `languages` | `languages[].code` (import: a few language names are recognised when `code` is missing) |
//! | service `categories` | `attributes[]` with `link_entity` `service` and a `taxonomy_term` of the taxonomy named [`CATEGORY_TAXONOMY`] (`code` = Karuna's category code). On import, terms of other taxonomies are ignored unless their code is a Karuna category code |
//! | service `areas` | one `service_areas` entry per code: `extent` = the DOPA code, `extent_type` `text`, `name` = the Thai area name for people |
//! | service `national` | a `service_areas` entry with `extent` [`NATIONAL_EXTENT`] (`TH`, the ISO 3166-1 code), `extent_type` `text`, `name` ประเทศไทย |
//! | service `location_id` | `service_at_locations[0].location_id` (import: the first one) |
//! | service `last_verified_on` | `assured_date` (import keeps the date of a date-time) |
//!
//! Import from other tools: an area without a text `extent` is taken from its `name` when that
//! names a province (Thai, with or without จังหวัด, or English) or the country; otherwise the
//! name is kept as written so the validator reports it. A location without the extension
//! fields below gets its province from `state_province` and its district from `city` the same
//! way. In CSV, a location whose `organization_id` (optional in HSDS) is missing or unknown
//! belongs to the organisation of a service delivered there. Fields Karuna has no place for (`application_process`, `alert`, contacts, programs,
//! funding, accessibility, location phones …) are not imported.
//!
//! # Extension fields
//!
//! HSDS allows additional properties ("Extending HSDS"); where it has no field, Karuna writes
//! these, in JSON on the object and in CSV as extra columns at the end of the table:
//!
//! | object / table | field | meaning | default when missing |
//! |---|---|---|---|
//! | organization, location, service | `karuna_source` | where the entry comes from | empty |
//! | organization, location, service | `karuna_verify_locally` | still to be checked by someone who knows the place | `true` (an entry from another tool has not been checked here) |
//! | location | `karuna_province_code` | DOPA province code (2 digits) | from `state_province` |
//! | location | `karuna_district_code` | DOPA district code (4 digits) | from `city` |
//! | service | `karuna_eligibility_rule` | the machine-readable eligibility rule | empty |
//! | service | `karuna_capacity`, `karuna_vacancy` | places in all and free now (integer or null) | unknown |
//!
//! # Status
//!
//! Karuna has three statuses, HSDS four. HSDS `inactive` is imported as `temporarily_closed`:
//! HSDS keeps `defunct` for a service that no longer exists, so `inactive` means an existing
//! service not offered at present, and retiring it for good would lose it; a social worker
//! re-opens or retires it after checking. A missing status is `active`; an unknown one is kept
//! as written so the validator reports it. Export writes `active`, `temporarily closed` and
//! `defunct`.
//!
//! # Identifiers and limits
//!
//! Organisations, locations and services keep the ids of the exchange ([`Directory`]). Records
//! the export derives (phones, addresses, schedules, service areas, attributes …) get UUID v5
//! ids from [`NAMESPACE`] and `"{parent id}/{kind}/{index}"`, taxonomy terms from
//! `"karuna-category/{code}"` ([`stable_id`]), so exporting twice gives the same file. A file
//! with more than [`MAX_SERVICES`] services, organisations or locations is refused
//! (`import.too_many_records`); a CSV file with more than [`MAX_CSV_ROWS`] rows too. Export
//! followed by import gives back the same directory (for stored, canonical values: a status
//! code, area codes of digits, non-blank language codes).
//!
//! CSV: every HSDS column of the written tables is present (empty where unused), no byte order
//! mark is written (a caller serving spreadsheets may add one), one at the start of an input
//! file is skipped; `datapackage.json` is neither written nor needed. Rows are numbered as a
//! spreadsheet shows them: the header is row 1.

use crate::resource::{Category, LocationInput, OrganizationInput, ServiceInput};
use chrono::NaiveDate;
use karuna_thai::address::{district, districts, province, provinces};
use serde_json::{Map, Value};
use sha1::{Digest, Sha1};
use std::collections::{HashMap, HashSet};
use uuid::{Builder, Uuid};

/// The most services (and organisations, and locations) one file may hold.
pub const MAX_SERVICES: usize = 20_000;
/// The most rows one CSV file may hold.
pub const MAX_CSV_ROWS: usize = 200_000;
/// The name of the HSDS taxonomy holding Karuna's service categories.
pub const CATEGORY_TAXONOMY: &str = "karuna-category";
/// The service-area extent meaning the whole country (ISO 3166-1 alpha-2).
pub const NATIONAL_EXTENT: &str = "TH";
/// The namespace of the UUID v5 ids Karuna derives (fixed for ever: changing it changes ids).
pub const NAMESPACE: Uuid = Uuid::from_u128(0x4034_818e_b4cb_41cb_94de_77fc_0e19_c119);

const NATIONAL_NAME: &str = "ประเทศไทย";
const TAXONOMY_DESCRIPTION: &str =
    "Karuna's service categories (Thai social welfare); the term code is the category code.";

/// A directory to exchange: organisations with their locations and services.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Directory {
    /// The organisations, in file order.
    pub organizations: Vec<OrgEntry>,
}

/// One organisation with its HSDS id, locations and services.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgEntry {
    /// HSDS id (a UUID).
    pub id: String,
    /// The organisation.
    pub org: OrganizationInput,
    /// Its locations.
    pub locations: Vec<LocationEntry>,
    /// Its services; a service's `location_id` names one of `locations`.
    pub services: Vec<ServiceEntry>,
}

/// A location with its HSDS id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocationEntry {
    /// HSDS id (a UUID).
    pub id: String,
    /// The location.
    pub location: LocationInput,
}

/// A service with its HSDS id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceEntry {
    /// HSDS id (a UUID).
    pub id: String,
    /// The service.
    pub service: ServiceInput,
}

/// Why a record of an imported file cannot be taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// Which record: `organizations[3].services[1]`, `services.csv row 12`, or the file.
    pub record: String,
    /// Which field (`name`, `phones[0].number`, a column); empty for the whole record.
    pub field: String,
    /// Message code: `required`, `import.not_json`, `import.not_hsds`, `import.wrong_type`,
    /// `import.number_invalid`, `import.boolean_invalid`, `import.duplicate_id`,
    /// `import.unknown_reference`, `import.too_many_records`, `import.file_missing`,
    /// `import.csv_invalid`.
    pub code: String,
}

impl RecordError {
    fn new(record: impl Into<String>, field: impl Into<String>, code: &str) -> RecordError {
        RecordError {
            record: record.into(),
            field: field.into(),
            code: code.to_string(),
        }
    }
}

/// The UUID v5 of `name` in Karuna's [`NAMESPACE`], hyphenated (`uuid.uuid5` in Python).
pub fn stable_id(name: &str) -> String {
    let mut hash = Sha1::new();
    hash.update(NAMESPACE.as_bytes());
    hash.update(name.as_bytes());
    let digest = hash.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    Builder::from_sha1_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string()
}

fn sub_id(parent: &str, kind: &str, index: usize) -> String {
    stable_id(&format!("{parent}/{kind}/{index}"))
}

fn term_id(code: &str) -> String {
    stable_id(&format!("{CATEGORY_TAXONOMY}/{code}"))
}

fn taxonomy_id() -> String {
    stable_id(CATEGORY_TAXONOMY)
}

/// The term name (English) and description (Thai) of a category code.
fn category_label(code: &str) -> (&str, &str) {
    match Category::from_code(code) {
        Some(Category::Shelter) => ("Shelter", "บ้านพักและที่พักพิง"),
        Some(Category::LegalAid) => ("Legal aid", "ความช่วยเหลือทางกฎหมาย"),
        Some(Category::Health) => ("Health", "สุขภาพ"),
        Some(Category::MentalHealth) => ("Mental health", "สุขภาพจิตและการปรึกษา"),
        Some(Category::Education) => ("Education", "การศึกษา"),
        Some(Category::Work) => ("Work", "อาชีพและการมีงานทำ"),
        Some(Category::Assistance) => ("Assistance", "เงินและสิ่งของช่วยเหลือ"),
        Some(Category::ChildProtection) => ("Child protection", "การคุ้มครองเด็ก"),
        Some(Category::Disability) => ("Disability", "คนพิการ"),
        Some(Category::OlderPeople) => ("Older people", "ผู้สูงอายุ"),
        Some(Category::AntiTrafficking) => ("Anti-trafficking", "การต่อต้านการค้ามนุษย์"),
        Some(Category::GeneralWelfare) => ("General welfare", "สวัสดิการสังคมทั่วไป"),
        None => (code, code),
    }
}

fn province_name(code: &str) -> String {
    if code.is_empty() {
        return String::new();
    }
    province(code).map(|p| p.full_name_th()).unwrap_or_default()
}

fn district_name(code: &str) -> String {
    if code.is_empty() {
        return String::new();
    }
    district(code).map(|d| d.full_name_th()).unwrap_or_default()
}

/// The Thai name of an area code, for people reading the file; the code itself when unknown.
fn area_name(code: &str) -> String {
    let name = match code.len() {
        2 => province(code).map(|p| p.full_name_th()),
        4 => district(code).map(|d| {
            let p = province_name(d.province_code);
            if p.is_empty() {
                d.full_name_th()
            } else {
                format!("{} {p}", d.full_name_th())
            }
        }),
        _ => None,
    };
    name.unwrap_or_else(|| code.to_string())
}

fn province_by_name(name: &str) -> Option<&'static str> {
    let n = name.trim();
    let n = n.strip_prefix("จังหวัด").unwrap_or(n).trim();
    if n.is_empty() {
        return None;
    }
    provinces()
        .iter()
        .find(|p| p.name_th == n || p.name_en.eq_ignore_ascii_case(n))
        .map(|p| p.code)
}

fn district_by_name(province_code: &str, name: &str) -> Option<&'static str> {
    let n = name.trim();
    let n = ["อำเภอ", "เขต", "กิ่งอำเภอ"]
        .iter()
        .find_map(|w| n.strip_prefix(w))
        .unwrap_or(n)
        .trim();
    if n.is_empty() {
        return None;
    }
    districts(province_code)
        .into_iter()
        .find(|d| d.name_th == n || d.name_en.eq_ignore_ascii_case(n))
        .map(|d| d.code)
}

fn status_to_hsds(status: &str) -> &str {
    match status {
        "" => "active",
        "temporarily_closed" => "temporarily closed",
        s => s,
    }
}

fn status_from_hsds(status: &str) -> String {
    match status.trim().to_ascii_lowercase().as_str() {
        "" | "active" => "active".into(),
        "inactive" | "temporarily closed" | "temporarily_closed" => "temporarily_closed".into(),
        "defunct" => "defunct".into(),
        _ => status.to_string(),
    }
}

fn is_area_code(s: &str) -> bool {
    (s.len() == 2 || s.len() == 4) && s.bytes().all(|b| b.is_ascii_digit())
}

/// Reads one HSDS service area into Karuna's national flag and area codes.
fn read_area(
    name: &str,
    extent: &str,
    extent_type: &str,
    national: &mut bool,
    areas: &mut Vec<String>,
) {
    let kind = extent_type.trim().to_ascii_lowercase();
    let trimmed = extent.trim();
    if (kind == "text" || kind.is_empty()) && !trimmed.is_empty() {
        if trimmed == NATIONAL_EXTENT {
            *national = true;
        } else if is_area_code(trimmed) {
            areas.push(extent.to_string());
        } else if let Some(code) = province_by_name(trimmed) {
            areas.push(code.to_string());
        } else {
            areas.push(extent.to_string());
        }
        return;
    }
    let n = name.trim();
    if n.is_empty() {
        return;
    }
    if n == NATIONAL_NAME || n.eq_ignore_ascii_case("thailand") {
        *national = true;
    } else if let Some(code) = province_by_name(n) {
        areas.push(code.to_string());
    } else {
        areas.push(n.to_string());
    }
}

/// A Karuna category from an HSDS taxonomy term, if the term is one.
fn category_from_term(
    code: &str,
    name: &str,
    taxonomy: &str,
    taxonomy_name: &str,
) -> Option<String> {
    let c = if code.is_empty() { name } else { code };
    if taxonomy == CATEGORY_TAXONOMY || taxonomy_name == CATEGORY_TAXONOMY {
        Some(c.to_string())
    } else {
        Category::from_code(c.trim()).map(|k| k.code().to_string())
    }
}

fn phone_text(number: &str, extension: &str) -> String {
    let ext = extension.trim();
    if ext.is_empty() {
        number.to_string()
    } else {
        format!("{number} ต่อ {ext}")
    }
}

fn schedule_text(description: &str, byday: &str, opens_at: &str, closes_at: &str) -> String {
    if !description.is_empty() {
        return description.to_string();
    }
    let times = match (opens_at.trim(), closes_at.trim()) {
        ("", "") => String::new(),
        (o, "") => o.to_string(),
        ("", c) => format!("–{c}"),
        (o, c) => format!("{o}–{c}"),
    };
    [byday.trim(), times.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

fn date_from_hsds(value: &str) -> String {
    let b = value.as_bytes();
    if b.len() > 10
        && matches!(b[10], b'T' | b' ')
        && value.is_char_boundary(10)
        && NaiveDate::parse_from_str(&value[..10], "%Y-%m-%d").is_ok()
    {
        value[..10].to_string()
    } else {
        value.to_string()
    }
}

fn language_code(code: &str, name: &str) -> Option<String> {
    if !code.trim().is_empty() {
        return Some(code.to_string());
    }
    let code = match name.trim().to_lowercase().as_str() {
        "thai" | "ไทย" | "ภาษาไทย" => "th",
        "english" | "อังกฤษ" | "ภาษาอังกฤษ" => "en",
        "burmese" | "myanmar" | "พม่า" | "ภาษาพม่า" => "my",
        "khmer" | "cambodian" | "เขมร" | "ภาษาเขมร" | "กัมพูชา" => {
            "km"
        }
        "lao" | "ลาว" | "ภาษาลาว" => "lo",
        "chinese" | "จีน" | "ภาษาจีน" => "zh",
        "malay" | "มลายู" | "ภาษามลายู" => "ms",
        _ => return None,
    };
    Some(code.to_string())
}

fn join_nonempty(parts: &[String], separator: &str) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(separator)
}

// ---------------------------------------------------------------------------------------------
// JSON export

/// A JSON object under construction.
struct Obj(Map<String, Value>);

impl Obj {
    fn new() -> Obj {
        Obj(Map::new())
    }

    fn s(mut self, key: &str, value: &str) -> Obj {
        self.0.insert(key.into(), Value::String(value.to_string()));
        self
    }

    /// Only when not empty.
    fn opt(self, key: &str, value: &str) -> Obj {
        if value.is_empty() {
            self
        } else {
            self.s(key, value)
        }
    }

    fn v(mut self, key: &str, value: Value) -> Obj {
        self.0.insert(key.into(), value);
        self
    }

    /// Only when not empty.
    fn list(self, key: &str, items: Vec<Value>) -> Obj {
        if items.is_empty() {
            self
        } else {
            self.v(key, Value::Array(items))
        }
    }

    fn done(self) -> Value {
        Value::Object(self.0)
    }
}

fn phones_json(number: &str, owner_key: &str, owner: &str) -> Vec<Value> {
    if number.is_empty() {
        return Vec::new();
    }
    vec![Obj::new()
        .s("id", &sub_id(owner, "phone", 0))
        .s(owner_key, owner)
        .s("number", number)
        .done()]
}

fn schedules_json(hours: &str, owner_key: &str, owner: &str) -> Vec<Value> {
    if hours.is_empty() {
        return Vec::new();
    }
    vec![Obj::new()
        .s("id", &sub_id(owner, "schedule", 0))
        .s(owner_key, owner)
        .s("description", hours)
        .done()]
}

fn count_json(n: Option<i64>) -> Value {
    n.map_or(Value::Null, Value::from)
}

fn term_json(code: &str) -> Value {
    let (name, description) = category_label(code);
    let tax = taxonomy_id();
    Obj::new()
        .s("id", &term_id(code))
        .s("code", code)
        .s("name", name)
        .s("description", description)
        .s("taxonomy", CATEGORY_TAXONOMY)
        .s("taxonomy_id", &tax)
        .v(
            "taxonomy_detail",
            Obj::new()
                .s("id", &tax)
                .s("name", CATEGORY_TAXONOMY)
                .s("description", TAXONOMY_DESCRIPTION)
                .done(),
        )
        .done()
}

/// The service areas of a service, as `(name, extent)` pairs in export order.
fn service_areas(s: &ServiceInput) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if s.national {
        out.push((NATIONAL_NAME.to_string(), NATIONAL_EXTENT.to_string()));
    }
    for a in &s.areas {
        out.push((area_name(a), a.clone()));
    }
    out
}

fn location_json(org_id: &str, e: &LocationEntry) -> Value {
    let l = &e.location;
    let id = e.id.as_str();
    let mut addresses = Vec::new();
    if !(l.address.is_empty() && l.province_code.is_empty() && l.district_code.is_empty()) {
        addresses.push(
            Obj::new()
                .s("id", &sub_id(id, "address", 0))
                .s("location_id", id)
                .s("address_1", &l.address)
                .s("city", &district_name(&l.district_code))
                .s("state_province", &province_name(&l.province_code))
                .s("postal_code", "")
                .s("country", "TH")
                .s("address_type", "physical")
                .done(),
        );
    }
    Obj::new()
        .s("id", id)
        .s("location_type", "physical")
        .s("organization_id", org_id)
        .opt("name", &l.name)
        .list("addresses", addresses)
        .list("schedules", schedules_json(&l.hours, "location_id", id))
        .s("karuna_province_code", &l.province_code)
        .s("karuna_district_code", &l.district_code)
        .s("karuna_source", &l.source)
        .v("karuna_verify_locally", Value::Bool(l.verify_locally))
        .done()
}

fn service_json(org_id: &str, e: &ServiceEntry) -> Value {
    let s = &e.service;
    let id = e.id.as_str();
    let areas = service_areas(s)
        .into_iter()
        .enumerate()
        .map(|(i, (name, extent))| {
            Obj::new()
                .s("id", &sub_id(id, "service_area", i))
                .s("service_id", id)
                .s("name", &name)
                .s("extent", &extent)
                .s("extent_type", "text")
                .done()
        })
        .collect();
    let at_locations = if s.location_id.is_empty() {
        Vec::new()
    } else {
        vec![Obj::new()
            .s("id", &sub_id(id, "service_at_location", 0))
            .s("service_id", id)
            .s("location_id", &s.location_id)
            .done()]
    };
    let languages = s
        .languages
        .iter()
        .enumerate()
        .map(|(i, code)| {
            Obj::new()
                .s("id", &sub_id(id, "language", i))
                .s("service_id", id)
                .s("code", code)
                .done()
        })
        .collect();
    let documents = if s.required_documents.is_empty() {
        Vec::new()
    } else {
        vec![Obj::new()
            .s("id", &sub_id(id, "required_document", 0))
            .s("service_id", id)
            .s("document", &s.required_documents)
            .done()]
    };
    let attributes = s
        .categories
        .iter()
        .enumerate()
        .map(|(i, code)| {
            Obj::new()
                .s("id", &sub_id(id, "attribute", i))
                .s("link_id", id)
                .s("link_entity", "service")
                .s("taxonomy_term_id", &term_id(code))
                .v("taxonomy_term", term_json(code))
                .done()
        })
        .collect();
    Obj::new()
        .s("id", id)
        .s("organization_id", org_id)
        .s("name", &s.name)
        .opt("description", &s.description)
        .opt("url", &s.url)
        .opt("email", &s.email)
        .s("status", status_to_hsds(&s.status))
        .opt("eligibility_description", &s.eligibility_description)
        .opt("fees_description", &s.fees)
        .opt("assured_date", &s.last_verified_on)
        .list("phones", phones_json(&s.phone, "service_id", id))
        .list("schedules", schedules_json(&s.hours, "service_id", id))
        .list("service_areas", areas)
        .list("service_at_locations", at_locations)
        .list("languages", languages)
        .list("required_documents", documents)
        .list("attributes", attributes)
        .s("karuna_eligibility_rule", &s.eligibility_rule)
        .v("karuna_capacity", count_json(s.capacity))
        .v("karuna_vacancy", count_json(s.vacancy))
        .s("karuna_source", &s.source)
        .v("karuna_verify_locally", Value::Bool(s.verify_locally))
        .done()
}

fn org_json(e: &OrgEntry) -> Value {
    let o = &e.org;
    let id = e.id.as_str();
    Obj::new()
        .s("id", id)
        .s("name", &o.name)
        .opt("alternate_name", &o.alternate_name)
        .s("description", &o.description)
        .opt("email", &o.email)
        .opt("website", &o.website)
        .list("phones", phones_json(&o.phone, "organization_id", id))
        .list(
            "locations",
            e.locations.iter().map(|l| location_json(id, l)).collect(),
        )
        .list(
            "services",
            e.services.iter().map(|s| service_json(id, s)).collect(),
        )
        .s("karuna_source", &o.source)
        .v("karuna_verify_locally", Value::Bool(o.verify_locally))
        .done()
}

/// The directory as HSDS 3.0 JSON: an array of organisation objects.
pub fn to_hsds_json(dir: &Directory) -> Value {
    Value::Array(dir.organizations.iter().map(org_json).collect())
}

// ---------------------------------------------------------------------------------------------
// JSON import

/// Reads HSDS JSON values, collecting errors.
struct JsonReader {
    errors: Vec<RecordError>,
    org_ids: HashSet<String>,
    location_ids: HashSet<String>,
    service_ids: HashSet<String>,
}

impl JsonReader {
    fn err(&mut self, record: &str, field: &str, code: &str) {
        self.errors.push(RecordError::new(record, field, code));
    }

    fn object<'a>(
        &mut self,
        v: &'a Value,
        record: &str,
        field: &str,
    ) -> Option<&'a Map<String, Value>> {
        match v {
            Value::Object(m) => Some(m),
            _ => {
                self.err(record, field, "import.wrong_type");
                None
            }
        }
    }

    /// A string field; numbers are taken as written; missing or null is `None`.
    fn opt_string(
        &mut self,
        m: &Map<String, Value>,
        key: &str,
        record: &str,
        field: &str,
    ) -> Option<String> {
        match m.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            Some(_) => {
                self.err(record, field, "import.wrong_type");
                None
            }
        }
    }

    fn string(&mut self, m: &Map<String, Value>, key: &str, record: &str, field: &str) -> String {
        self.opt_string(m, key, record, field).unwrap_or_default()
    }

    /// A top-level field of a record, named as itself.
    fn field(&mut self, m: &Map<String, Value>, key: &str, record: &str) -> String {
        self.string(m, key, record, key)
    }

    fn required(&mut self, m: &Map<String, Value>, key: &str, record: &str) -> String {
        let value = self.field(m, key, record);
        if value.trim().is_empty() && !self.has_error(record, key) {
            self.err(record, key, "required");
        }
        value
    }

    fn has_error(&self, record: &str, field: &str) -> bool {
        self.errors
            .iter()
            .any(|e| e.record == record && e.field == field)
    }

    fn bool(&mut self, m: &Map<String, Value>, key: &str, record: &str, default: bool) -> bool {
        match m.get(key) {
            None | Some(Value::Null) => default,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.err(record, key, "import.wrong_type");
                default
            }
        }
    }

    fn count(&mut self, m: &Map<String, Value>, key: &str, record: &str) -> Option<i64> {
        match m.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => n.as_i64().or_else(|| {
                self.err(record, key, "import.number_invalid");
                None
            }),
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => s.trim().parse().ok().or_else(|| {
                self.err(record, key, "import.number_invalid");
                None
            }),
            Some(_) => {
                self.err(record, key, "import.wrong_type");
                None
            }
        }
    }

    fn array<'a>(&mut self, m: &'a Map<String, Value>, key: &str, record: &str) -> &'a [Value] {
        match m.get(key) {
            None | Some(Value::Null) => &[],
            Some(Value::Array(a)) => a,
            Some(_) => {
                self.err(record, key, "import.wrong_type");
                &[]
            }
        }
    }

    /// The objects of an array field with their field prefixes (`phones[0]`).
    fn items<'a>(
        &mut self,
        m: &'a Map<String, Value>,
        key: &str,
        record: &str,
    ) -> Vec<(String, &'a Map<String, Value>)> {
        let mut out = Vec::new();
        for (i, v) in self.array(m, key, record).iter().enumerate() {
            let prefix = format!("{key}[{i}]");
            if let Some(o) = self.object(v, record, &prefix) {
                out.push((prefix, o));
            }
        }
        out
    }

    fn sub(&mut self, m: &Map<String, Value>, prefix: &str, key: &str, record: &str) -> String {
        self.string(m, key, record, &format!("{prefix}.{key}"))
    }

    fn phones(&mut self, m: &Map<String, Value>, record: &str) -> String {
        let mut parts = Vec::new();
        for (p, o) in self.items(m, "phones", record) {
            let number = self.sub(o, &p, "number", record);
            let extension = self.sub(o, &p, "extension", record);
            parts.push(phone_text(&number, &extension));
        }
        join_nonempty(&parts, ", ")
    }

    fn schedules(&mut self, m: &Map<String, Value>, record: &str) -> String {
        let mut parts = Vec::new();
        for (p, o) in self.items(m, "schedules", record) {
            let description = self.sub(o, &p, "description", record);
            let byday = self.sub(o, &p, "byday", record);
            let opens = self.sub(o, &p, "opens_at", record);
            let closes = self.sub(o, &p, "closes_at", record);
            parts.push(schedule_text(&description, &byday, &opens, &closes));
        }
        join_nonempty(&parts, "; ")
    }

    fn unique(&mut self, kind: Kind, id: &str, record: &str) {
        if id.trim().is_empty() {
            return;
        }
        let seen = match kind {
            Kind::Org => &mut self.org_ids,
            Kind::Location => &mut self.location_ids,
            Kind::Service => &mut self.service_ids,
        };
        if !seen.insert(id.to_string()) {
            self.err(record, "id", "import.duplicate_id");
        }
    }

    fn org(&mut self, v: &Value, record: &str) -> Option<OrgEntry> {
        let m = self.object(v, record, "")?;
        let id = self.required(m, "id", record);
        self.unique(Kind::Org, &id, record);
        let org = OrganizationInput {
            name: self.required(m, "name", record),
            alternate_name: self.field(m, "alternate_name", record),
            description: self.field(m, "description", record),
            website: self.field(m, "website", record),
            email: self.field(m, "email", record),
            phone: self.phones(m, record),
            source: self.field(m, "karuna_source", record),
            verify_locally: self.bool(m, "karuna_verify_locally", record, true),
        };
        let mut locations = Vec::new();
        for (i, l) in self.array(m, "locations", record).iter().enumerate() {
            if let Some(l) = self.location(l, &format!("{record}.locations[{i}]")) {
                locations.push(l);
            }
        }
        let mut services = Vec::new();
        for (i, s) in self.array(m, "services", record).iter().enumerate() {
            if let Some(s) = self.service(s, &format!("{record}.services[{i}]")) {
                services.push(s);
            }
        }
        Some(OrgEntry {
            id,
            org,
            locations,
            services,
        })
    }

    fn location(&mut self, v: &Value, record: &str) -> Option<LocationEntry> {
        let m = self.object(v, record, "")?;
        let id = self.required(m, "id", record);
        self.unique(Kind::Location, &id, record);
        let mut address = Address::default();
        for (p, o) in self.items(m, "addresses", record) {
            let line_1 = self.sub(o, &p, "address_1", record);
            let line_2 = self.sub(o, &p, "address_2", record);
            let candidate = Address {
                physical: self
                    .sub(o, &p, "address_type", record)
                    .eq_ignore_ascii_case("physical"),
                line: join_nonempty(&[line_1, line_2], " "),
                city: self.sub(o, &p, "city", record),
                state: self.sub(o, &p, "state_province", record),
                found: true,
            };
            address.offer(candidate);
        }
        let province_ext =
            self.opt_string(m, "karuna_province_code", record, "karuna_province_code");
        let district_ext =
            self.opt_string(m, "karuna_district_code", record, "karuna_district_code");
        let (province_code, district_code) = address.area(province_ext, district_ext);
        let location = LocationInput {
            name: self.field(m, "name", record),
            address: address.line,
            province_code,
            district_code,
            hours: self.schedules(m, record),
            source: self.field(m, "karuna_source", record),
            verify_locally: self.bool(m, "karuna_verify_locally", record, true),
        };
        Some(LocationEntry { id, location })
    }

    fn service(&mut self, v: &Value, record: &str) -> Option<ServiceEntry> {
        let m = self.object(v, record, "")?;
        let id = self.required(m, "id", record);
        self.unique(Kind::Service, &id, record);
        let name = self.required(m, "name", record);
        let status = status_from_hsds(&self.field(m, "status", record));
        let mut fees = self.field(m, "fees_description", record);
        if fees.is_empty() {
            fees = self.field(m, "fees", record);
        }
        let mut national = false;
        let mut areas = Vec::new();
        for (p, o) in self.items(m, "service_areas", record) {
            let name = self.sub(o, &p, "name", record);
            let extent = self.sub(o, &p, "extent", record);
            let extent_type = self.sub(o, &p, "extent_type", record);
            read_area(&name, &extent, &extent_type, &mut national, &mut areas);
        }
        let mut location_id = String::new();
        for (p, o) in self.items(m, "service_at_locations", record) {
            let mut l = self.sub(o, &p, "location_id", record);
            if l.is_empty() {
                if let Some(Value::Object(loc)) = o.get("location") {
                    l = self.sub(loc, &format!("{p}.location"), "id", record);
                }
            }
            if location_id.is_empty() {
                location_id = l;
            }
        }
        let mut languages = Vec::new();
        for (p, o) in self.items(m, "languages", record) {
            let code = self.sub(o, &p, "code", record);
            let name = self.sub(o, &p, "name", record);
            languages.extend(language_code(&code, &name));
        }
        let mut documents = Vec::new();
        for (p, o) in self.items(m, "required_documents", record) {
            let document = self.sub(o, &p, "document", record);
            documents.push(if document.is_empty() {
                self.sub(o, &p, "uri", record)
            } else {
                document
            });
        }
        let mut categories = Vec::new();
        for (p, o) in self.items(m, "attributes", record) {
            let Some(Value::Object(term)) = o.get("taxonomy_term") else {
                continue;
            };
            let tp = format!("{p}.taxonomy_term");
            let code = self.sub(term, &tp, "code", record);
            let name = self.sub(term, &tp, "name", record);
            let taxonomy = self.sub(term, &tp, "taxonomy", record);
            let detail = ["taxonomy_detail", "taxonomy_details"]
                .iter()
                .find_map(|k| match term.get(*k) {
                    Some(Value::Object(d)) => Some((*k, d)),
                    _ => None,
                });
            let taxonomy_name = match detail {
                Some((k, d)) => self.sub(d, &format!("{tp}.{k}"), "name", record),
                None => String::new(),
            };
            categories.extend(category_from_term(&code, &name, &taxonomy, &taxonomy_name));
        }
        let service = ServiceInput {
            name,
            description: self.field(m, "description", record),
            categories,
            status,
            eligibility_description: self.field(m, "eligibility_description", record),
            eligibility_rule: self.field(m, "karuna_eligibility_rule", record),
            required_documents: join_nonempty(&documents, "\n"),
            fees,
            languages,
            hours: self.schedules(m, record),
            phone: self.phones(m, record),
            email: self.field(m, "email", record),
            url: self.field(m, "url", record),
            capacity: self.count(m, "karuna_capacity", record),
            vacancy: self.count(m, "karuna_vacancy", record),
            national,
            areas,
            location_id,
            last_verified_on: date_from_hsds(&self.field(m, "assured_date", record)),
            source: self.field(m, "karuna_source", record),
            verify_locally: self.bool(m, "karuna_verify_locally", record, true),
        };
        Some(ServiceEntry { id, service })
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Org,
    Location,
    Service,
}

/// The address a location is read from: the first physical one, else the first.
#[derive(Default)]
struct Address {
    found: bool,
    physical: bool,
    line: String,
    city: String,
    state: String,
}

impl Address {
    fn offer(&mut self, candidate: Address) {
        if !self.found || (candidate.physical && !self.physical) {
            *self = candidate;
        }
    }

    /// Province and district codes: the extension fields when present, else the names.
    fn area(&self, province_ext: Option<String>, district_ext: Option<String>) -> (String, String) {
        let province_code = province_ext.unwrap_or_else(|| {
            province_by_name(&self.state)
                .map_or_else(|| self.state.trim().to_string(), str::to_string)
        });
        let district_code = district_ext.unwrap_or_else(|| {
            district_by_name(province_code.trim(), &self.city)
                .map(str::to_string)
                .unwrap_or_default()
        });
        (province_code, district_code)
    }
}

fn count_array(v: &Value, key: &str) -> usize {
    v.get(key).and_then(Value::as_array).map_or(0, Vec::len)
}

/// Reads HSDS 3.0 JSON: an array of organisation objects (also a single organisation, or an
/// HSDS API page whose `contents` are organisations). Every problem is reported, one per
/// record and field; nothing is returned unless the whole file can be taken.
pub fn from_hsds_json(text: &str) -> Result<Directory, Vec<RecordError>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let value: Value = serde_json::from_str(text)
        .map_err(|_| vec![RecordError::new("", "", "import.not_json")])?;
    let single;
    let orgs: &[Value] = match &value {
        Value::Array(a) => a,
        Value::Object(m) => match m.get("contents") {
            Some(Value::Array(a)) => a,
            Some(_) => return Err(vec![RecordError::new("", "contents", "import.not_hsds")]),
            None => {
                single = [value.clone()];
                &single
            }
        },
        _ => return Err(vec![RecordError::new("", "", "import.not_hsds")]),
    };
    let services: usize = orgs.iter().map(|o| count_array(o, "services")).sum();
    let locations: usize = orgs.iter().map(|o| count_array(o, "locations")).sum();
    if services > MAX_SERVICES || locations > MAX_SERVICES || orgs.len() > MAX_SERVICES {
        return Err(vec![RecordError::new("", "", "import.too_many_records")]);
    }
    let mut reader = JsonReader {
        errors: Vec::new(),
        org_ids: HashSet::new(),
        location_ids: HashSet::new(),
        service_ids: HashSet::new(),
    };
    let mut dir = Directory::default();
    for (i, o) in orgs.iter().enumerate() {
        if let Some(org) = reader.org(o, &format!("organizations[{i}]")) {
            dir.organizations.push(org);
        }
    }
    if reader.errors.is_empty() {
        Ok(dir)
    } else {
        Err(reader.errors)
    }
}

// ---------------------------------------------------------------------------------------------
// CSV

const ORGANIZATIONS: &str = "organizations.csv";
const LOCATIONS: &str = "locations.csv";
const ADDRESSES: &str = "addresses.csv";
const SERVICES: &str = "services.csv";
const PHONES: &str = "phones.csv";
const SCHEDULES: &str = "schedules.csv";
const SERVICE_AREAS: &str = "service_areas.csv";
const SERVICE_AT_LOCATION: &str = "service_at_location.csv";
const LANGUAGES: &str = "languages.csv";
const REQUIRED_DOCUMENTS: &str = "required_documents.csv";
const ATTRIBUTES: &str = "attributes.csv";
const TAXONOMY_TERMS: &str = "taxonomy_terms.csv";
const TAXONOMIES: &str = "taxonomies.csv";

const ORGANIZATION_COLUMNS: &[&str] = &[
    "id",
    "name",
    "alternate_name",
    "description",
    "email",
    "website",
    "tax_status",
    "tax_id",
    "year_incorporated",
    "legal_status",
    "logo",
    "uri",
    "parent_organization_id",
    "karuna_source",
    "karuna_verify_locally",
];
const LOCATION_COLUMNS: &[&str] = &[
    "id",
    "location_type",
    "url",
    "organization_id",
    "name",
    "alternate_name",
    "description",
    "transportation",
    "latitude",
    "longitude",
    "external_identifier",
    "external_identifier_type",
    "karuna_province_code",
    "karuna_district_code",
    "karuna_source",
    "karuna_verify_locally",
];
const ADDRESS_COLUMNS: &[&str] = &[
    "id",
    "location_id",
    "attention",
    "address_1",
    "address_2",
    "city",
    "region",
    "state_province",
    "postal_code",
    "country",
    "address_type",
];
const SERVICE_COLUMNS: &[&str] = &[
    "id",
    "organization_id",
    "program_id",
    "name",
    "alternate_name",
    "description",
    "url",
    "email",
    "status",
    "interpretation_services",
    "application_process",
    "fees_description",
    "wait_time",
    "fees",
    "accreditations",
    "eligibility_description",
    "minimum_age",
    "maximum_age",
    "assured_date",
    "assurer_email",
    "licenses",
    "alert",
    "last_modified",
    "karuna_eligibility_rule",
    "karuna_capacity",
    "karuna_vacancy",
    "karuna_source",
    "karuna_verify_locally",
];
const PHONE_COLUMNS: &[&str] = &[
    "id",
    "location_id",
    "service_id",
    "organization_id",
    "contact_id",
    "service_at_location_id",
    "number",
    "extension",
    "type",
    "description",
];
const SCHEDULE_COLUMNS: &[&str] = &[
    "id",
    "service_id",
    "location_id",
    "service_at_location_id",
    "valid_from",
    "valid_to",
    "dtstart",
    "timezone",
    "until",
    "count",
    "wkst",
    "freq",
    "interval",
    "byday",
    "byweekno",
    "bymonthday",
    "byyearday",
    "description",
    "opens_at",
    "closes_at",
    "schedule_link",
    "attending_type",
    "notes",
];
const SERVICE_AREA_COLUMNS: &[&str] = &[
    "id",
    "service_id",
    "name",
    "description",
    "extent",
    "extent_type",
    "uri",
];
const SERVICE_AT_LOCATION_COLUMNS: &[&str] = &["id", "service_id", "location_id", "description"];
const LANGUAGE_COLUMNS: &[&str] = &[
    "id",
    "service_id",
    "location_id",
    "phone_id",
    "name",
    "code",
    "note",
];
const REQUIRED_DOCUMENT_COLUMNS: &[&str] = &["id", "service_id", "document", "uri"];
const ATTRIBUTE_COLUMNS: &[&str] = &[
    "id",
    "link_id",
    "taxonomy_term_id",
    "link_type",
    "link_entity",
    "value",
];
const TAXONOMY_TERM_COLUMNS: &[&str] = &[
    "id",
    "code",
    "name",
    "description",
    "parent_id",
    "taxonomy",
    "language",
    "taxonomy_id",
    "term_uri",
];
const TAXONOMY_COLUMNS: &[&str] = &["id", "name", "description", "uri", "version"];

/// A table being written: its columns and rows.
struct Sheet {
    file: &'static str,
    columns: &'static [&'static str],
    rows: Vec<Vec<String>>,
}

impl Sheet {
    fn new(file: &'static str, columns: &'static [&'static str]) -> Sheet {
        Sheet {
            file,
            columns,
            rows: Vec::new(),
        }
    }

    /// Adds a row from `(column, value)` pairs; other columns stay empty.
    fn add(&mut self, cells: &[(&str, &str)]) {
        let row = self
            .columns
            .iter()
            .map(|c| {
                cells
                    .iter()
                    .find(|(k, _)| k == c)
                    .map(|(_, v)| v.to_string())
                    .unwrap_or_default()
            })
            .collect();
        self.rows.push(row);
    }

    fn text(&self) -> String {
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        // Writing to memory cannot fail: `Vec<u8>` never returns an I/O error.
        let _ = w.write_record(self.columns);
        for row in &self.rows {
            let _ = w.write_record(row);
        }
        match w.into_inner() {
            Ok(bytes) => String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            Err(_) => String::new(),
        }
    }
}

fn flag(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

fn count_text(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// The directory as HSDS 3.0 tabular data: `(file name, CSV text)` for each table, always the
/// same tables in the same order.
pub fn to_hsds_csv(dir: &Directory) -> Vec<(String, String)> {
    let mut orgs = Sheet::new(ORGANIZATIONS, ORGANIZATION_COLUMNS);
    let mut locations = Sheet::new(LOCATIONS, LOCATION_COLUMNS);
    let mut addresses = Sheet::new(ADDRESSES, ADDRESS_COLUMNS);
    let mut services = Sheet::new(SERVICES, SERVICE_COLUMNS);
    let mut phones = Sheet::new(PHONES, PHONE_COLUMNS);
    let mut schedules = Sheet::new(SCHEDULES, SCHEDULE_COLUMNS);
    let mut areas = Sheet::new(SERVICE_AREAS, SERVICE_AREA_COLUMNS);
    let mut at_locations = Sheet::new(SERVICE_AT_LOCATION, SERVICE_AT_LOCATION_COLUMNS);
    let mut languages = Sheet::new(LANGUAGES, LANGUAGE_COLUMNS);
    let mut documents = Sheet::new(REQUIRED_DOCUMENTS, REQUIRED_DOCUMENT_COLUMNS);
    let mut attributes = Sheet::new(ATTRIBUTES, ATTRIBUTE_COLUMNS);
    let mut terms = Sheet::new(TAXONOMY_TERMS, TAXONOMY_TERM_COLUMNS);
    let mut taxonomies = Sheet::new(TAXONOMIES, TAXONOMY_COLUMNS);
    let tax = taxonomy_id();
    let mut term_codes: Vec<&str> = Vec::new();
    for e in &dir.organizations {
        let o = &e.org;
        let oid = e.id.as_str();
        orgs.add(&[
            ("id", oid),
            ("name", &o.name),
            ("alternate_name", &o.alternate_name),
            ("description", &o.description),
            ("email", &o.email),
            ("website", &o.website),
            ("karuna_source", &o.source),
            ("karuna_verify_locally", flag(o.verify_locally)),
        ]);
        if !o.phone.is_empty() {
            phones.add(&[
                ("id", &sub_id(oid, "phone", 0)),
                ("organization_id", oid),
                ("number", &o.phone),
            ]);
        }
        for le in &e.locations {
            let l = &le.location;
            let lid = le.id.as_str();
            locations.add(&[
                ("id", lid),
                ("location_type", "physical"),
                ("organization_id", oid),
                ("name", &l.name),
                ("karuna_province_code", &l.province_code),
                ("karuna_district_code", &l.district_code),
                ("karuna_source", &l.source),
                ("karuna_verify_locally", flag(l.verify_locally)),
            ]);
            if !(l.address.is_empty() && l.province_code.is_empty() && l.district_code.is_empty()) {
                addresses.add(&[
                    ("id", &sub_id(lid, "address", 0)),
                    ("location_id", lid),
                    ("address_1", &l.address),
                    ("city", &district_name(&l.district_code)),
                    ("state_province", &province_name(&l.province_code)),
                    ("country", "TH"),
                    ("address_type", "physical"),
                ]);
            }
            if !l.hours.is_empty() {
                schedules.add(&[
                    ("id", &sub_id(lid, "schedule", 0)),
                    ("location_id", lid),
                    ("description", &l.hours),
                ]);
            }
        }
        for se in &e.services {
            let s = &se.service;
            let sid = se.id.as_str();
            services.add(&[
                ("id", sid),
                ("organization_id", oid),
                ("name", &s.name),
                ("description", &s.description),
                ("url", &s.url),
                ("email", &s.email),
                ("status", status_to_hsds(&s.status)),
                ("fees_description", &s.fees),
                ("eligibility_description", &s.eligibility_description),
                ("assured_date", &s.last_verified_on),
                ("karuna_eligibility_rule", &s.eligibility_rule),
                ("karuna_capacity", &count_text(s.capacity)),
                ("karuna_vacancy", &count_text(s.vacancy)),
                ("karuna_source", &s.source),
                ("karuna_verify_locally", flag(s.verify_locally)),
            ]);
            if !s.phone.is_empty() {
                phones.add(&[
                    ("id", &sub_id(sid, "phone", 0)),
                    ("service_id", sid),
                    ("number", &s.phone),
                ]);
            }
            if !s.hours.is_empty() {
                schedules.add(&[
                    ("id", &sub_id(sid, "schedule", 0)),
                    ("service_id", sid),
                    ("description", &s.hours),
                ]);
            }
            for (i, (name, extent)) in service_areas(s).iter().enumerate() {
                areas.add(&[
                    ("id", &sub_id(sid, "service_area", i)),
                    ("service_id", sid),
                    ("name", name),
                    ("extent", extent),
                    ("extent_type", "text"),
                ]);
            }
            if !s.location_id.is_empty() {
                at_locations.add(&[
                    ("id", &sub_id(sid, "service_at_location", 0)),
                    ("service_id", sid),
                    ("location_id", &s.location_id),
                ]);
            }
            for (i, code) in s.languages.iter().enumerate() {
                languages.add(&[
                    ("id", &sub_id(sid, "language", i)),
                    ("service_id", sid),
                    ("code", code),
                ]);
            }
            if !s.required_documents.is_empty() {
                documents.add(&[
                    ("id", &sub_id(sid, "required_document", 0)),
                    ("service_id", sid),
                    ("document", &s.required_documents),
                ]);
            }
            for (i, code) in s.categories.iter().enumerate() {
                attributes.add(&[
                    ("id", &sub_id(sid, "attribute", i)),
                    ("link_id", sid),
                    ("taxonomy_term_id", &term_id(code)),
                    ("link_entity", "service"),
                ]);
                if !term_codes.contains(&code.as_str()) {
                    term_codes.push(code);
                }
            }
        }
    }
    for code in &term_codes {
        let (name, description) = category_label(code);
        terms.add(&[
            ("id", &term_id(code)),
            ("code", code),
            ("name", name),
            ("description", description),
            ("taxonomy", CATEGORY_TAXONOMY),
            ("taxonomy_id", &tax),
        ]);
    }
    taxonomies.add(&[
        ("id", &tax),
        ("name", CATEGORY_TAXONOMY),
        ("description", TAXONOMY_DESCRIPTION),
    ]);
    [
        orgs,
        locations,
        addresses,
        services,
        phones,
        schedules,
        areas,
        at_locations,
        languages,
        documents,
        attributes,
        terms,
        taxonomies,
    ]
    .iter()
    .map(|s| (s.file.to_string(), s.text()))
    .collect()
}

/// A table being read.
struct Table {
    file: String,
    header: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

impl Table {
    fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    fn has(&self, name: &str) -> bool {
        self.col(name).is_some()
    }

    fn get<'a>(&self, row: &'a csv::StringRecord, name: &str) -> &'a str {
        self.col(name).and_then(|c| row.get(c)).unwrap_or("")
    }

    fn record(&self, index: usize) -> String {
        format!("{} row {}", self.file, index + 2)
    }
}

fn base_name(path: &str) -> String {
    path.rsplit(['/', '\\'])
        .next()
        .unwrap_or(path)
        .trim()
        .to_ascii_lowercase()
}

/// Reads one file as a table; `None` (with an error) when it cannot be read or is too long.
fn read_table(
    file: &str,
    text: &str,
    max_rows: usize,
    errors: &mut Vec<RecordError>,
) -> Option<Table> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase()).collect(),
        Err(_) => {
            errors.push(RecordError::new(file, "", "import.csv_invalid"));
            return None;
        }
    };
    let mut rows = Vec::new();
    for (i, row) in reader.records().enumerate() {
        if i >= max_rows {
            errors.push(RecordError::new(file, "", "import.too_many_records"));
            return None;
        }
        match row {
            Ok(r) => rows.push(r),
            Err(_) => errors.push(RecordError::new(
                format!("{file} row {}", i + 2),
                "",
                "import.csv_invalid",
            )),
        }
    }
    Some(Table {
        file: file.to_string(),
        header,
        rows,
    })
}

/// Where a service and a location sit in the directory being built.
type Place = (usize, usize);

/// Builds a directory from HSDS tables.
struct CsvReader {
    errors: Vec<RecordError>,
    dir: Directory,
    orgs: HashMap<String, usize>,
    locations: HashMap<String, Place>,
    services: HashMap<String, Place>,
}

impl CsvReader {
    fn err(&mut self, record: String, field: &str, code: &str) {
        self.errors.push(RecordError::new(record, field, code));
    }

    fn bool(&mut self, t: &Table, row: &csv::StringRecord, i: usize, col: &str) -> bool {
        let v = t.get(row, col).trim().to_ascii_lowercase();
        match v.as_str() {
            "" => true,
            "true" | "1" | "yes" => true,
            "false" | "0" | "no" => false,
            _ => {
                self.err(t.record(i), col, "import.boolean_invalid");
                true
            }
        }
    }

    fn count(&mut self, t: &Table, row: &csv::StringRecord, i: usize, col: &str) -> Option<i64> {
        let v = t.get(row, col).trim();
        if v.is_empty() {
            return None;
        }
        v.parse().ok().or_else(|| {
            self.err(t.record(i), col, "import.number_invalid");
            None
        })
    }

    /// The id of a row, reported when missing or already used.
    fn id(&mut self, t: &Table, row: &csv::StringRecord, i: usize, taken: bool) -> Option<String> {
        let id = t.get(row, "id");
        if id.trim().is_empty() {
            self.err(t.record(i), "id", "required");
            None
        } else if taken {
            self.err(t.record(i), "id", "import.duplicate_id");
            None
        } else {
            Some(id.to_string())
        }
    }

    /// The organisation a row names in `col`, reported when missing or unknown.
    fn owner(&mut self, t: &Table, row: &csv::StringRecord, i: usize, col: &str) -> Option<usize> {
        let id = t.get(row, col);
        if id.trim().is_empty() {
            self.err(t.record(i), col, "required");
            return None;
        }
        let found = self.orgs.get(id).copied();
        if found.is_none() {
            self.err(t.record(i), col, "import.unknown_reference");
        }
        found
    }

    /// The service a row names in `col`: `None` when the cell is empty, an error when unknown.
    fn service_ref(
        &mut self,
        t: &Table,
        row: &csv::StringRecord,
        i: usize,
        col: &str,
    ) -> Option<Place> {
        let id = t.get(row, col);
        if id.is_empty() {
            return None;
        }
        let found = self.services.get(id).copied();
        if found.is_none() {
            self.err(t.record(i), col, "import.unknown_reference");
        }
        found
    }

    fn location_ref(
        &mut self,
        t: &Table,
        row: &csv::StringRecord,
        i: usize,
        col: &str,
    ) -> Option<Place> {
        let id = t.get(row, col);
        if id.is_empty() {
            return None;
        }
        let found = self.locations.get(id).copied();
        if found.is_none() {
            self.err(t.record(i), col, "import.unknown_reference");
        }
        found
    }

    fn service_mut(&mut self, (o, s): Place) -> &mut ServiceInput {
        &mut self.dir.organizations[o].services[s].service
    }

    fn location_mut(&mut self, (o, l): Place) -> &mut LocationInput {
        &mut self.dir.organizations[o].locations[l].location
    }

    fn read_orgs(&mut self, t: &Table) {
        for (i, row) in t.rows.iter().enumerate() {
            let taken = self.orgs.contains_key(t.get(row, "id"));
            let id = self.id(t, row, i, taken);
            let name = t.get(row, "name");
            if name.trim().is_empty() {
                self.err(t.record(i), "name", "required");
            }
            let org = OrganizationInput {
                name: name.to_string(),
                alternate_name: t.get(row, "alternate_name").to_string(),
                description: t.get(row, "description").to_string(),
                website: t.get(row, "website").to_string(),
                email: t.get(row, "email").to_string(),
                phone: String::new(),
                source: t.get(row, "karuna_source").to_string(),
                verify_locally: self.bool(t, row, i, "karuna_verify_locally"),
            };
            if let Some(id) = id {
                self.orgs.insert(id.clone(), self.dir.organizations.len());
                self.dir.organizations.push(OrgEntry {
                    id,
                    org,
                    ..OrgEntry::default()
                });
            }
        }
    }

    /// The organisation of a location: its `organization_id` (optional in HSDS) or else the
    /// organisation of a service delivered there (`served_by`: location id → organisation id).
    fn location_owner(
        &mut self,
        t: &Table,
        row: &csv::StringRecord,
        i: usize,
        served_by: &HashMap<String, String>,
    ) -> Option<usize> {
        let id = t.get(row, "organization_id");
        let found = self.orgs.get(id).copied().or_else(|| {
            served_by
                .get(t.get(row, "id"))
                .and_then(|org| self.orgs.get(org).copied())
        });
        if found.is_none() {
            let code = if id.trim().is_empty() {
                "required"
            } else {
                "import.unknown_reference"
            };
            self.err(t.record(i), "organization_id", code);
        }
        found
    }

    fn read_locations(&mut self, t: &Table, served_by: &HashMap<String, String>) {
        for (i, row) in t.rows.iter().enumerate() {
            let taken = self.locations.contains_key(t.get(row, "id"));
            let id = self.id(t, row, i, taken);
            let owner = self.location_owner(t, row, i, served_by);
            let location = LocationInput {
                name: t.get(row, "name").to_string(),
                province_code: t.get(row, "karuna_province_code").to_string(),
                district_code: t.get(row, "karuna_district_code").to_string(),
                source: t.get(row, "karuna_source").to_string(),
                verify_locally: self.bool(t, row, i, "karuna_verify_locally"),
                ..LocationInput::default()
            };
            if let (Some(id), Some(o)) = (id, owner) {
                let list = &mut self.dir.organizations[o].locations;
                self.locations.insert(id.clone(), (o, list.len()));
                list.push(LocationEntry { id, location });
            }
        }
    }

    fn read_services(&mut self, t: &Table) {
        for (i, row) in t.rows.iter().enumerate() {
            let taken = self.services.contains_key(t.get(row, "id"));
            let id = self.id(t, row, i, taken);
            let owner = self.owner(t, row, i, "organization_id");
            let name = t.get(row, "name");
            if name.trim().is_empty() {
                self.err(t.record(i), "name", "required");
            }
            let mut fees = t.get(row, "fees_description");
            if fees.is_empty() {
                fees = t.get(row, "fees");
            }
            let service = ServiceInput {
                name: name.to_string(),
                description: t.get(row, "description").to_string(),
                status: status_from_hsds(t.get(row, "status")),
                eligibility_description: t.get(row, "eligibility_description").to_string(),
                eligibility_rule: t.get(row, "karuna_eligibility_rule").to_string(),
                fees: fees.to_string(),
                email: t.get(row, "email").to_string(),
                url: t.get(row, "url").to_string(),
                capacity: self.count(t, row, i, "karuna_capacity"),
                vacancy: self.count(t, row, i, "karuna_vacancy"),
                last_verified_on: date_from_hsds(t.get(row, "assured_date")),
                source: t.get(row, "karuna_source").to_string(),
                verify_locally: self.bool(t, row, i, "karuna_verify_locally"),
                ..ServiceInput::default()
            };
            if let (Some(id), Some(o)) = (id, owner) {
                let list = &mut self.dir.organizations[o].services;
                self.services.insert(id.clone(), (o, list.len()));
                list.push(ServiceEntry { id, service });
            }
        }
    }

    fn read_phones(&mut self, t: &Table) {
        for (i, row) in t.rows.iter().enumerate() {
            let number = phone_text(t.get(row, "number"), t.get(row, "extension"));
            if number.is_empty() {
                continue;
            }
            if !t.get(row, "service_id").is_empty() {
                if let Some(p) = self.service_ref(t, row, i, "service_id") {
                    append(&mut self.service_mut(p).phone, &number, ", ");
                }
                continue;
            }
            let org = t.get(row, "organization_id");
            let elsewhere = ["location_id", "contact_id", "service_at_location_id"]
                .iter()
                .any(|c| !t.get(row, c).is_empty());
            if org.is_empty() || elsewhere {
                continue;
            }
            match self.orgs.get(org).copied() {
                Some(o) => append(&mut self.dir.organizations[o].org.phone, &number, ", "),
                None => self.err(t.record(i), "organization_id", "import.unknown_reference"),
            }
        }
    }

    fn read_schedules(&mut self, t: &Table) {
        for (i, row) in t.rows.iter().enumerate() {
            let text = schedule_text(
                t.get(row, "description"),
                t.get(row, "byday"),
                t.get(row, "opens_at"),
                t.get(row, "closes_at"),
            );
            if text.is_empty() {
                continue;
            }
            if !t.get(row, "service_id").is_empty() {
                if let Some(p) = self.service_ref(t, row, i, "service_id") {
                    append(&mut self.service_mut(p).hours, &text, "; ");
                }
            } else if let Some(p) = self.location_ref(t, row, i, "location_id") {
                append(&mut self.location_mut(p).hours, &text, "; ");
            }
        }
    }

    fn read_areas(&mut self, t: &Table) {
        for (i, row) in t.rows.iter().enumerate() {
            if let Some(p) = self.service_ref(t, row, i, "service_id") {
                let (name, extent, kind) = (
                    t.get(row, "name"),
                    t.get(row, "extent"),
                    t.get(row, "extent_type"),
                );
                let s = self.service_mut(p);
                read_area(name, extent, kind, &mut s.national, &mut s.areas);
            }
        }
    }

    fn read_at_locations(&mut self, t: &Table) {
        for (i, row) in t.rows.iter().enumerate() {
            if let Some(p) = self.service_ref(t, row, i, "service_id") {
                let location = t.get(row, "location_id");
                let s = self.service_mut(p);
                if s.location_id.is_empty() {
                    s.location_id = location.to_string();
                }
            }
        }
    }

    fn read_languages(&mut self, t: &Table) {
        for (i, row) in t.rows.iter().enumerate() {
            let Some(code) = language_code(t.get(row, "code"), t.get(row, "name")) else {
                continue;
            };
            if let Some(p) = self.service_ref(t, row, i, "service_id") {
                self.service_mut(p).languages.push(code);
            }
        }
    }

    fn read_documents(&mut self, t: &Table) {
        for (i, row) in t.rows.iter().enumerate() {
            let mut document = t.get(row, "document");
            if document.is_empty() {
                document = t.get(row, "uri");
            }
            if document.is_empty() {
                continue;
            }
            if let Some(p) = self.service_ref(t, row, i, "service_id") {
                append(&mut self.service_mut(p).required_documents, document, "\n");
            }
        }
    }

    fn read_addresses(&mut self, t: &Table, codes_given: bool) {
        let mut chosen: HashMap<Place, Address> = HashMap::new();
        for (i, row) in t.rows.iter().enumerate() {
            let Some(p) = self.location_ref(t, row, i, "location_id") else {
                continue;
            };
            let candidate = Address {
                found: true,
                physical: t.get(row, "address_type").eq_ignore_ascii_case("physical"),
                line: join_nonempty(
                    &[
                        t.get(row, "address_1").to_string(),
                        t.get(row, "address_2").to_string(),
                    ],
                    " ",
                ),
                city: t.get(row, "city").to_string(),
                state: t.get(row, "state_province").to_string(),
            };
            chosen.entry(p).or_default().offer(candidate);
        }
        for (p, address) in chosen {
            let l = self.location_mut(p);
            if !codes_given {
                let (province, district) = address.area(None, None);
                l.province_code = province;
                l.district_code = district;
            }
            l.address = address.line;
        }
    }

    fn read_attributes(&mut self, t: &Table, terms: Option<&Table>, taxonomies: Option<&Table>) {
        let Some(terms) = terms else {
            return;
        };
        let taxonomy_names: HashMap<&str, &str> = taxonomies
            .map(|x| {
                x.rows
                    .iter()
                    .map(|r| (x.get(r, "id"), x.get(r, "name")))
                    .collect()
            })
            .unwrap_or_default();
        let by_id: HashMap<&str, &csv::StringRecord> =
            terms.rows.iter().map(|r| (terms.get(r, "id"), r)).collect();
        for (i, row) in t.rows.iter().enumerate() {
            let entity = t.get(row, "link_entity").trim().to_ascii_lowercase();
            if !(entity.is_empty() || entity == "service") {
                continue;
            }
            let Some(term) = by_id.get(t.get(row, "taxonomy_term_id")) else {
                continue;
            };
            let taxonomy_name = taxonomy_names
                .get(terms.get(term, "taxonomy_id"))
                .copied()
                .unwrap_or("");
            let Some(code) = category_from_term(
                terms.get(term, "code"),
                terms.get(term, "name"),
                terms.get(term, "taxonomy"),
                taxonomy_name,
            ) else {
                continue;
            };
            if let Some(p) = self.service_ref(t, row, i, "link_id") {
                self.service_mut(p).categories.push(code);
            }
        }
    }
}

/// Location id → the organisation id of a service delivered there (the first one).
fn served_by(services: Option<&Table>, at_locations: Option<&Table>) -> HashMap<String, String> {
    let (Some(services), Some(at)) = (services, at_locations) else {
        return HashMap::new();
    };
    let owners: HashMap<&str, &str> = services
        .rows
        .iter()
        .map(|r| (services.get(r, "id"), services.get(r, "organization_id")))
        .collect();
    let mut out = HashMap::new();
    for r in &at.rows {
        if let Some(org) = owners.get(at.get(r, "service_id")) {
            out.entry(at.get(r, "location_id").to_string())
                .or_insert_with(|| org.to_string());
        }
    }
    out
}

fn append(target: &mut String, part: &str, separator: &str) {
    if !target.is_empty() {
        target.push_str(separator);
    }
    target.push_str(part);
}

/// Reads HSDS 3.0 tabular data: `(file name, text)` pairs, names compared without folders and
/// case (`service_at_locations.csv` is accepted for `service_at_location.csv`); other files are
/// ignored. `organizations.csv` is required. Errors name the row as `services.csv row 12`.
pub fn from_hsds_csv(files: &[(String, String)]) -> Result<Directory, Vec<RecordError>> {
    let mut errors = Vec::new();
    let table = |names: &[&str], max_rows: usize, errors: &mut Vec<RecordError>| {
        files
            .iter()
            .find(|(n, _)| names.contains(&base_name(n).as_str()))
            .and_then(|(n, text)| read_table(&base_name(n), text, max_rows, errors))
    };
    let orgs = table(&[ORGANIZATIONS], MAX_SERVICES, &mut errors);
    let locations = table(&[LOCATIONS], MAX_SERVICES, &mut errors);
    let services = table(&[SERVICES], MAX_SERVICES, &mut errors);
    let addresses = table(&[ADDRESSES], MAX_CSV_ROWS, &mut errors);
    let phones = table(&[PHONES], MAX_CSV_ROWS, &mut errors);
    let schedules = table(&[SCHEDULES], MAX_CSV_ROWS, &mut errors);
    let areas = table(&[SERVICE_AREAS], MAX_CSV_ROWS, &mut errors);
    let at_locations = table(
        &[SERVICE_AT_LOCATION, "service_at_locations.csv"],
        MAX_CSV_ROWS,
        &mut errors,
    );
    let languages = table(&[LANGUAGES], MAX_CSV_ROWS, &mut errors);
    let documents = table(&[REQUIRED_DOCUMENTS], MAX_CSV_ROWS, &mut errors);
    let attributes = table(&[ATTRIBUTES], MAX_CSV_ROWS, &mut errors);
    let terms = table(&[TAXONOMY_TERMS], MAX_CSV_ROWS, &mut errors);
    let taxonomies = table(&[TAXONOMIES], MAX_CSV_ROWS, &mut errors);
    if errors.iter().any(|e| e.code == "import.too_many_records") {
        return Err(errors);
    }
    let Some(orgs) = orgs else {
        if !files.iter().any(|(n, _)| base_name(n) == ORGANIZATIONS) {
            errors.push(RecordError::new(ORGANIZATIONS, "", "import.file_missing"));
        }
        return Err(errors);
    };
    let mut r = CsvReader {
        errors,
        dir: Directory::default(),
        orgs: HashMap::new(),
        locations: HashMap::new(),
        services: HashMap::new(),
    };
    r.read_orgs(&orgs);
    let codes_given = locations
        .as_ref()
        .is_some_and(|t| t.has("karuna_province_code"));
    if let Some(t) = &locations {
        r.read_locations(t, &served_by(services.as_ref(), at_locations.as_ref()));
    }
    if let Some(t) = &services {
        r.read_services(t);
    }
    if let Some(t) = &addresses {
        r.read_addresses(t, codes_given);
    }
    if let Some(t) = &phones {
        r.read_phones(t);
    }
    if let Some(t) = &schedules {
        r.read_schedules(t);
    }
    if let Some(t) = &areas {
        r.read_areas(t);
    }
    if let Some(t) = &at_locations {
        r.read_at_locations(t);
    }
    if let Some(t) = &languages {
        r.read_languages(t);
    }
    if let Some(t) = &documents {
        r.read_documents(t);
    }
    if let Some(t) = &attributes {
        r.read_attributes(t, terms.as_ref(), taxonomies.as_ref());
    }
    if r.errors.is_empty() {
        Ok(r.dir)
    } else {
        Err(r.errors)
    }
}

#[cfg(test)]
mod tests;
