//! Accounts: administration (admin only), one's own profile, preferences and password.
//! API tokens are in `token`.

use crate::session::{current_user, random_secret, secret_hash};
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::access::{Action, Profession, Role};
use karuna_domain::account::{check_display_name, check_password, normalize_username};
use karuna_domain::audit::Outcome;
use karuna_domain::{FieldError, Validation};
use karuna_store::account::{self as store, AccountRow, NewAccount, UnitRow};
use karuna_store::{audit, revision, StoreError};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What an administrator submits to create an account.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct NewUserInput {
    /// Login name.
    pub username: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// Profession code (team members).
    pub profession: Option<String>,
    /// Unit id.
    pub unit_id: Option<String>,
    /// Initial password; generated when empty.
    pub password: Option<String>,
}

/// What an administrator submits to change an account.
#[derive(Debug, Clone, Deserialize, Default)]
pub struct UpdateUserInput {
    /// The version the change is based on.
    pub version: i64,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// Profession code.
    pub profession: Option<String>,
    /// Unit id.
    pub unit_id: Option<String>,
    /// May log in.
    pub active: bool,
    /// Designated to maintain the resource directory (`None`: unchanged).
    pub resource_editor: Option<bool>,
}

/// An account as shown to administrators and in the API (never the password hash).
#[derive(Debug, Clone, Serialize)]
pub struct UserView {
    /// Id.
    pub id: Uuid,
    /// Login name.
    pub username: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Role code.
    pub role: String,
    /// Profession code.
    pub profession: Option<String>,
    /// Unit id.
    pub unit_id: Option<Uuid>,
    /// May log in.
    pub active: bool,
    /// Locked by failed logins until this instant.
    pub locked_until: Option<chrono::DateTime<chrono::Utc>>,
    /// Version for updates.
    pub version: i64,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Designated to maintain the resource directory.
    pub resource_editor: bool,
}

impl From<&AccountRow> for UserView {
    fn from(a: &AccountRow) -> Self {
        UserView {
            id: a.id,
            username: a.username.clone(),
            display_name: a.display_name.clone(),
            role: a.role.clone(),
            profession: a.profession.clone(),
            unit_id: a.unit_id,
            active: a.active,
            locked_until: a.locked_until,
            version: a.version,
            created_at: a.created_at,
            resource_editor: a.resource_editor,
        }
    }
}

/// A created account and, when the password was generated, that password (shown once).
#[derive(Debug, Clone)]
pub struct Created {
    /// The account.
    pub user: UserView,
    /// The generated password, if any.
    pub generated_password: Option<String>,
}

fn parse_role_profession(
    v: &mut Validation,
    role: &str,
    profession: Option<&str>,
) -> (Option<Role>, Option<Profession>) {
    let role = Role::from_code(role);
    v.check(role.is_none(), "role", "role.unknown");
    let profession = profession.filter(|p| !p.is_empty());
    let parsed = profession.and_then(Profession::from_code);
    v.check(
        profession.is_some() && parsed.is_none(),
        "profession",
        "profession.unknown",
    );
    v.check(
        role == Some(Role::TeamMember) && parsed.is_none(),
        "profession",
        "profession.required",
    );
    (role, parsed)
}

async fn parse_unit(
    app: &App,
    v: &mut Validation,
    org_id: Uuid,
    unit: Option<&str>,
) -> Result<Option<Uuid>, AppError> {
    let Some(unit) = unit.filter(|u| !u.is_empty()) else {
        return Ok(None);
    };
    let units = store::list_units(&app.db, org_id).await?;
    match Uuid::parse_str(unit)
        .ok()
        .filter(|id| units.iter().any(|u| u.id == *id))
    {
        Some(id) => Ok(Some(id)),
        None => {
            v.push(FieldError::new("unit_id", "unit.unknown"));
            Ok(None)
        }
    }
}

fn snapshot(a: &AccountRow) -> serde_json::Value {
    serde_json::json!({
        "display_name": a.display_name, "role": a.role, "profession": a.profession,
        "unit_id": a.unit_id, "active": a.active,
    })
}

