//! `karuna bench load`: drives one or more running Karuna servers over HTTP with N virtual
//! users and think time, replaying the mix of Primero's own load test (log in, home page, case
//! list, case search, create a case, open a case) plus adding a contact note. Prints, per
//! request type, throughput, p50/p95/p99 latency and errors, the servers' peak RSS, and the
//! servers' own CPU time per request: over the mix, and per request type in a phase of its
//! own after the mix (`--phase-seconds`), read from `/proc/PID/stat` so that the load
//! generator sharing the cores does not blur it. With `--raw` it issues the same reads and
//! writes straight to the database instead (see `bench_raw`), and the CPU is its own process's,
//! so the application's overhead can be given as a ratio. Asserts nothing.

use clap::Args;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Args, Debug, Clone)]
pub struct LoadArgs {
    /// Base URL(s) of running servers, comma-separated; virtual users are spread over them.
    #[arg(
        long = "url",
        value_delimiter = ',',
        default_value = "http://127.0.0.1:8080"
    )]
    pub urls: Vec<String>,
    /// Virtual users.
    #[arg(long, default_value_t = 32)]
    pub users: usize,
    /// Measured seconds (after the warm-up).
    #[arg(long, default_value_t = 60)]
    pub duration: u64,
    /// Warm-up seconds (requests are made but not counted).
    #[arg(long, default_value_t = 5)]
    pub warmup: u64,
    /// Mean think time between a user's requests, in milliseconds (uniform 0…2×mean).
    #[arg(long, default_value_t = 0)]
    pub think_ms: u64,
    /// Accounts the users log in as, comma-separated, round-robin. A range in braces expands:
    /// `gen-manager-{001..020}`.
    #[arg(long, value_delimiter = ',', default_value = "demo-manager")]
    pub accounts: Vec<String>,
    /// The accounts' password.
    #[arg(long, env = "KARUNA_BENCH_PASSWORD", default_value = "karuna-demo")]
    pub password: String,
    /// Server process ids whose RSS is sampled (default: every `karuna serve` process found).
    #[arg(long = "pid", value_delimiter = ',')]
    pub pids: Vec<u32>,
    /// Issue the same operations directly to the database instead of over HTTP.
    #[arg(long)]
    pub raw: bool,
    /// The database for `--raw` (SQLite file URL or postgres://…).
    #[arg(long, env = "KARUNA_DATABASE_URL")]
    pub database_url: Option<String>,
    /// The data folder for `--raw` on SQLite (as `serve --data-dir`).
    #[arg(long)]
    pub data_dir: Option<std::path::PathBuf>,
    /// Seed for the users' choices.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Seconds of each single-type phase after the mix, for the CPU per request type
    /// (0: mix only).
    #[arg(long, default_value_t = 10)]
    pub phase_seconds: u64,
}

/// The request types and their weights in a user's loop (log in happens once per user, at
/// the start, and is reported on its own line).
pub const MIX: &[(Op, u32)] = &[
    (Op::Home, 10),
    (Op::List, 20),
    (Op::Search, 15),
    (Op::Open, 35),
    (Op::Note, 15),
    (Op::Create, 5),
];

/// One kind of request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Op {
    Login,
    Home,
    List,
    Search,
    Open,
    Note,
    Create,
}

impl Op {
    pub fn label(self) -> &'static str {
        match self {
            Op::Login => "log in",
            Op::Home => "home page",
            Op::List => "case list",
            Op::Search => "case search",
            Op::Open => "open a case",
            Op::Note => "add a contact note",
            Op::Create => "create a case",
        }
    }
}

/// Words users search for: common and rare words, a name, a phrase.
pub const SEARCHES: &[&str] = &[
    "ผู้เสียหาย",
    "โรงพยาบาล",
    "เยี่ยมบ้าน",
    "สมศรี",
    "\"ทีมสหวิชาชีพ\"",
    "โรงเรียน บุตร",
    "ค้ามนุษย์",
    "เบี้ยยังชีพ",
];

