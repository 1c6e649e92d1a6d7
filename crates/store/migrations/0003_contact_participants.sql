-- Who took part in a contact: persons of the case and staff of the organisation.
CREATE TABLE contact_participant (
    contact_id TEXT NOT NULL REFERENCES contact(id),
    person_id TEXT REFERENCES person(id),
    account_id TEXT REFERENCES account(id),
    position BIGINT NOT NULL
);
CREATE INDEX contact_participant_contact ON contact_participant(contact_id);
