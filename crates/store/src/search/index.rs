//! Keeping the search index current: each write calls one `reindex_*` function inside its own
//! transaction. A document is keyed by entity type, entity id and case; its `text` is what
//! snippets show and its `body` the segmented tokens the database indexes (FTS5 through
//! triggers on SQLite, a `tsvector` built by a trigger on PostgreSQL).

use super::scope::{tokens, with_tokens};
use super::text::{body, with_month};
use crate::db::Tx;
use crate::error::Result;
use crate::row::uuid;
use sqlx::Row;
use uuid::Uuid;

/// One document to index. New kinds of records (assessments, plans) add one call with this.
#[derive(Debug, Clone)]
pub struct SearchDoc<'a> {
    /// `contact`, `case`, `person`, …
    pub entity_type: &'a str,
    /// The record.
    pub entity_id: Uuid,
    /// The case it belongs to (access and filters follow the case).
    pub case_id: Uuid,
    /// Organisation.
    pub org_id: Uuid,
    /// The date the record is about (stored instant text), for ordering and date filters.
    pub doc_date: String,
    /// The text shown in snippets.
    pub text: String,
    /// Tokens indexed beside the text's own (phone numbers in E.164 digits).
    pub extra: Vec<String>,
}

/// Replaces the document for (entity type, entity id, case).
pub async fn put_doc(tx: &mut Tx, d: &SearchDoc<'_>) -> Result<()> {
    sqlx::query(
        "DELETE FROM search_doc WHERE entity_type = $1 AND entity_id = $2 AND case_id = $3",
    )
    .bind(d.entity_type)
    .bind(d.entity_id.to_string())
    .bind(d.case_id.to_string())
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO search_doc (org_id, entity_type, entity_id, case_id, doc_date, text, body) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(d.org_id.to_string())
    .bind(d.entity_type)
    .bind(d.entity_id.to_string())
    .bind(d.case_id.to_string())
    .bind(&d.doc_date)
    .bind(&d.text)
    .bind(with_tokens(
        &with_month(body(&d.text, &d.extra), &d.doc_date),
        &tokens(tx, d.case_id, d.entity_type).await?,
    ))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes every document of an entity (on every case).
pub async fn remove_docs(tx: &mut Tx, entity_type: &str, entity_id: Uuid) -> Result<()> {
    sqlx::query("DELETE FROM search_doc WHERE entity_type = $1 AND entity_id = $2")
        .bind(entity_type)
        .bind(entity_id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Indexes a contact's current version: its note and follow-up note.
pub async fn reindex_contact(tx: &mut Tx, id: Uuid) -> Result<()> {
    let Some(r) = sqlx::query(
        "SELECT org_id, case_id, occurred_at, note, follow_up_note, place FROM contact WHERE id = $1",
    )
    .bind(id.to_string())
    .fetch_optional(&mut **tx)
    .await?
    else {
        return remove_docs(tx, "contact", id).await;
    };
    let mut text: String = r.try_get("note")?;
    for col in ["follow_up_note", "place"] {
        if let Some(more) = r.try_get::<Option<String>, _>(col)? {
            text.push('\n');
            text.push_str(&more);
        }
    }
    put_doc(
        tx,
        &SearchDoc {
            entity_type: "contact",
            entity_id: id,
            case_id: uuid(&r, "case_id")?,
            org_id: uuid(&r, "org_id")?,
            doc_date: r.try_get("occurred_at")?,
            text,
            extra: Vec::new(),
        },
    )
    .await
}

/// Indexes a case's number and presenting problem.
pub async fn reindex_case(tx: &mut Tx, case_id: Uuid) -> Result<()> {
    let Some(r) = sqlx::query(
        "SELECT org_id, number, legacy_number, presenting_problem, opened_at FROM case_file WHERE id = $1",
    )
    .bind(case_id.to_string())
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(());
    };
    let number: String = r.try_get("number")?;
    let problem: String = r.try_get("presenting_problem")?;
    // An imported case is found by the earlier system's number too.
    let legacy: Option<String> = r.try_get("legacy_number")?;
    let numbers = match legacy {
        Some(l) => format!("{number} {l}"),
        None => number,
    };
    put_doc(
        tx,
        &SearchDoc {
            entity_type: "case",
            entity_id: case_id,
            case_id,
            org_id: uuid(&r, "org_id")?,
            doc_date: r.try_get("opened_at")?,
            text: format!("{numbers}\n{problem}"),
            extra: Vec::new(),
        },
    )
    .await
}

/// Indexes a person on every case they are on: names (Thai, Latin, nickname), identity
/// document numbers (digits only) and phones (local 0-form shown, E.164 digits indexed too).
pub async fn reindex_person(tx: &mut Tx, person_id: Uuid) -> Result<()> {
    remove_docs(tx, "person", person_id).await?;
    let Some(p) = sqlx::query(
        "SELECT org_id, prefix, first_name_th, middle_name_th, last_name_th, first_name_latin, \
         middle_name_latin, last_name_latin, nickname FROM person WHERE id = $1",
    )
    .bind(person_id.to_string())
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(());
    };
    let cases = sqlx::query(
        "SELECT c.id, c.opened_at FROM case_person cp JOIN case_file c ON c.id = cp.case_id WHERE cp.person_id = $1",
    )
    .bind(person_id.to_string())
    .fetch_all(&mut **tx)
    .await?;
    if cases.is_empty() {
        return Ok(());
    }
    let mut names: Vec<String> = Vec::new();
    for col in [
        "first_name_th",
        "middle_name_th",
        "last_name_th",
        "first_name_latin",
        "middle_name_latin",
        "last_name_latin",
    ] {
        if let Some(n) = p.try_get::<Option<String>, _>(col)? {
            names.push(n);
        }
    }
    if let Some(n) = p.try_get::<Option<String>, _>("nickname")? {
        names.push(format!("({n})"));
    }
    let mut text = names.join(" ");
    let mut extra = Vec::new();
    let docs: Vec<String> = sqlx::query_scalar(
        "SELECT number FROM identity_document WHERE person_id = $1 ORDER BY created_at",
    )
    .bind(person_id.to_string())
    .fetch_all(&mut **tx)
    .await?;
    for d in docs {
        let digits: String = d.chars().filter(|c| c.is_alphanumeric()).collect();
        text.push_str(" · ");
        text.push_str(&digits);
    }
    let phones: Vec<String> =
        sqlx::query_scalar("SELECT e164 FROM person_phone WHERE person_id = $1 ORDER BY position")
            .bind(person_id.to_string())
            .fetch_all(&mut **tx)
            .await?;
    for e164 in phones {
        let digits = e164.trim_start_matches('+').to_string();
        let local = match digits.strip_prefix("66") {
            Some(rest) => format!("0{rest}"),
            None => digits.clone(),
        };
        text.push_str(" · ");
        text.push_str(&local);
        extra.push(digits);
    }
    let org_id = uuid(&p, "org_id")?;
    for c in &cases {
        put_doc(
            tx,
            &SearchDoc {
                entity_type: "person",
                entity_id: person_id,
                case_id: uuid(c, "id")?,
                org_id,
                doc_date: c.try_get("opened_at")?,
                text: text.clone(),
                extra: extra.clone(),
            },
        )
        .await?;
    }
    Ok(())
}

/// Indexes every existing record (run by the migration that creates the index).
pub async fn backfill(tx: &mut Tx) -> Result<()> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM case_file ORDER BY id")
        .fetch_all(&mut **tx)
        .await?;
    for id in ids {
        reindex_case(tx, parse(&id)?).await?;
    }
    let ids: Vec<String> = sqlx::query_scalar("SELECT DISTINCT person_id FROM case_person")
        .fetch_all(&mut **tx)
        .await?;
    for id in ids {
        reindex_person(tx, parse(&id)?).await?;
    }
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM contact ORDER BY id")
        .fetch_all(&mut **tx)
        .await?;
    for id in ids {
        reindex_contact(tx, parse(&id)?).await?;
    }
    Ok(())
}

