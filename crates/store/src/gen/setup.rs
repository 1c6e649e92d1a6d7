//! The generated organisation: its units (named after provinces), accounts (`gen-manager-001`
//! …, one shared password hash) and the shipped assessment templates, with ids from the seed.

use super::bulk::{insert, Table, V};
use super::names::names;
use super::rng::Rng;
use super::{base_date, stream, GenError, GenOptions, GenReport, Holistic, Variant, World};
use crate::db::Tx;
use crate::time::to_db;
use chrono::{Duration, Months};
use karuna_domain::assessment::{is_shown, score, shipped, Answers, Kind};
use serde_json::json;

/// Professions of generated team members.
const PROFESSIONS: [&str; 6] = [
    "psychologist",
    "social_worker",
    "lawyer",
    "nurse",
    "teacher",
    "interpreter",
];

fn width(n: usize) -> usize {
    n.to_string().len().max(3)
}

/// Completed answer sets for a template: every shown question answered, cycling the options;
/// in order of the domains they put in need, the fewest first.
fn variants(t: &karuna_domain::assessment::Template, day: &str) -> Vec<Variant> {
    let mut all: Vec<(usize, Variant)> = (0..8)
        .map(|i| {
            let mut answers = Answers::new();
            for (k, (_, q)) in t.questions().enumerate() {
                if !is_shown(t, &answers, q) {
                    continue;
                }
                let n = i + k;
                let v = match q.kind {
                    Kind::SingleChoice => q
                        .options
                        .get(n % q.options.len().max(1))
                        .map(|o| json!(o.code)),
                    Kind::MultipleChoice => q.options.first().map(|o| json!([o.code])),
                    Kind::Scale | Kind::Number => {
                        let (lo, hi) = (q.min.unwrap_or(0), q.max.unwrap_or(5));
                        Some(json!(lo + (n as i64 % (hi - lo + 1).max(1))))
                    }
                    Kind::YesNo => Some(json!(n % 3 == 0)),
                    Kind::Date => Some(json!(day)),
                    Kind::Text => Some(json!("ข้อมูลจากการสัมภาษณ์ผู้รับบริการและการเยี่ยมบ้าน")),
                };
                if let Some(v) = v {
                    answers.insert(q.id.clone(), v);
                }
            }
            let s = score(t, &answers);
            let needs = s
                .domains
                .iter()
                .filter(|d| matches!(d.level.as_deref(), Some("moderate" | "high" | "severe")))
                .count();
            let v = Variant {
                answers: serde_json::to_string(&answers).unwrap_or_default(),
                scores: serde_json::to_string(&s).unwrap_or_default(),
                total: s.total,
                level: s.level,
            };
            (needs, v)
        })
        .collect();
    // In order of the domains in need (cases draw by how long they ran).
    all.sort_by_key(|(needs, _)| *needs);
    all.into_iter().map(|(_, v)| v).collect()
}

