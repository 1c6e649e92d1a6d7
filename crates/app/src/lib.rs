//! Karuna's use cases: the only door to data. Each one authorises (through
//! `karuna_domain::access`), validates, runs one transaction and records its audit event in it.

pub mod account;
pub mod advocacy;
pub mod allocation;
pub mod assessment;
pub mod attachment;
pub mod audit;
pub mod budget;
pub mod case;
pub mod case_type;
pub mod caseload;
pub mod closure;
pub mod conference;
pub mod consent;
pub mod consultation;
pub mod contact;
pub mod dashboard;
pub mod data_request;
pub mod demo;
pub mod demo_cases;
mod demo_plans;
pub mod digest;
pub mod emergency_access;
pub mod error;
pub mod export;
pub mod gatekeeping;
pub mod import;
pub mod intake;
pub mod login_guard;
pub mod matching;
pub mod merge_history;
pub mod mfa;
pub mod monitoring;
pub mod my_sessions;
pub mod notification;
pub mod oidc;
pub mod person;
pub mod person_merge;
pub mod plan;
pub mod policy_review;
pub mod promise;
pub mod referral;
pub mod report;
pub mod resource;
pub mod resource_exchange;
mod rule_facts;
pub mod screening;
pub mod screening_model;
pub mod search;
pub mod service_match;
pub mod session;
pub mod similar;
pub mod supervision;
pub mod task;
pub mod team;
pub mod timeline;
pub mod token;
pub mod trends;
pub mod worklist;

pub use error::AppError;

use karuna_domain::access::{self, Action, Actor, Decision, Role};
use karuna_domain::audit::Outcome;
use karuna_store::audit::NewEvent;
use karuna_store::Db;
use std::time::Duration;
use uuid::Uuid;

/// Settings the use cases need (the rest of the configuration stays in the adapters).
#[derive(Debug, Clone)]
pub struct Settings {
    /// Demo mode: demo accounts may log in and are listed on the login page.
    pub demo: bool,
    /// A session ends after this long without a request.
    pub idle_timeout: Duration,
    /// A session ends this long after login whatever happens.
    pub absolute_timeout: Duration,
    /// Throttles on login attempts and the bound on password hashing.
    pub login: login_guard::LoginLimits,
    /// Reminders are written this many days before a promise, task or follow-up falls due.
    pub reminder_days: i64,
    /// A directory entry not verified for this many days is flagged stale.
    pub resource_stale_days: i64,
    /// The key files kept on cases are sealed with at rest (none: stored in clear, as before
    /// a key was configured).
    pub attachment_key: Option<karuna_store::attachment_key::AttachmentKey>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            demo: false,
            idle_timeout: Duration::from_secs(30 * 60),
            absolute_timeout: Duration::from_secs(12 * 3600),
            login: login_guard::LoginLimits::default(),
            reminder_days: 3,
            resource_stale_days: 365,
            attachment_key: None,
        }
    }
}

/// The application: the database and the settings; cheap to clone.
#[derive(Debug, Clone)]
pub struct App {
    /// The store.
    pub db: Db,
    /// Use-case settings.
    pub settings: Settings,
    /// Login throttles and hashing slots (shared by every clone).
    guard: std::sync::Arc<login_guard::LoginGuard>,
}

/// Per-request facts that go into the audit log.
#[derive(Debug, Clone, Default)]
pub struct Ctx {
    /// The request id assigned at the edge.
    pub request_id: Option<String>,
    /// The client's address (the TCP peer), for throttling logins; never stored.
    pub client_addr: Option<std::net::IpAddr>,
    /// The client's `User-Agent` (at most 512 characters): a new session stores only the
    /// browser and system it names, in words (`session::device_label`).
    pub user_agent: Option<String>,
}

/// The authenticated person making a request, with what the pages need to show them.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    /// Facts for the policy.
    pub actor: Actor,
    /// Login name.
    pub username: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Profession code, for team members.
    pub profession: Option<String>,
    /// Interface language code (`th`/`en`).
    pub lang: String,
    /// Calendar era code (`be`/`ce`).
    pub era: String,
    /// The account's version (for optimistic concurrency on profile changes).
    pub version: i64,
    /// The session this request came with, if it came with a cookie.
    pub session: Option<SessionInfo>,
}

