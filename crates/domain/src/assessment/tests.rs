use super::*;
use proptest::prelude::*;
use serde_json::json;

const SMALL: &str = r#"
key: small
title: {th: "ทดสอบ", en: "Test"}
sections:
  - code: one
    title: {th: "หนึ่ง", en: "One"}
    levels:
      - {min: 0, code: low, label: {th: "ต่ำ", en: "Low"}}
      - {min: 3, code: high, label: {th: "สูง", en: "High"}}
    questions:
      - id: hurt
        type: yes_no
        required: true
        yes_points: 2
        label: {th: "บาดเจ็บ", en: "Hurt"}
      - id: where
        type: single_choice
        required: true
        show_if: {question: hurt, any_of: ["yes"]}
        label: {th: "ที่ไหน", en: "Where"}
        options:
          - {code: home, points: 1, label: {th: "บ้าน", en: "Home"}}
          - {code: work, points: 3, label: {th: "ที่ทำงาน", en: "Work"}}
      - id: mood
        type: scale
        min: 0
        max: 4
        scored: true
        label: {th: "อารมณ์", en: "Mood"}
  - code: two
    title: {th: "สอง", en: "Two"}
    questions:
      - id: note
        type: text
        label: {th: "บันทึก", en: "Note"}
      - id: when
        type: date
        label: {th: "เมื่อ", en: "When"}
      - id: count
        type: number
        min: 0
        max: 10
        label: {th: "จำนวน", en: "Count"}
      - id: tags
        type: multiple_choice
        label: {th: "ป้าย", en: "Tags"}
        options:
          - {code: a, label: {th: "ก", en: "A"}}
          - {code: b, label: {th: "ข", en: "B"}}
levels:
  - {min: 0, code: low, urgency: routine, label: {th: "ต่ำ", en: "Low"}}
  - {min: 5, code: high, urgency: urgent, label: {th: "สูง", en: "High"}}
"#;

fn small() -> Template {
    parse_template(SMALL).expect("valid")
}

fn answers(v: serde_json::Value) -> Answers {
    serde_json::from_value(v).expect("map")
}

fn fields(e: &[crate::FieldError]) -> Vec<(String, String)> {
    e.iter()
        .map(|e| (e.field.clone(), e.code.clone()))
        .collect()
}

#[test]
fn every_shipped_template_is_valid() {
    let all = shipped::shipped().unwrap_or_else(|(k, e)| panic!("{k}: {e:?}"));
    assert_eq!(all.len(), 7);
    for (t, (key, _)) in all.iter().zip(shipped::SHIPPED) {
        assert_eq!(t.key, key);
    }
    let holistic = &all[0];
    let codes: Vec<_> = holistic.sections.iter().map(|s| s.code.as_str()).collect();
    assert_eq!(
        codes,
        [
            "physical_health",
            "mental_health",
            "family",
            "social",
            "economic",
            "housing",
            "education",
            "legal_status",
            "safety"
        ]
    );
}

#[test]
fn safety_levels_give_the_intake_urgencies() {
    let all = shipped::shipped().expect("valid");
    let safety = all.iter().find(|t| t.key == "safety").expect("safety");
    assert!(safety.repeatable);
    for q in crate::case::SAFETY_QUESTIONS {
        let question = safety
            .question(q.code)
            .expect("intake question in the template");
        let s = score(safety, &answers(json!({ q.code: true })));
        assert_eq!(
            s.urgency.as_deref(),
            Some(q.yes_means.code()),
            "{}",
            question.id
        );
    }
    assert_eq!(
        score(safety, &Answers::new()).urgency.as_deref(),
        Some("routine")
    );
}

#[test]
fn trafficking_records_rights_before_during_after() {
    let all = shipped::shipped().expect("valid");
    let t = all
        .iter()
        .find(|t| t.key == "trafficking_care")
        .expect("s.33");
    for id in ["rights_before", "rights_during", "rights_after"] {
        assert!(t.question(id).is_some(), "{id}");
    }
    for code in [
        "food",
        "shelter",
        "medical",
        "rehabilitation",
        "education",
        "training",
        "legal_aid",
        "return_home",
        "compensation",
    ] {
        assert!(t.sections.iter().any(|s| s.code == code), "{code}");
    }
}

