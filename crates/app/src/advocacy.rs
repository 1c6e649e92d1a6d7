//! Advocacy reports (`domain::advocacy`) as use cases: created for a period and a scope with
//! the figures of unmet needs pre-filled — goals of plans in force that no service answers,
//! referrals declined for lack of capacity, services ended early, waiting lists and their
//! waits, budgets nearly spent — every count suppressed below 5; edited by their writers (a
//! stale version is a conflict); submitted, approved by a supervisor who did not create them
//! or returned; revised after approval. Every change keeps a version. Examples are offered
//! from the cases the writer is on (sensitive cases never), as facts with no name, number or
//! free text, for her to write up in her own words. Reads and writes are audited.

use crate::dashboard::{midnight, DashboardQuery};
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{Datelike, Duration, NaiveDate};
use karuna_domain::access::Action;
use karuna_domain::advocacy::{
    apply_edit, check_new, check_step, Content, Finding, FindingRow, Kind, NewReportInput,
    ReportEdit, Status, Step, StepInput,
};
use karuna_domain::audit::Outcome;
use karuna_domain::plan::{PlanContent, DIMENSIONS};
use karuna_domain::report::period::{percentile, Period};
use karuna_domain::report::{Figure, SUPPRESS_BELOW};
use karuna_store::advocacy::{
    self as store, Change, ExampleFacts, NewReport, ReportRow, VersionRow,
};
use karuna_store::audit;
use karuna_store::dashboard::Scope;
use karuna_store::time::from_db;
use karuna_thai::calendar::bangkok_date;
use std::collections::BTreeMap;
use uuid::Uuid;

/// How many reports a list shows.
const LIST_MAX: i64 = 200;
/// How many examples are offered.
const EXAMPLES_OFFERED: i64 = 30;
/// A budget counts as strained from this share used, in percent.
const STRAINED_PERCENT: i64 = 90;

/// A report with its content read.
#[derive(Debug, Clone)]
pub struct AdvocacyReport {
    /// As stored.
    pub row: ReportRow,
    /// Its kind.
    pub kind: Kind,
    /// Its status.
    pub status: Status,
    /// Its period.
    pub period: Option<Period>,
    /// What it says.
    pub content: Content,
}

/// One version of a report, its content read.
#[derive(Debug, Clone)]
pub struct AdvocacyVersion {
    /// As stored.
    pub row: VersionRow,
    /// What it said.
    pub content: Content,
}

/// The facts of one example offered to the writer.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct ExampleOffer {
    /// `declined_no_capacity`, `ended_early` or `waiting`.
    pub kind: String,
    /// The case's first type code.
    pub case_type: Option<String>,
    /// The client's sex code.
    pub sex: String,
    /// The client's age band, lower bound in years (`0` under 18; then 18, 30, 40, 50, 60).
    pub age_from: Option<i64>,
    /// Its upper bound (none from 60).
    pub age_to: Option<i64>,
    /// The provider's or the programme's name.
    pub provider: String,
    /// The service's name.
    pub service: Option<String>,
    /// Days it took (waited, or served before it ended), to the end or to today.
    pub days: Option<i64>,
}

fn read(row: ReportRow) -> Result<AdvocacyReport, AppError> {
    let content = serde_json::from_str(&row.content)
        .map_err(|e| AppError::Internal(format!("advocacy content: {e}")))?;
    Ok(AdvocacyReport {
        kind: Kind::from_code(&row.kind).unwrap_or(Kind::Advocacy),
        status: Status::from_code(&row.status).unwrap_or(Status::Draft),
        period: Period::parse(&row.period),
        content,
        row,
    })
}

fn json(content: &Content) -> Result<String, AppError> {
    serde_json::to_string(content).map_err(|e| AppError::Internal(format!("advocacy content: {e}")))
}

/// A stored instant or a `YYYY-MM-DD` day, as a day.
fn day(text: &str) -> Option<NaiveDate> {
    from_db(text)
        .map(bangkok_date)
        .or_else(|| NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok())
}

fn days_between(from: &str, to: Option<&str>, today: NaiveDate) -> Option<i64> {
    let end = match to {
        Some(t) => day(t)?,
        None => today,
    };
    Some((end - day(from)?).num_days().max(0))
}

fn age_band(birth_year: Option<i64>, today: NaiveDate) -> (Option<i64>, Option<i64>) {
    let Some(age) = birth_year.map(|y| i64::from(today.year()) - y) else {
        return (None, None);
    };
    match age {
        a if a < 18 => (Some(0), Some(17)),
        a if a < 30 => (Some(18), Some(29)),
        a if a < 60 => (Some(a / 10 * 10), Some(a / 10 * 10 + 9)),
        _ => (Some(60), None),
    }
}

