//! Reading a template from JSON or YAML and checking it, naming the path of every problem in
//! the template (`sections[2].questions[4].show_if`).

use super::model::{Kind, Level, Template, Text};
use crate::error::{FieldError, Validation};
use std::collections::{HashMap, HashSet};

/// The largest template file accepted (bytes).
pub const TEMPLATE_MAX_BYTES: usize = 512 * 1024;

/// Parses a template from JSON (text starting with `{`) or YAML, then validates it.
pub fn parse_template(text: &str) -> Result<Template, Vec<FieldError>> {
    if text.len() > TEMPLATE_MAX_BYTES {
        return Err(vec![
            FieldError::new("template", "too_long").arg("max", TEMPLATE_MAX_BYTES)
        ]);
    }
    let parsed: Result<Template, String> = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| e.to_string())
    } else {
        serde_norway::from_str(text).map_err(|e| e.to_string())
    };
    let template = parsed.map_err(|e| {
        vec![FieldError::new("template", "assessment.template.unreadable").arg("detail", e)]
    })?;
    validate_template(&template)?;
    Ok(template)
}

fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn text(v: &mut Validation, path: &str, t: &Text) {
    v.check(t.th.trim().is_empty(), &format!("{path}.th"), "required");
    v.check(t.en.trim().is_empty(), &format!("{path}.en"), "required");
}

fn levels(v: &mut Validation, path: &str, levels: &[Level]) {
    let mut seen = HashSet::new();
    for (i, l) in levels.iter().enumerate() {
        let p = format!("{path}[{i}]");
        if i > 0 && l.min <= levels[i - 1].min {
            v.push(FieldError::new(
                format!("{p}.min"),
                "assessment.template.levels_out_of_order",
            ));
        }
        v.check(
            !is_code(&l.code),
            &format!("{p}.code"),
            "assessment.template.bad_code",
        );
        v.check(
            !seen.insert(l.code.as_str()),
            &format!("{p}.code"),
            "assessment.template.duplicate_code",
        );
        text(v, &format!("{p}.label"), &l.label);
        if let Some(u) = &l.urgency {
            v.check(
                crate::case::Urgency::from_code(u).is_none(),
                &format!("{p}.urgency"),
                "assessment.template.urgency_unknown",
            );
        }
    }
}

