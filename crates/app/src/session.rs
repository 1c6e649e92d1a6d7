//! Logging in and out: password verification with lockout, database sessions with idle and
//! absolute timeouts, and hashed API bearer tokens.

use crate::mfa::SignIn;
use crate::{event, on, App, AppError, Ctx, CurrentUser, SessionInfo};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use base64::Engine;
use chrono::{Duration, Utc};
use karuna_domain::access::{Actor, Role};
use karuna_domain::account::lockout_for;
use karuna_domain::audit::Outcome;
use karuna_store::account::{self as store, AccountRow};
use karuna_store::audit;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A hash verified when the username is unknown, so both paths cost the same time.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3HtSqQJ6gLNcDvXy5a0o0Y3A3Zc6xzH1wV9fQbBf6Zo";

/// Hashes a password with argon2id (on a blocking thread: it is deliberately slow).
pub async fn hash_password(password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("hash: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(format!("hash task: {e}")))?
}

/// Checks a password against a stored hash (on a blocking thread).
pub async fn verify_password(password: String, hash: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| AppError::Internal(format!("stored hash: {e}")))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|e| AppError::Internal(format!("verify task: {e}")))?
}

/// A fresh random secret, URL-safe base64 (256 bits).
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 hex of a secret; only this is stored.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The browser and system a request's `User-Agent` names, in words (`Chrome 142 · Linux`),
/// for the list of one's sessions; None when it names neither. Only this is stored, never the
/// header.
pub fn device_label(ctx: &Ctx) -> Option<String> {
    let ua = ctx.user_agent.as_deref()?;
    let r = woothee::parser::Parser::new().parse(ua)?;
    fn known(s: &str) -> Option<&str> {
        Some(s.trim()).filter(|s| !s.is_empty() && *s != "UNKNOWN")
    }
    let major = r.version.split('.').next().and_then(known);
    let browser = known(r.name).map(|n| match major {
        Some(v) => format!("{n} {v}"),
        None => n.to_string(),
    });
    match (browser, known(r.os)) {
        (Some(b), Some(os)) => Some(format!("{b} · {os}")),
        (Some(one), None) => Some(one),
        (None, Some(os)) => Some(os.to_string()),
        (None, None) => None,
    }
}

/// The result of a good login: the cookie value (shown once) and the user.
#[derive(Debug, Clone)]
pub struct LoggedIn {
    /// The session secret for the cookie.
    pub session_secret: String,
    /// Who logged in.
    pub user: CurrentUser,
}

pub(crate) fn current_user(
    a: &AccountRow,
    session: Option<SessionInfo>,
) -> Result<CurrentUser, AppError> {
    let role = Role::from_code(&a.role).ok_or(AppError::Internal("stored role".into()))?;
    Ok(CurrentUser {
        actor: Actor {
            id: a.id,
            org_id: a.org_id,
            unit_id: a.unit_id,
            role,
        },
        username: a.username.clone(),
        display_name: a.display_name.clone(),
        profession: a.profession.clone(),
        lang: a.lang.clone(),
        era: a.era.clone(),
        version: a.version,
        session,
    })
}

impl App {
    /// Hashes a new password in one of the bounded hashing slots.
    pub(crate) async fn hash_new_password(&self, password: &str) -> Result<String, AppError> {
        self.guard
            .hashing(hash_password(password.to_string()))
            .await
    }

    /// Checks a password against a stored hash in one of the bounded hashing slots.
    pub(crate) async fn password_matches(
        &self,
        password: &str,
        hash: &str,
    ) -> Result<bool, AppError> {
        self.guard
            .hashing(verify_password(password.to_string(), hash.to_string()))
            .await
    }

    pub(crate) fn usable(&self, a: &AccountRow) -> bool {
        a.active && (!a.demo || self.settings.demo)
    }

