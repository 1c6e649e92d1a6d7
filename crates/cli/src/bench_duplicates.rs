//! `karuna bench duplicates --persons N`: bulk-inserts N synthetic Thai persons (names, birth
//! years, phones, ID numbers, match keys) into a throw-away database, then times the intake
//! duplicate check (`App::find_candidates`, the whole use case with its audit event) for
//! variants of stored persons and for new names. Prints figures; asserts nothing.

use clap::Args;
use karuna_app::{App, Ctx, Settings};
use karuna_domain::person::{DocumentInput, PersonInput};
use karuna_store::Db;
use karuna_thai::matching::{romanize, MatchPerson};
use std::time::{Duration, Instant};

#[derive(Args, Debug)]
pub struct DuplicatesArgs {
    /// How many persons to generate.
    #[arg(long, default_value_t = 100_000)]
    persons: usize,
    /// How many duplicate checks to time.
    #[arg(long, default_value_t = 400)]
    queries: usize,
    /// Use this database instead of a temporary SQLite file (it is migrated and gets the demo
    /// accounts; the generated persons stay in it).
    #[arg(long)]
    database_url: Option<String>,
}

const FIRST: &[&str] = &[
    "สมชาย",
    "สมศักดิ์",
    "สมศรี",
    "สมหญิง",
    "สมพร",
    "สมบัติ",
    "สมใจ",
    "สมปอง",
    "สุดา",
    "สุนีย์",
    "สุนทร",
    "สุรชัย",
    "สุภาพ",
    "สุริยา",
    "ประเสริฐ",
    "ประยุทธ",
    "ปรีชา",
    "ประภาพร",
    "กาญจนา",
    "กัญญา",
    "กมล",
    "กิตติ",
    "กิตติพงษ์",
    "วิชัย",
    "วิไล",
    "วันดี",
    "วันเพ็ญ",
    "วัฒนา",
    "วรวุฒิ",
    "มาลี",
    "มาลัย",
    "มานี",
    "มานะ",
    "บุญมี",
    "บุญมา",
    "บุญส่ง",
    "บุษบา",
    "นงนุช",
    "นงลักษณ์",
    "นิด",
    "น้อย",
    "ณัฐพล",
    "ณัฐวุฒิ",
    "ณรงค์",
    "ธนพร",
    "ธนากร",
    "ธีรศักดิ์",
    "ธิดา",
    "ศิริพร",
    "ศิริชัย",
    "ศักดิ์ชัย",
    "ศรีสุดา",
    "อรุณ",
    "อรุณี",
    "อนุชา",
    "อัจฉรา",
    "อำไพ",
    "เพ็ญศรี",
    "เยาวลักษณ์",
    "จิราพร",
    "จันทร์เพ็ญ",
    "ชัยวัฒน์",
    "ชนิดา",
    "ดวงใจ",
    "ทองใบ",
    "ทองดี",
    "พรทิพย์",
    "พิมพ์ใจ",
    "ภัทรา",
    "ยุพิน",
    "รัตนา",
    "ลำดวน",
    "เกศินี",
    "เกษม",
    "ไพโรจน์",
    "ไพบูลย์",
    "ปัทมา",
    "อุ่นเรือน",
    "กุหลาบ",
    "สายใจ",
    "สายสุนีย์",
    "ผ่องศรี",
    "นิ่มนวล",
    "แก้วตา",
    "ใบเตย",
    "ปิยะ",
];
const SUR_A: &[&str] = &[
    "ใจ",
    "ทอง",
    "แก้ว",
    "ศรี",
    "บุญ",
    "สุข",
    "แสง",
    "วงศ์",
    "มั่น",
    "พูล",
    "ชู",
    "มี",
    "ดี",
    "คำ",
    "จันทร์",
    "เจริญ",
    "รัก",
    "หอม",
    "ใหญ่",
    "น้อย",
    "เพชร",
    "นาค",
    "ไชย",
    "ขาว",
    "ดวง",
    "พึ่ง",
    "อ่อน",
    "กล้า",
    "งาม",
    "เรือง",
    "ศักดิ์",
    "สม",
    "ชาญ",
    "ทิพย์",
    "ประ",
    "พงษ์",
    "วิเศษ",
    "อินทร์",
    "ม่วง",
    "ปาน",
];
const SUR_B: &[&str] = &[
    "ดี",
    "มา",
    "สุข",
    "คำ",
    "ใจ",
    "งาม",
    "ทอง",
    "มณี",
    "วงศ์",
    "ผล",
    "เรือง",
    "ศรี",
    "ชัย",
    "สม",
    "แก้ว",
    "มาก",
    "ใส",
    "เย็น",
    "หาญ",
    "กล้า",
    "ไทย",
    "สว่าง",
    "สวัสดิ์",
    "เกษม",
    "ยิ่ง",
    "บุญ",
    "รอด",
    "จันทร์",
    "นาม",
    "พันธ์",
    "ประเสริฐ",
    "วัฒนา",
    "ภักดี",
    "เดช",
    "ฤทธิ์",
    "โชติ",
    "กุล",
    "สิทธิ์",
    "พร",
    "ทิพย์",
];
const SUR_C: &[&str] = &[
    "",
    "",
    "",
    "กุล",
    "วงศ์",
    "ศักดิ์",
    "ชัย",
    "พันธ์",
    "สกุล",
    "รัตน์",
    "ธรรม",
    "ทรัพย์",
    "วิทย์",
    "เสถียร",
    "พงศ์",
    "สุวรรณ",
    "ไพศาล",
    "นนท์",
    "ภูมิ",
    "เลิศ",
];