/// Checks a template: codes, labels in both languages, unique ids, options, ranges, show-if
/// conditions that look back at a known question and a possible value, scoring only where an
/// answer can score, levels in ascending order. Every problem names its path.
pub fn validate_template(t: &Template) -> Result<(), Vec<FieldError>> {
    let mut v = Validation::new();
    v.check(!is_code(&t.key), "key", "assessment.template.bad_code");
    text(&mut v, "title", &t.title);
    v.check(
        t.sections.is_empty(),
        "sections",
        "assessment.template.no_sections",
    );
    let mut section_codes = HashSet::new();
    // Questions seen so far: id → (kind, option codes).
    let mut earlier: HashMap<&str, (Kind, Vec<&str>)> = HashMap::new();
    let mut all_ids = HashSet::new();
    for (_, q) in t.questions() {
        all_ids.insert(q.id.as_str());
    }
    for (si, s) in t.sections.iter().enumerate() {
        let sp = format!("sections[{si}]");
        v.check(
            !is_code(&s.code),
            &format!("{sp}.code"),
            "assessment.template.bad_code",
        );
        v.check(
            !section_codes.insert(s.code.as_str()),
            &format!("{sp}.code"),
            "assessment.template.duplicate_code",
        );
        text(&mut v, &format!("{sp}.title"), &s.title);
        v.check(
            s.questions.is_empty(),
            &format!("{sp}.questions"),
            "assessment.template.no_questions",
        );
        levels(&mut v, &format!("{sp}.levels"), &s.levels);
        for (qi, q) in s.questions.iter().enumerate() {
            let qp = format!("{sp}.questions[{qi}]");
            v.check(
                !is_code(&q.id),
                &format!("{qp}.id"),
                "assessment.template.bad_code",
            );
            if earlier.contains_key(q.id.as_str()) {
                v.push(
                    FieldError::new(format!("{qp}.id"), "assessment.template.duplicate_id")
                        .arg("id", &q.id),
                );
            }
            text(&mut v, &format!("{qp}.label"), &q.label);
            let choice = matches!(q.kind, Kind::SingleChoice | Kind::MultipleChoice);
            if choice {
                v.check(
                    q.options.len() < 2,
                    &format!("{qp}.options"),
                    "assessment.template.too_few_options",
                );
            } else {
                v.check(
                    !q.options.is_empty(),
                    &format!("{qp}.options"),
                    "assessment.template.options_not_allowed",
                );
            }
            let mut codes = HashSet::new();
            for (oi, o) in q.options.iter().enumerate() {
                let op = format!("{qp}.options[{oi}]");
                v.check(
                    !is_code(&o.code),
                    &format!("{op}.code"),
                    "assessment.template.bad_code",
                );
                v.check(
                    !codes.insert(o.code.as_str()),
                    &format!("{op}.code"),
                    "assessment.template.duplicate_code",
                );
                text(&mut v, &format!("{op}.label"), &o.label);
            }
            match q.kind {
                Kind::Scale => {
                    let ok = matches!((q.min, q.max), (Some(a), Some(b)) if a < b && b - a <= 100);
                    v.check(!ok, &format!("{qp}.max"), "assessment.template.bad_range");
                }
                Kind::Number => {
                    let bad = matches!((q.min, q.max), (Some(a), Some(b)) if a > b);
                    v.check(bad, &format!("{qp}.max"), "assessment.template.bad_range");
                }
                _ => {
                    v.check(
                        q.min.is_some() || q.max.is_some(),
                        &format!("{qp}.min"),
                        "assessment.template.range_not_allowed",
                    );
                }
            }
            let scoring_allowed = match q.kind {
                Kind::SingleChoice | Kind::MultipleChoice => q.yes_points.is_none() && !q.scored,
                Kind::YesNo => !q.scored,
                Kind::Scale => q.yes_points.is_none(),
                Kind::Number | Kind::Date | Kind::Text => !q.is_scored(),
            };
            if !scoring_allowed {
                v.push(
                    FieldError::new(qp.clone(), "assessment.template.scoring_not_allowed")
                        .arg("type", q.kind.code()),
                );
            }
            if let Some(c) = &q.show_if {
                let cp = format!("{qp}.show_if");
                match earlier.get(c.question.as_str()) {
                    None if c.question == q.id || all_ids.contains(c.question.as_str()) => v.push(
                        FieldError::new(cp, "assessment.template.show_if_later")
                            .arg("question", &c.question),
                    ),
                    None => v.push(
                        FieldError::new(cp, "assessment.template.show_if_unknown")
                            .arg("question", &c.question),
                    ),
                    Some((kind, options)) => {
                        let possible = |value: &str| match kind {
                            Kind::SingleChoice | Kind::MultipleChoice => options.contains(&value),
                            Kind::YesNo => value == "yes" || value == "no",
                            Kind::Scale | Kind::Number => value.parse::<f64>().is_ok(),
                            Kind::Date | Kind::Text => false,
                        };
                        let bad = c.any_of.is_empty() || c.any_of.iter().any(|a| !possible(a));
                        v.check(
                            bad,
                            &format!("{cp}.any_of"),
                            "assessment.template.show_if_value",
                        );
                    }
                }
            }
            earlier
                .entry(q.id.as_str())
                .or_insert((q.kind, q.options.iter().map(|o| o.code.as_str()).collect()));
        }
    }
    levels(&mut v, "levels", &t.levels);
    v.finish()
}

/// Writes a template as YAML (`yaml`) or pretty JSON, the forms `parse_template` reads back.
pub fn export_template(t: &Template, yaml: bool) -> Result<String, String> {
    if yaml {
        serde_norway::to_string(t).map_err(|e| e.to_string())
    } else {
        serde_json::to_string_pretty(t).map_err(|e| e.to_string())
    }
}
