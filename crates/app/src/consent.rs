//! Consent (PDPA) on the case file: recorded at intake and whenever it changes.

use crate::attachment::{check_file, UploadedFile};
use crate::case::CaseAccess;
use crate::intake::{CONSENT_PURPOSES, CONSENT_STATES, LAWFUL_BASES};
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::audit::Outcome;
use karuna_domain::FieldError;
use karuna_store::consent::{self as store, ConsentRow, NewConsent};
use karuna_store::{attachment, audit, Tx};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use uuid::Uuid;

/// A consent change as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ConsentChange {
    /// The person (on the case).
    pub person_id: String,
    /// Purpose code.
    pub purpose: String,
    /// For sharing: the agency.
    pub agency: String,
    /// `granted`, `refused`, `withdrawn`; empty with a lawful basis.
    pub status: String,
    /// Lawful basis when consent is not the basis.
    pub lawful_basis: String,
    /// Evidence.
    pub evidence_note: String,
}

/// Stores one consent record inside the caller's transaction.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert_consent(
    tx: &mut Tx,
    org_id: Uuid,
    person_id: Uuid,
    case_id: Option<Uuid>,
    purpose: &str,
    agency: Option<&str>,
    status: Option<&str>,
    lawful_basis: Option<&str>,
    evidence_note: Option<&str>,
    by: Uuid,
) -> Result<Uuid, AppError> {
    let c = NewConsent {
        org_id,
        person_id,
        case_id,
        purpose,
        agency,
        status: status.unwrap_or("basis"),
        lawful_basis,
        evidence_note,
        recorded_by: by,
    };
    Ok(store::insert(tx, &c).await?)
}

impl App {
    /// Records a new consent state (or lawful basis) for a person of the case.
    pub async fn record_consent(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        c: &ConsentChange,
    ) -> Result<(), AppError> {
        self.record_consent_with_file(user, ctx, case_id, c, None)
            .await
    }

    /// Records consent with an evidence file (a signed form: PDF, JPEG or PNG, up to 5 MiB),
    /// both in one transaction.
    pub async fn record_consent_with_file(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        c: &ConsentChange,
        file: Option<&UploadedFile>,
    ) -> Result<(), AppError> {
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "consent.record")
            .await?;
        let mut errors = Vec::new();
        let person_id = Uuid::parse_str(c.person_id.trim()).ok();
        let on_case = match person_id {
            Some(p) => karuna_store::case::persons(&self.db, case_id)
                .await?
                .iter()
                .any(|(id, _)| *id == p),
            None => false,
        };
        if !on_case {
            errors.push(FieldError::new("person_id", "person.unknown"));
        }
        let purpose = c.purpose.trim();
        if !CONSENT_PURPOSES.contains(&purpose) {
            errors.push(FieldError::new("purpose", "consent.purpose_unknown"));
        }
        let agency = Some(c.agency.trim()).filter(|a| !a.is_empty());
        if purpose == "sharing" && agency.is_none() {
            errors.push(FieldError::new("agency", "consent.agency_required"));
        }
        let status = Some(c.status.trim()).filter(|s| !s.is_empty());
        let basis = Some(c.lawful_basis.trim()).filter(|s| !s.is_empty());
        match (status, basis) {
            (None, None) => errors.push(FieldError::new("status", "consent.required")),
            (Some(s), _) if !CONSENT_STATES.contains(&s) => {
                errors.push(FieldError::new("status", "consent.status_unknown"))
            }
            (_, Some(b)) if !LAWFUL_BASES.contains(&b) => {
                errors.push(FieldError::new("lawful_basis", "consent.basis_unknown"))
            }
            _ => {}
        }
        let note = Some(c.evidence_note.trim()).filter(|n| !n.is_empty());
        if note.is_some_and(|n| n.chars().count() > 2000)
            || agency.is_some_and(|a| a.chars().count() > 200)
        {
            errors.push(FieldError::new("evidence_note", "too_long"));
        }
        let checked_file = file
            .map(|f| check_file("evidence_file", f, "evidence"))
            .transpose()
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        let Some(person_id) = person_id.filter(|_| errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let mut tx = self.db.begin().await?;
        let consent_id = insert_consent(
            &mut tx,
            case.org_id,
            person_id,
            Some(case_id),
            purpose,
            agency,
            status,
            basis,
            note,
            user.actor.id,
        )
        .await?;
        if let (Some(f), Some((content_type, filename))) = (file, checked_file) {
            let sha = hex::encode(sha2::Sha256::digest(&f.bytes));
            let a = attachment::NewAttachment {
                org_id: case.org_id,
                case_id,
                to: attachment::AttachedTo::Consent(consent_id),
                filename: &filename,
                description: None,
                content_type,
                content: &f.bytes,
                sha256: &sha,
                created_by: user.actor.id,
            };
            let aid =
                attachment::insert(&mut tx, &a, self.settings.attachment_key.as_ref()).await?;
            audit::append(
                &mut tx,
                &on(
                    event(Some(user), ctx, "attachment.create", Outcome::Success),
                    "attachment",
                    Some(aid),
                ),
            )
            .await?;
        }
        karuna_store::case::touch(&mut tx, case_id).await?;
        let mut e = on(
            event(Some(user), ctx, "consent.record", Outcome::Success),
            "person",
            Some(person_id),
        );
        e.reason = Some(format!("{purpose}: {}", status.or(basis).unwrap_or("")));
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The consent records of a case's persons (part of the case file; access checked there).
    pub async fn case_consents(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
    ) -> Result<Vec<ConsentRow>, AppError> {
        self.case_for(user, ctx, case_id, CaseAccess::Open, "consent.list")
            .await?;
        let rows = store::for_case_persons(&self.db, case_id).await?;
        self.audit_read(user, ctx, "consent.list", ("case", case_id))
            .await?;
        Ok(rows)
    }
}
