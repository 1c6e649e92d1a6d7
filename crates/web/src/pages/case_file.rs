//! The case file (tabs: overview, persons, contacts, promises, team, history) and the state
//! its forms re-render with.

use super::attachments::FileBox;
use super::case_header::CaseHeader;
use super::cases::{case_type_label, choices, label};
use super::person_card::{person_card, PersonCard};
use super::users::Choice;
use super::{render, Chrome, FormState};
use crate::auth::PageUser;
use crate::error::WebError;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use karuna_app::AppError;
use karuna_domain::case::Status;
use karuna_domain::contact::{CONTACT_KINDS, SOURCES};
use karuna_domain::person::RELATIONSHIPS;
use karuna_store::attachment::AttachedTo;
use serde::Deserialize;
use uuid::Uuid;

struct ContactCard {
    id: Uuid,
    kind: String,
    when: String,
    duration: Option<i64>,
    place: Option<String>,
    note: String,
    sources: String,
    follow_up: Option<String>,
    follow_up_needed: bool,
    corrected: bool,
    version: i64,
    by: String,
    raw_kind: String,
    date_in: String,
    time_in: String,
    source_codes: Vec<String>,
    participants: String,
    person_ids: Vec<String>,
    account_ids: Vec<String>,
    files: FileBox,
}

struct PromiseCard {
    id: Uuid,
    what: String,
    due: String,
    status_code: String,
    status: String,
    overdue: bool,
    reason: Option<String>,
    made_by: String,
    version: i64,
    history: Vec<String>,
}

struct HandoverLine {
    id: Uuid,
    from: String,
    to: String,
    note: String,
    when: String,
    acknowledged: Option<String>,
    /// The viewer is the new case manager and has not acknowledged it yet.
    can_acknowledge: bool,
}

struct ConsentLine {
    who: String,
    purpose: String,
    state: String,
    when: String,
    note: String,
    file: Option<(Uuid, String)>,
}

/// Forms of the case file re-shown after a failed submission.
#[derive(Default)]
pub struct CaseForms {
    /// The contact form.
    pub contact: FormState,
    /// The promise form.
    pub promise: FormState,
    /// The status / transfer / team forms.
    pub manage: FormState,
    /// The add-person form.
    pub person: FormState,
    /// The consent form.
    pub consent: FormState,
    /// A person whose edit failed, with the form.
    pub person_edit: Option<(Uuid, FormState)>,
    /// A promise whose change failed, and the message.
    pub promise_error: Option<(Uuid, String)>,
    /// A contact whose file upload failed, with the form.
    pub attach: Option<(Uuid, FormState)>,
    /// A confirmation to show.
    pub flash: Option<String>,
    /// The team tab's staff search (`staff_q`): a name to find colleagues of other units.
    pub staff_query: String,
}

#[derive(Template)]
#[template(path = "case_file.html")]
struct FilePage {
    c: Chrome,
    id: Uuid,
    number: String,
    tab: String,
    head: CaseHeader,
    /// The screening's questions recorded as not asked (labels): the case is up for review.
    safety_not_asked: Vec<String>,
    types: String,
    can_manage: bool,
    manager: String,
    referral: String,
    referral_note: Option<String>,
    problem: String,
    opened: String,
    version: i64,
    legacy_number: Option<String>,
    persons: Vec<PersonCard>,
    contacts: Vec<ContactCard>,
    promises: Vec<PromiseCard>,
    team: Vec<(Uuid, String, String)>,
    history: Vec<(String, String, String)>,
    consents: Vec<ConsentLine>,
    handovers: Vec<HandoverLine>,
    next_statuses: Vec<Choice>,
    reopen_targets: Vec<Choice>,
    staff: Vec<Choice>,
    managers: Vec<Choice>,
    kinds: Vec<Choice>,
    sources: Vec<Choice>,
    relationships: Vec<Choice>,
    purposes: Vec<Choice>,
    consent_states: Vec<Choice>,
    lawful_bases: Vec<Choice>,
    person_ids: Vec<Choice>,
    staff_on_case: Vec<Choice>,
    /// The team tab's staff search, as typed.
    staff_query: String,
    prefixes: Vec<Choice>,
    sexes: Vec<Choice>,
    forms: CaseForms,
    today: String,
}

/// Which tab, and the confirmation flags of post/redirect/get.
#[derive(Debug, Deserialize, Default)]
#[serde(default)]
pub struct FileQuery {
    tab: String,
    created: Option<String>,
    saved: Option<String>,
    understood: Option<String>,
    staff_q: String,
}

