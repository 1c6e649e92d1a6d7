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

mod tabular;
pub use tabular::{from_hsds_csv, to_hsds_csv};

#[cfg(test)]
mod tests;
