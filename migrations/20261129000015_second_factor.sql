-- Second factor (TOTP, RFC 6238) with single-use recovery codes. The secret is kept
-- aside (`totp_pending_secret`) until a code from the app proves it was scanned; the
-- last accepted time step makes every code single use, on any number of instances.
ALTER TABLE users ADD COLUMN totp_secret TEXT;
ALTER TABLE users ADD COLUMN totp_pending_secret TEXT;
ALTER TABLE users ADD COLUMN totp_last_step BIGINT;

-- Only the SHA-256 of each code (80 random bits each).
CREATE TABLE recovery_codes (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- 1: the company's administrators and billing managers must use a second factor.
ALTER TABLE companies ADD COLUMN require_second_factor BIGINT NOT NULL DEFAULT 0;
