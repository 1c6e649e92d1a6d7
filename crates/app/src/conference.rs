//! Case conferences: scheduled by someone who may edit every case on the agenda, chaired by a
//! colleague who may open every one of them; attended by colleagues (each on at least one of
//! the cases) and by people of other agencies. Each case's minutes are written by whoever may
//! edit that case, and confirmed by the chair, whose confirmation turns the action items into
//! tasks. A viewer sees the conference when she may open at least one of its cases, and only
//! the minutes of the cases she may open.

use crate::case::CaseAccess;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{NaiveDateTime, Utc};
use karuna_domain::access::{decide, is_on_case, Action, Actor, CaseFacts, DenyReason};
use karuna_domain::audit::Outcome;
use karuna_domain::conference::{
    validate_minutes, validate_schedule, ConferenceInput, MinutesInput, Owner,
};
use karuna_domain::task::Priority;
use karuna_domain::FieldError;
use karuna_store::audit;
use karuna_store::conference::{self as store, AttendeeRow, ConferenceRow, MinutesRow};
use karuna_store::notification::{notify, NewNotification};
use karuna_store::task::{Doer, NewTask};
use karuna_thai::calendar::{bangkok_date, Era};
use uuid::Uuid;

/// One case of a conference's agenda as the viewer sees it.
#[derive(Debug, Clone)]
pub struct AgendaCase {
    /// Case.
    pub case_id: Uuid,
    /// Its number.
    pub number: String,
    /// The viewer may add to the case (write its minutes).
    pub can_edit: bool,
    /// Its minutes, newest version first.
    pub minutes: Vec<MinutesRow>,
}

/// A conference as the viewer may see it.
#[derive(Debug, Clone)]
pub struct ConferenceView {
    /// The meeting.
    pub conference: ConferenceRow,
    /// The cases on the agenda the viewer may open, in order.
    pub cases: Vec<AgendaCase>,
    /// How many cases on the agenda the viewer may not open (not named).
    pub hidden_cases: usize,
    /// Who attends.
    pub attendees: Vec<AttendeeRow>,
    /// The viewer chairs it.
    pub is_chair: bool,
}

impl ConferenceView {
    /// Versions of minutes awaiting the chair's confirmation (among the cases shown).
    pub fn drafts(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| c.minutes.first().is_some_and(|m| m.status == "draft"))
            .count()
    }
}

