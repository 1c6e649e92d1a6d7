//! API bearer tokens: issued (shown once, stored hashed), listed and revoked by an admin or by
//! the operator at the console (`by = None`).

use crate::session::{random_secret, secret_hash};
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::access::Action;
use karuna_domain::audit::Outcome;
use karuna_store::account::{self as store, TokenRow};
use karuna_store::audit;
use uuid::Uuid;

impl App {
    /// Issues an API token for an account (admin, or the CLI with `by = None`); the token is
    /// returned once and only its hash is stored.
    pub async fn issue_token(
        &self,
        by: Option<&CurrentUser>,
        ctx: &Ctx,
        username: &str,
        label: &str,
    ) -> Result<(Uuid, String), AppError> {
        if let Some(admin) = by {
            self.authorize(
                admin,
                ctx,
                Action::ManageAccounts,
                "token.create",
                ("api_token", None),
            )
            .await?;
        }
        let account = store::account_by_username(&self.db, &username.trim().to_lowercase())
            .await?
            .filter(|a| by.is_none_or(|b| b.actor.org_id == a.org_id))
            .ok_or_else(|| AppError::field("user", "user.unknown"))?;
        let label = label.trim();
        let label = if label.is_empty() { "api" } else { label };
        let token = format!("krn_{}", random_secret());
        let mut tx = self.db.begin().await?;
        let id = store::insert_token(&mut tx, account.id, &secret_hash(&token), label).await?;
        let mut e = on(
            event(by, ctx, "token.create", Outcome::Success),
            "api_token",
            Some(id),
        );
        e.org_id = Some(account.org_id);
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok((id, token))
    }

    /// Revokes one token of an account (admin, or the CLI with `by = None`).
    pub async fn revoke_token(
        &self,
        by: Option<&CurrentUser>,
        ctx: &Ctx,
        username: &str,
        token_id: Uuid,
    ) -> Result<(), AppError> {
        if let Some(admin) = by {
            self.authorize(
                admin,
                ctx,
                Action::ManageAccounts,
                "token.revoke",
                ("api_token", Some(token_id)),
            )
            .await?;
        }
        let account = store::account_by_username(&self.db, &username.trim().to_lowercase())
            .await?
            .filter(|a| by.is_none_or(|b| b.actor.org_id == a.org_id))
            .ok_or_else(|| AppError::field("user", "user.unknown"))?;
        let mut tx = self.db.begin().await?;
        if !store::revoke_token(&mut tx, account.id, token_id).await? {
            return Err(AppError::NotFound);
        }
        let mut e = on(
            event(by, ctx, "token.revoke", Outcome::Success),
            "api_token",
            Some(token_id),
        );
        e.org_id = Some(account.org_id);
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An account's tokens (never the secrets).
    pub async fn list_tokens(
        &self,
        by: Option<&CurrentUser>,
        ctx: &Ctx,
        username: &str,
    ) -> Result<Vec<TokenRow>, AppError> {
        if let Some(admin) = by {
            self.authorize(
                admin,
                ctx,
                Action::ManageAccounts,
                "token.list",
                ("api_token", None),
            )
            .await?;
        }
        let account = store::account_by_username(&self.db, &username.trim().to_lowercase())
            .await?
            .filter(|a| by.is_none_or(|b| b.actor.org_id == a.org_id))
            .ok_or_else(|| AppError::field("user", "user.unknown"))?;
        Ok(store::list_tokens(&self.db, account.id).await?)
    }
}
