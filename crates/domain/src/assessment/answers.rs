//! Answers against one template version: their validation (unknown question, wrong type,
//! required but missing — only when the question is shown), the worker's notes per domain, and
//! the scores per domain with their levels.

use super::model::{level_for, Kind, Question, Template};
use crate::error::{FieldError, Validation};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Answers keyed by question id (a choice's code, a list of codes, an integer, a boolean, a
/// number, an ISO date or a text).
pub type Answers = BTreeMap<String, Value>;

/// The longest free-text answer or note (characters).
pub const TEXT_MAX: usize = 20_000;

/// How strictly answers are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Saving work in progress: what is there must fit; gaps are fine.
    Draft,
    /// Completing: every required question that is shown must be answered.
    Complete,
}

/// True when nothing was given.
fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// An answer as the values a show-if condition compares with.
fn as_values(q: &Question, v: &Value) -> Vec<String> {
    match (q.kind, v) {
        (Kind::YesNo, Value::Bool(b)) => vec![if *b { "yes" } else { "no" }.to_string()],
        (_, Value::String(s)) => vec![s.clone()],
        (_, Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        (_, Value::Number(n)) => vec![n.to_string()],
        _ => Vec::new(),
    }
}

/// True when the question is shown with these answers: it has no condition, or the question it
/// looks back at is shown and answered with one of the listed values.
pub fn is_shown(t: &Template, answers: &Answers, q: &Question) -> bool {
    let mut current = q;
    // Conditions only look back, so this walk ends; the bound guards a template not validated.
    for _ in 0..=t.questions().count() {
        let Some(c) = &current.show_if else {
            return true;
        };
        let Some(prior) = t.question(&c.question) else {
            return false;
        };
        let matched = answers
            .get(&c.question)
            .is_some_and(|v| as_values(prior, v).iter().any(|x| c.any_of.contains(x)));
        if !matched {
            return false;
        }
        current = prior;
    }
    false
}

/// Checks one answer's type and range; `Ok` gives its normalised form.
fn check_answer(q: &Question, v: &Value) -> Result<Value, FieldError> {
    let field = format!("answers.{}", q.id);
    let wrong = || {
        FieldError::new(field.clone(), "assessment.answer.wrong_type").arg("type", q.kind.code())
    };
    let option = |s: &str| q.options.iter().any(|o| o.code == s);
    match q.kind {
        Kind::SingleChoice => {
            let s = v.as_str().ok_or_else(wrong)?.trim();
            if !option(s) {
                return Err(FieldError::new(field, "assessment.answer.not_an_option"));
            }
            Ok(Value::String(s.to_string()))
        }
        Kind::MultipleChoice => {
            let items = v.as_array().ok_or_else(wrong)?;
            let mut out: Vec<Value> = Vec::new();
            for item in items {
                let s = item.as_str().ok_or_else(wrong)?.trim();
                if !option(s) {
                    return Err(FieldError::new(field, "assessment.answer.not_an_option"));
                }
                if !out.iter().any(|x| x.as_str() == Some(s)) {
                    out.push(Value::String(s.to_string()));
                }
            }
            Ok(Value::Array(out))
        }
        Kind::YesNo => v.as_bool().map(Value::Bool).ok_or_else(wrong),
        Kind::Scale | Kind::Number => {
            let n = v.as_f64().ok_or_else(wrong)?;
            if q.kind == Kind::Scale && v.as_i64().is_none() {
                return Err(wrong());
            }
            let low = q.min.is_some_and(|m| n < m as f64);
            let high = q.max.is_some_and(|m| n > m as f64);
            if low || high || !n.is_finite() {
                let mut e = FieldError::new(field, "assessment.answer.out_of_range");
                if let (Some(a), Some(b)) = (q.min, q.max) {
                    e = e.arg("min", a).arg("max", b);
                }
                return Err(e);
            }
            Ok(v.clone())
        }
        Kind::Date => {
            let s = v.as_str().ok_or_else(wrong)?.trim();
            NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| wrong())?;
            Ok(Value::String(s.to_string()))
        }
        Kind::Text => {
            let s = v.as_str().ok_or_else(wrong)?.trim();
            if s.chars().count() > TEXT_MAX {
                return Err(FieldError::new(field, "too_long").arg("max", TEXT_MAX));
            }
            Ok(Value::String(s.to_string()))
        }
    }
}

/// Validates answers against a template version. Unknown questions and answers of the wrong
/// type or out of range are refused; in `Complete` mode a required question that is shown must
/// be answered. Blank answers are dropped, and so (when completing) are answers to questions
/// not shown; the result is what is stored.
pub fn validate_answers(
    t: &Template,
    answers: &Answers,
    mode: Mode,
) -> Result<Answers, Vec<FieldError>> {
    let mut v = Validation::new();
    let mut out = Answers::new();
    for (id, value) in answers {
        let Some(q) = t.question(id) else {
            v.push(FieldError::new(
                format!("answers.{id}"),
                "assessment.answer.unknown_question",
            ));
            continue;
        };
        if is_blank(value) {
            continue;
        }
        match check_answer(q, value) {
            Ok(n) => {
                out.insert(id.clone(), n);
            }
            Err(e) => v.push(e),
        }
    }
    if mode == Mode::Complete {
        // Every problem at once: required questions are judged on the answers that fit, and a
        // question whose answer was refused above is not reported twice.
        let shown: Vec<&Question> = t
            .questions()
            .map(|(_, q)| q)
            .filter(|q| is_shown(t, &out, q))
            .collect();
        for q in &shown {
            let refused =
                answers.get(&q.id).is_some_and(|a| !is_blank(a)) && !out.contains_key(&q.id);
            v.check(
                q.required && !out.contains_key(&q.id) && !refused,
                &format!("answers.{}", q.id),
                "required",
            );
        }
        out.retain(|id, _| shown.iter().any(|q| &q.id == id));
    }
    v.finish()?;
    Ok(out)
}

