//! Similar closed cases (issue 22 item 3): for an open case, the organisation's closed cases
//! most alike — by the learned screening's features (`screening_model::value`: case types,
//! urgency, needs, age group, history), each standardised over the candidates — summarised
//! only as aggregates: how long they stayed open, why they closed, and for each kind of
//! intervention their plans used, how many goals it served, the share achieved and the GAS at
//! closure. Never a case's id or details, and every group of fewer than [`GROUP_MIN`] cases is
//! suppressed, so that no case can be singled out.

use crate::gatekeeping::criteria::Facts;
use crate::screening_model::{case_types, type_feature, value, BASE_FEATURES};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The fewest cases a figure is shown for.
pub const GROUP_MIN: usize = 5;
/// How many of the nearest closed cases are summarised.
pub const NEAREST: usize = 50;

/// A goal of a closed case's plan, as it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalEnd {
    /// The methods of the interventions under it (`plan::METHODS` codes).
    pub methods: Vec<String>,
    /// `achieved`, `partly` or `not_achieved` at closure; none when the closure did not say.
    pub outcome: Option<String>,
    /// The goal's last GAS score (−2 … +2), if it was ever scored.
    pub gas: Option<i64>,
}

/// A closed case to compare with.
#[derive(Debug, Clone)]
pub struct Closed {
    /// Its facts (as for the rules).
    pub facts: Facts,
    /// Days from opening to closing.
    pub days_open: i64,
    /// The closure's reason code.
    pub reason: String,
    /// Its plan's goals as they ended.
    pub goals: Vec<GoalEnd>,
}

/// A count, withheld (none) when it is 1 to 4: fewer than [`GROUP_MIN`].
fn count(n: usize) -> Option<usize> {
    (n == 0 || n >= GROUP_MIN).then_some(n)
}

/// How many of the similar cases closed for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReasonCount {
    /// The closure reason's code (`closure::CLOSURE_REASONS`).
    pub reason: String,
    /// How many; none when fewer than five (withheld).
    pub count: Option<usize>,
}

/// What one kind of intervention achieved among the similar cases.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MethodOutcome {
    /// The method's code (`plan::METHODS`).
    pub method: String,
    /// Similar cases whose plans used it (at least [`GROUP_MIN`]).
    pub cases: usize,
    /// Goals it served in them.
    pub goals: usize,
    /// The share of those goals achieved at closure, in whole percent (of goals with an
    /// outcome).
    pub achieved_percent: Option<i64>,
    /// The mean GAS at closure of those goals (−2 … +2), when at least [`GROUP_MIN`] were scored.
    pub mean_gas: Option<f64>,
}

/// The aggregates of the closed cases most alike.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Summary {
    /// Closed cases compared with.
    pub candidates: usize,
    /// The nearest summarised (at most [`NEAREST`]).
    pub cases: usize,
    /// Their median days open.
    pub median_days_open: Option<i64>,
    /// Why they closed, most first.
    pub reasons: Vec<ReasonCount>,
    /// What each kind of intervention achieved, in cases used, most first (methods used by
    /// fewer than [`GROUP_MIN`] of the cases are left out).
    pub methods: Vec<MethodOutcome>,
    /// Methods left out as too few cases used them.
    pub methods_suppressed: usize,
    /// The features the likeness was judged on.
    pub features: Vec<String>,
}

/// The features compared: the base features, and a type feature for each type of the case.
fn features(target: &Facts) -> Vec<String> {
    let types = case_types(target).into_iter().map(type_feature);
    BASE_FEATURES
        .iter()
        .map(|k| k.to_string())
        .chain(types)
        .collect()
}

