//! Synthetic cases over five years before the base date, each consistent with the lifecycle
//! guards: a contact before leaving intake, a completed assessment before planning, a plan in
//! force before implementation, a closure summary before closing; with the client (and family
//! members), the team, the history, consent, contacts with notes, promises and the search
//! documents of all of them.

use super::bulk::V;
use super::person::{person, search_text};
use super::rng::Rng;
pub use super::tables::CaseTables;
use super::tables::{
    ASSESS, CASE, CLOSURE, CONSENT, CONTACT, CPERSON, DOC, MEMBER, PLAN, PROGRESS, PROMISE, TRANS,
};
use super::text::{note, ANALYSES, GOALS, PLACES, PROBLEMS, PROMISES};
use super::{stream, World};
use crate::search::index::{assessment_text, plan_text};
use crate::search::scope::{tokens_for, with_tokens};
use crate::search::text::{body, token_body, with_month, with_parts};
use crate::time::to_db;
use chrono::{DateTime, Datelike, Duration, Utc};
use karuna_domain::case::{case_number, CASE_TYPES, REFERRAL_SOURCES};
use serde_json::json;
use std::collections::BTreeMap;

const STAGES: [&str; 5] = [
    "intake",
    "assessment",
    "planning",
    "implementation",
    "review",
];

/// When case `i` was opened: cases are spread evenly over five years, in index order.
pub fn opened_at(w: &World, i: u64) -> DateTime<Utc> {
    let span = (w.base - w.start).num_milliseconds().max(1) as u64;
    let slot = (span / w.cases.max(1)).max(1);
    let mut rng = Rng::derive(w.seed, stream::OPENED, i);
    w.start + Duration::milliseconds((slot * i + rng.below(slot as usize) as u64) as i64)
}

/// The client of case `i` (a person index): person `i` while there are enough, then a
/// returning client.
pub fn client_of(w: &World, i: u64) -> u64 {
    if i < w.persons {
        i
    } else {
        Rng::derive(w.seed, stream::CLIENT, i).below(w.persons as usize) as u64
    }
}

/// The case a person belongs to first (whose opening is the person's creation).
pub fn first_case_of(w: &World, j: u64) -> u64 {
    if j < w.cases {
        j
    } else {
        (j - w.cases) % w.cases.max(1)
    }
}

fn doc(
    t: &mut CaseTables,
    w: &World,
    kind: &str,
    id: &str,
    case: &str,
    at: &str,
    (text, b): (String, String),
) {
    t.t(DOC).push(vec![
        w.org_id.to_string().into(),
        kind.into(),
        id.into(),
        case.into(),
        at.into(),
        text.into(),
        with_month(b, at).into(),
    ]);
}

/// Makes cases in index order, numbering them per Buddhist year of opening.
pub struct CaseGen {
    /// The last number used per Buddhist year.
    pub seq: BTreeMap<i32, i64>,
}

impl CaseGen {
    /// A generator that starts every year at 1.
    pub fn new() -> CaseGen {
        CaseGen {
            seq: BTreeMap::new(),
        }
    }