/// Notes users write.
pub const NOTES: &[&str] = &[
    "โทรศัพท์ติดตามอาการ ผู้รับบริการแจ้งว่านอนหลับได้ดีขึ้น",
    "เยี่ยมบ้าน พบผู้รับบริการและบุตร สภาพบ้านปลอดภัย",
    "ประสานโรงพยาบาลเพื่อนัดตรวจร่างกายสัปดาห์หน้า",
    "ผู้รับบริการมาที่สำนักงาน ขอรับเงินสงเคราะห์",
];

/// A small deterministic generator (xorshift).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).max(1))
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        if n == 0 {
            0
        } else {
            self.0 % n
        }
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    pub fn op(&mut self) -> Op {
        let total: u32 = MIX.iter().map(|(_, w)| w).sum();
        let mut r = self.below(u64::from(total)) as u32;
        for (op, w) in MIX {
            if r < *w {
                return *op;
            }
            r -= w;
        }
        Op::Open
    }
    pub fn think(&mut self, mean_ms: u64) -> Duration {
        Duration::from_millis(if mean_ms == 0 {
            0
        } else {
            self.below(2 * mean_ms + 1)
        })
    }
}

/// Expands `prefix{001..020}suffix` ranges; other names pass through.
pub fn expand_accounts(names: &[String]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for n in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        match (n.find('{'), n.find('}')) {
            (Some(a), Some(b)) if a < b => {
                let inner = &n[a + 1..b];
                let (lo, hi) = inner
                    .split_once("..")
                    .ok_or_else(|| format!("--accounts: cannot read the range in '{n}'"))?;
                let width = lo.len();
                let lo: u64 = lo
                    .parse()
                    .map_err(|_| format!("--accounts: '{lo}' is not a number"))?;
                let hi: u64 = hi
                    .parse()
                    .map_err(|_| format!("--accounts: '{hi}' is not a number"))?;
                if hi < lo || hi - lo > 100_000 {
                    return Err(format!(
                        "--accounts: the range in '{n}' is empty or too big"
                    ));
                }
                for i in lo..=hi {
                    out.push(format!("{}{:0width$}{}", &n[..a], i, &n[b + 1..]));
                }
            }
            _ => out.push(n.to_string()),
        }
    }
    if out.is_empty() {
        return Err("--accounts: give at least one account".into());
    }
    Ok(out)
}

/// Latencies and errors per request type, from all users.
#[derive(Default)]
pub struct Tally {
    pub lat: BTreeMap<Op, Vec<Duration>>,
    pub errors: BTreeMap<Op, usize>,
    pub first_error: BTreeMap<Op, String>,
}

impl Tally {
    pub fn record(&mut self, op: Op, took: Duration, outcome: Result<(), String>) {
        match outcome {
            Ok(()) => self.lat.entry(op).or_default().push(took),
            Err(e) => {
                *self.errors.entry(op).or_default() += 1;
                self.first_error.entry(op).or_insert(e);
            }
        }
    }
    /// Requests completed, with or without an error.
    pub fn requests(&self) -> usize {
        self.lat.values().map(Vec::len).sum::<usize>() + self.errors.values().sum::<usize>()
    }

    pub fn merge(&mut self, o: Tally) {
        for (k, v) in o.lat {
            self.lat.entry(k).or_default().extend(v);
        }
        for (k, v) in o.errors {
            *self.errors.entry(k).or_default() += v;
        }
        for (k, v) in o.first_error {
            self.first_error.entry(k).or_insert(v);
        }
    }

    /// Prints the table; `secs` is the measured wall time.
    pub fn print(mut self, secs: f64, logins: Tally) {
        let row = |name: &str, lat: &mut Vec<Duration>, errors: usize, secs: Option<f64>| {
            lat.sort();
            let rate = secs.map_or("-".to_string(), |s| {
                format!("{:.0}", lat.len() as f64 / s.max(1e-9))
            });
            println!(
                "{:<20} {:>8} {:>9} {:>9.2} {:>9.2} {:>9.2} {:>7}",
                name,
                lat.len(),
                rate,
                pct(lat, 0.50),
                pct(lat, 0.95),
                pct(lat, 0.99),
                errors
            );
        };
        println!(
            "{:<20} {:>8} {:>9} {:>9} {:>9} {:>9} {:>7}",
            "request", "n", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors"
        );
        let mut logins = logins;
        let mut l = logins.lat.remove(&Op::Login).unwrap_or_default();
        row(
            Op::Login.label(),
            &mut l,
            logins.errors.get(&Op::Login).copied().unwrap_or(0),
            None,
        );
        let mut all = Vec::new();
        let mut all_errors = 0;
        for (op, _) in MIX {
            let mut lat = self.lat.remove(op).unwrap_or_default();
            let errors = self.errors.get(op).copied().unwrap_or(0);
            row(op.label(), &mut lat, errors, Some(secs));
            all.extend(lat);
            all_errors += errors;
        }
        row("all (mix)", &mut all, all_errors, Some(secs));
        for (op, e) in self.first_error.iter().chain(logins.first_error.iter()) {
            println!("first error on {}: {e}", op.label());
        }
    }
}

