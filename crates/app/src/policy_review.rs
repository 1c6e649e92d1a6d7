//! Policy reviews (`domain::policy_review`) as use cases: the organisation's review cycle and
//! when the next review falls due; a review started by a supervisor for a period, its measures
//! computed then (and recomputed while it is open) for the whole organisation, every count
//! suppressed below 5; its findings, decisions and actions; an action's progress recorded by
//! its owner or a supervisor until done; the conclusion; and the comparison with the review
//! before it. Reads and writes are audited.

use crate::dashboard::{days, midnight};
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{Duration, Months, NaiveDate};
use karuna_domain::access::{self, Action};
use karuna_domain::audit::Outcome;
use karuna_domain::error::{FieldError, Validation};
use karuna_domain::policy_review::{
    check_cycle, check_item, check_update, ActionStatus, ActionUpdateInput, ConcludeInput,
    CycleInput, ItemKind, Measure, NewItemInput, NewReviewInput, Status, DEFAULT_CYCLE_MONTHS,
    TEXT_MAX, TITLE_MAX,
};
use karuna_domain::report::period::{percentile, Period};
use karuna_domain::report::{Figure, SUPPRESS_BELOW};
use karuna_store::audit;
use karuna_store::dashboard::{self as dash, Scope};
use karuna_store::policy_review::{
    self as store, ActionChange, ItemRow, NewItem, NewReview, ReviewRow, Share,
};
use karuna_thai::calendar::{bangkok_date, Era};
use uuid::Uuid;

/// How many reviews the list shows.
const LIST_MAX: i64 = 100;
/// How many open actions the list shows.
const ACTIONS_MAX: i64 = 200;

/// A review with what it holds.
#[derive(Debug, Clone)]
pub struct PolicyReview {
    /// As stored.
    pub row: ReviewRow,
    /// Its status.
    pub status: Status,
    /// Its period.
    pub period: Option<Period>,
    /// The measures of its period.
    pub measures: Vec<Measure>,
    /// Its findings, decisions and actions, in the order they were added.
    pub items: Vec<ItemRow>,
    /// The review before it, with its measures, to compare with.
    pub previous: Option<(ReviewRow, Vec<Measure>)>,
}

/// The organisation's reviews, its cycle and its open actions.
#[derive(Debug, Clone)]
pub struct PolicyOverview {
    /// Months between reviews.
    pub cycle_months: i64,
    /// The day the next review falls due: the cycle after the end of the latest period
    /// reviewed (none before the first review).
    pub next_due: Option<NaiveDate>,
    /// It is past.
    pub overdue: bool,
    /// Reviews, latest period first.
    pub reviews: Vec<ReviewRow>,
    /// Actions not yet done or dropped, soonest due first.
    pub open_actions: Vec<ItemRow>,
}

fn measures_of(row: &ReviewRow) -> Result<Vec<Measure>, AppError> {
    serde_json::from_str(&row.measures)
        .map_err(|e| AppError::Internal(format!("policy review measures: {e}")))
}

fn median(key: &str, area: &str, mut v: Vec<i64>) -> Measure {
    let enough = v.len() as i64 >= SUPPRESS_BELOW;
    Measure {
        key: key.to_string(),
        area: area.to_string(),
        base: Figure::of(v.len() as i64),
        value: if enough { percentile(&mut v, 50) } else { None },
    }
}

fn rate(key: &str, area: &str, s: Share) -> Measure {
    Measure::rate(key, area, s.base, s.met)
}

