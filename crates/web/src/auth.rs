//! Who is asking: extractors for API users (bearer token or session cookie + CSRF header),
//! page users (session cookie) and anonymous visitors; CSRF checks; the request context.

use crate::error::{Surface, WebError};
use crate::i18n::Tr;
use crate::state::AppState;
use axum::extract::rejection::{FormRejection, JsonRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use karuna_app::{AppError, Ctx, CurrentUser};
use karuna_domain::access::Role;
use karuna_thai::calendar::Era;
use karuna_thai::lang::Lang;
use serde::de::DeserializeOwned;

/// The session cookie.
pub const SESSION_COOKIE: &str = "karuna_session";
/// The pre-session CSRF cookie used by the login and language forms.
pub const PRE_COOKIE: &str = "karuna_pre";
/// A login waiting for its second step (app::mfa): the challenge's secret, a few minutes long.
pub const MFA_COOKIE: &str = "karuna_mfa";
/// An anonymous visitor's language.
pub const LANG_COOKIE: &str = "karuna_lang";
/// The header API clients using the session cookie must echo the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The request context (request id) for the audit log.
pub fn ctx(parts: &Parts) -> Ctx {
    Ctx {
        request_id: parts
            .headers
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(64).collect()),
        client_addr: parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip()),
        user_agent: parts
            .headers
            .get(axum::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|s| s.chars().take(512).collect()),
    }
}

/// The language an anonymous request asks for: the language cookie, else `Accept-Language`.
pub fn requested_lang(parts: &Parts) -> Lang {
    let jar = CookieJar::from_headers(&parts.headers);
    let cookie = jar
        .get(LANG_COOKIE)
        .and_then(|c| Lang::from_code(c.value()));
    if parts.uri.path().starts_with("/api/") && parts.uri.path() != "/api/docs" {
        // API clients say what they want in Accept-Language (the docs page is a page).
        accept_language(parts).or(cookie).unwrap_or_default()
    } else {
        // Pages are Thai until the visitor picks English (browsers often send en-US in Thailand).
        cookie.unwrap_or_default()
    }
}

fn accept_language(parts: &Parts) -> Option<Lang> {
    let header = parts.headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    header
        .split(',')
        .find_map(|part| Lang::from_code(part.split(';').next()?.trim()))
}

/// A translator for a signed-in user.
pub fn user_tr(state: &AppState, user: &CurrentUser) -> Tr {
    Tr::new(
        state.catalog.clone(),
        Lang::from_code(&user.lang).unwrap_or_default(),
        Era::from_code(&user.era).unwrap_or_default(),
    )
}

/// A translator for an anonymous request.
pub fn anon_tr(state: &AppState, parts: &Parts) -> Tr {
    Tr::new(state.catalog.clone(), requested_lang(parts), Era::default())
}

/// Compares secrets in constant time.
pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Builds a cookie with Karuna's flags: HttpOnly, SameSite=Lax, Secure unless on localhost.
pub fn cookie(
    state: &AppState,
    name: &'static str,
    value: String,
    http_only: bool,
) -> Cookie<'static> {
    let mut c = Cookie::new(name, value);
    c.set_path("/");
    c.set_http_only(http_only);
    c.set_same_site(SameSite::Lax);
    c.set_secure(state.web.secure_cookies);
    c
}

/// An authenticated API caller.
#[derive(Debug)]
pub struct ApiUser {
    /// Who.
    pub user: CurrentUser,
    /// Language for messages (`Accept-Language`, else the account's).
    pub tr: Tr,
    /// Request context.
    pub ctx: Ctx,
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ctx = ctx(parts);
        let tr = anon_tr(state, parts);
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer ").map(str::trim).map(str::to_string));
        let jar = CookieJar::from_headers(&parts.headers);
        let result = match (&bearer, jar.get(SESSION_COOKIE)) {
            (Some(token), _) => state.app.authenticate_token(token).await,
            (None, Some(c)) => {
                let user = state.app.authenticate_session(c.value()).await;
                match user {
                    Ok(u)
                        if !matches!(
                            parts.method,
                            Method::GET | Method::HEAD | Method::OPTIONS
                        ) =>
                    {
                        let sent = parts
                            .headers
                            .get(CSRF_HEADER)
                            .and_then(|v| v.to_str().ok())
                            .unwrap_or("");
                        let expected = u
                            .session
                            .as_ref()
                            .map(|s| s.csrf_token.as_str())
                            .unwrap_or("");
                        if !same_secret(sent, expected) {
                            return Err(WebError::adapter(
                                StatusCode::FORBIDDEN,
                                "csrf",
                                Surface::Api,
                                tr,
                            ));
                        }
                        Ok(u)
                    }
                    other => other,
                }
            }
            (None, None) => Err(AppError::Unauthenticated),
        };
        match result {
            Ok(user) => {
                let tr = match accept_language(parts) {
                    Some(lang) => Tr::new(
                        state.catalog.clone(),
                        lang,
                        Era::from_code(&user.era).unwrap_or_default(),
                    ),
                    None => user_tr(state, &user),
                };
                Ok(ApiUser { user, tr, ctx })
            }
            Err(AppError::Unauthenticated) => {
                state
                    .app
                    .audit_unauthenticated(&ctx, &format!("{} {}", parts.method, parts.uri.path()))
                    .await
                    .map_err(|e| WebError::new(e, Surface::Api, tr.clone()))?;
                Err(WebError::new(AppError::Unauthenticated, Surface::Api, tr))
            }
            Err(e) => Err(WebError::new(e, Surface::Api, tr)),
        }
    }
}