/// `GET /cases/{id}`.
pub async fn show(
    State(state): State<AppState>,
    u: PageUser,
    Path(id): Path<String>,
    Query(q): Query<FileQuery>,
) -> Result<Response, WebError> {
    let id = Uuid::parse_str(&id).map_err(|_| u.err(AppError::NotFound))?;
    let mut forms = CaseForms {
        staff_query: q.staff_q.chars().take(100).collect(),
        ..CaseForms::default()
    };
    if q.created.is_some() {
        let mut msg = u.tr.get("case-created");
        if let Some(era @ ("be" | "ce")) = q.understood.as_deref() {
            msg = format!(
                "{msg} · {}",
                u.tr.get(&format!("error-date-understood-{era}"))
            );
        }
        forms.flash = Some(msg);
    } else if let Some(what) = q.saved.as_deref() {
        forms.flash = Some(u.tr.get(&format!(
            "case-saved-{}",
            if what.is_empty() { "any" } else { what }
        )));
    }
    match render_file(&state, &u, id, &q.tab, forms, StatusCode::OK).await {
        // A worker with no part in the case is offered emergency access (break-the-glass).
        Err(WebError {
            error: AppError::Forbidden(karuna_domain::access::DenyReason::NotOnCase),
            ..
        }) if super::emergency_access::may_break_glass(&u) => {
            super::emergency_access::case_form(
                &state,
                &u,
                id,
                super::FormState::with(&[]),
                StatusCode::FORBIDDEN,
            )
            .await
        }
        other => other,
    }
}

