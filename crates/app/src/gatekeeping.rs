//! Programmes of scarce resources and their eligibility criteria: administrators define a
//! programme (unit, capacity, documents, who may decide how much), write criteria as CEL rules,
//! try them on sample facts (never on a real client: administrators do not read case
//! content), and publish a version; requests are checked against the published version.

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{Datelike, Duration};
use karuna_domain::access::{Action, Role};
use karuna_domain::audit::Outcome;
use karuna_domain::error::FieldError;
use karuna_domain::gatekeeping::criteria::{
    self, Check, Criterion, CriterionInput, FactValue, Facts,
};
use karuna_domain::gatekeeping::{self as domain, ProgrammeInput, Unit};
use karuna_store::budget::BudgetRow;
use karuna_store::case::CaseRow;
use karuna_store::gatekeeping::{
    self as store, AuthorityRow, CriteriaRow, ProgrammeRow, ProgrammeWrite,
};
use karuna_store::{audit, Tx};
use karuna_thai::calendar::bangkok_date;
use uuid::Uuid;

/// A programme with its authority lines, criteria versions and budgets.
#[derive(Debug, Clone)]
pub struct ProgrammeView {
    /// The programme.
    pub programme: ProgrammeRow,
    /// Who may decide how much.
    pub authorities: Vec<AuthorityRow>,
    /// Criteria versions, newest first.
    pub criteria: Vec<CriteriaRow>,
    /// Budgets, newest year first.
    pub budgets: Vec<BudgetRow>,
}

impl ProgrammeView {
    /// The published criteria (version, criteria), if any.
    pub fn published(&self) -> Option<(i64, Vec<Criterion>)> {
        self.criteria
            .iter()
            .find(|c| c.status == "published")
            .and_then(|c| Some((c.version, serde_json::from_str(&c.criteria).ok()?)))
    }

    /// The draft criteria (version, criteria), if any.
    pub fn draft(&self) -> Option<(i64, Vec<Criterion>)> {
        self.criteria
            .iter()
            .find(|c| c.status == "draft")
            .and_then(|c| Some((c.version, serde_json::from_str(&c.criteria).ok()?)))
    }

    /// The unit of allocation.
    pub fn unit(&self) -> Unit {
        Unit::from_code(&self.programme.unit).unwrap_or(Unit::Baht)
    }
}

async fn audit_write(
    tx: &mut Tx,
    user: &CurrentUser,
    ctx: &Ctx,
    action: &str,
    entity: (&str, Uuid),
) -> Result<(), AppError> {
    audit::append(
        tx,
        &on(
            event(Some(user), ctx, action, Outcome::Success),
            entity.0,
            Some(entity.1),
        ),
    )
    .await?;
    Ok(())
}

