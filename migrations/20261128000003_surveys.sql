-- Satisfaction questionnaires: one answer per registration, after the session.
CREATE TABLE survey_answers (
    registration_id BIGINT PRIMARY KEY REFERENCES registrations(id) ON DELETE CASCADE,
    rating_content BIGINT NOT NULL CHECK (rating_content BETWEEN 1 AND 5),
    rating_trainer BIGINT NOT NULL CHECK (rating_trainer BETWEEN 1 AND 5),
    rating_organisation BIGINT NOT NULL CHECK (rating_organisation BETWEEN 1 AND 5),
    rating_overall BIGINT NOT NULL CHECK (rating_overall BETWEEN 1 AND 5),
    comment TEXT NOT NULL,
    answered_at BIGINT NOT NULL
);