    /// Checks a username and password; on success opens a session, or (a second factor set up
    /// or required of the role) starts the second step. Failures are audited and
    /// counted; enough of them lock the account with back-off. A name that is no usable
    /// account is counted and locked the same way (in `login_failure`), and its password is
    /// checked against a dummy hash, so the answers (status, message, time taken) do not tell
    /// whether an account exists.
    pub async fn sign_in(
        &self,
        username: &str,
        password: &str,
        ctx: &Ctx,
    ) -> Result<SignIn, AppError> {
        let username = username.trim().to_lowercase();
        let username: String = username.chars().take(64).collect();
        if let Err(throttled) = self.guard.admit(ctx.client_addr, &username) {
            // Refused before any lookup or hashing, the same for every name.
            let mut e = event(None, ctx, "auth.login", Outcome::Denied);
            e.actor_username = Some(username);
            e.reason = Some("throttled".into());
            audit::append_alone(&self.db, &e).await?;
            return Err(throttled);
        }
        let account = store::account_by_username(&self.db, &username).await?;
        let now = Utc::now();
        let Some(account) = account.filter(|a| self.usable(a)) else {
            return Err(self.unknown_login(&username, password, ctx).await);
        };
        let user = current_user(&account, None)?;
        if let Some(until) = account.locked_until.filter(|u| *u > now) {
            let mut e = on(
                event(Some(&user), ctx, "auth.login", Outcome::Denied),
                "account",
                Some(account.id),
            );
            e.reason = Some("locked".into());
            audit::append_alone(&self.db, &e).await?;
            return Err(AppError::Locked(until));
        }
        if !self
            .password_matches(password, &account.password_hash)
            .await?
        {
            let mut tx = self.db.begin().await?;
            // Counted in SQL: parallel wrong guesses each add one (none overwrites another),
            // and the lockout follows from the count the database returns.
            let failures = store::count_failed_login(&mut tx, account.id).await?;
            let locked_until = lockout_for(failures).map(|d| now + d);
            if let Some(until) = locked_until {
                store::lock_account(&mut tx, account.id, until).await?;
            }
            let mut e = on(
                event(Some(&user), ctx, "auth.login", Outcome::Failure),
                "account",
                Some(account.id),
            );
            e.reason = Some(
                if locked_until.is_some() {
                    "bad_password_locked"
                } else {
                    "bad_password"
                }
                .into(),
            );
            audit::append(&mut tx, &e).await?;
            tx.commit().await?;
            return Err(match locked_until {
                Some(until) => AppError::Locked(until),
                None => AppError::LoginFailed,
            });
        }
        if self
            .password_refused(user.actor.org_id, user.actor.role)
            .await?
        {
            // The right password, but this organisation signs in through its provider.
            let mut e = on(
                event(Some(&user), ctx, "auth.login", Outcome::Denied),
                "account",
                Some(account.id),
            );
            e.reason = Some("password_login_disabled".into());
            audit::append_alone(&self.db, &e).await?;
            return Err(AppError::Refused("password_login_disabled"));
        }
        if let Some(challenge) = self.second_step(&user, ctx).await? {
            return Ok(SignIn::SecondStep { challenge });
        }
        let mut tx = self.db.begin().await?;
        let done = self.open_session(&mut tx, user, ctx, None).await?;
        tx.commit().await?;
        Ok(SignIn::Done(Box::new(done)))
    }

