//! Case types as configuration: everyone reads them (labels, review intervals, approval
//! rules); administrators change them, each change audited.

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::access::Action;
use karuna_domain::audit::Outcome;
use karuna_domain::case_type::{
    effective, rules_for, validate_case_type, CaseRules, CaseType, CaseTypeInput,
};
use karuna_store::assessment::TemplateRow;
use karuna_store::audit;
use karuna_store::case_type as store;
use uuid::Uuid;

impl App {
    /// The organisation's case types, built-in ones first (internal: no access check).
    pub(crate) async fn case_types_of(&self, org_id: Uuid) -> Result<Vec<CaseType>, AppError> {
        Ok(effective(store::rows(&self.db, org_id).await?))
    }

    /// The rules that apply to a case of these types (internal: no access check).
    pub(crate) async fn case_rules(
        &self,
        org_id: Uuid,
        codes: &[String],
    ) -> Result<CaseRules, AppError> {
        Ok(rules_for(&self.case_types_of(org_id).await?, codes))
    }

    /// The case types of the user's organisation, active or not.
    pub async fn case_types(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Vec<CaseType>, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ViewConfiguration,
            "case_type.list",
            ("case_type", None),
        )
        .await?;
        self.case_types_of(user.actor.org_id).await
    }

    /// One case type by code.
    pub async fn case_type(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        code: &str,
    ) -> Result<CaseType, AppError> {
        self.case_types(user, ctx)
            .await?
            .into_iter()
            .find(|t| t.code == code)
            .ok_or(AppError::NotFound)
    }

    /// The templates a case type may start with (the latest published version of each), for
    /// the case-type form.
    pub async fn case_type_templates(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Vec<TemplateRow>, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ViewConfiguration,
            "assessment_template.list",
            ("assessment_template", None),
        )
        .await?;
        self.published_templates(user.actor.org_id).await
    }

    /// Adds the organisation's own case type (administrators).
    pub async fn create_case_type(
        &self,
        admin: &CurrentUser,
        ctx: &Ctx,
        input: &CaseTypeInput,
    ) -> Result<CaseType, AppError> {
        self.save_case_type(admin, ctx, None, input).await
    }

    /// Changes a case type (built-in or own) at the version read (administrators); a stale
    /// version is a conflict.
    pub async fn update_case_type(
        &self,
        admin: &CurrentUser,
        ctx: &Ctx,
        code: &str,
        version: i64,
        input: &CaseTypeInput,
    ) -> Result<CaseType, AppError> {
        self.save_case_type(admin, ctx, Some((code, version)), input)
            .await
    }

    async fn save_case_type(
        &self,
        admin: &CurrentUser,
        ctx: &Ctx,
        existing: Option<(&str, i64)>,
        input: &CaseTypeInput,
    ) -> Result<CaseType, AppError> {
        let action = if existing.is_some() {
            "case_type.update"
        } else {
            "case_type.create"
        };
        self.authorize(
            admin,
            ctx,
            Action::ManageConfiguration,
            action,
            ("case_type", None),
        )
        .await?;
        let org = admin.actor.org_id;
        // Read (and seed) the published templates before the write transaction: seeding
        // writes, and SQLite has one writer.
        let published = self.published_templates(org).await?;
        let keys: Vec<&str> = published.iter().map(|t| t.key.as_str()).collect();
        let mut tx = self.db.begin().await?;
        let taken = effective(store::rows_tx(&mut tx, org).await?);
        let current = match existing {
            Some((code, version)) => {
                let mut t = taken
                    .iter()
                    .find(|t| t.code == code)
                    .cloned()
                    .ok_or(AppError::NotFound)?;
                if t.version != version {
                    return Err(AppError::Conflict);
                }
                t.version = version;
                Some(t)
            }
            None => None,
        };
        let mut t = validate_case_type(input, current.as_ref(), &taken, &keys)
            .map_err(AppError::Invalid)?;
        t.version = store::save(&mut tx, org, &t, admin.actor.id).await?;
        let mut e = on(
            event(Some(admin), ctx, action, Outcome::Success),
            "case_type",
            None,
        );
        e.entity_id = Some(t.code.clone());
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(t)
    }
}
