//! What bulk import and export of cases need beyond `case`: the earlier systems' numbers
//! already taken, and the export's pages of cases in a user's scope.

use crate::case::{case_from, CaseRow, CASE_COLS};
use crate::db::Db;
use crate::error::Result;
use sqlx::Row;
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
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let case = case_from(r)?;
        let consent = sqlx::query_as::<_, (String, Option<String>, Option<String>)>(
            "SELECT status, lawful_basis, evidence_note FROM consent \
             WHERE person_id = $1 AND case_id = $2 AND purpose = 'service_provision' \
             ORDER BY recorded_at DESC, id DESC LIMIT 1",
        )
        .bind(case.client_id.to_string())
        .bind(case.id.to_string())
        .fetch_optional(db.read())
        .await?;
        out.push(CaseExportRow {
            manager: r.try_get("manager_username")?,
            client_number: r.try_get("client_number")?,
            consent,
            case,
        });
    }
    Ok(out)
}
