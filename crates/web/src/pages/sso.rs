//! Single sign-on pages (app::oidc): the start that sends the browser to the provider, the
//! callback that signs in (or takes the second step), and the administrator's settings.

use super::intake::Pairs;
use super::{refusal, render, Chrome, FormState, SavedQuery};
use crate::api::extract::Path;
use crate::auth::SESSION_COOKIE;
use crate::auth::{cookie, PageUser, Visitor, WebForm, LANG_COOKIE, MFA_COOKIE, PRE_COOKIE};
use crate::error::{Surface, WebError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use karuna_app::mfa::SignIn;
use karuna_app::oidc::SsoInput;
use karuna_app::AppError;
use serde::Deserialize;
use uuid::Uuid;

/// `GET /auth/oidc/{id}/start`: to the provider of organisation `id`.
pub async fn start(State(state): State<AppState>, v: Visitor, Path(id): Path<String>) -> Response {
    let Ok(org) = Uuid::parse_str(id.trim()) else {
        return WebError::new(AppError::NotFound, Surface::Page, v.tr.clone()).into_response();
    };
    match state.app.sso_start(org).await {
        Ok(url) => Redirect::to(&url).into_response(),
        Err(AppError::Refused(_)) => Redirect::to("/login?sso=failed").into_response(),
        Err(e) => WebError::new(e, Surface::Page, v.tr.clone()).into_response(),
    }
}

/// The provider's answer.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Callback {
    code: String,
    state: String,
    /// Set when the provider refused (the person cancelled, no access …).
    error: Option<String>,
}

/// `GET /auth/oidc/callback`: signs in, or on to the second step; a failure back to the login
/// page, said the same way whatever went wrong (the audit log has the reason).
pub async fn callback(
    State(state): State<AppState>,
    v: Visitor,
    jar: CookieJar,
    Query(q): Query<Callback>,
) -> Response {
    if q.error.is_some() || q.code.is_empty() || q.state.is_empty() {
        return Redirect::to("/login?sso=failed").into_response();
    }
    match state.app.sso_callback(&q.code, &q.state, &v.ctx).await {
        Ok(SignIn::Done(done)) => {
            let jar = jar
                .add(cookie(&state, SESSION_COOKIE, done.session_secret, true))
                .add(cookie(&state, LANG_COOKIE, done.user.lang.clone(), false))
                .remove(PRE_COOKIE);
            (jar, Redirect::to("/")).into_response()
        }
        Ok(SignIn::SecondStep { challenge }) => {
            // The second step's form echoes a pre-session token: make one if there is none.
            let jar = match &v.pre_token {
                Some(_) => jar,
                None => jar.add(cookie(
                    &state,
                    PRE_COOKIE,
                    karuna_app::session::random_secret(),
                    true,
                )),
            };
            let jar = jar.add(cookie(&state, MFA_COOKIE, challenge, true));
            (jar, Redirect::to("/login/verify")).into_response()
        }
        Err(AppError::Refused(_)) => Redirect::to("/login?sso=failed").into_response(),
        Err(e) => WebError::new(e, Surface::Page, v.tr.clone()).into_response(),
    }
}

#[derive(Template)]
#[template(path = "sso_settings.html")]
struct SettingsPage {
    c: Chrome,
    form: FormState,
    version: i64,
    has_secret: bool,
    redirect_url: String,
    flash: Option<String>,
}

async fn settings_page(
    state: &AppState,
    u: &PageUser,
    form: Option<FormState>,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let s = state
        .app
        .sso_settings(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let on = |b: bool| if b { "on".to_string() } else { String::new() };
    let form = form.unwrap_or_else(|| {
        FormState::with(&[
            ("issuer", s.issuer.clone()),
            ("client_id", s.client_id.clone()),
            ("label", s.label.clone()),
            ("base_url", s.base_url.clone()),
            ("enabled", on(s.enabled)),
            ("passwords_allowed", on(s.passwords_allowed)),
        ])
    });
    let page = SettingsPage {
        c: Chrome::for_user(u, "/admin/sso"),
        form,
        version: s.version,
        has_secret: s.has_secret,
        redirect_url: s.redirect_url,
        flash,
    };
    Ok(render(status, &page))
}

/// `GET /admin/sso`.
pub async fn settings(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let flash = q.saved.map(|_| u.tr.get("sso-saved"));
    settings_page(&state, &u, None, flash, StatusCode::OK).await
}

/// `POST /admin/sso`.
pub async fn save_settings(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let input = SsoInput {
        version: p.get("version").trim().parse().unwrap_or(-1),
        issuer: p.get("issuer"),
        client_id: p.get("client_id"),
        client_secret: p.get("client_secret"),
        label: p.get("label"),
        base_url: p.get("base_url"),
        enabled: p.get("enabled") == "on",
        passwords_allowed: p.get("passwords_allowed") == "on",
    };
    match state.app.put_sso_settings(&u.user, &u.ctx, &input).await {
        Ok(_) => Ok(Redirect::to("/admin/sso?saved=1").into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict)) => {
            let (status, fields) = refusal(&u, e);
            let pairs: Vec<(String, String)> =
                p.0.into_iter()
                    .filter(|(k, _)| k != "client_secret")
                    .collect();
            let form = FormState::from_pairs(&pairs).errors(fields);
            settings_page(&state, &u, Some(form), None, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}
