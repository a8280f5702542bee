-- The waiting list of a full session (issue 13). A firm puts participants on it, each
-- entry numbered in the order of arrival (`position`, unique per session). When a seat
-- frees up, the first waiting entry is offered it for 48 hours: the entry becomes
-- "proposee" (offered_at, offer_expires_at) and the seat stays counted in
-- training_sessions.seats_taken, held by the offer, so nobody else can take it. Taken,
-- the offer becomes a cart registration on that seat (registration_id); lapsed or
-- withdrawn, the seat goes to the next entry. Portable DDL (see the initial migration).
CREATE TABLE waitlist_entries (
    id BIGINT PRIMARY KEY,
    session_id BIGINT NOT NULL REFERENCES training_sessions(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    participant_email TEXT NOT NULL,
    participant_first_name TEXT NOT NULL,
    participant_last_name TEXT NOT NULL,
    position BIGINT NOT NULL,
    status TEXT NOT NULL,
    requested_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    offered_at BIGINT,
    offer_expires_at BIGINT,
    ended_at BIGINT,
    registration_id BIGINT REFERENCES registrations(id),
    UNIQUE (session_id, position)
);
CREATE INDEX waitlist_entries_session ON waitlist_entries(session_id, status, position);
CREATE INDEX waitlist_entries_company ON waitlist_entries(company_id);
CREATE INDEX waitlist_entries_email ON waitlist_entries(participant_email);
CREATE INDEX waitlist_entries_requested_by ON waitlist_entries(requested_by);
CREATE INDEX waitlist_entries_offers ON waitlist_entries(status, offer_expires_at);