fn named(provider: String, service: Option<String>) -> String {
    match service.filter(|s| !s.trim().is_empty()) {
        Some(s) => format!("{provider} — {s}"),
        None => provider,
    }
}

fn by_name(rows: Vec<(String, Option<String>, i64)>) -> Vec<FindingRow> {
    rows.into_iter()
        .map(|(p, s, n)| FindingRow {
            label: named(p, s),
            figure: Figure::of(n),
            extra: None,
        })
        .collect()
}

/// The findings of unmet needs from the raw figures (see the module).
fn findings(raw: store::UnmetRaw, today: NaiveDate) -> Vec<Finding> {
    let mut goals: BTreeMap<&str, i64> = BTreeMap::new();
    for text in &raw.plans {
        let Ok(plan) = serde_json::from_str::<PlanContent>(text) else {
            continue;
        };
        for g in &plan.goals {
            let served = g
                .interventions
                .iter()
                .any(|i| matches!(i.status.as_str(), "planned" | "in_progress" | "completed"));
            if let (false, Some(d)) = (served, DIMENSIONS.iter().find(|d| **d == g.dimension)) {
                *goals.entry(d).or_default() += 1;
            }
        }
    }
    let mut goals: Vec<(&str, i64)> = goals.into_iter().collect();
    goals.sort_by_key(|g| std::cmp::Reverse(g.1));
    let mut waits: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (programme, since, decided) in &raw.waits {
        if let Some(d) = days_between(since, decided.as_deref(), today) {
            waits.entry(programme.clone()).or_default().push(d);
        }
    }
    let mut waiting: Vec<FindingRow> = waits
        .into_iter()
        .map(|(programme, mut d)| FindingRow {
            label: programme,
            figure: Figure::of(d.len() as i64),
            extra: if d.len() as i64 >= SUPPRESS_BELOW {
                percentile(&mut d, 50)
            } else {
                None
            },
        })
        .collect();
    waiting.sort_by_key(|r| std::cmp::Reverse(r.figure.at_least()));
    let strained = raw
        .budgets
        .into_iter()
        .filter(|(_, allocated, _)| *allocated > 0)
        .map(|(programme, allocated, used)| (programme, used * 100 / allocated))
        .filter(|(_, pct)| *pct >= STRAINED_PERCENT)
        .map(|(programme, pct)| FindingRow {
            label: programme,
            figure: Figure::Count(pct),
            extra: None,
        })
        .collect();
    let finding = |key: &str, rows: Vec<FindingRow>| Finding {
        key: key.to_string(),
        included: true,
        rows,
    };
    vec![
        finding(
            "goals_without_service",
            goals
                .into_iter()
                .map(|(d, n)| FindingRow {
                    label: d.to_string(),
                    figure: Figure::of(n),
                    extra: None,
                })
                .collect(),
        ),
        finding("declined_no_capacity", by_name(raw.declined_no_capacity)),
        finding("ended_early", by_name(raw.ended_early)),
        finding("waiting", waiting),
        finding("budget_strain", strained),
    ]
}

impl App {
    async fn advocacy_row(&self, user: &CurrentUser, id: Uuid) -> Result<AdvocacyReport, AppError> {
        read(
            store::get(&self.db, user.actor.org_id, id)
                .await?
                .ok_or(AppError::NotFound)?,
        )
    }

