//! Similar closed cases (`domain::similar`): for a case the viewer may open, the organisation's
//! most recently closed cases of its first case type (at most [`CANDIDATES_MAX`]) are compared
//! with it and the nearest summarised as aggregates only — never a case's id or details, every
//! group of fewer than five suppressed. Reading it is audited on the case.

use crate::case::CaseAccess;
use crate::rule_facts::closed_case_facts;
use crate::{App, AppError, Ctx, CurrentUser};
use karuna_domain::similar::{self as domain, Closed, GoalEnd, Summary};
use karuna_store::screening_model::closed_cases;
use uuid::Uuid;

/// The most closed cases compared with (the most recently closed of the case's first type).
pub const CANDIDATES_MAX: i64 = 2000;
/// The setting's kind: administrators may switch similar cases off for the organisation.
pub const KIND: &str = "similar_cases";

/// What the similar-cases view shows.
#[derive(Debug, Clone)]
pub struct SimilarCases {
    /// The case type compared within (the case's first).
    pub case_type: Option<String>,
    /// The summary; none when fewer than five closed cases could be compared.
    pub summary: Option<Summary>,
}

impl App {
    /// Whether the organisation shows similar closed cases (the default), and the switch's
    /// version (0: never written).
    pub async fn similar_enabled(&self, org: Uuid) -> Result<(bool, i64), AppError> {
        self.suggestion_switch(org, KIND).await
    }

    /// The summary of the closed cases most like `case_id` (whoever may open the case);
    /// `similar_off` when the organisation switched similar cases off.
    pub async fn similar_cases(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
    ) -> Result<SimilarCases, AppError> {
        let (case, _) = self
            .case_for(user, ctx, case_id, CaseAccess::Open, "similar.read")
            .await?;
        if !self.similar_enabled(case.org_id).await?.0 {
            return Err(AppError::Refused("similar_off"));
        }
        let facts = self.rule_facts(&case).await?;
        let case_type = case.case_types.first().cloned();
        let closed = closed_cases(&self.db, case.org_id, case_type.as_deref(), CANDIDATES_MAX)
            .await?
            .into_iter()
            .filter(|c| c.case.id != case.id)
            .collect::<Vec<_>>();
        let ids: Vec<Uuid> = closed.iter().map(|c| c.case.id).collect();
        let mut endings = karuna_store::similar::endings(&self.db, &ids).await?;
        let compared: Vec<Closed> = closed
            .iter()
            .filter_map(|c| {
                let closed_at = c.case.closed_at?;
                let ending = endings.remove(&c.case.id).unwrap_or_default();
                Some(Closed {
                    facts: closed_case_facts(c),
                    days_open: (closed_at - c.case.opened_at).num_days(),
                    reason: ending.reason,
                    goals: ending
                        .goals
                        .into_iter()
                        .map(|g| GoalEnd {
                            methods: g.methods,
                            outcome: g.outcome,
                            gas: g.gas,
                        })
                        .collect(),
                })
            })
            .collect();
        let summary = domain::summarise(&facts, &compared);
        self.audit_read(user, ctx, "similar.read", ("case", case_id))
            .await?;
        Ok(SimilarCases { case_type, summary })
    }
}
