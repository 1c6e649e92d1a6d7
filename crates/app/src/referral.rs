//! Referrals: the case's team refers the client to a service of the directory (or a provider
//! named ad hoc), sharing only the personal data chosen item by item — and only when the
//! client's latest consent for sharing (with that agency, or any) is granted or a lawful basis
//! was recorded; follows it through the provider's answer, the service agreement and its
//! check-ins; and is alerted (with the supervisors of the case's unit) when a service ends
//! early, a check-in is missed, no answer comes by the due date, or the service closes. The
//! plan intervention a referral carries out follows its status.

use crate::case::CaseAccess;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{Duration, NaiveDate, Utc};
use karuna_domain::audit::Outcome;
use karuna_domain::error::FieldError;
use karuna_domain::referral::{
    self as domain, AgreementInput, CheckInInput, ReferralInput, Status, StepInput,
};
use karuna_store::notification::{self as notes, NewNotification};
use karuna_store::referral::{
    self as store, AgreementRow, AlertRow, CheckInRow, EventRow, NewReferral, ReferralRow,
    StepWrite,
};
use karuna_store::{audit, Tx};
use karuna_thai::calendar::{bangkok_date, Era};
use uuid::Uuid;

/// Days a provider has to answer when no due date is given.
pub const DEFAULT_RESPONSE_DAYS: i64 = 7;

/// A referral with everything its page shows.
#[derive(Debug, Clone)]
pub struct ReferralView {
    /// The referral.
    pub referral: ReferralRow,
    /// Its history, oldest first.
    pub events: Vec<EventRow>,
    /// Its agreement.
    pub agreement: Option<AgreementRow>,
    /// Its check-ins.
    pub check_ins: Vec<CheckInRow>,
    /// Its alerts.
    pub alerts: Vec<AlertRow>,
}

/// A case's referrals and alerts.
#[derive(Debug, Clone)]
pub struct CaseReferrals {
    /// Referrals, newest first.
    pub referrals: Vec<ReferralRow>,
    /// Alerts, unacknowledged first.
    pub alerts: Vec<AlertRow>,
}

fn era_of(user: &CurrentUser) -> Era {
    Era::from_code(&user.era).unwrap_or_default()
}

/// The consent or lawful basis that covers sharing with a provider known by `names` (its
/// name, the service's): the newest sharing record of the client naming no agency or one of
/// these; `None` when there is none or it refuses.
fn sharing_basis(
    consents: &[karuna_store::consent::ConsentRow],
    client: Uuid,
    names: &[&str],
) -> Option<(String, Uuid)> {
    let names: Vec<String> = names
        .iter()
        .map(|n| n.trim().to_lowercase())
        .filter(|n| !n.is_empty())
        .collect();
    let c = consents.iter().find(|c| {
        c.person_id == client
            && c.purpose == "sharing"
            && c.agency.as_deref().is_none_or(|a| {
                let a = a.trim().to_lowercase();
                a.is_empty() || names.iter().any(|n| *n == a || n.contains(&a))
            })
    })?;
    match (c.status.as_str(), &c.lawful_basis) {
        ("granted", _) => Some(("consent".into(), c.id)),
        ("basis", Some(b)) if !b.is_empty() => Some((b.clone(), c.id)),
        _ => None,
    }
}

