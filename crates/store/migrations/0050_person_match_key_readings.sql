-- Person matching, second key set (issue 16, item 29): besides the keys of migration 0006,
-- every person now has the surname key without a birth year, `e` keys (first name or nickname
-- with the surname's sound key and each of its one-letter deletions) and `s` keys (consonant
-- skeletons over every RTGS reading of a Thai name), so that a query without a birth date, a
-- correct RTGS romanisation and a surname a letter off still find the person. The table is
-- unchanged; its rows are cleared here and recomputed in Rust for every person in the same
-- transaction (store::matching::backfill).
DELETE FROM person_match_key;
