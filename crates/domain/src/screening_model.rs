//! The learned layer of the complexity screening (issue 22 item 1b): a logistic regression
//! fitted on the organisation's own closed cases, estimating the chance that a case turns out
//! **long** — still open [`LONG_CASE_DAYS`] days after it was opened, the mark of the intensive,
//! long-running work that complex cases need. It sits beside the organisation's rules, never
//! instead of them: the level stays the rules', and the worker decides.
//!
//! Features are read from the same facts as the rules (`app::rule_facts`), with the protected
//! traits and their stand-ins (sex, nationality, documents, address, legal status) never read
//! ([`NEVER_READ`]). Each is standardised, so that a weight times a case's standardised value
//! says how much that feature moved this case's estimate: the reasons shown with a result.
//!
//! The model is validated on the most recently closed cases it was not fitted on (a temporal
//! hold-out of [`HOLD_OUT_PERCENT`]%): the ROC AUC, the Brier score beside the Brier score of
//! always answering the base rate, and a calibration table (predicted against observed, by
//! tenths of predicted chance). Too few closed cases, or too few of either kind, and it does not
//! train ([`TrainError::TooFew`]).

use crate::gatekeeping::criteria::{FactValue, Facts};
use serde::{Deserialize, Serialize};
use smartcore::linalg::basic::arrays::Array;
use smartcore::linalg::basic::matrix::DenseMatrix;
use smartcore::linear::logistic_regression::{LogisticRegression, LogisticRegressionParameters};

/// A closed case is long when it stayed open this many days or more.
pub const LONG_CASE_DAYS: i64 = 180;
/// The fewest closed cases to train on.
pub const MIN_CLOSED: usize = 200;
/// The fewest long, and the fewest short, closed cases to train on.
pub const MIN_EACH: usize = 20;
/// The most closed cases read for training (the most recently closed).
pub const TRAIN_MAX: usize = 50_000;
/// The share of closed cases, the most recently closed, held out to validate on.
pub const HOLD_OUT_PERCENT: usize = 20;
/// A case type becomes a feature when at least this many training cases have it.
pub const TYPE_MIN_CASES: usize = 10;
/// The L2 penalty of the fit.
const ALPHA: f64 = 1.0;
/// The most reasons shown with a result.
pub const REASONS_MAX: usize = 4;

/// Facts the model never reads: protected traits and what stands in for them.
pub const NEVER_READ: [&str; 6] = [
    "sex",
    "nationality",
    "document_kinds",
    "province",
    "district",
    "answers.leg_status",
];

/// The features every model has (case types are added per organisation: `type:<code>`).
pub const BASE_FEATURES: [&str; 15] = [
    "urgent",
    "emergency",
    "several_types",
    "child",
    "older",
    "age_unknown",
    "earlier_cases",
    "failed_referrals",
    "needs_domains",
    "needs_unknown",
    "dependants",
    "dependants_unknown",
    "disability",
    "legal_proceedings",
    "safety_flags",
];

/// The features that are counts (the others hold or do not).
pub const COUNT_FEATURES: [&str; 5] = [
    "earlier_cases",
    "failed_referrals",
    "needs_domains",
    "dependants",
    "safety_flags",
];

/// The case-type feature of a type code.
pub fn type_feature(code: &str) -> String {
    format!("type:{code}")
}

/// One closed case to learn from: its facts and whether it was long.
#[derive(Debug, Clone)]
pub struct Example {
    /// The case's facts (as for the rules).
    pub facts: Facts,
    /// Open [`LONG_CASE_DAYS`] days or more.
    pub long: bool,
}

/// A feature of a fitted model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Feature {
    /// `urgent`, `needs_domains`, `type:<code>` …
    pub key: String,
    /// Its mean over the training cases.
    pub mean: f64,
    /// Its standard deviation over them (1 where it did not vary).
    pub scale: f64,
    /// Its weight on the standardised value (log-odds per standard deviation).
    pub weight: f64,
}

/// Predicted against observed in one tenth of predicted chance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CalibrationBin {
    /// The lowest predicted chance in the bin, in percent (0, 10, … 90).
    pub from_percent: i64,
    /// Validation cases in the bin.
    pub cases: usize,
    /// Their mean predicted chance, in percent.
    pub predicted_percent: f64,
    /// The share of them that were long, in percent.
    pub observed_percent: f64,
}

