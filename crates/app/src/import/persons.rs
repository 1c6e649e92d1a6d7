//! A persons file's row: its cells turned into the same inputs the intake form sends
//! (`PersonInput`, `DocumentInput`, `AddressInput`) and validated by the same functions
//! (`validate_person`, `validate_document_input`, the intake's address check). Only the file's
//! spellings are translated first: Thai prefixes and sexes, Buddhist-era ISO dates, phone lists.

use super::columns::Mapping;
use crate::intake::{check_address, AddressInput};
use chrono::NaiveDate;
use karuna_domain::person::{
    validate_document_input, validate_person, DocumentInput, PersonInput, ValidDocument,
    ValidPerson,
};
use karuna_domain::FieldError;
use karuna_store::person::AddressRow;
use karuna_thai::calendar::Era;
use karuna_thai::names::{prefix_by_code, prefix_by_thai};

/// A valid persons row.
#[derive(Debug, Clone)]
pub struct PersonRow {
    /// The person with phones.
    pub person: ValidPerson,
    /// The identity documents.
    pub documents: Vec<ValidDocument>,
    /// The address.
    pub address: Option<AddressRow>,
    /// The Thai national ID, when the row has one (for the duplicate checks).
    pub national_id: Option<String>,
}

/// A prefix as a code: the code itself, or the Thai title full or abbreviated.
fn prefix_code(cell: &str) -> String {
    let t = cell.trim();
    if t.is_empty() || prefix_by_code(t).is_some() {
        return t.to_string();
    }
    prefix_by_thai(t)
        .map(|p| p.code.to_string())
        .unwrap_or_else(|| t.to_string())
}

/// A sex as a code: the code, or its usual Thai or one-letter spelling.
fn sex_code(cell: &str) -> String {
    let t = cell.trim();
    match t.to_lowercase().as_str() {
        "ชาย" | "m" | "ช" => "male".into(),
        "หญิง" | "f" | "ญ" => "female".into(),
        "อื่น" | "อื่นๆ" | "อื่น ๆ" => "other".into(),
        "ไม่ทราบ" | "ไม่ระบุ" => "unknown".into(),
        _ => t.to_lowercase(),
    }
}

/// Dates: `yyyy-mm-dd` with a Buddhist-era year (2400 or more; the calendar reads ISO dates
/// as Common era) becomes `dd/mm/yyyy`, which the calendar reads in either era by the year.
pub fn date_text(cell: &str) -> String {
    let t = cell.trim();
    let parts: Vec<&str> = t.split('-').collect();
    if let [y, m, d] = parts[..] {
        if y.len() == 4
            && y.chars().all(|c| c.is_ascii_digit())
            && y >= "2400"
            && !m.is_empty()
            && !d.is_empty()
        {
            return format!("{d}/{m}/{y}");
        }
    }
    t.to_string()
}

/// Where a validation error's field is in the file: the column key of the mapping.
fn column_of(field: &str, national_id_doc: bool) -> &str {
    let base = field.split(['[', '.']).next().unwrap_or(field);
    match base {
        "first_name_th" => "first_name",
        "middle_name_th" => "middle_name",
        "last_name_th" => "last_name",
        "phones" => "phone",
        "documents" if national_id_doc && field.starts_with("documents[0]") => "national_id",
        "documents" if field.ends_with(".country") => "document_country",
        "documents" if field.ends_with(".kind") => "document_kind",
        "documents" => "document_number",
        "address" => field
            .strip_prefix("address.")
            .map(|f| f.trim_end_matches("_code"))
            .map(|f| match f {
                "province" => "province_code",
                "district" => "district_code",
                "subdistrict" => "subdistrict_code",
                other => other,
            })
            .unwrap_or("house_no"),
        other => other,
    }
}

