//! Resource matching on a case (decision support, `domain::service_match`): the case's needs
//! from its completed assessments, and for one need's category the directory's services
//! ranked by fit with their reasons. The worker records which service she chose (the first,
//! another with a reason, or none with a reason); the list she saw is stored with her choice
//! and audited. Administrators may switch matching off.

use crate::case::CaseAccess;
use crate::rule_facts::domains_in_need;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::access::{self, Action};
use karuna_domain::audit::Outcome;
use karuna_domain::gatekeeping::criteria::FactValue;
use karuna_domain::resource::Category;
use karuna_domain::service_match::{self as domain, Candidate, Client, PastOutcomes, Ranked};
use karuna_domain::FieldError;
use karuna_store::audit;
use karuna_store::case::CaseRow;
use karuna_store::resource::{DirectoryQuery, ServiceRow};
use karuna_store::screening::{self as store, NewSuggestion, SuggestionRow};
use uuid::Uuid;

/// The kind of suggestion this module makes.
pub const KIND: &str = "service_match";

/// How many services of a category are ranked at most.
const CANDIDATES_MAX: i64 = 300;

/// A ranked service with its directory entry.
#[derive(Debug, Clone)]
pub struct Match {
    /// Score and reasons.
    pub ranked: Ranked,
    /// The service.
    pub service: ServiceRow,
}

/// What the matching page shows.
#[derive(Debug, Clone)]
pub struct Matching {
    /// Matching is switched on for the organisation.
    pub enabled: bool,
    /// The viewer may record a choice.
    pub can_decide: bool,
    /// The categories of the case's needs (from completed assessments), in the order found.
    pub needs: Vec<Category>,
    /// The category ranked (the one asked for, else the first need).
    pub category: Option<Category>,
    /// Best first.
    pub matches: Vec<Match>,
    /// Choices recorded on the case, newest first.
    pub choices: Vec<SuggestionRow>,
}

/// A choice as the worker records it.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ChoiceInput {
    /// The need's category code.
    pub category: String,
    /// The service chosen; empty when none fits.
    pub service_id: String,
    /// Why; required unless she chose the first service of the list.
    pub reason: String,
}

/// The stored list: each service with its name, for the record.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct StoredMatch {
    /// Score and reasons.
    #[serde(flatten)]
    pub ranked: Ranked,
    /// The service's name then.
    pub name: String,
    /// Its provider's name then.
    pub provider: String,
}

impl App {
    /// Matching is switched on for `org` (it is until an administrator switches it off).
    async fn matching_enabled(&self, org: Uuid) -> Result<(bool, i64), AppError> {
        self.suggestion_switch(org, KIND).await
    }