/// The facts of a cookie session the adapters need.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    /// Hash of the cookie value (the session's key).
    pub id_hash: String,
    /// The synchronizer token state-changing requests must echo.
    pub csrf_token: String,
}

impl CurrentUser {
    /// The account's role.
    pub fn role(&self) -> Role {
        self.actor.role
    }

    /// The cases this user may open, as the store's list predicate takes them (`is_on_case`:
    /// her own and her teams', and all her unit's for a supervisor).
    pub fn case_scope(&self) -> karuna_store::case_list::Scope {
        karuna_store::case_list::Scope {
            org_id: self.actor.org_id,
            actor_id: self.actor.id,
            supervisor_unit: if self.role() == Role::Supervisor {
                self.actor.unit_id
            } else {
                None
            },
        }
    }
}

/// An account as the policy sees it (None for a role code Karuna does not know).
pub(crate) fn actor_of(a: &karuna_store::account::AccountRow) -> Option<Actor> {
    Some(Actor {
        id: a.id,
        org_id: a.org_id,
        unit_id: a.unit_id,
        role: Role::from_code(&a.role)?,
    })
}

/// Builds an audit event for an actor.
pub(crate) fn event(
    user: Option<&CurrentUser>,
    ctx: &Ctx,
    action: &str,
    outcome: Outcome,
) -> NewEvent {
    NewEvent {
        org_id: user.map(|u| u.actor.org_id),
        actor_id: user.map(|u| u.actor.id),
        actor_username: user.map(|u| u.username.clone()),
        action: action.to_string(),
        outcome: outcome.code().to_string(),
        request_id: ctx.request_id.clone(),
        ..NewEvent::default()
    }
}

/// Sets the entity of an event.
pub(crate) fn on(mut e: NewEvent, entity_type: &str, entity_id: Option<Uuid>) -> NewEvent {
    e.entity_type = Some(entity_type.to_string());
    e.entity_id = entity_id.map(|i| i.to_string());
    e
}

impl App {
    /// Builds the application over an opened, migrated database.
    pub fn new(db: Db, settings: Settings) -> App {
        let guard = std::sync::Arc::new(login_guard::LoginGuard::new(&settings.login));
        App {
            db,
            settings,
            guard,
        }
    }

    /// Asks the policy; a denial is audited (in its own transaction) and returned as an error.
    pub async fn authorize(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        action: Action<'_>,
        audit_action: &str,
        entity: (&str, Option<Uuid>),
    ) -> Result<(), AppError> {
        match access::decide(&user.actor, action) {
            Decision::Allow => Ok(()),
            Decision::Deny(reason) => {
                let mut e = on(
                    event(Some(user), ctx, audit_action, Outcome::Denied),
                    entity.0,
                    entity.1,
                );
                e.reason = Some(reason.code().to_string());
                karuna_store::audit::append_alone(&self.db, &e).await?;
                Err(AppError::Forbidden(reason))
            }
        }
    }

    /// Records a successful read of personal data on `entity` (its own transaction, after the
    /// read): every list or page that shows case content calls this.
    pub(crate) async fn audit_read(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        action: &str,
        entity: (&str, Uuid),
    ) -> Result<(), AppError> {
        karuna_store::audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, action, Outcome::Success),
                entity.0,
                Some(entity.1),
            ),
        )
        .await?;
        Ok(())
    }

    /// Records a request that arrived without valid credentials.
    pub async fn audit_unauthenticated(&self, ctx: &Ctx, what: &str) -> Result<(), AppError> {
        let mut e = event(None, ctx, "auth.required", Outcome::Denied);
        e.entity_type = Some("route".into());
        e.entity_id = Some(what.chars().take(200).collect());
        karuna_store::audit::append_alone(&self.db, &e).await?;
        Ok(())
    }

    /// An active colleague of organisation `org`, by the id typed, as the policy sees her
    /// (None for a malformed id, another organisation's or a deactivated account).
    pub(crate) async fn colleague(&self, org: Uuid, raw: &str) -> Result<Option<Actor>, AppError> {
        let Ok(id) = Uuid::parse_str(raw.trim()) else {
            return Ok(None);
        };
        Ok(karuna_store::account::account_by_id(&self.db, id)
            .await?
            .filter(|a| a.org_id == org && a.active)
            .and_then(|a| actor_of(&a)))
    }

    /// Readiness: the database answers.
    pub async fn ready(&self) -> bool {
        self.db.ping().await
    }
}