/// A signed-in person using the HTML pages.
#[derive(Debug)]
pub struct PageUser {
    /// Who.
    pub user: CurrentUser,
    /// Their language and calendar.
    pub tr: Tr,
    /// Request context.
    pub ctx: Ctx,
    /// The page asked for (path and query) when it was a GET: where the language switch
    /// returns to. None for a form submission, whose page names its own way back.
    pub here: Option<String>,
    /// Unread notifications, for the navigation's badge (read for a page asked for with GET by
    /// a role that works on cases; None otherwise).
    pub unread: Option<i64>,
}

impl PageUser {
    /// The session's CSRF token (pages are only reached with a session).
    pub fn csrf(&self) -> String {
        self.user
            .session
            .as_ref()
            .map(|s| s.csrf_token.clone())
            .unwrap_or_default()
    }

    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, sent: &str) -> Result<(), WebError> {
        if same_secret(sent, &self.csrf()) && !sent.is_empty() {
            Ok(())
        } else {
            Err(WebError::adapter(
                StatusCode::FORBIDDEN,
                "csrf",
                Surface::Page,
                self.tr.clone(),
            ))
        }
    }

    /// Wraps a use-case error for a page.
    pub fn err(&self, e: AppError) -> WebError {
        WebError::new(e, Surface::Page, self.tr.clone())
    }
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ctx = ctx(parts);
        let tr = anon_tr(state, parts);
        let jar = CookieJar::from_headers(&parts.headers);
        let result = match jar.get(SESSION_COOKIE) {
            Some(c) => state.app.authenticate_session(c.value()).await,
            None => Err(AppError::Unauthenticated),
        };
        match result {
            Ok(user) => {
                let works_cases = matches!(
                    user.role(),
                    Role::CaseManager | Role::Supervisor | Role::TeamMember
                );
                let unread = if parts.method == Method::GET && works_cases {
                    // The badge is a convenience: a failed count leaves it off, never the page.
                    state.app.unread_notifications(&user).await.ok()
                } else {
                    None
                };
                Ok(PageUser {
                    tr: user_tr(state, &user),
                    user,
                    ctx,
                    here: (parts.method == Method::GET)
                        .then(|| parts.uri.path_and_query().map(|p| p.as_str().to_string()))
                        .flatten(),
                    unread,
                })
            }
            Err(AppError::Unauthenticated) => {
                state
                    .app
                    .audit_unauthenticated(&ctx, &format!("{} {}", parts.method, parts.uri.path()))
                    .await
                    .map_err(|e| WebError::new(e, Surface::Page, tr.clone()))?;
                Err(WebError::new(AppError::Unauthenticated, Surface::Page, tr))
            }
            Err(e) => Err(WebError::new(e, Surface::Page, tr)),
        }
    }
}

/// Anyone: the signed-in user if there is one, else an anonymous visitor.
#[derive(Debug)]
pub struct Visitor {
    /// The signed-in user, if any.
    pub user: Option<CurrentUser>,
    /// Language.
    pub tr: Tr,
    /// Request context.
    pub ctx: Ctx,
    /// The pre-session CSRF cookie's value, if set.
    pub pre_token: Option<String>,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let user = match jar.get(SESSION_COOKIE) {
            Some(c) => state.app.authenticate_session(c.value()).await.ok(),
            None => None,
        };
        let tr = match &user {
            Some(u) => user_tr(state, u),
            None => anon_tr(state, parts),
        };
        Ok(Visitor {
            user,
            tr,
            ctx: ctx(parts),
            pre_token: jar.get(PRE_COOKIE).map(|c| c.value().to_string()),
        })
    }
}

/// A form body whose rejection becomes a friendly 400 page instead of plain text.
pub struct WebForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for WebForm<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let tr = anon_tr(state, &parts);
        let req = Request::from_parts(parts, body);
        match axum::Form::<T>::from_request(req, state).await {
            Ok(axum::Form(v)) => Ok(WebForm(v)),
            Err(FormRejection::BytesRejection(_)) => Err(WebError::adapter(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                Surface::Page,
                tr,
            )),
            Err(_) => Err(WebError::adapter(
                StatusCode::BAD_REQUEST,
                "bad_form",
                Surface::Page,
                tr,
            )),
        }
    }
}

/// A JSON body whose rejection becomes problem+json (400 syntax, 415 type, 413 size, 422 shape).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = WebError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let tr = anon_tr(state, &parts);
        let req = Request::from_parts(parts, body);
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rej) => {
                let (status, code) = match rej {
                    JsonRejection::JsonDataError(_) => {
                        (StatusCode::UNPROCESSABLE_ENTITY, "bad_json_shape")
                    }
                    JsonRejection::JsonSyntaxError(_) => (StatusCode::BAD_REQUEST, "bad_json"),
                    JsonRejection::MissingJsonContentType(_) => {
                        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "json_required")
                    }
                    JsonRejection::BytesRejection(_) => {
                        (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
                    }
                    _ => (StatusCode::BAD_REQUEST, "bad_json"),
                };
                let mut e = WebError::adapter(status, code, Surface::Api, tr);
                if code == "bad_json_shape" {
                    e.error = AppError::Invalid(vec![karuna_domain::FieldError::new(
                        "body",
                        "json.shape",
                    )
                    .arg(
                        "detail",
                        rej.body_text().chars().take(300).collect::<String>(),
                    )]);
                }
                Err(e)
            }
        }
    }
}
