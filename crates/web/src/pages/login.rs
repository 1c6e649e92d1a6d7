//! Logging in and out.

use super::{render, Chrome, FormState};
use crate::auth::{
    cookie, same_secret, PageUser, Visitor, WebForm, LANG_COOKIE, MFA_COOKIE, PRE_COOKIE,
    SESSION_COOKIE,
};
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use karuna_app::mfa::SignIn;
use karuna_app::session::random_secret;
use karuna_app::AppError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    form: FormState,
    /// Single sign-on buttons: organisation id and words.
    sso: Vec<(uuid::Uuid, String)>,
    demo_accounts: Vec<String>,
    demo_password: &'static str,
}

/// The login form's fields.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    username: String,
    password: String,
    csrf: String,
}

/// A form carrying only the CSRF token.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    /// The token.
    pub csrf: String,
}

async fn page(
    state: &AppState,
    v: &Visitor,
    jar: CookieJar,
    status: StatusCode,
    form: FormState,
) -> Response {
    let (jar, token) = match &v.pre_token {
        Some(t) => (jar, t.clone()),
        None => {
            let t = random_secret();
            (jar.add(cookie(state, PRE_COOKIE, t.clone(), true)), t)
        }
    };
    let demo_accounts = if state.web.demo {
        karuna_store::account::demo_usernames(&state.app.db)
            .await
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    let sso = state
        .app
        .sso_buttons()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|b| (b.org_id, b.label))
        .collect();
    let page = LoginPage {
        c: Chrome::anonymous(&v.tr, &token, "/login"),
        form,
        sso,
        demo_accounts,
        demo_password: karuna_app::demo::DEMO_PASSWORD,
    };
    (jar, render(status, &page)).into_response()
}

/// Query flags of the login page.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct LoginQuery {
    /// Present when a second step ran out of time or tries.
    expired: Option<String>,
    /// Present when a single sign-on failed.
    sso: Option<String>,
}

/// `GET /login`.
pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    jar: CookieJar,
    axum::extract::Query(q): axum::extract::Query<LoginQuery>,
) -> Response {
    if v.user.is_some() {
        return Redirect::to("/").into_response();
    }
    let form = match (q.expired, q.sso) {
        (Some(_), _) => FormState::default().errors(vec![("form".into(), v.tr.get("mfa-expired"))]),
        (_, Some(_)) => FormState::default().errors(vec![("form".into(), v.tr.get("sso-failed"))]),
        _ => FormState::default(),
    };
    page(&state, &v, jar, StatusCode::OK, form).await
}

/// `POST /login`: on success a new session cookie and a redirect home.
pub async fn submit(
    State(state): State<AppState>,
    v: Visitor,
    jar: CookieJar,
    WebForm(f): WebForm<LoginForm>,
) -> Response {
    let retry = FormState::with(&[("username", f.username.clone())]);
    if !v
        .pre_token
        .as_deref()
        .is_some_and(|t| same_secret(t, &f.csrf))
    {
        let form = retry.errors(vec![("form".into(), v.tr.get("problem-csrf-detail"))]);
        return page(&state, &v, jar, StatusCode::FORBIDDEN, form).await;
    }
    match state.app.sign_in(&f.username, &f.password, &v.ctx).await {
        Ok(SignIn::SecondStep { challenge }) => {
            // The pre-session token stays: the second step's form echoes it.
            let jar = jar.add(cookie(&state, MFA_COOKIE, challenge, true));
            (jar, Redirect::to("/login/verify")).into_response()
        }
        Ok(SignIn::Done(done)) => {
            let jar = jar
                .add(cookie(&state, SESSION_COOKIE, done.session_secret, true))
                .add(cookie(&state, LANG_COOKIE, done.user.lang.clone(), false))
                .remove(PRE_COOKIE);
            (jar, Redirect::to("/")).into_response()
        }
        Err(AppError::Refused("password_login_disabled")) => {
            let form = retry.errors(vec![("form".into(), v.tr.get("sso-password-disabled"))]);
            page(&state, &v, jar, StatusCode::FORBIDDEN, form).await
        }
        Err(AppError::LoginFailed) => {
            let form = retry.errors(vec![("form".into(), v.tr.get("login-failed"))]);
            page(&state, &v, jar, StatusCode::UNAUTHORIZED, form).await
        }
        Err(AppError::Locked(until)) => {
            let form = retry.errors(vec![(
                "form".into(),
                v.tr.get1("problem-locked-detail", "until", &v.tr.datetime(&until)),
            )]);
            page(&state, &v, jar, StatusCode::TOO_MANY_REQUESTS, form).await
        }
        Err(e @ (AppError::Throttled(_) | AppError::Busy)) => {
            // The form again with the reason, and `Retry-After` for scripts.
            let err = WebError::new(e, crate::error::Surface::Page, v.tr.clone());
            let (status, _) = err.status_code();
            let form = retry.errors(vec![("form".into(), err.detail())]);
            let mut resp = page(&state, &v, jar, status, form).await;
            if let Some(secs) = err.retry_after() {
                resp.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from(secs),
                );
            }
            resp
        }
        Err(e) => WebError::new(e, crate::error::Surface::Page, v.tr.clone()).into_response(),
    }
}

/// `POST /logout`: revokes the session.
pub async fn logout(
    State(state): State<AppState>,
    u: PageUser,
    jar: CookieJar,
    WebForm(f): WebForm<CsrfForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    state
        .app
        .logout(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok((jar.remove(SESSION_COOKIE), Redirect::to("/login")).into_response())
}
