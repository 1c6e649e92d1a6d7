//! One's own profile: language, calendar, password; and the language switch in every header.

use super::{render, safe_next, Chrome, FormState};
use crate::auth::{cookie, same_secret, PageUser, Visitor, WebForm, LANG_COOKIE, SESSION_COOKIE};
use crate::error::{Surface, WebError};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::CookieJar;
use karuna_app::mfa::MfaStatus;
use karuna_app::AppError;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "profile.html")]
struct ProfilePage {
    c: Chrome,
    username: String,
    display_name: String,
    role_key: String,
    profession_key: Option<String>,
    unit_name: Option<String>,
    prefs: FormState,
    email: FormState,
    mail_enabled: bool,
    password: FormState,
    sessions: Vec<SessionLine>,
    mfa: MfaLine,
    flash: Option<String>,
}

/// My two-step verification as the page shows it.
struct MfaLine {
    /// Set up since (a date in words); None: not set up.
    since: Option<String>,
    /// Recovery codes left, in words.
    codes_left: String,
    /// My role must use it.
    required: bool,
    /// The code forms' errors.
    form: FormState,
}

/// One of my sessions as the page lists it.
struct SessionLine {
    handle: String,
    device: String,
    signed_in: String,
    last_seen: String,
    until: String,
    current: bool,
}

/// Query flags after a redirect.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct Flash {
    saved: Option<String>,
}

/// The three forms of the page, each with what was typed and its errors.
struct Forms {
    prefs: FormState,
    email: FormState,
    password: FormState,
    mfa: FormState,
}

impl Forms {
    /// The forms as the account has them now.
    async fn current(state: &AppState, u: &PageUser) -> Forms {
        Forms {
            prefs: prefs_of(u),
            email: email_of(state, u).await,
            password: FormState::default(),
            mfa: FormState::default(),
        }
    }
}

async fn email_of(state: &AppState, u: &PageUser) -> FormState {
    let s = state.app.email_settings(&u.user).await.unwrap_or_default();
    FormState::with(&[
        ("email", s.email.unwrap_or_default()),
        (
            "daily_digest",
            if s.daily_digest { "on" } else { "" }.into(),
        ),
    ])
}

async fn page(
    state: &AppState,
    u: &PageUser,
    forms: Forms,
    flash: Option<String>,
    status: StatusCode,
) -> Response {
    let units = state.app.units(&u.user).await.unwrap_or_default();
    let unit_name = u
        .user
        .actor
        .unit_id
        .and_then(|id| units.iter().find(|x| x.id == id))
        .map(|x| x.name.clone());
    let sessions = state
        .app
        .my_sessions(&u.user)
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|s| SessionLine {
            device: s
                .device
                .unwrap_or_else(|| u.tr.get("profile-session-device-unknown")),
            signed_in: u.tr.datetime(&s.created_at),
            last_seen: u.tr.datetime(&s.last_seen_at),
            until: u.tr.datetime(&s.expires_at),
            current: s.current,
            handle: s.handle,
        })
        .collect();
    let status_mfa = state.app.my_mfa(&u.user).await.unwrap_or(MfaStatus {
        enrolled_at: None,
        recovery_codes_left: 0,
        required: false,
    });
    let mfa = MfaLine {
        since: status_mfa.enrolled_at.map(|t| u.tr.datetime(&t)),
        codes_left: u.tr.get1(
            "mfa-codes-left",
            "count",
            &status_mfa.recovery_codes_left.to_string(),
        ),
        required: status_mfa.required,
        form: forms.mfa,
    };
    let page = ProfilePage {
        c: Chrome::for_user(u, "/profile"),
        sessions,
        mfa,
        username: u.user.username.clone(),
        display_name: u.user.display_name.clone(),
        role_key: format!("role-{}", u.user.role().code().replace('_', "-")),
        profession_key: u
            .user
            .profession
            .as_ref()
            .map(|p| format!("profession-{}", p.replace('_', "-"))),
        unit_name,
        prefs: forms.prefs,
        email: forms.email,
        mail_enabled: state.web.mail_enabled,
        password: forms.password,
        flash,
    };
    render(status, &page)
}

fn prefs_of(u: &PageUser) -> FormState {
    FormState::with(&[("lang", u.user.lang.clone()), ("era", u.user.era.clone())])
}

/// `GET /profile`.
pub async fn show(State(state): State<AppState>, u: PageUser, Query(q): Query<Flash>) -> Response {
    let flash = match q.saved.as_deref() {
        Some("preferences") => Some(u.tr.get("profile-saved-preferences")),
        Some("password") => Some(u.tr.get("profile-saved-password")),
        Some("email") => Some(u.tr.get("profile-saved-email")),
        Some("session") => Some(u.tr.get("profile-session-signed-out")),
        Some("everywhere") => Some(u.tr.get("profile-signed-out-everywhere")),
        Some("mfa-off") => Some(u.tr.get("mfa-turned-off")),
        _ => None,
    };
    let forms = Forms::current(&state, &u).await;
    page(&state, &u, forms, flash, StatusCode::OK).await
}

