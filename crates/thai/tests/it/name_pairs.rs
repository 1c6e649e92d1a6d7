//! Precision and recall of person matching on the hand-built gold set
//! `data/gold/name-pairs.tsv` (names only: no birth dates, documents or phones), printed
//! (visible with `--nocapture`) and held above a floor. Set `KARUNA_MATCH_DIFF=1` to print every
//! pair the matcher gets wrong, with its score and reasons. Recall (of `same` pairs) and false
//! positives (of `diff` pairs) are printed per category too.

use karuna_thai::matching::{compare_persons, is_thai, MatchPerson, THRESHOLD};

const GOLD: &str = include_str!("../../../../data/gold/name-pairs.tsv");

/// Floors set from the measured figures (see docs/ARCHITECTURE.md, "Person matching").
const PRECISION_FLOOR: f64 = 0.955;
/// Recall floor.
const RECALL_FLOOR: f64 = 0.955;

struct Pair {
    same: bool,
    a: MatchPerson,
    b: MatchPerson,
    category: String,
    line: String,
}

/// "first last (nick)" → a person.
fn person(text: &str) -> MatchPerson {
    let (names, nick) = match text.find('(') {
        Some(at) => (
            &text[..at],
            Some(text[at + 1..].trim_end_matches(')').trim().to_string()),
        ),
        None => (text, None),
    };
    let mut words = names.split_whitespace();
    let first = words.next().map(str::to_string);
    let last: Vec<&str> = words.collect();
    let last = (!last.is_empty()).then(|| last.join(" "));
    let thai = is_thai(names);
    MatchPerson {
        first_th: first.clone().filter(|_| thai),
        last_th: last.clone().filter(|_| thai),
        first_latin: first.filter(|_| !thai),
        last_latin: last.filter(|_| !thai),
        nickname: nick,
        ..MatchPerson::default()
    }
}

fn pairs() -> Vec<Pair> {
    GOLD.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let cols: Vec<&str> = l.split('\t').collect();
            assert_eq!(cols.len(), 4, "four columns: {l}");
            assert!(cols[0] == "same" || cols[0] == "diff", "label: {l}");
            Pair {
                same: cols[0] == "same",
                a: person(cols[1]),
                b: person(cols[2]),
                category: cols[3].to_string(),
                line: l.to_string(),
            }
        })
        .collect()
}

/// Per category at the threshold: (same pairs found, same pairs, diff pairs taken, diff pairs).
fn per_category(all: &[Pair]) -> std::collections::BTreeMap<&str, [usize; 4]> {
    let mut out: std::collections::BTreeMap<&str, [usize; 4]> = Default::default();
    for p in all {
        let said = compare_persons(&p.a, &p.b).score >= THRESHOLD;
        let e = out.entry(p.category.as_str()).or_default();
        if p.same {
            e[0] += usize::from(said);
            e[1] += 1;
        } else {
            e[2] += usize::from(said);
            e[3] += 1;
        }
    }
    out
}

/// (precision, recall) at a threshold.
fn measure(all: &[Pair], threshold: u8, show: bool) -> (f64, f64) {
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    for p in all {
        let m = compare_persons(&p.a, &p.b);
        let said = m.score >= threshold;
        match (said, p.same) {
            (true, true) => tp += 1,
            (true, false) => fp += 1,
            (false, true) => fneg += 1,
            _ => {}
        }
        if show && said != p.same {
            let reasons: Vec<String> = m.reasons.iter().map(|r| r.code()).collect();
            println!(
                "{} [{}] score {} {:?}",
                p.line, p.category, m.score, reasons
            );
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fneg).max(1) as f64;
    (precision, recall)
}

#[test]
fn gold_set_is_large_and_covers_every_kind() {
    let all = pairs();
    assert!(all.len() >= 300, "{} pairs", all.len());
    for kind in [
        "tone",
        "mai",
        "nickname",
        "script",
        "rtgs",
        "swapped",
        "typo",
        "short-typo",
        "short-swap",
        "sibling",
        "similar",
        "common-nick",
    ] {
        assert!(all.iter().any(|p| p.category == kind), "no {kind} pairs");
    }
    assert!(all.iter().filter(|p| !p.same).count() >= 100);
}

#[test]
fn precision_and_recall_on_name_pairs() {
    let all = pairs();
    let show = std::env::var_os("KARUNA_MATCH_DIFF").is_some();
    for t in (50..=90).step_by(5) {
        let (p, r) = measure(&all, t, false);
        println!("threshold {t}: precision {p:.3} recall {r:.3}");
    }
    let (precision, recall) = measure(&all, THRESHOLD, show);
    println!(
        "name pairs: {} at threshold {THRESHOLD}: precision {precision:.3}, recall {recall:.3}",
        all.len()
    );
    for (kind, [found, same, taken, diff]) in per_category(&all) {
        println!("  {kind:<12} recall {found}/{same}   false positives {taken}/{diff}",);
    }
    assert!(precision >= PRECISION_FLOOR, "precision {precision:.3}");
    assert!(recall >= RECALL_FLOOR, "recall {recall:.3}");
}
