//! Two-step verification: a time-based one-time code (RFC 6238: SHA-1, 6 digits, 30-second
//! steps, one step of clock drift either way) from an authenticator app, set up by scanning a
//! QR code, with ten one-time recovery codes (only their SHA-256 kept). An organisation's
//! policy names the roles that must use it; anyone may. A login with a right password then
//! waits for a code (a challenge of a few minutes and a few tries, wrong codes counting toward
//! the account's lockout); a worker whose role must use it and has not set it up sets it up
//! there, before any session exists. A code is good once. Lost phone and codes: an
//! administrator resets it (audited, every session and token of the account ended) and the
//! worker sets it up again at the next login.

use crate::session::{random_secret, secret_hash};
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{DateTime, Duration, Utc};
use karuna_domain::access::{Action, Role};
use karuna_domain::audit::Outcome;
use karuna_domain::error::FieldError;
use karuna_store::account as accounts;
use karuna_store::audit;
use karuna_store::mfa as store;
use rand::Rng;
use totp_rs::{Algorithm, Secret, TOTP};
use uuid::Uuid;

/// Seconds per code.
pub const STEP_SECONDS: u64 = 30;
/// Digits per code.
pub const DIGITS: usize = 6;
/// Recovery codes given at a time.
pub const RECOVERY_CODES: usize = 10;
/// Minutes a login has to answer its challenge.
pub const CHALLENGE_MINUTES: i64 = 5;
/// Wrong codes a challenge takes before it ends (the account's lockout counts them too).
pub const CHALLENGE_TRIES: i64 = 5;
/// The name authenticator apps show above the code.
pub const ISSUER: &str = "Karuna";

/// The letters of recovery codes: no 0/o, 1/l/i to misread.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

fn totp(secret_b32: &str, username: &str) -> Result<TOTP, AppError> {
    let bytes = Secret::Encoded(secret_b32.to_string())
        .to_bytes()
        .map_err(|_| AppError::Internal("stored mfa secret".into()))?;
    // Skew 0: `matching_step` tries the neighbouring steps itself, to know which one matched.
    TOTP::new(
        Algorithm::SHA1,
        DIGITS,
        0,
        STEP_SECONDS,
        bytes,
        Some(ISSUER.to_string()),
        username.replace(':', "_"),
    )
    .map_err(|e| AppError::Internal(format!("totp: {e}")))
}

/// A fresh 160-bit secret, base32 (RFC 4226's recommended length).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::thread_rng().fill(&mut bytes);
    Secret::Raw(bytes.to_vec()).to_encoded().to_string()
}

/// The time step (30-second count since 1970) a six-digit code is right for, trying the step of
/// `now` and one either side; None when it is right for none.
pub fn matching_step(secret_b32: &str, code: &str, now: DateTime<Utc>) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = totp(secret_b32, "-").ok()?;
    let now = u64::try_from(now.timestamp()).ok()?;
    let step = now / STEP_SECONDS;
    [step.saturating_sub(1), step, step + 1]
        .into_iter()
        .find(|s| t.check(&code, s * STEP_SECONDS))
        .and_then(|s| i64::try_from(s).ok())
}

/// The code an authenticator shows at `now` (tests and the demo's own check).
pub fn code_at(secret_b32: &str, now: DateTime<Utc>) -> Result<String, AppError> {
    let t = totp(secret_b32, "-")?;
    Ok(t.generate(u64::try_from(now.timestamp()).unwrap_or(0)))
}

