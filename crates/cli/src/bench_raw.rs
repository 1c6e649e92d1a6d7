//! `karuna bench load --raw`: the load benchmark's operations issued straight to the database
//! through the store layer — the same SQL the application runs for each request type (the
//! session lookup every request makes, the reads, the writes with their search-index rows and
//! audit rows), without HTTP, the access policy, validation, templates or JSON. Its figures
//! against the HTTP run give the application's overhead as a ratio.

use crate::bench_load::{
    cpu_seconds, measure, LoadArgs, Op, Rng, Tally, VirtualUser, NOTES, SEARCHES,
};
use chrono::{Duration as Days, Utc};
use karuna_domain::contact::ValidContact;
use karuna_domain::person::{validate_person, PersonInput};
use karuna_store::audit::{self, NewEvent};
use karuna_store::case_list::{CaseFilter, Scope};
use karuna_store::search::text::parse_query;
use karuna_store::search::SearchFilter;
use karuna_store::{account, case, case_list, contact, monitoring, person, promise, search, Db};
use karuna_thai::calendar::{bangkok_date, Era};
use std::time::Instant;
use uuid::Uuid;

type R<T> = Result<T, String>;

fn e(err: impl std::fmt::Display) -> String {
    err.to_string()
}

/// A virtual user talking to the database.
struct RawUser {
    db: Db,
    account: Uuid,
    org: Uuid,
    unit: Option<Uuid>,
    supervisor: bool,
    session: String,
    cases: Vec<Uuid>,
}

fn event(u: &RawUser, action: &str, kind: &str, id: Option<Uuid>) -> NewEvent {
    NewEvent {
        org_id: Some(u.org),
        actor_id: Some(u.account),
        actor_username: None,
        action: action.into(),
        entity_type: Some(kind.into()),
        entity_id: id.map(|i| i.to_string()),
        outcome: "success".into(),
        reason: None,
        request_id: Some(Uuid::now_v7().to_string()),
    }
}

async fn login(db: &Db, name: &str) -> R<RawUser> {
    let acc = account::account_by_username(db, name)
        .await
        .map_err(e)?
        .ok_or_else(|| format!("no account {name}"))?;
    let session = format!("raw-{}", Uuid::now_v7());
    let mut tx = db.begin().await.map_err(e)?;
    account::insert_session(
        &mut tx,
        &session,
        acc.id,
        ("raw", None),
        Utc::now() + Days::hours(8),
    )
    .await
    .map_err(e)?;
    let u = RawUser {
        db: db.clone(),
        account: acc.id,
        org: acc.org_id,
        unit: acc.unit_id,
        supervisor: acc.role == "supervisor",
        session,
        cases: Vec::new(),
    };
    audit::append(&mut tx, &event(&u, "login", "account", Some(acc.id)))
        .await
        .map_err(e)?;
    tx.commit().await.map_err(e)?;
    Ok(u)
}

impl RawUser {
    fn scope(&self) -> Scope {
        Scope {
            org_id: self.org,
            actor_id: self.account,
            supervisor_unit: if self.supervisor { self.unit } else { None },
        }
    }

    /// What every request does first: the session and its account.
    async fn authenticate(&self) -> R<()> {
        account::session_by_hash(&self.db, &self.session)
            .await
            .map_err(e)?
            .ok_or("session gone")?;
        account::account_by_id(&self.db, self.account)
            .await
            .map_err(e)?
            .ok_or("account gone")?;
        Ok(())
    }

    async fn list(&mut self, f: &CaseFilter) -> R<()> {
        let today = bangkok_date(Utc::now());
        let rows = case_list::list_cases(&self.db, self.scope(), f, today, 50)
            .await
            .map_err(e)?;
        for r in rows {
            if !self.cases.contains(&r.case.id) {
                if self.cases.len() >= 500 {
                    self.cases.remove(0);
                }
                self.cases.push(r.case.id);
            }
        }
        Ok(())
    }

