-- Intake and the case: persons, identity documents, phones, addresses, cases with their
-- numbers, teams, involved persons, transitions, consent, contacts and promises.
-- Portable SQL, as 0001. Every row that holds personal data carries org_id.

CREATE TABLE person (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    prefix TEXT,
    first_name_th TEXT,
    middle_name_th TEXT,
    last_name_th TEXT,
    first_name_latin TEXT,
    middle_name_latin TEXT,
    last_name_latin TEXT,
    nickname TEXT,
    sex TEXT NOT NULL,
    birth_date TEXT,
    birth_year BIGINT,
    birth_estimated BIGINT NOT NULL DEFAULT 0,
    nationality TEXT,
    ethnicity TEXT,
    languages TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by TEXT REFERENCES account(id),
    updated_at TEXT NOT NULL
);
CREATE INDEX person_name_th ON person(org_id, first_name_th, last_name_th);
CREATE INDEX person_name_latin ON person(org_id, first_name_latin, last_name_latin);

CREATE TABLE person_phone (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES person(id),
    e164 TEXT NOT NULL,
    position BIGINT NOT NULL
);
CREATE INDEX person_phone_person ON person_phone(person_id);
CREATE INDEX person_phone_number ON person_phone(e164);

CREATE TABLE person_address (
    id TEXT PRIMARY KEY,
    person_id TEXT NOT NULL REFERENCES person(id),
    kind TEXT NOT NULL,
    house_no TEXT,
    moo TEXT,
    village TEXT,
    soi TEXT,
    road TEXT,
    subdistrict_code TEXT NOT NULL,
    district_code TEXT NOT NULL,
    province_code TEXT NOT NULL,
    postcode TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX person_address_person ON person_address(person_id);

CREATE TABLE identity_document (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    person_id TEXT NOT NULL REFERENCES person(id),
    kind TEXT NOT NULL,
    number TEXT NOT NULL,
    country TEXT,
    override_reason TEXT,
    overridden_check TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT REFERENCES account(id)
);
CREATE INDEX identity_document_person ON identity_document(person_id);
CREATE INDEX identity_document_number ON identity_document(org_id, number);

CREATE TABLE case_number_seq (
    org_id TEXT NOT NULL REFERENCES org(id),
    year_be BIGINT NOT NULL,
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (org_id, year_be)
);

CREATE TABLE case_file (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    unit_id TEXT NOT NULL REFERENCES unit(id),
    number TEXT NOT NULL,
    client_id TEXT NOT NULL REFERENCES person(id),
    manager_id TEXT NOT NULL REFERENCES account(id),
    status TEXT NOT NULL,
    urgency TEXT NOT NULL,
    sensitive BIGINT NOT NULL DEFAULT 0,
    case_types TEXT NOT NULL,
    referral_source TEXT NOT NULL,
    referral_note TEXT,
    presenting_problem TEXT NOT NULL,
    safety_answers TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    closed_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (org_id, number)
);
CREATE INDEX case_file_manager ON case_file(manager_id, updated_at);
CREATE INDEX case_file_unit ON case_file(unit_id, updated_at);
CREATE INDEX case_file_client ON case_file(client_id);

CREATE TABLE case_member (
    case_id TEXT NOT NULL REFERENCES case_file(id),
    account_id TEXT NOT NULL REFERENCES account(id),
    role_in_case TEXT NOT NULL,
    added_at TEXT NOT NULL,
    added_by TEXT REFERENCES account(id),
    removed_at TEXT,
    PRIMARY KEY (case_id, account_id)
);
CREATE INDEX case_member_account ON case_member(account_id);

CREATE TABLE case_person (
    case_id TEXT NOT NULL REFERENCES case_file(id),
    person_id TEXT NOT NULL REFERENCES person(id),
    relationship TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (case_id, person_id)
);
CREATE INDEX case_person_person ON case_person(person_id);

CREATE TABLE case_transition (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES case_file(id),
    kind TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    from_manager TEXT,
    to_manager TEXT,
    reason TEXT,
    actor_id TEXT REFERENCES account(id),
    at TEXT NOT NULL
);
CREATE INDEX case_transition_case ON case_transition(case_id, at);

CREATE TABLE consent (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    person_id TEXT NOT NULL REFERENCES person(id),
    case_id TEXT REFERENCES case_file(id),
    purpose TEXT NOT NULL,
    agency TEXT,
    status TEXT NOT NULL,
    lawful_basis TEXT,
    evidence_note TEXT,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT REFERENCES account(id)
);
CREATE INDEX consent_person ON consent(person_id, recorded_at);

CREATE TABLE contact (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    kind TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    duration_minutes BIGINT,
    place TEXT,
    note TEXT NOT NULL,
    sources TEXT NOT NULL DEFAULT '',
    follow_up_needed BIGINT NOT NULL DEFAULT 0,
    follow_up_note TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by TEXT REFERENCES account(id),
    updated_at TEXT NOT NULL,
    updated_by TEXT REFERENCES account(id)
);
CREATE INDEX contact_case ON contact(case_id, occurred_at);

CREATE TABLE promise (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    made_by TEXT NOT NULL REFERENCES account(id),
    to_person_id TEXT NOT NULL REFERENCES person(id),
    what TEXT NOT NULL,
    due_date TEXT NOT NULL,
    status TEXT NOT NULL,
    status_reason TEXT,
    settled_at TEXT,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX promise_case ON promise(case_id, due_date);
CREATE INDEX promise_maker_open ON promise(made_by, status, due_date);

CREATE TABLE promise_event (
    id TEXT PRIMARY KEY,
    promise_id TEXT NOT NULL REFERENCES promise(id),
    kind TEXT NOT NULL,
    old_due TEXT,
    new_due TEXT,
    reason TEXT,
    actor_id TEXT REFERENCES account(id),
    at TEXT NOT NULL
);
CREATE INDEX promise_event_promise ON promise_event(promise_id, at);