    /// Checks a username and password and opens a session, for accounts without a second
    /// step (scripts, tests); one with a second step is refused (`second_step_required`): the
    /// login page takes it through [`App::sign_in`].
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        ctx: &Ctx,
    ) -> Result<LoggedIn, AppError> {
        match self.sign_in(username, password, ctx).await? {
            SignIn::Done(done) => Ok(*done),
            SignIn::SecondStep { .. } => Err(AppError::Refused("second_step_required")),
        }
    }

    /// Opens a session for a user who proved who she is (failed logins cleared), audited as a
    /// login, with how the second step was taken when there was one.
    pub(crate) async fn open_session(
        &self,
        tx: &mut karuna_store::db::Tx,
        user: CurrentUser,
        ctx: &Ctx,
        second_step: Option<&str>,
    ) -> Result<LoggedIn, AppError> {
        let secret = random_secret();
        let csrf = random_secret();
        let expires = Utc::now()
            + Duration::from_std(self.settings.absolute_timeout).unwrap_or(Duration::hours(12));
        store::clear_failed_logins(tx, user.actor.id).await?;
        store::insert_session(
            tx,
            &secret_hash(&secret),
            user.actor.id,
            (&csrf, device_label(ctx).as_deref()),
            expires,
        )
        .await?;
        let mut e = on(
            event(Some(&user), ctx, "auth.login", Outcome::Success),
            "account",
            Some(user.actor.id),
        );
        e.reason = second_step.map(str::to_string);
        audit::append(tx, &e).await?;
        let session = SessionInfo {
            id_hash: secret_hash(&secret),
            csrf_token: csrf,
        };
        Ok(LoggedIn {
            session_secret: secret,
            user: CurrentUser {
                session: Some(session),
                ..user
            },
        })
    }

    /// A login under a name that is no usable account: the same work and the same answers
    /// as a wrong password for an account (a lock after as many failures, for as long).
    async fn unknown_login(&self, username: &str, password: &str, ctx: &Ctx) -> AppError {
        match self.unknown_login_inner(username, password, ctx).await {
            Ok(e) | Err(e) => e,
        }
    }

    async fn unknown_login_inner(
        &self,
        username: &str,
        password: &str,
        ctx: &Ctx,
    ) -> Result<AppError, AppError> {
        let now = Utc::now();
        let mut e = event(None, ctx, "auth.login", Outcome::Failure);
        e.actor_username = Some(username.to_string());
        if let Some(until) = store::name_locked_until(&self.db, username)
            .await?
            .filter(|u| *u > now)
        {
            e.outcome = Outcome::Denied.code().to_string();
            e.reason = Some("locked".into());
            audit::append_alone(&self.db, &e).await?;
            return Ok(AppError::Locked(until));
        }
        // The same hashing work as for an account (and the same "busy" when no slot frees).
        if let Err(AppError::Busy) = self.password_matches(password, DUMMY_HASH).await {
            return Ok(AppError::Busy);
        }
        let mut tx = self.db.begin().await?;
        let failures = store::count_failed_name(&mut tx, username).await?;
        let locked_until = lockout_for(failures).map(|d| now + d);
        if let Some(until) = locked_until {
            store::lock_name(&mut tx, username, until).await?;
        }
        e.reason = Some(
            if locked_until.is_some() {
                "unknown_or_inactive_locked"
            } else {
                "unknown_or_inactive"
            }
            .into(),
        );
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(match locked_until {
            Some(until) => AppError::Locked(until),
            None => AppError::LoginFailed,
        })
    }

    /// Resolves a session cookie to its user, enforcing revocation and both timeouts.
    pub async fn authenticate_session(&self, secret: &str) -> Result<CurrentUser, AppError> {
        let hash = secret_hash(secret);
        let session = store::session_by_hash(&self.db, &hash)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let now = Utc::now();
        let idle = Duration::from_std(self.settings.idle_timeout).unwrap_or(Duration::minutes(30));
        if session.revoked || session.expires_at <= now || session.last_seen_at + idle <= now {
            return Err(AppError::Unauthenticated);
        }
        let account = store::account_by_id(&self.db, session.account_id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if !self.usable(&account) {
            return Err(AppError::Unauthenticated);
        }
        if now - session.last_seen_at > Duration::seconds(60) {
            let mut tx = self.db.begin().await?;
            store::touch_session(&mut tx, &hash).await?;
            tx.commit().await?;
        }
        current_user(
            &account,
            Some(SessionInfo {
                id_hash: hash,
                csrf_token: session.csrf_token,
            }),
        )
    }

    /// The account a command-line bulk operation (import, export) acts as: whoever can run the
    /// binary against the database is trusted to name it, as with `karuna admin`; the account
    /// must be active (and not a demo account outside demo mode). Policy checks then apply as
    /// for any request.
    pub async fn acting_as(&self, username: &str) -> Result<CurrentUser, AppError> {
        let account = store::account_by_username(&self.db, username.trim())
            .await?
            .filter(|a| self.usable(a))
            .ok_or(AppError::NotFound)?;
        current_user(&account, None)
    }

    /// Resolves an API bearer token to its user.
    pub async fn authenticate_token(&self, token: &str) -> Result<CurrentUser, AppError> {
        let (_, account_id) = store::token_owner(&self.db, &secret_hash(token))
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let account = store::account_by_id(&self.db, account_id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if !self.usable(&account) {
            return Err(AppError::Unauthenticated);
        }
        current_user(&account, None)
    }

    /// Ends the user's session.
    pub async fn logout(&self, user: &CurrentUser, ctx: &Ctx) -> Result<(), AppError> {
        let mut tx = self.db.begin().await?;
        if let Some(s) = &user.session {
            store::revoke_session(&mut tx, &s.id_hash).await?;
        }
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "auth.logout", Outcome::Success),
                "account",
                Some(user.actor.id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_named_in_words_or_not_at_all() {
        let ctx = |ua: &str| Ctx {
            user_agent: Some(ua.into()),
            ..Ctx::default()
        };
        assert_eq!(
            device_label(&ctx(
                "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36"
            ))
            .as_deref(),
            Some("Chrome 142 · Linux")
        );
        assert_eq!(
            device_label(&ctx(
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"
            ))
            .as_deref(),
            Some("Safari 17 · iPhone")
        );
        assert_eq!(device_label(&ctx("")), None);
        assert_eq!(device_label(&Ctx::default()), None);
    }

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let h1 = hash_password("karuna-demo".into()).await.unwrap();
        let h2 = hash_password("karuna-demo".into()).await.unwrap();
        assert_ne!(h1, h2);
        assert!(h1.starts_with("$argon2id$"));
        assert!(verify_password("karuna-demo".into(), h1.clone())
            .await
            .unwrap());
        assert!(!verify_password("karuna-dem0".into(), h1).await.unwrap());
        assert!(!verify_password("x".into(), DUMMY_HASH.into())
            .await
            .unwrap());
    }

    #[test]
    fn secrets_are_random_and_hashes_stable() {
        assert_ne!(random_secret(), random_secret());
        assert_eq!(random_secret().len(), 43);
        assert_eq!(secret_hash("a"), secret_hash("a"));
    }
}
