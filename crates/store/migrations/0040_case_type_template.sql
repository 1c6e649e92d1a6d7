-- The assessment template a case of each type starts with: NULL keeps the built-in choice
-- (domain::case_type::built_in_template); a key names a published template of the organisation.
ALTER TABLE case_type ADD COLUMN assessment_template TEXT;
