//! Resource matching (decision support): for a need of a case, the directory's services of the
//! need's category ranked by fit, each with the reasons that gave its points — where it serves
//! (the client's district, province, or the whole country), its eligibility rule checked on the
//! case's facts (met, not met, or unknown with the facts missing), its vacancy, the languages it
//! works in, and how the organisation's past referrals to it ended. Nothing is decided here: the
//! worker chooses a service (or none), and that choice is recorded with the list she saw.

use crate::gatekeeping::criteria::{self, Criterion, Facts, Outcome};
use crate::resource::Category;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The fewest closed referrals to a service before their outcomes count (and are shown).
pub const OUTCOMES_MIN: i64 = 5;
/// The most services a ranking lists.
pub const LIST_MAX: usize = 10;

/// The service categories that meet the need of an assessment domain (by the domain's code,
/// whichever template assessed it).
pub fn category_of_domain(domain: &str) -> Option<Category> {
    Some(match domain {
        "physical_health" | "health" | "medical" | "devices_rehabilitation" => Category::Health,
        "mental_health" | "rehabilitation" => Category::MentalHealth,
        "economic" | "income" | "welfare" | "food" | "allowance" | "compensation" => {
            Category::Assistance
        }
        "education" => Category::Education,
        "education_work" | "training" => Category::Work,
        "housing" | "shelter" | "shelter_and_self" | "safety" | "immediate_danger"
        | "perpetrator" | "abuse_neglect" => Category::Shelter,
        "legal_status" | "legal_aid" | "rights" | "incident" | "protection" => Category::LegalAid,
        "grounds" | "child_wellbeing" | "family_capacity" | "care_options" | "best_interests" => {
            Category::ChildProtection
        }
        "registration" | "accessibility" => Category::Disability,
        "daily_living" => Category::OlderPeople,
        "return_home" => Category::AntiTrafficking,
        "family" | "social" | "caregiver" => Category::GeneralWelfare,
        _ => return None,
    })
}

/// A language as a code to compare: an ISO 639 code as it is (lower case), or the Thai or
/// English name of a language the region's clients often speak; anything else is not compared.
pub fn language_code(name: &str) -> Option<String> {
    let t = name.trim().to_lowercase();
    if (2..=3).contains(&t.len()) && t.chars().all(|c| c.is_ascii_lowercase()) {
        return Some(t);
    }
    let code = match t.as_str() {
        "ไทย" | "ภาษาไทย" | "thai" => "th",
        "อังกฤษ" | "ภาษาอังกฤษ" | "english" => "en",
        "พม่า" | "เมียนมา" | "ภาษาพม่า" | "burmese" | "myanmar" => {
            "my"
        }
        "ลาว" | "ภาษาลาว" | "lao" => "lo",
        "เขมร" | "กัมพูชา" | "ภาษาเขมร" | "khmer" => "km",
        "จีน" | "ภาษาจีน" | "chinese" => "zh",
        "มลายู" | "ภาษามลายู" | "malay" => "ms",
        "ไทใหญ่" | "shan" => "shn",
        "กะเหรี่ยง" | "karen" => "kar",
        "เวียดนาม" | "vietnamese" => "vi",
        _ => return None,
    };
    Some(code.to_string())
}

/// How the organisation's closed referrals to a service ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PastOutcomes {
    /// Completed.
    pub completed: i64,
    /// Declined by the provider or ended early.
    pub failed: i64,
    /// Median days from sending to acceptance, over the accepted ones.
    pub median_days_to_accept: Option<i64>,
}

/// A service of the directory as the ranking sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// The service's id (text).
    pub id: String,
    /// It serves the whole country.
    pub national: bool,
    /// The area codes it serves (province or district).
    pub areas: Vec<String>,
    /// `active`, `temporarily_closed` or `defunct`.
    pub status: String,
    /// The languages it works in (as written).
    pub languages: Vec<String>,
    /// Places in all, if it says.
    pub capacity: Option<i64>,
    /// Places free, if it says.
    pub vacancy: Option<i64>,
    /// Its eligibility rule (CEL over the case's facts), or empty.
    pub eligibility_rule: String,
    /// Past referrals.
    pub past: PastOutcomes,
}

