-- Files attached to a contact (a police report, a photo of a home visit) or to an assessment
-- (a medical certificate), besides the consent evidence of 0004. At most one of the three
-- links is set; a file with none belongs to the case itself.
ALTER TABLE attachment ADD COLUMN contact_id TEXT REFERENCES contact(id);
ALTER TABLE attachment ADD COLUMN assessment_id TEXT REFERENCES assessment(id);
ALTER TABLE attachment ADD COLUMN description TEXT;
CREATE INDEX attachment_contact ON attachment(contact_id);
CREATE INDEX attachment_assessment ON attachment(assessment_id);
