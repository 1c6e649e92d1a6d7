//! The person-level gold set `data/gold/persons.tsv` through the whole duplicate check: the
//! persons are registered by intake (so their keys are the stored ones), each query goes through
//! the store's key blocking and the app's scoring (`App::find_candidates_aged`), on the
//! configured backend. Recall (the expected person offered) and false positives (anyone else
//! offered) are printed per kind of query (visible with `--no-capture`) and held above floors.
//! Set `KARUNA_MATCH_DIFF=1` to print every query that misses or offers someone else.

use super::matching::{app, intake, user};
use karuna_app::Ctx;
use karuna_domain::person::PersonInput;
use karuna_thai::matching::is_thai;
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

const GOLD: &str = include_str!("../../../../data/gold/persons.tsv");

/// Floors set from the measured figures (see docs/ARCHITECTURE.md, "Person matching").
const PRECISION_FLOOR: f64 = 0.95;
/// Recall floor.
const RECALL_FLOOR: f64 = 0.9;

/// "first last (nick)" ("-" for no first name) and a birth column → the person as typed, and
/// an approximate age when the birth column is `~YYYY`.
fn typed(
    name: &str,
    latin: Option<&str>,
    birth: &str,
    this_year: i32,
) -> (PersonInput, Option<u32>) {
    let (names, nick) = match name.find('(') {
        Some(at) => (&name[..at], name[at + 1..].trim_end_matches(')').trim()),
        None => (name, ""),
    };
    let mut words = names.split_whitespace();
    let first = words.next().filter(|w| *w != "-").unwrap_or_default();
    let last = words.collect::<Vec<_>>().join(" ");
    let mut p = PersonInput {
        nickname: nick.into(),
        ..Default::default()
    };
    if is_thai(names) {
        p.first_name_th = first.into();
        p.last_name_th = last;
    } else {
        p.first_name_latin = first.into();
        p.last_name_latin = last;
    }
    if let Some(l) = latin {
        let mut w = l.split_whitespace();
        p.first_name_latin = w.next().unwrap_or_default().into();
        p.last_name_latin = w.collect::<Vec<_>>().join(" ");
    }
    let mut age = None;
    // Dates and years typed in the Buddhist era, as a worker does.
    match birth.split('-').collect::<Vec<_>>().as_slice() {
        ["", ..] => {}
        [y, m, d] => {
            let y: i32 = y.parse().expect("year");
            p.birth_date = format!("{d}/{m}/{}", y + 543);
        }
        [y] if y.starts_with('~') => {
            let y: i32 = y[1..].parse().expect("year");
            age = Some(u32::try_from(this_year - y).expect("age"));
        }
        [y] => {
            let y: i32 = y.parse().expect("year");
            p.birth_year = (y + 543).to_string();
        }
        _ => panic!("birth {birth}"),
    }
    (p, age)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn precision_and_recall_on_the_person_gold_set() {
    let app = app().await;
    let manager = user(&app, "manager").await;
    let ctx = Ctx::default();
    let this_year =
        chrono::Datelike::year(&karuna_thai::calendar::bangkok_date(chrono::Utc::now()));
    let show = std::env::var_os("KARUNA_MATCH_DIFF").is_some();
    let rows: Vec<Vec<&str>> = GOLD
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split('\t').collect())
        .collect();
    let mut ids: HashMap<&str, Uuid> = HashMap::new();
    let mut names: HashMap<Uuid, &str> = HashMap::new();
    for r in rows.iter().filter(|r| r[0] == "P") {
        assert_eq!(r.len(), 5, "{r:?}");
        let latin = Some(r[3]).filter(|l| *l != "-");
        let (p, _) = typed(r[2], latin, r[4], this_year);
        let id = app
            .intake(&manager, &ctx, &intake(p))
            .await
            .unwrap_or_else(|e| panic!("{r:?}: {e:?}"))
            .client_id;
        ids.insert(r[1], id);
        names.insert(id, r[2]);
    }
    // Per kind: [expected found, expected, others offered, queries].
    let mut kinds: BTreeMap<&str, [usize; 4]> = BTreeMap::new();
    let (mut tp, mut fp, mut fneg) = (0usize, 0usize, 0usize);
    for r in rows.iter().filter(|r| r[0] == "Q") {
        assert_eq!(r.len(), 5, "{r:?}");
        let expected = (r[1] != "-").then(|| ids[r[1]]);
        let (p, age) = typed(r[3], None, r[4], this_year);
        let found = app
            .find_candidates_aged(&manager, &ctx, &p, &[], age)
            .await
            .unwrap();
        let hit = expected.is_some_and(|e| found.iter().any(|c| c.person_id == e));
        let others: Vec<_> = found
            .iter()
            .filter(|c| Some(c.person_id) != expected)
            .collect();
        let k = kinds.entry(r[2]).or_default();
        k[0] += usize::from(hit);
        k[1] += usize::from(expected.is_some());
        k[2] += others.len();
        k[3] += 1;
        tp += usize::from(hit);
        fneg += usize::from(expected.is_some() && !hit);
        fp += others.len();
        if show && ((expected.is_some() && !hit) || !others.is_empty()) {
            let offered: Vec<String> = found
                .iter()
                .map(|c| format!("{} {} {:?}", names[&c.person_id], c.score, c.reasons))
                .collect();
            println!("{} [{}] {}: {offered:?}", r[3], r[4], r[1]);
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fneg).max(1) as f64;
    println!(
        "person gold set: {} persons, {} queries: precision {precision:.3}, recall {recall:.3}",
        ids.len(),
        kinds.values().map(|k| k[3]).sum::<usize>()
    );
    for (kind, [found, expected, others, queries]) in &kinds {
        println!("  {kind:<11} recall {found}/{expected}   others offered {others} over {queries} queries");
    }
    assert!(precision >= PRECISION_FLOOR, "precision {precision:.3}");
    assert!(recall >= RECALL_FLOOR, "recall {recall:.3}");
}
