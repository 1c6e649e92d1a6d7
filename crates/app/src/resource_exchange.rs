//! The directory's exchange in Open Referral HSDS 3.0 (`karuna_domain::resource_hsds`): an
//! export of everything the organisation's directory holds, and an import that checks every
//! record first (all or nothing: one error per record and field), then adds what is new and
//! overwrites what it already holds, matched by id — so export → import round-trips, and a
//! file imported twice (the national seed set) changes nothing the second time. An HSDS id
//! another organisation already uses is given this organisation's own id, derived from it.

use crate::resource::{area_known, location_area_known};
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::audit::Outcome;
use karuna_domain::error::FieldError;
use karuna_domain::resource::{self as domain, OrganizationInput};
use karuna_domain::resource_hsds::{Directory, LocationEntry, OrgEntry, RecordError, ServiceEntry};
use karuna_store::audit;
use karuna_store::resource::{self as store, ServiceWrite};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The national seed set (public knowledge, to be verified locally), in HSDS JSON.
pub const NATIONAL_SEED: &str = include_str!("../../../data/resources/seed-th.json");

/// The most errors an import reports.
const MAX_ERRORS: usize = 200;

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    /// Organisations added.
    pub providers_added: u64,
    /// Organisations overwritten.
    pub providers_updated: u64,
    /// Locations added.
    pub locations_added: u64,
    /// Locations overwritten.
    pub locations_updated: u64,
    /// Services added.
    pub services_added: u64,
    /// Services overwritten.
    pub services_updated: u64,
}

/// An import's record errors as field errors (`record.field`).
pub fn record_errors(errors: Vec<RecordError>) -> AppError {
    AppError::Invalid(
        errors
            .into_iter()
            .take(MAX_ERRORS)
            .map(|e| {
                let field = match (e.record.is_empty(), e.field.is_empty()) {
                    (true, true) => "file".to_string(),
                    (true, false) => e.field,
                    (false, true) => e.record,
                    (false, false) => format!("{}.{}", e.record, e.field),
                };
                FieldError::new(field, e.code)
            })
            .collect(),
    )
}

