-- The history of a registration (issue 13, substitution of a participant): one row per
-- change made to it after its order, such as a participant replaced by another person
-- of the firm ('substitution'; `detail` is JSON: the person before and after). The
-- registration keeps its id, seat, order and invoice lines.
CREATE TABLE registration_events (
    id BIGINT PRIMARY KEY,
    registration_id BIGINT NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    by_user BIGINT REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX registration_events_registration ON registration_events(registration_id, at);
