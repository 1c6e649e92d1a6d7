//! The daily digest by e-mail (off unless SMTP is configured): renders each claimed digest in
//! its recipient's language and calendar as plain text — first names and case numbers only,
//! and a link to the inbox — and sends it through `lettre`'s SMTP transport. Which accounts
//! are due, and the claim that makes one server of several send each, live in
//! `karuna-app::digest`.

use crate::i18n::{Catalog, Tr};
use crate::pages::inbox;
use chrono::{DateTime, Timelike, Utc};
use karuna_app::digest::{first_name, Digest};
use karuna_app::{App, AppError};
use karuna_thai::calendar::Era;
use karuna_thai::lang::Lang;
use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::Arc;

/// What the digest needs to know about mail.
#[derive(Debug, Clone)]
pub struct MailSettings {
    /// The SMTP server as a URL: `smtp://host:587?tls=required` (STARTTLS), `smtps://host:465`
    /// (TLS from the start), `smtp://host:25` (plain, for a relay on the same network), with
    /// `user:password@` when the server asks for a login.
    pub smtp_url: String,
    /// The sender, e.g. `Karuna <karuna@pmj.go.th>`.
    pub from: String,
    /// Karuna's address as users reach it, for the link to the inbox.
    pub public_url: String,
    /// The Bangkok hour (0–23) from which the day's digests go out.
    pub digest_hour: u32,
}

/// Sends digests.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
    digest_hour: u32,
    catalog: Arc<Catalog>,
}

/// What one run of the digest job did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DigestRun {
    /// Digests sent.
    pub sent: u64,
    /// Digests that could not be sent (tried again at the next run).
    pub failed: u64,
}

impl Mailer {
    /// A mailer for `settings`; the error says which setting is wrong.
    pub fn new(settings: &MailSettings, catalog: Arc<Catalog>) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&settings.smtp_url)
            .map_err(|e| format!("mail.smtp_url: {e}"))?
            .timeout(Some(std::time::Duration::from_secs(30)))
            .build();
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e| format!("mail.from: `{}`: {e}", settings.from))?;
        let public_url = settings.public_url.trim_end_matches('/').to_string();
        if !(public_url.starts_with("https://") || public_url.starts_with("http://")) {
            return Err(format!(
                "mail.public_url: `{}` is not an http(s) address",
                settings.public_url
            ));
        }
        if settings.digest_hour > 23 {
            return Err(format!(
                "mail.digest_hour: {} is not an hour from 0 to 23",
                settings.digest_hour
            ));
        }
        Ok(Mailer {
            transport,
            from,
            public_url,
            digest_hour: settings.digest_hour,
            catalog,
        })
    }

    /// Sends the digests due at `now` (none before the day's digest hour, Bangkok time). A
    /// digest that cannot be sent is released to be tried at the next run; its error is logged
    /// without the address.
    pub async fn send_digests(&self, app: &App, now: DateTime<Utc>) -> Result<DigestRun, AppError> {
        let bangkok_hour = (now + chrono::Duration::hours(7)).hour();
        if bangkok_hour < self.digest_hour {
            return Ok(DigestRun::default());
        }
        let mut run = DigestRun::default();
        for digest in app.claim_digests(now).await? {
            match self.send(&digest).await {
                Ok(()) => {
                    app.digest_sent(&digest).await?;
                    run.sent += 1;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "a digest could not be sent; will retry");
                    app.digest_failed(&digest).await?;
                    run.failed += 1;
                }
            }
        }
        Ok(run)
    }

    async fn send(&self, digest: &Digest) -> Result<(), String> {
        let to: Mailbox = digest
            .recipient
            .email
            .parse()
            .map_err(|e| format!("recipient address: {e}"))?;
        let (subject, body) = render(&self.catalog, digest, &self.public_url);
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(body)
            .map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

/// The digest's subject and plain-text body in the recipient's language and calendar.
pub fn render(catalog: &Arc<Catalog>, digest: &Digest, public_url: &str) -> (String, String) {
    let tr = Tr::new(
        catalog.clone(),
        Lang::from_code(&digest.recipient.lang).unwrap_or_default(),
        Era::from_code(&digest.recipient.era).unwrap_or_default(),
    );
    let n = digest.items.len() as i64;
    let subject = tr.args("digest-subject", &[("n", n.to_string())]);
    let mut body = tr.args(
        "digest-greeting",
        &[("name", digest.first_name().to_string())],
    );
    body.push_str("\n\n");
    body.push_str(&tr.args(
        "digest-intro",
        &[("n", n.to_string()), ("day", tr.date(&digest.day))],
    ));
    body.push_str("\n\n");
    for item in &digest.items {
        let who = first_name(item.actor_name.as_deref().unwrap_or_default());
        body.push_str("- ");
        body.push_str(&inbox::text(&tr, item, who));
        body.push('\n');
    }
    if digest.unread > n {
        body.push('\n');
        body.push_str(&tr.args("digest-unread", &[("n", digest.unread.to_string())]));
        body.push('\n');
    }
    body.push('\n');
    body.push_str(&tr.args("digest-open", &[("url", format!("{public_url}/inbox"))]));
    body.push_str("\n\n");
    body.push_str(&tr.get("digest-footer"));
    body.push('\n');
    (subject, body)
}