impl App {
    /// The organisation's programmes (configuration: any account may read them).
    pub async fn programmes(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Vec<ProgrammeRow>, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ViewConfiguration,
            "programme.list",
            ("programme", None),
        )
        .await?;
        Ok(store::programmes(&self.db, user.actor.org_id).await?)
    }

    /// One programme with its authorities, criteria and budgets.
    pub async fn programme(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<ProgrammeView, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ViewConfiguration,
            "programme.read",
            ("programme", Some(id)),
        )
        .await?;
        self.programme_view(user.actor.org_id, id).await
    }

    pub(crate) async fn programme_view(
        &self,
        org: Uuid,
        id: Uuid,
    ) -> Result<ProgrammeView, AppError> {
        let programme = store::programme(&self.db, org, id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok(ProgrammeView {
            authorities: store::authorities(&self.db, id).await?,
            criteria: store::criteria_versions(&self.db, id).await?,
            budgets: karuna_store::budget::budgets(&self.db, id).await?,
            programme,
        })
    }

    /// Resolves the authority lines' usernames to the organisation's active accounts.
    async fn authority_lines(
        &self,
        org: Uuid,
        v: &domain::ValidProgramme,
    ) -> Result<Vec<(Option<String>, Option<Uuid>, Option<i64>)>, AppError> {
        let mut errors = Vec::new();
        let mut lines = Vec::new();
        for (i, a) in v.authorities.iter().enumerate() {
            let account = match &a.username {
                Some(name) => {
                    match karuna_store::account::account_by_username(&self.db, &name.to_lowercase())
                        .await?
                    {
                        Some(acc)
                            if acc.org_id == org
                                && acc.active
                                && matches!(acc.role.as_str(), "case_manager" | "supervisor") =>
                        {
                            Some(acc.id)
                        }
                        _ => {
                            errors.push(FieldError::new(
                                format!("authorities[{i}].username"),
                                "gatekeeping.person_unknown",
                            ));
                            None
                        }
                    }
                }
                None => None,
            };
            lines.push((a.role.clone(), account, a.limit));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        Ok(lines)
    }

    /// Defines a programme (administrators); returns its id.
    pub async fn create_programme(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        input: &ProgrammeInput,
    ) -> Result<Uuid, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ManageConfiguration,
            "programme.create",
            ("programme", None),
        )
        .await?;
        let v = domain::validate_programme(input)?;
        let lines = self.authority_lines(user.actor.org_id, &v).await?;
        let id = Uuid::now_v7();
        let mut tx = self.db.begin().await?;
        store::insert_programme(&mut tx, id, user.actor.org_id, &write_of(&v), user.actor.id)
            .await?;
        let refs: Vec<_> = lines
            .iter()
            .map(|(r, a, l)| (r.as_deref(), *a, *l))
            .collect();
        store::replace_authorities(&mut tx, id, &refs).await?;
        audit_write(&mut tx, user, ctx, "programme.create", ("programme", id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a programme (administrators); its unit stays once it has requests. Returns
    /// the new version.
    pub async fn update_programme(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: &ProgrammeInput,
    ) -> Result<i64, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ManageConfiguration,
            "programme.update",
            ("programme", Some(id)),
        )
        .await?;
        let current = store::programme(&self.db, user.actor.org_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let v = domain::validate_programme(input)?;
        let version = input
            .version
            .ok_or_else(|| AppError::Invalid(vec![FieldError::new("version", "required")]))?;
        if v.unit.code() != current.unit
            && !store::requests_in(
                &self.db,
                user.actor.org_id,
                &[id],
                &domain::RequestStatus::ALL.map(domain::RequestStatus::code),
            )
            .await?
            .is_empty()
        {
            return Err(AppError::Invalid(vec![FieldError::new(
                "unit",
                "gatekeeping.unit_in_use",
            )]));
        }
        let lines = self.authority_lines(user.actor.org_id, &v).await?;
        let mut tx = self.db.begin().await?;
        let new_version = store::update_programme(&mut tx, id, version, &write_of(&v)).await?;
        let refs: Vec<_> = lines
            .iter()
            .map(|(r, a, l)| (r.as_deref(), *a, *l))
            .collect();
        store::replace_authorities(&mut tx, id, &refs).await?;
        karuna_store::revision::record(
            &mut tx,
            "programme",
            id,
            new_version,
            &serde_json::json!({
                "name_th": v.name_th, "name_en": v.name_en, "unit": v.unit.code(),
                "capacity": v.capacity, "documents": v.documents, "status": v.status,
                "authorities": lines.iter().map(|(r, a, l)| serde_json::json!({
                    "role": r, "account_id": a, "limit": l })).collect::<Vec<_>>(),
            }),
            Some(user.actor.id),
            None,
        )
        .await?;
        audit_write(&mut tx, user, ctx, "programme.update", ("programme", id)).await?;
        tx.commit().await?;
        Ok(new_version)
    }

    /// Saves the draft of a programme's criteria (every rule checked); returns its version.
    pub async fn save_criteria(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: &[CriterionInput],
    ) -> Result<i64, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ManageConfiguration,
            "programme.criteria",
            ("programme", Some(id)),
        )
        .await?;
        store::programme(&self.db, user.actor.org_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let c = criteria::validate(input)?;
        let json = serde_json::to_string(&c).map_err(|e| AppError::Internal(e.to_string()))?;
        let mut tx = self.db.begin().await?;
        let version = store::save_criteria_draft(&mut tx, id, &json, user.actor.id).await?;
        audit_write(&mut tx, user, ctx, "programme.criteria", ("programme", id)).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Publishes the draft criteria: requests from now on are checked against them.
    pub async fn publish_criteria(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<i64, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ManageConfiguration,
            "programme.publish",
            ("programme", Some(id)),
        )
        .await?;
        store::programme(&self.db, user.actor.org_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let mut tx = self.db.begin().await?;
        let version = store::publish_criteria(&mut tx, id, user.actor.id)
            .await?
            .ok_or(AppError::Refused("criteria_no_draft"))?;
        audit_write(&mut tx, user, ctx, "programme.publish", ("programme", id)).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Tries criteria on sample facts: the draft (or, without one, the published version), or
    /// the rules given. Nothing is stored.
    pub async fn test_criteria(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        rules: Option<&[CriterionInput]>,
        facts: &Facts,
    ) -> Result<Check, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ManageConfiguration,
            "programme.test",
            ("programme", Some(id)),
        )
        .await?;
        let view = self.programme_view(user.actor.org_id, id).await?;
        let list = match rules {
            Some(r) => criteria::validate(r)?,
            None => view
                .draft()
                .or_else(|| view.published())
                .map(|(_, c)| c)
                .unwrap_or_default(),
        };
        let mut errors = Vec::new();
        for name in facts.keys() {
            if criteria::fact_named(name).is_none() {
                errors.push(
                    FieldError::new(format!("facts.{name}"), "criteria.unknown_fact")
                        .arg("name", name),
                );
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        Ok(criteria::evaluate(&list, facts))
    }

    /// The facts of a case the criteria may use, for a request of `amount` (minor units of
    /// `unit`) in `programme`: the case's own (`App::rule_facts`) and the request's. A fact
    /// the case does not hold is left out (the check says "unknown").
    pub(crate) async fn eligibility_facts(
        &self,
        case: &CaseRow,
        programme: Uuid,
        unit: Unit,
        amount: i64,
    ) -> Result<Facts, AppError> {
        let mut f = self.rule_facts(case).await?;
        let text = |s: &str| FactValue::Text(s.to_string());
        f.insert(
            "amount".into(),
            FactValue::Int((amount + unit.scale() - 1) / unit.scale()),
        );
        let now = karuna_store::time::now();
        let today = bangkok_date(now);
        // Earlier allocations to the client, in any programme, over two years.
        let earlier =
            store::allocations_of_client(&self.db, case.client_id, now - Duration::days(731))
                .await?;
        let months_ago = |at: chrono::DateTime<chrono::Utc>| {
            let d = bangkok_date(at);
            i64::from((today.year() - d.year()) * 12 + today.month() as i32 - d.month() as i32)
        };
        let in_12m = earlier
            .iter()
            .filter(|(p, _, at, _, _)| *p == programme && months_ago(*at) < 12)
            .count();
        f.insert("allocations_12m".into(), FactValue::Int(in_12m as i64));
        f.insert(
            "earlier_allocations".into(),
            FactValue::List(
                earlier
                    .iter()
                    .map(|(p, name, at, amount, unit)| {
                        let scale = Unit::from_code(unit).unwrap_or(Unit::Baht).scale();
                        FactValue::Map(
                            [
                                ("programme".to_string(), text(name)),
                                (
                                    "same_programme".to_string(),
                                    FactValue::Bool(*p == programme),
                                ),
                                ("months_ago".to_string(), FactValue::Int(months_ago(*at))),
                                ("amount".to_string(), FactValue::Int(amount / scale)),
                            ]
                            .into(),
                        )
                    })
                    .collect(),
            ),
        );
        Ok(f)
    }

    /// The widest authority `user` holds on a programme (`None`: none; `Some(None)`: no
    /// limit).
    pub(crate) async fn authority_of(
        &self,
        user: &CurrentUser,
        programme: Uuid,
    ) -> Result<Option<Option<i64>>, AppError> {
        if !matches!(user.role(), Role::CaseManager | Role::Supervisor) {
            return Ok(None);
        }
        let limits: Vec<Option<i64>> = store::authorities_of(
            &self.db,
            user.actor.org_id,
            user.actor.id,
            user.role().code(),
        )
        .await?
        .into_iter()
        .filter(|(p, _)| *p == programme)
        .map(|(_, l)| l)
        .collect();
        Ok(domain::widest(&limits))
    }
}

fn write_of(v: &domain::ValidProgramme) -> ProgrammeWrite<'_> {
    ProgrammeWrite {
        name_th: &v.name_th,
        name_en: v.name_en.as_deref(),
        description: v.description.as_deref(),
        unit: v.unit.code(),
        capacity: v.capacity,
        documents: &v.documents,
        status: &v.status,
    }
}
