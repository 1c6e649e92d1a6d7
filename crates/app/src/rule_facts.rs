//! The facts of a case that rules may use — eligibility criteria (`gatekeeping`) and the
//! complexity screening (`screening`) — gathered from the case, its client and its completed
//! assessments. A fact the case does not hold is left out, so that a rule needing it says
//! "unknown" rather than reading a zero.

use crate::{App, AppError};
use chrono::NaiveDate;
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

/// The client's details rules may read (the screening takes the protected ones out again).
#[derive(Debug, Clone, Default)]
pub(crate) struct ClientFacts {
    /// `male`, `female` … (`unknown` or empty: not known).
    pub sex: String,
    /// Nationality code.
    pub nationality: Option<String>,
    /// The kinds of identity documents held.
    pub document_kinds: Vec<String>,
    /// Province and district codes of the first address.
    pub address: Option<(String, String)>,
}

/// What a case's facts are built from: read one case at a time for the rules, or in bulk for
/// training the learned screening (`screening_model`).
#[derive(Debug, Clone)]
pub(crate) struct FactSources<'a> {
    /// The case.
    pub case: &'a CaseRow,
    /// The client's birth date, or year.
    pub birth: (Option<NaiveDate>, Option<i64>),
    /// The client's other details (none when training: the model never reads them).
    pub client: Option<ClientFacts>,
    /// The case's assessments (any status).
    pub assessments: &'a [AssessmentRow],
    /// The client's earlier cases, and failed referrals.
    pub history: (i64, i64),
    /// The day ages are reckoned on.
    pub as_of: NaiveDate,
}

/// The facts of a case (see the module).
pub(crate) fn facts_from(src: &FactSources<'_>) -> Facts {
    let case = src.case;
    let mut f: Facts = BTreeMap::new();
    let text = |s: &str| FactValue::Text(s.to_string());
    f.insert(
        "case_types".into(),
        FactValue::List(case.case_types.iter().map(|t| text(t)).collect()),
    );
    f.insert("urgency".into(), text(&case.urgency));
    f.insert("case_status".into(), text(&case.status));
    let age = match src.birth {
        (Some(b), _) => src.as_of.years_since(b).map(i64::from),
        (None, Some(y)) => Some(i64::from(chrono::Datelike::year(&src.as_of)) - y),
        _ => None,
    };
    if let Some(a) = age {
        f.insert("age".into(), FactValue::Int(a));
    }
    if let Some(p) = &src.client {
        if p.sex != "unknown" && !p.sex.is_empty() {
            f.insert("sex".into(), text(&p.sex));
        }
        if let Some(n) = &p.nationality {
            f.insert("nationality".into(), text(n));
        }
        f.insert(
            "document_kinds".into(),
            FactValue::List(p.document_kinds.iter().map(|d| text(d)).collect()),
        );
        if let Some((province, district)) = &p.address {
            f.insert("province".into(), text(province));
            f.insert("district".into(), text(district));
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
    let needs = domains_in_need(src.assessments);
    let mut assessments: Vec<&AssessmentRow> = src
        .assessments
        .iter()
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
    let (earlier, failed) = src.history;
    f.insert("earlier_cases".into(), FactValue::Int(earlier));
    f.insert("failed_referrals".into(), FactValue::Int(failed));
    f.insert("answers".into(), FactValue::Map(answers));
    f.insert("scores".into(), FactValue::Map(scores));
    f.insert("levels".into(), FactValue::Map(levels));
    f
}

/// The facts of a closed case read in bulk (`store::screening_model::closed_cases`), as they
/// stood for the rules, with ages reckoned at its opening.
pub(crate) fn closed_case_facts(c: &karuna_store::screening_model::ClosedCase) -> Facts {
    facts_from(&FactSources {
        case: &c.case,
        birth: (c.birth_date, c.birth_year),
        client: None,
        assessments: &c.assessments,
        history: (c.earlier_cases, c.failed_referrals),
        as_of: bangkok_date(c.case.opened_at),
    })
}

impl App {
    /// The case's facts for rules (see the module).
    pub(crate) async fn rule_facts(&self, case: &CaseRow) -> Result<Facts, AppError> {
        let person =
            karuna_store::person::person_by_id(&self.db, case.org_id, case.client_id).await?;
        let (birth, client) = match person {
            Some(p) => {
                let docs = karuna_store::person::documents(&self.db, p.id).await?;
                let address = karuna_store::person::addresses(&self.db, p.id)
                    .await?
                    .into_iter()
                    .next()
                    .map(|a| (a.province_code, a.district_code));
                (
                    (p.birth_date, p.birth_year),
                    Some(ClientFacts {
                        sex: p.sex,
                        nationality: p.nationality,
                        document_kinds: docs.into_iter().map(|d| d.kind).collect(),
                        address,
                    }),
                )
            }
            None => ((None, None), None),
        };
        let assessments = karuna_store::assessment::for_case(&self.db, case.id).await?;
        let history = karuna_store::screening::client_history(
            &self.db,
            case.client_id,
            case.id,
            case.opened_at,
        )
        .await?;
        Ok(facts_from(&FactSources {
            case,
            birth,
            client,
            assessments: &assessments,
            history,
            as_of: bangkok_date(karuna_store::time::now()),
        }))
    }
}
