//! The case team and the other persons of a case: colleagues joining and leaving, family
//! members and alleged perpetrators added, and the staff who can be chosen.

use crate::case::CaseAccess;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::Utc;
use karuna_domain::access::Action;
use karuna_domain::audit::Outcome;
use karuna_domain::person::{validate_person, PersonInput, RELATIONSHIPS};
use karuna_domain::FieldError;
use karuna_store::account as accounts;
use karuna_store::audit;
use karuna_store::case as store;
use karuna_thai::calendar::{bangkok_date, Era};
use uuid::Uuid;

/// The most colleagues a staff picker lists; a name search narrows a longer list.
pub const STAFF_PICKER_LIMIT: i64 = 200;

impl App {
    /// Adds a colleague of the organisation to the case team.
    pub async fn add_team_member(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        account_id: Uuid,
        role_in_case: &str,
    ) -> Result<(), AppError> {
        let (case, _) = self
            .case_for(user, ctx, id, CaseAccess::Manage, "case.team")
            .await?;
        let member = accounts::account_by_id(&self.db, account_id).await?;
        let ok = member.as_ref().is_some_and(|a| {
            a.org_id == case.org_id
                && a.active
                && matches!(
                    a.role.as_str(),
                    "case_manager" | "team_member" | "supervisor"
                )
        });
        if !ok {
            return Err(FieldError::new("account_id", "case.member_invalid").into());
        }
        let role_in_case = role_in_case.trim();
        if role_in_case.chars().count() > 100 {
            return Err(FieldError::new("role_in_case", "too_long").into());
        }
        let role_in_case = if role_in_case.is_empty() {
            member
                .and_then(|m| m.profession)
                .unwrap_or_else(|| "member".into())
        } else {
            role_in_case.to_string()
        };
        let mut tx = self.db.begin().await?;
        store::add_member(&mut tx, id, account_id, &role_in_case, user.actor.id).await?;
        store::touch(&mut tx, id).await?;
        let mut e = on(
            event(Some(user), ctx, "case.team.add", Outcome::Success),
            "case",
            Some(id),
        );
        e.reason = Some(account_id.to_string());
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Takes a colleague off the team.
    pub async fn remove_team_member(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        account_id: Uuid,
    ) -> Result<(), AppError> {
        self.case_for(user, ctx, id, CaseAccess::Manage, "case.team")
            .await?;
        let mut tx = self.db.begin().await?;
        if !store::remove_member(&mut tx, id, account_id).await? {
            return Err(AppError::NotFound);
        }
        store::touch(&mut tx, id).await?;
        let mut e = on(
            event(Some(user), ctx, "case.team.remove", Outcome::Success),
            "case",
            Some(id),
        );
        e.reason = Some(account_id.to_string());
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds another person (family member, alleged perpetrator …) to the case.
    pub async fn add_case_person(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: &PersonInput,
        relationship: &str,
    ) -> Result<Uuid, AppError> {
        let (case, _) = self
            .case_for(user, ctx, id, CaseAccess::Edit, "case.person.add")
            .await?;
        let era = Era::from_code(&user.era).unwrap_or_default();
        let mut errors = Vec::new();
        if relationship == "client" || !RELATIONSHIPS.contains(&relationship) {
            errors.push(FieldError::new(
                "relationship",
                "person.relationship_unknown",
            ));
        }
        let person = match validate_person(input, era, bangkok_date(Utc::now())) {
            Ok(p) => Some(p),
            Err(mut e) => {
                errors.append(&mut e);
                None
            }
        };
        let (Some(person), true) = (person, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let mut tx = self.db.begin().await?;
        let pid =
            karuna_store::person::insert_person(&mut tx, case.org_id, &person, Some(user.actor.id))
                .await?;
        store::add_person(&mut tx, id, pid, relationship).await?;
        store::touch(&mut tx, id).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "person.create", Outcome::Success),
                "person",
                Some(pid),
            ),
        )
        .await?;
        let mut e = on(
            event(Some(user), ctx, "case.person.add", Outcome::Success),
            "case",
            Some(id),
        );
        e.reason = Some(relationship.to_string());
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(pid)
    }

    /// Colleagues who can join or take over a case of `unit`, for pickers: those of the unit,
    /// or, with a `name`, those of the whole organisation whose name contains it; at most
    /// [`STAFF_PICKER_LIMIT`], read in one statement whatever the organisation's size.
    pub async fn case_staff(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        unit: Uuid,
        name: Option<&str>,
    ) -> Result<Vec<accounts::StaffRow>, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ListCases,
            "account.list",
            ("account", None),
        )
        .await?;
        Ok(
            accounts::staff_for_picker(&self.db, user.actor.org_id, unit, name, STAFF_PICKER_LIMIT)
                .await?,
        )
    }

    /// The display names of colleagues named on a record (e.g. a contact's participants who
    /// have left the case team), in one statement.
    pub async fn staff_names(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        ids: &[Uuid],
    ) -> Result<Vec<(Uuid, String)>, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ListCases,
            "account.list",
            ("account", None),
        )
        .await?;
        Ok(accounts::display_names(&self.db, user.actor.org_id, ids).await?)
    }
}