    async fn step(&mut self, op: Op, rng: &mut Rng) -> R<()> {
        self.authenticate().await?;
        let today = bangkok_date(Utc::now());
        match op {
            Op::Login => Ok(()),
            Op::Home => {
                promise::open_due_for(&self.db, self.account, today + Days::days(7), 50)
                    .await
                    .map_err(e)?;
                monitoring::monitored(&self.db, self.scope(), 200)
                    .await
                    .map_err(e)?;
                monitoring::follow_ups_due(&self.db, self.scope(), today + Days::days(7), 200)
                    .await
                    .map_err(e)?;
                Ok(())
            }
            Op::List => {
                let f = CaseFilter {
                    sort: "updated".into(),
                    ..CaseFilter::default()
                };
                self.list(&f).await
            }
            Op::Search => {
                let words = *rng.pick::<&str>(SEARCHES);
                let q = parse_query(words);
                let page =
                    search::search(&self.db, self.scope(), &q, &SearchFilter::default(), 20, 0)
                        .await
                        .map_err(e)?;
                let mut tx = self.db.begin().await.map_err(e)?;
                audit::append(&mut tx, &event(self, "search", "search", None))
                    .await
                    .map_err(e)?;
                tx.commit().await.map_err(e)?;
                drop(page);
                Ok(())
            }
            Op::Open => {
                if self.cases.is_empty() {
                    return self.list(&CaseFilter::default()).await;
                }
                let id = *rng.pick(&self.cases);
                let c = case::case_by_id(&self.db, id)
                    .await
                    .map_err(e)?
                    .ok_or("case gone")?;
                case::case_readers(&self.db, id).await.map_err(e)?;
                for (pid, _) in case::persons(&self.db, id).await.map_err(e)? {
                    person::person_by_id(&self.db, c.org_id, pid)
                        .await
                        .map_err(e)?;
                    person::phones(&self.db, pid).await.map_err(e)?;
                    person::documents(&self.db, pid).await.map_err(e)?;
                    person::addresses(&self.db, pid).await.map_err(e)?;
                }
                account::account_by_id(&self.db, c.manager_id)
                    .await
                    .map_err(e)?;
                case::team(&self.db, id).await.map_err(e)?;
                case::transitions(&self.db, id).await.map_err(e)?;
                audit::append_alone(&self.db, &event(self, "case.read", "case", Some(id)))
                    .await
                    .map_err(e)?;
                Ok(())
            }
            Op::Note => {
                let Some(id) = (!self.cases.is_empty()).then(|| *rng.pick(&self.cases)) else {
                    return Err("no case to write a note on yet".into());
                };
                case::case_by_id(&self.db, id).await.map_err(e)?;
                case::case_readers(&self.db, id).await.map_err(e)?;
                let note = ValidContact {
                    kind: "phone_call".into(),
                    occurred_at: Utc::now(),
                    time_known: true,
                    duration_minutes: None,
                    place: None,
                    note: (*rng.pick(NOTES)).to_string(),
                    sources: Vec::new(),
                    follow_up_needed: false,
                    follow_up_note: None,
                };
                let mut tx = self.db.begin().await.map_err(e)?;
                let cid = contact::insert(&mut tx, self.org, id, &note, self.account)
                    .await
                    .map_err(e)?;
                case::touch(&mut tx, id).await.map_err(e)?;
                audit::append(
                    &mut tx,
                    &event(self, "contact.create", "contact", Some(cid)),
                )
                .await
                .map_err(e)?;
                tx.commit().await.map_err(e)
            }
            Op::Create => {
                let unit = self.unit.ok_or("the account has no unit")?;
                let input = PersonInput {
                    first_name_th: "ทดสอบ".into(),
                    last_name_th: format!("โหลด{}", rng.below(1_000_000)),
                    birth_year: "2530".into(),
                    sex: "female".into(),
                    ..PersonInput::default()
                };
                let p = validate_person(&input, Era::Buddhist, today)
                    .map_err(|_| "the synthetic person does not validate".to_string())?;
                let mut tx = self.db.begin().await.map_err(e)?;
                let pid = person::insert_person(&mut tx, self.org, &p, Some(self.account))
                    .await
                    .map_err(e)?;
                let year_be = chrono::Datelike::year(&today) + 543;
                let seq = case::next_number(&mut tx, self.org, year_be)
                    .await
                    .map_err(e)?;
                let new = case::NewCase {
                    org_id: self.org,
                    unit_id: unit,
                    client_id: pid,
                    manager_id: self.account,
                    urgency: "normal".into(),
                    sensitive: false,
                    case_types: vec!["poverty_homelessness".into()],
                    referral_source: "self".into(),
                    referral_note: None,
                    presenting_problem: "ขอความช่วยเหลือด้านที่พักอาศัย".into(),
                    safety_answers: "{}".into(),
                    opened_at: None,
                    legacy_number: None,
                };
                let id = case::insert_case(&mut tx, &new, &format!("RAW-{year_be}-{seq:06}"))
                    .await
                    .map_err(e)?;
                case::add_person(&mut tx, id, pid, "client")
                    .await
                    .map_err(e)?;
                audit::append(&mut tx, &event(self, "case.create", "case", Some(id)))
                    .await
                    .map_err(e)?;
                tx.commit().await.map_err(e)?;
                self.cases.push(id);
                Ok(())
            }
        }
    }
}

impl VirtualUser for RawUser {
    async fn run(&mut self, op: Op, rng: &mut Rng) -> R<()> {
        self.step(op, rng).await
    }
}

/// Runs the direct-database variant with the same users, mix, think time and duration.
pub async fn run(args: LoadArgs, accounts: Vec<String>) -> R<()> {
    let url = match (&args.database_url, &args.data_dir) {
        (Some(u), _) if !u.is_empty() => u.clone(),
        (_, dir) => Db::sqlite_url_for_dir(
            dir.as_deref()
                .unwrap_or_else(|| std::path::Path::new("karuna-data")),
        )
        .map_err(e)?,
    };
    let db = Db::connect(&url).await.map_err(e)?;
    println!(
        "karuna bench load --raw — {} users straight to {:?}, {} accounts, think {} ms, {} s warm-up + {} s measured",
        args.users,
        db.backend(),
        accounts.len(),
        args.think_ms,
        args.warmup,
        args.duration
    );
    let mut logins = Tally::default();
    let mut users = Vec::new();
    for i in 0..args.users {
        let t = Instant::now();
        match login(&db, &accounts[i % accounts.len()]).await {
            Ok(u) => {
                logins.record(Op::Login, t.elapsed(), Ok(()));
                users.push(u);
            }
            Err(err) => logins.record(Op::Login, t.elapsed(), Err(err)),
        }
    }
    if users.is_empty() {
        let why = logins
            .first_error
            .values()
            .next()
            .cloned()
            .unwrap_or_default();
        return Err(format!("no virtual user could start: {why}"));
    }
    let me = std::process::id();
    let (tally, secs, cpu) = measure(users, &args, move || cpu_seconds(&[me]), || {}).await?;
    tally.print(secs, logins);
    cpu.print("this process's CPU time, the database work included on SQLite");
    db.close().await;
    Ok(())
}