/// Writes the organisation, units, accounts and templates; returns the world to generate in.
pub async fn setup(tx: &mut Tx, o: &GenOptions) -> Result<(World, GenReport), GenError> {
    let base = base_date();
    let at = to_db(base);
    let mut rng = Rng::derive(o.seed, stream::SETUP, 0);
    let org_id = rng.uuid_at(base);
    let mut org = Table::new("org", &["id", "name", "demo", "created_at"]);
    org.push(vec![
        org_id.to_string().into(),
        "องค์กรสังเคราะห์ (karuna gen)".into(),
        V::I(0),
        at.clone().into(),
    ]);
    insert(tx, org, false).await?;

    let n_managers = o.cases.div_ceil(250).max(2) as usize;
    let n_units = n_managers.div_ceil(10).max(2);
    let n_team = (n_managers / 3).max(2);
    let provinces = karuna_thai::address::provinces();
    let mut units = Vec::new();
    let mut unit_rows = Table::new("unit", &["id", "org_id", "name", "kind", "created_at"]);
    for u in 0..n_units {
        let id = rng.uuid_at(base);
        let p = &provinces[u % provinces.len()];
        unit_rows.push(vec![
            id.to_string().into(),
            org_id.to_string().into(),
            format!("หน่วย {:02} จังหวัด{}", u + 1, p.name_th).into(),
            "office".into(),
            at.clone().into(),
        ]);
        units.push(id);
    }
    insert(tx, unit_rows, false).await?;

    let mut accounts = Table::new(
        "account",
        &[
            "id",
            "org_id",
            "unit_id",
            "username",
            "display_name",
            "role",
            "profession",
            "password_hash",
            "password_changed_at",
            "created_at",
            "updated_at",
        ],
    );
    let nm = names();
    let mut account =
        |rng: &mut Rng, username: String, role: &str, unit: Option<usize>, prof: Option<&str>| {
            let id = rng.uuid_at(base);
            let first = if rng.chance(0.7) {
                rng.pick(&nm.common_female)
            } else {
                rng.pick(&nm.common_male)
            };
            accounts.push(vec![
                id.to_string().into(),
                org_id.to_string().into(),
                unit.map(|u| units[u].to_string()).into(),
                username.into(),
                format!("{first} {}", rng.pick(&nm.surnames)).into(),
                role.into(),
                prof.map(str::to_string).into(),
                o.password_hash.clone().into(),
                at.clone().into(),
                at.clone().into(),
                at.clone().into(),
            ]);
            id
        };
    let wm = width(n_managers);
    let mut managers = Vec::new();
    for m in 0..n_managers {
        let name = format!("gen-manager-{:0wm$}", m + 1);
        managers.push((
            account(&mut rng, name, "case_manager", Some(m % n_units), None),
            m % n_units,
        ));
    }
    let wu = width(n_units);
    for u in 0..n_units {
        account(
            &mut rng,
            format!("gen-supervisor-{:0wu$}", u + 1),
            "supervisor",
            Some(u),
            None,
        );
    }
    let wt = width(n_team);
    let mut team = Vec::new();
    for k in 0..n_team {
        let prof = PROFESSIONS[k % PROFESSIONS.len()];
        let id = account(
            &mut rng,
            format!("gen-team-{:0wt$}", k + 1),
            "team_member",
            Some(k % n_units),
            Some(prof),
        );
        team.push((id, prof));
    }
    account(&mut rng, "gen-admin".into(), "admin", None, None);
    insert(tx, accounts, false).await?;

    // The shipped assessment templates, published, as `migrate` would seed them.
    let templates =
        shipped::shipped().map_err(|(k, _)| GenError::Invalid(format!("shipped template {k}")))?;
    let mut rows = Table::new(
        "assessment_template",
        &[
            "id",
            "org_id",
            "template_key",
            "version",
            "status",
            "title_th",
            "title_en",
            "body",
            "created_at",
            "published_at",
        ],
    );
    let mut holistic = None;
    for t in &templates {
        let id = rng.uuid_at(base);
        rows.push(vec![
            id.to_string().into(),
            org_id.to_string().into(),
            t.key.clone().into(),
            V::I(1),
            "published".into(),
            t.title.th.clone().into(),
            t.title.en.clone().into(),
            serde_json::to_string(t).unwrap_or_default().into(),
            at.clone().into(),
            at.clone().into(),
        ]);
        if t.key == "holistic" {
            holistic = Some(Holistic {
                template_id: id,
                version: 1,
                sections: t.sections.iter().map(|s| s.code.clone()).collect(),
                variants: variants(t, &base.date_naive().to_string()),
            });
        }
    }
    insert(tx, rows, false).await?;
    let holistic =
        holistic.ok_or_else(|| GenError::Invalid("the holistic template is not shipped".into()))?;

    let first_last = |prefix: &str, n: usize, w: usize| {
        (format!("{prefix}-{:0w$}", 1), format!("{prefix}-{:0w$}", n))
    };
    let report = GenReport {
        org_id,
        units: n_units,
        managers: first_last("gen-manager", n_managers, wm),
        supervisors: first_last("gen-supervisor", n_units, wu),
        team: first_last("gen-team", n_team, wt),
        admin: "gen-admin".into(),
        rows: 0,
        write_secs: 0.0,
        analyze_secs: 0.0,
        stayed_in_wal: false,
    };
    let start = base
        .checked_sub_months(Months::new(60))
        .unwrap_or(base - Duration::days(1826));
    let world = World {
        seed: o.seed,
        org_id,
        base,
        start,
        persons: o.persons,
        cases: o.cases,
        notes: o.notes_per_case,
        units,
        managers,
        team,
        holistic,
    };
    Ok((world, report))
}