impl App {
    /// The password policy (`domain::account::check_password`), and outside demo mode no
    /// account but a demo one may take the published demo password.
    fn check_new_password(
        &self,
        field: &str,
        password: &str,
        username: &str,
        demo_account: bool,
    ) -> Result<(), FieldError> {
        check_password(field, password, username)?;
        if password == crate::demo::DEMO_PASSWORD && !(self.settings.demo || demo_account) {
            return Err(FieldError::new(field, "password.demo"));
        }
        Ok(())
    }

    /// Creates an account in the administrator's organisation.
    pub async fn create_user(
        &self,
        admin: &CurrentUser,
        ctx: &Ctx,
        input: NewUserInput,
    ) -> Result<Created, AppError> {
        self.authorize(
            admin,
            ctx,
            Action::ManageAccounts,
            "account.create",
            ("account", None),
        )
        .await?;
        self.create_user_in(admin.actor.org_id, Some(admin), ctx, input, false)
            .await
    }

    /// Creates an account in `org_id` (also used by the CLI and the demo seed, which have no
    /// acting user; the caller has already decided it may).
    pub async fn create_user_in(
        &self,
        org_id: Uuid,
        by: Option<&CurrentUser>,
        ctx: &Ctx,
        input: NewUserInput,
        demo: bool,
    ) -> Result<Created, AppError> {
        let mut v = Validation::new();
        let username = normalize_username("username", &input.username)
            .map_err(|e| v.push(e))
            .ok();
        let display_name = check_display_name(&mut v, "display_name", &input.display_name);
        let (role, profession) =
            parse_role_profession(&mut v, &input.role, input.profession.as_deref());
        let unit_id = parse_unit(self, &mut v, org_id, input.unit_id.as_deref()).await?;
        let (password, generated) = match input.password.filter(|p| !p.is_empty()) {
            Some(p) => (p, None),
            None => {
                let p = random_secret()[..20].to_string();
                (p.clone(), Some(p))
            }
        };
        if let Err(e) = self.check_new_password(
            "password",
            &password,
            username.as_deref().unwrap_or(""),
            demo,
        ) {
            v.push(e);
        }
        v.clone().finish()?;
        let (Some(username), Some(role)) = (username, role) else {
            return Err(AppError::Internal("validation".into()));
        };
        let hash = self.hash_new_password(&password).await?;
        let new = NewAccount {
            org_id,
            unit_id,
            username,
            display_name,
            role: role.code().to_string(),
            profession: profession.map(|p| p.code().to_string()),
            password_hash: hash,
            demo,
        };
        let mut tx = self.db.begin().await?;
        let id = match store::insert_account(&mut tx, &new).await {
            Ok(id) => id,
            Err(StoreError::Duplicate) => {
                return Err(AppError::field("username", "username.taken"))
            }
            Err(e) => return Err(e.into()),
        };
        let mut e = on(
            event(by, ctx, "account.create", Outcome::Success),
            "account",
            Some(id),
        );
        e.org_id = Some(org_id);
        audit::append(&mut tx, &e).await?;
        let row = store::account_by_id_tx(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        Ok(Created {
            user: UserView::from(&row),
            generated_password: generated,
        })
    }

    /// A page of the organisation's accounts (keyset by username).
    pub async fn list_users(
        &self,
        admin: &CurrentUser,
        ctx: &Ctx,
        after: Option<&str>,
        limit: i64,
    ) -> Result<Vec<UserView>, AppError> {
        self.authorize(
            admin,
            ctx,
            Action::ManageAccounts,
            "account.list",
            ("account", None),
        )
        .await?;
        let rows =
            store::list_accounts(&self.db, admin.actor.org_id, after, limit.clamp(1, 200)).await?;
        audit::append_alone(
            &self.db,
            &on(
                event(Some(admin), ctx, "account.list", Outcome::Success),
                "account",
                None,
            ),
        )
        .await?;
        Ok(rows.iter().map(UserView::from).collect())
    }

    /// One account of the organisation.
    pub async fn get_user(
        &self,
        admin: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<UserView, AppError> {
        self.authorize(
            admin,
            ctx,
            Action::ManageAccounts,
            "account.read",
            ("account", Some(id)),
        )
        .await?;
        let row = store::account_by_id(&self.db, id)
            .await?
            .filter(|a| a.org_id == admin.actor.org_id)
            .ok_or(AppError::NotFound)?;
        audit::append_alone(
            &self.db,
            &on(
                event(Some(admin), ctx, "account.read", Outcome::Success),
                "account",
                Some(id),
            ),
        )
        .await?;
        Ok(UserView::from(&row))
    }

    /// Changes an account; the previous state is kept as a revision. A stale version is refused.
    pub async fn update_user(
        &self,
        admin: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: UpdateUserInput,
    ) -> Result<UserView, AppError> {
        self.authorize(
            admin,
            ctx,
            Action::ManageAccounts,
            "account.update",
            ("account", Some(id)),
        )
        .await?;
        let mut v = Validation::new();
        let display_name = check_display_name(&mut v, "display_name", &input.display_name);
        let (role, profession) =
            parse_role_profession(&mut v, &input.role, input.profession.as_deref());
        let unit_id =
            parse_unit(self, &mut v, admin.actor.org_id, input.unit_id.as_deref()).await?;
        v.check(
            id == admin.actor.id && (!input.active || role != Some(Role::Admin)),
            "role",
            "account.cannot_demote_self",
        );
        v.finish()?;
        let role = role.ok_or(AppError::Internal("validation".into()))?;
        let mut tx = self.db.begin().await?;
        let before = store::account_by_id_tx(&mut tx, id)
            .await?
            .filter(|a| a.org_id == admin.actor.org_id)
            .ok_or(AppError::NotFound)?;
        let new_version = match store::update_account(
            &mut tx,
            id,
            input.version,
            &display_name,
            role.code(),
            profession.map(|p| p.code()),
            unit_id,
            input.active,
        )
        .await
        {
            Ok(v) => v,
            Err(StoreError::StaleVersion) => return Err(AppError::Conflict),
            Err(e) => return Err(e.into()),
        };
        if let Some(on) = input.resource_editor {
            karuna_store::resource::set_resource_editor(&mut tx, id, on).await?;
        }
        if before.active != input.active {
            // Deactivation ends every session and token at once; reactivation starts from
            // none (any issued before the deactivation stays dead).
            store::revoke_credentials(&mut tx, id).await?;
        }
        revision::record(
            &mut tx,
            "account",
            id,
            before.version,
            &snapshot(&before),
            Some(admin.actor.id),
            None,
        )
        .await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(admin), ctx, "account.update", Outcome::Success),
                "account",
                Some(id),
            ),
        )
        .await?;
        let row = store::account_by_id_tx(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        debug_assert_eq!(row.version, new_version);
        Ok(UserView::from(&row))
    }

