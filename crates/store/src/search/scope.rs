//! Access tokens in the index. Each document's body ends with tokens naming who may open its
//! case — its manager (`zqm…`), its unit, for the unit's supervisors (`zqu…`), and each current
//! team member (`zqt…`; left out of a sensitive case's person documents, whose names only the
//! manager and supervisors may see). A search ANDs the user's own tokens into the full-text
//! query, so the index itself returns only documents of cases she may open: need-to-know is
//! applied before ranking, counting and paging, and a case manager's search over a national
//! database touches only her own cases' documents. The SQL scope predicate is still checked
//! on every candidate, as a second lock. Whatever changes who may open a case (a transfer,
//! the team, the sensitive flag) calls [`rescope_case`] in the same transaction.

use crate::case_list::Scope;
use crate::db::Tx;
use crate::error::Result;
use sqlx::Row;
use uuid::Uuid;

fn token(kind: char, id: Uuid) -> String {
    format!("zq{kind}{}", id.simple())
}

/// Is this body token an access token (`zq` + kind + 32 hex digits)?
fn is_scope_token(t: &str) -> bool {
    t.len() == 35
        && t.starts_with("zq")
        && matches!(t.as_bytes()[2], b'm' | b'u' | b't')
        && t.as_bytes()[3..]
            .iter()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
}

/// The access tokens of a document of `entity_type` on a case with this manager, unit, team
/// and sensitivity. Bulk writers (the generator, imports) call this directly.
pub fn tokens_for(
    entity_type: &str,
    manager: Uuid,
    unit: Uuid,
    members: &[Uuid],
    sensitive: bool,
) -> String {
    let mut out = vec![token('m', manager), token('u', unit)];
    if !(sensitive && entity_type == "person") {
        out.extend(members.iter().map(|m| token('t', *m)));
    }
    out.join(" ")
}

/// A body with its access tokens replaced by `tokens`.
pub fn with_tokens(body: &str, tokens: &str) -> String {
    let mut out: Vec<&str> = body
        .split(' ')
        .filter(|t| !t.is_empty() && !is_scope_token(t))
        .collect();
    out.extend(tokens.split(' ').filter(|t| !t.is_empty()));
    out.join(" ")
}

/// Who may open the case: (manager, unit, current members, sensitive), read in `tx`.
async fn access_of(tx: &mut Tx, case_id: Uuid) -> Result<Option<(Uuid, Uuid, Vec<Uuid>, bool)>> {
    let Some(r) = sqlx::query("SELECT manager_id, unit_id, sensitive FROM case_file WHERE id = $1")
        .bind(case_id.to_string())
        .fetch_optional(&mut **tx)
        .await?
    else {
        return Ok(None);
    };
    let members: Vec<String> = sqlx::query_scalar(
        "SELECT account_id FROM case_member WHERE case_id = $1 AND removed_at IS NULL ORDER BY account_id",
    )
    .bind(case_id.to_string())
    .fetch_all(&mut **tx)
    .await?;
    let members = members
        .iter()
        .filter_map(|m| Uuid::parse_str(m).ok())
        .collect();
    Ok(Some((
        crate::row::uuid(&r, "manager_id")?,
        crate::row::uuid(&r, "unit_id")?,
        members,
        crate::row::flag(&r, "sensitive")?,
    )))
}

/// The access tokens for a new document on `case_id`.
pub async fn tokens(tx: &mut Tx, case_id: Uuid, entity_type: &str) -> Result<String> {
    Ok(match access_of(tx, case_id).await? {
        Some((m, u, team, s)) => tokens_for(entity_type, m, u, &team, s),
        None => String::new(),
    })
}

