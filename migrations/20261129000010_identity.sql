-- Identity (issue 9). An address binds what is granted to it (roles, provider staff
-- seats, registrations, documents, invitations) only once its owner has proven it:
-- by a confirmation link, or by accepting an invitation sent to it. Accounts created
-- before this migration have not proven theirs and ask for the link again.
ALTER TABLE users ADD COLUMN email_confirmed_at BIGINT;

-- Single-use links sent by mail: 'confirm' (address, 24 h), 'reset' (password, 1 h),
-- 'email' (change of address, 24 h; `email` is the new address). Only the SHA-256 of
-- the token is kept.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX account_tokens_user ON account_tokens(user_id, purpose);

-- Failed log-ins per address (normalised; unknown addresses are counted alike, so a
-- lock-out tells nothing of who has an account), in the database so that every server
-- instance on it counts the same ones.
CREATE TABLE login_failures (
    email TEXT NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures(email, failed_at);

-- Sessions end after an hour without use (and 12 hours after the log-in); Mon compte
-- lists them by device and last use.
ALTER TABLE auth_sessions ADD COLUMN last_seen_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE auth_sessions ADD COLUMN user_agent TEXT NOT NULL DEFAULT '';