/// A small, seeded xorshift generator: the data are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

fn national_id(rng: &mut Rng) -> String {
    let mut d = [0u8; 12];
    d[0] = 1 + rng.below(8) as u8;
    for x in d.iter_mut().skip(1) {
        *x = rng.below(10) as u8;
    }
    let check = karuna_thai::national_id::check_digit(&d);
    d.iter()
        .chain(std::iter::once(&check))
        .map(|x| char::from(b'0' + x))
        .collect()
}

fn synthetic(rng: &mut Rng) -> MatchPerson {
    let first = rng.pick(FIRST).to_string();
    let last = format!("{}{}{}", rng.pick(SUR_A), rng.pick(SUR_B), rng.pick(SUR_C));
    let latin = rng.below(5) == 0;
    let cap = |s: String| {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
            .unwrap_or_default()
    };
    MatchPerson {
        first_latin: latin.then(|| cap(romanize(&first))),
        last_latin: latin.then(|| cap(romanize(&last))),
        first_th: Some(first),
        last_th: Some(last),
        nickname: None,
        birth_date: None,
        birth_year: Some(1940 + rng.below(83) as i32),
        birth_estimated: false,
        documents: if rng.below(10) < 7 {
            vec![("thai_national_id".into(), national_id(rng))]
        } else {
            Vec::new()
        },
        phones: if rng.below(10) < 6 {
            vec![format!("+668{:08}", rng.below(100_000_000))]
        } else {
            Vec::new()
        },
    }
}

/// A query made from a stored person: a variant a worker might type, or someone new.
fn query(
    rng: &mut Rng,
    stored: &[MatchPerson],
    be: bool,
) -> (PersonInput, Vec<DocumentInput>, &'static str) {
    let kind = rng.below(5);
    let p = if kind == 4 {
        synthetic(rng)
    } else {
        stored[rng.below(stored.len())].clone()
    };
    let year = p.birth_year.unwrap_or(1980) + if be { 543 } else { 0 };
    let first = p.first_th.clone().unwrap_or_default();
    let last = p.last_th.clone().unwrap_or_default();
    let strip = |s: &str| {
        s.chars()
            .filter(|c| !matches!(c, '่' | '้' | '๊' | '๋' | '์'))
            .collect::<String>()
    };
    let mut input = PersonInput {
        birth_year: year.to_string(),
        ..PersonInput::default()
    };
    let mut docs = Vec::new();
    let label = match kind {
        0 => {
            input.first_name_th = strip(&first);
            input.last_name_th = strip(&last);
            "marks dropped"
        }
        1 => {
            input.first_name_th = last;
            input.last_name_th = first;
            "swapped"
        }
        2 => {
            input.first_name_latin = romanize(&first);
            input.last_name_latin = romanize(&last);
            "latin"
        }
        3 => {
            input.first_name_th = first;
            input.last_name_th = last;
            input.phones = p.phones.clone();
            docs = p
                .documents
                .iter()
                .map(|(k, n)| DocumentInput {
                    kind: k.clone(),
                    number: n.clone(),
                    ..DocumentInput::default()
                })
                .collect();
            "exact with ID"
        }
        _ => {
            input.first_name_th = first;
            input.last_name_th = last;
            "new person"
        }
    };
    (input, docs, label)
}

