use super::*;

fn word(t: &str) -> Term {
    Term::Word {
        token: t.into(),
        prefix: false,
    }
}

#[test]
fn thai_compound_word_is_one_token() {
    let t = tokens("ผู้เสียหายได้รับการช่วยเหลือ");
    assert!(t.contains(&"ผู้เสียหาย".to_string()), "{t:?}");
    assert!(!t.iter().any(|x| x == "ตา"));
}

#[test]
fn compound_parts_follow_the_text_once() {
    let b = body("ผู้เสียหายได้รับการช่วยเหลือ", &[]);
    let t: Vec<&str> = b.split(' ').collect();
    assert_eq!(t[..4], ["ผู้เสียหาย", "ได้รับ", "การ", "ช่วยเหลือ"]);
    assert!(t[4..].contains(&"เสียหาย"), "{t:?}");
    // การ is already a word of the text: not added twice; applying again adds nothing.
    assert_eq!(t.iter().filter(|x| **x == "การ").count(), 1);
    let mut again: Vec<String> = t.iter().map(|x| x.to_string()).collect();
    add_parts(&mut again);
    assert_eq!(again.join(" "), b);
    // Ordinary words stay whole.
    assert_eq!(body("ตารางติดตาม", &[]).split(' ').count(), 2);
}

#[test]
fn a_part_marks_its_compound_in_the_snippet() {
    let parts = snippet("ผู้เสียหายได้รับการช่วยเหลือ", &[word("เสียหาย")], 80);
    assert!(
        parts.iter().any(|p| p.hit && p.text == "ผู้เสียหาย"),
        "{parts:?}"
    );
    let parts = snippet("ตารางนัดหมาย", &[word("ตา")], 80);
    assert!(!parts.iter().any(|p| p.hit), "{parts:?}");
}

#[test]
fn tokens_are_lowercase_and_without_punctuation() {
    assert_eq!(tokens("Hello, WORLD! ๒๕๖๙"), vec!["hello", "world", "2569"]);
    assert_eq!(normalize_token("-"), None);
    assert_eq!(normalize_token("่้"), None);
}

#[test]
fn query_words_phrases_and_prefix() {
    let q = parse_query("ผู้เสียหาย \"ได้รับการช่วยเหลือ\" somch*");
    assert_eq!(q.terms[0], word("ผู้เสียหาย"));
    let phrase = tokens("ได้รับการช่วยเหลือ");
    assert!(phrase.len() >= 2);
    assert_eq!(q.terms[1], Term::Phrase(phrase.clone()));
    assert_eq!(
        q.terms[2],
        Term::Word {
            token: "somch".into(),
            prefix: true
        }
    );
    assert_eq!(
        q.fts5(),
        format!("\"ผู้เสียหาย\" AND \"{}\" AND \"somch\" *", phrase.join(" "))
    );
    let quoted: Vec<String> = phrase.iter().map(|t| format!("'{t}'")).collect();
    assert_eq!(
        q.tsquery(),
        format!("'ผู้เสียหาย' & ({}) & 'somch':*", quoted.join(" <-> "))
    );
}

#[test]
fn numbers_phones_and_case_numbers() {
    assert_eq!(parse_query("081-234-5678").terms, vec![word("66812345678")]);
    assert_eq!(
        parse_query("1-1037-00123-45-6").terms,
        vec![word("1103700123456")]
    );
    assert_eq!(
        parse_query("CM-2569-000123").terms,
        vec![Term::Phrase(vec![
            "cm".into(),
            "2569".into(),
            "000123".into()
        ])]
    );
}

#[test]
fn bad_input_gives_plain_terms_or_nothing() {
    assert!(parse_query("").is_empty());
    assert!(parse_query("   ").is_empty());
    assert!(parse_query("!!! ... ---").is_empty());
    assert!(parse_query("่่้้").is_empty());
    assert!(parse_query("\"").is_empty());
    let q = parse_query("a NEAR(b c) OR -d AND e:f *");
    assert_eq!(q.terms.len(), 5, "{q:?}");
    for t in &q.terms {
        let ts = match t {
            Term::Word { token, .. } => vec![token.clone()],
            Term::Phrase(ts) => ts.clone(),
        };
        assert!(
            ts.iter().all(|x| x.chars().all(|c| c.is_ascii_lowercase())),
            "{t:?}"
        );
    }
    let unbalanced = parse_query("abc \"def ghi");
    assert_eq!(unbalanced.terms.len(), 2);
    let long = parse_query(&"ก".repeat(10_000));
    assert!(long.truncated);
    let many = parse_query(
        &(0..40)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" "),
    );
    assert!(many.truncated);
    assert_eq!(many.terms.len(), MAX_TERMS);
}

#[test]
fn snippet_marks_hits_and_keeps_text() {
    let text = "วันนี้ผู้เสียหายได้รับการช่วยเหลือ <b>ok</b>";
    let parts = snippet(text, &parse_query("ผู้เสียหาย").terms, 200);
    let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(joined, text);
    assert!(parts.iter().any(|p| p.hit && p.text == "ผู้เสียหาย"));
    let long = format!("{} ผู้เสียหาย {}", "ก ".repeat(200), "ข ".repeat(200));
    let parts = snippet(&long, &parse_query("ผู้เสียหาย").terms, 60);
    assert_eq!(parts[0].text, "…");
    assert!(parts.iter().any(|p| p.hit));
    assert!(parts.iter().map(|p| p.text.chars().count()).sum::<usize>() < 70);
}

#[test]
fn a_long_query_is_cut_between_words() {
    let q = parse_query(&"zqxjkv ".repeat(1700));
    assert!(q.truncated);
    assert_eq!(q.terms, vec![word("zqxjkv")]);
}

#[test]
fn month_tokens_cover_a_range_and_end_each_body() {
    assert_eq!(
        month_token("2024-03-15T10:00:00.000000Z").as_deref(),
        Some("zd202403")
    );
    assert_eq!(month_token("24-03"), None);
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert_eq!(
        month_tokens(d("2023-11-20"), d("2024-02-01")).unwrap(),
        ["zd202311", "zd202312", "zd202401", "zd202402"]
    );
    assert_eq!(
        month_tokens(d("2024-01-01"), d("2026-12-31")).map(|m| m.len()),
        Some(36)
    );
    assert_eq!(month_tokens(d("2023-12-31"), d("2026-12-01")), None);
    assert_eq!(month_tokens(d("2024-02-01"), d("2024-01-01")), None);
    let b = with_month(body("ผู้เสียหาย", &[]), "2024-03-15T10:00:00Z");
    assert!(b.ends_with(" zd202403"), "{b}");
    assert_eq!(with_month(b.clone(), "2024-03-01"), b, "added once");
}
