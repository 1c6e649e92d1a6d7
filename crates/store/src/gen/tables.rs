//! The tables a generated case is written to, in foreign-key order, and their indexes.

use super::bulk::Table;

/// The tables cases are written to, in foreign-key order.
pub struct CaseTables {
    tables: Vec<Table>,
}

macro_rules! t {
    ($name:literal, [$($c:literal),*]) => { Table::new($name, &[$($c),*]) };
}

impl CaseTables {
    /// Empty tables.
    pub fn new() -> CaseTables {
        CaseTables {
            tables: vec![
                t!(
                    "case_file",
                    [
                        "id",
                        "org_id",
                        "unit_id",
                        "number",
                        "client_id",
                        "manager_id",
                        "status",
                        "urgency",
                        "sensitive",
                        "case_types",
                        "referral_source",
                        "presenting_problem",
                        "safety_answers",
                        "opened_at",
                        "closed_at",
                        "version",
                        "created_at",
                        "updated_at"
                    ]
                ),
                t!(
                    "case_person",
                    ["case_id", "person_id", "relationship", "added_at"]
                ),
                t!(
                    "case_member",
                    [
                        "case_id",
                        "account_id",
                        "role_in_case",
                        "added_at",
                        "added_by"
                    ]
                ),
                t!(
                    "case_transition",
                    [
                        "id",
                        "case_id",
                        "kind",
                        "from_status",
                        "to_status",
                        "actor_id",
                        "at"
                    ]
                ),
                t!(
                    "consent",
                    [
                        "id",
                        "org_id",
                        "person_id",
                        "case_id",
                        "purpose",
                        "status",
                        "recorded_at",
                        "recorded_by"
                    ]
                ),
                t!(
                    "contact",
                    [
                        "id",
                        "org_id",
                        "case_id",
                        "kind",
                        "occurred_at",
                        "duration_minutes",
                        "place",
                        "note",
                        "sources",
                        "created_at",
                        "created_by",
                        "updated_at",
                        "updated_by"
                    ]
                ),
                t!(
                    "search_doc",
                    [
                        "org_id",
                        "entity_type",
                        "entity_id",
                        "case_id",
                        "doc_date",
                        "text",
                        "body"
                    ]
                ),
                t!(
                    "promise",
                    [
                        "id",
                        "org_id",
                        "case_id",
                        "made_by",
                        "to_person_id",
                        "what",
                        "due_date",
                        "status",
                        "settled_at",
                        "created_at",
                        "updated_at"
                    ]
                ),
                t!(
                    "assessment",
                    [
                        "id",
                        "org_id",
                        "case_id",
                        "template_id",
                        "template_key",
                        "template_version",
                        "status",
                        "answers",
                        "notes",
                        "scores",
                        "total_score",
                        "level",
                        "version",
                        "created_at",
                        "created_by",
                        "updated_at",
                        "updated_by",
                        "completed_at",
                        "completed_by"
                    ]
                ),
                t!(
                    "plan_version",
                    [
                        "id",
                        "org_id",
                        "case_id",
                        "number",
                        "content",
                        "status",
                        "created_by",
                        "created_at"
                    ]
                ),
                t!(
                    "goal_progress",
                    [
                        "id",
                        "org_id",
                        "case_id",
                        "goal_id",
                        "plan_number",
                        "measured_on",
                        "gas",
                        "value",
                        "source",
                        "note",
                        "recorded_by",
                        "created_at"
                    ]
                ),
                t!(
                    "case_closure",
                    [
                        "id",
                        "org_id",
                        "case_id",
                        "reason",
                        "summary",
                        "goal_outcomes",
                        "follow_up_months",
                        "status",
                        "created_by",
                        "created_at"
                    ]
                ),
            ],
        }
    }

    /// Rows held in all tables.
    pub fn rows(&self) -> usize {
        self.tables.iter().map(Table::len).sum()
    }

    /// The tables, in foreign-key order.
    pub fn into_tables(self) -> Vec<Table> {
        self.tables
    }

    pub(super) fn t(&mut self, i: usize) -> &mut Table {
        &mut self.tables[i]
    }
}

impl Default for CaseTables {
    fn default() -> Self {
        Self::new()
    }
}

pub(super) const CASE: usize = 0;
pub(super) const CPERSON: usize = 1;
pub(super) const MEMBER: usize = 2;
pub(super) const TRANS: usize = 3;
pub(super) const CONSENT: usize = 4;
pub(super) const CONTACT: usize = 5;
pub(super) const DOC: usize = 6;
pub(super) const PROMISE: usize = 7;
pub(super) const ASSESS: usize = 8;
pub(super) const PLAN: usize = 9;
pub(super) const PROGRESS: usize = 10;
pub(super) const CLOSURE: usize = 11;
