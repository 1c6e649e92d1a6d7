//! The resource directory's use cases: anyone signed in searches and reads it (organisations
//! and their services are no one's personal data, so reads are not audited); administrators
//! and designated resource editors add and change entries — each change checked, versioned in
//! `revision` and audited. An entry not verified for `Settings::resource_stale_days` is stale.

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::Utc;
use karuna_domain::access::Action;
use karuna_domain::audit::Outcome;
use karuna_domain::error::FieldError;
use karuna_domain::resource::{
    self as domain, LocationInput, OrganizationInput, ServiceInput, ValidService,
};
use karuna_store::resource::{
    self as store, DirectoryQuery, LocationRow, ProviderRow, ServiceRow, ServiceWrite,
};
use karuna_store::{audit, revision, search::text};
use karuna_thai::address;
use karuna_thai::calendar::bangkok_date;
use uuid::Uuid;

/// Services per page of the directory.
pub const PAGE_SIZE: i64 = 25;

/// A directory search as typed (a form, the API's query string).
#[derive(Debug, Clone, Default)]
pub struct DirectorySearch {
    /// Words, in Thai or English.
    pub q: String,
    /// A category code.
    pub category: String,
    /// A province code.
    pub province: String,
    /// A district code.
    pub district: String,
    /// Include services no longer offered.
    pub include_defunct: bool,
    /// Only entries due for verification.
    pub stale_only: bool,
    /// Page, from 1.
    pub page: i64,
}

/// A page of the directory.
#[derive(Debug, Clone)]
pub struct DirectoryPage {
    /// The services on this page, each with whether it is stale.
    pub items: Vec<(ServiceRow, bool)>,
    /// How many match.
    pub total: i64,
    /// This page, from 1.
    pub page: i64,
}

/// A provider with its locations and services.
#[derive(Debug, Clone)]
pub struct ProviderView {
    /// The provider.
    pub provider: ProviderRow,
    /// Its locations.
    pub locations: Vec<LocationRow>,
    /// Its services.
    pub services: Vec<ServiceRow>,
}

/// One service with its provider and location.
#[derive(Debug, Clone)]
pub struct ServiceView {
    /// The service.
    pub service: ServiceRow,
    /// Its location, if any.
    pub location: Option<LocationRow>,
    /// Not verified for the configured period.
    pub stale: bool,
    /// Its revisions, newest first.
    pub history: Vec<karuna_store::revision::RevisionRow>,
}

/// Whether a 2-digit province or 4-digit district code is real.
pub fn area_known(code: &str) -> bool {
    match code.len() {
        2 => address::province(code).is_some(),
        4 => address::district(code).is_some(),
        _ => false,
    }
}

/// Whether a province code (and a district code of that province) are real.
pub(crate) fn location_area_known(province: &str, district: Option<&str>) -> bool {
    match district {
        None => area_known(province),
        Some(d) => area_known(d) && d.starts_with(province),
    }
}

/// The words a service is found by: its names, its provider's and its descriptions.
pub(crate) fn search_body(s: &ValidService, provider: &OrganizationInput) -> String {
    let text = [
        s.name.as_str(),
        provider.name.as_str(),
        provider.alternate_name.as_str(),
        s.description.as_str(),
        s.eligibility_description.as_str(),
    ]
    .join(" ");
    text::body(&text, &[])
}

impl App {
    /// Whether `user` may change the directory.
    pub async fn can_edit_resources(&self, user: &CurrentUser) -> Result<bool, AppError> {
        let designated = store::is_resource_editor(&self.db, user.actor.id).await?;
        Ok(
            karuna_domain::access::decide(&user.actor, Action::EditResources { designated })
                .is_allowed(),
        )
    }

    /// Refuses (audited) unless `user` may change the directory.
    pub async fn authorize_edit(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        audit_action: &str,
        entity: (&str, Option<Uuid>),
    ) -> Result<(), AppError> {
        let designated = store::is_resource_editor(&self.db, user.actor.id).await?;
        self.authorize(
            user,
            ctx,
            Action::EditResources { designated },
            audit_action,
            entity,
        )
        .await
    }

    fn stale_days(&self) -> i64 {
        self.settings.resource_stale_days.clamp(1, 3650)
    }

