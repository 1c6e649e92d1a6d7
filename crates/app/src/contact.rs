//! The contact log: recording contacts and correcting them (a new version; the earlier text
//! stays readable in the revision history).

use crate::case::CaseAccess;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::Utc;
use karuna_domain::audit::Outcome;
use karuna_domain::contact::{validate_contact, ContactInput};
use karuna_store::contact::{self as store, ContactRow};
use karuna_store::{audit, revision};
use karuna_thai::calendar::Era;
use uuid::Uuid;

impl App {
    /// Records a contact on a case (any member of the case may).
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
        let c = validate_contact(input, era, Utc::now())?;
        let mut tx = self.db.begin().await?;
        let id = store::insert(&mut tx, case.org_id, case_id, &c, user.actor.id).await?;
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

    /// Corrects a contact still at `version`; the earlier content is kept as a revision.
    pub async fn correct_contact(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        contact_id: Uuid,
        version: i64,
        input: &ContactInput,
        reason: &str,
    ) -> Result<i64, AppError> {
        let case_id = {
            let mut tx = self.db.begin().await?;
            let c = store::by_id_tx(&mut tx, contact_id)
                .await?
                .ok_or(AppError::NotFound)?;
            tx.rollback().await?;
            c.case_id
        };
        self.case_for(user, ctx, case_id, CaseAccess::Edit, "contact.correct")
            .await?;
        let era = Era::from_code(&user.era).unwrap_or_default();
        let c = validate_contact(input, era, Utc::now())?;
        let reason = karuna_domain::case::check_reason("reason", reason)?;
        let mut tx = self.db.begin().await?;
        let old = store::by_id_tx(&mut tx, contact_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let v = store::correct(&mut tx, contact_id, version, &c, user.actor.id).await?;
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

    /// A case's contacts, newest first.
    pub async fn case_contacts(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        limit: i64,
    ) -> Result<Vec<ContactRow>, AppError> {
        self.case_for(user, ctx, case_id, CaseAccess::Open, "case.read")
            .await?;
        Ok(store::for_case(&self.db, case_id, limit.clamp(1, 500)).await?)
    }
}