/// Validates one row; errors carry the column key they belong to.
pub fn validate_row(
    m: &Mapping,
    cells: &[String],
    era: Era,
    today: NaiveDate,
) -> Result<PersonRow, Vec<(String, FieldError)>> {
    let get = |k: &str| m.get(cells, k).to_string();
    let input = PersonInput {
        prefix: prefix_code(&get("prefix")),
        first_name_th: get("first_name"),
        middle_name_th: get("middle_name"),
        last_name_th: get("last_name"),
        first_name_latin: get("first_name_latin"),
        middle_name_latin: get("middle_name_latin"),
        last_name_latin: get("last_name_latin"),
        nickname: get("nickname"),
        sex: sex_code(&get("sex")),
        birth_date: date_text(&get("birth_date")),
        birth_year: get("birth_year"),
        nationality: get("nationality"),
        ethnicity: get("ethnicity"),
        languages: get("languages"),
        phones: get("phone")
            .split([',', ';', '\n'])
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
    };
    let mut errors: Vec<FieldError> = Vec::new();
    let person = validate_person(&input, era, today)
        .map_err(|e| errors.extend(e))
        .ok();
    let mut docs_in = Vec::new();
    let national = get("national_id");
    let has_national = !national.trim().is_empty();
    if has_national {
        docs_in.push(DocumentInput {
            kind: "thai_national_id".into(),
            number: national,
            ..Default::default()
        });
    }
    let (kind, number) = (get("document_kind"), get("document_number"));
    if !number.trim().is_empty() || !kind.trim().is_empty() {
        docs_in.push(DocumentInput {
            kind: if kind.trim().is_empty() {
                "passport".into()
            } else {
                kind.trim().to_string()
            },
            number,
            country: get("document_country"),
            ..Default::default()
        });
    }
    let mut documents = Vec::new();
    for (i, d) in docs_in.iter().enumerate() {
        match validate_document_input(&format!("documents[{i}]"), d) {
            Ok(v) => documents.push(v),
            Err(e) => errors.extend(e),
        }
    }
    let address_in = AddressInput {
        house_no: get("house_no"),
        moo: get("moo"),
        village: get("village"),
        soi: get("soi"),
        road: get("road"),
        province_code: get("province_code"),
        district_code: get("district_code"),
        subdistrict_code: get("subdistrict_code"),
        postcode: get("postcode"),
    };
    let address = check_address(&address_in, &mut errors);
    match person {
        Some(person) if errors.is_empty() => {
            let national_id = documents
                .iter()
                .find(|d| d.kind.code() == "thai_national_id")
                .map(|d| d.number.clone());
            Ok(PersonRow {
                person,
                documents,
                address,
                national_id,
            })
        }
        _ => Err(errors
            .into_iter()
            .map(|e| (column_of(&e.field, has_national).to_string(), e))
            .collect()),
    }
}

// The file kind for the import driver (`App::import` in the parent module).
use super::columns::{PERSON_COLUMNS, PERSON_NAME_COLUMNS};
use super::{row_problem, Checked, FileKind, ImportError, ImportOptions, ImportReport, Observer};
use crate::{App, Ctx, CurrentUser};
use chrono::Utc;
use karuna_domain::access::Action;
use karuna_store::person_bulk::{insert_persons, numbers_on_record, BulkPerson};
use karuna_store::Tx;
use karuna_thai::calendar::bangkok_date;
use std::collections::HashSet;
use uuid::Uuid;
/// A persons file (docs/IMPORT.md): persons with documents, phones and an address.
struct PersonsKind {
    org: Uuid,
    by: Uuid,
    era: Era,
    today: NaiveDate,
    seen_ids: HashSet<u64>,
}

impl FileKind for PersonsKind {
    type Row = PersonRow;
    const ENTITY: &'static str = "person";

    fn mapping(&self, headers: &[String]) -> Result<Mapping, Vec<String>> {
        Mapping::new(headers, PERSON_COLUMNS, PERSON_NAME_COLUMNS, &[])
    }

    fn validate(
        &self,
        m: &Mapping,
        cells: &[String],
    ) -> Result<Self::Row, Vec<(String, FieldError)>> {
        validate_row(m, cells, self.era, self.today)
    }

