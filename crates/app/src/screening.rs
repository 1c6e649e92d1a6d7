//! Complexity screening of cases (decision support, `domain::screening`): a suggestion is
//! made when a case is registered, after each completed assessment, and when a worker asks
//! for one; it is stored with its reasons and the settings' version it used, shown to whoever
//! may open the case, and never applied by itself — the worker who may work on the case
//! accepts, changes or rejects it, and that decision is stored and audited. Administrators
//! write the rules, switch the screening off, and see how often suggestions were overridden.

use crate::case::CaseAccess;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{DateTime, Utc};
use karuna_domain::access::{self, Action};
use karuna_domain::audit::Outcome;
use karuna_domain::screening::{self as domain, Config, ConfigInput, DecisionInput, Screening};
use karuna_store::audit;
use karuna_store::case::CaseRow;
use karuna_store::screening::{self as store, NewSuggestion, SuggestionRow};
use uuid::Uuid;

/// The kind of suggestion this module makes.
const KIND: &str = "complexity";

/// The most suggestions of a case listed.
const LIST_MAX: i64 = 50;

/// A stored suggestion with its reasons read back.
#[derive(Debug, Clone)]
pub struct Suggestion {
    /// The stored row.
    pub row: SuggestionRow,
    /// The screening (score, level, every rule with its facts).
    pub screening: Screening,
}

/// A case's suggestions and what the viewer may do.
#[derive(Debug, Clone)]
pub struct CaseSuggestions {
    /// The organisation makes complexity suggestions.
    pub enabled: bool,
    /// Newest first.
    pub list: Vec<Suggestion>,
    /// The viewer may decide on them and ask for a new one (she may work on the case).
    pub can_decide: bool,
}

impl CaseSuggestions {
    /// The case's complexity level as decided by a worker (the latest decision that set one).
    pub fn decided_level(&self) -> Option<&str> {
        self.list
            .iter()
            .find(|s| s.row.decision.is_some())
            .and_then(|s| s.row.decided.as_deref())
    }
}

/// How an organisation's suggestions were decided.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct DecisionCounts {
    /// Not decided yet.
    pub undecided: i64,
    /// Accepted as suggested.
    pub accepted: i64,
    /// The worker set another level.
    pub changed: i64,
    /// The worker rejected it.
    pub rejected: i64,
}

impl DecisionCounts {
    /// The share of decided suggestions that were overridden (changed or rejected), in whole
    /// percent; none before anything was decided.
    pub fn overridden_percent(&self) -> Option<i64> {
        let decided = self.accepted + self.changed + self.rejected;
        (decided > 0).then(|| ((self.changed + self.rejected) * 100 + decided / 2) / decided)
    }
}

/// The organisation's screening settings, for its administrators.
#[derive(Debug, Clone)]
pub struct ScreeningSettings {
    /// The settings in force (the shipped ones until the organisation writes its own).
    pub config: Config,
    /// Their version (0: the shipped rules).
    pub version: i64,
    /// Who wrote them last, and when.
    pub updated: Option<(String, DateTime<Utc>)>,
    /// How suggestions were decided.
    pub counts: DecisionCounts,
    /// Resource matching: switched on, its setting's version, and how its suggestions were
    /// decided.
    pub matching: (bool, i64, DecisionCounts),
    /// Similar closed cases: switched on, and the switch's version.
    pub similar: (bool, i64),
}

/// A kind of decision support that administrators switch on or off by itself (a bare
/// setting, on by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Switch {
    /// Resource matching (`service_match`).
    ServiceMatch,
    /// Similar closed cases (`similar`).
    SimilarCases,
}

impl Switch {
    /// The setting's kind.
    fn kind(self) -> &'static str {
        match self {
            Switch::ServiceMatch => crate::service_match::KIND,
            Switch::SimilarCases => crate::similar::KIND,
        }
    }

    /// The audit actions of reading and of changing it.
    fn audit(self) -> (&'static str, &'static str) {
        match self {
            Switch::ServiceMatch => ("match.settings.read", "match.settings.update"),
            Switch::SimilarCases => ("similar.settings.read", "similar.settings.update"),
        }
    }
}

fn read(row: SuggestionRow) -> Result<Suggestion, AppError> {
    let screening = serde_json::from_str(&row.reasons)
        .map_err(|_| AppError::Internal("stored suggestion reasons".into()))?;
    Ok(Suggestion { row, screening })
}

impl App {
    /// The screening settings in force for `org`, and their version (0: shipped).
    async fn screening_config(&self, org: Uuid) -> Result<(Config, i64), AppError> {
        match store::setting(&self.db, org, KIND).await? {
            Some(s) => {
                let mut config: Config = serde_json::from_str(&s.config)
                    .map_err(|_| AppError::Internal("stored screening settings".into()))?;
                config.enabled = s.enabled;
                Ok((config, s.version))
            }
            None => Ok((domain::shipped(), 0)),
        }
    }

