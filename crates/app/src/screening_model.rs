//! The learned layer of the complexity screening (`domain::screening_model`): administrators
//! train it on the organisation's closed cases — in the background, reading at most
//! [`TRAIN_MAX`] of the most recently closed — see its validation figures and its features,
//! and can switch it off. While a trained model is in use and switched on, every new screening
//! carries its estimate with the features that weighed most for the case, beside the rules.

use crate::rule_facts::closed_case_facts;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::access::Action;
use karuna_domain::audit::Outcome;
use karuna_domain::gatekeeping::criteria::Facts;
use karuna_domain::screening_model::{
    self as domain, Estimate, Example, Model, TrainError, LONG_CASE_DAYS, TRAIN_MAX,
};
use karuna_store::audit;
use karuna_store::screening_model::{self as store, ModelRow};
use uuid::Uuid;

/// The settings kind that switches the learned layer on or off.
pub const KIND: &str = "complexity_model";

/// A training run read back.
#[derive(Debug, Clone)]
pub struct Run {
    /// The stored run.
    pub row: ModelRow,
    /// Its model, when it is ready.
    pub model: Option<Model>,
}

/// The learned layer as administrators see it.
#[derive(Debug, Clone)]
pub struct ModelStatus {
    /// Switched on (the default): a ready model scores new screenings.
    pub enabled: bool,
    /// The switch's version (0: never written).
    pub version: i64,
    /// The latest run.
    pub latest: Option<Run>,
    /// The model in use: the latest ready one.
    pub in_use: Option<Run>,
}

fn read(row: ModelRow) -> Result<Run, AppError> {
    let model = match &row.model {
        Some(json) => Some(
            serde_json::from_str(json)
                .map_err(|_| AppError::Internal("stored screening model".into()))?,
        ),
        None => None,
    };
    Ok(Run { row, model })
}

/// The closed cases as examples to learn from: each one's facts as they stood for the rules
/// (ages reckoned at its opening), and whether it was long.
pub fn training_examples(closed: &[store::ClosedCase]) -> Vec<Example> {
    closed
        .iter()
        .filter_map(|c| {
            let closed_at = c.case.closed_at?;
            let facts = closed_case_facts(c);
            Some(Example {
                facts,
                long: (closed_at - c.case.opened_at).num_days() >= LONG_CASE_DAYS,
            })
        })
        .collect()
}

impl App {
    /// Whether the learned layer is switched on for `org`, and the switch's version.
    async fn model_switch(&self, org: Uuid) -> Result<(bool, i64), AppError> {
        self.suggestion_switch(org, KIND).await
    }

    /// The learned layer's state (administrators).
    pub async fn screening_model(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<ModelStatus, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ManageConfiguration,
            "screening.model.read",
            ("screening_model", None),
        )
        .await?;
        let org = user.actor.org_id;
        let (enabled, version) = self.model_switch(org).await?;
        let (latest, ready) = store::latest(&self.db, org).await?;
        Ok(ModelStatus {
            enabled,
            version,
            latest: latest.map(read).transpose()?,
            in_use: ready.map(read).transpose()?,
        })
    }

    /// Starts training a model on the organisation's closed cases, in the background; returns
    /// the run's id and number. A run still training is a conflict (`model_training`), unless
    /// it was cut off long ago (`store::screening_model::ABANDONED_AFTER_MINUTES`).
    pub async fn train_screening_model(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<(Uuid, i64), AppError> {
        self.authorize(
            user,
            ctx,
            Action::ManageConfiguration,
            "screening.model.train",
            ("screening_model", None),
        )
        .await?;
        let org = user.actor.org_id;
        let mut tx = self.db.begin().await?;
        // Another run under way (or one started at the same moment: its number is taken).
        let (id, number) = match store::start(&mut tx, org, user.actor.id).await {
            Ok(Some(run)) => run,
            Ok(None) | Err(karuna_store::StoreError::Duplicate) => {
                return Err(AppError::Refused("model_training"))
            }
            Err(e) => return Err(e.into()),
        };
        let e = on(
            event(Some(user), ctx, "screening.model.train", Outcome::Success),
            "screening_model",
            Some(id),
        );
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        let (app, user, ctx) = (self.clone(), user.clone(), ctx.clone());
        tokio::spawn(async move {
            app.finish_training(&user, &ctx, id).await;
        });
        Ok((id, number))
    }

    /// Trains run `id` and records how it ended; a failure is recorded on the run and logged
    /// without personal data.
    async fn finish_training(&self, user: &CurrentUser, ctx: &Ctx, id: Uuid) {
        let org = user.actor.org_id;
        let outcome = async {
            let closed = store::closed_cases(&self.db, org, None, TRAIN_MAX as i64).await?;
            let examples = training_examples(&closed);
            let counts = (
                examples.len() as i64,
                examples.iter().filter(|e| e.long).count() as i64,
            );
            let fitted = tokio::task::spawn_blocking(move || domain::train(&examples))
                .await
                .map_err(|_| AppError::Internal("model training task".into()))?;
            Ok::<_, AppError>((counts, fitted))
        }
        .await;
        let (status, counts, model) = match outcome {
            Ok((counts, Ok(model))) => match serde_json::to_string(&model) {
                Ok(json) => ("ready", counts, Some(json)),
                Err(_) => ("failed", counts, None),
            },
            Ok((counts, Err(TrainError::TooFew { .. }))) => ("too_few", counts, None),
            Ok((counts, Err(TrainError::Fit))) => ("failed", counts, None),
            Err(e) => {
                tracing::warn!(run = %id, error = %e, "screening model training failed");
                ("failed", (0, 0), None)
            }
        };
        let recorded = async {
            let mut tx = self.db.begin().await?;
            store::finish(&mut tx, id, status, counts, model.as_deref()).await?;
            let mut e = on(
                event(Some(user), ctx, "screening.model.trained", Outcome::Success),
                "screening_model",
                Some(id),
            );
            e.reason = Some(status.into());
            audit::append(&mut tx, &e).await?;
            tx.commit().await?;
            Ok::<_, AppError>(())
        }
        .await;
        if let Err(e) = recorded {
            tracing::warn!(run = %id, error = %e, "screening model run not recorded");
        }
    }

    /// Switches the learned layer on or off over the switch's version read; returns the new
    /// version.
    pub async fn switch_screening_model(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        enabled: bool,
        version: i64,
    ) -> Result<i64, AppError> {
        self.set_suggestion_switch(
            user,
            ctx,
            (KIND, "screening.model.switch"),
            enabled,
            version,
        )
        .await
    }

    /// The learned estimate for a case's facts, when a model is in use and switched on.
    pub(crate) async fn learned_estimate(
        &self,
        org: Uuid,
        facts: &Facts,
    ) -> Result<Option<Estimate>, AppError> {
        if !self.model_switch(org).await?.0 {
            return Ok(None);
        }
        let (_, ready) = store::latest(&self.db, org).await?;
        let Some(run) = ready.map(read).transpose()? else {
            return Ok(None);
        };
        Ok(run.model.map(|m| m.estimate(run.row.number, facts)))
    }
}