pub fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// CPU time (user + system, every thread, living or ended) the processes have used so far,
/// in seconds; processes that cannot be read count as 0.
pub fn cpu_seconds(pids: &[u32]) -> f64 {
    // SAFETY: sysconf only reads a constant of the running system.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    let ticks = if ticks > 0 { ticks as f64 } else { 100.0 };
    pids.iter()
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // The command name (field 2) may hold spaces: count fields after its ')'.
            let rest = &stat[stat.rfind(')')? + 1..];
            let fields: Vec<&str> = rest.split_whitespace().collect();
            // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
            let utime: u64 = fields.get(11)?.parse().ok()?;
            let stime: u64 = fields.get(12)?.parse().ok()?;
            Some((utime + stime) as f64 / ticks)
        })
        .sum()
}

/// The CPU seconds a run used, per request type and over the mix.
#[derive(Default)]
pub struct CpuTable {
    /// (label, requests, CPU seconds)
    rows: Vec<(&'static str, usize, f64)>,
}

impl CpuTable {
    pub fn add(&mut self, label: &'static str, requests: usize, cpu_secs: f64) {
        self.rows.push((label, requests, cpu_secs));
    }

    /// Prints CPU milliseconds per request; `whose` says whose CPU was read.
    pub fn print(&self, whose: &str) {
        println!();
        println!("CPU per request ({whose}):");
        println!(
            "{:<20} {:>8} {:>10} {:>12}",
            "request", "n", "cpu s", "cpu ms/req"
        );
        for (label, n, cpu) in &self.rows {
            let per = if *n == 0 {
                "-".to_string()
            } else {
                format!("{:.3}", cpu * 1000.0 / *n as f64)
            };
            println!("{label:<20} {n:>8} {cpu:>10.2} {per:>12}");
        }
    }
}

/// Runs the mix, then each request type alone for `--phase-seconds`, and returns the mix's
/// tally and seconds with the CPU table read by `cpu` (seconds used so far).
pub async fn measure<U: VirtualUser>(
    users: Vec<U>,
    args: &LoadArgs,
    cpu: impl Fn() -> f64 + Send + Sync + Clone + 'static,
    tick: impl Fn() + Send + Sync + Clone + 'static,
) -> Result<(Tally, f64, CpuTable), String> {
    let mut table = CpuTable::default();
    let (users, mix) = drive(users, args, None, cpu.clone(), tick.clone()).await?;
    table.add("all (mix)", mix.tally.requests(), mix.cpu_secs);
    let mut users = users;
    if args.phase_seconds > 0 {
        let phase = LoadArgs {
            duration: args.phase_seconds,
            warmup: 1,
            ..args.clone()
        };
        for (op, _) in MIX {
            let (back, run) = drive(users, &phase, Some(*op), cpu.clone(), tick.clone()).await?;
            users = back;
            table.add(op.label(), run.tally.requests(), run.cpu_secs);
        }
    }
    Ok((mix.tally, mix.secs, table))
}

/// What one driven run measured.
pub struct Run {
    pub tally: Tally,
    /// Measured wall seconds.
    pub secs: f64,
    /// CPU seconds used over the measured seconds.
    pub cpu_secs: f64,
}

/// Resident memory of the processes: (current total, peak of the sum seen) in KiB.
struct RssWatch {
    pids: Vec<u32>,
    peak_sum: AtomicU64,
}

fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Every `karuna serve` process on this machine.
fn serve_pids() -> Vec<u32> {
    let mut out = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for e in dir.flatten() {
            let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let Ok(cmd) = std::fs::read(format!("/proc/{pid}/cmdline")) else {
                continue;
            };
            let args: Vec<&[u8]> = cmd.split(|b| *b == 0).collect();
            let is_karuna = args
                .first()
                .is_some_and(|a| a.ends_with(b"karuna") || a.ends_with(b"karuna-bin"));
            if is_karuna && args.iter().any(|a| *a == b"serve") {
                out.push(pid);
            }
        }
    }
    out
}