fn parse(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|_| crate::StoreError::Corrupt("uuid"))
}

/// Collects the text of a JSON document's string values, leaving out the keys in `skip`.
fn strings(v: &serde_json::Value, skip: &[&str], out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_string()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| strings(x, skip, out)),
        serde_json::Value::Object(o) => o
            .iter()
            .filter(|(k, _)| !skip.contains(&k.as_str()))
            .for_each(|(_, x)| strings(x, skip, out)),
        _ => {}
    }
}

/// The indexed text of an assessment's notes (every domain's narrative, not the sources);
/// `None` when there is none.
pub fn assessment_text(notes: &serde_json::Value) -> Option<String> {
    let mut parts = Vec::new();
    strings(notes, &["sources"], &mut parts);
    (!parts.is_empty()).then(|| parts.join("\n"))
}

/// The indexed text of a plan version's content (its words, not its codes, ids and dates).
pub fn plan_text(content: &serde_json::Value) -> String {
    let codes = [
        "id",
        "dimension",
        "priority",
        "method",
        "status",
        "responsible_id",
        "start",
        "end",
        "target_date",
    ];
    let mut parts = Vec::new();
    strings(content, &codes, &mut parts);
    parts.join("\n")
}

/// Indexes an assessment's narrative: the worker's notes per domain (strengths, needs and the
/// analysis of causes, impacts and options).
pub async fn reindex_assessment(tx: &mut Tx, id: Uuid) -> Result<()> {
    let Some(r) =
        sqlx::query("SELECT org_id, case_id, updated_at, notes FROM assessment WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut **tx)
            .await?
    else {
        return remove_docs(tx, "assessment", id).await;
    };
    let notes: String = r.try_get("notes")?;
    let json: serde_json::Value = serde_json::from_str(&notes).unwrap_or_default();
    let Some(text) = assessment_text(&json) else {
        return remove_docs(tx, "assessment", id).await;
    };
    put_doc(
        tx,
        &SearchDoc {
            entity_type: "assessment",
            entity_id: id,
            case_id: uuid(&r, "case_id")?,
            org_id: uuid(&r, "org_id")?,
            doc_date: r.try_get("updated_at")?,
            text,
            extra: Vec::new(),
        },
    )
    .await
}

/// Indexes a case's latest plan version (goals, indicators, targets, the client's words,
/// providers); earlier versions leave the index.
pub async fn reindex_plan(tx: &mut Tx, case_id: Uuid) -> Result<()> {
    sqlx::query("DELETE FROM search_doc WHERE entity_type = 'plan' AND case_id = $1")
        .bind(case_id.to_string())
        .execute(&mut **tx)
        .await?;
    let Some(r) = sqlx::query(
        "SELECT id, org_id, created_at, content FROM plan_version WHERE case_id = $1 \
         ORDER BY number DESC LIMIT 1",
    )
    .bind(case_id.to_string())
    .fetch_optional(&mut **tx)
    .await?
    else {
        return Ok(());
    };
    let content: String = r.try_get("content")?;
    let json: serde_json::Value = serde_json::from_str(&content).unwrap_or_default();
    put_doc(
        tx,
        &SearchDoc {
            entity_type: "plan",
            entity_id: uuid(&r, "id")?,
            case_id,
            org_id: uuid(&r, "org_id")?,
            doc_date: r.try_get("created_at")?,
            text: plan_text(&json),
            extra: Vec::new(),
        },
    )
    .await
}
