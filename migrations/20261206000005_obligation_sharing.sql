-- The firm's view of its collaborators' training obligation (issue 13, part 3).
-- A person shares his obligation data with one firm at a time by his own choice; the
-- row is his consent, deleted when he withdraws it (or with his account, or the firm).
CREATE TABLE obligation_consents (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, company_id)
);
CREATE INDEX obligation_consents_company ON obligation_consents(company_id);

-- The January reminders already written to the outbox: one per (year, person) and per
-- (year, firm), whichever instance gets there first (the primary key decides).
CREATE TABLE obligation_reminders (
    year BIGINT NOT NULL,
    kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (year, kind, target_id)
);
