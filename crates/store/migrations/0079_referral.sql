-- Referrals from a case to a service of the directory (or a provider named ad hoc), their
-- history, the service agreement and its check-ins, and the alerts that call the case manager
-- (a service ended early, a check-in missed, no answer by the due date, the service closed).
-- The provider's and service's names are copied at referral time (the letter and the figures
-- keep what was true then). `shared_items`: codes separated by single spaces.
CREATE TABLE referral (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    service_id TEXT REFERENCES resource_service(id),
    provider_id TEXT REFERENCES resource_org(id),
    provider_name TEXT NOT NULL,
    service_name TEXT,
    provider_contact TEXT,
    intervention_id TEXT,
    need TEXT NOT NULL,
    requested_service TEXT NOT NULL,
    urgency TEXT NOT NULL,
    shared_items TEXT NOT NULL DEFAULT '',
    sharing_basis TEXT,
    consent_id TEXT REFERENCES consent(id),
    area_reason TEXT,
    status TEXT NOT NULL,
    status_reason TEXT,
    reason_code TEXT,
    ended_by TEXT,
    outcome TEXT,
    response_due TEXT,
    sent_at TEXT,
    accepted_at TEXT,
    service_started_on TEXT,
    closed_at TEXT,
    created_by TEXT NOT NULL REFERENCES account(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX referral_case ON referral(case_id, created_at);
CREATE INDEX referral_service ON referral(service_id);
CREATE INDEX referral_org_status ON referral(org_id, status);
CREATE TABLE referral_event (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referral(id),
    kind TEXT NOT NULL,
    to_status TEXT,
    reason TEXT,
    actor_id TEXT REFERENCES account(id),
    at TEXT NOT NULL
);
CREATE INDEX referral_event_referral ON referral_event(referral_id, at);
CREATE TABLE referral_agreement (
    referral_id TEXT PRIMARY KEY REFERENCES referral(id),
    what TEXT NOT NULL,
    frequency TEXT NOT NULL DEFAULT '',
    start_on TEXT NOT NULL,
    end_on TEXT NOT NULL,
    contact_person TEXT NOT NULL,
    recorded_by TEXT NOT NULL REFERENCES account(id),
    recorded_at TEXT NOT NULL
);
CREATE TABLE referral_check_in (
    id TEXT PRIMARY KEY,
    referral_id TEXT NOT NULL REFERENCES referral(id),
    due_on TEXT,
    done_on TEXT,
    delivered TEXT,
    client_view TEXT,
    note TEXT,
    recorded_by TEXT REFERENCES account(id),
    recorded_at TEXT
);
CREATE INDEX referral_check_in_referral ON referral_check_in(referral_id, due_on);
CREATE INDEX referral_check_in_due ON referral_check_in(due_on) WHERE done_on IS NULL;
CREATE TABLE referral_alert (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    referral_id TEXT NOT NULL REFERENCES referral(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    kind TEXT NOT NULL,
    dedupe_key TEXT UNIQUE,
    created_at TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT REFERENCES account(id),
    action_taken TEXT
);
CREATE INDEX referral_alert_case ON referral_alert(case_id, created_at);