/// A recovery code as typed, reduced to what is compared: lower case, no spaces or dashes.
fn normalise_recovery(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Fresh recovery codes (`abcde-fghjk`, 50 bits each) and the hashes to store.
fn new_recovery_codes() -> (Vec<String>, Vec<String>) {
    let mut rng = rand::thread_rng();
    let codes: Vec<String> = (0..RECOVERY_CODES)
        .map(|_| {
            let s: String = (0..10)
                .map(|_| RECOVERY_ALPHABET[rng.gen_range(0..RECOVERY_ALPHABET.len())] as char)
                .collect();
            format!("{}-{}", &s[..5], &s[5..])
        })
        .collect();
    let hashes = codes
        .iter()
        .map(|c| secret_hash(&normalise_recovery(c)))
        .collect();
    (codes, hashes)
}

/// The QR code of an `otpauth://` URI as inline SVG (no XML declaration), dark on light.
fn qr_svg(uri: &str) -> Result<String, AppError> {
    let code =
        qrcode::QrCode::new(uri.as_bytes()).map_err(|e| AppError::Internal(format!("qr: {e}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    Ok(match svg.find("<svg") {
        Some(i) => svg[i..].to_string(),
        None => svg,
    })
}

/// What setting up shows: the secret to type, the URI, and its QR code.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The secret in groups of four, for typing into an app by hand.
    pub secret: String,
    /// The `otpauth://totp/…` URI.
    pub uri: String,
    /// The URI as an SVG QR code.
    pub qr_svg: String,
}

impl Setup {
    fn of(secret: &str, username: &str) -> Result<Setup, AppError> {
        let uri = totp(secret, username)?.get_url();
        let grouped = secret
            .as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Setup {
            secret: grouped,
            qr_svg: qr_svg(&uri)?,
            uri,
        })
    }
}

/// One's own two-step verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MfaStatus {
    /// Set up since.
    pub enrolled_at: Option<DateTime<Utc>>,
    /// Unused recovery codes.
    pub recovery_codes_left: i64,
    /// The organisation's policy requires it of one's role.
    pub required: bool,
}

/// The organisation's policy and who changed it last.
#[derive(Debug, Clone)]
pub struct MfaPolicy {
    /// Roles that must use two-step verification.
    pub roles: Vec<Role>,
    /// Version (0: never stored).
    pub version: i64,
    /// Who changed it last, and when.
    pub updated: Option<(String, DateTime<Utc>)>,
}

/// After a right password: either a session, or the second step still to take.
#[derive(Debug, Clone)]
pub enum SignIn {
    /// Signed in.
    Done(Box<crate::session::LoggedIn>),
    /// A code is needed; the challenge's secret goes in a short-lived cookie.
    SecondStep {
        /// The challenge's secret (shown once).
        challenge: String,
    },
}

/// A login's second step as its page shows it.
#[derive(Debug, Clone)]
pub struct ChallengeView {
    /// Who is signing in.
    pub username: String,
    /// Set-up to do first (a role that must use it, not set up yet); None: enter a code.
    pub setup: Option<Setup>,
    /// Until when it can be answered.
    pub expires_at: DateTime<Utc>,
}

/// A finished second step: the session, and the recovery codes when it set up the factor.
#[derive(Debug, Clone)]
pub struct Completed {
    /// The new session.
    pub logged_in: crate::session::LoggedIn,
    /// Recovery codes to show once (set-up at login only).
    pub recovery_codes: Option<Vec<String>>,
}

fn wrong_code() -> AppError {
    AppError::Invalid(vec![FieldError::new("code", "mfa.code_wrong")])
}

impl App {
    /// The organisation's policy (no personal data).
    pub async fn mfa_policy(&self, org: Uuid) -> Result<MfaPolicy, AppError> {
        Ok(match store::policy(&self.db, org).await? {
            Some(p) => MfaPolicy {
                roles: p.roles.iter().filter_map(|c| Role::from_code(c)).collect(),
                version: p.version,
                updated: Some((p.updated_by_name, p.updated_at)),
            },
            None => MfaPolicy {
                roles: Vec::new(),
                version: 0,
                updated: None,
            },
        })
    }

    async fn mfa_required(&self, org: Uuid, role: Role) -> Result<bool, AppError> {
        Ok(self.mfa_policy(org).await?.roles.contains(&role))
    }

