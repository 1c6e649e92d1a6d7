//! About fifty realistic demo cases, made through the real use cases (so validation, numbering
//! and the audit trail all apply) when `serve --demo` seeds the demo organisation. Deterministic:
//! the variety comes from each case's index; dates are relative to today, so the data looks
//! current whenever it is seeded. Each case is told in the past in order — intake on the day of
//! the first contact, then the contacts, promises, assessment, plan, reviews and closure — by
//! seeding it under the store's clock (`karuna_store::time::with_clock`) set to each step's
//! moment. The people, places and texts are made in `demo`.

use crate::consent::ConsentChange;
use crate::demo::{
    doc, dopa_number, estimated, names, pick, place, row, scenarios, table, text, thai_person,
    typed, Place, Scenario, AKHA_SURNAMES, FOREIGN, NOTES, PLAN, PROMISES, PROVINCES,
};
use crate::demo_plans::Step;
use crate::intake::{ConsentInput, IntakeInput};
use crate::promise::PromiseUpdate;
use crate::{App, AppError, Ctx, CurrentUser};
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use karuna_domain::case::{SafetyAnswer, SAFETY_QUESTIONS};
use karuna_domain::contact::ContactInput;
use karuna_domain::person::{DocumentInput, PersonInput};
use karuna_domain::promise::PromiseInput;
use karuna_store::time::{set_clock, with_clock};
use karuna_thai::calendar::bangkok_date;
use uuid::Uuid;

/// How many demo cases are seeded.
pub const DEMO_CASE_COUNT: usize = 50;

const TIMES: [&str; 7] = [
    "09:30", "10:15", "13:30", "14:00", "15:45", "11:00", "16:20",
];

/// The lifecycle after intake, in order.
const STEPS: [&str; 5] = [
    "assessment",
    "planning",
    "implementation",
    "review",
    "closed",
];

/// Everything one demo case is made from.
struct Plan<'a> {
    i: usize,
    s: &'a Scenario,
    stage: u8,
    today: NaiveDate,
}