    /// The organisation's units (for forms).
    pub async fn units(&self, user: &CurrentUser) -> Result<Vec<UnitRow>, AppError> {
        Ok(store::list_units(&self.db, user.actor.org_id).await?)
    }

    /// Changes one's own language and calendar.
    pub async fn set_preferences(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        lang: &str,
        era: &str,
    ) -> Result<CurrentUser, AppError> {
        self.authorize(
            user,
            ctx,
            Action::EditOwnProfile,
            "account.preferences",
            ("account", Some(user.actor.id)),
        )
        .await?;
        let mut v = Validation::new();
        v.check(!matches!(lang, "th" | "en"), "lang", "lang.unknown");
        v.check(!matches!(era, "be" | "ce"), "era", "era.unknown");
        v.finish()?;
        let mut tx = self.db.begin().await?;
        let version = store::update_preferences(&mut tx, user.actor.id, lang, era).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "account.preferences", Outcome::Success),
                "account",
                Some(user.actor.id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(CurrentUser {
            lang: lang.into(),
            era: era.into(),
            version,
            ..user.clone()
        })
    }

    /// Changes one's own password after checking the current one; every session and every API
    /// token of the account is revoked (the password change is what a worker does when they
    /// fear someone else has it), and a new session is opened for the caller: a page user
    /// stays signed in on a fresh session, an API client gets a new token from an admin.
    pub async fn change_password(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        current: &str,
        new: &str,
    ) -> Result<crate::session::LoggedIn, AppError> {
        self.authorize(
            user,
            ctx,
            Action::EditOwnProfile,
            "account.password",
            ("account", Some(user.actor.id)),
        )
        .await?;
        let account = store::account_by_id(&self.db, user.actor.id)
            .await?
            .ok_or(AppError::NotFound)?;
        if !self
            .password_matches(current, &account.password_hash)
            .await?
        {
            let mut e = on(
                event(Some(user), ctx, "account.password", Outcome::Failure),
                "account",
                Some(user.actor.id),
            );
            e.reason = Some("bad_current_password".into());
            audit::append_alone(&self.db, &e).await?;
            return Err(AppError::field(
                "current_password",
                "password.wrong_current",
            ));
        }
        self.check_new_password("new_password", new, &user.username, false)?;
        if new == current {
            return Err(AppError::field("new_password", "password.unchanged"));
        }
        let hash = self.hash_new_password(new).await?;
        let secret = random_secret();
        let csrf = random_secret();
        let expires = chrono::Utc::now()
            + chrono::Duration::from_std(self.settings.absolute_timeout)
                .unwrap_or(chrono::Duration::hours(12));
        let mut tx = self.db.begin().await?;
        store::set_password(&mut tx, user.actor.id, &hash).await?;
        store::insert_session(
            &mut tx,
            &secret_hash(&secret),
            user.actor.id,
            (&csrf, crate::session::device_label(ctx).as_deref()),
            expires,
        )
        .await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "account.password", Outcome::Success),
                "account",
                Some(user.actor.id),
            ),
        )
        .await?;
        let row = store::account_by_id_tx(&mut tx, user.actor.id)
            .await?
            .ok_or(AppError::NotFound)?;
        tx.commit().await?;
        let session = crate::SessionInfo {
            id_hash: secret_hash(&secret),
            csrf_token: csrf,
        };
        Ok(crate::session::LoggedIn {
            session_secret: secret,
            user: current_user(&row, Some(session))?,
        })
    }
}