/// The summary of the [`NEAREST`] of `closed` to `target`; none when fewer than
/// [`GROUP_MIN`] closed cases can be compared.
pub fn summarise(target: &Facts, closed: &[Closed]) -> Option<Summary> {
    if closed.len() < GROUP_MIN {
        return None;
    }
    let keys = features(target);
    let rows: Vec<Vec<f64>> = closed
        .iter()
        .map(|c| keys.iter().map(|k| value(&c.facts, k)).collect())
        .collect();
    let n = rows.len() as f64;
    let scales: Vec<f64> = (0..keys.len())
        .map(|j| {
            let mean = rows.iter().map(|r| r[j]).sum::<f64>() / n;
            let sd = (rows.iter().map(|r| (r[j] - mean).powi(2)).sum::<f64>() / n).sqrt();
            if sd > 1e-9 {
                sd
            } else {
                1.0
            }
        })
        .collect();
    let me: Vec<f64> = keys.iter().map(|k| value(target, k)).collect();
    let mut order: Vec<(f64, usize)> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let d: f64 = r
                .iter()
                .zip(&me)
                .zip(&scales)
                .map(|((x, y), s)| ((x - y) / s).powi(2))
                .sum();
            (d, i)
        })
        .collect();
    order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let near: Vec<&Closed> = order
        .iter()
        .take(NEAREST)
        .map(|(_, i)| &closed[*i])
        .collect();

    let mut days: Vec<i64> = near.iter().map(|c| c.days_open).collect();
    days.sort_unstable();
    let median_days_open = days.get(days.len() / 2).copied();

    let mut reasons: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &near {
        *reasons.entry(c.reason.as_str()).or_default() += 1;
    }
    let mut reasons: Vec<(String, usize)> = reasons
        .into_iter()
        .map(|(r, n)| (r.to_string(), n))
        .collect();
    reasons.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));

    // Per method: the cases that used it, and the goals it served.
    struct Acc {
        cases: usize,
        goals: usize,
        with_outcome: usize,
        achieved: usize,
        gas: Vec<i64>,
    }
    let mut by_method: BTreeMap<&str, Acc> = BTreeMap::new();
    for c in &near {
        let mut used: Vec<&str> = Vec::new();
        for g in &c.goals {
            let mut methods: Vec<&str> = g.methods.iter().map(String::as_str).collect();
            methods.sort_unstable();
            methods.dedup();
            for m in methods {
                let a = by_method.entry(m).or_insert(Acc {
                    cases: 0,
                    goals: 0,
                    with_outcome: 0,
                    achieved: 0,
                    gas: Vec::new(),
                });
                a.goals += 1;
                if let Some(o) = &g.outcome {
                    a.with_outcome += 1;
                    a.achieved += usize::from(o == "achieved");
                }
                if let Some(s) = g.gas {
                    a.gas.push(s);
                }
                if !used.contains(&m) {
                    used.push(m);
                    a.cases += 1;
                }
            }
        }
    }
    let total_methods = by_method.len();
    let mut methods: Vec<MethodOutcome> = by_method
        .into_iter()
        .filter(|(_, a)| a.cases >= GROUP_MIN)
        .map(|(m, a)| MethodOutcome {
            method: m.to_string(),
            cases: a.cases,
            goals: a.goals,
            achieved_percent: (a.with_outcome >= GROUP_MIN)
                .then(|| ((a.achieved * 100 + a.with_outcome / 2) / a.with_outcome) as i64),
            mean_gas: (a.gas.len() >= GROUP_MIN)
                .then(|| a.gas.iter().sum::<i64>() as f64 / a.gas.len() as f64),
        })
        .collect();
    methods.sort_by(|a, b| b.cases.cmp(&a.cases).then(a.method.cmp(&b.method)));
    Some(Summary {
        candidates: closed.len(),
        cases: near.len(),
        median_days_open,
        reasons: reasons
            .into_iter()
            .map(|(reason, n)| ReasonCount {
                reason,
                count: count(n),
            })
            .collect(),
        methods_suppressed: total_methods - methods.len(),
        methods,
        features: keys,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gatekeeping::criteria::FactValue;

    fn facts(urgency: &str, needs: i64, types: &[&str]) -> Facts {
        let mut f = Facts::new();
        f.insert("urgency".into(), FactValue::Text(urgency.into()));
        f.insert("needs_domains".into(), FactValue::Int(needs));
        f.insert(
            "case_types".into(),
            FactValue::List(
                types
                    .iter()
                    .map(|t| FactValue::Text(t.to_string()))
                    .collect(),
            ),
        );
        f
    }

    fn closed(urgency: &str, needs: i64, method: &str, outcome: &str, gas: i64) -> Closed {
        Closed {
            facts: facts(urgency, needs, &["domestic_violence"]),
            days_open: 30 * needs,
            reason: if outcome == "achieved" {
                "goals_achieved"
            } else {
                "lost_contact"
            }
            .into(),
            goals: vec![GoalEnd {
                methods: vec![method.into()],
                outcome: Some(outcome.into()),
                gas: Some(gas),
            }],
        }
    }

    #[test]
    fn the_nearest_cases_are_summarised_by_method_with_small_groups_suppressed() {
        let mut all = Vec::new();
        // 40 emergencies with many needs, where shelter worked; 40 routine ones with counselling.
        for i in 0..40 {
            all.push(closed("emergency", 5, "shelter", "achieved", 1 + i % 2));
            all.push(closed("routine", 0, "counselling", "partly", -1));
        }
        // Three cases with a rare method among the emergencies.
        for _ in 0..3 {
            all.push(closed("emergency", 5, "legal_aid", "not_achieved", -2));
        }
        let s = summarise(&facts("emergency", 5, &["domestic_violence"]), &all).unwrap();
        assert_eq!((s.candidates, s.cases), (83, NEAREST));
        let shelter = s.methods.iter().find(|m| m.method == "shelter").unwrap();
        assert_eq!(shelter.cases, 40);
        assert_eq!(shelter.achieved_percent, Some(100));
        assert_eq!(shelter.mean_gas, Some(1.5));
        assert!(
            !s.methods.iter().any(|m| m.method == "legal_aid"),
            "3 cases: suppressed"
        );
        assert!(s.methods_suppressed >= 1);
        let reason = |code: &str| s.reasons.iter().find(|r| r.reason == code).unwrap().count;
        assert_eq!(reason("goals_achieved"), Some(40));
        assert_eq!(reason("lost_contact"), Some(10));
        assert_eq!(s.median_days_open, Some(150));
    }

    #[test]
    fn a_reason_of_one_to_four_cases_is_suppressed() {
        let mut all: Vec<Closed> = (0..20)
            .map(|_| closed("routine", 1, "x", "achieved", 0))
            .collect();
        all.extend((0..3).map(|_| closed("routine", 1, "x", "partly", 0)));
        let s = summarise(&facts("routine", 1, &[]), &all).unwrap();
        let lost = s
            .reasons
            .iter()
            .find(|r| r.reason == "lost_contact")
            .unwrap();
        assert_eq!(lost.count, None);
        assert_eq!(count(0), Some(0));
    }

    #[test]
    fn too_few_closed_cases_give_no_summary() {
        let few: Vec<Closed> = (0..4)
            .map(|_| closed("routine", 1, "x", "achieved", 0))
            .collect();
        assert!(summarise(&facts("routine", 1, &[]), &few).is_none());
    }
}