impl Plan<'_> {
    fn day(&self, offset: i64) -> String {
        typed(self.today + Duration::days(offset))
    }

    /// The instant `days_ago` days before today at `hh:mm` Bangkok time.
    fn moment(&self, days_ago: i64, hh: u32, mm: u32) -> DateTime<Utc> {
        let time = NaiveTime::from_hms_opt(hh, mm, 0).unwrap_or(NaiveTime::MIN);
        let local = (self.today - Duration::days(days_ago)).and_time(time);
        Utc.from_utc_datetime(&local) - Duration::hours(7)
    }

    /// Intake: the morning of the first contact's day.
    fn opened(&self) -> DateTime<Utc> {
        self.moment(self.contact_span().1 as i64, 8, 30)
    }

    /// When the case makes the `j`-th of its `m` moves: spread from intake to the last
    /// contact (to a little before it when the case is reopened afterwards), late in the day.
    fn step_at(&self, j: usize, m: usize) -> DateTime<Utc> {
        let (_, first, last) = self.contact_span();
        let end = match self.stage {
            b'O' | b'Q' => last + ((first - last) / 5).max(1),
            _ => last,
        };
        let day = first - (first - end) * (j + 1) / m.max(1);
        self.moment(day as i64, 17, 0) + Duration::minutes(30 * j as i64)
    }

    /// A reopening: the evening of the last contact's day.
    fn reopened(&self) -> DateTime<Utc> {
        self.moment(self.contact_span().2 as i64, 19, 30)
    }

    /// Promises are made the day after intake.
    fn promised(&self) -> DateTime<Utc> {
        self.moment(self.contact_span().1 as i64 - 1, 11, 0)
    }

    /// When a promise due `due` days from today is settled by `end`: kept on its due date,
    /// missed the day after, renegotiated on the day it falls due — never before it was made.
    fn settled(&self, due: i64, end: End) -> DateTime<Utc> {
        let at = match end {
            End::Miss => self.moment(-due - 1, 10, 0),
            End::Renegotiate(_) => self.moment(-due, 9, 0),
            End::Keep | End::Open => self.moment(-due, 10, 0),
        };
        at.max(self.promised() + Duration::hours(1))
    }

    fn client_age(&self) -> i32 {
        let i = self.i as i32;
        match self.s.age {
            "c" => 4 + i % 9,
            "t" => 13 + i % 5,
            "y" => 18 + i % 8,
            "o" => self.today.year() + 543 - (2480 + (i * 3) % 21),
            _ => 26 + (i * 7) % 30,
        }
    }

    /// The psychologist joins some of the cases of violence, exploitation or self-harm risk.
    fn psych(&self) -> bool {
        let violence = ["child_protection", "trafficking", "domestic_violence"];
        let eligible = violence.iter().any(|t| self.s.is(t)) || self.s.safety.contains('H');
        let chosen = self.i.is_multiple_of(3) || self.i % 25 == 1;
        eligible && self.stage != b'X' && chosen
    }

    /// The client and their documents.
    fn client(&self, place: &Place) -> Result<(PersonInput, Vec<DocumentInput>), AppError> {
        let (i, s, age) = (self.i, self.s, self.client_age());
        let mut p = thai_person(i, age, s.sex == "m", "", self.today);
        if let Some(flag) = s.foreign() {
            let rows: Vec<_> = table(FOREIGN, &flag.to_string())
                .into_iter()
                .filter(|r| r.first() == Some(&s.sex))
                .collect();
            let r = row(&rows, i, 7)?;
            let number = match r[6] {
                "pink_card" => dopa_number(0, "0050", i, false),
                "passport" => format!("N{:07}", i * 48_271 % 10_000_000),
                _ => format!("CI {:07}", i * 69_621 % 10_000_000),
            };
            let document = doc(r[6], number, r[4]);
            p = PersonInput {
                first_name_th: String::new(),
                last_name_th: String::new(),
                first_name_latin: r[1].into(),
                last_name_latin: r[2].into(),
                nickname: r[3].into(),
                nationality: r[4].into(),
                languages: r[5].into(),
                ..p
            };
            if flag == 'M' && i >= DEMO_CASE_COUNT / 2 {
                p = estimated(p);
            }
            return Ok((p, vec![document]));
        }
        if s.has('e') || s.has('A') {
            p = estimated(p);
        }
        if s.is("domestic_violence") && s.age == "a" {
            p.prefix = "mrs".into();
        }
        if ["50", "51", "52", "55", "56", "57", "58"].contains(&place.input.province_code.as_str())
        {
            p.languages = "ไทย, คำเมือง".into();
        }
        let office = place.district_code;
        let document = if s.has('x') {
            doc("none", String::new(), "")
        } else if s.has('A') {
            p.last_name_th = pick(AKHA_SURNAMES, i).into();
            p.nationality = "ไร้สัญชาติ".into();
            p.ethnicity = "อาข่า".into();
            p.languages = "อาข่า, ไทย".into();
            doc("non_thai_id", dopa_number(0, office, i, false), "")
        } else {
            // Thai citizens registered before 1984 have series 3, later births series 1; one
            // number copied wrongly from a house registration is kept with a reason.
            let first = if self.today.year() - age < 1984 { 3 } else { 1 };
            let mut d = doc(
                "thai_national_id",
                dopa_number(first, office, i, i == 33),
                "",
            );
            if i == 33 {
                d.override_reason = text("override").into();
            }
            d
        };
        Ok((p, vec![document]))
    }

    /// How many contacts, and how many days ago the first and the last were.
    fn contact_span(&self) -> (usize, usize, usize) {
        let i = self.i;
        match self.stage {
            b'I' => (2, 2 + i % 5, 1),
            b'A' => (2 + i % 2, 10 + i % 15, 2 + i % 3),
            b'P' => (3, 20 + i % 20, 3 + i % 4),
            b'M' => (3 + i % 3, 40 + i % 60, 2 + i % 6),
            b'R' => (4 + i % 3, 80 + i % 80, 3 + i % 5),
            b'C' => (4 + i % 3, 100 + i % 150, 20 + i % 30),
            b'X' => (2, 8 + i % 10, 3),
            _ => (5 + i % 2, 150 + i % 150, 1 + i % 4),
        }
    }

    /// The transitions after intake.
    fn path(&self) -> Vec<&'static str> {
        let upto = |n: usize| STEPS[..n].to_vec();
        match self.stage {
            b'I' => Vec::new(),
            b'A' => upto(1),
            b'P' => upto(2),
            b'M' => upto(3),
            b'R' => upto(4),
            b'X' => vec!["closed"],
            b'Q' => vec!["assessment", "closed"],
            // Some cases close straight from implementation.
            b'C' if self.i % 2 == 1 => vec!["assessment", "planning", "implementation", "closed"],
            _ => upto(5),
        }
    }

    /// The promises by where the case stands: (promise row, due in days, end, to the parent).
    /// Open ones due soon or overdue, kept, missed and renegotiated ones.
    fn promises(&self) -> Vec<(usize, i64, End, bool)> {
        let i = self.i;
        let d = |x: usize| x as i64;
        let alt = if i.is_multiple_of(2) {
            End::Miss
        } else {
            End::Keep
        };
        let second = match i % 4 {
            0 => (-(2 + d(i % 7)), End::Open),
            1 => (-5, End::Miss),
            2 => (-1, End::Renegotiate(7 + d(i % 10))),
            _ => (4 + d(i % 5), End::Open),
        };
        let (soon, later) = (7 + d(i % 10), 14 + d(i % 10));
        match self.stage {
            b'I' if i.is_multiple_of(2) => vec![(0, soon, End::Open, false)],
            b'I' | b'X' => Vec::new(),
            b'A' if i.is_multiple_of(3) => {
                vec![(0, -3, End::Keep, false), (1, soon, End::Open, true)]
            }
            b'A' => vec![(0, soon, End::Open, false)],
            b'P' => vec![(0, -10, End::Keep, false), (1, soon, End::Open, true)],
            b'M' => vec![
                (0, -20, End::Keep, false),
                (1, second.0, second.1, true),
                (2, later, End::Open, false),
            ],
            b'R' => vec![
                (0, -40, End::Keep, false),
                (1, -12, alt, true),
                (2, -(3 + d(i % 5)), End::Open, false),
            ],
            b'C' => vec![(0, -60, End::Keep, false), (1, -30, alt, true)],
            _ => vec![(0, -90, End::Keep, false), (1, soon, End::Open, true)],
        }
    }
}