impl App {
    /// Finds or creates the (non-demo) organisation named `org_name` and, when given, its unit
    /// named `unit_name`, for the CLI's first account. Both creations are audited with no actor
    /// (the operator at the console); the whole change is one transaction.
    pub async fn bootstrap_org(
        &self,
        ctx: &Ctx,
        org_name: &str,
        unit_name: Option<&str>,
    ) -> Result<(Uuid, Option<Uuid>), AppError> {
        let org_name = org_name.trim();
        if org_name.is_empty() {
            return Err(AppError::field("org", "required"));
        }
        let existing = store::list_orgs(&self.db)
            .await?
            .into_iter()
            .find(|o| !o.demo && o.name == org_name);
        let mut tx = self.db.begin().await?;
        let org_id = match existing {
            Some(o) => o.id,
            None => {
                let id = store::insert_org(&mut tx, org_name, false).await?;
                let mut e = on(
                    event(None, ctx, "org.create", Outcome::Success),
                    "org",
                    Some(id),
                );
                e.org_id = Some(id);
                audit::append(&mut tx, &e).await?;
                id
            }
        };
        tx.commit().await?;
        let Some(unit_name) = unit_name.map(str::trim).filter(|u| !u.is_empty()) else {
            return Ok((org_id, None));
        };
        if let Some(u) = store::list_units(&self.db, org_id)
            .await?
            .into_iter()
            .find(|u| u.name == unit_name)
        {
            return Ok((org_id, Some(u.id)));
        }
        let mut tx = self.db.begin().await?;
        let unit_id = store::insert_unit(&mut tx, org_id, unit_name, "office").await?;
        let mut e = on(
            event(None, ctx, "unit.create", Outcome::Success),
            "unit",
            Some(unit_id),
        );
        e.org_id = Some(org_id);
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok((org_id, Some(unit_id)))
    }
}
