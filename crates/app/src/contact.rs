//! The contact log: recording contacts and correcting them (a new version; the earlier text
//! stays readable in the revision history).

use crate::case::CaseAccess;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::Utc;
use karuna_domain::audit::Outcome;
use karuna_domain::contact::{validate_contact, ContactInput};
use karuna_domain::FieldError;
use karuna_store::case::CaseRow;
use karuna_store::contact::{self as store, ContactRow};
use karuna_store::{audit, revision};
use karuna_thai::calendar::Era;
use uuid::Uuid;

/// Both results, or every field error of both.
fn both<A, B>(a: Result<A, Vec<FieldError>>, b: Result<B, AppError>) -> Result<(A, B), AppError> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(mut e), Err(AppError::Invalid(more))) => {
            e.extend(more);
            Err(AppError::Invalid(e))
        }
        (Err(e), Ok(_)) => Err(AppError::Invalid(e)),
        (_, Err(e)) => Err(e),
    }
}

fn ids(field: &str, raw: &[String]) -> Result<Vec<Uuid>, FieldError> {
    let mut out: Vec<Uuid> = Vec::new();
    for r in raw.iter().map(|r| r.trim()).filter(|r| !r.is_empty()) {
        let id = Uuid::parse_str(r)
            .map_err(|_| FieldError::new(field, "contact.participant_unknown"))?;
        if !out.contains(&id) {
            out.push(id);
        }
    }
    Ok(out)
}

impl App {
    /// Participants must be persons of the case and active staff of its organisation.
    async fn check_participants(
        &self,
        case: &CaseRow,
        input: &ContactInput,
    ) -> Result<(Vec<Uuid>, Vec<Uuid>), AppError> {
        let mut errors = Vec::new();
        let persons = ids("person_ids", &input.person_ids)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let accounts = ids("account_ids", &input.account_ids)
            .map_err(|e| errors.push(e))
            .unwrap_or_default();
        let on_case = karuna_store::case::persons(&self.db, case.id).await?;
        if persons.iter().any(|p| !on_case.iter().any(|(x, _)| x == p)) {
            errors.push(FieldError::new("person_ids", "contact.participant_unknown"));
        }
        for a in &accounts {
            let ok = karuna_store::account::account_by_id(&self.db, *a)
                .await?
                .is_some_and(|acc| acc.org_id == case.org_id && acc.active);
            if !ok {
                errors.push(FieldError::new(
                    "account_ids",
                    "contact.participant_unknown",
                ));
                break;
            }
        }
        if errors.is_empty() {
            Ok((persons, accounts))
        } else {
            Err(AppError::Invalid(errors))
        }
    }

    /// Records a contact on a case (any member of the case may), with who took part.
    pub async fn add_contact(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        input: &ContactInput,
    ) -> Result<Uuid, AppError> {
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "contact.create")
            .await?;
        let era = Era::from_code(&user.era).unwrap_or_default();
        let checked = self.check_participants(&case, input).await;
        let (c, (persons, accounts)) = both(validate_contact(input, era, Utc::now()), checked)?;
        let mut tx = self.db.begin().await?;
        let id = store::insert(&mut tx, case.org_id, case_id, &c, user.actor.id).await?;
        store::set_participants(&mut tx, id, &persons, &accounts).await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        let mut e = on(
            event(Some(user), ctx, "contact.create", Outcome::Success),
            "contact",
            Some(id),
        );
        e.reason = Some(case.number.clone());
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Corrects a contact still at `version`; the earlier content (with its participants) is
    /// kept as a revision, with the reason.
    pub async fn correct_contact(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        contact_id: Uuid,
        version: i64,
        input: &ContactInput,
        reason: &str,
    ) -> Result<i64, AppError> {
        let case_id = self.contact_case(contact_id).await?;
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "contact.correct")
            .await?;
        let era = Era::from_code(&user.era).unwrap_or_default();
        let checked = self.check_participants(&case, input).await;
        let (c, (persons, accounts)) = both(validate_contact(input, era, Utc::now()), checked)?;
        let reason = karuna_domain::case::check_reason("reason", reason)?;
        let mut tx = self.db.begin().await?;
        let old = store::by_id_tx(&mut tx, contact_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let v = store::correct(&mut tx, contact_id, version, &c, user.actor.id).await?;
        store::set_participants(&mut tx, contact_id, &persons, &accounts).await?;
        let snapshot = serde_json::to_value(&old).map_err(|e| AppError::Internal(e.to_string()))?;
        revision::record(
            &mut tx,
            "contact",
            contact_id,
            version,
            &snapshot,
            Some(user.actor.id),
            Some(&reason),
        )
        .await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "contact.correct", Outcome::Success),
                "contact",
                Some(contact_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// The case a contact belongs to (`NotFound` when there is no such contact).
    pub async fn contact_case(&self, contact_id: Uuid) -> Result<Uuid, AppError> {
        store::case_of(&self.db, contact_id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// A case's contacts with their participants, newest first.
    pub async fn case_contacts(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        limit: i64,
    ) -> Result<Vec<ContactRow>, AppError> {
        self.case_for(user, ctx, case_id, CaseAccess::Open, "contact.list")
            .await?;
        let rows = store::for_case(&self.db, case_id, limit.clamp(1, 500)).await?;
        self.audit_read(user, ctx, "contact.list", ("case", case_id))
            .await?;
        Ok(rows)
    }
}
