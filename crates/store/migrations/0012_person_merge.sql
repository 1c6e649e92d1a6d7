-- Person merges (issue 6): two records of one person become one. The loser stays as a
-- tombstone (`person.merged_into` names the survivor); every link is moved to the survivor and
-- each moved row is listed in `person_merge_row`, so an undo puts back exactly those rows.
-- A supervisor may also record that two persons the matcher pairs are not the same person
-- (`person_not_duplicate`), and the pair leaves the duplicates list. Portable SQL.
ALTER TABLE person ADD COLUMN merged_into TEXT REFERENCES person(id);

CREATE TABLE person_merge (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    survivor_id TEXT NOT NULL REFERENCES person(id),
    loser_id TEXT NOT NULL REFERENCES person(id),
    reason TEXT NOT NULL,
    merged_by TEXT NOT NULL REFERENCES account(id),
    merged_at TEXT NOT NULL,
    undone_by TEXT REFERENCES account(id),
    undone_at TEXT,
    undo_reason TEXT
);
CREATE INDEX person_merge_survivor ON person_merge(survivor_id);
CREATE INDEX person_merge_loser ON person_merge(loser_id);

-- One row per moved or removed row: `table_name` and `row_key` (the row's id; the case id for
-- case_person; `contact_id:position` for contact_participant), `action` `moved` (its person
-- column now names the survivor) or `removed` (a case_person row of the loser on a case the
-- survivor was already on; `data` keeps its relationship and added_at as JSON).
CREATE TABLE person_merge_row (
    merge_id TEXT NOT NULL REFERENCES person_merge(id),
    position BIGINT NOT NULL,
    table_name TEXT NOT NULL,
    row_key TEXT NOT NULL,
    action TEXT NOT NULL,
    data TEXT,
    PRIMARY KEY (merge_id, position)
);

-- "Not the same person": the pair is stored once, the smaller id first.
CREATE TABLE person_not_duplicate (
    org_id TEXT NOT NULL REFERENCES org(id),
    person_a TEXT NOT NULL REFERENCES person(id),
    person_b TEXT NOT NULL REFERENCES person(id),
    reason TEXT,
    decided_by TEXT NOT NULL REFERENCES account(id),
    decided_at TEXT NOT NULL,
    PRIMARY KEY (person_a, person_b)
);
CREATE INDEX person_not_duplicate_org ON person_not_duplicate(org_id);