/// Renders the case file with the given forms.
pub async fn render_file(
    state: &AppState,
    u: &PageUser,
    id: Uuid,
    tab: &str,
    forms: CaseForms,
    status: StatusCode,
) -> Result<Response, WebError> {
    let app = &state.app;
    let karuna_app::case::CaseFile {
        view,
        contacts,
        promises,
        promise_events: events,
        consents,
        attachments: files,
        handovers,
    } = app
        .case_file(&u.user, &u.ctx, id, 200)
        .await
        .map_err(|e| u.err(e))?;
    // The pickers are read only where they are shown: the team tab, for those who may
    // steer the case. Elsewhere the page names only the manager, the team and the contacts'
    // participants.
    let staff = if tab == "team" && view.can_manage {
        let name = Some(forms.staff_query.as_str()).filter(|q| !q.trim().is_empty());
        app.case_staff(&u.user, &u.ctx, view.case.unit_id, name)
            .await
            .map_err(|e| u.err(e))?
    } else {
        Vec::new()
    };
    // The colleagues on the case, manager first: offered as a contact's participants, and the
    // names of most participants; the others are looked up by id in one statement.
    let on_case: Vec<(Uuid, String)> =
        std::iter::once((view.case.manager_id, view.manager_name.clone()))
            .chain(
                view.team
                    .iter()
                    .map(|m| (m.account_id, m.display_name.clone())),
            )
            .collect();
    let is_on_case = |aid: Uuid| on_case.iter().any(|(id, _)| *id == aid);
    let mut others: Vec<Uuid> = contacts
        .iter()
        .flat_map(|k| k.participants.iter().filter_map(|p| p.account_id))
        .filter(|aid| !is_on_case(*aid))
        .collect();
    others.sort();
    others.dedup();
    let other_names = if others.is_empty() {
        Vec::new()
    } else {
        app.staff_names(&u.user, &u.ctx, &others)
            .await
            .map_err(|e| u.err(e))?
    };
    let staff_name = |aid: Uuid| {
        on_case
            .iter()
            .chain(other_names.iter())
            .find(|(id, _)| *id == aid)
            .map(|(_, n)| n.clone())
    };
    let case_types = app
        .case_types(&u.user, &u.ctx)
        .await
        .map_err(|e| u.err(e))?;
    let today = karuna_thai::calendar::bangkok_date(chrono::Utc::now());
    let c = &view.case;
    let current = Status::from_code(&c.status).unwrap_or(Status::Intake);
    let name_of = |pid: Uuid| {
        view.persons
            .iter()
            .find(|(p, _)| p.id == pid)
            .map(|(p, _)| p.display_name.clone())
            .unwrap_or_default()
    };
    let tab = match tab {
        "persons" | "contacts" | "promises" | "team" | "history" => tab.to_string(),
        _ => "overview".to_string(),
    };
    let head = CaseHeader::new(u, &view, &tab);
    let handovers: Vec<HandoverLine> = handovers
        .into_iter()
        .map(|h| HandoverLine {
            can_acknowledge: h.acknowledged_at.is_none()
                && h.to_manager == u.user.actor.id
                && view.case.manager_id == u.user.actor.id,
            id: h.id,
            from: h.from_name,
            to: h.to_name,
            note: h.note,
            when: u.tr.datetime(&h.created_at),
            acknowledged: h.acknowledged_at.map(|t| u.tr.datetime(&t)),
        })
        .collect();
    let page = FilePage {
        c: Chrome::for_user(u, &format!("/cases/{id}?tab={tab}")),
        id,
        number: c.number.clone(),
        tab,
        head,
        safety_not_asked: karuna_domain::case::not_asked_in(&c.safety_answers)
            .iter()
            .map(|q| u.tr.get(&format!("safety-q-{}", q.replace('_', "-"))))
            .collect(),
        types: c
            .case_types
            .iter()
            .map(|t| case_type_label(u, &case_types, t))
            .collect::<Vec<_>>()
            .join(", "),
        can_manage: view.can_manage,
        manager: view.manager_name.clone(),
        referral: label(u, "referral", &c.referral_source),
        referral_note: c.referral_note.clone(),
        problem: c.presenting_problem.clone(),
        opened: u.tr.datetime(&c.opened_at),
        legacy_number: c.legacy_number.clone(),
        version: c.version,
        persons: view
            .persons
            .iter()
            .map(|(p, rel)| {
                let mut card = person_card(u, p, rel);
                if let (Some((pid, failed)), Some(edit)) = (&forms.person_edit, card.edit.as_mut())
                {
                    if *pid == edit.0 {
                        edit.2 = failed.clone();
                    }
                }
                card
            })
            .collect(),
        contacts: contacts
            .into_iter()
            .map(|k| ContactCard {
                raw_kind: k.kind.clone(),
                date_in: u
                    .tr
                    .date_input(&karuna_thai::calendar::bangkok_date(k.occurred_at)),
                time_in: if k.time_known {
                    karuna_thai::calendar::bangkok_datetime(k.occurred_at)
                        .format("%H:%M")
                        .to_string()
                } else {
                    String::new()
                },
                source_codes: k.sources.clone(),
                participants: k
                    .participants
                    .iter()
                    .filter_map(|p| match (p.person_id, p.account_id) {
                        (Some(pid), _) => Some(name_of(pid)),
                        (None, Some(aid)) => staff_name(aid),
                        _ => None,
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                person_ids: k
                    .participants
                    .iter()
                    .filter_map(|p| p.person_id.map(|x| x.to_string()))
                    .collect(),
                account_ids: k
                    .participants
                    .iter()
                    .filter_map(|p| p.account_id.map(|x| x.to_string()))
                    .collect(),
                id: k.id,
                kind: label(u, "contact-kind", &k.kind),
                when: if k.time_known {
                    u.tr.datetime(&k.occurred_at)
                } else {
                    u.tr.date(&karuna_thai::calendar::bangkok_date(k.occurred_at))
                },
                duration: k.duration_minutes,
                place: k.place,
                note: k.note,
                sources: k
                    .sources
                    .iter()
                    .map(|s| label(u, "source", s))
                    .collect::<Vec<_>>()
                    .join(", "),
                follow_up: k.follow_up_note,
                follow_up_needed: k.follow_up_needed,
                corrected: k.version > 1,
                version: k.version,
                by: k.created_by_name.unwrap_or_default(),
                files: {
                    let mine: Vec<_> = files
                        .iter()
                        .filter(|f| f.to == AttachedTo::Contact(k.id))
                        .collect();
                    let mut b = FileBox::new(
                        u,
                        format!("/contacts/{}/attachments", k.id),
                        format!("contact-{}", k.id),
                        &mine,
                        true,
                    );
                    if let Some((cid, form)) = &forms.attach {
                        if *cid == k.id {
                            b.form = form.clone();
                        }
                    }
                    b
                },
            })
            .collect(),
        promises: promises
            .into_iter()
            .map(|p| PromiseCard {
                history: events
                    .iter()
                    .filter(|e| e.promise_id == p.id)
                    .map(|e| {
                        let mut line = format!(
                            "{} · {} · {}",
                            u.tr.datetime(&e.at),
                            label(u, "promise-event", &e.kind),
                            e.actor.clone().unwrap_or_default()
                        );
                        if let (Some(o), Some(n)) = (e.old_due, e.new_due) {
                            line.push_str(&format!(" · {} → {}", u.tr.date(&o), u.tr.date(&n)));
                        }
                        if let Some(r) = &e.reason {
                            line.push_str(&format!(" · {r}"));
                        }
                        line
                    })
                    .collect(),
                id: p.id,
                what: format!("{} → {}", p.what, name_of(p.to_person_id)),
                due: u.tr.date(&p.due_date),
                overdue: p.status == "open" && p.due_date < today,
                status: label(u, "promise-status", &p.status),
                status_code: p.status,
                reason: p.status_reason,
                made_by: p.made_by_name,
                version: p.version,
            })
            .collect(),
        team: view
            .team
            .iter()
            .map(|m| {
                (
                    m.account_id,
                    m.display_name.clone(),
                    m.profession
                        .as_deref()
                        .map(|p| label(u, "profession", p))
                        .unwrap_or_else(|| label(u, "role", &m.role)),
                )
            })
            .collect(),
        history: view
            .history
            .iter()
            .map(|h| {
                let what = match h.kind.as_str() {
                    "transfer" => format!(
                        "{}: {} → {}",
                        u.tr.get("history-transfer"),
                        h.from_manager.clone().unwrap_or_default(),
                        h.to_manager.clone().unwrap_or_default()
                    ),
                    "open" => u.tr.get("history-open"),
                    k => format!(
                        "{}: {} → {}",
                        u.tr.get(&format!("history-{k}")),
                        h.from_status
                            .as_deref()
                            .map(|s| label(u, "status", s))
                            .unwrap_or_default(),
                        h.to_status
                            .as_deref()
                            .map(|s| label(u, "status", s))
                            .unwrap_or_default()
                    ),
                };
                (
                    u.tr.datetime(&h.at),
                    format!(
                        "{what}{}",
                        h.reason
                            .as_deref()
                            .map(|r| format!(" — {r}"))
                            .unwrap_or_default()
                    ),
                    h.actor.clone().unwrap_or_default(),
                )
            })
            .collect(),
        handovers,
        consents: consents
            .iter()
            .map(|k| {
                let state = match k.lawful_basis.as_deref() {
                    Some(b) if k.status == "basis" => label(u, "consent-basis", b),
                    _ => label(u, "consent-status", &k.status),
                };
                let purpose = match &k.agency {
                    Some(a) => format!("{} ({a})", label(u, "consent-purpose", &k.purpose)),
                    None => label(u, "consent-purpose", &k.purpose),
                };
                ConsentLine {
                    who: name_of(k.person_id),
                    purpose,
                    state,
                    when: u.tr.datetime(&k.recorded_at),
                    note: k.evidence_note.clone().unwrap_or_default(),
                    file: files
                        .iter()
                        .find(|f| f.consent_id() == Some(k.id))
                        .map(|f| (f.id, f.filename.clone())),
                }
            })
            .collect(),
        next_statuses: current
            .next()
            .iter()
            .map(|s| Choice {
                value: s.code().into(),
                label: label(u, "status", s.code()),
            })
            .collect(),
        reopen_targets: if current == Status::Closed {
            [Status::Assessment, Status::Implementation]
                .iter()
                .map(|s| Choice {
                    value: s.code().into(),
                    label: label(u, "status", s.code()),
                })
                .collect()
        } else {
            Vec::new()
        },
        staff: staff
            .iter()
            .filter(|s| !is_on_case(s.id))
            .map(|s| Choice {
                value: s.id.to_string(),
                label: format!("{} ({})", s.display_name, label(u, "role", &s.role)),
            })
            .collect(),
        managers: staff
            .iter()
            .filter(|s| {
                s.id != c.manager_id && (s.role == "case_manager" || s.role == "supervisor")
            })
            .map(|s| Choice {
                value: s.id.to_string(),
                label: s.display_name.clone(),
            })
            .collect(),
        staff_query: forms.staff_query.clone(),
        kinds: choices(u, "contact-kind", &CONTACT_KINDS),
        sources: choices(u, "source", &SOURCES),
        relationships: choices(u, "relationship", &RELATIONSHIPS[1..]),
        purposes: choices(u, "consent-purpose", &karuna_app::intake::CONSENT_PURPOSES),
        consent_states: choices(u, "consent-status", &karuna_app::intake::CONSENT_STATES),
        lawful_bases: choices(u, "consent-basis", &karuna_app::intake::LAWFUL_BASES),
        person_ids: view
            .persons
            .iter()
            .map(|(p, _)| Choice {
                value: p.id.to_string(),
                label: p.display_name.clone(),
            })
            .collect(),
        prefixes: karuna_thai::names::prefixes()
            .iter()
            .map(|x| Choice {
                value: x.code.into(),
                label: x.label(u.tr.lang).into(),
            })
            .collect(),
        sexes: choices(u, "sex", &karuna_domain::person::SEXES),
        staff_on_case: on_case
            .iter()
            .map(|(id, name)| Choice {
                value: id.to_string(),
                label: name.clone(),
            })
            .collect(),
        forms,
        today: u.tr.date_input(&today),
    };
    Ok(render(status, &page))
}
