//! Reading the audit log (auditors only), sealing it and verifying its chain.

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::access::Action;
use karuna_domain::audit::Outcome;
use karuna_store::audit::{self as store, EventFilter, EventRow, Sealed, VerifyReport};

impl App {
    /// A page of audit events, newest first; only auditors, and only their organisation's
    /// events plus organisation-less ones (failed logins for unknown names, anonymous requests).
    pub async fn list_audit(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        filter: &EventFilter,
        limit: i64,
    ) -> Result<Vec<EventRow>, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ViewAuditLog,
            "audit.read",
            ("audit_event", None),
        )
        .await?;
        let org = user.actor.org_id.to_string();
        let rows = store::list(&self.db, filter, limit.clamp(1, 200) * 2).await?;
        let visible: Vec<EventRow> = rows
            .into_iter()
            .filter(|r| r.record.org_id.as_deref().is_none_or(|o| o == org))
            .take(limit.clamp(1, 200) as usize)
            .collect();
        store::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "audit.read", Outcome::Success),
                "audit_event",
                None,
            ),
        )
        .await?;
        Ok(visible)
    }

    /// Seals every unsealed event into the chain; returns how many were sealed and how many
    /// rows older than the chain head were left unsealed (reported, never sealed).
    pub async fn seal_audit(&self) -> Result<Sealed, AppError> {
        Ok(store::seal_settled(&self.db, std::time::Duration::ZERO).await?)
    }

    /// The background sealer's pass: only rows at least `settle` old, so that a transaction
    /// still open when a later row is sealed is not left behind as late.
    pub async fn seal_audit_settled(
        &self,
        settle: std::time::Duration,
    ) -> Result<Sealed, AppError> {
        Ok(store::seal_settled(&self.db, settle).await?)
    }

    /// The last seal's chain position and head hash (for keeping outside the database).
    pub async fn audit_head(&self) -> Result<Option<(i64, String)>, AppError> {
        Ok(store::last_seal(&self.db).await?)
    }

    /// Walks the chain and reports the first altered, inserted or removed row; with
    /// `known_head`, also a chain that does not reach that position with that hash.
    pub async fn verify_audit(
        &self,
        known_head: Option<(i64, &str)>,
    ) -> Result<VerifyReport, AppError> {
        Ok(store::verify(&self.db, known_head).await?)
    }
}
