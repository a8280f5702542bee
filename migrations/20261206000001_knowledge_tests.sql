-- Knowledge tests ("tests de validation des acquis"): a provider attaches to a training
-- at most one test before and one after the session; its questions are multiple choice
-- (one or more right choices) or true/false. Participants answer a bounded number of
-- times; each attempt keeps its score and the choices ticked (for the corrections).
-- Portable DDL (see 20261128000001_initial.sql): BIGINT ids from the application,
-- unix-second instants, 0/1 flags.

CREATE TABLE knowledge_tests (
    id BIGINT PRIMARY KEY,
    training_id BIGINT NOT NULL REFERENCES trainings(id),
    moment TEXT NOT NULL CHECK (moment IN ('avant', 'apres')),
    title TEXT NOT NULL,
    -- Percentage of right answers needed to pass.
    pass_mark BIGINT NOT NULL CHECK (pass_mark BETWEEN 0 AND 100),
    max_attempts BIGINT NOT NULL CHECK (max_attempts BETWEEN 1 AND 5),
    -- Whether the completion certificate mentions the result.
    on_certificate BIGINT NOT NULL DEFAULT 0 CHECK (on_certificate IN (0, 1)),
    updated_at BIGINT NOT NULL,
    UNIQUE (training_id, moment)
);

CREATE TABLE knowledge_questions (
    id BIGINT PRIMARY KEY,
    test_id BIGINT NOT NULL REFERENCES knowledge_tests(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('qcm', 'vrai_faux')),
    text TEXT NOT NULL,
    UNIQUE (test_id, position)
);

CREATE TABLE knowledge_choices (
    id BIGINT PRIMARY KEY,
    question_id BIGINT NOT NULL REFERENCES knowledge_questions(id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    text TEXT NOT NULL,
    correct BIGINT NOT NULL CHECK (correct IN (0, 1)),
    UNIQUE (question_id, position)
);

-- One row per attempt; the unique number makes "count, then insert" safe against
-- concurrent submissions: two of them taking the same number cannot both be stored.
CREATE TABLE knowledge_attempts (
    id BIGINT PRIMARY KEY,
    registration_id BIGINT NOT NULL REFERENCES registrations(id) ON DELETE CASCADE,
    -- No cascade: a test that has been taken is never deleted.
    test_id BIGINT NOT NULL REFERENCES knowledge_tests(id),
    attempt_no BIGINT NOT NULL CHECK (attempt_no BETWEEN 1 AND 5),
    correct BIGINT NOT NULL,
    total BIGINT NOT NULL,
    passed BIGINT NOT NULL CHECK (passed IN (0, 1)),
    submitted_at BIGINT NOT NULL,
    UNIQUE (registration_id, test_id, attempt_no)
);

CREATE INDEX knowledge_attempts_test ON knowledge_attempts (test_id);

-- The choices ticked in an attempt.
CREATE TABLE knowledge_answers (
    attempt_id BIGINT NOT NULL REFERENCES knowledge_attempts(id) ON DELETE CASCADE,
    choice_id BIGINT NOT NULL REFERENCES knowledge_choices(id),
    PRIMARY KEY (attempt_id, choice_id)
);