impl App {
    /// Refers the client of `case_id`; returns the new referral's id (a draft).
    pub async fn create_referral(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        input: &ReferralInput,
    ) -> Result<Uuid, AppError> {
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "referral.create")
            .await?;
        let r = domain::validate(input, era_of(user))?;
        let mut errors = Vec::new();
        // The service: one of the organisation's, still offered.
        let service = match &r.service_id {
            Some(s) => match Uuid::parse_str(s) {
                Ok(id) => match karuna_store::resource::service(&self.db, case.org_id, id).await? {
                    Some(s) if s.status == "defunct" => {
                        errors.push(FieldError::new("service_id", "referral.service_defunct"));
                        None
                    }
                    Some(s) => Some(s),
                    None => {
                        errors.push(FieldError::new("service_id", "referral.service_unknown"));
                        None
                    }
                },
                Err(_) => {
                    errors.push(FieldError::new("service_id", "referral.service_unknown"));
                    None
                }
            },
            None => None,
        };
        // Outside the client's area: a reason is needed.
        if let Some(s) = &service {
            if !s.national && r.area_reason.is_none() {
                let addresses = karuna_store::person::addresses(&self.db, case.client_id).await?;
                let served = addresses.iter().any(|a| {
                    s.areas
                        .iter()
                        .any(|c| *c == a.province_code || *c == a.district_code)
                });
                if !addresses.is_empty() && !served {
                    errors.push(FieldError::new("area_reason", "referral.outside_area"));
                }
            }
        }
        // The plan intervention: one of the plan in force.
        let intervention = match &r.intervention_id {
            Some(i) => {
                let id = Uuid::parse_str(i).ok();
                let versions = karuna_store::plan::versions(&self.db, case_id).await?;
                let known = id.is_some_and(|id| {
                    versions
                        .iter()
                        .filter(|v| v.status == "active")
                        .flat_map(|v| v.content.goals.iter())
                        .flat_map(|g| g.interventions.iter())
                        .any(|x| x.id == id)
                });
                if !known {
                    errors.push(FieldError::new(
                        "intervention_id",
                        "referral.intervention_unknown",
                    ));
                }
                id.filter(|_| known)
            }
            None => None,
        };
        let provider_name = service
            .as_ref()
            .map(|s| s.provider_name.clone())
            .or_else(|| r.provider_name.clone())
            .unwrap_or_default();
        // Sharing needs consent or a lawful basis.
        let basis = if r.shared_items.is_empty() {
            None
        } else {
            let consents = karuna_store::consent::for_case_persons(&self.db, case_id).await?;
            let service_name = service.as_ref().map(|s| s.name.as_str()).unwrap_or("");
            match sharing_basis(&consents, case.client_id, &[&provider_name, service_name]) {
                Some(b) => Some(b),
                None => {
                    errors.push(FieldError::new(
                        "shared_items",
                        "referral.no_consent_to_share",
                    ));
                    None
                }
            }
        };
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let today = bangkok_date(Utc::now());
        let due = r
            .response_due
            .unwrap_or(today + Duration::days(DEFAULT_RESPONSE_DAYS));
        if due < today {
            return Err(AppError::Invalid(vec![FieldError::new(
                "response_due",
                "referral.due_in_past",
            )]));
        }
        let id = Uuid::now_v7();
        let shared = r.shared_items.join(" ");
        let mut tx = self.db.begin().await?;
        store::insert(
            &mut tx,
            &NewReferral {
                id,
                org_id: case.org_id,
                case_id,
                service_id: service.as_ref().map(|s| s.id),
                provider_id: service.as_ref().map(|s| s.provider_id),
                provider_name: &provider_name,
                service_name: service.as_ref().map(|s| s.name.as_str()),
                provider_contact: r.provider_contact.as_deref(),
                intervention_id: intervention,
                need: &r.need,
                requested_service: &r.requested_service,
                urgency: r.urgency.code(),
                shared_items: &shared,
                sharing_basis: basis.as_ref().map(|b| b.0.as_str()),
                consent_id: basis.as_ref().map(|b| b.1),
                area_reason: r.area_reason.as_deref(),
                response_due: due,
                created_by: user.actor.id,
            },
        )
        .await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "referral.create", Outcome::Success),
                "referral",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The case's referrals and alerts (an audited read).
    pub async fn case_referrals(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
    ) -> Result<CaseReferrals, AppError> {
        self.case_for(user, ctx, case_id, CaseAccess::Open, "referral.list")
            .await?;
        let referrals = store::for_case(&self.db, case_id).await?;
        let alerts = store::alerts_of_case(&self.db, case_id).await?;
        self.audit_read(user, ctx, "referral.list", ("case", case_id))
            .await?;
        Ok(CaseReferrals { referrals, alerts })
    }

    /// The case a referral belongs to (for the adapters' access check before a body is read).
    pub async fn referral_case(&self, id: Uuid) -> Result<Uuid, AppError> {
        Ok(store::get(&self.db, id)
            .await?
            .ok_or(AppError::NotFound)?
            .case_id)
    }

    /// One referral with its history, agreement, check-ins and alerts (an audited read).
    pub async fn referral(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<ReferralView, AppError> {
        let referral = store::get(&self.db, id).await?.ok_or(AppError::NotFound)?;
        self.case_for(
            user,
            ctx,
            referral.case_id,
            CaseAccess::Open,
            "referral.read",
        )
        .await?;
        let events = store::events(&self.db, id).await?;
        let agreement = store::agreement(&self.db, id).await?;
        let check_ins = store::check_ins(&self.db, id).await?;
        let alerts = store::alerts_of_case(&self.db, referral.case_id)
            .await?
            .into_iter()
            .filter(|a| a.referral_id == id)
            .collect();
        self.audit_read(user, ctx, "referral.read", ("referral", id))
            .await?;
        Ok(ReferralView {
            referral,
            events,
            agreement,
            check_ins,
            alerts,
        })
    }

    /// Moves a referral a step (send, the provider's answers, start, complete, end early, no
    /// response, revoke, reopen); returns the new version.
    pub async fn step_referral(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: &StepInput,
    ) -> Result<i64, AppError> {
        let r = store::get(&self.db, id).await?.ok_or(AppError::NotFound)?;
        let (case, _) = self
            .case_for(user, ctx, r.case_id, CaseAccess::Edit, "referral.update")
            .await?;
        let from = Status::from_code(&r.status).ok_or(AppError::Refused("referral_state"))?;
        let s = domain::step(from, input)?;
        let today = bangkok_date(Utc::now());
        let closes = matches!(
            s.to,
            Status::Completed
                | Status::EndedEarly
                | Status::Declined
                | Status::NoResponse
                | Status::Revoked
        );
        let mut tx = self.db.begin().await?;
        let version = store::set_status(
            &mut tx,
            id,
            input.version,
            &StepWrite {
                status: s.to.code(),
                reason: s.reason.as_deref(),
                reason_code: s.reason_code.as_deref(),
                ended_by: s.ended_by.as_deref(),
                outcome: s.outcome.as_deref(),
                sent: s.step == "send",
                started_on: (s.to == Status::InService && s.step == "start").then_some(today),
                closed: if closes {
                    Some(true)
                } else if s.step == "reopen" {
                    Some(false)
                } else {
                    None
                },
            },
        )
        .await?;
        let why = match (&s.reason, &s.ended_by) {
            (Some(r), Some(b)) => Some(format!("{r} ({b})")),
            (Some(r), None) => Some(r.clone()),
            (None, _) => s.outcome.clone(),
        };
        store::add_event(
            &mut tx,
            id,
            &s.step,
            Some(s.to.code()),
            why.as_deref(),
            Some(user.actor.id),
        )
        .await?;
        if s.to == Status::EndedEarly {
            let key = format!("ended_early:{id}:{version}");
            raise_alert(&mut tx, &case, id, "ended_early", &key, Some(user.actor.id)).await?;
        }
        if let (Some(intervention), Some(status)) = (r.intervention_id, s.to.intervention_status())
        {
            karuna_store::plan::insert_intervention_event(
                &mut tx,
                case.org_id,
                case.id,
                intervention,
                status,
                Some(&format!("{} {}", r.provider_name, s.to.code())),
                user.actor.id,
            )
            .await?;
        }
        karuna_store::case::touch(&mut tx, case.id).await?;
        let mut e = on(
            event(Some(user), ctx, "referral.update", Outcome::Success),
            "referral",
            Some(id),
        );
        e.reason = Some(s.step.clone());
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Records (or replaces) the service agreement of an accepted referral, with its planned
    /// check-ins; returns the new version.
    pub async fn record_agreement(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: &AgreementInput,
    ) -> Result<i64, AppError> {
        let r = store::get(&self.db, id).await?.ok_or(AppError::NotFound)?;
        self.case_for(user, ctx, r.case_id, CaseAccess::Edit, "referral.update")
            .await?;
        let a = domain::validate_agreement(input, era_of(user))?;
        if !matches!(r.status.as_str(), "accepted" | "in_service") {
            return Err(AppError::Refused("referral_not_accepted"));
        }
        let mut tx = self.db.begin().await?;
        let version = store::touch(&mut tx, id, input.version).await?;
        store::put_agreement(
            &mut tx,
            id,
            &AgreementRow {
                what: a.what.clone(),
                frequency: a.frequency.clone(),
                start_on: a.start,
                end_on: a.end,
                contact_person: a.contact_person.clone(),
            },
            &a.check_ins,
            user.actor.id,
        )
        .await?;
        store::add_event(
            &mut tx,
            id,
            "agreement",
            None,
            Some(&a.what),
            Some(user.actor.id),
        )
        .await?;
        karuna_store::case::touch(&mut tx, r.case_id).await?;
        let mut e = on(
            event(Some(user), ctx, "referral.update", Outcome::Success),
            "referral",
            Some(id),
        );
        e.reason = Some("agreement".into());
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Records a check-in (a planned one, or one not planned, today).
    pub async fn record_check_in(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: &CheckInInput,
    ) -> Result<(), AppError> {
        let r = store::get(&self.db, id).await?.ok_or(AppError::NotFound)?;
        self.case_for(user, ctx, r.case_id, CaseAccess::Edit, "referral.update")
            .await?;
        let c = domain::validate_check_in(input, era_of(user))?;
        if !matches!(
            r.status.as_str(),
            "accepted" | "in_service" | "completed" | "ended_early"
        ) {
            return Err(AppError::Refused("referral_not_accepted"));
        }
        let today = bangkok_date(Utc::now());
        let mut tx = self.db.begin().await?;
        let done = store::record_check_in(
            &mut tx,
            id,
            c.due,
            today,
            &c.delivered,
            c.client_view.as_deref(),
            c.note.as_deref(),
            user.actor.id,
        )
        .await?;
        if !done {
            return Err(AppError::Invalid(vec![FieldError::new(
                "due",
                "referral.check_in_unknown",
            )]));
        }
        store::add_event(
            &mut tx,
            id,
            "check_in",
            None,
            Some(&c.delivered),
            Some(user.actor.id),
        )
        .await?;
        karuna_store::case::touch(&mut tx, r.case_id).await?;
        let mut e = on(
            event(Some(user), ctx, "referral.update", Outcome::Success),
            "referral",
            Some(id),
        );
        e.reason = Some("check_in".into());
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The case an alert belongs to.
    pub async fn alert_case(&self, id: Uuid) -> Result<Uuid, AppError> {
        Ok(store::alert(&self.db, id)
            .await?
            .ok_or(AppError::NotFound)?
            .case_id)
    }

    /// Acknowledges an alert with the action taken.
    pub async fn acknowledge_alert(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        action: &str,
    ) -> Result<(), AppError> {
        let a = store::alert(&self.db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.case_for(user, ctx, a.case_id, CaseAccess::Edit, "referral.alert")
            .await?;
        let action = action.trim();
        if action.is_empty() {
            return Err(AppError::field("action_taken", "required"));
        }
        if action.chars().count() > domain::TEXT_MAX {
            return Err(AppError::Invalid(vec![FieldError::new(
                "action_taken",
                "too_long",
            )
            .arg("max", domain::TEXT_MAX)]));
        }
        let mut tx = self.db.begin().await?;
        if !store::acknowledge(&mut tx, id, user.actor.id, action).await? {
            return Err(AppError::Refused("alert_acknowledged"));
        }
        store::add_event(
            &mut tx,
            a.referral_id,
            "alert_acknowledged",
            None,
            Some(action),
            Some(user.actor.id),
        )
        .await?;
        let mut e = on(
            event(Some(user), ctx, "referral.alert", Outcome::Success),
            "referral",
            Some(a.referral_id),
        );
        e.reason = Some(a.kind.clone());
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The alert job (with the reminders): referrals unanswered after their due date and
    /// check-ins missed, each alerted once (keyed), to the case manager and the supervisors of
    /// the case's unit. Returns how many alerts were written.
    pub async fn referral_alerts(&self, today: NaiveDate) -> Result<u64, AppError> {
        let mut written = 0;
        for (kind, due) in [
            ("no_response", store::unanswered(&self.db, today).await?),
            (
                "check_in_missed",
                store::missed_check_ins(&self.db, today).await?,
            ),
        ] {
            for d in due {
                let Some(case) = karuna_store::case::case_by_id(&self.db, d.case_id).await? else {
                    continue;
                };
                let key = format!("{kind}:{}:{}", d.referral_id, d.detail);
                let mut tx = self.db.begin().await?;
                if raise_alert(&mut tx, &case, d.referral_id, kind, &key, None).await? {
                    written += 1;
                }
                tx.commit().await?;
            }
        }
        Ok(written)
    }

    /// Alerts every open referral to a service whose status became `status` (temporarily
    /// closed or defunct).
    pub(crate) async fn alert_service_closed(
        &self,
        service: Uuid,
        status: &str,
        version: i64,
    ) -> Result<(), AppError> {
        for d in store::open_of_service(&self.db, service).await? {
            let Some(case) = karuna_store::case::case_by_id(&self.db, d.case_id).await? else {
                continue;
            };
            let key = format!("service_closed:{}:{status}:{version}", d.referral_id);
            let mut tx = self.db.begin().await?;
            raise_alert(&mut tx, &case, d.referral_id, "service_closed", &key, None).await?;
            tx.commit().await?;
        }
        Ok(())
    }

    /// Referral figures for reports (aggregates only).
    pub async fn referral_figures(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        from: NaiveDate,
        until: NaiveDate,
    ) -> Result<store::Figures, AppError> {
        self.authorize(
            user,
            ctx,
            karuna_domain::access::Action::ViewAggregates,
            "report.referrals",
            ("referral", None),
        )
        .await?;
        if until < from {
            return Err(AppError::field("to", "report.range_reversed"));
        }
        Ok(store::figures(&self.db, user.actor.org_id, from, until).await?)
    }
}

/// Writes an alert (once per key) and tells the case manager and the supervisors of the case's
/// unit (not `actor`, who caused it); true when written.
async fn raise_alert(
    tx: &mut Tx,
    case: &karuna_store::case::CaseRow,
    referral: Uuid,
    kind: &str,
    key: &str,
    actor: Option<Uuid>,
) -> Result<bool, AppError> {
    let Some(alert) = store::raise(tx, case.org_id, referral, case.id, kind, key).await? else {
        return Ok(false);
    };
    let n = NewNotification {
        org_id: case.org_id,
        kind: "referral_alert",
        case_id: case.id,
        entity_id: Some(alert),
        actor_id: actor,
    };
    if actor != Some(case.manager_id) {
        notes::notify(tx, case.manager_id, &n).await?;
    }
    notes::notify_unit_supervisors(tx, case.unit_id, case.manager_id, &n).await?;
    Ok(true)
}

/// What the referral form of a case offers.
#[derive(Debug, Clone, Default)]
pub struct ReferralStart {
    /// The client's area (province, district) from the first address on record.
    pub area: Option<(String, String)>,
    /// The interventions of the plan in force: (id, goal and method as written).
    pub interventions: Vec<(Uuid, String, String)>,
    /// The chosen directory service, if any (pre-filled from the directory).
    pub service: Option<karuna_store::resource::ServiceRow>,
}

impl App {
    /// What the referral form needs: the client's area (to find services near them), the
    /// plan's interventions, and the service chosen in the directory.
    pub async fn referral_start(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        service: Option<Uuid>,
    ) -> Result<ReferralStart, AppError> {
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Open, "referral.list")
            .await?;
        let area = karuna_store::person::addresses(&self.db, case.client_id)
            .await?
            .into_iter()
            .find(|a| !a.province_code.is_empty())
            .map(|a| (a.province_code, a.district_code));
        let interventions = karuna_store::plan::versions(&self.db, case_id)
            .await?
            .into_iter()
            .filter(|v| v.status == "active")
            .flat_map(|v| v.content.goals.into_iter())
            .flat_map(|g| {
                let goal = g.statement.clone();
                g.interventions
                    .into_iter()
                    .map(move |x| (x.id, goal.clone(), x.method))
            })
            .collect();
        let service = match service {
            Some(s) => karuna_store::resource::service(&self.db, case.org_id, s).await?,
            None => None,
        };
        Ok(ReferralStart {
            area,
            interventions,
            service,
        })
    }
}

impl App {
    /// Adds the provider a referral named ad hoc to the directory (to be verified locally, its
    /// contact as the description) and ties the referral to it; returns the new provider's id.
    /// Needs both the case (the team) and the right to change the directory.
    pub async fn promote_referral_provider(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<Uuid, AppError> {
        let r = store::get(&self.db, id).await?.ok_or(AppError::NotFound)?;
        self.case_for(user, ctx, r.case_id, CaseAccess::Edit, "referral.update")
            .await?;
        self.authorize_edit(user, ctx, "resource.create", ("resource_org", None))
            .await?;
        if r.provider_id.is_some() {
            return Err(AppError::Refused("provider_in_directory"));
        }
        let fields = karuna_domain::resource::validate_organization(
            &karuna_domain::resource::OrganizationInput {
                name: r.provider_name.clone(),
                description: r.provider_contact.clone().unwrap_or_default(),
                source: format!("{} {}", r.case_number, r.created_by_name),
                verify_locally: true,
                ..Default::default()
            },
        )?;
        let provider = Uuid::now_v7();
        let mut tx = self.db.begin().await?;
        karuna_store::resource::insert_provider(
            &mut tx,
            r.org_id,
            provider,
            &fields,
            Some(user.actor.id),
        )
        .await?;
        store::set_provider(&mut tx, id, provider).await?;
        store::add_event(
            &mut tx,
            id,
            "promoted",
            None,
            Some(&r.provider_name),
            Some(user.actor.id),
        )
        .await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "resource.create", Outcome::Success),
                "resource_org",
                Some(provider),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(provider)
    }
}

impl App {
    /// The referrals being followed on the cases I may open (a supervisor: her unit's), the
    /// ones whose answer is due first, at most 500; an audited read.
    pub async fn open_referrals(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Vec<ReferralRow>, AppError> {
        self.authorize(
            user,
            ctx,
            karuna_domain::access::Action::ListCases,
            "referral.list",
            ("referral", None),
        )
        .await?;
        let rows = store::open_in_scope(&self.db, user.case_scope(), 500).await?;
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "referral.list", Outcome::Success),
                "referral",
                None,
            ),
        )
        .await?;
        Ok(rows)
    }
}