    async fn check(
        &mut self,
        app: &App,
        m: &Mapping,
        batch: &mut [Checked<Self::Row>],
    ) -> Result<(), ImportError> {
        // A national ID may be on record once: not twice in the file, not again.
        let ids: Vec<String> = batch
            .iter()
            .filter_map(|(_, r)| r.as_ref().ok().and_then(|p| p.national_id.clone()))
            .collect();
        let on_record = numbers_on_record(&app.db, self.org, "thai_national_id", &ids).await?;
        let column = m.header_of("national_id");
        for (rec, result) in batch.iter_mut() {
            let Ok(p) = result else { continue };
            let Some(id) = p.national_id.clone() else {
                continue;
            };
            let code = if on_record.contains(&id) {
                Some("import.national_id_on_record")
            } else if id.parse::<u64>().is_ok_and(|n| !self.seen_ids.insert(n)) {
                Some("import.national_id_repeated")
            } else {
                None
            };
            if let Some(code) = code {
                let text = if code.ends_with("on_record") {
                    "a person with this national ID is already on record"
                } else {
                    "this national ID is on an earlier row of the file"
                };
                *result = Err(vec![row_problem(
                    rec.row,
                    column.clone(),
                    code,
                    Some(text.into()),
                )]);
            }
        }
        Ok(())
    }

    async fn write(&mut self, tx: &mut Tx, rows: &[&Self::Row]) -> Result<Vec<Uuid>, ImportError> {
        let bulk: Vec<BulkPerson<'_>> = rows
            .iter()
            .map(|p| BulkPerson {
                person: &p.person,
                documents: &p.documents,
                address: p.address.as_ref(),
            })
            .collect();
        Ok(insert_persons(tx, self.org, Some(self.by), &bulk).await?)
    }
}

impl App {
    /// Imports a persons file as `user` (who must be allowed to register cases). See the
    /// module documentation for the modes.
    pub async fn import_persons(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        opts: &ImportOptions,
        obs: &mut dyn Observer,
    ) -> Result<ImportReport, ImportError> {
        self.authorize(
            user,
            ctx,
            Action::CreateCase,
            "person.import",
            ("person", None),
        )
        .await?;
        let kind = PersonsKind {
            org: user.actor.org_id,
            by: user.actor.id,
            era: Era::from_code(&user.era).unwrap_or_default(),
            today: bangkok_date(Utc::now()),
            seen_ids: HashSet::new(),
        };
        self.import(kind, user, ctx, opts, obs).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::columns::{PERSON_COLUMNS, PERSON_NAME_COLUMNS};

    fn mapping(h: &[&str]) -> Mapping {
        let h: Vec<String> = h.iter().map(|s| s.to_string()).collect();
        Mapping::new(&h, PERSON_COLUMNS, PERSON_NAME_COLUMNS, &[]).unwrap()
    }

    fn row(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn buddhist_and_common_era_dates_give_the_same_birth_date() {
        let m = mapping(&["ชื่อ", "วันเกิด", "คำนำหน้า", "เพศ"]);
        let want = NaiveDate::from_ymd_opt(1987, 3, 15);
        for d in ["15/03/2530", "2530-03-15", "1987-03-15", "15/03/1987"] {
            let r = validate_row(
                &m,
                &row(&["สมชาย", d, "นาย", "ชาย"]),
                Era::Buddhist,
                today(),
            )
            .unwrap_or_else(|e| panic!("{d}: {e:?}"));
            assert_eq!(r.person.birth_date, want, "{d}");
            assert_eq!(r.person.prefix.as_deref(), Some("mr"));
            assert_eq!(r.person.sex, "male");
        }
    }

    #[test]
    fn a_bad_national_id_is_reported_on_its_column() {
        let m = mapping(&["ชื่อ", "เลขประจำตัวประชาชน"]);
        let e = validate_row(
            &m,
            &row(&["สมชาย", "1101700203452"]),
            Era::Buddhist,
            today(),
        )
        .unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].0, "national_id");
        assert!(e[0].1.code.contains("checksum"), "{e:?}");
    }
}