#[test]
fn the_case_type_templates_follow_their_laws_steps() {
    let all = shipped::shipped().expect("valid");
    let sections = |key: &str| -> Vec<String> {
        let t = all.iter().find(|t| t.key == key).expect(key);
        t.sections.iter().map(|s| s.code.clone()).collect()
    };
    assert_eq!(
        sections("domestic_violence"),
        ["safety", "incident", "family", "protection", "welfare"]
    );
    assert_eq!(
        sections("older_person"),
        [
            "daily_living",
            "health",
            "income",
            "caregiver",
            "abuse_neglect",
            "housing"
        ]
    );
    assert_eq!(
        sections("disability"),
        [
            "registration",
            "allowance",
            "devices_rehabilitation",
            "caregiver",
            "education_work",
            "accessibility"
        ]
    );
}

#[test]
fn danger_now_in_a_domestic_violence_case_is_an_emergency() {
    let all = shipped::shipped().expect("valid");
    let dv = all
        .iter()
        .find(|t| t.key == "domestic_violence")
        .expect("dv");
    let s = score(dv, &answers(json!({ "dv_in_danger_now": true })));
    assert_eq!(s.urgency.as_deref(), Some("emergency"));
    let s = score(
        dv,
        &answers(json!({ "dv_in_danger_now": false, "dv_safe_place": "relatives" })),
    );
    assert_eq!(s.urgency.as_deref(), Some("routine"));
}

#[test]
fn a_dependent_older_person_without_a_carer_is_urgent() {
    let all = shipped::shipped().expect("valid");
    let t = all.iter().find(|t| t.key == "older_person").expect("older");
    let mut a = json!({ "cg_carer": "none", "cg_lives_with": "alone" });
    for id in [
        "adl_feeding",
        "adl_bathing",
        "adl_dressing",
        "adl_toileting",
        "adl_moving",
        "iadl_meals",
        "iadl_medicines",
        "iadl_money",
        "iadl_travel",
    ] {
        a[id] = json!("dependent");
    }
    let s = score(t, &answers(a));
    assert_eq!(s.urgency.as_deref(), Some("urgent"), "{s:?}");
}

#[test]
fn bad_templates_name_the_path() {
    let mut t = small();
    t.sections[1].questions[0].id = "hurt".into();
    t.sections[0].questions[1].show_if = Some(Condition {
        question: "count".into(),
        any_of: vec!["1".into()],
    });
    t.sections[1].questions[0].yes_points = Some(1);
    t.sections[0].levels[1].min = 0;
    t.sections[1].questions[2].show_if = Some(Condition {
        question: "nowhere".into(),
        any_of: vec!["x".into()],
    });
    t.levels.swap(0, 1);
    let e = fields(&validate_template(&t).unwrap_err());
    for (field, code) in [
        (
            "sections[1].questions[0].id",
            "assessment.template.duplicate_id",
        ),
        (
            "sections[0].questions[1].show_if",
            "assessment.template.show_if_later",
        ),
        (
            "sections[1].questions[0]",
            "assessment.template.scoring_not_allowed",
        ),
        (
            "sections[0].levels[1].min",
            "assessment.template.levels_out_of_order",
        ),
        (
            "sections[1].questions[2].show_if",
            "assessment.template.show_if_unknown",
        ),
        ("levels[1].min", "assessment.template.levels_out_of_order"),
    ] {
        assert!(
            e.contains(&(field.into(), code.into())),
            "{field} {code} in {e:?}"
        );
    }
}

#[test]
fn unreadable_template_and_json_templates() {
    let e = parse_template("key: [unclosed").unwrap_err();
    assert_eq!(e[0].code, "assessment.template.unreadable");
    let json = serde_json::to_string(&small()).expect("json");
    assert_eq!(parse_template(&json).expect("json parses"), small());
    let yaml = serde_norway::to_string(&small()).expect("yaml");
    assert_eq!(parse_template(&yaml).expect("yaml parses"), small());
}

#[test]
fn answers_that_do_not_fit_are_named() {
    let t = small();
    let a = answers(json!({
        "hurt": "yes", "mood": 9, "ghost": 1, "when": "31/02/2569",
        "tags": ["a", "z"], "count": 2.5, "note": 3
    }));
    let e = fields(&validate_answers(&t, &a, Mode::Draft).unwrap_err());
    for (field, code) in [
        ("answers.hurt", "assessment.answer.wrong_type"),
        ("answers.mood", "assessment.answer.out_of_range"),
        ("answers.ghost", "assessment.answer.unknown_question"),
        ("answers.when", "assessment.answer.wrong_type"),
        ("answers.tags", "assessment.answer.not_an_option"),
        ("answers.note", "assessment.answer.wrong_type"),
    ] {
        assert!(
            e.contains(&(field.into(), code.into())),
            "{field} {code} in {e:?}"
        );
    }
    assert!(
        !e.iter().any(|(f, _)| f == "answers.count"),
        "2.5 is a number"
    );
}