/// What the ranking knows of the client.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Client {
    /// District code of her address.
    pub district: Option<String>,
    /// Province code.
    pub province: Option<String>,
    /// The languages she speaks.
    pub languages: Vec<String>,
    /// The case's facts (for eligibility rules).
    pub facts: Facts,
}

/// One reason: a code (`match-reason-<code>` in the catalogue), the points it gave, and the
/// values the sentence names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Reason {
    /// `area_district`, `area_province`, `area_national`, `out_of_area`, `eligible`,
    /// `not_eligible`, `eligibility_unknown`, `eligibility_unreadable`, `vacancy`, `full`,
    /// `capacity_unknown`, `closed`, `language_match`, `language_missing`, `outcomes`,
    /// `outcomes_few`, `waiting`.
    pub code: String,
    /// Points added (negative: taken away).
    pub points: i64,
    /// Named values (`n`, `completed`, `total`, `days`, `missing`, `languages`).
    pub args: BTreeMap<String, String>,
}

fn reason(code: &str, points: i64, args: &[(&str, String)]) -> Reason {
    Reason {
        code: code.into(),
        points,
        args: args
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    }
}

/// One ranked service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Ranked {
    /// The service's id.
    pub service_id: String,
    /// The sum of the reasons' points.
    pub score: i64,
    /// Why.
    pub reasons: Vec<Reason>,
}

/// Scores one service for the client.
pub fn score(client: &Client, c: &Candidate) -> Ranked {
    let mut reasons = Vec::new();
    // Where it serves.
    let district = client.district.as_deref();
    let province = client
        .province
        .clone()
        .or_else(|| district.map(|d| d.chars().take(2).collect()));
    if district.is_some_and(|d| c.areas.iter().any(|a| a == d)) {
        reasons.push(reason("area_district", 30, &[]));
    } else if province
        .as_deref()
        .is_some_and(|p| c.areas.iter().any(|a| a == p))
    {
        reasons.push(reason("area_province", 20, &[]));
    } else if c.national {
        reasons.push(reason("area_national", 10, &[]));
    } else if province.is_some() {
        reasons.push(reason("out_of_area", -30, &[]));
    }
    // Eligibility.
    let rule = c.eligibility_rule.trim();
    if !rule.is_empty() {
        if criteria::check_rule(rule).is_err() {
            reasons.push(reason("eligibility_unreadable", 0, &[]));
        } else {
            let check = criteria::evaluate(
                &[Criterion {
                    label_th: String::new(),
                    label_en: String::new(),
                    rule: rule.to_string(),
                }],
                &client.facts,
            );
            match check.criteria.first() {
                Some(r) if r.outcome == Outcome::Met => reasons.push(reason("eligible", 20, &[])),
                Some(r) if r.outcome == Outcome::NotMet => {
                    reasons.push(reason("not_eligible", -40, &[]))
                }
                Some(r) => reasons.push(reason(
                    "eligibility_unknown",
                    0,
                    &[("missing", r.missing.join(", "))],
                )),
                None => {}
            }
        }
    }
    // Open, and room.
    if c.status == "temporarily_closed" {
        reasons.push(reason("closed", -30, &[]));
    }
    match (c.vacancy, c.capacity) {
        (Some(v), _) if v > 0 => reasons.push(reason("vacancy", 15, &[("n", v.to_string())])),
        (Some(_), _) => reasons.push(reason("full", -20, &[])),
        (None, _) => reasons.push(reason("capacity_unknown", 0, &[])),
    }
    // Language: only what both sides name in a way the ranking can compare.
    let spoken: Vec<String> = client
        .languages
        .iter()
        .filter_map(|l| language_code(l))
        .collect();
    let offered: Vec<String> = c
        .languages
        .iter()
        .filter_map(|l| language_code(l))
        .collect();
    if !spoken.is_empty() && !offered.is_empty() {
        // Named as the client's record names them.
        let shared: Vec<&str> = client
            .languages
            .iter()
            .filter(|l| language_code(l).is_some_and(|code| offered.contains(&code)))
            .map(String::as_str)
            .collect();
        if shared.is_empty() {
            reasons.push(reason(
                "language_missing",
                -10,
                &[("languages", client.languages.join(", "))],
            ));
        } else {
            reasons.push(reason(
                "language_match",
                10,
                &[("languages", shared.join(", "))],
            ));
        }
    }
    // Past referrals.
    let total = c.past.completed + c.past.failed;
    if total >= OUTCOMES_MIN {
        // From −10 (none completed) to +20 (all completed).
        let points = (c.past.completed * 30 + total / 2) / total - 10;
        reasons.push(reason(
            "outcomes",
            points,
            &[
                ("completed", c.past.completed.to_string()),
                ("total", total.to_string()),
            ],
        ));
        if let Some(d) = c.past.median_days_to_accept {
            reasons.push(reason("waiting", 0, &[("days", d.to_string())]));
        }
    } else {
        reasons.push(reason("outcomes_few", 0, &[]));
    }
    Ranked {
        service_id: c.id.clone(),
        score: reasons.iter().map(|r| r.points).sum(),
        reasons,
    }
}

