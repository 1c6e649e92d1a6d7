//! Intake: the client (new or already on record), their documents and address, consent, the
//! referral, the presenting problem, the safety screening and the case types, written as one
//! new case in one transaction with its number.

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{Datelike, Utc};
use karuna_domain::access::Action;
use karuna_domain::audit::Outcome;
use karuna_domain::case::{case_number, screen, SafetyAnswer, REFERRAL_SOURCES};
use karuna_domain::case_type::check_case_types;
use karuna_domain::person::{
    validate_document_input, validate_person, DocumentInput, PersonInput, ValidDocument,
    ValidPerson,
};
use karuna_domain::FieldError;
use karuna_store::case::{self as store, NewCase, NewTransition};
use karuna_store::person::{self as persons, AddressRow};
use karuna_store::{account as accounts, audit};
use karuna_thai::address::validate_area;
use karuna_thai::calendar::{bangkok_date, be_year, Era};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An address as typed: the area codes picked from the official lists, and the rest.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AddressInput {
    /// บ้านเลขที่.
    pub house_no: String,
    /// หมู่ที่.
    pub moo: String,
    /// Village or building.
    pub village: String,
    /// ซอย.
    pub soi: String,
    /// ถนน.
    pub road: String,
    /// Province code.
    pub province_code: String,
    /// District code.
    pub district_code: String,
    /// Subdistrict code.
    pub subdistrict_code: String,
    /// Postcode (filled from the subdistrict when it has one).
    pub postcode: String,
}

impl AddressInput {
    fn is_empty(&self) -> bool {
        [
            &self.house_no,
            &self.moo,
            &self.village,
            &self.soi,
            &self.road,
            &self.province_code,
            &self.district_code,
            &self.subdistrict_code,
        ]
        .iter()
        .all(|f| f.trim().is_empty())
    }
}

/// Consent at intake (PDPA), or the lawful basis when consent is not the basis.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ConsentInput {
    /// `granted`, `refused` or empty when a lawful basis applies instead.
    pub status: String,
    /// `vital_interest`, `legal_obligation`, `public_task`, `contract`, `legitimate_interest`.
    pub lawful_basis: String,
    /// How consent was given (for example "signed form", "verbally, witnessed by …").
    pub evidence_note: String,
}

/// Purposes of processing consent is recorded for.
pub const CONSENT_PURPOSES: [&str; 3] = ["service_provision", "sharing", "research_statistics"];
/// Consent states.
pub const CONSENT_STATES: [&str; 3] = ["granted", "refused", "withdrawn"];
/// Lawful bases other than consent.
pub const LAWFUL_BASES: [&str; 5] = [
    "vital_interest",
    "legal_obligation",
    "public_task",
    "contract",
    "legitimate_interest",
];

/// Everything an intake records.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct IntakeInput {
    /// A person already on record chosen from the candidates; else `client` is created.
    pub existing_client_id: String,
    /// The new client.
    pub client: PersonInput,
    /// The client's identity documents.
    pub documents: Vec<DocumentInput>,
    /// The client's current address.
    pub address: AddressInput,
    /// Consent for service provision.
    pub consent: ConsentInput,
    /// Referral source code.
    pub referral_source: String,
    /// Who referred, reference numbers.
    pub referral_note: String,
    /// What brought the client, in the worker's words.
    pub presenting_problem: String,
    /// Safety screening answers, one for every question: code → `true` (yes), `false` (no) or
    /// `"not_asked"` (recorded as not asked: the case is raised to at least urgent and flagged
    /// for review). A missing question is a field error `safety.<code>`.
    #[serde(with = "answers_map")]
    #[schema(value_type = std::collections::BTreeMap<String, SafetyAnswerInput>, default = json!({}))]
    pub safety: Vec<(String, SafetyAnswer)>,
    /// Case type codes.
    pub case_types: Vec<String>,
    /// Sensitive case.
    pub sensitive: bool,
    /// Responsible unit (default: the worker's).
    pub unit_id: String,
    /// Case manager (default: the worker; supervisors may assign another).
    pub manager_id: String,
}

/// One screening answer as JSON: `true`, `false`, or one of the codes `"yes"`, `"no"`,
/// `"not_asked"`.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum SafetyAnswerInput {
    /// `true` is yes, `false` is no.
    Flag(bool),
    /// `yes`, `no` or `not_asked`.
    Code(SafetyAnswer),
}

