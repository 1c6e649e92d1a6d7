-- The in-app inbox: one row per recipient and event (a task assigned, work awaiting approval,
-- a case transferred) or reminder (a promise, a task or a follow-up falling due). A reminder
-- carries a dedupe key (kind, record, due date) so that any number of servers running the
-- reminder job insert it once; an event's key is NULL. Listed only while the recipient may
-- still open the case.
CREATE TABLE notification (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    account_id TEXT NOT NULL REFERENCES account(id),
    kind TEXT NOT NULL,
    case_id TEXT REFERENCES case_file(id),
    entity_id TEXT,
    actor_id TEXT REFERENCES account(id),
    due_date TEXT,
    dedupe_key TEXT UNIQUE,
    created_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notification_inbox ON notification(account_id, created_at);
CREATE INDEX notification_unread ON notification(account_id) WHERE read_at IS NULL;
