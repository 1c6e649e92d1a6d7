//! One's own sessions: where one is signed in (browser and system, when signed in, last
//! used, until when), signing one of them out, and signing out everywhere else — what a worker
//! does after using a shared computer at a hospital or losing a phone. Signing out is audited;
//! the list is one's own account data (no client's), not a read of personal data.

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{DateTime, Duration, Utc};
use karuna_domain::audit::Outcome;
use karuna_store::account as store;
use karuna_store::audit;

/// The characters of a session's hash that name it to its owner.
pub const HANDLE_LEN: usize = 16;

/// One of my sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MySession {
    /// Its name in addresses: the first 16 characters of its hash (never the cookie).
    pub handle: String,
    /// Browser and system in words, when known.
    pub device: Option<String>,
    /// Signed in.
    pub created_at: DateTime<Utc>,
    /// Last used (to the minute).
    pub last_seen_at: DateTime<Utc>,
    /// When it ends at the latest.
    pub expires_at: DateTime<Utc>,
    /// The session of this request.
    pub current: bool,
}

impl App {
    /// My sessions still usable now, most recently used first.
    pub async fn my_sessions(&self, user: &CurrentUser) -> Result<Vec<MySession>, AppError> {
        let now = Utc::now();
        let idle = Duration::from_std(self.settings.idle_timeout).unwrap_or(Duration::minutes(30));
        let current = user.session.as_ref().map(|s| s.id_hash.as_str());
        Ok(
            store::live_sessions(&self.db, user.actor.id, now, now - idle)
                .await?
                .into_iter()
                .map(|s| MySession {
                    handle: s.id_hash.chars().take(HANDLE_LEN).collect(),
                    current: current == Some(s.id_hash.as_str()),
                    device: s.device,
                    created_at: s.created_at,
                    last_seen_at: s.last_seen_at,
                    expires_at: s.expires_at,
                })
                .collect(),
        )
    }

    /// Signs out my session named `handle`; `NotFound` when I have no such live session.
    pub async fn sign_out_session(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        handle: &str,
    ) -> Result<(), AppError> {
        let handle = handle.trim();
        if handle.len() != HANDLE_LEN || !handle.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(AppError::NotFound);
        }
        let mut tx = self.db.begin().await?;
        if !store::revoke_own_session(&mut tx, user.actor.id, handle).await? {
            return Err(AppError::NotFound);
        }
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "auth.sign_out_session", Outcome::Success),
                "account",
                Some(user.actor.id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Signs out every session of mine but this one (all of them from an API token); returns
    /// how many were signed out. API tokens are not touched: an administrator revokes those.
    pub async fn sign_out_everywhere_else(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<u64, AppError> {
        let keep = user.session.as_ref().map(|s| s.id_hash.as_str());
        let mut tx = self.db.begin().await?;
        let n = store::revoke_other_sessions(&mut tx, user.actor.id, keep).await?;
        let mut e = on(
            event(
                Some(user),
                ctx,
                "auth.sign_out_everywhere",
                Outcome::Success,
            ),
            "account",
            Some(user.actor.id),
        );
        e.reason = Some(n.to_string());
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(n)
    }
}