#[test]
fn required_only_when_shown() {
    let t = small();
    let e = validate_answers(&t, &answers(json!({"hurt": true})), Mode::Complete).unwrap_err();
    assert_eq!(fields(&e), [("answers.where".into(), "required".into())]);
    let ok = validate_answers(
        &t,
        &answers(json!({"hurt": false, "where": "home"})),
        Mode::Complete,
    )
    .expect("where is hidden");
    assert!(!ok.contains_key("where"), "hidden answers are dropped");
    assert!(validate_answers(&t, &Answers::new(), Mode::Draft).is_ok());
    let e = validate_answers(&t, &Answers::new(), Mode::Complete).unwrap_err();
    assert_eq!(fields(&e), [("answers.hurt".into(), "required".into())]);
    // A wrong type and a missing required answer are reported together, once each.
    let e = validate_answers(
        &t,
        &answers(json!({"hurt": true, "mood": "x"})),
        Mode::Complete,
    )
    .unwrap_err();
    assert_eq!(
        fields(&e),
        [
            ("answers.mood".into(), "assessment.answer.wrong_type".into()),
            ("answers.where".into(), "required".into())
        ]
    );
    let e = validate_answers(&t, &answers(json!({"hurt": "maybe"})), Mode::Complete).unwrap_err();
    assert_eq!(
        fields(&e),
        [("answers.hurt".into(), "assessment.answer.wrong_type".into())]
    );
}

#[test]
fn scores_per_domain_with_levels() {
    let t = small();
    let s = score(
        &t,
        &answers(json!({"hurt": true, "where": "work", "mood": 2})),
    );
    assert_eq!(s.domains.len(), 1, "the text-only domain is not scored");
    assert_eq!(s.domains[0].score, 7);
    assert_eq!(s.domains[0].max, 9);
    assert_eq!(s.domains[0].level.as_deref(), Some("high"));
    assert_eq!(
        (s.total, s.level.as_deref(), s.urgency.as_deref()),
        (7, Some("high"), Some("urgent"))
    );
    let hidden = score(&t, &answers(json!({"hurt": false, "where": "work"})));
    assert_eq!(hidden.total, 0, "a hidden answer scores nothing");
    assert_eq!(hidden.domains[0].level.as_deref(), Some("low"));
}

#[test]
fn notes_per_domain() {
    let t = small();
    let mut notes = std::collections::BTreeMap::new();
    notes.insert(
        "one".to_string(),
        DomainNotes {
            sources: vec!["home_visit".into(), "rumour".into()],
            strengths: " มีแม่ช่วยดูแล ".into(),
            ..Default::default()
        },
    );
    notes.insert("nine".to_string(), DomainNotes::default());
    let e = fields(&check_notes(&t, &notes).unwrap_err());
    assert!(e.contains(&("notes.one.sources".into(), "contact.source_unknown".into())));
    assert!(e.contains(&(
        "notes.nine".into(),
        "assessment.notes.unknown_domain".into()
    )));
    notes.remove("nine");
    notes.get_mut("one").expect("one").sources.pop();
    let ok = check_notes(&t, &notes).expect("valid");
    assert_eq!(ok["one"].strengths, "มีแม่ช่วยดูแล");
}

proptest! {
    #[test]
    fn any_valid_answers_score_within_bounds(hurt: bool, where_ix in 0usize..2, mood in 0i64..=4) {
        let t = small();
        let place = ["home", "work"][where_ix];
        let a = answers(json!({"hurt": hurt, "where": place, "mood": mood}));
        let kept = validate_answers(&t, &a, Mode::Complete).expect("fits");
        let s = score(&t, &kept);
        prop_assert!(s.domains[0].score >= 0 && s.domains[0].score <= s.domains[0].max);
        prop_assert_eq!(s.total, s.domains.iter().map(|d| d.score).sum::<i64>());
        prop_assert_eq!(kept.contains_key("where"), hurt);
    }

    #[test]
    fn arbitrary_json_answers_never_panic(key in "[a-z]{1,6}", n in any::<i64>(), s in ".{0,20}", b: bool) {
        let t = small();
        for v in [json!(n), json!(s.clone()), json!(b), json!([s.clone()]), json!(null)] {
            let a = answers(json!({ key.clone(): v }));
            let _ = validate_answers(&t, &a, Mode::Complete);
            let _ = score(&t, &a);
        }
    }

    #[test]
    fn levels_in_any_order_but_ascending_are_refused(a in -5i64..20, b in -5i64..20) {
        let mut t = small();
        t.sections[0].levels[0].min = a;
        t.sections[0].levels[1].min = b;
        let ok = validate_template(&t).is_ok();
        prop_assert_eq!(ok, a < b);
    }
}
