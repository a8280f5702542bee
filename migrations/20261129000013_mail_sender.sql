-- The account whose action made the portal send each mail (NULL: the portal itself),
-- so that one account cannot make it send more than a bounded number an hour, on any
-- number of server instances (issue 9).
ALTER TABLE outbox ADD COLUMN sent_for BIGINT;
CREATE INDEX outbox_sent_for ON outbox(sent_for, created_at);