/// The profile again with a wrong code under the two-step verification forms (422).
pub(crate) async fn with_mfa_error(state: &AppState, u: &PageUser, e: AppError) -> Response {
    let e = WebError::new(e, Surface::Page, u.tr.clone());
    let forms = Forms {
        mfa: FormState::default().errors(e.fields()),
        ..Forms::current(state, u).await
    };
    page(state, u, forms, None, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// The preferences form.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PrefsForm {
    csrf: String,
    lang: String,
    era: String,
}

/// `POST /profile/preferences`.
pub async fn save_preferences(
    State(state): State<AppState>,
    u: PageUser,
    jar: CookieJar,
    WebForm(f): WebForm<PrefsForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    match state
        .app
        .set_preferences(&u.user, &u.ctx, &f.lang, &f.era)
        .await
    {
        Ok(user) => {
            let jar = jar.add(cookie(&state, LANG_COOKIE, user.lang, false));
            Ok((jar, Redirect::to("/profile?saved=preferences")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let e = WebError::new(AppError::Invalid(errors), Surface::Page, u.tr.clone());
            let forms = Forms {
                prefs: FormState::with(&[("lang", f.lang), ("era", f.era)]).errors(e.fields()),
                ..Forms::current(&state, &u).await
            };
            Ok(page(&state, &u, forms, None, StatusCode::UNPROCESSABLE_ENTITY).await)
        }
        Err(e) => Err(u.err(e)),
    }
}

/// The e-mail form.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct EmailForm {
    csrf: String,
    email: String,
    daily_digest: Option<String>,
}

/// `POST /profile/email`: one's address and whether the daily digest is wanted.
pub async fn save_email(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(f): WebForm<EmailForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    let digest = f.daily_digest.is_some();
    match state
        .app
        .set_email_settings(&u.user, &u.ctx, &f.email, digest)
        .await
    {
        Ok(_) => Ok(Redirect::to("/profile?saved=email").into_response()),
        Err(AppError::Invalid(errors)) => {
            let e = WebError::new(AppError::Invalid(errors), Surface::Page, u.tr.clone());
            let typed = FormState::with(&[
                ("email", f.email),
                ("daily_digest", if digest { "on" } else { "" }.into()),
            ]);
            let forms = Forms {
                email: typed.errors(e.fields()),
                ..Forms::current(&state, &u).await
            };
            Ok(page(&state, &u, forms, None, StatusCode::UNPROCESSABLE_ENTITY).await)
        }
        Err(e) => Err(u.err(e)),
    }
}

/// The password form.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    csrf: String,
    current_password: String,
    new_password: String,
    confirm_password: String,
}

/// `POST /profile/password`: every other session is signed out; this one continues.
pub async fn change_password(
    State(state): State<AppState>,
    u: PageUser,
    jar: CookieJar,
    WebForm(f): WebForm<PasswordForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    let result = if f.new_password != f.confirm_password {
        Err(AppError::field("confirm_password", "password.mismatch"))
    } else {
        state
            .app
            .change_password(&u.user, &u.ctx, &f.current_password, &f.new_password)
            .await
    };
    match result {
        Ok(done) => {
            let jar = jar.add(cookie(&state, SESSION_COOKIE, done.session_secret, true));
            Ok((jar, Redirect::to("/profile?saved=password")).into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let e = WebError::new(AppError::Invalid(errors), Surface::Page, u.tr.clone());
            let forms = Forms {
                password: FormState::default().errors(e.fields()),
                ..Forms::current(&state, &u).await
            };
            Ok(page(&state, &u, forms, None, StatusCode::UNPROCESSABLE_ENTITY).await)
        }
        Err(e) => Err(u.err(e)),
    }
}

/// A form with only its CSRF token.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /profile/sessions/{id}/sign-out`: sign out one of my other sessions.
pub async fn sign_out_session(
    State(state): State<AppState>,
    u: PageUser,
    axum::extract::Path(handle): axum::extract::Path<String>,
    WebForm(f): WebForm<CsrfForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    state
        .app
        .sign_out_session(&u.user, &u.ctx, &handle)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Redirect::to("/profile?saved=session#sessions-heading").into_response())
}

/// `POST /profile/sessions/sign-out-others`: sign out everywhere but here.
pub async fn sign_out_everywhere_else(
    State(state): State<AppState>,
    u: PageUser,
    WebForm(f): WebForm<CsrfForm>,
) -> Result<Response, WebError> {
    u.check_csrf(&f.csrf)?;
    state
        .app
        .sign_out_everywhere_else(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Redirect::to("/profile?saved=everywhere#sessions-heading").into_response())
}

/// The header language switch.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct LanguageForm {
    csrf: String,
    lang: String,
    next: String,
}

/// `POST /language`: for a signed-in user it changes the account's language; for a visitor,
/// a cookie. Either way back to the page it came from.
pub async fn switch_language(
    State(state): State<AppState>,
    v: Visitor,
    jar: CookieJar,
    WebForm(f): WebForm<LanguageForm>,
) -> Result<Response, WebError> {
    let lang = if f.lang == "en" { "en" } else { "th" };
    let next = safe_next(&f.next);
    let expected = match &v.user {
        Some(u) => u.session.as_ref().map(|s| s.csrf_token.clone()),
        None => v.pre_token.clone(),
    };
    if !expected.is_some_and(|t| same_secret(&t, &f.csrf) && !f.csrf.is_empty()) {
        return Err(WebError::adapter(
            StatusCode::FORBIDDEN,
            "csrf",
            Surface::Page,
            v.tr.clone(),
        ));
    }
    if let Some(user) = &v.user {
        state
            .app
            .set_preferences(user, &v.ctx, lang, &user.era)
            .await
            .map_err(|e| WebError::new(e, Surface::Page, v.tr.clone()))?;
    }
    Ok((
        jar.add(cookie(&state, LANG_COOKIE, lang.to_string(), false)),
        Redirect::to(&next),
    )
        .into_response())
}
