//! Duplicate persons for supervisors: the "possible duplicates" list (pairs blocked on shared
//! match keys, scored by `karuna_thai::matching`), merging two persons into one (the other
//! stays as a tombstone), undoing a merge exactly, and recording that a pair is not the same
//! person. Every write is one transaction with its audit event.

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::access::Action;
use karuna_domain::audit::Outcome;
use karuna_domain::person::display_name;
use karuna_domain::FieldError;
use karuna_store::duplicates::{self as dup, Visibility};
use karuna_store::person::PersonRow;
use karuna_store::person_merge::{self as store, UndoBlocker};
use karuna_store::{audit, matching};
use karuna_thai::matching::{compare_persons, MatchPerson, THRESHOLD};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use uuid::Uuid;

/// Page size when none is asked for, and the largest allowed.
const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 100;
/// The longest reason kept.
const MAX_REASON: usize = 1000;
/// Persons loaded per bulk query.
const LOAD_CHUNK: usize = 500;

/// One person of a pair, as the list shows them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PersonBrief {
    /// The person.
    pub id: Uuid,
    /// Their name.
    pub display_name: String,
    /// Birth year (CE).
    pub birth_year: Option<i64>,
    /// The version a merge must name.
    pub version: i64,
}

/// Two persons the matcher takes for one, with the score and the reasons.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DuplicatePair {
    /// The person with the smaller id.
    pub a: PersonBrief,
    /// The other.
    pub b: PersonBrief,
    /// Score 0–100 (listed from `DUPLICATE_LIST_THRESHOLD`, 70; a shared document or phone
    /// counts inside the score).
    pub score: u8,
    /// Why they match, strongest first (the codes of the intake candidates: `same_document`,
    /// `first_name.phonetic`, `swapped`, `birth_year_close` …).
    pub reasons: Vec<String>,
}

/// A page of the duplicates list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DuplicatePage {
    /// The pairs, highest score first.
    pub items: Vec<DuplicatePair>,
    /// How many pairs there are in all.
    pub total: usize,
    /// Cursor for the next page (`after`), if there is one.
    pub next: Option<String>,
}

/// `POST /api/v1/persons/merges`: which record stays, which becomes its tombstone.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The person kept.
    #[serde(default)]
    pub survivor_id: String,
    /// The person merged into the survivor.
    #[serde(default)]
    pub loser_id: String,
    /// The survivor's version as listed (a change since is 409).
    #[serde(default)]
    pub survivor_version: i64,
    /// The loser's version as listed.
    #[serde(default)]
    pub loser_version: i64,
    /// Why they are one person (required, at most 1000 characters).
    #[serde(default)]
    pub reason: String,
}

/// A merge done.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MergeDone {
    /// The merge (for undo).
    pub merge_id: Uuid,
    /// The person kept.
    pub survivor_id: Uuid,
    /// The tombstone.
    pub loser_id: Uuid,
    /// Rows moved to the survivor (or removed as duplicates of the survivor's).
    pub rows: usize,
}

/// `POST /api/v1/persons/duplicates/dismissals`: two persons who are not the same.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DismissRequest {
    /// One person.
    #[serde(default)]
    pub person_a: String,
    /// The other.
    #[serde(default)]
    pub person_b: String,
    /// Why (optional, at most 1000 characters).
    #[serde(default)]
    pub reason: String,
}

fn parse_person(field: &str, s: &str, errors: &mut Vec<FieldError>) -> Option<Uuid> {
    let id = Uuid::parse_str(s.trim()).ok();
    if id.is_none() {
        errors.push(FieldError::new(field, "merge.person_required"));
    }
    id
}

fn check_reason(reason: &str, required: bool, errors: &mut Vec<FieldError>) {
    if required && reason.trim().is_empty() {
        errors.push(FieldError::new("reason", "merge.reason_required"));
    } else if reason.chars().count() > MAX_REASON {
        errors.push(FieldError::new("reason", "merge.reason_too_long"));
    }
}