/// The demo staff who work the cases.
struct Staff {
    manager: CurrentUser,
    supervisor: CurrentUser,
    psychologist: CurrentUser,
    shelter: Uuid,
}

/// How a seeded promise ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum End {
    Open,
    Keep,
    Miss,
    Renegotiate(i64),
}

/// Names the demo case and step in every field error, so a failed seed says where it broke.
fn tag(i: usize, step: &'static str) -> impl Fn(AppError) -> AppError {
    move |e| match e {
        AppError::Invalid(list) => AppError::Invalid(
            list.into_iter()
                .map(|mut f| {
                    f.field = format!("demo_case[{i}].{step}.{}", f.field);
                    f
                })
                .collect(),
        ),
        other => other,
    }
}

fn sources(kind: &str) -> Vec<String> {
    let s: &[&str] = match kind {
        "home_visit" => &["home_visit", "observation", "family"],
        "video_call" => &["client_interview", "family"],
        "other" => &["observation"],
        k if k.starts_with("accompaniment") => &["other_agency", "observation"],
        _ => &["client_interview"],
    };
    s.iter().map(|x| x.to_string()).collect()
}

impl App {
    /// Seeds the demo cases into the demo organisation whose accounts exist; `shelter` is the
    /// shelter unit. Every case goes through the use cases as its workers would.
    pub(crate) async fn seed_demo_cases(&self, shelter: Uuid) -> Result<usize, AppError> {
        let staff = Staff {
            manager: self.demo_user("demo-manager").await?,
            supervisor: self.demo_user("demo-supervisor").await?,
            psychologist: self.demo_user("demo-psychologist").await?,
            shelter,
        };
        let today = bangkok_date(Utc::now());
        let list = scenarios()?;
        for i in 0..DEMO_CASE_COUNT {
            let s = &list[i % list.len()];
            let stage = if s.has('r') { b'X' } else { PLAN[i] };
            let plan = Plan { i, s, stage, today };
            with_clock(plan.opened(), self.seed_case(&staff, &plan)).await?;
        }
        Ok(DEMO_CASE_COUNT)
    }

    /// A demo account as the use cases see it (no session is opened, no login recorded).
    pub(crate) async fn demo_user(&self, username: &str) -> Result<CurrentUser, AppError> {
        let account = karuna_store::account::account_by_username(&self.db, username)
            .await?
            .ok_or_else(|| AppError::Internal(format!("demo account {username} missing")))?;
        crate::session::current_user(&account, None)
    }