/// Rewrites the access tokens of every document of a case (after a transfer, a team change
/// or a change of the sensitive flag).
pub async fn rescope_case(tx: &mut Tx, case_id: Uuid) -> Result<()> {
    let Some((m, u, team, s)) = access_of(tx, case_id).await? else {
        return Ok(());
    };
    let docs = sqlx::query("SELECT rid, entity_type, body FROM search_doc WHERE case_id = $1")
        .bind(case_id.to_string())
        .fetch_all(&mut **tx)
        .await?;
    for d in docs {
        let rid: i64 = d.try_get("rid")?;
        let kind: String = d.try_get("entity_type")?;
        let body: String = d.try_get("body")?;
        let new = with_tokens(&body, &tokens_for(&kind, m, u, &team, s));
        if new != body {
            sqlx::query("UPDATE search_doc SET body = $1 WHERE rid = $2")
                .bind(new)
                .bind(rid)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// Rewrites every document's tokens (the migration that introduced them).
pub async fn backfill(tx: &mut Tx) -> Result<()> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT DISTINCT case_id FROM search_doc")
        .fetch_all(&mut **tx)
        .await?;
    for id in ids {
        if let Ok(id) = Uuid::parse_str(&id) {
            rescope_case(tx, id).await?;
        }
    }
    Ok(())
}

/// Adds the parts of compounds (`text::add_parts`) and the month token (`text::with_month`)
/// to every stored body, keeping its access tokens last (the migration that introduced them;
/// a body that has them is left as is).
pub async fn backfill_parts(tx: &mut Tx) -> Result<()> {
    let mut after = 0_i64;
    loop {
        let docs = sqlx::query(
            "SELECT rid, body, doc_date FROM search_doc WHERE rid > $1 ORDER BY rid LIMIT 2000",
        )
        .bind(after)
        .fetch_all(&mut **tx)
        .await?;
        let Some(last) = docs.last() else {
            return Ok(());
        };
        after = last.try_get("rid")?;
        for d in docs {
            let body: String = d.try_get("body")?;
            let (access, mut words): (Vec<String>, Vec<String>) = body
                .split(' ')
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .partition(|t| is_scope_token(t));
            super::text::add_parts(&mut words);
            let dated =
                super::text::with_month(words.join(" "), &d.try_get::<String, _>("doc_date")?);
            let new = with_tokens(&dated, &access.join(" "));
            if new != body {
                sqlx::query("UPDATE search_doc SET body = $1 WHERE rid = $2")
                    .bind(new)
                    .bind(d.try_get::<i64, _>("rid")?)
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
}

/// The user's own tokens: as manager, as team member and, for a supervisor, her unit's.
fn user_tokens(scope: Scope) -> Vec<String> {
    let mut out = vec![token('m', scope.actor_id), token('t', scope.actor_id)];
    if let Some(u) = scope.supervisor_unit {
        out.push(token('u', u));
    }
    out
}

/// The FTS5 expression restricting a match to the user's cases.
pub fn fts5_filter(scope: Scope) -> String {
    let t: Vec<String> = user_tokens(scope)
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect();
    format!("({})", t.join(" OR "))
}

/// The tsquery restricting a match to the user's cases.
pub fn tsquery_filter(scope: Scope) -> String {
    let t: Vec<String> = user_tokens(scope)
        .iter()
        .map(|t| format!("'{t}'"))
        .collect();
    format!("({})", t.join(" | "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_replaced_not_added_twice() {
        let (m, u, t) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let first = tokens_for("contact", m, u, &[t], false);
        assert_eq!(first.split(' ').count(), 3);
        let body = with_tokens("ผู้เสียหาย ได้รับ", &first);
        assert!(body.starts_with("ผู้เสียหาย ได้รับ zqm"));
        let again = with_tokens(&body, &tokens_for("contact", m, u, &[], false));
        assert_eq!(again.split(' ').count(), 4, "{again}");
        assert!(!again.contains(&format!("zqt{}", t.simple())));
    }

    #[test]
    fn sensitive_person_documents_leave_the_team_out() {
        let (m, u, t) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        assert!(!tokens_for("person", m, u, &[t], true).contains("zqt"));
        assert!(tokens_for("contact", m, u, &[t], true).contains("zqt"));
        assert!(tokens_for("person", m, u, &[t], false).contains("zqt"));
    }

    #[test]
    fn user_words_that_look_alike_are_kept() {
        assert!(!is_scope_token("zqmabc"));
        assert!(!is_scope_token(&format!("zqx{}", Uuid::nil().simple())));
        assert!(is_scope_token(&format!("zqm{}", Uuid::nil().simple())));
    }

    #[test]
    fn the_filter_names_the_users_tokens() {
        let s = Scope {
            org_id: Uuid::nil(),
            actor_id: Uuid::nil(),
            supervisor_unit: None,
        };
        assert_eq!(fts5_filter(s).matches("zq").count(), 2);
        let s = Scope {
            supervisor_unit: Some(Uuid::nil()),
            ..s
        };
        assert_eq!(tsquery_filter(s).matches(" | ").count(), 2);
    }
}
