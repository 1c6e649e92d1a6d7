//! The supervisor's history of person merges: who merged whom, when and why, how many rows
//! moved, and whether it was undone; each merge still in force offers its undo. Listed under
//! the duplicates list's rule (`karuna_store::merge_history`).

use crate::person_merge::{brief, page_args, supervised_unit, PersonBrief};
use crate::{event, on, App, AppError, Ctx, CurrentUser};
use chrono::{DateTime, Utc};
use karuna_domain::access::Action;
use karuna_domain::audit::Outcome;
use karuna_store::{audit, merge_history as store, person};
use serde::Serialize;
use std::collections::HashMap;
use uuid::Uuid;

/// One merge in the history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MergeItem {
    /// The merge (for undo).
    pub id: Uuid,
    /// The person kept.
    pub survivor: PersonBrief,
    /// The person merged into the survivor (a tombstone while the merge is in force).
    pub loser: PersonBrief,
    /// Why they were taken for one person.
    pub reason: String,
    /// Who merged them.
    pub merged_by: String,
    /// When.
    pub merged_at: DateTime<Utc>,
    /// Rows moved to the survivor (or removed as duplicates of the survivor's).
    pub rows: i64,
    /// When it was undone; `None` while the merge is in force.
    pub undone_at: Option<DateTime<Utc>>,
    /// Who undid it.
    pub undone_by: Option<String>,
    /// Why it was undone.
    pub undo_reason: Option<String>,
}

/// A page of the merge history.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MergePage {
    /// The merges, newest first.
    pub items: Vec<MergeItem>,
    /// How many there are in all.
    pub total: i64,
    /// Cursor for the next page (`after`), if there is one.
    pub next: Option<String>,
}

impl App {
    /// The merges of persons on cases of the supervisor's unit, newest first (`after` is the
    /// offset cursor). Audited as `person.merges`.
    pub async fn list_merges(
        &self,
        user: &CurrentUser,
        ctx: &Ctx,
        after: &str,
        limit: Option<i64>,
    ) -> Result<MergePage, AppError> {
        self.authorize(
            user,
            ctx,
            Action::ReviewDuplicates,
            "person.merges",
            ("person", None),
        )
        .await?;
        let (offset, limit) = page_args(after, limit)?;
        let unit = supervised_unit(user)?;
        let org = user.actor.org_id;
        let (entries, total) = store::merges_for_unit(
            &self.db,
            org,
            unit,
            user.actor.id,
            limit as i64,
            offset as i64,
        )
        .await?;
        let ids: Vec<Uuid> = entries
            .iter()
            .flat_map(|m| [m.survivor_id, m.loser_id])
            .collect();
        let persons: HashMap<Uuid, PersonBrief> = person::persons_by_ids(&self.db, org, &ids)
            .await?
            .iter()
            .map(|p| (p.id, brief(p)))
            .collect();
        let mut items = Vec::with_capacity(entries.len());
        for m in entries {
            let (Some(survivor), Some(loser)) = (
                persons.get(&m.survivor_id).cloned(),
                persons.get(&m.loser_id).cloned(),
            ) else {
                continue;
            };
            items.push(MergeItem {
                id: m.id,
                survivor,
                loser,
                reason: m.reason,
                merged_by: m.merged_by,
                merged_at: m.merged_at,
                rows: m.rows,
                undone_at: m.undone_at,
                undone_by: m.undone_by,
                undo_reason: m.undo_reason,
            });
        }
        let end = (offset + limit) as i64;
        let mut e = on(
            event(Some(user), ctx, "person.merges", Outcome::Success),
            "person",
            None,
        );
        e.reason = Some(format!("{total} merges, {} shown", items.len()));
        audit::append_alone(&self.db, &e).await?;
        Ok(MergePage {
            items,
            total,
            next: (end < total).then(|| end.to_string()),
        })
    }
}
