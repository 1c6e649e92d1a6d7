//! How closed cases ended, read in bulk for the similar-cases summary: the closure's reason and
//! goal outcomes, the goals of the last plan with their interventions' methods, and each goal's
//! last GAS score — three statements per 500 cases, however many there are.

use crate::db::Db;
use crate::error::{Result, StoreError};
use crate::row::placeholders;
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

/// How many case ids one statement asks for.
const CHUNK: usize = 500;

/// One goal of a closed case's last plan.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GoalEnd {
    /// The goal's id.
    pub goal_id: String,
    /// Its interventions' methods.
    pub methods: Vec<String>,
    /// Its outcome at closure.
    pub outcome: Option<String>,
    /// Its last GAS score.
    pub gas: Option<i64>,
}

/// How a closed case ended.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ending {
    /// The closure's reason code (empty when no closure was recorded).
    pub reason: String,
    /// The goals of its last plan.
    pub goals: Vec<GoalEnd>,
}

fn bind_all<'q>(
    sql: &'q str,
    ids: &'q [String],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    let mut q = sqlx::query(sql);
    for id in ids {
        q = q.bind(id.as_str());
    }
    q
}

/// How `cases` ended, by case.
pub async fn endings(db: &Db, cases: &[Uuid]) -> Result<HashMap<Uuid, Ending>> {
    let mut out: HashMap<Uuid, Ending> = HashMap::new();
    for chunk in cases.chunks(CHUNK) {
        let ids: Vec<String> = chunk.iter().map(Uuid::to_string).collect();
        let list = placeholders(1, ids.len());
        let parse = |s: &str| Uuid::parse_str(s).map_err(|_| StoreError::Corrupt("uuid"));

        // The last plan's goals and their methods.
        let sql =
            format!("SELECT case_id, number, content FROM plan_version WHERE case_id IN ({list})");
        let mut last: HashMap<Uuid, (i64, String)> = HashMap::new();
        for r in bind_all(&sql, &ids).fetch_all(db.read()).await? {
            let case = parse(&r.try_get::<String, _>("case_id")?)?;
            let number: i64 = r.try_get("number")?;
            if last.get(&case).is_none_or(|(n, _)| number > *n) {
                last.insert(case, (number, r.try_get("content")?));
            }
        }
        for (case, (_, content)) in last {
            let v: serde_json::Value =
                serde_json::from_str(&content).map_err(|_| StoreError::Corrupt("plan json"))?;
            let goals = v["goals"]
                .as_array()
                .map(|gs| {
                    gs.iter()
                        .map(|g| GoalEnd {
                            goal_id: g["id"].as_str().unwrap_or_default().to_string(),
                            methods: g["interventions"]
                                .as_array()
                                .map(|xs| {
                                    xs.iter()
                                        .filter_map(|x| x["method"].as_str())
                                        .map(str::to_string)
                                        .collect()
                                })
                                .unwrap_or_default(),
                            outcome: None,
                            gas: None,
                        })
                        .collect()
                })
                .unwrap_or_default();
            out.entry(case).or_default().goals = goals;
        }

        // The closure's reason and goal outcomes.
        let sql = format!(
            "SELECT case_id, reason, goal_outcomes FROM case_closure WHERE case_id IN ({list})"
        );
        for r in bind_all(&sql, &ids).fetch_all(db.read()).await? {
            let case = parse(&r.try_get::<String, _>("case_id")?)?;
            let e = out.entry(case).or_default();
            e.reason = r.try_get("reason")?;
            let outcomes: serde_json::Value =
                serde_json::from_str(&r.try_get::<String, _>("goal_outcomes")?)
                    .map_err(|_| StoreError::Corrupt("closure json"))?;
            for o in outcomes.as_array().into_iter().flatten() {
                let goal = o["goal_id"].as_str().unwrap_or_default();
                if let Some(g) = e.goals.iter_mut().find(|g| g.goal_id == goal) {
                    g.outcome = o["outcome"].as_str().map(str::to_string);
                }
            }
        }

        // Each goal's last GAS score.
        let sql = format!(
            "SELECT case_id, goal_id, gas FROM goal_progress \
             WHERE gas IS NOT NULL AND case_id IN ({list}) ORDER BY measured_on, created_at"
        );
        for r in bind_all(&sql, &ids).fetch_all(db.read()).await? {
            let case = parse(&r.try_get::<String, _>("case_id")?)?;
            let goal: String = r.try_get("goal_id")?;
            let gas: i64 = r.try_get("gas")?;
            if let Some(g) = out
                .get_mut(&case)
                .and_then(|e| e.goals.iter_mut().find(|g| g.goal_id == goal))
            {
                g.gas = Some(gas);
            }
        }
    }
    Ok(out)
}
