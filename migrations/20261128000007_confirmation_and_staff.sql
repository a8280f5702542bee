-- The virtual-class link of a session, given to participants once their registration
-- is confirmed; and the provider staff (one provider each) who run the sessions.
ALTER TABLE training_sessions ADD COLUMN virtual_link TEXT;

CREATE TABLE provider_staff (
    email TEXT PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);