    /// The categories of the case's needs (`rule_facts::domains_in_need`), in the order found.
    async fn needs_of(&self, case: &CaseRow) -> Result<Vec<Category>, AppError> {
        let assessments = karuna_store::assessment::for_case(&self.db, case.id).await?;
        let mut out = Vec::new();
        for d in domains_in_need(&assessments).unwrap_or_default() {
            if let Some(c) = domain::category_of_domain(&d).filter(|c| !out.contains(c)) {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Ranks the directory's services of `category` for the case.
    async fn rank_services(
        &self,
        case: &CaseRow,
        category: Category,
    ) -> Result<Vec<Match>, AppError> {
        // The address is among the facts (district, province); the languages are the person's.
        let facts = self.rule_facts(case).await?;
        let text = |name: &str| match facts.get(name) {
            Some(FactValue::Text(t)) => Some(t.clone()),
            _ => None,
        };
        let person =
            karuna_store::person::person_by_id(&self.db, case.org_id, case.client_id).await?;
        let client = Client {
            district: text("district"),
            province: text("province"),
            languages: person
                .as_ref()
                .map(|p| {
                    p.languages
                        .split(',')
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
            facts,
        };
        let query = DirectoryQuery {
            category: Some(category.code().to_string()),
            district: client.district.clone(),
            province: if client.district.is_none() {
                client.province.clone()
            } else {
                None
            },
            ..Default::default()
        };
        let (services, _) =
            karuna_store::resource::search(&self.db, case.org_id, &query, CANDIDATES_MAX, 0)
                .await?;
        let ids: Vec<Uuid> = services.iter().map(|s| s.id).collect();
        let outcomes = store::referral_outcomes(&self.db, case.org_id, &ids).await?;
        let candidates: Vec<Candidate> = services
            .iter()
            .map(|s| {
                let (completed, failed, mut days) =
                    outcomes.get(&s.id).cloned().unwrap_or_default();
                days.sort_unstable();
                Candidate {
                    id: s.id.to_string(),
                    national: s.national,
                    areas: s.areas.clone(),
                    status: s.status.clone(),
                    languages: s.languages.clone(),
                    capacity: s.capacity,
                    vacancy: s.vacancy,
                    eligibility_rule: s.eligibility_rule.clone(),
                    past: PastOutcomes {
                        completed,
                        failed,
                        median_days_to_accept: days.get(days.len() / 2).copied(),
                    },
                }
            })
            .collect();
        Ok(domain::rank(&client, &candidates)
            .into_iter()
            .filter_map(|r| {
                let service = services
                    .iter()
                    .find(|s| s.id.to_string() == r.service_id)?
                    .clone();
                Some(Match { ranked: r, service })
            })
            .collect())
    }

    /// The matching page of a case: its needs, the services of `category` (or of its first
    /// need) ranked, and the choices recorded (whoever may open the case).
    pub async fn match_services(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        category: Option<&str>,
    ) -> Result<Matching, AppError> {
        let (case, facts) = self
            .case_for(user, ctx, case_id, CaseAccess::Open, "match.read")
            .await?;
        let asked = match category.map(str::trim).filter(|c| !c.is_empty()) {
            Some(c) => Some(
                Category::from_code(c)
                    .ok_or_else(|| AppError::field("category", "resource.category_unknown"))?,
            ),
            None => None,
        };
        let (enabled, _) = self.matching_enabled(case.org_id).await?;
        let needs = self.needs_of(&case).await?;
        let category = asked.or_else(|| needs.first().copied());
        let matches = match category {
            Some(c) if enabled => self.rank_services(&case, c).await?,
            _ => Vec::new(),
        };
        let choices = store::for_case(&self.db, case_id, Some(KIND), 50).await?;
        self.audit_read(user, ctx, "match.read", ("case", case_id))
            .await?;
        Ok(Matching {
            enabled,
            can_decide: access::decide(&user.actor, Action::EditCase(&facts)).is_allowed(),
            needs,
            category,
            matches,
            choices,
        })
    }

    /// Records the worker's choice for a need, with the list ranked now; returns the record's
    /// id. Choosing the first service accepts the suggestion; another service changes it and
    /// none rejects it, both with a reason.
    pub async fn record_service_choice(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        input: &ChoiceInput,
    ) -> Result<Uuid, AppError> {
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "match.decide")
            .await?;
        let (enabled, version) = self.matching_enabled(case.org_id).await?;
        if !enabled {
            return Err(AppError::Refused("matching_off"));
        }
        let mut errors = Vec::new();
        let category = Category::from_code(input.category.trim());
        if category.is_none() {
            errors.push(FieldError::new("category", "resource.category_unknown"));
        }
        let chosen = match input.service_id.trim() {
            "" => None,
            s => match Uuid::parse_str(s).ok() {
                Some(id)
                    if karuna_store::resource::service(&self.db, case.org_id, id)
                        .await?
                        .is_some() =>
                {
                    Some(id)
                }
                _ => {
                    errors.push(FieldError::new("service_id", "referral.service_unknown"));
                    None
                }
            },
        };
        let reason = input.reason.trim();
        if reason.chars().count() > karuna_domain::screening::REASON_MAX {
            errors.push(
                FieldError::new("reason", "too_long")
                    .arg("max", karuna_domain::screening::REASON_MAX),
            );
        }
        let (Some(category), true) = (category, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        let matches = self.rank_services(&case, category).await?;
        let top = matches.first().map(|m| m.service.id);
        let decision = match (chosen, top) {
            (Some(c), Some(t)) if c == t => "accepted",
            (Some(_), _) => "changed",
            (None, _) => "rejected",
        };
        if decision != "accepted" && reason.is_empty() {
            return Err(FieldError::new("reason", "screening.reason_required").into());
        }
        let stored: Vec<StoredMatch> = matches
            .iter()
            .map(|m| StoredMatch {
                ranked: m.ranked.clone(),
                name: m.service.name.clone(),
                provider: m.service.provider_name.clone(),
            })
            .collect();
        let reasons =
            serde_json::to_string(&stored).map_err(|_| AppError::Internal("matching".into()))?;
        let top_text = top.map(|t| t.to_string()).unwrap_or_default();
        let chosen_text = chosen.map(|c| c.to_string());
        let mut tx = self.db.begin().await?;
        let id = store::insert(
            &mut tx,
            &NewSuggestion {
                org_id: case.org_id,
                case_id,
                kind: KIND,
                trigger: "manual",
                config_version: version,
                subject: Some(category.code()),
                suggested: &top_text,
                score: matches.first().map(|m| m.ranked.score).unwrap_or_default(),
                reasons: &reasons,
                created_by: Some(user.actor.id),
            },
        )
        .await?;
        store::decide(
            &mut tx,
            id,
            1,
            decision,
            chosen_text.as_deref(),
            Some(reason).filter(|r| !r.is_empty()),
            user.actor.id,
        )
        .await?;
        let mut e = on(
            event(Some(user), ctx, "match.decide", Outcome::Success),
            "suggestion",
            Some(id),
        );
        e.reason = Some(format!("{}: {decision}", category.code()));
        audit::append(&mut tx, &e).await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        tx.commit().await?;
        Ok(id)
    }
}
