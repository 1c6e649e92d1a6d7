//! Case types as configuration: each organisation narrows, relabels or extends the built-in list
//! and sets, per type, how often reviews fall due and whether plans and closures need a
//! supervisor's approval, and which assessment template a case of the type starts with.

use crate::case::CASE_TYPES;
use crate::FieldError;
use serde::{Deserialize, Serialize};

/// Days between reviews when an organisation has not said otherwise.
pub const DEFAULT_REVIEW_DAYS: i64 = 30;

/// The template a case falls back to when none of its types names one that is published.
pub const FALLBACK_TEMPLATE: &str = "holistic";

/// The shipped assessment template each built-in type starts with (its law's steps where it
/// has them); an organisation may choose another per type.
pub fn built_in_template(code: &str) -> Option<&'static str> {
    Some(match code {
        "trafficking" => "trafficking_care",
        "child_protection" => "child_protection",
        "domestic_violence" => "domestic_violence",
        "older_person" => "older_person",
        "disability" => "disability",
        "poverty_homelessness" | "other" => FALLBACK_TEMPLATE,
        _ => return None,
    })
}

/// The longest label accepted.
const MAX_LABEL: usize = 100;

/// One case type as an organisation has configured it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseType {
    /// Stable code stored on cases (`child_protection`).
    pub code: String,
    /// True for the types every organisation starts with (their labels come from the message
    /// catalogues unless overridden).
    pub built_in: bool,
    /// Thai label; for a built-in type, an override of the catalogue's.
    pub label_th: Option<String>,
    /// English label; for a built-in type, an override of the catalogue's.
    pub label_en: Option<String>,
    /// Offered at intake and in case updates.
    pub active: bool,
    /// Days between scheduled reviews.
    pub review_days: i64,
    /// A plan must be approved by a supervisor before implementation.
    pub plan_approval: bool,
    /// A closure must be approved by a supervisor.
    pub closure_approval: bool,
    /// The assessment template key a case of this type starts with, when the organisation
    /// chose one; `None` keeps the built-in choice (`template_key`).
    pub assessment_template: Option<String>,
    /// Optimistic-lock version; 0 for a built-in type never changed.
    pub version: i64,
}

impl CaseType {
    /// A built-in type with the defaults.
    pub fn built_in(code: &str) -> CaseType {
        CaseType {
            code: code.to_string(),
            built_in: true,
            label_th: None,
            label_en: None,
            active: true,
            review_days: DEFAULT_REVIEW_DAYS,
            plan_approval: false,
            closure_approval: false,
            assessment_template: None,
            version: 0,
        }
    }

    /// The template key a case of this type starts with: the organisation's choice, else the
    /// built-in one; `None` for an own type without a choice.
    pub fn template_key(&self) -> Option<&str> {
        self.assessment_template
            .as_deref()
            .or_else(|| built_in_template(&self.code))
    }

    /// The configured label in `lang` (`th` or `en`), falling back to the other language;
    /// `None` means "use the catalogue" (built-in types without an override).
    pub fn configured_label(&self, lang: &str) -> Option<&str> {
        let (first, second) = if lang == "en" {
            (&self.label_en, &self.label_th)
        } else {
            (&self.label_th, &self.label_en)
        };
        first.as_deref().or(if self.built_in {
            None
        } else {
            second.as_deref()
        })
    }
}

/// Merges an organisation's stored rows over the built-in list: built-in types first in their
/// fixed order (changed by a row when there is one), then the organisation's own types by code.
pub fn effective(stored: Vec<CaseType>) -> Vec<CaseType> {
    let mut out: Vec<CaseType> = CASE_TYPES
        .iter()
        .map(|code| {
            stored
                .iter()
                .find(|s| s.code == *code)
                .cloned()
                .map(|mut s| {
                    s.built_in = true;
                    s
                })
                .unwrap_or_else(|| CaseType::built_in(code))
        })
        .collect();
    let mut own: Vec<CaseType> = stored
        .into_iter()
        .filter(|s| !CASE_TYPES.contains(&s.code.as_str()))
        .map(|mut s| {
            s.built_in = false;
            s
        })
        .collect();
    own.sort_by(|a, b| a.code.cmp(&b.code));
    out.extend(own);
    out
}

