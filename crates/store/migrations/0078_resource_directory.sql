-- The resource directory (Open Referral HSDS 3.0: organisation → service → location), per
-- Karuna organisation (`org_id`). A service's categories and languages are stored as codes
-- separated by single spaces (few, filtered with LIKE on ' code '); its areas in their own
-- table (province or district codes; none and `national` = 1: everywhere). `search_body` holds
-- the segmented, normalised words of its names and descriptions, made in Rust like the case
-- index, so Thai search works the same on both databases. Changes are versioned in `revision`.
-- An account may be designated a resource editor by an administrator.
ALTER TABLE account ADD COLUMN resource_editor BIGINT NOT NULL DEFAULT 0;
CREATE TABLE resource_org (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    name TEXT NOT NULL,
    alternate_name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    verify_locally BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT REFERENCES account(id)
);
CREATE INDEX resource_org_name ON resource_org(org_id, name);
CREATE TABLE resource_location (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    resource_org_id TEXT NOT NULL REFERENCES resource_org(id),
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    province_code TEXT NOT NULL,
    district_code TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    verify_locally BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX resource_location_org ON resource_location(resource_org_id);
CREATE TABLE resource_service (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    resource_org_id TEXT NOT NULL REFERENCES resource_org(id),
    location_id TEXT REFERENCES resource_location(id),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    categories TEXT NOT NULL,
    status TEXT NOT NULL,
    eligibility_description TEXT NOT NULL DEFAULT '',
    eligibility_rule TEXT NOT NULL DEFAULT '',
    required_documents TEXT NOT NULL DEFAULT '',
    fees TEXT NOT NULL DEFAULT '',
    languages TEXT NOT NULL DEFAULT '',
    hours TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    capacity BIGINT,
    vacancy BIGINT,
    vacancy_updated_at TEXT,
    national BIGINT NOT NULL DEFAULT 0,
    last_verified_on TEXT,
    source TEXT NOT NULL DEFAULT '',
    verify_locally BIGINT NOT NULL DEFAULT 0,
    search_body TEXT NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT REFERENCES account(id)
);
CREATE INDEX resource_service_org ON resource_service(org_id, name);
CREATE INDEX resource_service_provider ON resource_service(resource_org_id);
CREATE TABLE resource_service_area (
    service_id TEXT NOT NULL REFERENCES resource_service(id),
    area_code TEXT NOT NULL,
    PRIMARY KEY (service_id, area_code)
);
CREATE INDEX resource_service_area_code ON resource_service_area(area_code);