    /// The settings with their history and decision figures (administrators).
    pub async fn screening_settings(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<ScreeningSettings, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ManageConfiguration,
            "screening.settings.read",
            ("decision_support_setting", None),
        )
        .await?;
        let org = user.actor.org_id;
        let (config, version) = self.screening_config(org).await?;
        let updated = store::setting(&self.db, org, KIND)
            .await?
            .map(|s| (s.updated_by_name, s.updated_at));
        let counts = self.decision_counts(org, KIND).await?;
        let kind = crate::service_match::KIND;
        let (on, v) = store::setting(&self.db, org, kind)
            .await?
            .map(|s| (s.enabled, s.version))
            .unwrap_or((true, 0));
        Ok(ScreeningSettings {
            config,
            version,
            updated,
            counts,
            matching: (on, v, self.decision_counts(org, kind).await?),
            similar: self.similar_enabled(org).await?,
        })
    }

    async fn decision_counts(&self, org: Uuid, kind: &str) -> Result<DecisionCounts, AppError> {
        let mut counts = DecisionCounts::default();
        for (decision, n) in store::decision_counts(&self.db, org, kind).await? {
            match decision.as_deref() {
                None => counts.undecided += n,
                Some("accepted") => counts.accepted += n,
                Some("changed") => counts.changed += n,
                Some(_) => counts.rejected += n,
            }
        }
        Ok(counts)
    }

    /// A decision-support switch and its version, for administrators.
    pub async fn switch_setting(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        switch: Switch,
    ) -> Result<(bool, i64), AppError> {
        self.authorize(
            user,
            ctx,
            Action::ManageConfiguration,
            switch.audit().0,
            ("decision_support_setting", None),
        )
        .await?;
        self.suggestion_switch(user.actor.org_id, switch.kind())
            .await
    }

    /// Switches a kind of decision support on or off over the version read (administrators);
    /// returns the new version.
    pub async fn set_switch(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        switch: Switch,
        enabled: bool,
        version: i64,
    ) -> Result<i64, AppError> {
        self.set_suggestion_switch(
            user,
            ctx,
            (switch.kind(), switch.audit().1),
            enabled,
            version,
        )
        .await
    }

    /// Whether a kind of suggestion switched by a bare on/off setting (`service_match`,
    /// `similar_cases`, `complexity_model`) is on for `org` (the default), and the switch's
    /// version (0: never written).
    pub(crate) async fn suggestion_switch(
        &self,
        org: Uuid,
        kind: &str,
    ) -> Result<(bool, i64), AppError> {
        Ok(store::setting(&self.db, org, kind)
            .await?
            .map(|s| (s.enabled, s.version))
            .unwrap_or((true, 0)))
    }

    /// Switches a kind of suggestion on or off over the version read, audited as `action`;
    /// returns the new version.
    pub(crate) async fn set_suggestion_switch(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        (kind, action): (&str, &str),
        enabled: bool,
        version: i64,
    ) -> Result<i64, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ManageConfiguration,
            action,
            ("decision_support_setting", None),
        )
        .await?;
        let mut tx = self.db.begin().await?;
        let v = store::put_setting(
            &mut tx,
            user.actor.org_id,
            kind,
            enabled,
            "{}",
            version,
            user.actor.id,
        )
        .await?;
        let mut e = on(
            event(Some(user), ctx, action, Outcome::Success),
            "decision_support_setting",
            None,
        );
        e.reason = Some(if enabled { "enabled" } else { "disabled" }.into());
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Writes the organisation's screening settings over the version read; returns the new
    /// version. Every fault is reported at once; someone else's write in between is a conflict.
    pub async fn save_screening_settings(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        input: &ConfigInput,
    ) -> Result<i64, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ManageConfiguration,
            "screening.settings.update",
            ("decision_support_setting", None),
        )
        .await?;
        let config = domain::validate(input)?;
        let json = serde_json::to_string(&config)
            .map_err(|_| AppError::Internal("screening settings".into()))?;
        let mut tx = self.db.begin().await?;
        let v = store::put_setting(
            &mut tx,
            user.actor.org_id,
            KIND,
            config.enabled,
            &json,
            input.version,
            user.actor.id,
        )
        .await?;
        let mut e = on(
            event(
                Some(user),
                ctx,
                "screening.settings.update",
                Outcome::Success,
            ),
            "decision_support_setting",
            None,
        );
        e.reason = Some(
            if config.enabled {
                "enabled"
            } else {
                "disabled"
            }
            .into(),
        );
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Screens `case` and stores the suggestion (nothing when the organisation switched the
    /// screening off). `trigger`: `intake`, `assessment` or `manual`.
    async fn screen(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case: &CaseRow,
        trigger: &str,
    ) -> Result<Option<Uuid>, AppError> {
        let (config, version) = self.screening_config(case.org_id).await?;
        if !config.enabled {
            return Ok(None);
        }
        let facts = self.rule_facts(case).await?;
        let learned = self.learned_estimate(case.org_id, &facts).await?;
        let mut s = domain::screen(&config, facts);
        s.learned = learned;
        let reasons =
            serde_json::to_string(&s).map_err(|_| AppError::Internal("screening".into()))?;
        let mut tx = self.db.begin().await?;
        let id = store::insert(
            &mut tx,
            &NewSuggestion {
                org_id: case.org_id,
                case_id: case.id,
                kind: KIND,
                trigger,
                config_version: version,
                subject: None,
                suggested: &s.level,
                score: s.score,
                reasons: &reasons,
                created_by: Some(user.actor.id),
            },
        )
        .await?;
        let mut e = on(
            event(Some(user), ctx, "screening.suggest", Outcome::Success),
            "suggestion",
            Some(id),
        );
        e.reason = Some(format!("{trigger}: {}", s.level));
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(Some(id))
    }

    /// Screens a case after a write that changed its facts (registration, a completed
    /// assessment). The write itself has been committed: a screening that fails is logged
    /// (without personal data) and can be asked for again on the case, never undoing it.
    pub(crate) async fn screen_after(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
        trigger: &str,
    ) {
        let result = match karuna_store::case::case_by_id(&self.db, case_id).await {
            Ok(Some(case)) => self.screen(user, ctx, &case, trigger).await.map(|_| ()),
            Ok(None) => Ok(()),
            Err(e) => Err(e.into()),
        };
        if let Err(e) = result {
            tracing::warn!(case = %case_id, trigger, error = %e, "complexity screening failed");
        }
    }

    /// A worker asks for a new screening of a case (e.g. after the rules changed).
    pub async fn screen_case(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
    ) -> Result<Uuid, AppError> {
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Edit, "screening.suggest")
            .await?;
        self.screen(user, ctx, &case, "manual")
            .await?
            .ok_or(AppError::Refused("screening_off"))
    }

    /// The case's suggestions, newest first (whoever may open the case).
    pub async fn case_suggestions(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
    ) -> Result<CaseSuggestions, AppError> {
        let (case, facts) = self
            .case_for(user, ctx, case_id, CaseAccess::Open, "screening.read")
            .await?;
        let can_decide = access::decide(&user.actor, Action::EditCase(&facts)).is_allowed();
        let (config, _) = self.screening_config(case.org_id).await?;
        let list = store::for_case(&self.db, case_id, Some(KIND), LIST_MAX)
            .await?
            .into_iter()
            .map(read)
            .collect::<Result<_, _>>()?;
        self.audit_read(user, ctx, "screening.read", ("case", case_id))
            .await?;
        Ok(CaseSuggestions {
            enabled: config.enabled,
            list,
            can_decide,
        })
    }

    /// The case a suggestion belongs to (not found: 404).
    pub async fn suggestion_case(&self, user: &CurrentUser, id: Uuid) -> Result<Uuid, AppError> {
        match store::get(&self.db, id).await? {
            Some(s) if s.org_id == user.actor.org_id => Ok(s.case_id),
            _ => Err(AppError::NotFound),
        }
    }

    /// Records the worker's decision on a suggestion; returns its new version. A suggestion
    /// already decided is refused (`suggestion_decided`): a new screening is asked for instead.
    pub async fn decide_suggestion(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: &DecisionInput,
    ) -> Result<i64, AppError> {
        let Some(s) = store::get(&self.db, id)
            .await?
            .filter(|s| s.kind == KIND && s.org_id == user.actor.org_id)
        else {
            return Err(AppError::NotFound);
        };
        let case_id = s.case_id;
        self.case_for(user, ctx, case_id, CaseAccess::Edit, "screening.decide")
            .await?;
        if s.decision.is_some() {
            return Err(AppError::Refused("suggestion_decided"));
        }
        let d = domain::validate_decision(input, &s.suggested)?;
        let mut tx = self.db.begin().await?;
        let v = store::decide(
            &mut tx,
            id,
            input.version,
            d.decision,
            d.level.as_deref(),
            d.reason.as_deref(),
            user.actor.id,
        )
        .await?;
        let mut e = on(
            event(Some(user), ctx, "screening.decide", Outcome::Success),
            "suggestion",
            Some(id),
        );
        e.reason = Some(match &d.level {
            Some(l) if d.decision != "accepted" => format!("{}: {l}", d.decision),
            _ => d.decision.to_string(),
        });
        audit::append(&mut tx, &e).await?;
        karuna_store::case::touch(&mut tx, case_id).await?;
        tx.commit().await?;
        Ok(v)
    }
}