    async fn seed_case(&self, staff: &Staff, plan: &Plan<'_>) -> Result<(), AppError> {
        let (i, s, stage) = (plan.i, plan.s, plan.stage);
        let ctx = Ctx {
            request_id: Some(format!("demo-seed-{i}")),
            ..Ctx::default()
        };
        // Half the Chiang Mai situations happen elsewhere the second time round.
        let code = match s.province {
            "50" if i >= DEMO_CASE_COUNT / 2 && i.is_multiple_of(2) => {
                PROVINCES[(i * 5) % PROVINCES.len()]
            }
            "" => PROVINCES[(i * 5) % PROVINCES.len()],
            p => p,
        };
        let place = place(code, i)?;
        let (client, documents) = plan.client(&place)?;
        let age = plan.client_age();
        let (formal, short) = names(&client, age);
        // The supervisor takes some cases herself (one in two she hands to the case manager).
        let by_supervisor = i % 9 == 4;
        let creator = match by_supervisor {
            true => &staff.supervisor,
            false => &staff.manager,
        };
        let (status, basis, evidence) = match () {
            _ if s.has('v') => ("", "vital_interest", "consent_vital".to_string()),
            _ if s.has('r') => ("refused", "", "consent_refused".into()),
            _ if age < 18 => ("granted", "", "consent_child".into()),
            _ if s.foreign().is_some() => ("granted", "", "consent_foreign".into()),
            _ => ("granted", "", format!("consent_{}", i % 2)),
        };
        let input = IntakeInput {
            client,
            documents,
            address: place.input.clone(),
            consent: ConsentInput {
                status: status.into(),
                lawful_basis: basis.into(),
                evidence_note: text(&evidence).into(),
            },
            referral_source: s.referral.into(),
            referral_note: text(&format!("referral_{}", s.referral))
                .replace("{no}", &(670_000 + i * 137).to_string()),
            // The full name is set off by spaces (a Latin one needs them inside Thai text).
            presenting_problem: s
                .problem
                .replace("{n}", &format!(" {formal} "))
                .replace("{age}", &age.to_string())
                .replace("  ", " "),
            // The scenario table's safety letters, in the order of the questions.
            safety: SAFETY_QUESTIONS
                .iter()
                .zip("DICPNH".chars())
                .map(|(q, c)| {
                    let a = match s.safety.contains(c) {
                        true => SafetyAnswer::Yes,
                        false => SafetyAnswer::No,
                    };
                    (q.code.to_string(), a)
                })
                .collect(),
            case_types: s.types.clone(),
            sensitive: s.has('s'),
            unit_id: match s.has('U') {
                true => staff.shelter.to_string(),
                false => String::new(),
            },
            ..IntakeInput::default()
        };
        let opened = self
            .intake(creator, &ctx, &input)
            .await
            .map_err(tag(i, "intake"))?;
        let case = opened.case_id;
        let mut version = 1;
        let mut manager = creator;
        if by_supervisor && i % 2 == 1 {
            let to = staff.manager.actor.id;
            version = self
                .transfer_case(
                    creator,
                    &ctx,
                    case,
                    &crate::case::Transfer {
                        version,
                        to_manager: to,
                        reason: text("transfer"),
                        handover_note: text("handover"),
                    },
                )
                .await
                .map_err(tag(i, "transfer"))?;
            manager = &staff.manager;
        }
        let parent = self
            .seed_people(manager, &ctx, case, plan, &input.client)
            .await?;
        if plan.psych() {
            let id = staff.psychologist.actor.id;
            self.add_team_member(manager, &ctx, case, id, "psychologist")
                .await
                .map_err(tag(i, "team"))?;
        }

        // Contacts, oldest first; the psychologist records one of them on her cases.
        let (n, first, last) = plan.contact_span();
        let notes = table(NOTES, s.key());
        // What the first visits showed is recorded after the second contact.
        let mut after_visit = plan.opened();
        for k in 0..n {
            let days = first - (first - last) * k / (n - 1);
            // The first two notes open the case; later ones vary with the case.
            let (author, r) = if plan.psych() && k == (n - 2).max(1) {
                (&staff.psychologist, row(&table(NOTES, "y"), i / 3, 2)?)
            } else if k == n - 1 && stage == b'C' {
                (manager, row(&table(NOTES, "z"), 0, 2)?)
            } else if k < 2 {
                (manager, row(&notes, k, 2)?)
            } else if (i + k) % 4 != 0 {
                let later = 2 + (i + k) % notes.len().saturating_sub(2).max(1);
                (manager, row(&notes, later, 2)?)
            } else {
                (manager, row(&table(NOTES, "g"), (i + k) / 4, 2)?)
            };
            let follow_up = k == n - 1 && !matches!(stage, b'C' | b'X');
            let time = TIMES[(i + k) % TIMES.len()];
            let minutes = 20 + (i * 7 + k * 13) % 100;
            let (hh, mm) = time.split_once(':').unwrap_or(("9", "30"));
            let when = plan.moment(
                days as i64,
                hh.parse().unwrap_or(9),
                mm.parse().unwrap_or(30),
            );
            // The note is written when the contact is over.
            set_clock(when + Duration::minutes(minutes as i64 + 15));
            if k == 1.min(n - 1) {
                after_visit = when + Duration::minutes(minutes as i64 + 60);
            }
            let c = ContactInput {
                kind: r[0].into(),
                date: plan.day(-(days as i64)),
                time: time.into(),
                duration_minutes: minutes.to_string(),
                place: place.of(r[0], s.has('U')),
                note: r[1].replace("{n}", &short),
                sources: sources(r[0]),
                follow_up_needed: follow_up,
                follow_up_note: if follow_up { text("follow_up") } else { "" }.into(),
                ..ContactInput::default()
            };
            self.add_contact(author, &ctx, case, &c)
                .await
                .map_err(tag(i, "contact"))?;
        }
        set_clock(after_visit);
        if s.key() == "t" && matches!(stage, b'P' | b'M' | b'R' | b'C' | b'O') {
            let change = ConsentChange {
                person_id: opened.client_id.to_string(),
                purpose: "sharing".into(),
                agency: format!("{}{}", text("sharing_agency"), place.province),
                status: "granted".into(),
                evidence_note: text("sharing").into(),
                ..ConsentChange::default()
            };
            self.record_consent(manager, &ctx, case, &change)
                .await
                .map_err(tag(i, "consent"))?;
        }
        if s.has('Z') && i < DEMO_CASE_COUNT / 2 {
            // A home visit showed violence at home: more urgent, sensitive, one more type.
            let mut types = s.types.clone();
            types.push("domestic_violence".into());
            let problem = format!("{} {}", input.presenting_problem, text("update"));
            version = self
                .update_case(
                    manager, &ctx, case, version, "urgent", true, &types, &problem,
                )
                .await
                .map_err(tag(i, "update"))?;
        }

        // Promises: the settled ones before the case moves on, the open ones after.
        let rows = table(PROMISES, s.key());
        let mut promises = Vec::new();
        for (k, due, end, to_parent) in plan.promises() {
            let what = row(&rows, k, 1)?[0].replace("{n}", &short);
            promises.push((
                manager,
                what,
                due,
                end,
                to_parent.then_some(parent).flatten(),
            ));
        }
        if plan.psych() {
            let what = row(&table(PROMISES, "y"), 0, 1)?[0].to_string();
            let (due, end) = match (stage, i % 4) {
                (b'C', _) | (_, 1) => (-14, End::Keep),
                _ => (7 + (i % 7) as i64, End::Open),
            };
            promises.push((&staff.psychologist, what, due, end, None));
        }
        let settled = |e: &End| matches!(e, End::Keep | End::Miss);
        for (who, what, due, end, to) in promises.iter().filter(|p| settled(&p.3)) {
            self.seed_promise(who, &ctx, case, plan, what, *due, *end, *to)
                .await?;
        }
        let path = plan.path();
        for (j, to) in path.iter().copied().enumerate() {
            let at = plan.step_at(j, path.len());
            set_clock(at);
            let day = bangkok_date(at);
            let step = Step::new(case, to, stage, i, s.has('r'), &s.types, day);
            self.before_demo_step(manager, &ctx, &step)
                .await
                .map_err(tag(i, "process"))?;
            let reason = match (to, stage) {
                ("closed", b'X') if s.has('r') => text("close_refused").to_string(),
                ("closed", b'X' | b'Q') => text(&format!("close_{}", stage as char)).into(),
                ("closed", _) => text(&format!("close_{}", i % 3)).into(),
                _ => String::new(),
            };
            version = self
                .change_status(manager, &ctx, case, version, to, &reason)
                .await
                .map_err(tag(i, "status"))?;
            self.after_demo_step(manager, &ctx, &step)
                .await
                .map_err(tag(i, "review"))?;
        }
        let reopen_to = match stage {
            b'O' => "implementation",
            b'Q' => "assessment",
            _ => "",
        };
        if !reopen_to.is_empty() {
            set_clock(plan.reopened());
            let reason = text(&format!("reopen_{}", stage as char));
            self.reopen_case(manager, &ctx, case, version, reopen_to, reason)
                .await
                .map_err(tag(i, "reopen"))?;
        }
        for (who, what, due, end, to) in promises.iter().filter(|p| !settled(&p.3)) {
            self.seed_promise(who, &ctx, case, plan, what, *due, *end, *to)
                .await?;
        }
        Ok(())
    }