/// The offset and page size of a list request (`after` is the offset cursor).
pub(crate) fn page_args(after: &str, limit: Option<i64>) -> Result<(usize, usize), AppError> {
    let limit = match limit {
        None => DEFAULT_LIMIT,
        Some(n) if (1..=MAX_LIMIT as i64).contains(&n) => n as usize,
        Some(_) => return Err(AppError::field("limit", "merge.bad_limit")),
    };
    let offset = match after.trim() {
        "" => 0,
        s => s
            .parse::<usize>()
            .map_err(|_| AppError::field("after", "merge.bad_cursor"))?,
    };
    Ok((offset, limit))
}

/// The unit a supervisor's lists are about.
pub(crate) fn supervised_unit(user: &CurrentUser) -> Result<Uuid, AppError> {
    user.actor
        .unit_id
        .ok_or(AppError::Forbidden(karuna_domain::access::DenyReason::Role))
}

pub(crate) fn brief(p: &PersonRow) -> PersonBrief {
    let prefix = p
        .prefix
        .as_deref()
        .and_then(karuna_thai::names::prefix_by_code)
        .map(|x| x.th_abbr);
    PersonBrief {
        id: p.id,
        display_name: display_name(
            prefix,
            p.first_name_th.as_deref(),
            p.last_name_th.as_deref(),
            p.first_name_latin.as_deref(),
            p.last_name_latin.as_deref(),
            p.nickname.as_deref(),
        ),
        birth_year: p.birth_year,
        version: p.version,
    }
}

/// The score from which a pair is listed as possibly one person: the matcher's threshold
/// (`karuna_thai::matching::THRESHOLD`, 70). Measured on the name gold set
/// (`data/gold/name-pairs.tsv`, 388 pairs, names only; `crates/thai/tests/it/name_pairs.rs`
/// prints the sweep): 65 to 80 give the same precision 0.958 and recall 0.973; 85 loses
/// recall (0.961) and 90 more (0.891, precision 1.000); 60 and below lose precision (0.955,
/// then 0.895 at 55). 70 sits inside the flat band, so a birth-date bonus (+5) or a year's
/// difference (−5) does not carry a pair across it by itself. Documents and phones count
/// inside the score, never around it: a family sharing a phone scores low and is not listed.
pub const DUPLICATE_LIST_THRESHOLD: u8 = THRESHOLD;

/// Scores candidate pairs: those from [`DUPLICATE_LIST_THRESHOLD`], without the dismissed
/// ones, highest score first (then by ids, so pages are stable).
pub fn score_pairs(
    pairs: &[(u32, u32)],
    ids: &[String],
    persons: &HashMap<String, (PersonRow, MatchPerson)>,
    dismissed: &std::collections::HashSet<(String, String)>,
) -> Vec<DuplicatePair> {
    let mut out = Vec::new();
    for (x, y) in pairs {
        let (Some(a), Some(b)) = (ids.get(*x as usize), ids.get(*y as usize)) else {
            continue;
        };
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        if dismissed.contains(&(a.clone(), b.clone())) {
            continue;
        }
        let (Some((pa, ma)), Some((pb, mb))) = (persons.get(a), persons.get(b)) else {
            continue;
        };
        let r = compare_persons(ma, mb);
        // The score already counts a shared document (at least 95) and a shared phone (+10):
        // a pair below the threshold is not listed, whatever it shares. A family shares a
        // phone; listing a mother and son who score 0 for it invites a wrong merge.
        if r.score < DUPLICATE_LIST_THRESHOLD {
            continue;
        }
        out.push(DuplicatePair {
            a: brief(pa),
            b: brief(pb),
            score: r.score,
            reasons: r.reasons.iter().map(|x| x.code()).collect(),
        });
    }
    out.sort_by(|p, q| {
        q.score
            .cmp(&p.score)
            .then(p.a.id.cmp(&q.a.id))
            .then(p.b.id.cmp(&q.b.id))
    });
    out
}

