//! Tests of whole-person comparison and properties of the keys.

use super::*;
use chrono::NaiveDate;
use proptest::prelude::*;

fn thai(first: &str, last: &str) -> MatchPerson {
    MatchPerson {
        first_th: Some(first.into()),
        last_th: Some(last.into()),
        ..MatchPerson::default()
    }
}

fn codes(m: &Match) -> Vec<String> {
    m.reasons.iter().map(|r| r.code()).collect()
}

#[test]
fn same_name_and_birth_date_is_a_strong_match() {
    let d = NaiveDate::from_ymd_opt(1980, 5, 1);
    let a = MatchPerson {
        birth_date: d,
        ..thai("สมชาย", "ใจดี")
    };
    let b = MatchPerson {
        birth_date: d,
        ..thai("สมชาย", "ใจดี")
    };
    let m = compare_persons(&a, &b);
    assert_eq!(m.score, 100);
    assert!(codes(&m).contains(&"same_birth_date".to_string()));
}

#[test]
fn reasons_say_how_names_matched() {
    let m = compare_persons(&thai("สมศักดิ์", "ทองดี"), &thai("สมศักดิ", "ทองดี"));
    assert_eq!(codes(&m), ["first_name.normalised", "last_name.exact"]);
    let latin = MatchPerson {
        first_latin: Some("Somchay".into()),
        last_latin: Some("Jaidee".into()),
        ..MatchPerson::default()
    };
    let m = compare_persons(&thai("สมชาย", "ใจดี"), &latin);
    assert_eq!(codes(&m), ["first_name.romanised", "last_name.romanised"]);
    assert!(m.score >= THRESHOLD);
    let m = compare_persons(&thai("สมชาย", "ใจดี"), &thai("ใจดี", "สมชาย"));
    assert_eq!(codes(&m)[0], "swapped");
    let nick = MatchPerson {
        nickname: Some("แดง".into()),
        ..thai("สมศรี", "ใจดี")
    };
    let m = compare_persons(&nick, &thai("แดง", "ใจดี"));
    assert_eq!(codes(&m), ["nickname.exact", "last_name.exact"]);
    assert!(m.score >= THRESHOLD);
}

#[test]
fn birth_years_far_apart_count_against() {
    let a = MatchPerson {
        birth_year: Some(1960),
        ..thai("สมชาย", "ใจดี")
    };
    let b = MatchPerson {
        birth_year: Some(1990),
        ..thai("สมชาย", "ใจดี")
    };
    let m = compare_persons(&a, &b);
    assert!(m.score < THRESHOLD, "{}", m.score);
    assert!(codes(&m).contains(&"birth_year_far".to_string()));
    let c = MatchPerson {
        birth_year: Some(1961),
        ..thai("สมชาย", "ใจดี")
    };
    assert!(codes(&compare_persons(&a, &c)).contains(&"birth_year_close".to_string()));
}

#[test]
fn documents_are_compared_by_kind() {
    let doc = |k: &str, n: &str| vec![(k.to_string(), n.to_string())];
    let a = MatchPerson {
        documents: doc("thai_national_id", "1-1017-00230-71-9"),
        ..thai("ก", "ข")
    };
    let b = MatchPerson {
        documents: doc("thai_national_id", "1101700230719"),
        ..thai("สมชาย", "ใจดี")
    };
    let m = compare_persons(&a, &b);
    assert!(m.score >= 95);
    assert_eq!(codes(&m)[0], "same_document");
    // A passport number equal to an ID number means nothing.
    let c = MatchPerson {
        documents: doc("passport", "1101700230719"),
        ..thai("สมชาย", "ใจดี")
    };
    assert!(!codes(&compare_persons(&a, &c)).contains(&"same_document".to_string()));
    let d = MatchPerson {
        documents: doc("thai_national_id", "3101700230711"),
        ..thai("ก", "ข")
    };
    assert!(codes(&compare_persons(&a, &d)).contains(&"different_document".to_string()));
}

#[test]
fn shared_phone_is_a_reason() {
    let a = MatchPerson {
        phones: vec!["+66812345678".into()],
        ..thai("สมชาย", "ใจดี")
    };
    let b = MatchPerson {
        phones: vec!["+66812345678".into()],
        ..thai("สมชาย", "ใจดี")
    };
    assert!(codes(&compare_persons(&a, &b)).contains(&"same_phone".to_string()));
}

#[test]
fn stored_keys_meet_the_query_keys_of_variants() {
    let stored = MatchPerson {
        birth_year: Some(1980),
        ..thai("สมศักดิ์", "ทองดี")
    };
    let keys = match_keys(&stored, false);
    let meets = |q: &MatchPerson| match_keys(q, true).iter().any(|k| keys.contains(k));
    assert!(meets(&MatchPerson {
        birth_year: Some(1981),
        ..thai("สมศักดิ", "ทองดี")
    }));
    assert!(meets(&thai("ทองดี", "สมศัก")));
    assert!(meets(&MatchPerson {
        first_latin: Some("Somsak".into()),
        last_latin: Some("Thongdee".into()),
        ..MatchPerson::default()
    }));
    assert!(meets(&MatchPerson {
        birth_year: Some(1980),
        ..thai("สมสัก", "ทองมา")
    }));
    assert!(!meets(&MatchPerson {
        birth_year: Some(1980),
        ..thai("วิชัย", "แสงทอง")
    }));
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof!["[ก-ฮะ-ฺเ-๎ ]{0,12}", "[A-Za-z .-]{0,12}", "[ก-ฮa-z่้็์ิีุู]{1,8}",]
}

proptest! {
    #[test]
    fn comparison_is_bounded_and_symmetric(a in name(), b in name(), c in name(), d in name()) {
        let p = thai(&a, &b);
        let q = MatchPerson { first_latin: Some(c.clone()), last_th: Some(d.clone()), ..MatchPerson::default() };
        let x = compare_persons(&p, &q);
        let y = compare_persons(&q, &p);
        prop_assert!(x.score <= 100);
        prop_assert_eq!(x.score, y.score);
    }

    #[test]
    fn a_name_matches_itself(a in "[ก-ฮ][ก-ฮะ-ู]{1,8}", b in "[ก-ฮ][ก-ฮะ-ู]{1,8}") {
        let p = thai(&a, &b);
        prop_assert!(compare_persons(&p, &p).score >= 95);
        let _ = (romanize(&a), phonetic_key(&a), normalize_name(&a), sound_key(&a));
    }

    #[test]
    fn normalisation_ignores_tone_marks(a in "[ก-ฮ][ก-ฮะ-ู]{1,8}", at in 0usize..8, mark in "[่้๊๋]") {
        let mut s: Vec<char> = a.chars().collect();
        let at = at.min(s.len());
        s.insert(at, mark.chars().next().unwrap_or('่'));
        let marked: String = s.into_iter().collect();
        prop_assert_eq!(normalize_name(&marked), normalize_name(&a));
    }
}
