//! Break-the-glass use cases (domain::emergency_access): opening a case one has no part in,
//! read-only, for the organisation's window after stating why — refused for a case type that
//! forbids it, told at once to the case's manager and the supervisors of its unit, audited
//! like every read; ending a window early; the review list of a unit's supervisors with the
//! reads made in each window, marked justified or not; and the organisation's settings.

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{DateTime, Utc};
use karuna_domain::access::{decide, is_on_case, Action, Role};
use karuna_domain::audit::Outcome;
use karuna_domain::emergency_access::{
    validate_reason, validate_review, validate_settings, EmergencyInput, ReviewInput, Settings,
    SettingsInput,
};
use karuna_domain::error::FieldError;
use karuna_store::audit::{self, EventFilter, EventRow};
use karuna_store::case as cases;
use karuna_store::emergency_access::{self as store, EmergencyRow, Filter, NewEmergency};
use karuna_store::notification::{notify, notify_unit_supervisors, NewNotification};
use uuid::Uuid;

/// The most openings a list shows.
pub const LIST_LIMIT: i64 = 200;
/// The most reads of one window shown for its review.
pub const READS_LIMIT: i64 = 500;

/// An organisation's settings and who changed them last.
#[derive(Debug, Clone)]
pub struct EmergencySettings {
    /// The settings in force (the defaults when none were stored).
    pub settings: Settings,
    /// Their version (0: never written).
    pub version: i64,
    /// Who changed them last, and when.
    pub updated: Option<(String, DateTime<Utc>)>,
}

/// The openings a user sees: her own, and, for a supervisor, those of her unit's cases.
#[derive(Debug, Clone, Default)]
pub struct EmergencyLists {
    /// Her own openings, newest first.
    pub mine: Vec<EmergencyRow>,
    /// Openings of her unit's cases by others, newest first (supervisors only).
    pub to_review: Vec<EmergencyRow>,
}

/// One opening with what was done in it.
#[derive(Debug, Clone)]
pub struct EmergencyDetail {
    /// The opening.
    pub row: EmergencyRow,
    /// The audited events of its reader on the case during the window, oldest first.
    pub reads: Vec<EventRow>,
    /// Whether the user may review it (a supervisor of the case's unit, not its reader, while
    /// it awaits review).
    pub can_review: bool,
}