impl App {
    /// Everything the organisation's directory holds, for an HSDS export.
    pub async fn export_directory(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Directory, AppError> {
        let providers = self.resource_providers(user, ctx).await?;
        let org = user.actor.org_id;
        let mut locations = store::all_locations(&self.db, org).await?;
        let mut services = store::all_services(&self.db, org).await?;
        let mut out = Directory::default();
        for p in providers {
            let mine_l: Vec<_> = locations
                .extract_if(.., |l| l.provider_id == p.id)
                .collect();
            let mine_s: Vec<_> = services.extract_if(.., |s| s.provider_id == p.id).collect();
            out.organizations.push(OrgEntry {
                id: p.id.to_string(),
                org: p.fields,
                locations: mine_l
                    .into_iter()
                    .map(|l| LocationEntry {
                        id: l.id.to_string(),
                        location: l.fields,
                    })
                    .collect(),
                services: mine_s
                    .iter()
                    .map(|s| ServiceEntry {
                        id: s.id.to_string(),
                        service: crate::resource::input_of(s),
                    })
                    .collect(),
            });
        }
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "resource.export", Outcome::Success),
                "resource_org",
                None,
            ),
        )
        .await?;
        Ok(out)
    }

    /// Imports a directory (see the module documentation).
    pub async fn import_directory(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        dir: &Directory,
    ) -> Result<ImportReport, AppError> {
        self.authorize_edit(user, ctx, "resource.import", ("resource_org", None))
            .await?;
        let report = self
            .import_into(user.actor.org_id, Some(user.actor.id), dir)
            .await?;
        let mut e = on(
            event(Some(user), ctx, "resource.import", Outcome::Success),
            "resource_org",
            None,
        );
        e.reason = Some(format!(
            "providers +{} ~{}, locations +{} ~{}, services +{} ~{}",
            report.providers_added,
            report.providers_updated,
            report.locations_added,
            report.locations_updated,
            report.services_added,
            report.services_updated
        ));
        audit::append_alone(&self.db, &e).await?;
        Ok(report)
    }

    /// Seeds an organisation's empty directory with the national seed set (the demo).
    pub async fn seed_national_directory(&self, org: Uuid) -> Result<(), AppError> {
        if store::count(&self.db, org).await? > 0 {
            return Ok(());
        }
        let dir =
            karuna_domain::resource_hsds::from_hsds_json(NATIONAL_SEED).map_err(record_errors)?;
        self.import_into(org, None, &dir).await?;
        Ok(())
    }

    /// Checks and writes a directory into `org`'s (see the module documentation).
    async fn import_into(
        &self,
        org: Uuid,
        actor: Option<Uuid>,
        dir: &Directory,
    ) -> Result<ImportReport, AppError> {
        // Check every record first.
        let mut errors: Vec<FieldError> = Vec::new();
        let mut push = |record: &str, es: Vec<FieldError>| {
            for e in es {
                errors.push(FieldError {
                    field: format!("{record}.{}", e.field),
                    ..e
                });
            }
        };
        struct Checked {
            org: OrganizationInput,
            locations: Vec<(String, karuna_domain::resource::LocationInput)>,
            services: Vec<(String, domain::ValidService)>,
        }
        let mut checked = Vec::new();
        for (i, o) in dir.organizations.iter().enumerate() {
            let rec = format!("organizations[{i}]");
            let org_fields = domain::validate_organization(&o.org)
                .map_err(|e| push(&rec, e))
                .ok();
            let mut locations = Vec::new();
            for (j, l) in o.locations.iter().enumerate() {
                match domain::validate_location(&l.location, location_area_known) {
                    Ok(v) => locations.push((l.id.clone(), v)),
                    Err(e) => push(&format!("{rec}.locations[{j}]"), e),
                }
            }
            let mut services = Vec::new();
            for (k, s) in o.services.iter().enumerate() {
                let r = format!("{rec}.services[{k}]");
                match domain::validate_service(&s.service, area_known) {
                    Ok(v) => {
                        let known = v
                            .location_id
                            .as_ref()
                            .is_none_or(|l| o.locations.iter().any(|x| &x.id == l));
                        if known {
                            services.push((s.id.clone(), v));
                        } else {
                            push(
                                &r,
                                vec![FieldError::new("location_id", "resource.location_unknown")],
                            );
                        }
                    }
                    Err(e) => push(&r, e),
                }
            }
            if let Some(org_fields) = org_fields {
                checked.push(Checked {
                    org: org_fields,
                    locations,
                    services,
                });
            }
        }
        if !errors.is_empty() {
            errors.truncate(MAX_ERRORS);
            return Err(AppError::Invalid(errors));
        }
        // Each HSDS id becomes this organisation's id: the same when it holds it or nobody
        // does; else one derived from the organisation and the HSDS id.
        let mine = store::ids(&self.db, org).await?;
        let mut seen = HashSet::new();
        let mut stored = |hsds: &str| -> (Uuid, bool) {
            let direct = Uuid::parse_str(hsds).ok();
            let id = match direct {
                Some(d) if mine.contains(&d.to_string()) => return (d, true),
                Some(d) if !seen.contains(&d) => d,
                _ => Uuid::parse_str(&karuna_domain::resource_hsds::stable_id(&format!(
                    "{org}:{hsds}"
                )))
                .unwrap_or_else(|_| Uuid::now_v7()),
            };
            seen.insert(id);
            (id, mine.contains(&id.to_string()))
        };
        let mut report = ImportReport::default();
        let mut plan = Vec::new();
        for (entry, c) in dir.organizations.iter().zip(&checked) {
            let (pid, p_exists) = stored(&entry.id);
            let locations: Vec<(Uuid, bool, &karuna_domain::resource::LocationInput, &str)> = c
                .locations
                .iter()
                .map(|(hid, l)| {
                    let (id, exists) = stored(hid);
                    (id, exists, l, hid.as_str())
                })
                .collect();
            let by_hsds: HashMap<&str, Uuid> =
                locations.iter().map(|(id, _, _, h)| (*h, *id)).collect();
            let services: Vec<(Uuid, bool, &domain::ValidService, Option<Uuid>)> = c
                .services
                .iter()
                .map(|(hid, s)| {
                    let (id, exists) = stored(hid);
                    let loc = s
                        .location_id
                        .as_deref()
                        .and_then(|l| by_hsds.get(l).copied());
                    (id, exists, s, loc)
                })
                .collect();
            plan.push((pid, p_exists, &c.org, locations, services));
        }
        let mut tx = self.db.begin().await?;
        for (pid, p_exists, org_fields, locations, services) in &plan {
            if *p_exists {
                store::replace_provider(&mut tx, *pid, org_fields, actor).await?;
                report.providers_updated += 1;
            } else {
                store::insert_provider(&mut tx, org, *pid, org_fields, actor).await?;
                report.providers_added += 1;
            }
            for (id, exists, l, _) in locations {
                if *exists {
                    store::replace_location(&mut tx, *id, l).await?;
                    report.locations_updated += 1;
                } else {
                    store::insert_location(&mut tx, org, *pid, *id, l).await?;
                    report.locations_added += 1;
                }
            }
            for (id, exists, s, loc) in services {
                let body = crate::resource::search_body(s, org_fields);
                let w = ServiceWrite {
                    s,
                    location_id: *loc,
                    search_body: &body,
                };
                if let (true, Some(actor)) = (*exists, actor) {
                    store::replace_service(&mut tx, *id, &w, actor).await?;
                    report.services_updated += 1;
                } else if *exists {
                    return Err(AppError::Internal(
                        "an import over entries needs an actor".into(),
                    ));
                } else {
                    store::insert_service(&mut tx, org, *pid, *id, &w, actor).await?;
                    report.services_added += 1;
                }
            }
        }
        tx.commit().await?;
        Ok(report)
    }

    /// Imports the national seed set shipped with Karuna.
    pub async fn import_national_seed(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<ImportReport, AppError> {
        let dir =
            karuna_domain::resource_hsds::from_hsds_json(NATIONAL_SEED).map_err(record_errors)?;
        self.import_directory(user, ctx, &dir).await
    }
}
