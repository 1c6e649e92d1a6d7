//! Complexity screening: decision support that says how complex a case looks, and why. The
//! organisation writes the rules — each a criterion in the criteria language of the
//! gatekeeping module (`gatekeeping::criteria`) with a number of points — and two thresholds;
//! a case's score is the sum of the points of the rules its facts meet, and its level is
//! `standard`, `complex` or `highly_complex`. Every result lists each rule with the facts it
//! used; a rule whose facts are missing is **unknown**, never counted as not met in silence:
//! the result also says how high the score could go if every unknown rule were met.
//!
//! A suggestion is never applied by itself: the worker accepts it, changes the level, or
//! rejects it, and going against it needs a reason (`validate_decision`).
//!
//! Fairness: a rule may not name a protected trait (sex, nationality) nor the documents a
//! person holds, which stand in for nationality; those facts are also taken out before any
//! rule runs (`screening_facts`). Karuna records no religion. Other facts that can stand in
//! for a protected trait are listed in `PROXIES` and shown to the administrator who writes
//! the rules.

use crate::error::{FieldError, Validation};
use crate::gatekeeping::criteria::{self, Criterion, CriterionResult, Facts, Outcome};
use serde::{Deserialize, Serialize};

/// The kinds of suggestion an organisation can switch on or off.
pub const KINDS: [&str; 1] = ["complexity"];

/// The levels, from the least complex.
pub const LEVELS: [&str; 3] = ["standard", "complex", "highly_complex"];

/// Facts a screening rule may not use: protected traits and what plainly stands in for them.
pub const EXCLUDED_FACTS: [&str; 3] = ["sex", "nationality", "document_kinds"];

/// Facts of a request for a resource, which mean nothing for a screening.
pub const REQUEST_FACTS: [&str; 3] = ["amount", "allocations_12m", "earlier_allocations"];

/// Answers and facts that can stand in for a protected trait; a rule that uses them is allowed
/// but the administrator is told (the screening page lists them).
pub const PROXIES: [&str; 3] = ["answers.leg_status", "province", "district"];

/// The most rules a screening has.
pub const RULES_MAX: usize = 30;
/// The most points one rule gives.
pub const POINTS_MAX: i64 = 100;
/// The longest reason for going against a suggestion.
pub const REASON_MAX: usize = 2000;

/// One rule as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RuleInput {
    /// Its name in Thai.
    pub label_th: String,
    /// Its name in English (the Thai is shown when empty).
    pub label_en: String,
    /// The rule, in CEL, true when it applies to the case (`needs_domains >= 3`).
    pub rule: String,
    /// The points it adds when it applies (1–100).
    pub points: i64,
}

/// The organisation's screening as written.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ConfigInput {
    /// Suggestions are made.
    pub enabled: bool,
    /// The score from which a case is `complex`.
    pub complex_at: i64,
    /// The score from which a case is `highly_complex` (above `complex_at`).
    pub highly_complex_at: i64,
    /// The rules.
    pub rules: Vec<RuleInput>,
    /// The version read (optimistic concurrency; 0 while the shipped rules are in use).
    pub version: i64,
}

/// A rule that compiled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Rule {
    /// Name in Thai.
    pub label_th: String,
    /// Name in English.
    pub label_en: String,
    /// Rule.
    pub rule: String,
    /// Points.
    pub points: i64,
}

/// A valid screening configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Config {
    /// Suggestions are made.
    pub enabled: bool,
    /// The score from which a case is complex.
    pub complex_at: i64,
    /// The score from which a case is highly complex.
    pub highly_complex_at: i64,
    /// The rules.
    pub rules: Vec<Rule>,
}

fn rule(th: &str, en: &str, rule: &str, points: i64) -> Rule {
    Rule {
        label_th: th.into(),
        label_en: en.into(),
        rule: rule.into(),
        points,
    }
}