    /// Adds the parent, household member and alleged perpetrator the scenario names; returns
    /// the parent.
    async fn seed_people(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        case: Uuid,
        plan: &Plan<'_>,
        client: &PersonInput,
    ) -> Result<Option<Uuid>, AppError> {
        let (i, s, today, age) = (plan.i, plan.s, plan.today, plan.client_age());
        let surname = client.last_name_th.as_str();
        let mut parent = None;
        if s.has('g') {
            let mother_age = age + 22 + (i % 12) as i32;
            let mother = PersonInput {
                prefix: "mrs".into(),
                ..thai_person(i + 101, mother_age, false, surname, today)
            };
            let id = self
                .add_case_person(user, ctx, case, &mother, "parent")
                .await
                .map_err(tag(i, "parent"))?;
            parent = Some(id);
        }
        if s.has('h') {
            // An older client's grandchild, else the client's mother.
            let member = if age >= 60 {
                thai_person(
                    i + 202,
                    16 + (i % 8) as i32,
                    i.is_multiple_of(2),
                    surname,
                    today,
                )
            } else {
                estimated(PersonInput {
                    prefix: "mrs".into(),
                    ..thai_person(i + 202, (age + 26).max(58), false, surname, today)
                })
            };
            self.add_case_person(user, ctx, case, &member, "household_member")
                .await
                .map_err(tag(i, "household"))?;
        }
        if s.has('p') {
            // A husband or son shares the client's surname; others have their own.
            let family = s.is("older_person") || client.prefix == "mrs";
            let p_age = match age {
                _ if s.is("older_person") => age - 35,
                ..=17 => 35 + (i % 15) as i32,
                _ => age + 2 + (i % 6) as i32,
            };
            let sur = if family { surname } else { "" };
            let p = estimated(thai_person(i + 7, p_age, true, sur, today));
            self.add_case_person(user, ctx, case, &p, "alleged_perpetrator")
                .await
                .map_err(tag(i, "perpetrator"))?;
        }
        Ok(parent)
    }

