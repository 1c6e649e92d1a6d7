//! What bulk import and export of cases need beyond `case`: the earlier systems' numbers
//! already taken, and the export's pages of cases in a user's scope.

use crate::case::{case_from, CaseRow, CASE_COLS};
use crate::db::Db;
use crate::error::Result;
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

/// Which of `numbers` are already legacy numbers of the organisation's cases.
pub async fn legacy_numbers_on_record(
    db: &Db,
    org_id: Uuid,
    numbers: &[String],
) -> Result<std::collections::HashSet<String>> {
    let mut found = std::collections::HashSet::new();
    for chunk in numbers.chunks(500) {
        let list: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT legacy_number FROM case_file WHERE org_id = $1 AND legacy_number IN ({})",
            list.join(", ")
        );
        let mut q = sqlx::query_scalar::<_, String>(&sql).bind(org_id.to_string());
        for n in chunk {
            q = q.bind(n.clone());
        }
        found.extend(q.fetch_all(db.read()).await?);
    }
    Ok(found)
}

/// A case as the cases export writes it.
#[derive(Debug, Clone)]
pub struct CaseExportRow {
    /// The case.
    pub case: CaseRow,
    /// The manager's username.
    pub manager: String,
    /// The client's document number (a national ID first, else the oldest document).
    pub client_number: Option<String>,
    /// The latest service-provision consent: state, lawful basis, evidence.
    pub consent: Option<(String, Option<String>, Option<String>)>,
}

/// Up to `limit` cases in `scope` (the case list's need-to-know set), after `after` in id
/// order: the cases export's pages.
pub async fn cases_in_scope(
    db: &Db,
    scope: crate::case_list::Scope,
    after: Option<Uuid>,
    limit: i64,
) -> Result<Vec<CaseExportRow>> {
    let sql = format!(
        "SELECT {CASE_COLS}, a.username AS manager_username, \
         (SELECT d.number FROM identity_document d WHERE d.person_id = c.client_id \
          ORDER BY CASE WHEN d.kind = 'thai_national_id' THEN 0 ELSE 1 END, d.created_at, d.id LIMIT 1) AS client_number \
         FROM case_file c JOIN account a ON a.id = c.manager_id \
         WHERE c.id > $4 AND {} ORDER BY c.id LIMIT {}",
        crate::case_list::scope_set_sql(1),
        limit.clamp(1, 10_000)
    );
    let rows = crate::case_list::scoped_page(db, &sql, scope, after).await?;
    let cases = rows
        .iter()
        .map(case_from)
        .collect::<Result<Vec<CaseRow>>>()?;
    let mut consents = latest_consents(db, &cases).await?;
    let mut out = Vec::with_capacity(rows.len());
    for (r, case) in rows.iter().zip(cases) {
        out.push(CaseExportRow {
            manager: r.try_get("manager_username")?,
            client_number: r.try_get("client_number")?,
            consent: consents.remove(&case.id.to_string()),
            case,
        });
    }
    Ok(out)
}

/// The latest service-provision consent of each case's client on that case, for a page of
/// cases in one query (by the clients, which `consent_person` indexes), keyed by case id.
async fn latest_consents(
    db: &Db,
    cases: &[CaseRow],
) -> Result<HashMap<String, (String, Option<String>, Option<String>)>> {
    let mut latest = HashMap::new();
    if cases.is_empty() {
        return Ok(latest);
    }
    let list: Vec<String> = (0..cases.len()).map(|i| format!("${}", i + 1)).collect();
    let sql = format!(
        "SELECT case_id, person_id, status, lawful_basis, evidence_note FROM consent \
         WHERE purpose = 'service_provision' AND person_id IN ({}) ORDER BY recorded_at, id",
        list.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for c in cases {
        q = q.bind(c.client_id.to_string());
    }
    let clients: HashMap<String, String> = cases
        .iter()
        .map(|c| (c.id.to_string(), c.client_id.to_string()))
        .collect();
    for r in q.fetch_all(db.read()).await? {
        let Some(case_id) = r.try_get::<Option<String>, _>("case_id")? else {
            continue;
        };
        let person: String = r.try_get("person_id")?;
        // Only the case's own client's consent on that case; later rows replace earlier.
        if clients.get(&case_id) == Some(&person) {
            latest.insert(
                case_id,
                (
                    r.try_get("status")?,
                    r.try_get("lawful_basis")?,
                    r.try_get("evidence_note")?,
                ),
            );
        }
    }
    Ok(latest)
}
