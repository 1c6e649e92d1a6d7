//! Persons as the case file shows them, and the check for a person already on record.

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::access::Action;
use karuna_domain::audit::Outcome;
use karuna_domain::person::{display_name, PersonInput};
use karuna_store::person::{self as store, AddressRow, DocumentRow};
use karuna_store::{audit, Db};
use karuna_thai::address;
use karuna_thai::lang::Lang;
use karuna_thai::national_id::validate_national_id;
use serde::Serialize;
use uuid::Uuid;

/// A person for display (identity fields empty when masked).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonView {
    /// Id.
    pub id: Uuid,
    /// The name to show (or the case code when masked).
    pub display_name: String,
    /// Identity hidden from this viewer (sensitive case).
    pub masked: bool,
    /// Prefix code.
    pub prefix: Option<String>,
    /// Names in Latin script.
    pub latin_name: Option<String>,
    /// The separate name parts, for editing: Thai first, middle, last; Latin first, middle,
    /// last (all empty when masked).
    pub name_parts: [Option<String>; 6],
    /// Nickname.
    pub nickname: Option<String>,
    /// Sex code.
    pub sex: String,
    /// Birth date (ISO), when exact.
    pub birth_date: Option<chrono::NaiveDate>,
    /// Birth year (CE).
    pub birth_year: Option<i64>,
    /// Year only.
    pub birth_estimated: bool,
    /// Nationality.
    pub nationality: Option<String>,
    /// Ethnicity.
    pub ethnicity: Option<String>,
    /// Languages.
    pub languages: Vec<String>,
    /// Phones (E.164).
    pub phones: Vec<String>,
    /// Identity documents.
    pub documents: Vec<DocumentView>,
    /// Addresses, formatted in Thai.
    pub addresses: Vec<String>,
    /// The same addresses in English (areas by their English names), for English pages.
    #[serde(skip)]
    pub addresses_en: Vec<String>,
    /// Version (send it back to change the person).
    pub version: i64,
}

/// An identity document for display.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DocumentView {
    /// Kind code.
    pub kind: String,
    /// Number.
    pub number: String,
    /// For valid 13-digit numbers: the first digit, which names the person category
    /// (`karuna_thai::national_id::PersonCategory::from_digit`).
    pub category: Option<u8>,
    /// Country.
    pub country: Option<String>,
    /// Saved despite a failed check, with this reason.
    pub override_reason: Option<String>,
}

fn document_view(d: DocumentRow) -> DocumentView {
    let category = (d.number.len() == 13)
        .then(|| {
            validate_national_id(&d.number)
                .ok()
                .map(|n| n.category().digit())
        })
        .flatten();
    DocumentView {
        kind: d.kind,
        number: d.number,
        category,
        country: d.country,
        override_reason: d.override_reason,
    }
}

/// A Thai address on one line.
pub fn format_address(a: &AddressRow, lang: Lang) -> String {
    let mut parts = Vec::new();
    if let Some(h) = &a.house_no {
        parts.push(h.clone());
    }
    if let Some(m) = &a.moo {
        parts.push(match lang {
            Lang::Th => format!("หมู่ {m}"),
            Lang::En => format!("Moo {m}"),
        });
    }
    if let Some(v) = &a.village {
        parts.push(v.clone());
    }
    if let Some(s) = &a.soi {
        parts.push(match lang {
            Lang::Th => format!("ซอย{s}"),
            Lang::En => format!("Soi {s}"),
        });
    }
    if let Some(r) = &a.road {
        parts.push(match lang {
            Lang::Th => format!("ถนน{r}"),
            Lang::En => format!("{r} Road"),
        });
    }
    match address::validate_area(
        &a.province_code,
        &a.district_code,
        &a.subdistrict_code,
        Some(&a.postcode),
    ) {
        Ok(area) => parts.push(area.format(lang)),
        Err(_) => parts.push(format!("{} {}", a.subdistrict_code, a.postcode)),
    }
    parts.join(" ")
}