/// The worker's notes on one domain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DomainNotes {
    /// Where the information came from (`client_interview`, `family`, `home_visit`,
    /// `documents`, `other_agency`, `observation`).
    pub sources: Vec<String>,
    /// Strengths.
    pub strengths: String,
    /// Needs.
    pub needs: String,
    /// Analysis: causes.
    pub causes: String,
    /// Analysis: impacts.
    pub impacts: String,
    /// Analysis: options.
    pub options: String,
}

/// Checks the notes per domain (known domains and sources, lengths); returns them trimmed,
/// empty domains dropped.
pub fn check_notes(
    t: &Template,
    notes: &BTreeMap<String, DomainNotes>,
) -> Result<BTreeMap<String, DomainNotes>, Vec<FieldError>> {
    let mut v = Validation::new();
    let mut out = BTreeMap::new();
    for (code, n) in notes {
        let p = format!("notes.{code}");
        if !t.sections.iter().any(|s| &s.code == code) {
            v.push(FieldError::new(p, "assessment.notes.unknown_domain"));
            continue;
        }
        let mut sources: Vec<String> = Vec::new();
        for s in n.sources.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
            if !super::SOURCES.contains(&s) {
                v.push(FieldError::new(
                    format!("{p}.sources"),
                    "contact.source_unknown",
                ));
            } else if !sources.iter().any(|x| x == s) {
                sources.push(s.to_string());
            }
        }
        let clean = DomainNotes {
            sources,
            strengths: n.strengths.trim().to_string(),
            needs: n.needs.trim().to_string(),
            causes: n.causes.trim().to_string(),
            impacts: n.impacts.trim().to_string(),
            options: n.options.trim().to_string(),
        };
        for (name, text) in [
            ("strengths", &clean.strengths),
            ("needs", &clean.needs),
            ("causes", &clean.causes),
            ("impacts", &clean.impacts),
            ("options", &clean.options),
        ] {
            if text.chars().count() > TEXT_MAX {
                v.push(FieldError::new(format!("{p}.{name}"), "too_long").arg("max", TEXT_MAX));
            }
        }
        if clean != DomainNotes::default() {
            out.insert(code.clone(), clean);
        }
    }
    v.finish()?;
    Ok(out)
}

/// One domain's score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DomainScore {
    /// The domain's code.
    pub code: String,
    /// Points scored (shown, answered questions).
    pub score: i64,
    /// The most points the domain can score.
    pub max: i64,
    /// The level reached, if the domain has levels.
    pub level: Option<String>,
}

/// Scores of an assessment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Scores {
    /// Scored domains in template order.
    pub domains: Vec<DomainScore>,
    /// Sum over the domains.
    pub total: i64,
    /// The overall level, if the template has levels.
    pub level: Option<String>,
    /// The case urgency that level calls for.
    pub urgency: Option<String>,
}

fn points(q: &Question, v: &Value) -> i64 {
    match q.kind {
        Kind::SingleChoice | Kind::MultipleChoice => as_values(q, v)
            .iter()
            .filter_map(|c| {
                q.options
                    .iter()
                    .find(|o| &o.code == c)
                    .and_then(|o| o.points)
            })
            .sum(),
        Kind::YesNo if v.as_bool() == Some(true) => q.yes_points.unwrap_or(0),
        Kind::Scale if q.scored => v.as_i64().unwrap_or(0),
        _ => 0,
    }
}

fn max_points(q: &Question) -> i64 {
    let positive = q.options.iter().filter_map(|o| o.points).filter(|p| *p > 0);
    match q.kind {
        Kind::SingleChoice => positive.max().unwrap_or(0),
        Kind::MultipleChoice => positive.sum(),
        Kind::YesNo => q.yes_points.unwrap_or(0).max(0),
        Kind::Scale if q.scored => q.max.unwrap_or(0),
        _ => 0,
    }
}

/// Per-domain sums of the points of shown, answered questions, their levels, the total and the
/// overall level with the urgency it calls for. Domains without scored questions are left out.
pub fn score(t: &Template, answers: &Answers) -> Scores {
    let mut out = Scores::default();
    for s in &t.sections {
        let scored: Vec<&Question> = s.questions.iter().filter(|q| q.is_scored()).collect();
        if scored.is_empty() {
            continue;
        }
        let score: i64 = scored
            .iter()
            .filter(|q| is_shown(t, answers, q))
            .filter_map(|q| answers.get(&q.id).map(|v| points(q, v)))
            .sum();
        out.total += score;
        out.domains.push(DomainScore {
            code: s.code.clone(),
            score,
            max: scored.iter().map(|q| max_points(q)).sum(),
            level: level_for(&s.levels, score).map(|l| l.code.clone()),
        });
    }
    if let Some(l) = level_for(&t.levels, out.total) {
        out.level = Some(l.code.clone());
        out.urgency = l.urgency.clone();
    }
    out
}