impl App {
    /// All scored duplicate pairs visible under `v` (no authorisation or audit: callers do
    /// both; the benchmark calls it for the whole organisation).
    pub async fn duplicate_pairs(&self, v: Visibility) -> Result<Vec<DuplicatePair>, AppError> {
        let cand = dup::candidate_pairs(&self.db, v).await?;
        let mut needed: Vec<Uuid> = Vec::new();
        let mut used = vec![false; cand.ids.len()];
        for (a, b) in &cand.pairs {
            for i in [*a as usize, *b as usize] {
                if let Some(u) = used.get_mut(i).filter(|u| !**u) {
                    *u = true;
                    if let Ok(id) = Uuid::parse_str(&cand.ids[i]) {
                        needed.push(id);
                    }
                }
            }
        }
        let mut persons: HashMap<String, (PersonRow, MatchPerson)> = HashMap::new();
        for chunk in needed.chunks(LOAD_CHUNK) {
            for (p, m) in matching::load(&self.db, v.org_id, chunk).await? {
                persons.insert(p.id.to_string(), (p, m));
            }
        }
        let dismissed = dup::dismissed(&self.db, v.org_id).await?;
        Ok(score_pairs(&cand.pairs, &cand.ids, &persons, &dismissed))
    }

    /// The supervisor's "possible duplicates": pairs of persons on cases of their unit whom the
    /// matcher scores from the threshold (or who share a document or phone), with the score and
    /// the reasons; merged and dismissed pairs are left out. `after` is the offset cursor.
    pub async fn list_duplicates(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        after: &str,
        limit: Option<i64>,
    ) -> Result<DuplicatePage, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ReviewDuplicates,
            "person.duplicates",
            ("person", None),
        )
        .await?;
        let (offset, limit) = page_args(after, limit)?;
        let unit = supervised_unit(user)?;
        let all = self
            .duplicate_pairs(Visibility {
                org_id: user.actor.org_id,
                unit_and_viewer: Some((unit, user.actor.id)),
            })
            .await?;
        let total = all.len();
        let items: Vec<DuplicatePair> = all.into_iter().skip(offset).take(limit).collect();
        let end = offset + items.len();
        let mut e = on(
            event(Some(user), ctx, "person.duplicates", Outcome::Success),
            "person",
            None,
        );
        e.reason = Some(format!("{total} pairs, {} shown", items.len()));
        audit::append_alone(&self.db, &e).await?;
        Ok(DuplicatePage {
            items,
            total,
            next: (end < total).then(|| end.to_string()),
        })
    }

    /// The role gate of the merge use cases (audited when refused), for adapters to call
    /// before they read any input; each use case calls it again.
    pub async fn merge_gate(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        action: &str,
    ) -> Result<(), AppError> {
        self.authorize(
            user,
            ctx,
            Action::MergePersons(&[]),
            action,
            ("person", None),
        )
        .await
    }

    /// Refuses (audited) unless the user may merge every one of these persons.
    async fn authorize_persons(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        ids: &[Uuid],
        action: &str,
    ) -> Result<(), AppError> {
        let facts = store::facts(&self.db, user.actor.org_id, ids).await?;
        self.authorize(
            user,
            ctx,
            Action::MergePersons(&facts),
            action,
            ("person", ids.first().copied()),
        )
        .await
    }

    /// A live person of the user's organisation; a tombstone answers with its survivor.
    async fn live_person(&self, user: &CurrentUser, id: Uuid) -> Result<PersonRow, AppError> {
        let p = karuna_store::person::person_by_id(&self.db, user.actor.org_id, id)
            .await?
            .ok_or(AppError::NotFound)?;
        match p.merged_into {
            Some(s) => Err(AppError::Merged(s)),
            None => Ok(p),
        }
    }

    /// Merges `loser` into `survivor`: every link moves to the survivor in one transaction
    /// (see `karuna_store::person_merge::merge` for the conflicts), the loser becomes a
    /// tombstone, both are re-indexed, and a `person.merge` event is recorded with it.
    pub async fn merge_persons(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        r: &MergeRequest,
    ) -> Result<MergeDone, AppError> {
        self.merge_gate(user, ctx, "person.merge").await?;
        let mut errors = Vec::new();
        let survivor = parse_person("survivor_id", &r.survivor_id, &mut errors);
        let loser = parse_person("loser_id", &r.loser_id, &mut errors);
        check_reason(&r.reason, true, &mut errors);
        if survivor.is_some() && survivor == loser {
            errors.push(FieldError::new("loser_id", "merge.same_person"));
        }
        let (Some(survivor), Some(loser), true) = (survivor, loser, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        self.live_person(user, survivor).await?;
        self.live_person(user, loser).await?;
        self.authorize_persons(user, ctx, &[survivor, loser], "person.merge")
            .await?;
        let org = user.actor.org_id;
        let mut tx = self.db.begin().await?;
        if store::share_a_case_as_client(&mut tx, survivor, loser).await? {
            return Err(AppError::Refused("same_case_client"));
        }
        store::bump(&mut tx, org, survivor, r.survivor_version, None).await?;
        store::bump(&mut tx, org, loser, r.loser_version, Some(survivor)).await?;
        let (merge_id, rows) = store::merge(
            &mut tx,
            org,
            survivor,
            loser,
            user.actor.id,
            r.reason.trim(),
        )
        .await?;
        let mut e = on(
            event(Some(user), ctx, "person.merge", Outcome::Success),
            "person",
            Some(survivor),
        );
        e.reason = Some(format!(
            "merge {merge_id}: {loser} into {survivor}, {rows} rows"
        ));
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(MergeDone {
            merge_id,
            survivor_id: survivor,
            loser_id: loser,
            rows,
        })
    }

    /// Undoes a merge exactly: the rows it moved go back to the restored person. Refused with
    /// 409 when that is no longer exact: undone already (`merge_undone`), the survivor merged
    /// into someone else since (`survivor_merged`), or a moved row changed or went away since
    /// (`merge_changed`).
    pub async fn undo_merge(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        merge_id: Uuid,
        reason: &str,
    ) -> Result<usize, AppError> {
        self.merge_gate(user, ctx, "person.merge_undo").await?;
        let mut errors = Vec::new();
        check_reason(reason, true, &mut errors);
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let m = store::merge_by_id(&self.db, user.actor.org_id, merge_id)
            .await?
            .ok_or(AppError::NotFound)?;
        self.authorize_persons(user, ctx, &[m.survivor_id], "person.merge_undo")
            .await?;
        let mut tx = self.db.begin().await?;
        match store::undo_blocker(&mut tx, &m).await? {
            Some(UndoBlocker::AlreadyUndone) => return Err(AppError::Refused("merge_undone")),
            Some(UndoBlocker::SurvivorMerged) => return Err(AppError::Refused("survivor_merged")),
            Some(UndoBlocker::RowChanged) => return Err(AppError::Refused("merge_changed")),
            None => {}
        }
        let rows = store::undo(&mut tx, &m, user.actor.id, reason.trim()).await?;
        let mut e = on(
            event(Some(user), ctx, "person.merge_undo", Outcome::Success),
            "person",
            Some(m.loser_id),
        );
        e.reason = Some(format!(
            "merge {}: {} out of {}, {rows} rows",
            m.id, m.loser_id, m.survivor_id
        ));
        audit::append(&mut tx, &e).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// Records that two persons are not the same, so the pair leaves the duplicates list.
    pub async fn dismiss_duplicate(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        r: &DismissRequest,
    ) -> Result<(), AppError> {
        self.merge_gate(user, ctx, "person.not_duplicate").await?;
        let mut errors = Vec::new();
        let a = parse_person("person_a", &r.person_a, &mut errors);
        let b = parse_person("person_b", &r.person_b, &mut errors);
        check_reason(&r.reason, false, &mut errors);
        if a.is_some() && a == b {
            errors.push(FieldError::new("person_b", "merge.same_person"));
        }
        let (Some(a), Some(b), true) = (a, b, errors.is_empty()) else {
            return Err(AppError::Invalid(errors));
        };
        self.live_person(user, a).await?;
        self.live_person(user, b).await?;
        self.authorize_persons(user, ctx, &[a, b], "person.not_duplicate")
            .await?;
        let mut tx = self.db.begin().await?;
        let org = user.actor.org_id;
        if store::dismiss(&mut tx, org, a, b, user.actor.id, r.reason.trim()).await? {
            let mut e = on(
                event(Some(user), ctx, "person.not_duplicate", Outcome::Success),
                "person",
                Some(a),
            );
            e.reason = Some(format!("{a} and {b}"));
            audit::append(&mut tx, &e).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