/// How the model did on the cases held out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Validation {
    /// Closed cases fitted on.
    pub trained_on: usize,
    /// Closed cases validated on (the most recently closed).
    pub validated_on: usize,
    /// The share of long cases among the training cases, in percent.
    pub long_percent: f64,
    /// ROC AUC on the validation cases (none when they are all of one kind).
    pub auc: Option<f64>,
    /// The Brier score on the validation cases (lower is better).
    pub brier: f64,
    /// The Brier score of always answering the training base rate.
    pub base_brier: f64,
    /// Predicted against observed, by tenths of predicted chance (empty tenths left out).
    pub calibration: Vec<CalibrationBin>,
}

/// A fitted model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Model {
    /// What a positive case is: open this many days or more.
    pub long_case_days: i64,
    /// The features, in the order fitted.
    pub features: Vec<Feature>,
    /// The intercept (log-odds at the mean case).
    pub intercept: f64,
    /// The validation figures.
    pub validation: Validation,
}

/// Why a model was not trained.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrainError {
    /// Too few closed cases, or too few long or short ones.
    #[error("too few closed cases: {closed} ({long} long, {short} short)")]
    TooFew {
        /// Closed cases.
        closed: usize,
        /// Long ones.
        long: usize,
        /// Short ones.
        short: usize,
    },
    /// The fit failed.
    #[error("the model could not be fitted")]
    Fit,
}

/// How one feature moved a case's estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Reason {
    /// The feature (`urgent`, `type:<code>` …).
    pub feature: String,
    /// The case's value (a count, or 1 for a feature that holds).
    pub value: i64,
    /// How far its presence moves the log-odds from its absence, in hundredths (positive:
    /// raises the chance).
    pub effect: i64,
}

/// The learned estimate for a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Estimate {
    /// The model's version (its training run's number in the organisation).
    pub model_version: i64,
    /// The chance the case turns out long, in whole percent.
    pub long_percent: i64,
    /// What a long case is: open this many days or more.
    pub long_case_days: i64,
    /// The features of this case that weighed most, largest effect first (only features the
    /// case has: a count above zero, or a feature that holds).
    pub reasons: Vec<Reason>,
}

fn int(facts: &Facts, key: &str) -> Option<i64> {
    match facts.get(key) {
        Some(FactValue::Int(i)) => Some(*i),
        Some(FactValue::Float(x)) if x.is_finite() => Some(x.floor() as i64),
        _ => None,
    }
}

fn flag(facts: &Facts, key: &str) -> f64 {
    f64::from(u8::from(matches!(
        facts.get(key),
        Some(FactValue::Bool(true))
    )))
}

