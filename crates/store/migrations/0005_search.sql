-- The search index: one document per searchable record (entity type + entity id + case), its
-- display text and its body (segmented, normalised tokens separated by single spaces, made in
-- Rust so both databases index exactly the same words). Full-text search itself differs by
-- backend: the lines after "-- backend: sqlite" or "-- backend: postgres" run only there,
-- until "-- backend: all". Existing records are indexed by the migration runner (Rust).

-- backend: sqlite
CREATE TABLE search_doc (
    rid INTEGER PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES case_file(id),
    doc_date TEXT NOT NULL,
    text TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (entity_type, entity_id, case_id)
);
-- The ascii tokenizer splits only at ASCII spaces and punctuation, which the body never holds
-- inside a token: every token is indexed as written.
CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_doc', content_rowid='rid', tokenize='ascii');
CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN INSERT INTO search_fts(rowid, body) VALUES (new.rid, new.body); END;
CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.rid, old.body); END;
CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.rid, old.body); INSERT INTO search_fts(rowid, body) VALUES (new.rid, new.body); END;

-- backend: postgres
CREATE TABLE search_doc (
    rid BIGSERIAL PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES org(id),
    entity_type TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    case_id TEXT NOT NULL REFERENCES case_file(id),
    doc_date TEXT NOT NULL,
    text TEXT NOT NULL,
    body TEXT NOT NULL,
    tsv TSVECTOR NOT NULL DEFAULT ''::tsvector,
    UNIQUE (entity_type, entity_id, case_id)
);
-- The tsvector is built from the body's tokens as lexemes with their positions, never through
-- a text-search parser (which would split Thai at its marks): the same words as FTS5.
CREATE FUNCTION search_doc_tsv() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.tsv := (SELECT COALESCE(string_agg('''' || t || ''':' || LEAST(n, 16383), ' '), '')::tsvector FROM unnest(string_to_array(NEW.body, ' ')) WITH ORDINALITY AS x(t, n) WHERE t <> ''); RETURN NEW; END $$;
CREATE TRIGGER search_doc_tsv BEFORE INSERT OR UPDATE ON search_doc FOR EACH ROW EXECUTE FUNCTION search_doc_tsv();
CREATE INDEX search_doc_tsv_gin ON search_doc USING GIN (tsv);

-- backend: all
CREATE INDEX search_doc_case ON search_doc(case_id);
CREATE INDEX search_doc_entity ON search_doc(entity_type, entity_id);
