//! Reading the audit log (auditors only), sealing it and verifying its chain.

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::access::Action;
use karuna_domain::audit::Outcome;
use karuna_store::audit::{self as store, EventFilter, EventRow, VerifyReport};

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

    /// Seals every unsealed event into the chain; returns how many were sealed.
    pub async fn seal_audit(&self) -> Result<usize, AppError> {
        Ok(store::seal_all(&self.db).await?)
    }

    /// Walks the chain and reports the first altered, inserted or removed row.
    pub async fn verify_audit(&self) -> Result<VerifyReport, AppError> {
        Ok(store::verify(&self.db).await?)
    }
}
