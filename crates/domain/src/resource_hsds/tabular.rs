//! The tabular form of HSDS 3.0: one CSV file per object, with the file and column names of
//! HSDS's `datapackage.json` (see the parent module for the mapping and the limits).

use super::*;

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
