//! The duplicate check: persons already on record who may be the one being registered, each
//! with a score and the reasons, found by indexed match keys and scored by
//! `karuna_thai::matching`.

use crate::{event, on, App, AppError, Ctx, CurrentUser};
use karuna_domain::access::{Action, Role};
use karuna_domain::audit::Outcome;
use karuna_domain::person::{display_name, DocumentInput, PersonInput};
use karuna_store::{audit, matching as store};
use karuna_thai::calendar::{bangkok_date, parse_date, parse_year, Era};
use karuna_thai::matching::{compare_persons, match_keys, MatchPerson, Reason, THRESHOLD};
use serde::Serialize;
use uuid::Uuid;

/// How many persons the key lookup may bring back for scoring.
const LOOKUP_LIMIT: i64 = 200;
/// How many candidates are offered.
const OFFERED: usize = 10;
/// The oldest approximate age the duplicate check accepts.
pub const MAX_AGE: u32 = 120;

/// A person already on record who may be the one being registered, and why.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Candidate {
    /// The person.
    pub person_id: Uuid,
    /// Their name.
    pub display_name: String,
    /// Birth year (CE).
    pub birth_year: Option<i64>,
    /// Why they match, strongest first: `same_document`, `same_phone`, `swapped`,
    /// `first_name.<how>`, `last_name.<how>`, `nickname.<how>` (how: `exact`, `normalised`,
    /// `phonetic`, `romanised`, `typo`), `same_birth_date`, `same_birth_year`,
    /// `birth_year_close`; and against: `birth_year_far`, `different_document`.
    pub reasons: Vec<String>,
    /// Score 0–100; offered from 70 (or with the same document or phone).
    pub score: u8,
}

/// The person being registered, as matching sees it (what cannot be read is left out).
pub fn match_input(person: &PersonInput, documents: &[DocumentInput], era: Era) -> MatchPerson {
    let text = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let birth_date = parse_date(&person.birth_date, era).ok().map(|d| d.date);
    let birth_year = birth_date
        .map(|d| chrono::Datelike::year(&d))
        .or_else(|| parse_year(&person.birth_year, era).ok().map(|(y, _)| y));
    MatchPerson {
        birth_estimated: birth_date.is_none() && birth_year.is_some(),
        first_th: text(&person.first_name_th),
        last_th: text(&person.last_name_th),
        first_latin: text(&person.first_name_latin),
        last_latin: text(&person.last_name_latin),
        nickname: text(&person.nickname),
        birth_date,
        birth_year,
        documents: documents
            .iter()
            .filter(|d| !d.number.trim().is_empty())
            .map(|d| (d.kind.trim().to_string(), d.number.clone()))
            .collect(),
        phones: person
            .phones
            .iter()
            .filter_map(|p| karuna_thai::phone::normalize_phone(p).ok())
            .collect(),
    }
}

impl App {
    /// Before a new person is created at intake: persons of the organisation who may be this
    /// one, best first, with score and reasons. Found by indexed key lookups (phonetic and
    /// romanised name keys with birth year, document numbers, phones), then scored in Rust.
    /// Clients of sensitive cases the user may not identify are never offered.
    pub async fn find_candidates(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        person: &PersonInput,
        documents: &[DocumentInput],
    ) -> Result<Vec<Candidate>, AppError> {
        self.find_candidates_aged(user, ctx, person, documents, None)
            .await
    }

    /// `find_candidates` with an approximate age in years, for when neither a birth date nor a
    /// year is known (a worker often knows only a nickname, a surname and about how old the
    /// person is): it stands for a birth year estimated ± a few years. Ignored when a date or
    /// a year is given; more than `MAX_AGE` is refused (field `age`).
    pub async fn find_candidates_aged(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        person: &PersonInput,
        documents: &[DocumentInput],
        age: Option<u32>,
    ) -> Result<Vec<Candidate>, AppError> {
        self.authorize(
            user,
            ctx,
            Action::CreateCase,
            "person.match",
            ("person", None),
        )
        .await?;
        if age.is_some_and(|a| a > MAX_AGE) {
            return Err(AppError::field("age", "person.age_range"));
        }
        let era = Era::from_code(&user.era).unwrap_or_default();
        let mut query = match_input(person, documents, era);
        if let (None, Some(age)) = (query.birth_year, age) {
            let this_year = chrono::Datelike::year(&bangkok_date(chrono::Utc::now()));
            query.birth_year = i32::try_from(age).ok().map(|a| this_year - a);
            query.birth_estimated = true;
        }
        let out = self.candidates_for(user, &query).await?;
        let mut e = on(
            event(Some(user), ctx, "person.match", Outcome::Success),
            "person",
            None,
        );
        e.reason = Some(format!("{} candidates", out.len()));
        audit::append_alone(&self.db, &e).await?;
        Ok(out)
    }

    /// The scoring behind `find_candidates` (no authorisation or audit: callers do both).
    pub(crate) async fn candidates_for(
        &self,
        user: &CurrentUser,
        query: &MatchPerson,
    ) -> Result<Vec<Candidate>, AppError> {
        let org = user.actor.org_id;
        let keys = match_keys(query, true);
        let ids = store::candidate_ids(&self.db, org, &keys, LOOKUP_LIMIT).await?;
        let supervised = (user.role() == Role::Supervisor)
            .then_some(user.actor.unit_id)
            .flatten();
        let hidden = store::hidden_clients(&self.db, &ids, user.actor.id, supervised).await?;
        let ids: Vec<Uuid> = ids.into_iter().filter(|i| !hidden.contains(i)).collect();
        let mut out = Vec::new();
        for (p, m) in store::load(&self.db, org, &ids).await? {
            let r = compare_persons(query, &m);
            let decisive = r
                .reasons
                .iter()
                .any(|x| matches!(x, Reason::SameDocument | Reason::SamePhone));
            if r.score < THRESHOLD && !decisive {
                continue;
            }
            let prefix = p
                .prefix
                .as_deref()
                .and_then(karuna_thai::names::prefix_by_code)
                .map(|x| x.th_abbr);
            out.push(Candidate {
                person_id: p.id,
                display_name: display_name(
                    prefix,
                    p.first_name_th.as_deref(),
                    p.last_name_th.as_deref(),
                    p.first_name_latin.as_deref(),
                    p.last_name_latin.as_deref(),
                    p.nickname.as_deref(),
                ),
                birth_year: p.birth_year,
                reasons: r.reasons.iter().map(|x| x.code()).collect(),
                score: r.score,
            });
        }
        out.sort_by(|a, b| b.score.cmp(&a.score).then(a.person_id.cmp(&b.person_id)));
        out.truncate(OFFERED);
        Ok(out)
    }
}