/// The services best first (ties by id, for a stable order), defunct ones left out, at most
/// `LIST_MAX`.
pub fn rank(client: &Client, candidates: &[Candidate]) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = candidates
        .iter()
        .filter(|c| c.status != "defunct")
        .map(|c| score(client, c))
        .collect();
    out.sort_by(|a, b| b.score.cmp(&a.score).then(a.service_id.cmp(&b.service_id)));
    out.truncate(LIST_MAX);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gatekeeping::criteria::FactValue;

    fn service(id: &str) -> Candidate {
        Candidate {
            id: id.into(),
            national: false,
            areas: vec!["50".into()],
            status: "active".into(),
            languages: vec![],
            capacity: None,
            vacancy: None,
            eligibility_rule: String::new(),
            past: PastOutcomes::default(),
        }
    }

    fn codes(r: &Ranked) -> Vec<&str> {
        r.reasons.iter().map(|x| x.code.as_str()).collect()
    }

    #[test]
    fn nearer_open_eligible_services_with_good_outcomes_come_first() {
        let mut facts = Facts::new();
        facts.insert("age".into(), FactValue::Int(67));
        let client = Client {
            district: Some("5001".into()),
            province: Some("50".into()),
            languages: vec!["ไทย".into(), "ไทใหญ่".into()],
            facts,
        };
        let mut near = service("a");
        near.areas = vec!["5001".into()];
        near.vacancy = Some(3);
        near.eligibility_rule = "age >= 60".into();
        near.languages = vec!["shn".into()];
        near.past = PastOutcomes {
            completed: 9,
            failed: 1,
            median_days_to_accept: Some(2),
        };
        let mut province = service("b");
        province.vacancy = Some(0);
        let mut national = service("c");
        national.areas = vec![];
        national.national = true;
        national.eligibility_rule = "age < 18".into();
        let mut unknown = service("d");
        unknown.eligibility_rule = "household_income < 3000".into();
        let mut gone = service("e");
        gone.status = "defunct".into();

        let ranked = rank(&client, &[national, province, near, unknown, gone]);
        let order: Vec<&str> = ranked.iter().map(|r| r.service_id.as_str()).collect();
        assert_eq!(order, ["a", "d", "b", "c"]);
        assert_eq!(
            codes(&ranked[0]),
            [
                "area_district",
                "eligible",
                "vacancy",
                "language_match",
                "outcomes",
                "waiting"
            ]
        );
        assert_eq!(ranked[0].score, 30 + 20 + 15 + 10 + 17);
        assert_eq!(
            codes(&ranked[1]),
            [
                "area_province",
                "eligibility_unknown",
                "capacity_unknown",
                "outcomes_few"
            ]
        );
        assert_eq!(ranked[1].reasons[1].args["missing"], "household_income");
        assert!(codes(&ranked[3]).contains(&"not_eligible"));
    }

    #[test]
    fn an_unreadable_rule_and_an_unknown_address_never_decide() {
        let mut s = service("x");
        s.eligibility_rule = "ผู้สูงอายุที่ยากจน".into();
        let r = score(&Client::default(), &s);
        assert_eq!(
            codes(&r),
            ["eligibility_unreadable", "capacity_unknown", "outcomes_few"]
        );
        assert_eq!(r.score, 0);
    }

    #[test]
    fn every_domain_of_the_shipped_templates_with_needs_has_a_category() {
        for d in [
            "housing",
            "legal_status",
            "economic",
            "mental_health",
            "safety",
        ] {
            assert!(category_of_domain(d).is_some(), "{d}");
        }
        assert_eq!(category_of_domain("unheard_of"), None);
    }
}
