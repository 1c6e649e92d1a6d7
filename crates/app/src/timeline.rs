//! The case's timeline: one chronological view of contacts, assessments, attached files,
//! conferences, consultations, plan versions, progress, reviews, closures, follow-ups,
//! lifecycle transitions, promises, referrals, requests for scarce resources, and complexity
//! suggestions with the worker's decisions on them.

use crate::case::CaseAccess;
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{DateTime, NaiveDate, Utc};
use karuna_domain::audit::Outcome;
use karuna_store::audit;
use uuid::Uuid;

/// One entry of the timeline.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct TimelineEntry {
    /// When (dates without a time of day are placed at noon, Bangkok time).
    pub at: DateTime<Utc>,
    /// Only the date is known (`at` is that day's noon in Bangkok, for ordering): show the
    /// date without a time of day.
    pub all_day: bool,
    /// What kind of record: `contact`, `assessment`, `attachment`, `conference`,
    /// `consultation`, `plan`, `progress`, `review`, `closure`, `follow_up`, `transition`,
    /// `promise`, `referral`, `allocation`, `screening` (a complexity suggestion, `value` its
    /// level, and the worker's decision on it, `text` her reason), `service_match` (the service
    /// chosen for a need: `value` the need's category, `text` her reason).
    pub kind: String,
    /// The record's own code: the contact kind, the assessment template, the plan status, the
    /// review outcome, the closure reason, the promise event, the target status…
    pub code: String,
    /// A short text: the note, summary or statement (cut to 300 characters).
    pub text: String,
    /// A number or score that belongs to the entry (plan version, GAS score…).
    pub value: Option<String>,
    /// Who.
    pub by: Option<String>,
    /// The page that holds the record.
    pub page: String,
}

fn noon(d: NaiveDate) -> DateTime<Utc> {
    // 12:00 in Bangkok is 05:00 UTC.
    d.and_hms_opt(5, 0, 0)
        .map(|t| t.and_utc())
        .unwrap_or_default()
}

fn cut(s: &str) -> String {
    let mut out: String = s.chars().take(300).collect();
    if s.chars().count() > 300 {
        out.push('…');
    }
    out
}