    /// Makes one promise and settles it as planned.
    #[allow(clippy::too_many_arguments)]
    async fn seed_promise(
        &self,
        who: &CurrentUser,
        ctx: &Ctx,
        case: Uuid,
        plan: &Plan<'_>,
        what: &str,
        due: i64,
        end: End,
        to: Option<Uuid>,
    ) -> Result<(), AppError> {
        let i = plan.i;
        set_clock(plan.promised());
        let input = PromiseInput {
            what: what.into(),
            due: plan.day(due),
            to_person_id: to.map(|id| id.to_string()).unwrap_or_default(),
        };
        let id = self
            .add_promise(who, ctx, case, &input)
            .await
            .map_err(tag(i, "promise"))?;
        let settled_at = plan.settled(due, end);
        let (action, reason, due) = match end {
            End::Open => return Ok(()),
            End::Keep => ("keep", String::new(), String::new()),
            End::Miss => ("miss", format!("missed_{}", i % 3), String::new()),
            End::Renegotiate(days) => (
                "renegotiate",
                format!("renegotiated_{}", i % 2),
                plan.day(days),
            ),
        };
        set_clock(settled_at);
        let update = PromiseUpdate {
            version: 1,
            action: action.into(),
            reason: text(&reason).into(),
            due,
            ..PromiseUpdate::default()
        };
        self.change_promise(who, ctx, id, &update)
            .await
            .map_err(tag(i, "promise_change"))?;
        Ok(())
    }
}
