-- A payment's receipt is a file kept on the case, linked to the ledger entry it evidences.
-- The ledger stays append-only: a receipt that arrives after the payment is a new file, not
-- a change to the entry, so the link lives on the file. The entry's own attachment column of
-- 0080 was never written and goes.
ALTER TABLE attachment ADD COLUMN budget_entry_id TEXT REFERENCES budget_entry(id);
CREATE INDEX attachment_budget_entry ON attachment(budget_entry_id);
ALTER TABLE budget_entry DROP COLUMN attachment_id;
