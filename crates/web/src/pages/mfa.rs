//! Two-step verification pages (app::mfa): a login's second step (a code, or setting it up when
//! the role must use it), setting it up from one's profile, new recovery codes, turning it off,
//! the organisation's policy, and an administrator's reset of a worker's factor.

use super::intake::Pairs;
use super::{refusal, render, Chrome, FormState, SavedQuery};
use crate::auth::{cookie, same_secret, PageUser, Visitor, WebForm, MFA_COOKIE, PRE_COOKIE};
use crate::auth::{LANG_COOKIE, SESSION_COOKIE};
use crate::error::{Surface, WebError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use karuna_app::mfa::Setup;
use karuna_app::AppError;
use karuna_domain::access::Role;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Template)]
#[template(path = "login_verify.html")]
struct VerifyPage {
    c: Chrome,
    username: String,
    setup: Option<Setup>,
    until: String,
    form: FormState,
}

#[derive(Template)]
#[template(path = "mfa_setup.html")]
struct SetupPage {
    c: Chrome,
    setup: Setup,
    form: FormState,
}

#[derive(Template)]
#[template(path = "mfa_codes.html")]
struct CodesPage {
    c: Chrome,
    codes: Vec<String>,
    next: &'static str,
}

/// A form with a code and the CSRF token.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CodeForm {
    csrf: String,
    code: String,
}

fn to_login(jar: CookieJar) -> Response {
    (jar.remove(MFA_COOKIE), Redirect::to("/login?expired=1")).into_response()
}

async fn verify_page(
    state: &AppState,
    v: &Visitor,
    challenge: &str,
    status: StatusCode,
    form: FormState,
) -> Result<Response, AppError> {
    let view = state.app.login_challenge(challenge).await?;
    let token = v.pre_token.clone().unwrap_or_default();
    let page = VerifyPage {
        c: Chrome::anonymous(&v.tr, &token, "/login/verify"),
        username: view.username,
        setup: view.setup,
        until: v.tr.datetime(&view.expires_at),
        form,
    };
    Ok(render(status, &page))
}

/// `GET /login/verify`: the second step of a login.
pub async fn verify_form(State(state): State<AppState>, v: Visitor, jar: CookieJar) -> Response {
    let Some(challenge) = jar.get(MFA_COOKIE).map(|c| c.value().to_string()) else {
        return to_login(jar);
    };
    match verify_page(&state, &v, &challenge, StatusCode::OK, FormState::default()).await {
        Ok(resp) => resp,
        Err(AppError::Unauthenticated) => to_login(jar),
        Err(e) => WebError::new(e, Surface::Page, v.tr.clone()).into_response(),
    }
}

/// `POST /login/verify`: a code answers the second step; a session, and the recovery codes
/// once when this set the factor up.
pub async fn verify(
    State(state): State<AppState>,
    v: Visitor,
    jar: CookieJar,
    WebForm(f): WebForm<CodeForm>,
) -> Response {
    let Some(challenge) = jar.get(MFA_COOKIE).map(|c| c.value().to_string()) else {
        return to_login(jar);
    };
    if !v
        .pre_token
        .as_deref()
        .is_some_and(|t| same_secret(t, &f.csrf))
    {
        return WebError::adapter(StatusCode::FORBIDDEN, "csrf", Surface::Page, v.tr.clone())
            .into_response();
    }
    match state.app.complete_login(&challenge, &f.code, &v.ctx).await {
        Ok(done) => {
            let jar = jar
                .add(cookie(
                    &state,
                    SESSION_COOKIE,
                    done.logged_in.session_secret,
                    true,
                ))
                .add(cookie(
                    &state,
                    LANG_COOKIE,
                    done.logged_in.user.lang.clone(),
                    false,
                ))
                .remove(MFA_COOKIE)
                .remove(PRE_COOKIE);
            match done.recovery_codes {
                Some(codes) => {
                    let page = CodesPage {
                        c: Chrome::anonymous(&v.tr, "", "/login/verify"),
                        codes,
                        next: "/",
                    };
                    (jar, render(StatusCode::OK, &page)).into_response()
                }
                None => (jar, Redirect::to("/")).into_response(),
            }
        }
        Err(AppError::Unauthenticated) => to_login(jar),
        Err(AppError::Invalid(errors)) => {
            let e = WebError::new(AppError::Invalid(errors), Surface::Page, v.tr.clone());
            let form = FormState::default().errors(e.fields());
            match verify_page(
                &state,
                &v,
                &challenge,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
            )
            .await
            {
                Ok(resp) => resp,
                Err(AppError::Unauthenticated) => to_login(jar),
                Err(e) => WebError::new(e, Surface::Page, v.tr.clone()).into_response(),
            }
        }
        Err(e) => WebError::new(e, Surface::Page, v.tr.clone()).into_response(),
    }
}

async fn setup_page(
    state: &AppState,
    u: &PageUser,
    form: FormState,
    status: StatusCode,
) -> Result<Response, WebError> {
    let setup = match state
        .app
        .pending_mfa_setup(&u.user)
        .await
        .map_err(|e| u.err(e))?
    {
        Some(s) => s,
        None => state
            .app
            .begin_mfa_setup(&u.user)
            .await
            .map_err(|e| u.err(e))?,
    };
    let page = SetupPage {
        c: Chrome::for_user(u, "/profile/mfa"),
        setup,
        form,
    };
    Ok(render(status, &page))
}