impl RssWatch {
    fn sample(&self) {
        let sum: u64 = self
            .pids
            .iter()
            .filter_map(|p| status_kib(*p, "VmRSS:"))
            .sum();
        self.peak_sum.fetch_max(sum, Ordering::Relaxed);
    }
}

/// A virtual user: makes one request of a kind.
pub trait VirtualUser: Send + 'static {
    fn run(
        &mut self,
        op: Op,
        rng: &mut Rng,
    ) -> impl std::future::Future<Output = Result<(), String>> + Send;
}

/// Runs every user's loop (the mix, or only the request type `only`; think time) through the
/// warm-up and the measured seconds, calling `tick` every 250 ms meanwhile and `cpu` at the
/// measured window's ends; gives the users back with what was measured.
pub async fn drive<U: VirtualUser>(
    users: Vec<U>,
    args: &LoadArgs,
    only: Option<Op>,
    cpu: impl Fn() -> f64,
    tick: impl Fn() + Send + 'static,
) -> Result<(Vec<U>, Run), String> {
    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for (i, mut u) in users.into_iter().enumerate() {
        let measuring = measuring.clone();
        let stop = stop.clone();
        let think = args.think_ms;
        let mut rng = Rng::new(args.seed.wrapping_add(i as u64 * 7919));
        tasks.push(tokio::spawn(async move {
            let mut tally = Tally::default();
            while !stop.load(Ordering::Relaxed) {
                let op = only.unwrap_or_else(|| rng.op());
                let t = Instant::now();
                let r = u.run(op, &mut rng).await;
                if measuring.load(Ordering::Relaxed) && !stop.load(Ordering::Relaxed) {
                    tally.record(op, t.elapsed(), r);
                }
                let pause = rng.think(think);
                if !pause.is_zero() {
                    tokio::time::sleep(pause).await;
                }
            }
            (u, tally)
        }));
    }
    let ticker = {
        let stop = stop.clone();
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                tick();
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        })
    };
    tokio::time::sleep(Duration::from_secs(args.warmup)).await;
    measuring.store(true, Ordering::Relaxed);
    let cpu_start = cpu();
    let start = Instant::now();
    tokio::time::sleep(Duration::from_secs(args.duration)).await;
    stop.store(true, Ordering::Relaxed);
    let secs = start.elapsed().as_secs_f64();
    let cpu_secs = cpu() - cpu_start;
    let mut tally = Tally::default();
    let mut users = Vec::new();
    for t in tasks {
        let (u, t) = t.await.map_err(|e| e.to_string())?;
        users.push(u);
        tally.merge(t);
    }
    let _ = ticker.await;
    Ok((
        users,
        Run {
            tally,
            secs,
            cpu_secs,
        },
    ))
}