impl App {
    async fn policy_audit(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        action: &str,
        id: Option<Uuid>,
    ) -> Result<(), AppError> {
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, action, Outcome::Success),
                "policy_review",
                id,
            ),
        )
        .await?;
        Ok(())
    }

    async fn policy_write<T>(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        action: &str,
        id: Option<Uuid>,
        write: impl for<'t> FnOnce(
            &'t mut karuna_store::db::Tx,
        ) -> std::pin::Pin<
            Box<dyn std::future::Future<Output = Result<T, AppError>> + Send + 't>,
        >,
    ) -> Result<T, AppError> {
        let mut tx = self.db.begin().await?;
        let out = write(&mut tx).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, action, Outcome::Success),
                "policy_review",
                id,
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Checks that the user may take `action` on policy reviews, before a request's body is
    /// read: `manage` for a supervisor's changes, otherwise reading.
    pub async fn check_policy(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        action: &str,
        id: Option<Uuid>,
        manage: bool,
    ) -> Result<(), AppError> {
        let a = if manage {
            Action::ManagePolicyReview
        } else {
            Action::ViewPolicyReviews
        };
        self.authorize(user, ctx, a, action, ("policy_review", id))
            .await
    }

    /// The measures of `period` for the whole organisation (see the module).
    async fn policy_measures(&self, org: Uuid, period: Period) -> Result<Vec<Measure>, AppError> {
        let (first, last) = period.days();
        let (from, until) = (midnight(first), midnight(last + Duration::days(1)));
        let day = |d: NaiveDate| d.format("%Y-%m-%d").to_string();
        let raw = dash::figures(
            &self.db,
            &Scope {
                org_id: org,
                unit_id: None,
                province_code: None,
            },
            &from,
            &until,
            (&day(first), &day(last)),
            i64::from(period.fiscal_year()),
        )
        .await?;
        let six_months = last
            .checked_sub_months(Months::new(6))
            .map(|d| midnight(d + Duration::days(1)))
            .unwrap_or_else(|| from.clone());
        let rates = store::rates(
            &self.db,
            org,
            (&from, &until),
            &six_months,
            (&day(first), &day(last)),
        )
        .await?;
        let promises: i64 = raw
            .promises
            .iter()
            .filter(|(s, _, _)| s != "open" && s != "released")
            .map(|(_, _, n)| n)
            .sum();
        let kept: i64 = raw
            .promises
            .iter()
            .filter(|(s, on_time, _)| s == "kept" && *on_time)
            .map(|(_, _, n)| n)
            .sum();
        Ok(vec![
            median(
                "days_to_assessment",
                "service_steps",
                raw.stages_opened
                    .iter()
                    .filter_map(|s| days(&s.opened, s.assessed.as_deref()))
                    .collect(),
            ),
            median(
                "days_to_plan",
                "service_steps",
                raw.stages_opened
                    .iter()
                    .filter_map(|s| days(s.assessed.as_deref()?, s.planned.as_deref()))
                    .collect(),
            ),
            median(
                "days_to_closure",
                "service_steps",
                raw.closed_spans
                    .iter()
                    .filter_map(|(o, c)| days(o, Some(c)))
                    .collect(),
            ),
            Measure::rate("promises_kept_on_time", "service_steps", promises, kept),
            rate("assessed", "assessment", rates.assessed),
            rate("reassessed", "assessment", rates.reassessed),
            rate("plans_reviewed", "evaluation", rates.plans_reviewed),
            rate("gas_at_closure", "evaluation", rates.gas_at_closure),
            rate("referrals_completed", "referral", rates.referrals_completed),
            rate(
                "referrals_ended_early",
                "referral",
                rates.referrals_ended_early,
            ),
            rate("follow_ups_done", "follow_up", rates.follow_ups_done),
            rate(
                "cases_conferenced",
                "shared_responsibility",
                rates.cases_conferenced,
            ),
            rate(
                "conferences_with_outside",
                "shared_responsibility",
                rates.conferences_with_outside,
            ),
            rate(
                "cases_referred",
                "shared_responsibility",
                rates.cases_referred,
            ),
        ])
    }

    /// The organisation's reviews, cycle and open actions.
    #[tracing::instrument(skip_all)]
    pub async fn policy_overview(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<PolicyOverview, AppError> {
        self.check_policy(user, ctx, "policy.list", None, false)
            .await?;
        let org = user.actor.org_id;
        let cycle_months = store::cycle(&self.db, org)
            .await?
            .map_or(DEFAULT_CYCLE_MONTHS, |c| c.0);
        let reviews = store::list(&self.db, org, LIST_MAX).await?;
        let open_actions = store::open_actions(&self.db, org, ACTIONS_MAX).await?;
        let next_due = reviews.iter().map(|r| r.until).max().and_then(|end| {
            u32::try_from(cycle_months)
                .ok()
                .and_then(|m| end.checked_add_months(Months::new(m)))
        });
        let today = bangkok_date(karuna_store::time::now());
        self.policy_audit(user, ctx, "policy.list", None).await?;
        Ok(PolicyOverview {
            cycle_months,
            overdue: next_due.is_some_and(|d| d < today),
            next_due,
            reviews,
            open_actions,
        })
    }

    /// Sets the organisation's review cycle (a supervisor).
    #[tracing::instrument(skip_all)]
    pub async fn set_policy_cycle(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        input: &CycleInput,
    ) -> Result<(), AppError> {
        self.check_policy(user, ctx, "policy.cycle", None, true)
            .await?;
        let months = check_cycle(input)?;
        let (org, by) = (user.actor.org_id, user.actor.id);
        self.policy_write(user, ctx, "policy.cycle", None, |tx| {
            Box::pin(async move { Ok(store::set_cycle(tx, org, months, by).await?) })
        })
        .await
    }

    /// Starts a review of a period with its measures computed (a supervisor). A period not yet
    /// begun is refused; a second review of the same period is a conflict
    /// (`review_period_taken`).
    #[tracing::instrument(skip_all)]
    pub async fn create_policy_review(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        input: &NewReviewInput,
    ) -> Result<Uuid, AppError> {
        self.check_policy(user, ctx, "policy.create", None, true)
            .await?;
        let mut v = Validation::new();
        let title = v.required("title", &input.title, TITLE_MAX);
        let today = bangkok_date(karuna_store::time::now());
        let period = match Period::parse(&input.period) {
            None => {
                v.push(FieldError::new("period", "report.period_unknown"));
                None
            }
            Some(p) if p.days().0 > today => {
                v.push(FieldError::new("period", "policy.period_future"));
                None
            }
            Some(p) => Some(p),
        };
        v.finish()?;
        let Some(period) = period else {
            return Err(AppError::Invalid(vec![FieldError::new(
                "period",
                "report.period_unknown",
            )]));
        };
        let org = user.actor.org_id;
        let measures = self.policy_measures(org, period).await?;
        let measures = serde_json::to_string(&measures)
            .map_err(|e| AppError::Internal(format!("policy review measures: {e}")))?;
        let (from, until) = period.days();
        let code = period.code();
        let by = user.actor.id;
        let mut tx = self.db.begin().await?;
        let id = match store::insert(
            &mut tx,
            &NewReview {
                org_id: org,
                title: &title,
                period: &code,
                from,
                until,
                measures: &measures,
                created_by: by,
            },
        )
        .await
        {
            Ok(id) => id,
            Err(karuna_store::error::StoreError::Duplicate) => {
                return Err(AppError::Refused("review_period_taken"))
            }
            Err(e) => return Err(e.into()),
        };
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "policy.create", Outcome::Success),
                "policy_review",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    async fn policy_row(&self, user: &CurrentUser, id: Uuid) -> Result<ReviewRow, AppError> {
        store::get(&self.db, user.actor.org_id, id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// One review with its items and the review before it.
    #[tracing::instrument(skip_all, fields(review_id = %id))]
    pub async fn policy_review(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<PolicyReview, AppError> {
        self.check_policy(user, ctx, "policy.view", Some(id), false)
            .await?;
        let org = user.actor.org_id;
        let row = self.policy_row(user, id).await?;
        let items = store::items(&self.db, org, id).await?;
        let previous = match store::previous(&self.db, org, row.from).await? {
            Some(p) => {
                let m = measures_of(&p)?;
                Some((p, m))
            }
            None => None,
        };
        self.policy_audit(user, ctx, "policy.view", Some(id))
            .await?;
        Ok(PolicyReview {
            status: Status::from_code(&row.status).unwrap_or(Status::Open),
            period: Period::parse(&row.period),
            measures: measures_of(&row)?,
            items,
            previous,
            row,
        })
    }

    /// One review to print: read as [`App::policy_review`] does, then `policy.export`.
    pub async fn policy_review_export(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<PolicyReview, AppError> {
        let r = self.policy_review(user, ctx, id).await?;
        self.policy_audit(user, ctx, "policy.export", Some(id))
            .await?;
        Ok(r)
    }

    /// Recomputes an open review's measures (a supervisor); returns the new version.
    #[tracing::instrument(skip_all, fields(review_id = %id))]
    pub async fn refresh_policy_measures(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        version: i64,
    ) -> Result<i64, AppError> {
        self.check_policy(user, ctx, "policy.refresh", Some(id), true)
            .await?;
        let row = self.policy_row(user, id).await?;
        if row.version != version {
            return Err(AppError::Conflict);
        }
        if row.status != Status::Open.code() {
            return Err(AppError::Refused("review_concluded"));
        }
        let period = Period::parse(&row.period)
            .ok_or_else(|| AppError::Internal("policy review period".into()))?;
        let org = user.actor.org_id;
        let measures = serde_json::to_string(&self.policy_measures(org, period).await?)
            .map_err(|e| AppError::Internal(format!("policy review measures: {e}")))?;
        self.policy_write(user, ctx, "policy.refresh", Some(id), |tx| {
            Box::pin(async move { Ok(store::set_measures(tx, org, id, version, &measures).await?) })
        })
        .await
    }

    /// Adds a finding, a decision or an action to an open review (a supervisor). An action
    /// needs an owner who may read the reviews and a due date not in the past.
    #[tracing::instrument(skip_all, fields(review_id = %id))]
    pub async fn add_policy_item(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: &NewItemInput,
    ) -> Result<Uuid, AppError> {
        self.check_policy(user, ctx, "policy.item", Some(id), true)
            .await?;
        let row = self.policy_row(user, id).await?;
        let org = user.actor.org_id;
        let mut v = Validation::new();
        let (kind, area, text) = check_item(&mut v, input);
        let (mut owner, mut due) = (None, None);
        if kind == ItemKind::Action {
            if input.owner_id.trim().is_empty() {
                v.push(FieldError::new("owner_id", "required"));
            } else {
                owner = self
                    .colleague(org, &input.owner_id)
                    .await?
                    .filter(|a| access::decide(a, Action::ViewPolicyReviews).is_allowed())
                    .map(|a| a.id);
                v.check(owner.is_none(), "owner_id", "policy.owner_unknown");
            }
            let era = Era::from_code(&user.era).unwrap_or_default();
            let today = bangkok_date(karuna_store::time::now());
            due = karuna_domain::task::validate_due(&mut v, &input.due, era, today);
        }
        v.finish()?;
        if row.status != Status::Open.code() {
            return Err(AppError::Refused("review_concluded"));
        }
        let by = user.actor.id;
        let kind = kind.code();
        self.policy_write(user, ctx, "policy.item", Some(id), |tx| {
            Box::pin(async move {
                Ok(store::insert_item(
                    tx,
                    &NewItem {
                        org_id: org,
                        review_id: id,
                        kind,
                        area: &area,
                        text: &text,
                        owner_id: owner,
                        due_on: due,
                        by,
                    },
                )
                .await?)
            })
        })
        .await
    }

    /// Records an action's progress (its owner or a supervisor); returns its review's id and
    /// the action's new version.
    #[tracing::instrument(skip_all, fields(item_id = %item))]
    pub async fn update_policy_action(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        item: Uuid,
        input: &ActionUpdateInput,
    ) -> Result<(Uuid, i64), AppError> {
        self.check_policy(user, ctx, "policy.action", Some(item), false)
            .await?;
        let org = user.actor.org_id;
        let row = store::item(&self.db, org, item)
            .await?
            .filter(|i| i.kind == ItemKind::Action.code())
            .ok_or(AppError::NotFound)?;
        self.authorize(
            user,
            ctx,
            Action::TrackPolicyAction {
                owner: row.owner_id.unwrap_or_default(),
            },
            "policy.action",
            ("policy_review", Some(row.review_id)),
        )
        .await?;
        if row.version != input.version {
            return Err(AppError::Conflict);
        }
        let (status, note) = check_update(input)?;
        let (by, version, review) = (user.actor.id, input.version, row.review_id);
        self.policy_write(user, ctx, "policy.action", Some(review), |tx| {
            Box::pin(async move {
                Ok(store::update_action(
                    tx,
                    org,
                    item,
                    version,
                    &ActionChange {
                        status: status.code(),
                        note: note.as_deref(),
                        done: status.is_final(),
                        by,
                    },
                )
                .await
                .map(|v| (review, v))?)
            })
        })
        .await
    }

    /// Concludes an open review with its summary (a supervisor); returns the new version. Its
    /// actions are still tracked afterwards.
    #[tracing::instrument(skip_all, fields(review_id = %id))]
    pub async fn conclude_policy_review(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: &ConcludeInput,
    ) -> Result<i64, AppError> {
        self.check_policy(user, ctx, "policy.conclude", Some(id), true)
            .await?;
        let row = self.policy_row(user, id).await?;
        if row.version != input.version {
            return Err(AppError::Conflict);
        }
        let mut v = Validation::new();
        let summary = v.required("summary", &input.summary, TEXT_MAX);
        v.finish()?;
        if row.status != Status::Open.code() {
            return Err(AppError::Refused("review_concluded"));
        }
        let (org, by, version) = (user.actor.org_id, user.actor.id, input.version);
        self.policy_write(user, ctx, "policy.conclude", Some(id), |tx| {
            Box::pin(async move { Ok(store::conclude(tx, org, id, version, &summary, by).await?) })
        })
        .await
    }
}

/// An action status's code, or none for an item that is not an action.
pub fn action_status(item: &ItemRow) -> Option<ActionStatus> {
    item.status.as_deref().and_then(ActionStatus::from_code)
}

impl App {
    /// Who may own an action, for the form's picker: the case managers and supervisors of the
    /// supervisor's own unit, in one bounded statement (the API takes any colleague who may
    /// read the reviews).
    pub async fn policy_owner_choices(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Vec<karuna_store::account::StaffRow>, AppError> {
        self.check_policy(user, ctx, "policy.item", None, true)
            .await?;
        let Some(unit) = user.actor.unit_id else {
            return Ok(Vec::new());
        };
        Ok(karuna_store::account::staff_for_picker(
            &self.db,
            user.actor.org_id,
            unit,
            None,
            crate::team::STAFF_PICKER_LIMIT,
        )
        .await?
        .into_iter()
        .filter(|s| s.role != "team_member")
        .collect())
    }
}
