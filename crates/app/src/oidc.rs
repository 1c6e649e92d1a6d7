//! Single sign-on through OpenID Connect (the `openidconnect` crate): an organisation that has
//! an identity provider (Keycloak, Azure AD, Google Workspace) lets its workers sign in there.
//! The authorization-code flow with PKCE and a nonce; the ID token verified against the
//! provider's published keys, issuer, audience, expiry and nonce. An account is linked to the
//! provider's subject at its first single sign-on, found by the username the administrator gave
//! it (the `preferred_username` claim, else a verified `email`); after that by the subject
//! alone. Roles stay Karuna's. The organisation may turn password sign-in off for everyone but
//! administrators. A second step (app::mfa) still applies to accounts that have one.

use crate::mfa::SignIn;
use crate::session::{random_secret, secret_hash};
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{Duration, Utc};
use karuna_domain::access::{Action, Role};
use karuna_domain::audit::Outcome;
use karuna_domain::error::Validation;
use karuna_store::account as accounts;
use karuna_store::audit;
use karuna_store::oidc::{self as store, NewProvider, ProviderRow};
use openidconnect::core::{CoreClient, CoreProviderMetadata, CoreResponseType};
use openidconnect::{
    AuthenticationFlow, AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Minutes a sign-in may spend at the provider.
pub const STATE_MINUTES: i64 = 10;
/// Where the provider sends the browser back, under Karuna's address.
pub const CALLBACK_PATH: &str = "/auth/oidc/callback";

/// An organisation's single sign-on settings as typed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SsoInput {
    /// The version read (0 when none was stored yet).
    pub version: i64,
    /// The provider's issuer URL (`https://…`; `http://` only for localhost).
    pub issuer: String,
    /// Karuna's client id at the provider.
    pub client_id: String,
    /// Karuna's client secret; empty keeps the one stored.
    pub client_secret: String,
    /// The sign-in button's words, e.g. "บัญชีกระทรวง".
    pub label: String,
    /// Karuna's own address as the browser reaches it (`https://karuna.example.go.th`); the
    /// provider must allow `{address}/auth/oidc/callback` as a redirect.
    pub base_url: String,
    /// Offer it on the login page.
    pub enabled: bool,
    /// Workers may still sign in with a Karuna password (administrators always may).
    pub passwords_allowed: bool,
}

/// The settings as shown (never the secret).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SsoSettings {
    /// Issuer URL.
    pub issuer: String,
    /// Client id.
    pub client_id: String,
    /// A secret is stored.
    pub has_secret: bool,
    /// Button words.
    pub label: String,
    /// Karuna's address.
    pub base_url: String,
    /// The redirect to allow at the provider.
    pub redirect_url: String,
    /// Offered on the login page.
    pub enabled: bool,
    /// Passwords still allowed.
    pub passwords_allowed: bool,
    /// Version (0: none stored).
    pub version: i64,
}

/// A provider offered on the login page.
#[derive(Debug, Clone)]
pub struct SsoButton {
    /// Its organisation (the start link names it).
    pub org_id: Uuid,
    /// The button's words.
    pub label: String,
}

fn url_ok(s: &str) -> bool {
    let Ok(u) = openidconnect::url::Url::parse(s) else {
        return false;
    };
    let local = matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    u.scheme() == "https" || (u.scheme() == "http" && local)
}

fn trim_slash(s: &str) -> String {
    s.trim().trim_end_matches('/').to_string()
}

