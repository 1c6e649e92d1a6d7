-- Files kept as evidence (a signed consent form, a scanned document). The content is stored
-- base64-encoded in TEXT so that the same table works on both databases.
CREATE TABLE attachment (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    case_id TEXT NOT NULL REFERENCES case_file(id),
    consent_id TEXT REFERENCES consent(id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by TEXT REFERENCES account(id)
);
CREATE INDEX attachment_case ON attachment(case_id);
CREATE INDEX attachment_consent ON attachment(consent_id);