/// Loads a person for display; `masked_as` replaces the identity with a case code.
pub(crate) async fn person_view(
    db: &Db,
    org_id: Uuid,
    id: Uuid,
    masked_as: Option<&str>,
) -> Result<Option<PersonView>, AppError> {
    let Some(p) = store::person_by_id(db, org_id, id).await? else {
        return Ok(None);
    };
    if let Some(code) = masked_as {
        return Ok(Some(PersonView {
            id,
            display_name: crate::case::masked_name(code),
            masked: true,
            prefix: None,
            latin_name: None,
            name_parts: Default::default(),
            nickname: None,
            sex: p.sex,
            birth_date: None,
            birth_year: None,
            birth_estimated: false,
            nationality: None,
            ethnicity: None,
            languages: Vec::new(),
            phones: Vec::new(),
            documents: Vec::new(),
            addresses: Vec::new(),
            addresses_en: Vec::new(),
            version: p.version,
        }));
    }
    let prefix = p
        .prefix
        .as_deref()
        .and_then(karuna_thai::names::prefix_by_code)
        .map(|x| x.th_abbr);
    let name = display_name(
        prefix,
        p.first_name_th.as_deref(),
        p.last_name_th.as_deref(),
        p.first_name_latin.as_deref(),
        p.last_name_latin.as_deref(),
        p.nickname.as_deref(),
    );
    let latin: Vec<&str> = [
        p.first_name_latin.as_deref(),
        p.middle_name_latin.as_deref(),
        p.last_name_latin.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let rows = store::addresses(db, id).await?;
    Ok(Some(PersonView {
        id,
        display_name: name,
        masked: false,
        prefix: p.prefix,
        latin_name: (!latin.is_empty()).then(|| latin.join(" ")),
        name_parts: [
            p.first_name_th.clone(),
            p.middle_name_th.clone(),
            p.last_name_th.clone(),
            p.first_name_latin.clone(),
            p.middle_name_latin.clone(),
            p.last_name_latin.clone(),
        ],
        nickname: p.nickname,
        sex: p.sex,
        birth_date: p.birth_date,
        birth_year: p.birth_year,
        birth_estimated: p.birth_estimated,
        nationality: p.nationality,
        ethnicity: p.ethnicity,
        languages: p
            .languages
            .split(',')
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        phones: store::phones(db, id).await?,
        documents: store::documents(db, id)
            .await?
            .into_iter()
            .map(document_view)
            .collect(),
        addresses: rows.iter().map(|a| format_address(a, Lang::Th)).collect(),
        addresses_en: rows.iter().map(|a| format_address(a, Lang::En)).collect(),
        version: p.version,
    }))
}

pub use crate::matching::Candidate;

impl App {
    /// Refuses (audited) unless the user may edit a case the person is on.
    pub async fn check_person(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        person_id: Uuid,
    ) -> Result<(), AppError> {
        // A tombstone points to its survivor, for someone who may edit the survivor.
        let mut survivor = None;
        let mut id = person_id;
        for _ in 0..8 {
            match store::person_by_id(&self.db, user.actor.org_id, id).await? {
                Some(p) if p.merged_into.is_some() => {
                    id = p.merged_into.unwrap_or(id);
                    survivor = Some(id);
                }
                _ => break,
            }
        }
        if let Some(s) = survivor {
            Box::pin(self.check_person(user, ctx, s)).await?;
            return Err(AppError::Merged(s));
        }
        let cases = store::cases_of(&self.db, person_id).await?;
        for case_id in &cases {
            if let Some(case) = karuna_store::case::case_by_id(&self.db, *case_id).await? {
                let facts = self.case_facts(&case).await?;
                if karuna_domain::access::decide(&user.actor, Action::EditCase(&facts)).is_allowed()
                {
                    return Ok(());
                }
            }
        }
        let Some(first) = cases.first() else {
            return Err(AppError::NotFound);
        };
        // Audits the refusal against the first case (NotFound across organisations).
        self.case_for(
            user,
            ctx,
            *first,
            crate::case::CaseAccess::Edit,
            "person.update",
        )
        .await?;
        Err(AppError::NotFound)
    }

    /// Changes a person's details if the user may edit a case the person is on and the person
    /// is still at `version`; the earlier details are kept as a revision.
    pub async fn update_person(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        person_id: Uuid,
        version: i64,
        input: &PersonInput,
    ) -> Result<i64, AppError> {
        self.check_person(user, ctx, person_id).await?;
        let old = store::person_by_id(&self.db, user.actor.org_id, person_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let era = karuna_thai::calendar::Era::from_code(&user.era).unwrap_or_default();
        let person = karuna_domain::person::validate_person(
            input,
            era,
            karuna_thai::calendar::bangkok_date(chrono::Utc::now()),
        )?;
        let mut tx = self.db.begin().await?;
        let v = store::update_person(&mut tx, person_id, version, &person).await?;
        let snapshot = serde_json::json!({
            "prefix": old.prefix, "first_name_th": old.first_name_th, "middle_name_th": old.middle_name_th,
            "last_name_th": old.last_name_th, "first_name_latin": old.first_name_latin,
            "middle_name_latin": old.middle_name_latin, "last_name_latin": old.last_name_latin,
            "nickname": old.nickname, "sex": old.sex, "birth_date": old.birth_date, "birth_year": old.birth_year,
            "birth_estimated": old.birth_estimated, "nationality": old.nationality, "ethnicity": old.ethnicity,
            "languages": old.languages, "phones": store::phones(&self.db, person_id).await?,
        });
        karuna_store::revision::record(
            &mut tx,
            "person",
            person_id,
            version,
            &snapshot,
            Some(user.actor.id),
            None,
        )
        .await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "person.update", Outcome::Success),
                "person",
                Some(person_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }
}