/// The rules Karuna ships, in use until the organisation writes its own: the issue's
/// complexity signals, each worth points by how much it usually adds to the work.
pub fn shipped() -> Config {
    Config {
        enabled: true,
        complex_at: 3,
        highly_complex_at: 6,
        rules: vec![
            rule(
                "มีความต้องการตั้งแต่ 3 ด้านขึ้นไป",
                "Needs in three or more domains",
                "needs_domains >= 3",
                2,
            ),
            rule(
                "ความเสี่ยงด้านความปลอดภัยสูง (กรณีเร่งด่วนหรือฉุกเฉิน)",
                "High safety risk (an urgent or emergency case)",
                "urgency in ['urgent', 'emergency']",
                3,
            ),
            rule(
                "มีผู้อยู่ในอุปการะตั้งแต่ 3 คน",
                "Three or more dependants",
                "dependants >= 3",
                1,
            ),
            rule(
                "เคยเป็นผู้รับบริการในกรณีก่อนหน้า",
                "The client had earlier cases",
                "earlier_cases >= 1",
                1,
            ),
            rule(
                "เคยส่งต่อแล้วไม่สำเร็จ",
                "A referral failed before",
                "failed_referrals >= 1",
                2,
            ),
            rule("มีความพิการ", "Disability", "disability", 1),
            rule(
                "มีคดีความหรือกระบวนการทางกฎหมาย",
                "Legal proceedings",
                "legal_proceedings",
                1,
            ),
            rule(
                "เป็นเด็กหรือผู้สูงอายุ",
                "A child or an older person",
                "age < 18 || age >= 60",
                1,
            ),
        ],
    }
}

/// Checks a configuration; every fault is reported at once (`rules[i].rule` …).
pub fn validate(input: &ConfigInput) -> Result<Config, Vec<FieldError>> {
    let mut v = Validation::new();
    if input.rules.len() > RULES_MAX {
        v.push(FieldError::new("rules", "screening.too_many_rules").arg("max", RULES_MAX));
    }
    if input.enabled && input.rules.is_empty() {
        v.push(FieldError::new("rules", "screening.no_rules"));
    }
    if !(1..=10_000).contains(&input.complex_at) {
        v.push(FieldError::new("complex_at", "screening.threshold_range"));
    }
    if !(1..=10_000).contains(&input.highly_complex_at) {
        v.push(FieldError::new(
            "highly_complex_at",
            "screening.threshold_range",
        ));
    } else if input.highly_complex_at <= input.complex_at {
        v.push(FieldError::new(
            "highly_complex_at",
            "screening.threshold_order",
        ));
    }
    let written: Vec<criteria::CriterionInput> = input
        .rules
        .iter()
        .map(|r| criteria::CriterionInput {
            label_th: r.label_th.clone(),
            label_en: r.label_en.clone(),
            rule: r.rule.clone(),
        })
        .collect();
    let compiled = match criteria::validate(&written) {
        Ok(c) => c,
        Err(errors) => {
            for e in errors {
                // The criteria module names its fields `criteria[i]…`.
                let mut e = e;
                e.field = e.field.replacen("criteria", "rules", 1);
                v.push(e);
            }
            Vec::new()
        }
    };
    for (i, r) in input.rules.iter().enumerate() {
        if !(1..=POINTS_MAX).contains(&r.points) {
            v.push(
                FieldError::new(format!("rules[{i}].points"), "screening.points_range")
                    .arg("max", POINTS_MAX),
            );
        }
        if let Ok(named) = criteria::check_rule(r.rule.trim()) {
            if let Some(n) = named
                .iter()
                .find(|n| EXCLUDED_FACTS.contains(n) || REQUEST_FACTS.contains(n))
            {
                v.push(
                    FieldError::new(format!("rules[{i}].rule"), "screening.fact_excluded")
                        .arg("name", n),
                );
            }
        }
    }
    v.finish()?;
    Ok(Config {
        enabled: input.enabled,
        complex_at: input.complex_at,
        highly_complex_at: input.highly_complex_at,
        rules: compiled
            .into_iter()
            .zip(&input.rules)
            .map(|(c, r)| Rule {
                label_th: c.label_th,
                label_en: c.label_en,
                rule: c.rule,
                points: r.points,
            })
            .collect(),
    })
}

/// A case's facts with what a screening may not use taken out.
pub fn screening_facts(mut facts: Facts) -> Facts {
    for n in EXCLUDED_FACTS.iter().chain(REQUEST_FACTS.iter()) {
        facts.remove(*n);
    }
    facts
}

/// One rule's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RuleResult {
    /// The rule with its facts and outcome.
    #[serde(flatten)]
    pub check: CriterionResult,
    /// Its points.
    pub points: i64,
}