impl App {
    /// Schedules a conference; every case on the agenda must be one the user may edit.
    pub async fn schedule_conference(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        input: &ConferenceInput,
    ) -> Result<Uuid, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ListCases,
            "conference.create",
            ("conference", None),
        )
        .await?;
        let era = Era::from_code(&user.era).unwrap_or_default();
        let s = validate_schedule(input, era)?;
        let org = user.actor.org_id;
        // The agenda: ids or numbers, each a case the user may edit (else 403, audited).
        let mut cases: Vec<(Uuid, CaseFacts)> = Vec::new();
        for raw in input
            .cases
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
        {
            let id = match Uuid::parse_str(raw) {
                Ok(id) => Some(id),
                Err(_) => karuna_store::case::case_id_by_any_number(&self.db, org, raw).await?,
            };
            let Some(id) = id else {
                return Err(FieldError::new("cases", "conference.case_unknown")
                    .arg("number", raw.chars().take(40).collect::<String>())
                    .into());
            };
            if cases.iter().any(|(c, _)| *c == id) {
                continue;
            }
            let facts = match self
                .case_for(user, ctx, id, CaseAccess::Edit, "conference.create")
                .await
            {
                Ok((_, facts)) => facts,
                Err(AppError::NotFound) => {
                    return Err(FieldError::new("cases", "conference.case_unknown")
                        .arg("number", raw.chars().take(40).collect::<String>())
                        .into())
                }
                Err(e) => return Err(e),
            };
            cases.push((id, facts));
        }
        let chair = match self.colleague(org, &input.chair_id).await? {
            Some(c) if cases.iter().all(|(_, f)| is_on_case(&c, f)) => c,
            Some(_) => {
                return Err(FieldError::new("chair_id", "conference.chair_cannot_open").into())
            }
            None => return Err(FieldError::new("chair_id", "task.assignee_unknown").into()),
        };
        let mut staff: Vec<Actor> = Vec::new();
        for raw in input.staff_ids.iter().filter(|s| !s.trim().is_empty()) {
            match self.colleague(org, raw).await? {
                Some(a) if cases.iter().any(|(_, f)| is_on_case(&a, f)) => {
                    if a.id != chair.id && !staff.iter().any(|s| s.id == a.id) {
                        staff.push(a);
                    }
                }
                Some(_) => {
                    return Err(
                        FieldError::new("staff_ids", "conference.attendee_cannot_open").into(),
                    )
                }
                None => return Err(FieldError::new("staff_ids", "task.assignee_unknown").into()),
            }
        }
        // The chair attends first.
        let mut attending = vec![chair.id];
        attending.extend(staff.iter().map(|s| s.id));
        let local = NaiveDateTime::new(s.date, s.time);
        let starts_at = (local - chrono::Duration::hours(7)).and_utc();
        let case_ids: Vec<Uuid> = cases.iter().map(|(c, _)| *c).collect();
        let mut tx = self.db.begin().await?;
        let id = store::insert(
            &mut tx,
            &store::NewConference {
                org_id: org,
                title: &s.title,
                starts_at,
                place: s.place.as_deref(),
                online_link: s.online_link.as_deref(),
                chair_id: chair.id,
                created_by: user.actor.id,
                cases: &case_ids,
                staff: &attending,
                outside: &s.outside,
            },
        )
        .await?;
        // Each colleague is told, on the first case of the agenda they may open.
        for a in std::iter::once(&chair).chain(staff.iter()) {
            if a.id == user.actor.id {
                continue;
            }
            if let Some((case_id, _)) = cases.iter().find(|(_, f)| is_on_case(a, f)) {
                let n = NewNotification {
                    org_id: org,
                    kind: "conference_scheduled",
                    case_id: *case_id,
                    entity_id: Some(id),
                    actor_id: Some(user.actor.id),
                };
                notify(&mut tx, a.id, &n).await?;
            }
        }
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "conference.create", Outcome::Success),
                "conference",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The agenda with the facts of each case.
    async fn agenda(&self, id: Uuid) -> Result<Vec<(Uuid, String, CaseFacts)>, AppError> {
        let mut out = Vec::new();
        for (case_id, number) in store::cases(&self.db, id).await? {
            let case = karuna_store::case::case_by_id(&self.db, case_id)
                .await?
                .ok_or(AppError::NotFound)?;
            out.push((case_id, number, self.case_facts(&case).await?));
        }
        Ok(out)
    }

    /// Loads a conference the user may see (she may open one of its cases): the conference
    /// and its agenda. A refusal is audited.
    async fn conference_for(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        audit_action: &str,
    ) -> Result<(ConferenceRow, Vec<(Uuid, String, CaseFacts)>), AppError> {
        let c = store::by_id(&self.db, id)
            .await?
            .filter(|c| c.org_id == user.actor.org_id)
            .ok_or(AppError::NotFound)?;
        let agenda = self.agenda(id).await?;
        let visible = agenda
            .iter()
            .any(|(_, _, f)| decide(&user.actor, Action::OpenCase(f)).is_allowed());
        if !visible {
            let first = agenda.first().ok_or(AppError::NotFound)?;
            self.authorize(
                user,
                ctx,
                Action::OpenCase(&first.2),
                audit_action,
                ("conference", Some(id)),
            )
            .await?;
        }
        Ok((c, agenda))
    }

    /// A conference: its attendees and the minutes of the cases the user may open (audited).
    pub async fn conference(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<ConferenceView, AppError> {
        let (conference, agenda) = self
            .conference_for(user, ctx, id, "conference.read")
            .await?;
        let minutes = store::minutes(&self.db, id).await?;
        let attendees = store::attendees(&self.db, id).await?;
        let mut cases = Vec::new();
        let mut hidden_cases = 0;
        for (case_id, number, facts) in agenda {
            if !decide(&user.actor, Action::OpenCase(&facts)).is_allowed() {
                hidden_cases += 1;
                continue;
            }
            cases.push(AgendaCase {
                case_id,
                number,
                can_edit: decide(&user.actor, Action::EditCase(&facts)).is_allowed(),
                minutes: minutes
                    .iter()
                    .filter(|m| m.case_id == case_id)
                    .cloned()
                    .collect(),
            });
        }
        self.audit_read(user, ctx, "conference.read", ("conference", id))
            .await?;
        Ok(ConferenceView {
            is_chair: conference.chair_id == user.actor.id,
            conference,
            cases,
            hidden_cases,
            attendees,
        })
    }

    /// The cases on a conference's agenda (`NotFound` when there is no such conference).
    pub async fn conference_cases(&self, id: Uuid) -> Result<Vec<Uuid>, AppError> {
        let cases: Vec<Uuid> = store::cases(&self.db, id)
            .await?
            .into_iter()
            .map(|(c, _)| c)
            .collect();
        if cases.is_empty() {
            return Err(AppError::NotFound);
        }
        Ok(cases)
    }

    /// The conferences with a case the user may open on the agenda, latest first (audited).
    pub async fn conferences(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Vec<ConferenceRow>, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ListCases,
            "conference.list",
            ("conference", None),
        )
        .await?;
        let rows = store::list(&self.db, user.case_scope(), 200).await?;
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "conference.list", Outcome::Success),
                "conference",
                None,
            ),
        )
        .await?;
        Ok(rows)
    }

    /// The conferences of one case, latest first (audited).
    pub async fn case_conferences(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
    ) -> Result<Vec<ConferenceRow>, AppError> {
        self.case_for(user, ctx, case_id, CaseAccess::Open, "conference.list")
            .await?;
        let rows = store::for_case(&self.db, case_id).await?;
        self.audit_read(user, ctx, "conference.list", ("case", case_id))
            .await?;
        Ok(rows)
    }

    /// Writes a new version of one case's minutes: a draft for the chair to confirm. Changing
    /// confirmed minutes needs a reason. Returns the version number.
    pub async fn save_minutes(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        case_id: Uuid,
        input: &MinutesInput,
    ) -> Result<i64, AppError> {
        if !self.conference_cases(id).await?.contains(&case_id) {
            return Err(AppError::NotFound);
        }
        let (_, facts) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "conference.minutes")
            .await?;
        let era = Era::from_code(&user.era).unwrap_or_default();
        let reason = input.reason.trim().to_string();
        if reason.chars().count() > 2000 {
            return Err(FieldError::new("reason", "too_long").into());
        }
        let mut tx = self.db.begin().await?;
        let latest = store::latest_tx(&mut tx, id, case_id).await?;
        let latest_number = latest.as_ref().map(|m| m.number).unwrap_or(0);
        if latest_number != input.based_on {
            return Err(AppError::Conflict);
        }
        // Minutes once confirmed change only with a reason.
        let confirmed_before = store::minutes(&self.db, id)
            .await?
            .iter()
            .any(|m| m.case_id == case_id && m.confirmed_at.is_some());
        if confirmed_before && reason.is_empty() {
            return Err(FieldError::new("reason", "conference.reason_required").into());
        }
        let (minutes, staff) = validate_minutes(
            input,
            latest.as_ref().map(|m| &m.content),
            era,
            bangkok_date(Utc::now()),
        )?;
        let mut errors = Vec::new();
        for (i, j, raw) in &staff {
            let field = format!("decisions[{i}].actions[{j}].assignee_id");
            match self.colleague(facts.org_id, raw).await? {
                Some(a) if is_on_case(&a, &facts) => {}
                Some(_) => errors.push(FieldError::new(field, "task.assignee_cannot_open")),
                None => errors.push(FieldError::new(field, "task.assignee_unknown")),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let number = latest_number + 1;
        store::insert_minutes(
            &mut tx,
            id,
            case_id,
            number,
            &minutes,
            Some(reason.as_str()).filter(|r| !r.is_empty()),
            user.actor.id,
        )
        .await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        let mut e = on(
            event(Some(user), ctx, "conference.minutes", Outcome::Success),
            "conference",
            Some(id),
        );
        e.reason = Some(case_id.to_string());
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(number)
    }

    /// The chair confirms every draft of the conference; each action item not yet a task
    /// becomes one (its owner checked again). Returns how many tasks were created.
    pub async fn confirm_conference(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<usize, AppError> {
        let (conference, agenda) = self
            .conference_for(user, ctx, id, "conference.confirm")
            .await?;
        let chair_may_open_all = agenda
            .iter()
            .all(|(_, _, f)| decide(&user.actor, Action::OpenCase(f)).is_allowed());
        if conference.chair_id != user.actor.id || !chair_may_open_all {
            let mut e = on(
                event(Some(user), ctx, "conference.confirm", Outcome::Denied),
                "conference",
                Some(id),
            );
            e.reason = Some("not_chair".into());
            audit::append_alone(&self.db, &e).await?;
            return Err(AppError::Forbidden(DenyReason::Role));
        }
        let mut tx = self.db.begin().await?;
        let drafts = store::drafts_tx(&mut tx, id).await?;
        if drafts.is_empty() {
            return Err(FieldError::new("minutes", "conference.nothing_to_confirm").into());
        }
        let existing = karuna_store::task::of_conference_tx(&mut tx, id).await?;
        let mut created = 0;
        for m in &drafts {
            let facts = agenda
                .iter()
                .find(|(c, _, _)| *c == m.case_id)
                .map(|(_, _, f)| f)
                .ok_or(AppError::NotFound)?;
            store::confirm_minutes(&mut tx, m, id, user.actor.id).await?;
            for d in &m.content.decisions {
                for a in &d.actions {
                    if existing.iter().any(|(action, _)| *action == a.id) {
                        continue;
                    }
                    let doer = match &a.owner {
                        Owner::Staff { account_id } => {
                            match self
                                .colleague(facts.org_id, &account_id.to_string())
                                .await?
                            {
                                Some(x) if is_on_case(&x, facts) => Doer::Account(*account_id),
                                _ => {
                                    return Err(FieldError::new(
                                        "minutes",
                                        "conference.owner_cannot_open",
                                    )
                                    .arg("task", a.title.chars().take(80).collect::<String>())
                                    .into())
                                }
                            }
                        }
                        Owner::Outside { name, organisation } => Doer::Outside {
                            name: name.clone(),
                            organisation: Some(organisation.clone()).filter(|o| !o.is_empty()),
                        },
                    };
                    let priority = Priority::from_code(&a.priority).unwrap_or(Priority::Normal);
                    let to = match &doer {
                        Doer::Account(x) => Some(*x),
                        Doer::Outside { .. } => None,
                    };
                    let task = karuna_store::task::insert(
                        &mut tx,
                        &NewTask {
                            org_id: facts.org_id,
                            case_id: m.case_id,
                            title: &a.title,
                            details: Some(d.text.as_str()),
                            doer,
                            due: a.due,
                            priority: (priority.code(), priority.rank()),
                            goal_id: None,
                            intervention_id: None,
                            created_by: user.actor.id,
                            from_conference: Some((id, d.id, a.id)),
                        },
                    )
                    .await?;
                    if let Some(to) = to.filter(|t| *t != user.actor.id) {
                        let n = NewNotification {
                            org_id: facts.org_id,
                            kind: "task_assigned",
                            case_id: m.case_id,
                            entity_id: Some(task),
                            actor_id: Some(user.actor.id),
                        };
                        notify(&mut tx, to, &n).await?;
                    }
                    created += 1;
                }
            }
            karuna_store::case::touch(&mut tx, m.case_id).await?;
        }
        store::set_confirmed(&mut tx, id).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "conference.confirm", Outcome::Success),
                "conference",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(created)
    }
}