    /// Adds case `i` with everything that belongs to it; returns the notes written.
    pub fn push(&mut self, w: &World, i: u64, out: &mut CaseTables) -> u64 {
        let mut rng = Rng::derive(w.seed, stream::CASE, i);
        let doc_start = out.t(DOC).len();
        let opened = opened_at(w, i);
        let id = rng.uuid_at(opened);
        let cid = id.to_string();
        let org = w.org_id.to_string();
        let year = (opened + Duration::hours(7)).year() + 543;
        let seq = self.seq.entry(year).or_insert(0);
        *seq += 1;
        let number = case_number(year, *seq);
        let (manager, unit) = w.managers[rng.below(w.managers.len())];
        let mgr = manager.to_string();
        let kind = rng.weighted(&[5, 25, 20, 18, 12, 12, 8]);
        let mut types = vec![CASE_TYPES[kind]];
        if rng.chance(0.1) {
            let other = CASE_TYPES[rng.below(CASE_TYPES.len() - 1)];
            if other != types[0] {
                types.push(other);
            }
        }
        let urgency = ["routine", "urgent", "emergency"][rng.weighted(&[70, 22, 8])];
        let safety = json!({
            "in_danger_now": urgency == "emergency",
            "injured_needs_care": false,
            "child_without_carer": false,
            "perpetrator_has_access": urgency == "urgent",
            "no_safe_place_tonight": false,
            "self_harm_risk": false,
        });
        let sensitive = rng.chance(if kind == 0 { 0.4 } else { 0.04 });
        let problem = *rng.pick(PROBLEMS[kind]);
        let referral = REFERRAL_SOURCES[rng.weighted(&[20, 15, 12, 10, 15, 15, 8, 5])];

        // Where the case is now: older cases are mostly closed.
        let age = (w.base - opened).num_days();
        let p_closed = match age {
            a if a > 730 => 0.92,
            a if a > 365 => 0.8,
            a if a > 180 => 0.55,
            a if a > 60 => 0.3,
            _ => 0.08,
        };
        let closed = rng.chance(p_closed);
        let mut stage = if closed {
            rng.weighted(&[15, 10, 5, 40, 30])
        } else if age < 14 {
            rng.weighted(&[70, 30, 0, 0, 0])
        } else if age < 60 {
            rng.weighted(&[15, 35, 25, 25, 0])
        } else {
            rng.weighted(&[3, 10, 12, 50, 25])
        };
        if w.notes == 0 {
            stage = 0; // no contact, so the case cannot leave intake
        }
        // How demanding the case is: an emergency, several case types and a returning client
        // make for longer work here as in life (and give the learned screening something real
        // to find).
        let demanding = match urgency {
            "emergency" => 2,
            "urgent" => 1,
            _ => 0,
        } + i64::from(types.len() > 1)
            + i64::from(i >= w.persons);
        let end = if closed {
            let len = (rng.range(14, 300) * (3 + demanding) / 3).min(age.max(1));
            opened + Duration::days(len)
        } else {
            w.base - Duration::hours(rng.range(1, 240))
        };
        let end = end.max(opened + Duration::hours(1));
        let span = (end - opened).num_minutes().max(10);
        // Transition times: evenly through the case's life.
        let steps = stage + usize::from(closed);
        let at_step = |k: usize| opened + Duration::minutes(span * (k as i64) / (steps as i64 + 1));
        let opened_db = to_db(opened);
        out.t(TRANS).push(vec![
            rng.uuid_at(opened).to_string().into(),
            cid.clone().into(),
            "open".into(),
            V::N,
            "intake".into(),
            mgr.clone().into(),
            opened_db.clone().into(),
        ]);
        let mut path: Vec<&str> = STAGES[..=stage].to_vec();
        if closed {
            path.push("closed");
        }
        for k in 1..path.len() {
            let at = if k == path.len() - 1 && closed {
                end
            } else {
                at_step(k)
            };
            out.t(TRANS).push(vec![
                rng.uuid_at(at).to_string().into(),
                cid.clone().into(),
                "status".into(),
                path[k - 1].into(),
                path[k].into(),
                mgr.clone().into(),
                to_db(at).into(),
            ]);
        }
        let status = *path.last().unwrap_or(&"intake");
        let closed_at = closed.then(|| to_db(end));

        // Persons: the client and family members.
        let client_j = client_of(w, i);
        let client = person(w, client_j, opened_at(w, first_case_of(w, client_j)));
        let mut persons = vec![(client.clone(), "client")];
        let mut j = w.cases + i;
        while j < w.persons {
            let rel = *rng.pick(&[
                "parent",
                "sibling",
                "child",
                "spouse",
                "relative",
                "household_member",
                "guardian",
            ]);
            persons.push((person(w, j, opened), rel));
            j += w.cases.max(1);
        }
        for (p, rel) in &persons {
            let pid = p.id.to_string();
            out.t(CPERSON).push(vec![
                cid.clone().into(),
                pid.clone().into(),
                (*rel).into(),
                opened_db.clone().into(),
            ]);
            let (text, extra) = search_text(p);
            let b = body(&text, &extra);
            doc(out, w, "person", &pid, &cid, &opened_db, (text, b));
        }
        let case_text = format!("{number}\n{problem}");
        let b = body(&case_text, &[]);
        doc(out, w, "case", &cid, &cid, &opened_db, (case_text, b));
        out.t(CONSENT).push(vec![
            rng.uuid_at(opened).to_string().into(),
            org.clone().into(),
            client.id.to_string().into(),
            cid.clone().into(),
            "service_provision".into(),
            "granted".into(),
            opened_db.clone().into(),
            mgr.clone().into(),
        ]);

        // The team.
        let mut team = Vec::new();
        let members = rng.weighted(&[55, 35, 10]);
        for _ in 0..members {
            let (acc, prof) = w.team[rng.below(w.team.len())];
            if team.contains(&acc) {
                continue;
            }
            team.push(acc);
            out.t(MEMBER).push(vec![
                cid.clone().into(),
                acc.to_string().into(),
                prof.into(),
                opened_db.clone().into(),
                mgr.clone().into(),
            ]);
        }

        // Contacts: the first on the day of opening, the rest through the case's life.
        let name_body = token_body(&format!("คุณ{}", client.first_th));
        let mut last = opened;
        for k in 0..w.notes {
            let at = if k == 0 {
                opened + Duration::minutes(rng.range(5, 180))
            } else {
                opened + Duration::minutes(rng.range(0, span))
            };
            let at = at.min(end);
            last = last.max(at);
            let at_db = to_db(at);
            let nid = rng.uuid_at(at).to_string();
            let (text, b) = note(&mut rng, client.first_th, &name_body);
            let by = if !team.is_empty() && rng.chance(0.2) {
                team[0].to_string()
            } else {
                mgr.clone()
            };
            let place = rng.chance(0.5).then(|| (*rng.pick(PLACES)).to_string());
            let kind = karuna_domain::contact::CONTACT_KINDS
                [rng.weighted(&[30, 20, 25, 3, 3, 6, 4, 7, 2])];
            let mut full = text.clone();
            let mut fb = b;
            if let Some(pl) = &place {
                full.push('\n');
                full.push_str(pl);
                fb.push(' ');
                fb.push_str(&token_body(pl));
            }
            out.t(CONTACT).push(vec![
                nid.clone().into(),
                org.clone().into(),
                cid.clone().into(),
                kind.into(),
                at_db.clone().into(),
                V::I(rng.range(10, 120)),
                place.into(),
                text.into(),
                "client_interview".into(),
                at_db.clone().into(),
                by.clone().into(),
                at_db.clone().into(),
                by.into(),
            ]);
            doc(
                out,
                w,
                "contact",
                &nid,
                &cid,
                &at_db,
                (full, with_parts(&fb)),
            );
        }

        // An assessment for every case that reached planning.
        if stage >= 2 {
            let (started, done) = (at_step(1), at_step(2) - Duration::minutes(30));
            let done = done.max(started);
            let aid = rng.uuid_at(started).to_string();
            // Long cases mostly drew the assessments with more needs (the variants are in order
            // of needs): three in four, so that needs foretell a long case without deciding it.
            let n = w.holistic.variants.len();
            let k = rng.below(n * 4);
            let half = n / 2;
            let high = ((end - opened).num_days() >= 180) != k.is_multiple_of(4);
            let v = &w.holistic.variants[(k / 4) % (n - half) + if high { half } else { 0 }];
            let a = *rng.pick(ANALYSES);
            let mut domains = serde_json::Map::new();
            domains.insert(
                w.holistic.sections[rng.below(w.holistic.sections.len())].clone(),
                json!({"sources": ["client_interview", "home_visit"], "strengths": a[0],
                       "needs": a[1], "causes": a[2], "impacts": a[3], "options": a[4]}),
            );
            let notes = serde_json::Value::Object(domains);
            let done_db = to_db(done);
            out.t(ASSESS).push(vec![
                aid.clone().into(),
                org.clone().into(),
                cid.clone().into(),
                w.holistic.template_id.to_string().into(),
                "holistic".into(),
                V::I(w.holistic.version),
                "completed".into(),
                v.answers.clone().into(),
                notes.to_string().into(),
                v.scores.clone().into(),
                V::I(v.total),
                v.level.clone().into(),
                V::I(2),
                to_db(started).into(),
                mgr.clone().into(),
                done_db.clone().into(),
                mgr.clone().into(),
                done_db.clone().into(),
                mgr.clone().into(),
            ]);
            if let Some(text) = assessment_text(&notes) {
                let b = body(&text, &[]);
                doc(out, w, "assessment", &aid, &cid, &done_db, (text, b));
            }
        }

        // A plan in force for every case that reached implementation.
        let mut goal_ids = Vec::new();
        if stage >= 3 {
            let at = at_step(3) - Duration::minutes(30);
            let g = GOALS[kind];
            let goal_id = rng.uuid_at(at);
            goal_ids.push(goal_id);
            let start = at.date_naive();
            let priority = ["high", "medium", "low"][rng.below(3)];
            let status = if closed { "completed" } else { "in_progress" };
            let content = json!({"goals": [{
                "id": goal_id, "dimension": g[0], "statement": g[1], "indicator": g[2],
                "baseline": g[3], "target": g[4],
                "target_date": (start + Duration::days(180)).to_string(),
                "priority": priority, "weight": 1,
                "client_agreement": g[7],
                "interventions": [{
                    "id": rng.uuid_at(at), "method": g[5], "responsible_id": manager,
                    "provider": g[6], "start": start.to_string(), "end": null,
                    "frequency": "ทุกเดือน",
                    "status": status,
                }],
            }]});
            let pid = rng.uuid_at(at).to_string();
            let at_db = to_db(at);
            out.t(PLAN).push(vec![
                pid.clone().into(),
                org.clone().into(),
                cid.clone().into(),
                V::I(1),
                content.to_string().into(),
                "active".into(),
                mgr.clone().into(),
                at_db.clone().into(),
            ]);
            let text = plan_text(&content);
            let b = body(&text, &[]);
            doc(out, w, "plan", &pid, &cid, &at_db, (text, b));
        }

        // Promises: settled on closed cases, some still open (and due around now) on others.
        let promises = rng.weighted(&[50, 35, 15]);
        for _ in 0..promises {
            let made = opened + Duration::minutes(rng.range(0, span));
            let due = if closed {
                made + Duration::days(rng.range(1, 14))
            } else {
                w.base + Duration::days(rng.range(-20, 30))
            };
            let open = !closed && rng.chance(0.7);
            let status = if open {
                "open"
            } else if rng.chance(0.85) {
                "kept"
            } else {
                "missed"
            };
            let settled = (!open).then(|| to_db(due.min(end)));
            out.t(PROMISE).push(vec![
                rng.uuid_at(made).to_string().into(),
                org.clone().into(),
                cid.clone().into(),
                mgr.clone().into(),
                client.id.to_string().into(),
                (*rng.pick(PROMISES)).into(),
                due.date_naive().to_string().into(),
                status.into(),
                settled.clone().into(),
                to_db(made).into(),
                settled.unwrap_or_else(|| to_db(made)).into(),
            ]);
        }

        // The closure summary that allowed the closing.
        if closed {
            // Demanding cases reach their goals less often.
            let reason = if stage >= 3 {
                ["goals_achieved", "moved_away", "lost_contact", "other"]
                    [rng.weighted(&[6 - 2 * demanding.min(2) as u32, 1, 1, 1])]
            } else {
                ["declined", "lost_contact", "moved_away", "transferred"][rng.below(4)]
            };
            let outcome = if reason == "goals_achieved" {
                "achieved"
            } else {
                "partly"
            };
            let outcomes: Vec<serde_json::Value> = goal_ids
                .iter()
                .map(|g| json!({"goal_id": g, "outcome": outcome}))
                .collect();
            // The goal's last GAS score before closing: at or above the expected level when it
            // was achieved, below it otherwise (a score drawn from the case's own stream).
            for g in &goal_ids {
                let gas = if outcome == "achieved" {
                    rng.range(0, 2)
                } else {
                    rng.range(-2, 0)
                };
                let at = end - Duration::days(7).min(end - opened);
                out.t(PROGRESS).push(vec![
                    rng.uuid_at(at).to_string().into(),
                    org.clone().into(),
                    cid.clone().into(),
                    g.to_string().into(),
                    V::I(1),
                    at.date_naive().to_string().into(),
                    V::I(gas),
                    V::N,
                    "interview".into(),
                    V::N,
                    mgr.clone().into(),
                    to_db(at).into(),
                ]);
            }
            let at = end - Duration::minutes(10);
            out.t(CLOSURE).push(vec![
                rng.uuid_at(at).to_string().into(),
                org.clone().into(),
                cid.clone().into(),
                reason.into(),
                "สรุปผลการให้ความช่วยเหลือและเหตุผลการปิดกรณี".into(),
                serde_json::Value::Array(outcomes).to_string().into(),
                "".into(),
                "done".into(),
                mgr.clone().into(),
                to_db(at).into(),
            ]);
        }

        let updated = to_db(if closed {
            end
        } else {
            last.max(at_step(steps))
        });
        // The access tokens of this case's search documents (see search::scope).
        let docs = out.t(DOC);
        let width = docs.cols.len();
        for r in doc_start..docs.len() {
            let kind = match &docs.values[r * width + 1] {
                V::T(k) => k.clone(),
                _ => String::new(),
            };
            let tokens = tokens_for(&kind, manager, w.units[unit], &team, sensitive);
            if let V::T(b) = &mut docs.values[r * width + 6] {
                *b = with_tokens(b, &tokens);
            }
        }
        out.t(CASE).push(vec![
            cid.clone().into(),
            org.into(),
            w.units[unit].to_string().into(),
            number.into(),
            client.id.to_string().into(),
            mgr.into(),
            status.into(),
            urgency.into(),
            V::I(i64::from(sensitive)),
            types.join(",").into(),
            referral.into(),
            problem.into(),
            safety.to_string().into(),
            opened_db.clone().into(),
            closed_at.into(),
            V::I(1 + steps as i64),
            opened_db.into(),
            updated.into(),
        ]);
        w.notes
    }
}

impl Default for CaseGen {
    fn default() -> Self {
        Self::new()
    }
}
