-- The daily e-mail digest: an address and an opt-in per account (NULL / 0: no mail), and one
-- row per account and Bangkok day, claimed by the server that sends that day's digest (the
-- primary key makes the claim; a claim left unsent by a server that stopped is taken over
-- after a while). `sent_at` NULL: claimed, not sent yet.
ALTER TABLE account ADD COLUMN email TEXT;
ALTER TABLE account ADD COLUMN daily_digest BIGINT NOT NULL DEFAULT 0;
CREATE TABLE notification_digest (
    account_id TEXT NOT NULL REFERENCES account(id),
    day TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    sent_at TEXT,
    items BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, day)
);