fn http() -> Result<openidconnect::reqwest::Client, AppError> {
    // No redirects: a provider's endpoints answer themselves (and none can send Karuna on).
    openidconnect::reqwest::Client::builder()
        .redirect(openidconnect::reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .map_err(|e| AppError::Internal(format!("http client: {e}")))
}

fn failed(reason: &'static str) -> AppError {
    tracing::warn!(reason, "single sign-on failed");
    AppError::Refused("sso_failed")
}

impl App {
    /// The organisation's single sign-on settings (administrators).
    pub async fn sso_settings(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<SsoSettings, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ManageConfiguration,
            "sso.configure",
            ("oidc_provider", None),
        )
        .await?;
        let p = store::provider(&self.db, user.actor.org_id).await?;
        Ok(match p {
            Some(p) => SsoSettings {
                redirect_url: format!("{}{CALLBACK_PATH}", p.base_url),
                issuer: p.issuer,
                client_id: p.client_id,
                has_secret: !p.client_secret.is_empty(),
                label: p.label,
                base_url: p.base_url,
                enabled: p.enabled,
                passwords_allowed: p.passwords_allowed,
                version: p.version,
            },
            None => SsoSettings {
                issuer: String::new(),
                client_id: String::new(),
                has_secret: false,
                label: String::new(),
                base_url: String::new(),
                redirect_url: String::new(),
                enabled: false,
                passwords_allowed: true,
                version: 0,
            },
        })
    }

    /// Changes the organisation's single sign-on settings over the version read; the new
    /// version. Checked field by field; the provider is not contacted here.
    pub async fn put_sso_settings(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        input: &SsoInput,
    ) -> Result<i64, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ManageConfiguration,
            "sso.configure",
            ("oidc_provider", None),
        )
        .await?;
        let stored = store::provider(&self.db, user.actor.org_id).await?;
        let mut v = Validation::new();
        let issuer = trim_slash(&input.issuer);
        v.check(!url_ok(&issuer), "issuer", "sso_url_invalid");
        let base_url = trim_slash(&input.base_url);
        v.check(!url_ok(&base_url), "base_url", "sso_url_invalid");
        let client_id = v.required("client_id", &input.client_id, 200);
        let label = v.required("label", &input.label, 60);
        let secret = v
            .text("client_secret", &input.client_secret, 500)
            .or_else(|| stored.as_ref().map(|p| p.client_secret.clone()))
            .unwrap_or_default();
        v.check(secret.is_empty(), "client_secret", "required");
        v.finish()?;
        let mut tx = self.db.begin().await?;
        let version = store::put_provider(
            &mut tx,
            user.actor.org_id,
            &NewProvider {
                issuer: &issuer,
                client_id: &client_id,
                client_secret: &secret,
                label: &label,
                base_url: &base_url,
                enabled: input.enabled,
                passwords_allowed: input.passwords_allowed,
            },
            input.version,
            user.actor.id,
        )
        .await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "sso.configure", Outcome::Success),
                "oidc_provider",
                None,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// The providers the login page offers.
    pub async fn sso_buttons(&self) -> Result<Vec<SsoButton>, AppError> {
        Ok(store::enabled_providers(&self.db)
            .await?
            .into_iter()
            .map(|p| SsoButton {
                org_id: p.org_id,
                label: p.label,
            })
            .collect())
    }

    /// Whether a password sign-in of this account is refused because its organisation signs in
    /// through its provider only (administrators are never refused).
    pub(crate) async fn password_refused(&self, org: Uuid, role: Role) -> Result<bool, AppError> {
        if role == Role::Admin {
            return Ok(false);
        }
        Ok(store::provider(&self.db, org)
            .await?
            .is_some_and(|p| p.enabled && !p.passwords_allowed))
    }

    async fn enabled_provider(&self, org: Uuid) -> Result<ProviderRow, AppError> {
        store::provider(&self.db, org)
            .await?
            .filter(|p| p.enabled)
            .ok_or(AppError::NotFound)
    }

    async fn oidc_client(
        &self,
        p: &ProviderRow,
        http: &openidconnect::reqwest::Client,
    ) -> Result<
        CoreClient<
            openidconnect::EndpointSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointNotSet,
            openidconnect::EndpointMaybeSet,
            openidconnect::EndpointMaybeSet,
        >,
        AppError,
    > {
        let issuer = IssuerUrl::new(p.issuer.clone()).map_err(|_| failed("issuer_url"))?;
        let meta = CoreProviderMetadata::discover_async(issuer, http)
            .await
            .map_err(|_| failed("discovery"))?;
        let redirect = RedirectUrl::new(format!("{}{CALLBACK_PATH}", p.base_url))
            .map_err(|_| failed("redirect_url"))?;
        Ok(CoreClient::from_provider_metadata(
            meta,
            ClientId::new(p.client_id.clone()),
            Some(ClientSecret::new(p.client_secret.clone())),
        )
        .set_redirect_uri(redirect))
    }

    /// Starts a single sign-on for organisation `org`: the provider's address to send the
    /// browser to, with a fresh state, nonce and PKCE challenge (the state stored hashed).
    pub async fn sso_start(&self, org: Uuid) -> Result<String, AppError> {
        let p = self.enabled_provider(org).await?;
        let http = http()?;
        let client = self.oidc_client(&p, &http).await?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
                || CsrfToken::new(random_secret()),
                || Nonce::new(random_secret()),
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        let mut tx = self.db.begin().await?;
        store::insert_state(
            &mut tx,
            &secret_hash(state.secret()),
            org,
            (nonce.secret(), verifier.secret()),
            Utc::now() + Duration::minutes(STATE_MINUTES),
        )
        .await?;
        tx.commit().await?;
        Ok(url.to_string())
    }

    /// Finishes a single sign-on: the state taken once, the code exchanged, the ID token
    /// verified; the linked account (or the one whose username the token names, linked now)
    /// signs in — or takes its second step. Every refusal is audited (`auth.sso`) and answered
    /// alike (`sso_failed`).
    pub async fn sso_callback(
        &self,
        code: &str,
        state: &str,
        ctx: &Ctx,
    ) -> Result<SignIn, AppError> {
        match self.sso_callback_inner(code, state, ctx).await {
            Err(AppError::Refused("sso_failed")) | Err(AppError::NotFound) => {
                let mut e = event(None, ctx, "auth.sso", Outcome::Failure);
                e.reason = Some("refused".into());
                audit::append_alone(&self.db, &e).await?;
                Err(AppError::Refused("sso_failed"))
            }
            other => other,
        }
    }

    async fn sso_callback_inner(
        &self,
        code: &str,
        state: &str,
        ctx: &Ctx,
    ) -> Result<SignIn, AppError> {
        let mut tx = self.db.begin().await?;
        let taken = store::take_state(&mut tx, &secret_hash(state)).await?;
        tx.commit().await?;
        let (org, nonce, verifier, expires) = taken.ok_or_else(|| failed("state_unknown"))?;
        if expires <= Utc::now() {
            return Err(failed("state_expired"));
        }
        let p = self.enabled_provider(org).await?;
        let http = http()?;
        let client = self.oidc_client(&p, &http).await?;
        let token = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|_| failed("no_token_endpoint"))?
            .set_pkce_verifier(PkceCodeVerifier::new(verifier))
            .request_async(&http)
            .await
            .map_err(|_| failed("token_exchange"))?;
        let id_token = token.id_token().ok_or_else(|| failed("no_id_token"))?;
        let claims = id_token
            .claims(&client.id_token_verifier(), &Nonce::new(nonce))
            .map_err(|_| failed("id_token_invalid"))?;
        let issuer = claims.issuer().as_str().to_string();
        let subject = claims.subject().as_str().to_string();
        let account_id = match store::account_of(&self.db, &issuer, &subject).await? {
            Some(id) => id,
            None => {
                let name = claims
                    .preferred_username()
                    .map(|u| u.as_str().to_string())
                    .or_else(|| {
                        claims
                            .email()
                            .filter(|_| claims.email_verified() == Some(true))
                            .map(|e| e.as_str().to_string())
                    })
                    .ok_or_else(|| failed("no_username"))?
                    .trim()
                    .to_lowercase();
                let a = accounts::account_by_username(&self.db, &name)
                    .await?
                    .filter(|a| a.org_id == org && self.usable(a))
                    .ok_or_else(|| failed("not_linked"))?;
                if store::is_linked(&self.db, a.id).await? {
                    // Linked to another subject already: never silently re-linked.
                    return Err(failed("linked_elsewhere"));
                }
                let mut tx = self.db.begin().await?;
                store::link(&mut tx, a.id, &issuer, &subject).await?;
                let user = crate::session::current_user(&a, None)?;
                audit::append(
                    &mut tx,
                    &on(
                        event(Some(&user), ctx, "auth.sso_link", Outcome::Success),
                        "account",
                        Some(a.id),
                    ),
                )
                .await?;
                tx.commit().await?;
                a.id
            }
        };
        let account = accounts::account_by_id(&self.db, account_id)
            .await?
            .filter(|a| a.org_id == org && self.usable(a))
            .ok_or_else(|| failed("account_unusable"))?;
        if account.locked_until.is_some_and(|u| u > Utc::now()) {
            return Err(failed("locked"));
        }
        let user = crate::session::current_user(&account, None)?;
        if let Some(challenge) = self.second_step(&user, ctx).await? {
            return Ok(SignIn::SecondStep { challenge });
        }
        let mut tx = self.db.begin().await?;
        let done = self.open_session(&mut tx, user, ctx, Some("sso")).await?;
        tx.commit().await?;
        Ok(SignIn::Done(Box::new(done)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_addresses_are_https_or_local() {
        assert!(url_ok("https://sso.example.go.th/realms/karuna"));
        assert!(url_ok("http://127.0.0.1:8080/realms/karuna"));
        assert!(url_ok("http://localhost:8080"));
        assert!(!url_ok("http://sso.example.go.th"));
        assert!(!url_ok("ftp://x"));
        assert!(!url_ok("not a url"));
        assert_eq!(trim_slash(" https://a/b/ "), "https://a/b");
    }
}
