//! A programme's budget for one Thai fiscal year (1 October – 30 September, shown as
//! ปีงบประมาณ in the Buddhist era), optionally for one unit, kept as an **append-only ledger**.
//! Each entry moves money between three totals; the balance is always
//! `allocated − committed − disbursed` and never below zero unless an authorised override
//! said why. A mistaken disbursement is corrected by a reversing entry, never by an edit.

use serde::{Deserialize, Serialize};

/// What an entry of the ledger records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Money given to (or, negative, taken from) the budget.
    Allocation,
    /// Promised to an approved request.
    Commitment,
    /// A commitment given back (the request closed with money unpaid).
    Release,
    /// Paid out against a commitment.
    Disbursement,
    /// A disbursement undone (money back to the commitment).
    Reversal,
}

impl EntryKind {
    /// Every kind.
    pub const ALL: [EntryKind; 5] = [
        EntryKind::Allocation,
        EntryKind::Commitment,
        EntryKind::Release,
        EntryKind::Disbursement,
        EntryKind::Reversal,
    ];

    /// Stable code.
    pub fn code(self) -> &'static str {
        match self {
            EntryKind::Allocation => "allocation",
            EntryKind::Commitment => "commitment",
            EntryKind::Release => "release",
            EntryKind::Disbursement => "disbursement",
            EntryKind::Reversal => "reversal",
        }
    }

    /// Parses a stable code.
    pub fn from_code(code: &str) -> Option<EntryKind> {
        EntryKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// How an entry of `amount` (positive, except an allocation's reduction) changes the
    /// totals: (allocated, committed, disbursed).
    pub fn effect(self, amount: i64) -> (i64, i64, i64) {
        match self {
            EntryKind::Allocation => (amount, 0, 0),
            EntryKind::Commitment => (0, amount, 0),
            EntryKind::Release => (0, -amount, 0),
            EntryKind::Disbursement => (0, -amount, amount),
            EntryKind::Reversal => (0, amount, -amount),
        }
    }
}

/// A budget's three totals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Totals {
    /// Given to the budget.
    pub allocated: i64,
    /// Promised to approved requests, not yet paid.
    pub committed: i64,
    /// Paid out.
    pub disbursed: i64,
}

impl Totals {
    /// What is left to commit.
    pub fn balance(&self) -> i64 {
        self.allocated - self.committed - self.disbursed
    }

    /// The totals after an entry.
    pub fn after(&self, kind: EntryKind, amount: i64) -> Totals {
        let (a, c, d) = kind.effect(amount);
        Totals {
            allocated: self.allocated + a,
            committed: self.committed + c,
            disbursed: self.disbursed + d,
        }
    }

    /// The totals a ledger adds up to.
    pub fn of<'a>(entries: impl IntoIterator<Item = &'a (EntryKind, i64)>) -> Totals {
        entries
            .into_iter()
            .fold(Totals::default(), |t, (k, a)| t.after(*k, *a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn money_moves_between_the_totals() {
        let t = Totals::default()
            .after(EntryKind::Allocation, 5_000_000)
            .after(EntryKind::Commitment, 200_000)
            .after(EntryKind::Disbursement, 150_000)
            .after(EntryKind::Reversal, 50_000)
            .after(EntryKind::Release, 100_000);
        assert_eq!(
            t,
            Totals {
                allocated: 5_000_000,
                committed: 0,
                disbursed: 100_000
            }
        );
        assert_eq!(t.balance(), 4_900_000);
    }

    proptest! {
        /// Whatever the order, the balance is allocations minus commitments and disbursements.
        #[test]
        fn the_balance_identity_holds(ops in proptest::collection::vec((0usize..5, 1i64..1_000_000), 0..60)) {
            let entries: Vec<(EntryKind, i64)> =
                ops.iter().map(|(k, a)| (EntryKind::ALL[*k], *a)).collect();
            let t = Totals::of(&entries);
            let sum = |kind: EntryKind| entries.iter().filter(|(k, _)| *k == kind).map(|(_, a)| a).sum::<i64>();
            prop_assert_eq!(t.allocated, sum(EntryKind::Allocation));
            prop_assert_eq!(t.disbursed, sum(EntryKind::Disbursement) - sum(EntryKind::Reversal));
            prop_assert_eq!(
                t.committed,
                sum(EntryKind::Commitment) - sum(EntryKind::Release) - sum(EntryKind::Disbursement) + sum(EntryKind::Reversal)
            );
            prop_assert_eq!(t.balance(), t.allocated - t.committed - t.disbursed);
        }
    }
}