/// The rules that apply to one case, from all of its types: the shortest review interval, and
/// approval wherever any of its types asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaseRules {
    /// Days between reviews.
    pub review_days: i64,
    /// Plans need a supervisor's approval.
    pub plan_approval: bool,
    /// Closures need a supervisor's approval.
    pub closure_approval: bool,
}

/// The rules for a case of types `codes`, given the organisation's `types`.
pub fn rules_for(types: &[CaseType], codes: &[String]) -> CaseRules {
    let mine = || types.iter().filter(|t| codes.contains(&t.code));
    CaseRules {
        review_days: mine()
            .map(|t| t.review_days)
            .min()
            .unwrap_or(DEFAULT_REVIEW_DAYS),
        plan_approval: mine().any(|t| t.plan_approval),
        closure_approval: mine().any(|t| t.closure_approval),
    }
}

/// The template a new assessment of a case of types `codes` defaults to, among the published
/// template keys `available`: the first of the case's types (in the case's order) whose
/// template is published, else the holistic assessment, else the first available.
pub fn default_template(
    types: &[CaseType],
    codes: &[String],
    available: &[&str],
) -> Option<String> {
    codes
        .iter()
        .filter_map(|c| types.iter().find(|t| &t.code == c))
        .filter_map(CaseType::template_key)
        .chain(std::iter::once(FALLBACK_TEMPLATE))
        .find(|k| available.contains(k))
        .or_else(|| available.first().copied())
        .map(str::to_string)
}

/// What an administrator submits for a case type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseTypeInput {
    /// Code (only when creating; ignored on update).
    pub code: String,
    /// Thai label (required for a new type; empty keeps a built-in type's catalogue label).
    pub label_th: String,
    /// English label (optional).
    pub label_en: String,
    /// Offered at intake.
    pub active: bool,
    /// Days between reviews (1–365).
    pub review_days: i64,
    /// Plans need a supervisor's approval.
    pub plan_approval: bool,
    /// Closures need a supervisor's approval.
    pub closure_approval: bool,
    /// The assessment template key cases of this type start with; empty keeps the built-in
    /// choice (or none, for an own type).
    pub assessment_template: String,
}

fn label(value: &str, field: &str, errors: &mut Vec<FieldError>) -> Option<String> {
    let v = value.trim();
    if v.chars().count() > MAX_LABEL {
        errors.push(FieldError::new(field, "too_long").arg("max", MAX_LABEL));
    }
    (!v.is_empty()).then(|| v.to_string())
}

