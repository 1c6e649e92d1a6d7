-- Person matching (issue 6): the blocking keys of each person, computed in Rust by
-- karuna_thai::matching::match_keys from the names (phonetic key `t…` and romanised sound key
-- `r…` of first name, nickname and last name, with the birth year), identity-document numbers
-- by kind and phones. Rewritten in the same transaction as every change to a person, their
-- phones or documents; filled for existing persons when this migration runs. The duplicate
-- check looks candidates up by these keys, then scores them in Rust.
CREATE TABLE person_match_key (
    person_id TEXT NOT NULL REFERENCES person(id),
    org_id TEXT NOT NULL,
    match_key TEXT NOT NULL
);
CREATE INDEX person_match_key_lookup ON person_match_key(org_id, match_key);
CREATE INDEX person_match_key_person ON person_match_key(person_id);
