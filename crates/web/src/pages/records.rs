//! The case file's forms: contacts, promises, lifecycle, transfer, team, persons, consent.
//! Each checks access to the case before reading the rest of the form, posts, then
//! redirects back to its tab; a failed one re-renders the file with the
//! user's input and a message beside each field.

use super::case_file::{render_file, CaseForms};
use super::intake::{person_input, Pairs};
use super::FormState;
use crate::auth::{PageUser, WebForm};
use crate::error::{Surface, WebError};
use crate::state::AppState;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use karuna_app::case::CaseAccess;
use karuna_app::consent::ConsentChange;
use karuna_app::promise::PromiseUpdate;
use karuna_app::AppError;
use karuna_domain::contact::ContactInput;
use karuna_domain::promise::PromiseInput;
use uuid::Uuid;

fn case_id(u: &PageUser, id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| u.err(AppError::NotFound))
}

fn done(id: Uuid, tab: &str, saved: &str) -> Response {
    Redirect::to(&format!("/cases/{id}?tab={tab}&saved={saved}")).into_response()
}

/// Handles a use-case result: redirect on success, the file with field errors on invalid input.
async fn finish<T>(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    (tab, saved): (&str, &str),
    result: Result<T, AppError>,
    form: FormState,
    slot: fn(&mut CaseForms) -> &mut FormState,
) -> Result<Response, WebError> {
    match result {
        Ok(_) => Ok(done(id, tab, saved)),
        Err(AppError::Invalid(errors)) => {
            let fields =
                WebError::new(AppError::Invalid(errors), Surface::Page, u.tr.clone()).fields();
            let mut forms = CaseForms::default();
            *slot(&mut forms) = form.errors(fields);
            render_file(state, u, id, tab, forms, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// Refuses before anything is read when the user may not touch the case.
async fn check(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    p: &Pairs,
    access: CaseAccess,
    action: &str,
) -> Result<(), WebError> {
    u.check_csrf(&p.get("csrf"))?;
    state
        .app
        .check_case(&u.user, &u.ctx, id, access, action)
        .await
        .map_err(|e| u.err(e))
}

fn contact_input(p: &Pairs) -> ContactInput {
    ContactInput {
        kind: p.get("kind"),
        date: p.get("date"),
        time: p.get("time"),
        duration_minutes: p.get("duration_minutes"),
        place: p.get("place"),
        note: p.get("note"),
        sources: p.all("sources"),
        follow_up_needed: p.get("follow_up_needed") == "on",
        follow_up_note: p.get("follow_up_note"),
        person_ids: p.all("person_ids"),
        account_ids: p.all("account_ids"),
    }
}

/// `POST /cases/{id}/contacts`.
pub async fn contact_add(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    check(&state, &u, id, &p, CaseAccess::Edit, "contact.create").await?;
    let r = state
        .app
        .add_contact(&u.user, &u.ctx, id, &contact_input(&p))
        .await;
    finish(
        &state,
        &u,
        id,
        ("contacts", "contact"),
        r,
        FormState::from_pairs(&p.0),
        |f| &mut f.contact,
    )
    .await
}

/// `POST /contacts/{id}`: a correction (the form carries the case id and the version).
pub async fn contact_correct(
    State(state): State<AppState>,
    u: PageUser,
    Path(cid): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let cid = case_id(&u, &cid)?;
    let p = Pairs(pairs);
    let id = state.app.contact_case(cid).await.map_err(|e| u.err(e))?;
    check(&state, &u, id, &p, CaseAccess::Edit, "contact.correct").await?;
    let version = p.get("version").parse().unwrap_or(0);
    let r = state
        .app
        .correct_contact(
            &u.user,
            &u.ctx,
            cid,
            version,
            &contact_input(&p),
            &p.get("reason"),
        )
        .await;
    finish(
        &state,
        &u,
        id,
        ("contacts", "contact"),
        r,
        FormState::from_pairs(&p.0),
        |f| &mut f.contact,
    )
    .await
}

/// `POST /cases/{id}/promises`.
pub async fn promise_add(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    check(&state, &u, id, &p, CaseAccess::Edit, "promise.create").await?;
    let input = PromiseInput {
        what: p.get("what"),
        due: p.get("due"),
        to_person_id: p.get("to_person_id"),
    };
    let r = state.app.add_promise(&u.user, &u.ctx, id, &input).await;
    finish(
        &state,
        &u,
        id,
        ("promises", "promise"),
        r,
        FormState::from_pairs(&p.0),
        |f| &mut f.promise,
    )
    .await
}

/// `POST /promises/{id}`: keep, miss or renegotiate (the button pressed is `action`).
pub async fn promise_change(
    State(state): State<AppState>,
    u: PageUser,
    Path(pid): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let pid = case_id(&u, &pid)?;
    let p = Pairs(pairs);
    let id = state.app.promise_case(pid).await.map_err(|e| u.err(e))?;
    check(&state, &u, id, &p, CaseAccess::Edit, "promise.update").await?;
    let update = PromiseUpdate {
        version: p.get("version").parse().unwrap_or(0),
        action: p.get("action"),
        reason: p.get("reason"),
        due: p.get("due"),
        client_told: p.get("client_told") == "on",
    };
    match state
        .app
        .change_promise(&u.user, &u.ctx, pid, &update)
        .await
    {
        Ok(_) => Ok(done(id, "promises", "promise")),
        Err(AppError::Invalid(errors)) => {
            let fields =
                WebError::new(AppError::Invalid(errors), Surface::Page, u.tr.clone()).fields();
            let msg = fields
                .into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join(" ");
            let forms = CaseForms {
                promise_error: Some((pid, msg)),
                ..CaseForms::default()
            };
            render_file(
                &state,
                &u,
                id,
                "promises",
                forms,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /cases/{id}/status`: a lifecycle move, or reopening (`reopen=on`).
pub async fn status(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    check(&state, &u, id, &p, CaseAccess::Edit, "case.transition").await?;
    let version = p.get("version").parse().unwrap_or(0);
    let r = if p.get("reopen") == "on" {
        state
            .app
            .reopen_case(&u.user, &u.ctx, id, version, &p.get("to"), &p.get("reason"))
            .await
    } else {
        state
            .app
            .change_status(&u.user, &u.ctx, id, version, &p.get("to"), &p.get("reason"))
            .await
    };
    finish(
        &state,
        &u,
        id,
        ("overview", "status"),
        r,
        FormState::from_pairs(&p.0),
        |f| &mut f.manage,
    )
    .await
}

/// `POST /cases/{id}/transfer`.
pub async fn transfer(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    check(&state, &u, id, &p, CaseAccess::Manage, "case.transfer").await?;
    let version = p.get("version").parse().unwrap_or(0);
    let r = match Uuid::parse_str(&p.get("manager_id")) {
        Ok(m) => {
            state
                .app
                .transfer_case(
                    &u.user,
                    &u.ctx,
                    id,
                    &karuna_app::case::Transfer {
                        version,
                        to_manager: m,
                        reason: &p.get("reason"),
                        handover_note: &p.get("handover_note"),
                    },
                )
                .await
        }
        Err(_) => Err(AppError::field("manager_id", "case.manager_invalid")),
    };
    // Handed over to someone else, the case may be out of the user's reach now: back to her
    // list rather than to a page she may no longer open.
    if r.is_ok()
        && !state
            .app
            .can_open(&u.user, id)
            .await
            .map_err(|e| u.err(e))?
    {
        return Ok(Redirect::to("/cases?transferred=1").into_response());
    }
    finish(
        &state,
        &u,
        id,
        ("team", "transfer"),
        r,
        FormState::from_pairs(&p.0),
        |f| &mut f.manage,
    )
    .await
}

/// `POST /cases/{id}/team`: add (`account_id`) or remove (`remove` = account id).
pub async fn team(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    check(&state, &u, id, &p, CaseAccess::Manage, "case.team").await?;
    let r = if p.has("remove") {
        match Uuid::parse_str(&p.get("remove")) {
            Ok(a) => state.app.remove_team_member(&u.user, &u.ctx, id, a).await,
            Err(_) => Err(AppError::NotFound),
        }
    } else {
        match Uuid::parse_str(&p.get("account_id")) {
            Ok(a) => {
                state
                    .app
                    .add_team_member(&u.user, &u.ctx, id, a, &p.get("role_in_case"))
                    .await
            }
            Err(_) => Err(AppError::field("account_id", "case.member_invalid")),
        }
    };
    finish(
        &state,
        &u,
        id,
        ("team", "team"),
        r,
        FormState::from_pairs(&p.0),
        |f| &mut f.manage,
    )
    .await
}

/// `POST /cases/{id}/persons`.
pub async fn person_add(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    let p = Pairs(pairs);
    check(&state, &u, id, &p, CaseAccess::Edit, "case.person.add").await?;
    let input = person_input(&p, "");
    let r = state
        .app
        .add_case_person(&u.user, &u.ctx, id, &input, &p.get("relationship"))
        .await;
    finish(
        &state,
        &u,
        id,
        ("persons", "person"),
        r,
        FormState::from_pairs(&p.0),
        |f| &mut f.person,
    )
    .await
}

/// `POST /cases/{id}/consents` (multipart: the fields and an optional evidence file). Access
/// to the case is checked before the body is read; the CSRF token comes from the body.
pub async fn consent(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    body: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    let id = case_id(&u, &id)?;
    state
        .app
        .check_case(&u.user, &u.ctx, id, CaseAccess::Edit, "consent.record")
        .await
        .map_err(|e| u.err(e))?;
    let up = super::attachments::read_upload(&u, body, "evidence_file").await?;
    let file = up.file;
    let p = Pairs(up.pairs);
    u.check_csrf(&p.get("csrf"))?;
    let c = ConsentChange {
        person_id: p.get("person_id"),
        purpose: p.get("purpose"),
        agency: p.get("agency"),
        status: p.get("status"),
        lawful_basis: p.get("lawful_basis"),
        evidence_note: p.get("evidence_note"),
    };
    let r = state
        .app
        .record_consent_with_file(&u.user, &u.ctx, id, &c, file.as_ref())
        .await;
    finish(
        &state,
        &u,
        id,
        ("persons", "consent"),
        r,
        FormState::from_pairs(&p.0),
        |f| &mut f.consent,
    )
    .await
}

/// `POST /persons/{id}`: corrects a person's details (from the case file; `case_id` says where
/// to return). A stale version is 409.
pub async fn person_edit(
    State(state): State<AppState>,
    u: PageUser,
    Path(pid): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let pid = case_id(&u, &pid)?;
    state
        .app
        .check_person(&u.user, &u.ctx, pid)
        .await
        .map_err(|e| u.err(e))?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let id = case_id(&u, &p.get("case_id"))?;
    let input = person_input(&p, "");
    let version = p.get("version").parse().unwrap_or(0);
    match state
        .app
        .update_person(&u.user, &u.ctx, pid, version, &input)
        .await
    {
        Ok(_) => Ok(done(id, "persons", "person")),
        Err(AppError::Invalid(errors)) => {
            let fields =
                WebError::new(AppError::Invalid(errors), Surface::Page, u.tr.clone()).fields();
            let forms = CaseForms {
                person_edit: Some((pid, FormState::from_pairs(&p.0).errors(fields))),
                ..CaseForms::default()
            };
            render_file(
                &state,
                &u,
                id,
                "persons",
                forms,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(u.err(e)),
    }
}

/// `POST /handovers/{id}/acknowledge`: the new case manager has read the handover note.
pub async fn acknowledge_handover(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    WebForm(pairs): WebForm<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let hid = case_id(&u, &id)?;
    let p = Pairs(pairs);
    u.check_csrf(&p.get("csrf"))?;
    let case = state
        .app
        .acknowledge_handover(&u.user, &u.ctx, hid)
        .await
        .map_err(|e| u.err(e))?;
    Ok(Redirect::to(&format!("/cases/{case}?tab=overview&saved=handover")).into_response())
}