impl App {
    /// The case's timeline, newest first.
    pub async fn timeline(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case_id: Uuid,
    ) -> Result<Vec<TimelineEntry>, AppError> {
        self.case_for(user, ctx, case_id, CaseAccess::Open, "timeline.read")
            .await?;
        let db = &self.db;
        let base = format!("/cases/{case_id}");
        let mut out = Vec::new();
        let mut push = |at,
                        all_day: bool,
                        kind: &str,
                        code: &str,
                        text: &str,
                        value: Option<String>,
                        by: Option<String>,
                        page: String| {
            out.push(TimelineEntry {
                at,
                all_day,
                kind: kind.into(),
                code: code.into(),
                text: cut(text),
                value,
                by,
                page,
            })
        };
        for c in karuna_store::contact::for_case(db, case_id, 10_000).await? {
            push(
                c.occurred_at,
                !c.time_known,
                "contact",
                &c.kind,
                &c.note,
                None,
                c.created_by_name.clone(),
                format!("{base}?tab=contacts"),
            );
        }
        for a in karuna_store::assessment::for_case(db, case_id).await? {
            let page = format!("/assessments/{}", a.id);
            push(
                a.created_at,
                false,
                "assessment",
                "started",
                &a.template_key,
                None,
                a.created_by_name.clone(),
                page.clone(),
            );
            if let Some(done) = a.completed_at {
                push(
                    done,
                    false,
                    "assessment",
                    "completed",
                    &a.template_key,
                    None,
                    a.created_by_name.clone(),
                    page,
                );
            }
        }
        for f in karuna_store::attachment::of_case(db, case_id).await? {
            use karuna_store::attachment::AttachedTo;
            let (code, page) = match f.to {
                AttachedTo::Contact(_) => ("contact", format!("{base}?tab=contacts")),
                AttachedTo::Assessment(a) => ("assessment", format!("/assessments/{a}")),
                AttachedTo::Consent(_) => ("consent", format!("{base}?tab=persons")),
                AttachedTo::Case => ("case", base.clone()),
                AttachedTo::Payment(_) => ("payment", format!("{base}/allocations")),
            };
            let text = match &f.description {
                Some(d) => format!("{} — {d}", f.filename),
                None => f.filename.clone(),
            };
            push(
                f.created_at,
                false,
                "attachment",
                code,
                &text,
                None,
                f.created_by_name.clone(),
                page,
            );
        }
        for f in karuna_store::conference::for_case(db, case_id).await? {
            push(
                f.starts_at,
                false,
                "conference",
                &f.status,
                &f.title,
                None,
                Some(f.chair_name.clone()),
                format!("/conferences/{}", f.id),
            );
        }
        for t in karuna_store::consultation::for_case(db, case_id).await? {
            let page = format!("{base}/consultations#thread-{}", t.id);
            push(
                t.created_at,
                false,
                "consultation",
                "asked",
                &t.subject,
                None,
                Some(t.asked_by_name.clone()),
                page.clone(),
            );
            if let (Some(at), Some(advice)) = (t.resolved_at, &t.resolution) {
                push(
                    at,
                    false,
                    "consultation",
                    "resolved",
                    advice,
                    None,
                    t.resolved_by_name.clone(),
                    page,
                );
            }
        }
        let plan = karuna_store::plan::versions(db, case_id).await?;
        let statement = |g: &Uuid| {
            plan.iter()
                .flat_map(|v| v.content.goals.iter())
                .find(|x| x.id == *g)
                .map(|x| x.statement.clone())
                .unwrap_or_default()
        };
        for v in &plan {
            let text = v.reason.clone().unwrap_or_else(|| {
                v.content
                    .goals
                    .iter()
                    .map(|g| g.statement.as_str())
                    .collect::<Vec<_>>()
                    .join(" · ")
            });
            push(
                v.created_at,
                false,
                "plan",
                &v.status,
                &text,
                Some(v.number.to_string()),
                Some(v.created_by_name.clone()),
                format!("{base}/plan"),
            );
        }
        for p in karuna_store::plan::progress(db, case_id).await? {
            let value = p.gas.map(|g| format!("GAS {g:+}")).or(p.value.clone());
            push(
                noon(p.measured_on),
                true,
                "progress",
                &p.source,
                &statement(&p.goal_id),
                value,
                Some(p.recorded_by_name.clone()),
                format!("{base}/plan"),
            );
        }
        for r in karuna_store::closure::reviews(db, case_id).await? {
            // Tenths as an exact decimal, never through a float.
            let value = r.gas_t_tenths.map(|t| {
                format!(
                    "T {}{}.{}",
                    if t < 0 { "-" } else { "" },
                    (t / 10).abs(),
                    (t % 10).abs()
                )
            });
            push(
                noon(r.held_on),
                true,
                "review",
                &r.outcome,
                &r.note,
                value,
                Some(r.recorded_by_name.clone()),
                format!("{base}/closure"),
            );
        }
        for c in karuna_store::closure::closures(db, case_id).await? {
            push(
                c.created_at,
                false,
                "closure",
                &c.reason,
                &c.summary,
                Some(c.status.clone()),
                Some(c.created_by_name.clone()),
                format!("{base}/closure"),
            );
        }
        for f in karuna_store::closure::follow_ups(db, case_id).await? {
            let (at, code) = match f.done_on {
                Some(d) => (noon(d), "done"),
                None => (noon(f.due_on), "due"),
            };
            push(
                at,
                true,
                "follow_up",
                code,
                f.note.as_deref().unwrap_or(""),
                None,
                None,
                format!("{base}/closure"),
            );
        }
        for t in karuna_store::case::transitions(db, case_id).await? {
            let code = t.to_status.clone().unwrap_or_else(|| t.kind.clone());
            push(
                t.at,
                false,
                "transition",
                &code,
                t.reason.as_deref().unwrap_or(""),
                Some(t.kind.clone()),
                t.actor.clone(),
                format!("{base}?tab=history"),
            );
        }
        let promises = karuna_store::promise::for_case(db, case_id).await?;
        for e in karuna_store::promise::events_for_case(db, case_id).await? {
            let what = promises
                .iter()
                .find(|p| p.id == e.promise_id)
                .map(|p| p.what.as_str())
                .unwrap_or("");
            let text = match &e.reason {
                Some(r) => format!("{what} — {r}"),
                None => what.to_string(),
            };
            push(
                e.at,
                false,
                "promise",
                &e.kind,
                &text,
                None,
                e.actor.clone(),
                format!("{base}?tab=promises"),
            );
        }
        for (referral, provider, e) in karuna_store::referral::events_of_case(db, case_id).await? {
            let text = match &e.reason {
                Some(r) => format!("{provider} — {r}"),
                None => provider,
            };
            push(
                e.at,
                false,
                "referral",
                &e.kind,
                &text,
                None,
                e.actor.clone(),
                format!("/referrals/{referral}"),
            );
        }
        for (request, programme, e) in
            karuna_store::gatekeeping::events_of_case(db, case_id).await?
        {
            let text = match &e.reason {
                Some(r) => format!("{programme} — {r}"),
                None => programme,
            };
            push(
                e.at,
                false,
                "allocation",
                &e.kind,
                &text,
                None,
                e.actor.clone(),
                format!("/allocations/{request}"),
            );
        }
        for s in karuna_store::screening::for_case(db, case_id, Some("complexity"), 10_000).await? {
            let page = format!("{base}/screening#suggestion-{}", s.id);
            push(
                s.created_at,
                false,
                "screening",
                "suggested",
                "",
                Some(s.suggested.clone()),
                s.created_by_name.clone(),
                page.clone(),
            );
            if let (Some(d), Some(at)) = (&s.decision, s.decided_at) {
                push(
                    at,
                    false,
                    "screening",
                    d,
                    s.decision_reason.as_deref().unwrap_or_default(),
                    s.decided.clone(),
                    s.decided_by_name.clone(),
                    page,
                );
            }
        }
        for s in
            karuna_store::screening::for_case(db, case_id, Some("service_match"), 10_000).await?
        {
            if let (Some(d), Some(at)) = (&s.decision, s.decided_at) {
                push(
                    at,
                    false,
                    "service_match",
                    d,
                    s.decision_reason.as_deref().unwrap_or_default(),
                    s.subject.clone(),
                    s.decided_by_name.clone(),
                    format!("{base}/services"),
                );
            }
        }
        out.sort_by_key(|e| std::cmp::Reverse(e.at));
        audit::append_alone(
            &self.db,
            &on(
                event(Some(user), ctx, "timeline.read", Outcome::Success),
                "case",
                Some(case_id),
            ),
        )
        .await?;
        Ok(out)
    }
}