fn ms(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// Runs the benchmark.
pub async fn run(args: DuplicatesArgs) -> Result<(), String> {
    let tmp = std::env::temp_dir().join(format!("karuna-bench-dup-{}", uuid::Uuid::now_v7()));
    let url = match &args.database_url {
        Some(u) => u.clone(),
        None => Db::sqlite_url_for_dir(&tmp).map_err(|e| e.to_string())?,
    };
    let db = Db::connect(&url).await.map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    let app = App::new(
        db,
        Settings {
            demo: true,
            ..Settings::default()
        },
    );
    app.seed_demo().await.map_err(|e| e.to_string())?;
    let ctx = Ctx::default();
    let user = app
        .login("demo-manager", "karuna-demo", &ctx)
        .await
        .map_err(|e| e.to_string())?
        .user;
    let org = user.actor.org_id;
    println!(
        "karuna bench duplicates — backend {:?}, {} persons, {} checks",
        app.db.backend(),
        args.persons,
        args.queries
    );

    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut sample: Vec<MatchPerson> = Vec::new();
    let start = Instant::now();
    let batch = 10_000;
    let mut done = 0;
    while done < args.persons {
        let n = batch.min(args.persons - done);
        let persons: Vec<MatchPerson> = (0..n).map(|_| synthetic(&mut rng)).collect();
        if sample.len() < 20_000 {
            sample.extend(persons.iter().take(200).cloned());
        }
        let mut tx = app.db.begin().await.map_err(|e| e.to_string())?;
        karuna_store::matching::insert_persons_bulk(&mut tx, org, &persons)
            .await
            .map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
        done += n;
        if done % 100_000 == 0 || done == args.persons {
            eprintln!(
                "  {done} persons inserted ({:.0} s)",
                start.elapsed().as_secs_f64()
            );
        }
    }
    let load = start.elapsed();
    println!(
        "insert (persons, phones, IDs, match keys): {:.1} s, {:.0} persons/s",
        load.as_secs_f64(),
        args.persons as f64 / load.as_secs_f64().max(1e-9)
    );

    let be = user.era != "ce";
    let mut all = Vec::with_capacity(args.queries);
    let mut by_kind: std::collections::BTreeMap<&str, (Vec<Duration>, usize, usize)> =
        Default::default();
    for i in 0..args.queries + 20 {
        let (input, docs, label) = query(&mut rng, &sample, be);
        let t = Instant::now();
        let found = app
            .find_candidates(&user, &ctx, &input, &docs)
            .await
            .map_err(|e| e.to_string())?;
        let took = t.elapsed();
        if i < 20 {
            continue; // warm-up
        }
        all.push(took);
        let e = by_kind.entry(label).or_default();
        e.0.push(took);
        e.1 += 1;
        e.2 += usize::from(!found.is_empty());
    }
    all.sort();
    // Where the time goes, for the same kind of queries: key lookup, bulk load, scoring.
    let (mut t_keys, mut t_load, mut t_score, mut scored) =
        (Duration::ZERO, Duration::ZERO, Duration::ZERO, 0);
    for _ in 0..50 {
        let (input, docs, _) = query(&mut rng, &sample, be);
        let era = karuna_thai::calendar::Era::from_code(&user.era).unwrap_or_default();
        let q = karuna_app::matching::match_input(&input, &docs, era);
        let t = Instant::now();
        let keys = karuna_thai::matching::match_keys(&q, true);
        let ids = karuna_store::matching::candidate_ids(&app.db, org, &keys, 200)
            .await
            .map_err(|e| e.to_string())?;
        t_keys += t.elapsed();
        let t = Instant::now();
        let loaded = karuna_store::matching::load(&app.db, org, &ids)
            .await
            .map_err(|e| e.to_string())?;
        t_load += t.elapsed();
        let t = Instant::now();
        for (_, m) in &loaded {
            std::hint::black_box(karuna_thai::matching::compare_persons(&q, m));
        }
        t_score += t.elapsed();
        scored += loaded.len();
    }
    println!(
        "per check, mean of 50: key lookup {:.2} ms, load {:.2} ms, scoring {:.2} ms ({:.1} persons scored)",
        t_keys.as_secs_f64() * 20.0,
        t_load.as_secs_f64() * 20.0,
        t_score.as_secs_f64() * 20.0,
        scored as f64 / 50.0
    );
    println!(
        "{:<16} n={:<5} p50 {:>7.2} ms  p95 {:>7.2} ms  p99 {:>7.2} ms",
        "duplicate check",
        all.len(),
        ms(&all, 0.5),
        ms(&all, 0.95),
        ms(&all, 0.99)
    );
    for (label, (mut lat, n, hits)) in by_kind {
        lat.sort();
        println!(
            "  {label:<14} n={n:<5} p50 {:>7.2} ms  p95 {:>7.2} ms  with candidates {hits}/{n}",
            ms(&lat, 0.5),
            ms(&lat, 0.95)
        );
    }
    duplicates_list(&app, org, &user.era, &mut rng, &sample, args.persons / 100).await?;
    app.db.close().await;
    if args.database_url.is_none() {
        let _ = std::fs::remove_dir_all(tmp);
    }
    Ok(())
}

/// The supervisors' "possible duplicates" list over the whole organisation: plants `planted`
/// variants of stored persons, then times building the list (key blocks → candidate pairs →
/// bulk load → scoring), best of three.
async fn duplicates_list(
    app: &App,
    org: uuid::Uuid,
    era: &str,
    rng: &mut Rng,
    sample: &[MatchPerson],
    planted: usize,
) -> Result<(), String> {
    let era_code = karuna_thai::calendar::Era::from_code(era).unwrap_or_default();
    let variants: Vec<MatchPerson> = (0..planted)
        .map(|_| {
            let (input, docs, _) = query(rng, sample, era != "ce");
            karuna_app::matching::match_input(&input, &docs, era_code)
        })
        .collect();
    let mut tx = app.db.begin().await.map_err(|e| e.to_string())?;
    karuna_store::matching::insert_persons_bulk(&mut tx, org, &variants)
        .await
        .map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    let whole = karuna_store::duplicates::Visibility {
        org_id: org,
        unit_and_viewer: None,
    };
    let mut best: Option<(Duration, Duration, usize, usize, usize)> = None;
    for _ in 0..3 {
        let t = Instant::now();
        let cand = karuna_store::duplicates::candidate_pairs(&app.db, whole)
            .await
            .map_err(|e| e.to_string())?;
        let blocking = t.elapsed();
        let t = Instant::now();
        let listed = app
            .duplicate_pairs(whole)
            .await
            .map_err(|e| e.to_string())?;
        let total = t.elapsed();
        if best.is_none_or(|b| total < b.1) {
            best = Some((
                blocking,
                total,
                cand.keys_read,
                cand.pairs.len(),
                listed.len(),
            ));
        }
    }
    if let Some((blocking, total, keys, pairs, listed)) = best {
        println!(
            "duplicates list ({planted} planted variants): build {:.0} ms (key blocking alone {:.0} ms); \
             {keys} key rows, {pairs} candidate pairs scored, {listed} pairs listed",
            total.as_secs_f64() * 1000.0,
            blocking.as_secs_f64() * 1000.0
        );
    }
    Ok(())
}
