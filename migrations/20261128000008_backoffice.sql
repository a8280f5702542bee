-- Provider back-office: a session confirmed ("maintenue") by its provider, attendance
-- per participant and half day, and the time attended once the session is closed.
ALTER TABLE training_sessions ADD COLUMN confirmed_at BIGINT;
ALTER TABLE registrations ADD COLUMN minutes_attended BIGINT;

CREATE TABLE attendance (
    registration_id BIGINT NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    half_day BIGINT NOT NULL,
    present BIGINT NOT NULL,
    recorded_by BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (registration_id, half_day)
);