/// `GET /profile/mfa`: set up two-step verification (the QR code and a code to confirm).
pub async fn setup_form(State(state): State<AppState>, u: PageUser) -> Result<Response, WebError> {
    if state
        .app
        .my_mfa(&u.user)
        .await
        .map_err(|e| u.err(e))?
        .enrolled_at
        .is_some()
    {
        return Ok(Redirect::to("/profile#mfa-heading").into_response());
    }
    setup_page(&state, &u, FormState::default(), StatusCode::OK).await
}

fn codes_page(u: &PageUser, codes: Vec<String>) -> Response {
    let page = CodesPage {
        c: Chrome::for_user(u, "/profile/mfa"),
        codes,
        next: "/profile#mfa-heading",
    };
    render(StatusCode::OK, &page)
}

/// `POST /profile/mfa`: the first code confirms the set-up; the recovery codes are shown once.
pub async fn confirm_setup(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(f): WebForm<CodeForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    match state.app.confirm_mfa_setup(&u.user, &u.ctx, &f.code).await {
        Ok(codes) => Ok(codes_page(&u, codes)),
        Err(e @ AppError::Invalid(_)) => {
            let (status, fields) = refusal(&u, e);
            setup_page(&state, &u, FormState::default().errors(fields), status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /profile/mfa/recovery-codes`: new recovery codes (a code proves it is me).
pub async fn renew_codes(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(f): WebForm<CodeForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    match state
        .app
        .renew_recovery_codes(&u.user, &u.ctx, &f.code)
        .await
    {
        Ok(codes) => Ok(codes_page(&u, codes)),
        Err(e @ AppError::Invalid(_)) => Ok(super::profile::with_mfa_error(&state, &u, e).await),
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /profile/mfa/off`: turn two-step verification off (when the role need not use it).
pub async fn turn_off(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(f): WebForm<CodeForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    match state.app.turn_off_mfa(&u.user, &u.ctx, &f.code).await {
        Ok(()) => Ok(Redirect::to("/profile?saved=mfa-off#mfa-heading").into_response()),
        Err(e @ AppError::Invalid(_)) => Ok(super::profile::with_mfa_error(&state, &u, e).await),
        Err(e) => Err(u.err(e)),
    }
}

#[derive(Template)]
#[template(path = "mfa_policy.html")]
struct PolicyPage {
    c: Chrome,
    roles: Vec<(String, String, bool)>,
    version: i64,
    updated: Option<String>,
    form: FormState,
    flash: Option<String>,
}

async fn policy_page(
    state: &AppState,
    u: &PageUser,
    form: Option<FormState>,
    flash: Option<String>,
    status: StatusCode,
) -> Result<Response, WebError> {
    // Administrators only: the same check the save makes.
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            karuna_domain::access::Action::ManageConfiguration,
            "mfa.policy",
            ("mfa_policy", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let p = state
        .app
        .mfa_policy(u.user.actor.org_id)
        .await
        .map_err(|e| u.err(e))?;
    let form = form.unwrap_or_else(|| {
        let pairs: Vec<(String, String)> = p
            .roles
            .iter()
            .map(|r| ("roles".to_string(), r.code().to_string()))
            .collect();
        FormState::from_pairs(&pairs)
    });
    let page = PolicyPage {
        c: Chrome::for_user(u, "/admin/mfa"),
        roles: Role::ALL
            .iter()
            .map(|r| {
                (
                    r.code().to_string(),
                    u.tr.get(&format!("role-{}", r.code().replace('_', "-"))),
                    form.has("roles", r.code()),
                )
            })
            .collect(),
        version: p.version,
        updated: p
            .updated
            .map(|(by, at)| format!("{by} · {}", u.tr.datetime(&at))),
        form,
        flash,
    };
    Ok(render(status, &page))
}

/// `GET /admin/mfa`: the roles that must use two-step verification.
pub async fn policy(
    State(state): State<AppState>,
    u: PageUser,
    Query(q): Query<SavedQuery>,
) -> Result<Response, WebError> {
    let flash = q.saved.map(|_| u.tr.get("mfa-policy-saved"));
    policy_page(&state, &u, None, flash, StatusCode::OK).await
}

/// `POST /admin/mfa`.
pub async fn save_policy(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let version = p.get("version").trim().parse().unwrap_or(-1);
    match state
        .app
        .put_mfa_policy(&u.user, &u.ctx, &p.all("roles"), version)
        .await
    {
        Ok(_) => Ok(Redirect::to("/admin/mfa?saved=1").into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict)) => {
            let (status, fields) = refusal(&u, e);
            let form = FormState::from_pairs(&p.0).errors(fields);
            policy_page(&state, &u, Some(form), None, status).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /admin/users/{id}/mfa-reset`: an administrator removes a worker's second factor (lost
/// phone and codes); the worker sets it up again.
pub async fn reset(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(f): WebForm<super::login::CsrfForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    // The role is refused before the id is read (a malformed id is no clue to a non-admin).
    state
        .app
        .authorize(
            &u.user,
            &u.ctx,
            karuna_domain::access::Action::ManageAccounts,
            "mfa.reset",
            ("account", None),
        )
        .await
        .map_err(|e| u.err(e))?;
    let id = Uuid::parse_str(id.trim()).map_err(|_| u.err(AppError::NotFound))?;
    state
        .app
        .reset_mfa(&u.user, &u.ctx, id)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Redirect::to(&format!("/admin/users/{id}?saved=mfa-reset#user-mfa")).into_response())
}