impl App {
    /// Loads case `id` and checks that the user may open it in an emergency (a denial is
    /// audited; a case of another organisation is "not found").
    async fn glass_case(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<(cases::CaseRow, karuna_domain::access::CaseFacts), AppError> {
        let case = cases::case_by_id(&self.db, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let facts = self.case_facts(&case).await?;
        match self
            .authorize(
                user,
                ctx,
                Action::BreakGlass(Some(&facts)),
                "case.emergency_access",
                ("case", Some(id)),
            )
            .await
        {
            Err(AppError::Forbidden(_)) if case.org_id != user.actor.org_id => {
                Err(AppError::NotFound)
            }
            Err(e) => Err(e),
            Ok(()) => Ok((case, facts)),
        }
    }

    /// Checks, before a request body is read, that the user may open case `id` in an
    /// emergency.
    pub async fn check_break_glass(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<(), AppError> {
        self.glass_case(user, ctx, id).await.map(|_| ())
    }

    /// Opening `id` of the user's organisation with its case and the case's access facts.
    async fn opening(
        &self,
        user: &CurrentUser,
        id: Uuid,
    ) -> Result<
        (
            EmergencyRow,
            cases::CaseRow,
            karuna_domain::access::CaseFacts,
        ),
        AppError,
    > {
        let row = store::get(&self.db, user.actor.org_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let case = cases::case_by_id(&self.db, row.case_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let facts = self.case_facts(&case).await?;
        Ok((row, case, facts))
    }

    /// Loads opening `id` with its case's facts and checks that the user may review it.
    async fn reviewable(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<EmergencyRow, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ReviewEmergencyAccess(None),
            "emergency_access.review",
            ("emergency_access", Some(id)),
        )
        .await?;
        let (row, _, facts) = self.opening(user, id).await?;
        self.authorize(
            user,
            ctx,
            Action::ReviewEmergencyAccess(Some((&facts, row.account_id))),
            "emergency_access.review",
            ("emergency_access", Some(id)),
        )
        .await?;
        Ok(row)
    }

    /// Checks, before a request body is read, that the user may review opening `id`.
    pub async fn check_emergency_review(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<(), AppError> {
        self.reviewable(user, ctx, id).await.map(|_| ())
    }

    /// The organisation's settings (no personal data; every worker's form states the hours).
    pub async fn emergency_settings(&self, org: Uuid) -> Result<EmergencySettings, AppError> {
        Ok(match store::settings(&self.db, org).await? {
            Some(s) => EmergencySettings {
                settings: Settings {
                    hours: s.hours,
                    forbidden_types: s.forbidden_types,
                },
                version: s.version,
                updated: Some((s.updated_by_name, s.updated_at)),
            },
            None => EmergencySettings {
                settings: Settings::default(),
                version: 0,
                updated: None,
            },
        })
    }

    /// Changes the organisation's settings over the version read (administrators); returns the
    /// new version.
    pub async fn put_emergency_settings(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        input: &SettingsInput,
    ) -> Result<i64, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ManageConfiguration,
            "emergency_access.configure",
            ("emergency_access_setting", None),
        )
        .await?;
        let known: Vec<String> = self
            .case_types_of(user.actor.org_id)
            .await?
            .into_iter()
            .map(|t| t.code)
            .collect();
        let s = validate_settings(input, &known).map_err(AppError::Invalid)?;
        let mut tx = self.db.begin().await?;
        let v = store::put_settings(
            &mut tx,
            user.actor.org_id,
            (s.hours, &s.forbidden_types),
            input.version,
            user.actor.id,
        )
        .await?;
        audit::append(
            &mut tx,
            &on(
                event(
                    Some(user),
                    ctx,
                    "emergency_access.configure",
                    Outcome::Success,
                ),
                "emergency_access_setting",
                None,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Opens case `id` read-only in an emergency, for the organisation's window, after stating
    /// why; a window already open is returned as it is. Refused when the user has a part in
    /// the case already (`emergency_not_needed`) or a type of the case forbids it
    /// (`emergency_forbidden`). The case's manager and its unit's supervisors are notified in
    /// the same transaction.
    pub async fn break_glass(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: &EmergencyInput,
    ) -> Result<EmergencyRow, AppError> {
        let (case, facts) = self.glass_case(user, ctx, id).await?;
        if is_on_case(&user.actor, &facts) {
            return Err(AppError::Refused("emergency_not_needed"));
        }
        let now = Utc::now();
        if let Some(open) = store::open_window(&self.db, id, user.actor.id, now).await? {
            return Ok(open);
        }
        let reason = validate_reason(input).map_err(AppError::Invalid)?;
        let settings = self.emergency_settings(case.org_id).await?.settings;
        if !case.case_types.iter().all(|t| settings.allows(t)) {
            let mut e = on(
                event(Some(user), ctx, "case.emergency_access", Outcome::Denied),
                "case",
                Some(id),
            );
            e.reason = Some("case_type".into());
            audit::append_alone(&self.db, &e).await?;
            return Err(AppError::Refused("emergency_forbidden"));
        }
        let mut tx = self.db.begin().await?;
        let grant = store::insert(
            &mut tx,
            &NewEmergency {
                org_id: case.org_id,
                case_id: id,
                account_id: user.actor.id,
                reason: &reason,
                opened_at: now,
                expires_at: settings.expiry(now),
            },
        )
        .await?;
        let n = NewNotification {
            org_id: case.org_id,
            kind: "emergency_access",
            case_id: id,
            entity_id: Some(grant),
            actor_id: Some(user.actor.id),
        };
        notify(&mut tx, case.manager_id, &n).await?;
        notify_unit_supervisors(&mut tx, case.unit_id, case.manager_id, &n).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "case.emergency_access", Outcome::Success),
                "case",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        store::get(&self.db, case.org_id, grant)
            .await?
            .ok_or(AppError::Internal("emergency access just written".into()))
    }

    /// Like [`App::break_glass`], for the case a number names (the duty officer has the number
    /// from the caller, not a link); an unknown number is `NotFound`, audited.
    pub async fn break_glass_by_number(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        number: &str,
        input: &EmergencyInput,
    ) -> Result<EmergencyRow, AppError> {
        self.authorize(
            user,
            ctx,
            Action::BreakGlass(None),
            "case.emergency_access",
            ("case", None),
        )
        .await?;
        let number = number.trim();
        if number.is_empty() {
            return Err(AppError::Invalid(vec![FieldError::new("case", "required")]));
        }
        let found = match number.chars().count() {
            ..=60 => cases::case_id_by_any_number(&self.db, user.actor.org_id, number).await?,
            _ => None,
        };
        let Some(id) = found else {
            let mut e = event(Some(user), ctx, "case.emergency_access", Outcome::Failure);
            e.reason = Some("unknown_case".into());
            audit::append_alone(&self.db, &e).await?;
            return Err(AppError::Invalid(vec![FieldError::new(
                "case",
                "emergency_case_unknown",
            )]));
        };
        self.break_glass(user, ctx, id, input).await
    }

    /// The user's own window open on case `id` now, if any (the case page's banner; her own
    /// record, not audited).
    pub async fn my_emergency_window(
        &self,
        user: &CurrentUser,
        id: Uuid,
    ) -> Result<Option<EmergencyRow>, AppError> {
        if !matches!(user.actor.role, Role::CaseManager | Role::Supervisor) {
            return Ok(None);
        }
        Ok(store::open_window(&self.db, id, user.actor.id, Utc::now()).await?)
    }

    /// Closes one's own open window early.
    pub async fn end_emergency_access(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<(), AppError> {
        self.authorize(
            user,
            ctx,
            Action::BreakGlass(None),
            "emergency_access.end",
            ("emergency_access", Some(id)),
        )
        .await?;
        let row = store::get(&self.db, user.actor.org_id, id)
            .await?
            .filter(|r| r.account_id == user.actor.id)
            .ok_or(AppError::NotFound)?;
        let mut tx = self.db.begin().await?;
        if !store::end(&mut tx, id, user.actor.id).await? {
            return Err(AppError::Refused("emergency_closed"));
        }
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "emergency_access.end", Outcome::Success),
                "case",
                Some(row.case_id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The user's own openings and, for a supervisor of a unit, those of its cases by others
    /// (only the ones awaiting review when `pending_only`); an audited read (they name cases
    /// and give reasons). Roles that never open cases are refused.
    pub async fn emergency_accesses(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        pending_only: bool,
    ) -> Result<EmergencyLists, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ListCases,
            "emergency_access.list",
            ("emergency_access", None),
        )
        .await?;
        let org = user.actor.org_id;
        let mine = store::list(
            &self.db,
            org,
            Filter {
                account: Some(user.actor.id),
                ..Filter::default()
            },
            LIST_LIMIT,
        )
        .await?;
        let to_review = match user
            .actor
            .unit_id
            .filter(|_| user.actor.role == Role::Supervisor)
        {
            Some(unit) => store::list(
                &self.db,
                org,
                Filter {
                    case_unit: Some(unit),
                    pending_only,
                    ..Filter::default()
                },
                LIST_LIMIT,
            )
            .await?
            .into_iter()
            .filter(|r| r.account_id != user.actor.id)
            .collect(),
            None => Vec::new(),
        };
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "emergency_access.list", Outcome::Success),
                "emergency_access",
                None,
            ),
        )
        .await?;
        Ok(EmergencyLists { mine, to_review })
    }

    /// One opening with the reads made in its window: for its reader, and for those told of
    /// it (the case's manager and the supervisors of its unit); anyone else is told it does
    /// not exist (audited).
    pub async fn emergency_access(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<EmergencyDetail, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ListCases,
            "emergency_access.read",
            ("emergency_access", Some(id)),
        )
        .await?;
        let (row, case, facts) = self.opening(user, id).await?;
        let reviewer = decide(
            &user.actor,
            Action::ReviewEmergencyAccess(Some((&facts, row.account_id))),
        )
        .is_allowed();
        let unit_supervisor =
            user.actor.role == Role::Supervisor && user.actor.unit_id == Some(case.unit_id);
        let told = case.manager_id == user.actor.id || unit_supervisor;
        if row.account_id != user.actor.id && !told {
            let mut e = on(
                event(Some(user), ctx, "emergency_access.read", Outcome::Denied),
                "emergency_access",
                Some(id),
            );
            e.reason = Some("not_on_case".into());
            audit::append_alone(&self.db, &e).await?;
            return Err(AppError::NotFound);
        }
        let mut reads = audit::list(
            &self.db,
            &EventFilter {
                actor: Some(row.account_username.clone()),
                entity_type: Some("case".into()),
                entity_id: Some(row.case_id.to_string()),
                from: Some(karuna_store::time::to_db(row.opened_at)),
                to: Some(karuna_store::time::to_db(
                    row.until() + chrono::Duration::seconds(1),
                )),
                ..EventFilter::default()
            },
            READS_LIMIT,
        )
        .await?;
        reads.reverse();
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "emergency_access.read", Outcome::Success),
                "emergency_access",
                Some(id),
            ),
        )
        .await?;
        let can_review = reviewer && row.review.is_none();
        Ok(EmergencyDetail {
            row,
            reads,
            can_review,
        })
    }

    /// Marks an opening justified or not (a supervisor of the case's unit, not on her own
    /// opening, once, over the version read); returns the new version.
    pub async fn review_emergency_access(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: &ReviewInput,
    ) -> Result<i64, AppError> {
        self.reviewable(user, ctx, id).await?;
        let (review, note) = validate_review(input).map_err(AppError::Invalid)?;
        let mut tx = self.db.begin().await?;
        let v = store::review(
            &mut tx,
            id,
            input.version,
            (review.code(), note.as_deref()),
            user.actor.id,
        )
        .await?;
        let mut e = on(
            event(Some(user), ctx, "emergency_access.review", Outcome::Success),
            "emergency_access",
            Some(id),
        );
        e.reason = Some(review.code().into());
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(v)
    }
}
