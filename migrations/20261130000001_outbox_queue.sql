-- The outbox becomes the queue every server instance sends from (issue 12). A mail is
-- written in the transaction of the change that causes it; a worker in each instance
-- claims the due ones with a lease (claimed_until, claim_token: only the holder of the
-- claim records the outcome), sends them and records sent_at, or schedules the next
-- attempt (next_attempt_at, exponential backoff) until 24 hours have passed, then marks
-- the mail failed (failed_at, the last error kept in `error`). A lease left by an
-- instance that crashed expires and another instance tries again.
ALTER TABLE outbox ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN claimed_until BIGINT;
ALTER TABLE outbox ADD COLUMN claim_token BIGINT;
ALTER TABLE outbox ADD COLUMN failed_at BIGINT;
-- The provider whose session or invoice the mail is about (NULL: none), so that its
-- staff see the mails about their sessions that could not be delivered.
ALTER TABLE outbox ADD COLUMN provider_id BIGINT REFERENCES providers(id) ON DELETE SET NULL;

-- Mails written before wait from their creation; those more than 24 hours old are
-- marked failed by the first worker rather than sent late.
UPDATE outbox SET next_attempt_at = created_at WHERE sent_at IS NULL;

CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_failed ON outbox(provider_id, failed_at) WHERE failed_at IS NOT NULL;
