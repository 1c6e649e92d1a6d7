//! The facts of a case that rules may use — eligibility criteria (`gatekeeping`) and the
//! complexity screening (`screening`) — gathered from the case, its client and its completed
//! assessments. A fact the case does not hold is left out, so that a rule needing it says
//! "unknown" rather than reading a zero.

use crate::{App, AppError};
use karuna_domain::gatekeeping::criteria::{FactValue, Facts};
use karuna_store::assessment::AssessmentRow;
use karuna_store::case::CaseRow;
use karuna_thai::calendar::bangkok_date;
use std::collections::BTreeMap;

/// The need levels of an assessment domain that count as a need.
const NEED_LEVELS: [&str; 3] = ["moderate", "high", "severe"];

/// The domains in need in the case's completed assessments: each template's latest completed
/// one counts, and a domain at a moderate or higher level is in need; distinct codes, the most
/// recently assessed template's first. `None` until a completed assessment has domain levels
/// (the needs are then unknown, not none).
pub(crate) fn domains_in_need(assessments: &[AssessmentRow]) -> Option<Vec<String>> {
    let mut done: Vec<&AssessmentRow> = assessments
        .iter()
        .filter(|a| a.status == "completed")
        .collect();
    done.sort_by_key(|a| std::cmp::Reverse(a.completed_at));
    let mut templates: Vec<&str> = Vec::new();
    let mut levelled = false;
    let mut out: Vec<String> = Vec::new();
    for a in done {
        if templates.contains(&a.template_key.as_str()) {
            continue;
        }
        templates.push(&a.template_key);
        for d in a.scores.iter().flat_map(|s| s.domains.iter()) {
            levelled |= d.level.is_some();
            let needed = d.level.as_deref().is_some_and(|l| NEED_LEVELS.contains(&l));
            if needed && !out.contains(&d.code) {
                out.push(d.code.clone());
            }
        }
    }
    levelled.then_some(out)
}

impl App {
    /// The case's facts for rules (see the module).
    pub(crate) async fn rule_facts(&self, case: &CaseRow) -> Result<Facts, AppError> {
        let mut f: Facts = BTreeMap::new();
        let text = |s: &str| FactValue::Text(s.to_string());
        f.insert(
            "case_types".into(),
            FactValue::List(case.case_types.iter().map(|t| text(t)).collect()),
        );
        f.insert("urgency".into(), text(&case.urgency));
        f.insert("case_status".into(), text(&case.status));
        let today = bangkok_date(karuna_store::time::now());
        if let Some(p) =
            karuna_store::person::person_by_id(&self.db, case.org_id, case.client_id).await?
        {
            let age = match (p.birth_date, p.birth_year) {
                (Some(b), _) => today.years_since(b).map(i64::from),
                (None, Some(y)) => Some(i64::from(chrono::Datelike::year(&today)) - y),
                _ => None,
            };
            if let Some(a) = age {
                f.insert("age".into(), FactValue::Int(a));
            }
            if p.sex != "unknown" && !p.sex.is_empty() {
                f.insert("sex".into(), text(&p.sex));
            }
            if let Some(n) = &p.nationality {
                f.insert("nationality".into(), text(n));
            }
            let docs = karuna_store::person::documents(&self.db, p.id).await?;
            f.insert(
                "document_kinds".into(),
                FactValue::List(docs.iter().map(|d| text(&d.kind)).collect()),
            );
            if let Some(a) = karuna_store::person::addresses(&self.db, p.id)
                .await?
                .into_iter()
                .next()
            {
                f.insert("province".into(), text(&a.province_code));
                f.insert("district".into(), text(&a.district_code));
            }
        }
        // The intake's safety screening first, then completed assessments, the latest of each
        // template last so that its answers win.
        let mut answers = BTreeMap::new();
        if let Ok(serde_json::Value::Object(intake)) =
            serde_json::from_str::<serde_json::Value>(&case.safety_answers)
        {
            for (k, v) in &intake {
                if let Some(v) = FactValue::from_json(v) {
                    answers.insert(k.clone(), v);
                }
            }
        }
        let all = karuna_store::assessment::for_case(&self.db, case.id).await?;
        let needs = domains_in_need(&all);
        let mut assessments: Vec<_> = all
            .into_iter()
            .filter(|a| a.status == "completed")
            .collect();
        assessments.sort_by_key(|a| a.completed_at);
        let mut scores = BTreeMap::new();
        let mut levels = BTreeMap::new();
        let mut disability = None;
        for a in &assessments {
            for (k, v) in &a.answers {
                if let Some(v) = FactValue::from_json(v) {
                    answers.insert(k.clone(), v);
                }
            }
            if let Some(s) = &a.scores {
                scores.insert(a.template_key.clone(), FactValue::Int(s.total));
                if let Some(l) = &s.level {
                    levels.insert(a.template_key.clone(), text(l));
                }
            }
            if a.template_key == "disability" {
                let listed = a
                    .answers
                    .get("dis_types")
                    .and_then(|v| v.as_array())
                    .is_some_and(|l| !l.is_empty());
                disability = Some(listed);
            }
        }
        if case.case_types.iter().any(|t| t.contains("disab")) {
            disability = Some(true);
        }
        if let Some(d) = disability {
            f.insert("disability".into(), FactValue::Bool(d));
        }
        // Needs across domains (by code, whichever template assessed them); unknown until a
        // scored assessment with domain levels is completed.
        if let Some(n) = needs {
            f.insert("needs_domains".into(), FactValue::Int(n.len() as i64));
        }
        let int = |v: Option<&FactValue>| match v {
            Some(FactValue::Int(i)) => Some(*i),
            Some(FactValue::Float(x)) if x.is_finite() => Some(x.floor() as i64),
            _ => None,
        };
        let income = int(answers.get("eco_income"));
        let dependants = int(answers.get("fam_dependants"));
        if let Some(i) = income {
            f.insert("household_income".into(), FactValue::Int(i));
        }
        if let Some(d) = dependants {
            f.insert("dependants".into(), FactValue::Int(d));
        }
        if let (Some(i), Some(d)) = (income, dependants) {
            f.insert(
                "household_income_per_head".into(),
                FactValue::Int(i / (1 + d.max(0))),
            );
        }
        if let Some(FactValue::Bool(b)) = answers.get("leg_pending_case") {
            f.insert("legal_proceedings".into(), FactValue::Bool(*b));
        }
        let (earlier, failed) = karuna_store::screening::client_history(
            &self.db,
            case.client_id,
            case.id,
            case.opened_at,
        )
        .await?;
        f.insert("earlier_cases".into(), FactValue::Int(earlier));
        f.insert("failed_referrals".into(), FactValue::Int(failed));
        f.insert("answers".into(), FactValue::Map(answers));
        f.insert("scores".into(), FactValue::Map(scores));
        f.insert("levels".into(), FactValue::Map(levels));
        Ok(f)
    }
}