/// Runs the HTTP load benchmark (or, with `--raw`, the direct-database one).
pub async fn run(args: LoadArgs) -> Result<(), String> {
    if args.users == 0 || args.duration == 0 {
        return Err("--users and --duration must be at least 1".into());
    }
    let accounts = expand_accounts(&args.accounts)?;
    if args.raw {
        return crate::bench_raw::run(args, accounts).await;
    }
    let urls: Vec<String> = args
        .urls
        .iter()
        .map(|u| u.trim().trim_end_matches('/').to_string())
        .filter(|u| !u.is_empty())
        .collect();
    if urls.is_empty() {
        return Err("--url: give at least one server".into());
    }
    let pids = if args.pids.is_empty() {
        serve_pids()
    } else {
        args.pids.clone()
    };
    let watch = Arc::new(RssWatch {
        pids: pids.clone(),
        peak_sum: AtomicU64::new(0),
    });
    println!(
        "karuna bench load — {} users over {} server(s), {} accounts, think {} ms, {} s warm-up + {} s measured",
        args.users,
        urls.len(),
        accounts.len(),
        args.think_ms,
        args.warmup,
        args.duration
    );

    // Log everyone in first (argon2id, deliberately slow), timing each.
    let mut logins = Tally::default();
    let mut users = Vec::new();
    let sem = Arc::new(tokio::sync::Semaphore::new(4));
    let mut tasks = Vec::new();
    for i in 0..args.users {
        let base = urls[i % urls.len()].clone();
        let name = accounts[i % accounts.len()].clone();
        let password = args.password.clone();
        let sem = sem.clone();
        tasks.push(tokio::spawn(async move {
            let _permit = sem.acquire().await;
            let t = Instant::now();
            let r = crate::bench_web::web_login(&base, &name, &password).await;
            (t.elapsed(), r)
        }));
    }
    for t in tasks {
        let (took, r) = t.await.map_err(|e| e.to_string())?;
        match r {
            Ok(u) => {
                logins.record(Op::Login, took, Ok(()));
                users.push(u);
            }
            Err(e) => logins.record(Op::Login, took, Err(e)),
        }
    }
    if users.is_empty() {
        let why = logins
            .first_error
            .values()
            .next()
            .cloned()
            .unwrap_or_default();
        return Err(format!("no virtual user could log in: {why}"));
    }

    let (tally, secs, cpu) = {
        let watch = watch.clone();
        let cpu_pids = pids.clone();
        measure(
            users,
            &args,
            move || cpu_seconds(&cpu_pids),
            move || watch.sample(),
        )
        .await?
    };
    tally.print(secs, logins);
    if !pids.is_empty() {
        cpu.print("the servers' own CPU time, phases of one request type after the mix");
    }
    if pids.is_empty() {
        println!("server RSS: no `karuna serve` process found on this machine (give --pid)");
    } else {
        let peak_hwm: Vec<String> = pids
            .iter()
            .map(|p| {
                format!(
                    "pid {p}: peak {} MiB",
                    status_kib(*p, "VmHWM:").map_or("?".into(), |k| (k / 1024).to_string())
                )
            })
            .collect();
        println!(
            "server RSS: highest sum sampled during the run {} MiB; {}",
            watch.peak_sum.load(Ordering::Relaxed) / 1024,
            peak_hwm.join(", ")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ranges_expand_with_their_width() {
        let got = expand_accounts(&["gen-manager-{001..003}".into(), "demo-manager".into()]);
        assert_eq!(
            got.as_deref(),
            Ok(&[
                "gen-manager-001".to_string(),
                "gen-manager-002".into(),
                "gen-manager-003".into(),
                "demo-manager".into()
            ][..])
        );
        assert!(expand_accounts(&["x{3..1}".into()]).is_err());
        assert!(expand_accounts(&["x{a..b}".into()]).is_err());
        assert!(expand_accounts(&[" ".into()]).is_err());
    }

    #[test]
    fn cpu_time_is_read_from_proc() {
        let me = [std::process::id()];
        // Burn CPU until a tick shows (bounded): the parser must find utime/stime.
        let start = Instant::now();
        let mut x = 1u64;
        while cpu_seconds(&me) == 0.0 && start.elapsed() < Duration::from_secs(10) {
            for i in 0..1_000_000u64 {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(i);
            }
        }
        assert!(cpu_seconds(&me) > 0.0, "no CPU time read ({x})");
        assert_eq!(
            cpu_seconds(&[u32::MAX]),
            0.0,
            "a missing process counts as 0"
        );
    }

    #[test]
    fn the_mix_is_followed() {
        let mut rng = Rng::new(1);
        let mut seen = BTreeMap::new();
        for _ in 0..10_000 {
            *seen.entry(rng.op()).or_insert(0) += 1;
        }
        let open = seen.get(&Op::Open).copied().unwrap_or(0);
        assert!((3000..4000).contains(&open), "open ≈ 35 %: {open}");
        assert!(!seen.contains_key(&Op::Login));
    }
}
