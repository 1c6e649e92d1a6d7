//! The daily e-mail digest: one's own address and opt-in, and the job's side of it — which
//! accounts are due a digest today, claimed so that one server of however many sends each, and
//! what each digest tells (the unread notifications written since the last one, on cases the
//! recipient may still open). Rendering and sending belong to the adapter (`karuna-web::mail`):
//! this module hands it the facts and records the outcome.

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use karuna_domain::access::{Action, Role};
use karuna_domain::account::normalize_email;
use karuna_domain::audit::Outcome;
use karuna_domain::error::{FieldError, Validation};
use karuna_store::audit;
use karuna_store::case_list::Scope;
use karuna_store::digest::{self as store, EmailSettings, Recipient};
use karuna_store::notification::{self as notes, NotificationRow};
use karuna_thai::calendar::bangkok_date;

/// The most notifications one digest lists (the mail says how many more wait in the inbox).
pub const DIGEST_ITEMS: i64 = 50;
/// How far back a first digest (or one after a long silence) looks.
const LOOK_BACK: Duration = Duration::days(1);
/// A claim left unsent this long is taken over by another run.
const STALE_CLAIM: Duration = Duration::minutes(30);
/// The most digests one run prepares.
const BATCH: i64 = 500;

/// One account's digest of one day, claimed for sending.
#[derive(Debug, Clone)]
pub struct Digest {
    /// Who it goes to.
    pub recipient: Recipient,
    /// The Bangkok day it is the digest of.
    pub day: NaiveDate,
    /// The unread notifications it tells of, oldest first.
    pub items: Vec<NotificationRow>,
    /// How many unread notifications the recipient has in all (for "and N more").
    pub unread: i64,
}

impl Digest {
    /// The recipient's first name: the first word of the name shown to colleagues (a mail
    /// carries no more of a person than first names and case numbers).
    pub fn first_name(&self) -> &str {
        first_name(&self.recipient.display_name)
    }
}

/// The first word of a name.
pub fn first_name(name: &str) -> &str {
    name.split_whitespace().next().unwrap_or("")
}

impl App {
    /// One's own e-mail settings.
    pub async fn email_settings(&self, user: &CurrentUser) -> Result<EmailSettings, AppError> {
        Ok(store::email_settings(&self.db, user.actor.id).await?)
    }

    /// Sets one's own address and whether the daily digest is wanted (it needs an address).
    pub async fn set_email_settings(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        email: &str,
        daily_digest: bool,
    ) -> Result<EmailSettings, AppError> {
        self.authorize(
            user,
            ctx,
            Action::EditOwnProfile,
            "account.email",
            ("account", Some(user.actor.id)),
        )
        .await?;
        let mut v = Validation::new();
        let email = match normalize_email("email", email) {
            Ok(e) => e,
            Err(e) => {
                v.push(e);
                None
            }
        };
        if v.is_ok() && daily_digest && email.is_none() {
            v.push(FieldError::new("email", "email.required_for_digest"));
        }
        v.finish()?;
        let settings = EmailSettings {
            email,
            daily_digest,
        };
        let mut tx = self.db.begin().await?;
        store::set_email_settings(&mut tx, user.actor.id, &settings).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "account.email", Outcome::Success),
                "account",
                Some(user.actor.id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(settings)
    }

    /// The digests due at `now`: for each account that wants one, has an address and has
    /// unread notifications written since its last digest (or the last day), claims today's
    /// (Bangkok) digest and gathers what it tells. An account whose claim another server holds
    /// is skipped; one with nothing left to tell once the case-access rule is applied is
    /// recorded as sent with no items and gets no mail.
    pub async fn claim_digests(&self, now: DateTime<Utc>) -> Result<Vec<Digest>, AppError> {
        let day = bangkok_date(now);
        let stale = now - STALE_CLAIM;
        let floor = now - LOOK_BACK;
        let mut due = Vec::new();
        for r in store::candidates(&self.db, day, floor, stale, BATCH).await? {
            if !store::claim(&self.db, r.id, day, stale).await? {
                continue;
            }
            let scope = Scope {
                org_id: r.org_id,
                actor_id: r.id,
                supervisor_unit: if Role::from_code(&r.role) == Some(Role::Supervisor) {
                    r.unit_id
                } else {
                    None
                },
            };
            let since = r.last_sent.map_or(floor, |t| t.max(floor));
            let items = notes::unread_since(&self.db, scope, since, DIGEST_ITEMS).await?;
            if items.is_empty() {
                let digest = Digest {
                    recipient: r,
                    day,
                    items,
                    unread: 0,
                };
                self.digest_sent(&digest).await?;
                continue;
            }
            let unread = notes::unread_count(&self.db, scope).await?;
            due.push(Digest {
                recipient: r,
                day,
                items,
                unread,
            });
        }
        Ok(due)
    }

    /// Records that a claimed digest went out (audited as `notification.digest` on the
    /// recipient's account: the mail named case numbers).
    pub async fn digest_sent(&self, digest: &Digest) -> Result<(), AppError> {
        let mut tx = self.db.begin().await?;
        store::mark_sent(
            &mut tx,
            digest.recipient.id,
            digest.day,
            digest.items.len() as i64,
        )
        .await?;
        if !digest.items.is_empty() {
            let mut e = on(
                event(
                    None,
                    &Ctx::default(),
                    "notification.digest",
                    Outcome::Success,
                ),
                "account",
                Some(digest.recipient.id),
            );
            e.org_id = Some(digest.recipient.org_id);
            audit::append(&mut tx, &e).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Gives up a claimed digest that could not be sent, so that the next run tries again.
    pub async fn digest_failed(&self, digest: &Digest) -> Result<(), AppError> {
        Ok(store::release(&self.db, digest.recipient.id, digest.day).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_names_are_the_first_word() {
        assert_eq!(first_name("  สมศรี  ใจดี "), "สมศรี");
        assert_eq!(first_name("Anong"), "Anong");
        assert_eq!(first_name(""), "");
    }
}