/// A screening: the score, the level, and every rule's result (the reasons).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Screening {
    /// Points of the rules met.
    pub score: i64,
    /// `standard`, `complex` or `highly_complex`.
    pub level: String,
    /// The score if every unknown rule were met.
    pub score_if_unknown_met: i64,
    /// The level that score would give.
    pub level_if_unknown_met: String,
    /// The thresholds used.
    pub complex_at: i64,
    /// The thresholds used.
    pub highly_complex_at: i64,
    /// Every rule, in order.
    pub rules: Vec<RuleResult>,
    /// The learned layer's estimate beside the rules, when a model is in use
    /// (`screening_model`); it never changes the level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub learned: Option<crate::screening_model::Estimate>,
}

impl Screening {
    /// The rules that applied (the reasons for the level).
    pub fn fired(&self) -> impl Iterator<Item = &RuleResult> {
        self.rules
            .iter()
            .filter(|r| r.check.outcome == Outcome::Met)
    }

    /// The rules that could not be decided.
    pub fn unknown(&self) -> impl Iterator<Item = &RuleResult> {
        self.rules
            .iter()
            .filter(|r| r.check.outcome == Outcome::Unknown)
    }
}

/// The level of a score.
pub fn level_of(config: &Config, score: i64) -> &'static str {
    if score >= config.highly_complex_at {
        LEVELS[2]
    } else if score >= config.complex_at {
        LEVELS[1]
    } else {
        LEVELS[0]
    }
}

/// Screens a case's facts (protected facts are taken out first).
pub fn screen(config: &Config, facts: Facts) -> Screening {
    let facts = screening_facts(facts);
    let as_criteria: Vec<Criterion> = config
        .rules
        .iter()
        .map(|r| Criterion {
            label_th: r.label_th.clone(),
            label_en: r.label_en.clone(),
            rule: r.rule.clone(),
        })
        .collect();
    let check = criteria::evaluate(&as_criteria, &facts);
    let rules: Vec<RuleResult> = check
        .criteria
        .into_iter()
        .zip(&config.rules)
        .map(|(check, r)| RuleResult {
            check,
            points: r.points,
        })
        .collect();
    let sum = |f: &dyn Fn(Outcome) -> bool| {
        rules
            .iter()
            .filter(|r| f(r.check.outcome))
            .map(|r| r.points)
            .sum::<i64>()
    };
    let score = sum(&|o| o == Outcome::Met);
    let high = sum(&|o| o != Outcome::NotMet);
    Screening {
        score,
        level: level_of(config, score).into(),
        score_if_unknown_met: high,
        level_if_unknown_met: level_of(config, high).into(),
        complex_at: config.complex_at,
        highly_complex_at: config.highly_complex_at,
        rules,
        learned: None,
    }
}

/// What the worker decided about a suggestion.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DecisionInput {
    /// `accepted`, `changed` or `rejected`.
    pub decision: String,
    /// The level she sets, when `changed`.
    pub level: String,
    /// Why; required when she changes or rejects the suggestion.
    pub reason: String,
    /// The suggestion's version read.
    pub version: i64,
}

/// A checked decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// `accepted`, `changed` or `rejected`.
    pub decision: &'static str,
    /// The case's level after it: the suggested one, the chosen one, or none.
    pub level: Option<String>,
    /// The reason.
    pub reason: Option<String>,
}