    /// Sets the roles that must use two-step verification (administrators), over the version
    /// read; returns the new version. Unknown role codes are refused by field.
    pub async fn put_mfa_policy(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        roles: &[String],
        version: i64,
    ) -> Result<i64, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ManageConfiguration,
            "mfa.policy",
            ("mfa_policy", None),
        )
        .await?;
        let mut codes: Vec<String> = Vec::new();
        for r in roles {
            match Role::from_code(r.trim()) {
                Some(role) if !codes.iter().any(|c| c == role.code()) => {
                    codes.push(role.code().to_string())
                }
                Some(_) => {}
                None => return Err(AppError::field("roles", "mfa.role_unknown")),
            }
        }
        let mut tx = self.db.begin().await?;
        let v =
            store::put_policy(&mut tx, user.actor.org_id, &codes, version, user.actor.id).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "mfa.policy", Outcome::Success),
                "mfa_policy",
                None,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// My two-step verification: set up since when, recovery codes left, required or not.
    pub async fn my_mfa(&self, user: &CurrentUser) -> Result<MfaStatus, AppError> {
        let row = store::get(&self.db, user.actor.id).await?;
        let enrolled_at = row.and_then(|r| r.confirmed_at);
        Ok(MfaStatus {
            recovery_codes_left: if enrolled_at.is_some() {
                store::recovery_codes_left(&self.db, user.actor.id).await?
            } else {
                0
            },
            enrolled_at,
            required: self
                .mfa_required(user.actor.org_id, user.actor.role)
                .await?,
        })
    }

    /// Begins setting up (again) with a new secret; refused (`mfa_enrolled`) when it is set up.
    pub async fn begin_mfa_setup(&self, user: &CurrentUser) -> Result<Setup, AppError> {
        let secret = new_secret();
        let mut tx = self.db.begin().await?;
        if !store::begin_setup(&mut tx, user.actor.id, &secret).await? {
            return Err(AppError::Refused("mfa_enrolled"));
        }
        tx.commit().await?;
        Setup::of(&secret, &user.username)
    }

    /// The set-up being made, to show again (a page reloaded), if there is one.
    pub async fn pending_mfa_setup(&self, user: &CurrentUser) -> Result<Option<Setup>, AppError> {
        match store::get(&self.db, user.actor.id).await? {
            Some(r) if r.confirmed_at.is_none() => Ok(Some(Setup::of(&r.secret, &user.username)?)),
            _ => Ok(None),
        }
    }

    /// Finishes setting up with a code from the app; returns the recovery codes (shown once).
    pub async fn confirm_mfa_setup(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        code: &str,
    ) -> Result<Vec<String>, AppError> {
        let row = store::get(&self.db, user.actor.id).await?;
        let Some(row) = row.filter(|r| r.confirmed_at.is_none()) else {
            return Err(AppError::Refused("mfa_no_setup"));
        };
        let step = matching_step(&row.secret, code, Utc::now()).ok_or_else(wrong_code)?;
        let (codes, hashes) = new_recovery_codes();
        let mut tx = self.db.begin().await?;
        if !store::confirm(&mut tx, user.actor.id, &row.secret, step).await? {
            return Err(AppError::Refused("mfa_no_setup"));
        }
        store::replace_recovery_codes(&mut tx, user.actor.id, &hashes).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "mfa.enrol", Outcome::Success),
                "account",
                Some(user.actor.id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(codes)
    }

    /// Checks a code (or a recovery code) of a set-up account in the transaction, spending it.
    async fn spend_code(
        &self,
        tx: &mut karuna_store::db::Tx,
        account: Uuid,
        secret: &str,
        code: &str,
    ) -> Result<Option<&'static str>, AppError> {
        if let Some(step) = matching_step(secret, code, Utc::now()) {
            return Ok(store::use_step(tx, account, step).await?.then_some("totp"));
        }
        let rc = normalise_recovery(code);
        if rc.len() != 10 {
            return Ok(None);
        }
        Ok(store::use_recovery_code(tx, account, &secret_hash(&rc))
            .await?
            .then_some("recovery_code"))
    }

    /// A code of mine checked and spent (in `tx`) for an action on my own factor; false when
    /// it is wrong (the caller ends `tx` and answers with [`App::wrong_own_code`]).
    async fn spend_own_code(
        &self,
        user: &CurrentUser,
        tx: &mut karuna_store::db::Tx,
        code: &str,
    ) -> Result<bool, AppError> {
        let row = store::get(&self.db, user.actor.id)
            .await?
            .filter(|r| r.confirmed_at.is_some())
            .ok_or(AppError::Refused("mfa_not_enrolled"))?;
        Ok(self
            .spend_code(tx, user.actor.id, &row.secret, code)
            .await?
            .is_some())
    }

    /// A wrong code for an action on my own factor: counted toward the account's lockout like a
    /// wrong login code (so a stolen session or token cannot guess its way to turning the
    /// factor off) and audited; the field error to answer.
    async fn wrong_own_code(&self, user: &CurrentUser, ctx: &Ctx) -> Result<AppError, AppError> {
        let mut tx = self.db.begin().await?;
        let failures = accounts::count_failed_login(&mut tx, user.actor.id).await?;
        if let Some(d) = karuna_domain::account::lockout_for(failures) {
            accounts::lock_account(&mut tx, user.actor.id, Utc::now() + d).await?;
        }
        let mut e = on(
            event(Some(user), ctx, "mfa.code", Outcome::Failure),
            "account",
            Some(user.actor.id),
        );
        e.reason = Some("bad_code".into());
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(wrong_code())
    }

    /// New recovery codes for old ones (a code from the app or a recovery code proves it is me).
    pub async fn renew_recovery_codes(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        code: &str,
    ) -> Result<Vec<String>, AppError> {
        let mut tx = self.db.begin().await?;
        if !self.spend_own_code(user, &mut tx, code).await? {
            drop(tx);
            return Err(self.wrong_own_code(user, ctx).await?);
        }
        let (codes, hashes) = new_recovery_codes();
        store::replace_recovery_codes(&mut tx, user.actor.id, &hashes).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "mfa.recovery_codes", Outcome::Success),
                "account",
                Some(user.actor.id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(codes)
    }

    /// Turns my two-step verification off (with a code); refused (`mfa_required`) when the
    /// organisation requires it of my role.
    pub async fn turn_off_mfa(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        code: &str,
    ) -> Result<(), AppError> {
        if self
            .mfa_required(user.actor.org_id, user.actor.role)
            .await?
        {
            return Err(AppError::Refused("mfa_required"));
        }
        let mut tx = self.db.begin().await?;
        if !self.spend_own_code(user, &mut tx, code).await? {
            drop(tx);
            return Err(self.wrong_own_code(user, ctx).await?);
        }
        store::remove(&mut tx, user.actor.id).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "mfa.disable", Outcome::Success),
                "account",
                Some(user.actor.id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether an account of the organisation has two-step verification set up (administrators).
    pub async fn user_mfa_enrolled(
        &self,
        admin: &CurrentUser,
        id: Uuid,
    ) -> Result<Option<DateTime<Utc>>, AppError> {
        if admin.actor.role != Role::Admin {
            return Ok(None);
        }
        Ok(store::get(&self.db, id).await?.and_then(|r| r.confirmed_at))
    }

    /// The recovery path for a lost phone and lost codes: an administrator removes an account's
    /// second factor; every session and token of the account ends, and the worker sets it up
    /// again at the next login (when her role must use it) or from her profile. Audited.
    /// Refused (`mfa_not_enrolled`) when there is none to remove.
    pub async fn reset_mfa(
        &self,
        admin: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<(), AppError> {
        self.authorize(
            admin,
            ctx,
            Action::ManageAccounts,
            "mfa.reset",
            ("account", Some(id)),
        )
        .await?;
        accounts::account_by_id(&self.db, id)
            .await?
            .filter(|a| a.org_id == admin.actor.org_id)
            .ok_or(AppError::NotFound)?;
        let mut tx = self.db.begin().await?;
        if !store::remove(&mut tx, id).await? {
            return Err(AppError::Refused("mfa_not_enrolled"));
        }
        accounts::revoke_credentials(&mut tx, id).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(admin), ctx, "mfa.reset", Outcome::Success),
                "account",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// After a right password: a second step when the account has a factor set up or its
    /// role must have one; otherwise None. The challenge is stored (its hash) and audited.
    pub(crate) async fn second_step(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Option<String>, AppError> {
        let enrolled = store::get(&self.db, user.actor.id)
            .await?
            .is_some_and(|r| r.confirmed_at.is_some());
        if !enrolled
            && !self
                .mfa_required(user.actor.org_id, user.actor.role)
                .await?
        {
            return Ok(None);
        }
        let secret = random_secret();
        let mut tx = self.db.begin().await?;
        store::insert_challenge(
            &mut tx,
            &secret_hash(&secret),
            user.actor.id,
            Utc::now() + Duration::minutes(CHALLENGE_MINUTES),
        )
        .await?;
        let mut e = on(
            event(Some(user), ctx, "auth.login", Outcome::Success),
            "account",
            Some(user.actor.id),
        );
        e.reason = Some(
            if enrolled {
                "second_step"
            } else {
                "second_step_setup"
            }
            .into(),
        );
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(Some(secret))
    }

    async fn live_challenge(
        &self,
        challenge: &str,
    ) -> Result<(store::ChallengeRow, CurrentUser), AppError> {
        let row = store::challenge(&self.db, &secret_hash(challenge))
            .await?
            .filter(|c| c.expires_at > Utc::now() && c.attempts < CHALLENGE_TRIES)
            .ok_or(AppError::Unauthenticated)?;
        let account = accounts::account_by_id(&self.db, row.account_id)
            .await?
            .filter(|a| self.usable(a))
            .ok_or(AppError::Unauthenticated)?;
        let user = crate::session::current_user(&account, None)?;
        Ok((row, user))
    }

    /// The second step of a login as its page shows it; a set-up is begun (or the one begun is
    /// shown again) when the account has none. `Unauthenticated` when the challenge is gone.
    pub async fn login_challenge(&self, challenge: &str) -> Result<ChallengeView, AppError> {
        let (row, user) = self.live_challenge(challenge).await?;
        let mfa = store::get(&self.db, user.actor.id).await?;
        let setup = match mfa {
            Some(r) if r.confirmed_at.is_some() => None,
            Some(r) => Some(Setup::of(&r.secret, &user.username)?),
            None => Some(self.begin_mfa_setup(&user).await?),
        };
        Ok(ChallengeView {
            username: user.username,
            setup,
            expires_at: row.expires_at,
        })
    }

    /// Answers a login's challenge with a code from the app, a recovery code, or (setting up)
    /// the first code of the new factor. Right: a session, as a login without a second step
    /// gives. Wrong: a field error, counted on the challenge (ended after a few) and toward the
    /// account's lockout, audited.
    pub async fn complete_login(
        &self,
        challenge: &str,
        code: &str,
        ctx: &Ctx,
    ) -> Result<Completed, AppError> {
        let (_, user) = self.live_challenge(challenge).await?;
        let hash = secret_hash(challenge);
        let now = Utc::now();
        let account = accounts::account_by_id(&self.db, user.actor.id)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if let Some(until) = account.locked_until.filter(|u| *u > now) {
            return Err(AppError::Locked(until));
        }
        // No row: the set-up was never shown, so no code can be right.
        let mfa = store::get(&self.db, user.actor.id).await?;
        let mut tx = self.db.begin().await?;
        let (how, recovery_codes) = match &mfa {
            None => (None, None),
            Some(mfa) if mfa.confirmed_at.is_some() => (
                self.spend_code(&mut tx, user.actor.id, &mfa.secret, code)
                    .await?,
                None,
            ),
            Some(mfa) => match matching_step(&mfa.secret, code, now) {
                Some(step) if store::confirm(&mut tx, user.actor.id, &mfa.secret, step).await? => {
                    let (codes, hashes) = new_recovery_codes();
                    store::replace_recovery_codes(&mut tx, user.actor.id, &hashes).await?;
                    audit::append(
                        &mut tx,
                        &on(
                            event(Some(&user), ctx, "mfa.enrol", Outcome::Success),
                            "account",
                            Some(user.actor.id),
                        ),
                    )
                    .await?;
                    (Some("setup"), Some(codes))
                }
                _ => (None, None),
            },
        };
        let Some(how) = how else {
            drop(tx);
            return Err(self.wrong_second_step(&user, &hash, ctx).await?);
        };
        if !store::delete_challenge(&mut tx, &hash).await? {
            return Err(AppError::Unauthenticated);
        }
        let logged_in = self.open_session(&mut tx, user, ctx, Some(how)).await?;
        tx.commit().await?;
        Ok(Completed {
            logged_in,
            recovery_codes,
        })
    }

    /// A wrong code: counted on the challenge and the account, audited; the error to answer.
    async fn wrong_second_step(
        &self,
        user: &CurrentUser,
        hash: &str,
        ctx: &Ctx,
    ) -> Result<AppError, AppError> {
        let now = Utc::now();
        let mut tx = self.db.begin().await?;
        let tries = store::count_challenge_attempt(&mut tx, hash).await?;
        if tries >= CHALLENGE_TRIES {
            store::delete_challenge(&mut tx, hash).await?;
        }
        let failures = accounts::count_failed_login(&mut tx, user.actor.id).await?;
        let locked_until = karuna_domain::account::lockout_for(failures).map(|d| now + d);
        if let Some(until) = locked_until {
            accounts::lock_account(&mut tx, user.actor.id, until).await?;
        }
        let mut e = on(
            event(Some(user), ctx, "auth.login", Outcome::Failure),
            "account",
            Some(user.actor.id),
        );
        e.reason = Some(
            if locked_until.is_some() {
                "bad_code_locked"
            } else {
                "bad_code"
            }
            .into(),
        );
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(match locked_until {
            Some(until) => AppError::Locked(until),
            None if tries >= CHALLENGE_TRIES => AppError::Unauthenticated,
            None => wrong_code(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn rfc_6238_vector_and_drift_of_one_step() {
        // RFC 6238 appendix B, SHA-1: secret "12345678901234567890", T = 59 s → 94287082
        // (8 digits); the last six digits are the 6-digit code.
        let secret = Secret::Raw(b"12345678901234567890".to_vec())
            .to_encoded()
            .to_string();
        let t59 = Utc.timestamp_opt(59, 0).single().unwrap();
        assert_eq!(code_at(&secret, t59).unwrap(), "287082");
        assert_eq!(matching_step(&secret, "287082", t59), Some(1));
        assert_eq!(matching_step(&secret, "287 082", t59), Some(1));
        let later = t59 + Duration::seconds(30);
        assert_eq!(matching_step(&secret, "287082", later), Some(1));
        let too_late = t59 + Duration::seconds(61);
        assert_eq!(matching_step(&secret, "287082", too_late), None);
        assert_eq!(matching_step(&secret, "28708", t59), None);
        assert_eq!(matching_step(&secret, "abcdef", t59), None);
    }

    #[test]
    fn recovery_codes_are_distinct_and_forgiving_in_form() {
        let (codes, hashes) = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let mut unique = hashes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), RECOVERY_CODES);
        let c = &codes[0];
        assert_eq!(c.len(), 11);
        assert_eq!(
            secret_hash(&normalise_recovery(&c.to_uppercase().replace('-', " "))),
            hashes[0]
        );
    }

    #[test]
    fn setup_names_the_issuer_and_draws_a_qr_code() {
        let s = Setup::of(&new_secret(), "demo-manager").unwrap();
        assert!(s.uri.starts_with("otpauth://totp/Karuna:demo-manager?"));
        assert!(s.qr_svg.starts_with("<svg"));
        assert_eq!(s.secret.replace(' ', "").len(), 32);
    }
}