/// The case types in the facts.
pub(crate) fn case_types(facts: &Facts) -> Vec<&str> {
    match facts.get("case_types") {
        Some(FactValue::List(l)) => l
            .iter()
            .filter_map(|v| match v {
                FactValue::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The value of feature `key` for a case. Reads only the facts the features name, never one
/// of [`NEVER_READ`]; a missing count has its own `_unknown` feature and reads 0 here.
pub fn value(facts: &Facts, key: &str) -> f64 {
    let urgency = match facts.get("urgency") {
        Some(FactValue::Text(t)) => t.as_str(),
        _ => "",
    };
    let age = int(facts, "age");
    let capped = |k: &str, max: i64| int(facts, k).map_or(0.0, |v| v.clamp(0, max) as f64);
    let bit = |b: bool| f64::from(u8::from(b));
    match key {
        "urgent" => bit(urgency == "urgent"),
        "emergency" => bit(urgency == "emergency"),
        "several_types" => bit(case_types(facts).len() > 1),
        "child" => bit(age.is_some_and(|a| a < 18)),
        "older" => bit(age.is_some_and(|a| a >= 60)),
        "age_unknown" => bit(age.is_none()),
        "earlier_cases" => capped("earlier_cases", 5),
        "failed_referrals" => capped("failed_referrals", 5),
        "needs_domains" => capped("needs_domains", 12),
        "needs_unknown" => bit(int(facts, "needs_domains").is_none()),
        "dependants" => capped("dependants", 10),
        "dependants_unknown" => bit(int(facts, "dependants").is_none()),
        "disability" => flag(facts, "disability"),
        "legal_proceedings" => flag(facts, "legal_proceedings"),
        "safety_flags" => match facts.get("answers") {
            Some(FactValue::Map(m)) => crate::case::SAFETY_QUESTIONS
                .iter()
                .filter(|q| matches!(m.get(q.code), Some(FactValue::Bool(true))))
                .count() as f64,
            _ => 0.0,
        },
        k => match k.strip_prefix("type:") {
            Some(code) => bit(case_types(facts).contains(&code)),
            None => 0.0,
        },
    }
}

/// The features to fit on: the base ones and each case type enough cases have.
fn feature_keys(examples: &[Example]) -> Vec<String> {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for e in examples {
        for t in case_types(&e.facts) {
            *counts.entry(t).or_default() += 1;
        }
    }
    BASE_FEATURES
        .iter()
        .map(|k| k.to_string())
        .chain(
            counts
                .into_iter()
                .filter(|(_, n)| *n >= TYPE_MIN_CASES)
                .map(|(t, _)| type_feature(t)),
        )
        .collect()
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl Model {
    /// The standardised features of a case.
    fn standardised(&self, facts: &Facts) -> Vec<f64> {
        self.features
            .iter()
            .map(|f| (value(facts, &f.key) - f.mean) / f.scale)
            .collect()
    }

    /// The chance a case turns out long (0–1).
    pub fn probability(&self, facts: &Facts) -> f64 {
        let z: f64 = self
            .standardised(facts)
            .iter()
            .zip(&self.features)
            .map(|(x, f)| x * f.weight)
            .sum();
        sigmoid(self.intercept + z)
    }

    /// The estimate for a case with the features that moved it most: among the features the
    /// case has (a count above zero, or a feature that holds), those whose presence moves the
    /// log-odds most from their absence (weight × value on the standardised scale).
    pub fn estimate(&self, version: i64, facts: &Facts) -> Estimate {
        let mut reasons: Vec<Reason> = self
            .features
            .iter()
            .filter_map(|f| {
                let v = value(facts, &f.key);
                let effect = (v / f.scale * f.weight * 100.0).round() as i64;
                (v != 0.0 && effect != 0).then(|| Reason {
                    feature: f.key.clone(),
                    value: shown(facts, &f.key, v),
                    effect,
                })
            })
            .collect();
        reasons.sort_by_key(|r| std::cmp::Reverse(r.effect.abs()));
        reasons.truncate(REASONS_MAX);
        Estimate {
            model_version: version,
            long_percent: (self.probability(facts) * 100.0).round() as i64,
            long_case_days: LONG_CASE_DAYS,
            reasons,
        }
    }
}

/// The value shown for a feature: a count as the case holds it (not capped as the model reads
/// it), 1 for a feature that holds.
fn shown(facts: &Facts, key: &str, v: f64) -> i64 {
    // A count the facts hold by the feature's name; `safety_flags` is counted from the answers.
    if COUNT_FEATURES.contains(&key) {
        int(facts, key).unwrap_or(v.round() as i64)
    } else {
        v.round() as i64
    }
}

/// Fits a model on closed cases in the order they closed (the last [`HOLD_OUT_PERCENT`]% are
/// held out to validate on).
pub fn train(examples: &[Example]) -> Result<Model, TrainError> {
    let long = examples.iter().filter(|e| e.long).count();
    let short = examples.len() - long;
    let cut = examples.len() * (100 - HOLD_OUT_PERCENT) / 100;
    let (fit_on, held_out) = examples.split_at(cut);
    let fit_long = fit_on.iter().filter(|e| e.long).count();
    if examples.len() < MIN_CLOSED
        || long < MIN_EACH
        || short < MIN_EACH
        || fit_long == 0
        || fit_long == fit_on.len()
    {
        return Err(TrainError::TooFew {
            closed: examples.len(),
            long,
            short,
        });
    }
    let keys = feature_keys(fit_on);
    let raw: Vec<Vec<f64>> = fit_on
        .iter()
        .map(|e| keys.iter().map(|k| value(&e.facts, k)).collect())
        .collect();
    let n = raw.len() as f64;
    let mut features: Vec<Feature> = keys
        .into_iter()
        .enumerate()
        .map(|(j, key)| {
            let mean = raw.iter().map(|r| r[j]).sum::<f64>() / n;
            let var = raw.iter().map(|r| (r[j] - mean).powi(2)).sum::<f64>() / n;
            let sd = var.sqrt();
            Feature {
                key,
                mean,
                scale: if sd > 1e-9 { sd } else { 1.0 },
                weight: 0.0,
            }
        })
        .collect();
    let rows: Vec<Vec<f64>> = raw
        .iter()
        .map(|r| {
            r.iter()
                .zip(&features)
                .map(|(x, f)| (x - f.mean) / f.scale)
                .collect()
        })
        .collect();
    let x = DenseMatrix::from_2d_vec(&rows).map_err(|_| TrainError::Fit)?;
    let y: Vec<u32> = fit_on.iter().map(|e| u32::from(e.long)).collect();
    let params = LogisticRegressionParameters::default().with_alpha(ALPHA);
    let fitted: LogisticRegression<f64, u32, DenseMatrix<f64>, Vec<u32>> =
        LogisticRegression::fit(&x, &y, params).map_err(|_| TrainError::Fit)?;
    // With two classes the weights are for the larger label (classes are sorted: 0, then 1).
    let coefficients = fitted.coefficients();
    for (j, f) in features.iter_mut().enumerate() {
        f.weight = *coefficients.get((0, j));
    }
    let intercept = *fitted.intercept().get((0, 0));
    if !intercept.is_finite() || features.iter().any(|f| !f.weight.is_finite()) {
        return Err(TrainError::Fit);
    }
    let mut model = Model {
        long_case_days: LONG_CASE_DAYS,
        features,
        intercept,
        validation: Validation {
            trained_on: fit_on.len(),
            validated_on: held_out.len(),
            long_percent: fit_long as f64 * 100.0 / n,
            auc: None,
            brier: 0.0,
            base_brier: 0.0,
            calibration: Vec::new(),
        },
    };
    model.validation = validate(&model, fit_long as f64 / n, fit_on.len(), held_out);
    Ok(model)
}

/// The validation figures of `model` on `held_out`.
fn validate(model: &Model, base_rate: f64, trained_on: usize, held_out: &[Example]) -> Validation {
    let predicted: Vec<f64> = held_out
        .iter()
        .map(|e| model.probability(&e.facts))
        .collect();
    let truth: Vec<f64> = held_out
        .iter()
        .map(|e| f64::from(u8::from(e.long)))
        .collect();
    let m = held_out.len().max(1) as f64;
    let brier = predicted
        .iter()
        .zip(&truth)
        .map(|(p, y)| (p - y).powi(2))
        .sum::<f64>()
        / m;
    let base_brier = truth.iter().map(|y| (base_rate - y).powi(2)).sum::<f64>() / m;
    let positives = truth.iter().filter(|y| **y > 0.5).count();
    let auc = (positives > 0 && positives < truth.len())
        .then(|| smartcore::metrics::roc_auc_score(&truth, &predicted))
        .filter(|a| a.is_finite());
    let mut calibration = Vec::new();
    for tenth in 0..10 {
        let in_bin: Vec<(f64, f64)> = predicted
            .iter()
            .zip(&truth)
            .filter(|(p, _)| ((**p * 10.0).floor() as i64).clamp(0, 9) == tenth)
            .map(|(p, y)| (*p, *y))
            .collect();
        if in_bin.is_empty() {
            continue;
        }
        let k = in_bin.len() as f64;
        calibration.push(CalibrationBin {
            from_percent: tenth * 10,
            cases: in_bin.len(),
            predicted_percent: in_bin.iter().map(|(p, _)| p).sum::<f64>() * 100.0 / k,
            observed_percent: in_bin.iter().map(|(_, y)| y).sum::<f64>() * 100.0 / k,
        });
    }
    Validation {
        trained_on,
        validated_on: held_out.len(),
        long_percent: base_rate * 100.0,
        auc,
        brier,
        base_brier,
        calibration,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// A small deterministic generator (no random-number crate in the domain).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    fn facts(urgency: &str, needs: Option<i64>, age: i64, types: &[&str]) -> Facts {
        let mut f: Facts = BTreeMap::new();
        f.insert("urgency".into(), FactValue::Text(urgency.into()));
        f.insert("age".into(), FactValue::Int(age));
        if let Some(n) = needs {
            f.insert("needs_domains".into(), FactValue::Int(n));
        }
        f.insert(
            "case_types".into(),
            FactValue::List(
                types
                    .iter()
                    .map(|t| FactValue::Text(t.to_string()))
                    .collect(),
            ),
        );
        f.insert("earlier_cases".into(), FactValue::Int(0));
        f.insert("failed_referrals".into(), FactValue::Int(0));
        f
    }

    /// Cases whose length depends on urgency and needs, with noise.
    fn planted(n: usize, seed: u64) -> Vec<Example> {
        let mut r = Lcg(seed);
        (0..n)
            .map(|_| {
                let urgency = ["routine", "urgent", "emergency"][(r.next() * 3.0) as usize % 3];
                let needs = (r.next() * 6.0) as i64;
                let known = r.next() > 0.2;
                let z = -2.0
                    + if urgency == "emergency" { 1.5 } else { 0.0 }
                    + if known { 0.5 * needs as f64 } else { 0.0 };
                let long = r.next() < sigmoid(z);
                let types = if r.next() < 0.5 {
                    &["elderly"][..]
                } else {
                    &["child"][..]
                };
                Example {
                    facts: facts(urgency, known.then_some(needs), 30, types),
                    long,
                }
            })
            .collect()
    }

    #[test]
    fn learns_a_planted_signal_and_says_what_weighed() {
        let model = train(&planted(1500, 7)).unwrap();
        let v = &model.validation;
        assert_eq!((v.trained_on, v.validated_on), (1200, 300));
        assert!(v.auc.unwrap() > 0.75, "auc {:?}", v.auc);
        assert!(v.brier < v.base_brier, "{} vs {}", v.brier, v.base_brier);
        let weight = |k: &str| model.features.iter().find(|f| f.key == k).unwrap().weight;
        assert!(weight("emergency") > 0.3);
        assert!(weight("needs_domains") > 0.3);
        // Case types with enough cases become features of their own.
        assert!(model.features.iter().any(|f| f.key == "type:elderly"));
        // Calibration bins cover every validation case.
        assert_eq!(v.calibration.iter().map(|b| b.cases).sum::<usize>(), 300);

        let heavy = model.estimate(3, &facts("emergency", Some(5), 30, &["child"]));
        let light = model.estimate(3, &facts("routine", Some(0), 30, &["child"]));
        assert!(heavy.long_percent > 70 && light.long_percent < 30);
        assert_eq!(heavy.model_version, 3);
        let first = &heavy.reasons[0];
        assert!(["needs_domains", "emergency"].contains(&first.feature.as_str()));
        assert!(first.effect > 0);
        assert!(heavy.reasons.len() <= REASONS_MAX);
        // Only what the case has is given as a reason: a routine case with no needs is not
        // explained by "emergency" or "needs not assessed".
        assert!(light.reasons.iter().all(|r| ![
            "emergency",
            "urgent",
            "needs_unknown",
            "needs_domains"
        ]
        .contains(&r.feature.as_str())));
    }

    #[test]
    fn missing_needs_are_their_own_feature_not_a_zero() {
        let f = facts("routine", None, 30, &[]);
        assert_eq!(value(&f, "needs_unknown"), 1.0);
        assert_eq!(value(&f, "needs_domains"), 0.0);
        let f = facts("routine", Some(0), 30, &[]);
        assert_eq!(value(&f, "needs_unknown"), 0.0);
        assert_eq!(value(&facts("x", None, 30, &[]), "age_unknown"), 0.0);
    }

    #[test]
    fn too_few_closed_cases_or_of_one_kind_do_not_train() {
        assert!(matches!(
            train(&planted(150, 1)),
            Err(TrainError::TooFew { closed: 150, .. })
        ));
        let all_short: Vec<Example> = planted(400, 2)
            .into_iter()
            .map(|e| Example { long: false, ..e })
            .collect();
        assert_eq!(
            train(&all_short),
            Err(TrainError::TooFew {
                closed: 400,
                long: 0,
                short: 400
            })
        );
    }

    /// Fairness: the protected traits and their stand-ins never change a feature, so never an
    /// estimate.
    #[test]
    fn protected_facts_never_change_the_estimate() {
        let model = train(&planted(600, 3)).unwrap();
        let base = facts("urgent", Some(2), 40, &["child"]);
        let mut other = base.clone();
        other.insert("sex".into(), FactValue::Text("female".into()));
        other.insert("nationality".into(), FactValue::Text("MM".into()));
        other.insert(
            "document_kinds".into(),
            FactValue::List(vec![FactValue::Text("pink_card".into())]),
        );
        other.insert("province".into(), FactValue::Text("63".into()));
        other.insert("district".into(), FactValue::Text("6301".into()));
        let mut answers = BTreeMap::new();
        answers.insert("leg_status".into(), FactValue::Text("undocumented".into()));
        other.insert("answers".into(), FactValue::Map(answers));
        assert_eq!(model.estimate(1, &base), model.estimate(1, &other));
        for k in NEVER_READ {
            assert!(!BASE_FEATURES.contains(&k));
        }
    }
}
