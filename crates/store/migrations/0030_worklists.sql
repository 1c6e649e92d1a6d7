-- Worklists (issue 16): what awaits a supervisor's approval and contacts marked for
-- follow-up, each read by its own partial index instead of scanning every plan, closure or
-- contact.
CREATE INDEX plan_version_awaiting ON plan_version(created_at) WHERE status = 'awaiting_approval';
CREATE INDEX case_closure_awaiting ON case_closure(created_at) WHERE status = 'awaiting_approval';
CREATE INDEX contact_follow_up ON contact(occurred_at) WHERE follow_up_needed = 1;
-- The analyst's figures count cases by the month they were opened.
CREATE INDEX case_file_opened ON case_file(org_id, opened_at);