/// Checks an administrator's input; `existing` is the type being changed (`None` when new,
/// in which case the code must be new and well-formed among `taken`); a chosen template must
/// be one of the published `templates`.
pub fn validate_case_type(
    input: &CaseTypeInput,
    existing: Option<&CaseType>,
    taken: &[CaseType],
    templates: &[&str],
) -> Result<CaseType, Vec<FieldError>> {
    let mut errors = Vec::new();
    let template = input.assessment_template.trim();
    if !template.is_empty() && !templates.contains(&template) {
        errors.push(FieldError::new(
            "assessment_template",
            "assessment.template.unknown",
        ));
    }
    let code = match existing {
        Some(e) => e.code.clone(),
        None => {
            let code = input.code.trim().to_string();
            let well_formed = (2..=40).contains(&code.len())
                && code.starts_with(|c: char| c.is_ascii_lowercase())
                && code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if code.is_empty() {
                errors.push(FieldError::new("code", "required"));
            } else if !well_formed {
                errors.push(FieldError::new("code", "case_type.code_format"));
            } else if taken.iter().any(|t| t.code == code) {
                errors.push(FieldError::new("code", "case_type.code_taken"));
            }
            code
        }
    };
    let built_in = existing.is_some_and(|e| e.built_in);
    let label_th = label(&input.label_th, "label_th", &mut errors);
    let label_en = label(&input.label_en, "label_en", &mut errors);
    if !built_in && label_th.is_none() {
        errors.push(FieldError::new("label_th", "required"));
    }
    if !(1..=365).contains(&input.review_days) {
        errors.push(
            FieldError::new("review_days", "out_of_range")
                .arg("min", 1)
                .arg("max", 365),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(CaseType {
        code,
        built_in,
        label_th,
        label_en,
        active: input.active,
        review_days: input.review_days,
        plan_approval: input.plan_approval,
        closure_approval: input.closure_approval,
        assessment_template: (!template.is_empty()).then(|| template.to_string()),
        version: existing.map_or(0, |e| e.version),
    })
}

/// Checks the types chosen for a case: at least one, each known and active — or already on the
/// case (`kept`), so that deactivating a type does not block editing older cases.
pub fn check_case_types(
    chosen: &[String],
    types: &[CaseType],
    kept: &[String],
    errors: &mut Vec<FieldError>,
) {
    if chosen.is_empty() {
        errors.push(FieldError::new("case_types", "required"));
        return;
    }
    let ok = |c: &String| kept.contains(c) || types.iter().any(|t| t.active && t.code == *c);
    if !chosen.iter().all(ok) {
        errors.push(FieldError::new("case_types", "case.type_unknown"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(code: &str, th: &str) -> CaseTypeInput {
        CaseTypeInput {
            code: code.into(),
            label_th: th.into(),
            review_days: 30,
            active: true,
            ..Default::default()
        }
    }

    #[test]
    fn built_in_types_come_first_and_rows_change_them() {
        let mut off = CaseType::built_in("disability");
        off.active = false;
        off.version = 2;
        let own = CaseType {
            code: "migrant_worker".into(),
            built_in: false,
            label_th: Some("แรงงานข้ามชาติ".into()),
            ..CaseType::built_in("x")
        };
        let all = effective(vec![own, off]);
        assert_eq!(all.len(), CASE_TYPES.len() + 1);
        assert_eq!(all[0].code, "trafficking");
        let d = all.iter().find(|t| t.code == "disability").unwrap();
        assert!(!d.active && d.built_in && d.version == 2);
        let last = all.last().unwrap();
        assert_eq!(last.code, "migrant_worker");
        assert!(!last.built_in);
        assert_eq!(last.configured_label("en"), Some("แรงงานข้ามชาติ"));
        assert_eq!(all[0].configured_label("th"), None);
    }

    #[test]
    fn a_case_takes_the_strictest_rules_of_its_types() {
        let mut types = effective(Vec::new());
        types[1].review_days = 14;
        types[1].plan_approval = true;
        types[2].closure_approval = true;
        let codes = |c: &[&str]| c.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let r = rules_for(&types, &codes(&["child_protection", "domestic_violence"]));
        assert_eq!(
            (r.review_days, r.plan_approval, r.closure_approval),
            (14, true, true)
        );
        let r = rules_for(&types, &codes(&["other"]));
        assert_eq!(
            (r.review_days, r.plan_approval, r.closure_approval),
            (30, false, false)
        );
    }

    #[test]
    fn new_codes_are_checked() {
        let taken = effective(Vec::new());
        let bad = |code: &str| {
            validate_case_type(&input(code, "ก"), None, &taken, &[])
                .unwrap_err()
                .into_iter()
                .map(|e| e.code)
                .collect::<Vec<_>>()
        };
        assert_eq!(bad(""), ["required"]);
        assert_eq!(bad("Has Space"), ["case_type.code_format"]);
        assert_eq!(bad("9lives"), ["case_type.code_format"]);
        assert_eq!(bad("disability"), ["case_type.code_taken"]);
        let ok =
            validate_case_type(&input("migrant_worker", " แรงงาน "), None, &taken, &[]).unwrap();
        assert_eq!(ok.label_th.as_deref(), Some("แรงงาน"));
        assert!(!ok.built_in);
    }

    #[test]
    fn built_in_types_keep_their_code_and_may_keep_catalogue_labels() {
        let taken = effective(Vec::new());
        let mut i = input("ignored", "");
        i.review_days = 14;
        i.plan_approval = true;
        let t = validate_case_type(&i, Some(&taken[1]), &taken, &[]).unwrap();
        assert_eq!(t.code, "child_protection");
        assert!(t.label_th.is_none() && t.plan_approval && t.review_days == 14);
        i.review_days = 0;
        let e = validate_case_type(&i, Some(&taken[1]), &taken, &[]).unwrap_err();
        assert_eq!(e[0].field, "review_days");
        let own = CaseType {
            built_in: false,
            ..CaseType::built_in("own")
        };
        let e = validate_case_type(&input("", ""), Some(&own), &taken, &[]).unwrap_err();
        assert_eq!(e[0].field, "label_th");
    }

    #[test]
    fn chosen_types_must_be_active_unless_already_on_the_case() {
        let mut types = effective(Vec::new());
        types[4].active = false; // disability
        let mut errors = Vec::new();
        check_case_types(&["disability".into()], &types, &[], &mut errors);
        assert_eq!(errors[0].code, "case.type_unknown");
        errors.clear();
        check_case_types(
            &["disability".into()],
            &types,
            &["disability".into()],
            &mut errors,
        );
        assert!(errors.is_empty());
        check_case_types(&[], &types, &[], &mut errors);
        assert_eq!(errors[0].code, "required");
    }

    #[test]
    fn a_case_starts_with_its_types_template_or_falls_back() {
        let mut types = effective(Vec::new());
        let codes = |c: &[&str]| c.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let all = [
            "child_protection",
            "disability",
            "domestic_violence",
            "holistic",
            "older_person",
            "safety",
            "trafficking_care",
        ];
        let pick = |types: &[CaseType], c: &[&str], avail: &[&str]| {
            default_template(types, &codes(c), avail)
        };
        assert_eq!(
            pick(&types, &["domestic_violence"], &all).as_deref(),
            Some("domestic_violence")
        );
        assert_eq!(
            pick(&types, &["older_person", "child_protection"], &all).as_deref(),
            Some("older_person")
        );
        assert_eq!(pick(&types, &["other"], &all).as_deref(), Some("holistic"));
        // An own type without a choice, or a template not published: the holistic one.
        let own = CaseType {
            built_in: false,
            ..CaseType::built_in("migrant_worker")
        };
        types.push(own);
        assert_eq!(
            pick(&types, &["migrant_worker"], &all).as_deref(),
            Some("holistic")
        );
        assert_eq!(
            pick(&types, &["disability"], &["holistic", "safety"]).as_deref(),
            Some("holistic")
        );
        assert_eq!(
            pick(&types, &["disability"], &["safety"]).as_deref(),
            Some("safety")
        );
        assert_eq!(pick(&types, &["disability"], &[]), None);
        // The organisation's choice wins over the built-in one.
        types[2].assessment_template = Some("safety".into());
        assert_eq!(
            pick(&types, &["domestic_violence"], &all).as_deref(),
            Some("safety")
        );
    }

    #[test]
    fn a_chosen_template_must_be_published() {
        let taken = effective(Vec::new());
        let mut i = input("migrant_worker", "แรงงาน");
        i.assessment_template = "nowhere".into();
        let e = validate_case_type(&i, None, &taken, &["holistic"]).unwrap_err();
        assert_eq!(e[0].field, "assessment_template");
        i.assessment_template = " holistic ".into();
        let t = validate_case_type(&i, None, &taken, &["holistic"]).unwrap();
        assert_eq!(t.template_key(), Some("holistic"));
        i.assessment_template.clear();
        let t = validate_case_type(&i, None, &taken, &["holistic"]).unwrap();
        assert_eq!(t.assessment_template, None);
    }
}