impl From<SafetyAnswerInput> for SafetyAnswer {
    fn from(a: SafetyAnswerInput) -> Self {
        match a {
            SafetyAnswerInput::Flag(true) => SafetyAnswer::Yes,
            SafetyAnswerInput::Flag(false) => SafetyAnswer::No,
            SafetyAnswerInput::Code(c) => c,
        }
    }
}

/// The screening answers travel as a JSON object (`{"in_danger_now": false, …}`).
mod answers_map {
    use super::SafetyAnswerInput;
    use karuna_domain::case::SafetyAnswer;
    use serde::{Deserialize, Deserializer, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<S: Serializer>(v: &[(String, SafetyAnswer)], s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(v.iter().map(|(k, a)| (k, answer_json(*a))))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<(String, SafetyAnswer)>, D::Error> {
        Ok(BTreeMap::<String, SafetyAnswerInput>::deserialize(d)?
            .into_iter()
            .map(|(k, a)| (k, a.into()))
            .collect())
    }

    /// Stored and sent as `true` / `false` / `"not_asked"`.
    pub(super) fn answer_json(a: SafetyAnswer) -> serde_json::Value {
        match a {
            SafetyAnswer::Yes => serde_json::Value::Bool(true),
            SafetyAnswer::No => serde_json::Value::Bool(false),
            SafetyAnswer::NotAsked => serde_json::Value::String(a.code().into()),
        }
    }
}

/// The case an intake created.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct IntakeResult {
    /// Case id.
    pub case_id: Uuid,
    /// Case number.
    pub number: String,
    /// Client id.
    pub client_id: Uuid,
    /// Urgency from the screening.
    pub urgency: String,
    /// The screening's questions recorded as not asked (the case is raised for review).
    pub safety_not_asked: Vec<String>,
    /// Notices (a year understood in the other era …).
    pub notices: Vec<FieldError>,
}

pub(crate) fn check_address(a: &AddressInput, errors: &mut Vec<FieldError>) -> Option<AddressRow> {
    if a.is_empty() {
        return None;
    }
    let postcode = Some(a.postcode.trim()).filter(|p| !p.is_empty());
    match validate_area(
        &a.province_code,
        &a.district_code,
        &a.subdistrict_code,
        postcode,
    ) {
        Ok(area) => {
            let Some(pc) = area.postcode else {
                errors.push(FieldError::new("address.postcode", "required"));
                return None;
            };
            let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
            let row = AddressRow {
                kind: "current".into(),
                house_no: opt(&a.house_no),
                moo: opt(&a.moo),
                village: opt(&a.village),
                soi: opt(&a.soi),
                road: opt(&a.road),
                subdistrict_code: area.subdistrict.code.to_string(),
                district_code: area.district.code.to_string(),
                province_code: area.province.code.to_string(),
                postcode: pc.to_string(),
            };
            let too_long = [&row.house_no, &row.moo, &row.village, &row.soi, &row.road]
                .iter()
                .any(|f| f.as_ref().is_some_and(|v| v.chars().count() > 200));
            if too_long {
                errors.push(FieldError::new("address", "too_long"));
            }
            Some(row)
        }
        Err(e) => {
            let field = match e.code() {
                "thai.address.unknown_province" => "address.province_code",
                "thai.address.unknown_district" | "thai.address.district_not_in_province" => {
                    "address.district_code"
                }
                "thai.address.unknown_subdistrict" | "thai.address.subdistrict_not_in_district" => {
                    "address.subdistrict_code"
                }
                _ => "address.postcode",
            };
            errors.push(FieldError::new(field, e.code()));
            None
        }
    }
}

/// The referral source (a known code), its note and the presenting problem (required, bounded):
/// the intake form's rules, which the cases import applies too.
pub(crate) fn check_referral(
    source: &str,
    note: &str,
    problem: &str,
    errors: &mut Vec<FieldError>,
) {
    let source = source.trim();
    if !REFERRAL_SOURCES.contains(&source) {
        let code = if source.is_empty() {
            "required"
        } else {
            "case.referral_unknown"
        };
        errors.push(FieldError::new("referral_source", code));
    }
    let problem = problem.trim();
    if problem.is_empty() {
        errors.push(FieldError::new("presenting_problem", "required"));
    } else if problem.chars().count() > 20_000 {
        errors.push(FieldError::new("presenting_problem", "too_long"));
    }
    if note.chars().count() > 2000 {
        errors.push(FieldError::new("referral_note", "too_long"));
    }
}

pub(crate) fn check_consent(
    c: &ConsentInput,
    errors: &mut Vec<FieldError>,
) -> Option<(Option<String>, Option<String>)> {
    let status = c.status.trim();
    let basis = c.lawful_basis.trim();
    match (status, basis) {
        ("", "") => {
            errors.push(FieldError::new("consent.status", "consent.required"));
            None
        }
        (s, _) if !s.is_empty() && !CONSENT_STATES.contains(&s) => {
            errors.push(FieldError::new("consent.status", "consent.status_unknown"));
            None
        }
        (_, b) if !b.is_empty() && !LAWFUL_BASES.contains(&b) => {
            errors.push(FieldError::new(
                "consent.lawful_basis",
                "consent.basis_unknown",
            ));
            None
        }
        (s, b) => Some((
            Some(s.to_string()).filter(|s| !s.is_empty()),
            Some(b.to_string()).filter(|b| !b.is_empty()),
        )),
    }
}

impl App {
    /// Registers a new case from an intake. Everything is validated first and every problem
    /// reported at once; then the person, documents, address, consent, case, its number, its
    /// first history entry and the audit events are written in one transaction.
    pub async fn intake(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        input: &IntakeInput,
    ) -> Result<IntakeResult, AppError> {
        self.authorize(user, ctx, Action::CreateCase, "case.create", ("case", None))
            .await?;
        let era = Era::from_code(&user.era).unwrap_or_default();
        let today = bangkok_date(Utc::now());
        let mut errors: Vec<FieldError> = Vec::new();

        // The client: one already on record, or a new person with documents and an address.
        let existing = match input.existing_client_id.trim() {
            "" => None,
            id => match Uuid::parse_str(id) {
                Ok(id)
                    if persons::person_by_id(&self.db, user.actor.org_id, id)
                        .await?
                        .is_some() =>
                {
                    Some(id)
                }
                _ => {
                    errors.push(FieldError::new("existing_client_id", "person.unknown"));
                    None
                }
            },
        };
        let mut person: Option<ValidPerson> = None;
        let mut documents: Vec<ValidDocument> = Vec::new();
        let mut address = None;
        if existing.is_none() && errors.is_empty() {
            match validate_person(&input.client, era, today) {
                Ok(p) => person = Some(p),
                Err(e) => errors.extend(e.into_iter().map(|mut f| {
                    f.field = format!("client.{}", f.field);
                    f
                })),
            }
            for (i, d) in input.documents.iter().enumerate() {
                // A row with no number is no document (the form's kind select has a default),
                // except "none", which says the client has no document.
                if d.number.trim().is_empty() && d.kind.trim() != "none" {
                    continue;
                }
                match validate_document_input(&format!("documents[{i}]"), d) {
                    Ok(v) => documents.push(v),
                    Err(e) => errors.extend(e),
                }
            }
            address = check_address(&input.address, &mut errors);
        }
        let consent = check_consent(&input.consent, &mut errors);
        if input.consent.evidence_note.chars().count() > 2000 {
            errors.push(FieldError::new("consent.evidence_note", "too_long"));
        }

        // The case.
        check_referral(
            &input.referral_source,
            &input.referral_note,
            &input.presenting_problem,
            &mut errors,
        );
        let referral_source = input.referral_source.trim();
        let problem = input.presenting_problem.trim();
        let screening = screen(&input.safety).map_err(|e| errors.extend(e)).ok();
        let types = self.case_types_of(user.actor.org_id).await?;
        check_case_types(&input.case_types, &types, &[], &mut errors);
        let unit_id = match input.unit_id.trim() {
            "" => user.actor.unit_id,
            u => Uuid::parse_str(u).ok(),
        };
        let unit_ok = match unit_id {
            Some(u) => accounts::list_units(&self.db, user.actor.org_id)
                .await?
                .iter()
                .any(|x| x.id == u),
            None => false,
        };
        if !unit_ok {
            errors.push(FieldError::new("unit_id", "unit.unknown"));
        }
        let manager_id = match input.manager_id.trim() {
            "" => Some(user.actor.id),
            m => Uuid::parse_str(m).ok(),
        };
        let manager_ok = match manager_id {
            Some(m) if m == user.actor.id => true,
            Some(m) => {
                user.role() == karuna_domain::access::Role::Supervisor
                    && accounts::account_by_id(&self.db, m)
                        .await?
                        .is_some_and(|a| {
                            a.org_id == user.actor.org_id && a.active && a.role == "case_manager"
                        })
            }
            None => false,
        };
        if !manager_ok {
            errors.push(FieldError::new("manager_id", "case.manager_invalid"));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let (
            Some(screening),
            Some(unit_id),
            Some(manager_id),
            Some((consent_status, lawful_basis)),
        ) = (screening, unit_id, manager_id, consent)
        else {
            return Err(AppError::Internal("intake validation".into()));
        };
        let notices = person
            .as_ref()
            .map(|p| p.notices.clone())
            .unwrap_or_default();
        let safety: serde_json::Map<String, serde_json::Value> = input
            .safety
            .iter()
            .map(|(k, a)| (k.clone(), answers_map::answer_json(*a)))
            .collect();
        let urgency = screening.urgency;

        let org = user.actor.org_id;
        let by = Some(user.actor.id);
        let mut tx = self.db.begin().await?;
        let client_id = match (existing, &person) {
            (Some(id), _) => id,
            (None, Some(p)) => {
                let id = persons::insert_person(&mut tx, org, p, by).await?;
                audit::append(
                    &mut tx,
                    &on(
                        event(Some(user), ctx, "person.create", Outcome::Success),
                        "person",
                        Some(id),
                    ),
                )
                .await?;
                for d in &documents {
                    let doc = persons::insert_document(&mut tx, org, id, d, by).await?;
                    if let Some(check) = &d.overridden_check {
                        let mut e = on(
                            event(
                                Some(user),
                                ctx,
                                "person.document.override",
                                Outcome::Success,
                            ),
                            "identity_document",
                            Some(doc),
                        );
                        e.reason = Some(format!(
                            "{check}: {}",
                            d.override_reason.clone().unwrap_or_default()
                        ));
                        audit::append(&mut tx, &e).await?;
                    }
                }
                if let Some(a) = &address {
                    persons::insert_address(&mut tx, id, a).await?;
                }
                id
            }
            (None, None) => return Err(AppError::Internal("intake person".into())),
        };
        let year = be_year(today.year());
        let seq = store::next_number(&mut tx, org, year).await?;
        let number = case_number(year, seq);
        let new = NewCase {
            org_id: org,
            unit_id,
            client_id,
            manager_id,
            urgency: urgency.code().to_string(),
            sensitive: input.sensitive,
            case_types: input.case_types.clone(),
            referral_source: referral_source.to_string(),
            referral_note: Some(input.referral_note.trim().to_string()).filter(|r| !r.is_empty()),
            presenting_problem: problem.to_string(),
            safety_answers: serde_json::Value::Object(safety).to_string(),
            opened_at: None,
            legacy_number: None,
        };
        let case_id = store::insert_case(&mut tx, &new, &number).await?;
        store::add_person(&mut tx, case_id, client_id, "client").await?;
        crate::consent::insert_consent(
            &mut tx,
            org,
            client_id,
            Some(case_id),
            "service_provision",
            None,
            consent_status.as_deref(),
            lawful_basis.as_deref(),
            Some(input.consent.evidence_note.trim()).filter(|n| !n.is_empty()),
            user.actor.id,
        )
        .await?;
        let t = NewTransition {
            kind: "open",
            to_status: Some("intake"),
            ..Default::default()
        };
        store::insert_transition(&mut tx, case_id, &t, user.actor.id).await?;
        let mut e = on(
            event(Some(user), ctx, "case.create", Outcome::Success),
            "case",
            Some(case_id),
        );
        e.reason = Some(number.clone());
        audit::append(&mut tx, &e).await?;
        if screening.needs_review() {
            // The reason names the questions (codes, never answers about a person's life).
            let mut e = on(
                event(Some(user), ctx, "case.safety_not_asked", Outcome::Success),
                "case",
                Some(case_id),
            );
            e.reason = Some(screening.not_asked.join(","));
            audit::append(&mut tx, &e).await?;
        }
        tx.commit().await?;
        self.screen_after(user, ctx, case_id, "intake").await;
        Ok(IntakeResult {
            case_id,
            number,
            client_id,
            urgency: urgency.code().to_string(),
            safety_not_asked: screening.not_asked.iter().map(|c| c.to_string()).collect(),
            notices,
        })
    }
}