    async fn advocacy_audit(
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
                "advocacy_report",
                id,
            ),
        )
        .await?;
        Ok(())
    }

    /// Checks that the user may work on advocacy reports, before a request's body is read.
    pub async fn check_advocacy(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        action: &str,
        id: Option<Uuid>,
    ) -> Result<(), AppError> {
        self.authorize(
            user,
            ctx,
            Action::WriteReports,
            action,
            ("advocacy_report", id),
        )
        .await
    }

    /// The organisation's reports, last changed first.
    #[tracing::instrument(skip_all)]
    pub async fn advocacy_reports(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
    ) -> Result<Vec<AdvocacyReport>, AppError> {
        self.authorize(
            user,
            ctx,
            Action::WriteReports,
            "advocacy.list",
            ("advocacy_report", None),
        )
        .await?;
        let rows = store::list(&self.db, user.actor.org_id, LIST_MAX).await?;
        self.advocacy_audit(user, ctx, "advocacy.list", None)
            .await?;
        rows.into_iter().map(read).collect()
    }

    /// Creates a draft for a period and scope, its figures pre-filled.
    #[tracing::instrument(skip_all)]
    pub async fn create_advocacy_report(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        input: &NewReportInput,
    ) -> Result<Uuid, AppError> {
        self.authorize(
            user,
            ctx,
            Action::WriteReports,
            "advocacy.create",
            ("advocacy_report", None),
        )
        .await?;
        let checked = check_new(input);
        let filters = self
            .report_filters(
                user,
                &DashboardQuery {
                    period: input.period.clone(),
                    unit: input.unit.clone(),
                    province: input.province.clone(),
                },
                false,
            )
            .await;
        let ((kind, title, audience), (period, unit, province)) = match (checked, filters) {
            (Ok(c), Ok(f)) => (c, f),
            (c, f) => {
                let mut errors = c.err().unwrap_or_default();
                match f {
                    Err(AppError::Invalid(more)) => errors.extend(more),
                    Err(other) => return Err(other),
                    Ok(_) => {}
                }
                return Err(AppError::Invalid(errors));
            }
        };
        let (first, last) = period.days();
        let raw = store::unmet_needs(
            &self.db,
            &Scope {
                org_id: user.actor.org_id,
                unit_id: unit,
                province_code: province.clone(),
            },
            &midnight(first),
            &midnight(last + Duration::days(1)),
            i64::from(period.fiscal_year()),
        )
        .await?;
        let content = Content {
            findings: findings(raw, bangkok_date(karuna_store::time::now())),
            ..Content::default()
        };
        let content = json(&content)?;
        let mut tx = self.db.begin().await?;
        let id = store::insert(
            &mut tx,
            &NewReport {
                org_id: user.actor.org_id,
                kind: kind.code(),
                title: &title,
                audience: &audience,
                period: &period.code(),
                unit_id: unit,
                province_code: province.as_deref(),
                content: &content,
                created_by: user.actor.id,
            },
        )
        .await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, "advocacy.create", Outcome::Success),
                "advocacy_report",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// One report (`action` names the read in the audit log: `advocacy.view`,
    /// `advocacy.export`).
    #[tracing::instrument(skip_all, fields(report_id = %id))]
    pub async fn advocacy_report(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        action: &'static str,
    ) -> Result<AdvocacyReport, AppError> {
        self.authorize(
            user,
            ctx,
            Action::WriteReports,
            action,
            ("advocacy_report", Some(id)),
        )
        .await?;
        let report = self.advocacy_row(user, id).await?;
        self.advocacy_audit(user, ctx, action, Some(id)).await?;
        Ok(report)
    }

    /// Saves an edit of a draft; returns the new version. A report in review or approved is
    /// refused (`report_not_draft`); a stale version is a conflict.
    #[tracing::instrument(skip_all, fields(report_id = %id))]
    pub async fn edit_advocacy_report(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        edit: &ReportEdit,
    ) -> Result<i64, AppError> {
        self.authorize(
            user,
            ctx,
            Action::WriteReports,
            "advocacy.edit",
            ("advocacy_report", Some(id)),
        )
        .await?;
        let report = self.advocacy_row(user, id).await?;
        if report.row.version != edit.version {
            return Err(AppError::Conflict);
        }
        if report.status != Status::Draft {
            return Err(AppError::Refused("report_not_draft"));
        }
        let (title, audience, content) = apply_edit(&report.content, edit)?;
        let content = json(&content)?;
        self.advocacy_change(
            user,
            ctx,
            id,
            edit.version,
            "advocacy.edit",
            Change {
                change: "edited",
                reason: None,
                status: Status::Draft.code(),
                title: &title,
                audience: &audience,
                content: &content,
                by: user.actor.id,
                approves: false,
            },
        )
        .await
    }

    /// Takes a step of the review; returns the new version. Approving and returning are for a
    /// supervisor who did not create the report.
    #[tracing::instrument(skip_all, fields(report_id = %id))]
    pub async fn advocacy_step(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        input: &StepInput,
    ) -> Result<i64, AppError> {
        self.authorize(
            user,
            ctx,
            Action::WriteReports,
            "advocacy.step",
            ("advocacy_report", Some(id)),
        )
        .await?;
        let report = self.advocacy_row(user, id).await?;
        if report.row.version != input.version {
            return Err(AppError::Conflict);
        }
        let (step, reason) = check_step(report.status, input)?;
        let action = match step {
            Step::Submit => "advocacy.submit",
            Step::Approve => "advocacy.approve",
            Step::Return => "advocacy.return",
            Step::Revise => "advocacy.revise",
        };
        if matches!(step, Step::Approve | Step::Return) {
            self.authorize(
                user,
                ctx,
                Action::ApproveReport {
                    author: report.row.created_by,
                },
                action,
                ("advocacy_report", Some(id)),
            )
            .await?;
        }
        self.advocacy_change(
            user,
            ctx,
            id,
            input.version,
            action,
            Change {
                change: step.code(),
                reason: reason.as_deref(),
                status: step.transition().1.code(),
                title: &report.row.title,
                audience: &report.row.audience,
                content: &report.row.content,
                by: user.actor.id,
                approves: step == Step::Approve,
            },
        )
        .await
    }

    async fn advocacy_change(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
        version: i64,
        action: &str,
        change: Change<'_>,
    ) -> Result<i64, AppError> {
        let mut tx = self.db.begin().await?;
        let next = store::change(&mut tx, user.actor.org_id, id, version, &change).await?;
        audit::append(
            &mut tx,
            &on(
                event(Some(user), ctx, action, Outcome::Success),
                "advocacy_report",
                Some(id),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(next)
    }

    /// A report's versions, newest first.
    #[tracing::instrument(skip_all, fields(report_id = %id))]
    pub async fn advocacy_versions(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<Vec<AdvocacyVersion>, AppError> {
        self.authorize(
            user,
            ctx,
            Action::WriteReports,
            "advocacy.versions",
            ("advocacy_report", Some(id)),
        )
        .await?;
        self.advocacy_row(user, id).await?;
        let rows = store::versions(&self.db, user.actor.org_id, id).await?;
        self.advocacy_audit(user, ctx, "advocacy.versions", Some(id))
            .await?;
        rows.into_iter()
            .map(|row| {
                let content = serde_json::from_str(&row.content)
                    .map_err(|e| AppError::Internal(format!("advocacy content: {e}")))?;
                Ok(AdvocacyVersion { row, content })
            })
            .collect()
    }

    /// Examples offered for a report: facts from the cases the user is on, in the report's
    /// period and scope, sensitive cases left out, newest first.
    #[tracing::instrument(skip_all, fields(report_id = %id))]
    pub async fn advocacy_examples(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        id: Uuid,
    ) -> Result<Vec<ExampleOffer>, AppError> {
        self.authorize(
            user,
            ctx,
            Action::WriteReports,
            "advocacy.examples",
            ("advocacy_report", Some(id)),
        )
        .await?;
        let report = self.advocacy_row(user, id).await?;
        let Some(period) = report.period else {
            return Ok(Vec::new());
        };
        let (first, last) = period.days();
        let facts = store::example_facts(
            &self.db,
            user.case_scope(),
            &Scope {
                org_id: user.actor.org_id,
                unit_id: report.row.unit_id,
                province_code: report.row.province_code.clone(),
            },
            &midnight(first),
            &midnight(last + Duration::days(1)),
            EXAMPLES_OFFERED,
        )
        .await?;
        self.advocacy_audit(user, ctx, "advocacy.examples", Some(id))
            .await?;
        let today = bangkok_date(karuna_store::time::now());
        Ok(facts.into_iter().map(|f| offer(f, today)).collect())
    }
}

fn offer(f: ExampleFacts, today: NaiveDate) -> ExampleOffer {
    let (age_from, age_to) = age_band(f.birth_year, today);
    ExampleOffer {
        days: days_between(&f.since, f.until.as_deref(), today),
        kind: f.kind,
        case_type: f
            .case_types
            .split(',')
            .find(|t| !t.is_empty())
            .map(str::to_string),
        sex: f.sex,
        age_from,
        age_to,
        provider: f.provider,
        service: f.service,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    #[test]
    fn age_bands_never_narrow_below_a_decade() {
        let today = d("2026-12-06");
        assert_eq!(age_band(Some(2015), today), (Some(0), Some(17)));
        assert_eq!(age_band(Some(2000), today), (Some(18), Some(29)));
        assert_eq!(age_band(Some(1990), today), (Some(30), Some(39)));
        assert_eq!(age_band(Some(1950), today), (Some(60), None));
        assert_eq!(age_band(None, today), (None, None));
    }

    #[test]
    fn waits_are_counted_per_programme_with_a_median_from_five() {
        let raw = store::UnmetRaw {
            waits: (0..6)
                .map(|i| {
                    (
                        "ทุนการศึกษา".to_string(),
                        format!("2026-11-{:02}T03:00:00.000000Z", 1 + i),
                        Some("2026-11-21T03:00:00.000000Z".to_string()),
                    )
                })
                .chain(std::iter::once((
                    "บ้านพัก".to_string(),
                    "2026-11-01T03:00:00.000000Z".to_string(),
                    None,
                )))
                .collect(),
            budgets: vec![("ทุนการศึกษา".into(), 1000, 950), ("บ้านพัก".into(), 1000, 100)],
            ..store::UnmetRaw::default()
        };
        let f = findings(raw, d("2026-12-06"));
        let waiting = f.iter().find(|f| f.key == "waiting").expect("waiting");
        assert_eq!(waiting.rows[0].label, "ทุนการศึกษา");
        assert_eq!(waiting.rows[0].figure, Figure::Count(6));
        assert!(waiting.rows[0].extra.is_some());
        assert_eq!(waiting.rows[1].figure, Figure::Suppressed);
        assert_eq!(waiting.rows[1].extra, None, "no median under five");
        let budget = f.iter().find(|f| f.key == "budget_strain").expect("budget");
        assert_eq!(budget.rows.len(), 1);
        assert_eq!(budget.rows[0].figure, Figure::Count(95));
    }
}