    /// Searches the directory.
    pub async fn directory(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        s: &DirectorySearch,
    ) -> Result<DirectoryPage, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ViewResources,
            "resource.search",
            ("resource_service", None),
        )
        .await?;
        let mut errors = Vec::new();
        let category = match s.category.trim() {
            "" => None,
            c => match domain::Category::from_code(c) {
                Some(c) => Some(c.code().to_string()),
                None => {
                    errors.push(FieldError::new("category", "resource.category_unknown"));
                    None
                }
            },
        };
        let province = Some(s.province.trim().to_string()).filter(|p| !p.is_empty());
        let district = Some(s.district.trim().to_string()).filter(|d| !d.is_empty());
        if let Some(p) = &province {
            if p.len() != 2 || !area_known(p) {
                errors.push(FieldError::new("province", "resource.area_unknown"));
            }
        }
        if let Some(d) = &district {
            let fits = province.as_deref().is_none_or(|p| d.starts_with(p));
            if d.len() != 4 || !area_known(d) || !fits {
                errors.push(FieldError::new("district", "resource.area_unknown"));
            }
        }
        if s.q.chars().count() > 200 {
            errors.push(FieldError::new("q", "too_long").arg("max", 200));
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let today = bangkok_date(Utc::now());
        let q = DirectoryQuery {
            tokens: text::tokens(&s.q).into_iter().take(10).collect(),
            category,
            province,
            district,
            include_defunct: s.include_defunct,
            stale_before: s
                .stale_only
                .then(|| today - chrono::Duration::days(self.stale_days())),
        };
        let page = s.page.clamp(1, 10_000);
        let (rows, total) = store::search(
            &self.db,
            user.actor.org_id,
            &q,
            PAGE_SIZE,
            (page - 1) * PAGE_SIZE,
        )
        .await?;
        let days = self.stale_days();
        let items = rows
            .into_iter()
            .map(|r| {
                let stale = domain::is_stale(r.last_verified_on, today, days);
                (r, stale)
            })
            .collect();
        Ok(DirectoryPage { items, total, page })
    }

    /// One service of the directory.
    pub async fn resource_service(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<ServiceView, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ViewResources,
            "resource.read",
            ("resource_service", Some(id)),
        )
        .await?;
        let service = store::service(&self.db, user.actor.org_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let location = match service.location_id {
            Some(l) => store::location(&self.db, user.actor.org_id, l).await?,
            None => None,
        };
        let stale = domain::is_stale(
            service.last_verified_on,
            bangkok_date(Utc::now()),
            self.stale_days(),
        );
        let history = revision::history(&self.db, "resource_service", id).await?;
        Ok(ServiceView {
            service,
            location,
            stale,
            history,
        })
    }

    /// One provider with its locations and services.
    pub async fn resource_provider(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<ProviderView, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ViewResources,
            "resource.read",
            ("resource_org", Some(id)),
        )
        .await?;
        let provider = store::provider(&self.db, user.actor.org_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let locations = store::locations(&self.db, user.actor.org_id, id).await?;
        let services = store::services_of(&self.db, user.actor.org_id, id).await?;
        Ok(ProviderView {
            provider,
            locations,
            services,
        })
    }

    /// The organisation's providers (for the service form's picker).
    pub async fn resource_providers(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Vec<ProviderRow>, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ViewResources,
            "resource.search",
            ("resource_org", None),
        )
        .await?;
        Ok(store::providers(&self.db, user.actor.org_id, 5000).await?)
    }

    /// Adds a provider; returns its id.
    pub async fn create_provider(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        input: &OrganizationInput,
    ) -> Result<Uuid, AppError> {
        self.authorize_edit(user, ctx, "resource.create", ("resource_org", None))
            .await?;
        let f = domain::validate_organization(input)?;
        let id = Uuid::now_v7();
        let mut tx = self.db.begin().await?;
        store::insert_provider(&mut tx, user.actor.org_id, id, &f, Some(user.actor.id)).await?;
        record_change(
            &mut tx,
            user,
            ctx,
            "resource.create",
            ("resource_org", id, 1),
            &provider_snapshot(&f),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a provider at `version`; its services' search words follow its names.
    pub async fn update_provider(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        version: i64,
        input: &OrganizationInput,
    ) -> Result<i64, AppError> {
        self.authorize_edit(user, ctx, "resource.update", ("resource_org", Some(id)))
            .await?;
        store::provider(&self.db, user.actor.org_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let f = domain::validate_organization(input)?;
        let services = store::services_of(&self.db, user.actor.org_id, id).await?;
        let mut tx = self.db.begin().await?;
        let v = store::update_provider(&mut tx, id, version, &f, user.actor.id).await?;
        for s in &services {
            let valid = valid_of(s);
            let body = search_body(&valid, &f);
            store::update_service(
                &mut tx,
                s.id,
                s.version,
                &ServiceWrite {
                    s: &valid,
                    location_id: s.location_id,
                    search_body: &body,
                },
                user.actor.id,
            )
            .await?;
        }
        record_change(
            &mut tx,
            user,
            ctx,
            "resource.update",
            ("resource_org", id, v),
            &provider_snapshot(&f),
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Adds a location to a provider; returns its id.
    pub async fn create_location(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        provider_id: Uuid,
        input: &LocationInput,
    ) -> Result<Uuid, AppError> {
        self.authorize_edit(user, ctx, "resource.create", ("resource_location", None))
            .await?;
        store::provider(&self.db, user.actor.org_id, provider_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let f = domain::validate_location(input, location_area_known)?;
        let id = Uuid::now_v7();
        let mut tx = self.db.begin().await?;
        store::insert_location(&mut tx, user.actor.org_id, provider_id, id, &f).await?;
        record_change(
            &mut tx,
            user,
            ctx,
            "resource.create",
            ("resource_location", id, 1),
            &serde_json::to_value(&f).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a location at `version`.
    pub async fn update_location(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        version: i64,
        input: &LocationInput,
    ) -> Result<i64, AppError> {
        self.authorize_edit(
            user,
            ctx,
            "resource.update",
            ("resource_location", Some(id)),
        )
        .await?;
        store::location(&self.db, user.actor.org_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let f = domain::validate_location(input, location_area_known)?;
        let mut tx = self.db.begin().await?;
        let v = store::update_location(&mut tx, id, version, &f).await?;
        record_change(
            &mut tx,
            user,
            ctx,
            "resource.update",
            ("resource_location", id, v),
            &serde_json::to_value(&f).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Checks a service's fields and its location (one of the provider's).
    async fn checked_service(
        &self,
        user: &CurrentUser,
        provider_id: Uuid,
        input: &ServiceInput,
    ) -> Result<(ValidService, Option<Uuid>), AppError> {
        let valid = domain::validate_service(input, area_known);
        let location = match input.location_id.trim() {
            "" => Ok(None),
            l => match Uuid::parse_str(l) {
                Ok(l) => match store::location(&self.db, user.actor.org_id, l).await? {
                    Some(row) if row.provider_id == provider_id => Ok(Some(l)),
                    _ => Err(FieldError::new("location_id", "resource.location_unknown")),
                },
                Err(_) => Err(FieldError::new("location_id", "resource.location_unknown")),
            },
        };
        match (valid, location) {
            (Ok(v), Ok(l)) => Ok((v, l)),
            (Err(mut e), Err(l)) => {
                e.push(l);
                Err(AppError::Invalid(e))
            }
            (Err(e), Ok(_)) => Err(AppError::Invalid(e)),
            (Ok(_), Err(l)) => Err(AppError::Invalid(vec![l])),
        }
    }

    /// Adds a service to a provider; returns its id.
    pub async fn create_service(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        provider_id: Uuid,
        input: &ServiceInput,
    ) -> Result<Uuid, AppError> {
        self.authorize_edit(user, ctx, "resource.create", ("resource_service", None))
            .await?;
        let provider = store::provider(&self.db, user.actor.org_id, provider_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (valid, location_id) = self.checked_service(user, provider_id, input).await?;
        let body = search_body(&valid, &provider.fields);
        let id = Uuid::now_v7();
        let mut tx = self.db.begin().await?;
        store::insert_service(
            &mut tx,
            user.actor.org_id,
            provider_id,
            id,
            &ServiceWrite {
                s: &valid,
                location_id,
                search_body: &body,
            },
            Some(user.actor.id),
        )
        .await?;
        record_change(
            &mut tx,
            user,
            ctx,
            "resource.create",
            ("resource_service", id, 1),
            &service_snapshot(&valid, location_id),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a service at `version`.
    pub async fn update_service(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        version: i64,
        input: &ServiceInput,
    ) -> Result<i64, AppError> {
        self.authorize_edit(user, ctx, "resource.update", ("resource_service", Some(id)))
            .await?;
        let current = store::service(&self.db, user.actor.org_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let provider = store::provider(&self.db, user.actor.org_id, current.provider_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let (valid, location_id) = self
            .checked_service(user, current.provider_id, input)
            .await?;
        let body = search_body(&valid, &provider.fields);
        let mut tx = self.db.begin().await?;
        let v = store::update_service(
            &mut tx,
            id,
            version,
            &ServiceWrite {
                s: &valid,
                location_id,
                search_body: &body,
            },
            user.actor.id,
        )
        .await?;
        record_change(
            &mut tx,
            user,
            ctx,
            "resource.update",
            ("resource_service", id, v),
            &service_snapshot(&valid, location_id),
        )
        .await?;
        tx.commit().await?;
        // A service that closes: every open referral to it is alerted.
        if valid.status.code() != current.status && valid.status != domain::ServiceStatus::Active {
            self.alert_service_closed(id, valid.status.code(), v)
                .await?;
        }
        Ok(v)
    }

    /// Records that someone confirmed a service's entry today (it is no longer stale nor "to be
    /// verified locally").
    pub async fn verify_service(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        version: i64,
    ) -> Result<i64, AppError> {
        let current = store::service(&self.db, user.actor.org_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        let input = ServiceInput {
            last_verified_on: bangkok_date(Utc::now()).format("%Y-%m-%d").to_string(),
            verify_locally: false,
            ..input_of(&current)
        };
        self.update_service(user, ctx, id, version, &input).await
    }
}

/// Records a change of a directory entry in the transaction: its revision (`entity`: type, id,
/// the version the change made) and the audit event.
async fn record_change(
    tx: &mut karuna_store::Tx,
    user: &CurrentUser,
    ctx: &Ctx,
    action: &str,
    entity: (&str, Uuid, i64),
    snapshot: &serde_json::Value,
) -> Result<(), AppError> {
    let (entity_type, id, version) = entity;
    revision::record(
        tx,
        entity_type,
        id,
        version,
        snapshot,
        Some(user.actor.id),
        None,
    )
    .await?;
    audit::append(
        tx,
        &on(
            event(Some(user), ctx, action, Outcome::Success),
            entity_type,
            Some(id),
        ),
    )
    .await?;
    Ok(())
}

/// A stored service as the form's input (to edit it, or to verify it unchanged).
pub fn input_of(s: &ServiceRow) -> ServiceInput {
    ServiceInput {
        name: s.name.clone(),
        description: s.description.clone(),
        categories: s.categories.clone(),
        status: s.status.clone(),
        eligibility_description: s.eligibility_description.clone(),
        eligibility_rule: s.eligibility_rule.clone(),
        required_documents: s.required_documents.clone(),
        fees: s.fees.clone(),
        languages: s.languages.clone(),
        hours: s.hours.clone(),
        phone: s.phone.clone(),
        email: s.email.clone(),
        url: s.url.clone(),
        capacity: s.capacity,
        vacancy: s.vacancy,
        national: s.national,
        areas: s.areas.clone(),
        location_id: s.location_id.map(|l| l.to_string()).unwrap_or_default(),
        last_verified_on: s
            .last_verified_on
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default(),
        source: s.source.clone(),
        verify_locally: s.verify_locally,
    }
}

/// A stored service as checked fields (its stored values passed the checks when written).
fn valid_of(s: &ServiceRow) -> ValidService {
    ValidService {
        name: s.name.clone(),
        description: s.description.clone(),
        categories: s
            .categories
            .iter()
            .filter_map(|c| domain::Category::from_code(c))
            .collect(),
        status: domain::ServiceStatus::from_code(&s.status)
            .unwrap_or(domain::ServiceStatus::Active),
        eligibility_description: s.eligibility_description.clone(),
        eligibility_rule: s.eligibility_rule.clone(),
        required_documents: s.required_documents.clone(),
        fees: s.fees.clone(),
        languages: s.languages.clone(),
        hours: s.hours.clone(),
        phone: s.phone.clone(),
        email: s.email.clone(),
        url: s.url.clone(),
        capacity: s.capacity,
        vacancy: s.vacancy,
        national: s.national,
        areas: s.areas.clone(),
        location_id: s.location_id.map(|l| l.to_string()),
        last_verified_on: s.last_verified_on,
        source: s.source.clone(),
        verify_locally: s.verify_locally,
    }
}

fn provider_snapshot(f: &OrganizationInput) -> serde_json::Value {
    serde_json::to_value(f).unwrap_or_default()
}

fn service_snapshot(s: &ValidService, location: Option<Uuid>) -> serde_json::Value {
    serde_json::json!({
        "name": s.name, "description": s.description,
        "categories": s.categories.iter().map(|c| c.code()).collect::<Vec<_>>(),
        "status": s.status.code(), "eligibility_description": s.eligibility_description,
        "eligibility_rule": s.eligibility_rule, "required_documents": s.required_documents,
        "fees": s.fees, "languages": s.languages, "hours": s.hours, "phone": s.phone,
        "email": s.email, "url": s.url, "capacity": s.capacity, "vacancy": s.vacancy,
        "national": s.national, "areas": s.areas, "location_id": location,
        "last_verified_on": s.last_verified_on, "source": s.source,
        "verify_locally": s.verify_locally,
    })
}