/// Checks a decision on a suggestion of level `suggested`.
pub fn validate_decision(
    input: &DecisionInput,
    suggested: &str,
) -> Result<Decision, Vec<FieldError>> {
    let mut v = Validation::new();
    let reason = v.text("reason", &input.reason, REASON_MAX);
    let decision = match input.decision.trim() {
        "accepted" => "accepted",
        "changed" => "changed",
        "rejected" => "rejected",
        _ => {
            v.push(FieldError::new("decision", "screening.decision_unknown"));
            ""
        }
    };
    let level = match decision {
        "accepted" => Some(suggested.to_string()),
        "changed" => {
            let l = input.level.trim();
            if !LEVELS.contains(&l) {
                v.push(FieldError::new("level", "screening.level_unknown"));
            } else if l == suggested {
                v.push(FieldError::new("level", "screening.level_unchanged"));
            }
            Some(l.to_string())
        }
        _ => None,
    };
    if matches!(decision, "changed" | "rejected") && reason.is_none() {
        v.push(FieldError::new("reason", "screening.reason_required"));
    }
    v.finish()?;
    Ok(Decision {
        decision,
        level,
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gatekeeping::criteria::FactValue;

    fn input_of(c: &Config) -> ConfigInput {
        ConfigInput {
            enabled: c.enabled,
            complex_at: c.complex_at,
            highly_complex_at: c.highly_complex_at,
            rules: c
                .rules
                .iter()
                .map(|r| RuleInput {
                    label_th: r.label_th.clone(),
                    label_en: r.label_en.clone(),
                    rule: r.rule.clone(),
                    points: r.points,
                })
                .collect(),
            version: 0,
        }
    }

    #[test]
    fn the_shipped_rules_are_valid() {
        assert_eq!(validate(&input_of(&shipped())), Ok(shipped()));
    }

    #[test]
    fn protected_facts_and_bad_numbers_are_refused() {
        let mut input = input_of(&shipped());
        input.rules[0].rule = "nationality != 'ไทย'".into();
        input.rules[1].rule = "'passport' in document_kinds".into();
        input.rules[2].points = 0;
        input.rules[3].rule = "salary > 1".into();
        input.highly_complex_at = input.complex_at;
        let errors = validate(&input).unwrap_err();
        let got: Vec<_> = errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert!(got.contains(&("rules[0].rule", "screening.fact_excluded")));
        assert!(got.contains(&("rules[1].rule", "screening.fact_excluded")));
        assert!(got.contains(&("rules[2].points", "screening.points_range")));
        assert!(got.contains(&("rules[3].rule", "criteria.unknown_fact")));
        assert!(got.contains(&("highly_complex_at", "screening.threshold_order")));
    }

    #[test]
    fn a_screening_gives_its_reasons_and_what_is_unknown() {
        let config = shipped();
        let mut facts = Facts::new();
        facts.insert("urgency".into(), FactValue::Text("urgent".into()));
        facts.insert("needs_domains".into(), FactValue::Int(4));
        facts.insert("earlier_cases".into(), FactValue::Int(0));
        facts.insert("failed_referrals".into(), FactValue::Int(0));
        facts.insert("age".into(), FactValue::Int(35));
        let s = screen(&config, facts);
        assert_eq!(s.score, 5);
        assert_eq!(s.level, "complex");
        let fired: Vec<_> = s.fired().map(|r| r.check.rule.as_str()).collect();
        assert_eq!(
            fired,
            vec!["needs_domains >= 3", "urgency in ['urgent', 'emergency']"]
        );
        // Dependants, disability and legal proceedings are not known: 3 more points at most.
        assert_eq!(s.unknown().count(), 3);
        assert_eq!(s.score_if_unknown_met, 8);
        assert_eq!(s.level_if_unknown_met, "highly_complex");
    }

    #[test]
    fn protected_traits_never_change_the_level() {
        let config = shipped();
        let mut base = Facts::new();
        base.insert("urgency".into(), FactValue::Text("urgent".into()));
        base.insert("dependants".into(), FactValue::Int(3));
        let first = screen(&config, base.clone());
        for (name, value) in [
            ("sex", FactValue::Text("male".into())),
            ("nationality", FactValue::Text("พม่า".into())),
            (
                "document_kinds",
                FactValue::List(vec![FactValue::Text("passport".into())]),
            ),
        ] {
            let mut f = base.clone();
            f.insert(name.into(), value);
            assert_eq!(screen(&config, f), first, "{name} changed the screening");
        }
    }

    #[test]
    fn going_against_a_suggestion_needs_a_reason() {
        let d = |decision: &str, level: &str, reason: &str| {
            validate_decision(
                &DecisionInput {
                    decision: decision.into(),
                    level: level.into(),
                    reason: reason.into(),
                    version: 1,
                },
                "complex",
            )
        };
        assert_eq!(
            d("accepted", "", "").map(|d| d.level),
            Ok(Some("complex".into()))
        );
        assert!(d("rejected", "", "").is_err());
        assert_eq!(d("rejected", "", "ครอบครัวช่วยได้").map(|d| d.level), Ok(None));
        assert!(d("changed", "complex", "x").is_err());
        assert!(d("changed", "bogus", "x").is_err());
        assert_eq!(
            d("changed", "highly_complex", "ศาลนัด").map(|d| d.level),
            Ok(Some("highly_complex".into()))
        );
        assert!(d("maybe", "", "").is_err());
    }
}
