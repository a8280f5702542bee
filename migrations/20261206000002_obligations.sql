-- Continuing-education duty of the regulated professions (issue 13): the rules as data,
-- the professions each person declares, and the activities he did outside the portal
-- with their proofs. Portable DDL (see 20261128000001_initial.sql): minutes are
-- integers, dates ISO text, instants unix seconds; the proofs' bytes are BYTEA, which
-- PostgreSQL knows and SQLite stores as a blob whatever the declared type.

-- One row per profession; the operator edits them (`server obligations set …`) without
-- a release. Durations in minutes; a NULL cap: that kind is not capped.
CREATE TABLE obligation_rules (
    profession TEXT PRIMARY KEY,
    label TEXT NOT NULL,
    -- To whom the yearly declaration goes.
    authority TEXT NOT NULL,
    period_years BIGINT NOT NULL CHECK (period_years BETWEEN 1 AND 10),
    period_minutes BIGINT NOT NULL CHECK (period_minutes >= 0),
    year_minutes BIGINT NOT NULL CHECK (year_minutes >= 0),
    cap_formation_minutes BIGINT CHECK (cap_formation_minutes >= 0),
    cap_conference_minutes BIGINT CHECK (cap_conference_minutes >= 0),
    cap_teaching_minutes BIGINT CHECK (cap_teaching_minutes >= 0),
    cap_publication_minutes BIGINT CHECK (cap_publication_minutes >= 0),
    cap_technical_minutes BIGINT CHECK (cap_technical_minutes >= 0),
    -- The declaration of year Y is due on this day of Y + 1.
    deadline_month BIGINT NOT NULL CHECK (deadline_month BETWEEN 1 AND 12),
    deadline_day BIGINT NOT NULL CHECK (deadline_day BETWEEN 1 AND 31),
    retention_years BIGINT NOT NULL CHECK (retention_years >= 0),
    note TEXT NOT NULL DEFAULT '',
    updated_at BIGINT NOT NULL DEFAULT 0
);

-- Values of December 2026. CAC: 120 h over three consecutive years, at least 20 h a
-- year, declared to the compagnie régionale by 31 March of the following year with the
-- proofs, kept six years. EC: the same 120 h / 3 years / 20 h. Caps over the period:
-- conferences and colloquia 40 h, designing or leading trainings 40 h, publications
-- 30 h, technical work 32 h (applied to the three professions here).
-- TO BE CHECKED: the auditeur de durabilité's values copy the CAC's until the texts
-- that govern the profession are read; the EC's deadline and the caps of the CAC and of
-- the auditeur de durabilité as well.
INSERT INTO obligation_rules (profession, label, authority, period_years, period_minutes, year_minutes,
    cap_formation_minutes, cap_conference_minutes, cap_teaching_minutes, cap_publication_minutes, cap_technical_minutes,
    deadline_month, deadline_day, retention_years, note, updated_at) VALUES
    ('cac', 'Commissaire aux comptes', 'votre compagnie régionale des commissaires aux comptes', 3, 7200, 1200,
     NULL, 2400, 2400, 1800, 1920, 3, 31, 6, '', 0),
    ('ec', 'Expert-comptable', 'votre conseil régional de l''Ordre des experts-comptables', 3, 7200, 1200,
     NULL, 2400, 2400, 1800, 1920, 3, 31, 6, 'Échéance de déclaration à vérifier.', 0),
    ('durabilite', 'Auditeur de durabilité', 'votre compagnie régionale des commissaires aux comptes', 3, 7200, 1200,
     NULL, 2400, 2400, 1800, 1920, 3, 31, 6, 'Valeurs reprises du CAC, à vérifier.', 0);

-- The regulated professions a person declares in "Mon compte" (several allowed). Until
-- he declares them (professions_declared_at NULL), the profession of his account form
-- counts when it is one of the rules'.
CREATE TABLE user_professions (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    profession TEXT NOT NULL REFERENCES obligation_rules(profession) ON DELETE CASCADE,
    declared_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, profession)
);
ALTER TABLE users ADD COLUMN professions_declared_at BIGINT;

-- Activities done outside the portal, declared by the person (those of the portal come
-- from registrations.minutes_attended). Only he adds or deletes them.
CREATE TABLE obligation_activities (
    id BIGINT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    organiser TEXT NOT NULL,
    done_on TEXT NOT NULL,
    minutes BIGINT NOT NULL CHECK (minutes > 0),
    -- The proof's safe file name and MIME type (told by its bytes), if one was given.
    proof_name TEXT,
    proof_type TEXT,
    proof_size BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX obligation_activities_user ON obligation_activities(user_id, done_on);

-- The proofs' bytes, apart, so that listing activities never reads them.
CREATE TABLE obligation_proofs (
    activity_id BIGINT PRIMARY KEY REFERENCES obligation_activities(id) ON DELETE CASCADE,
    content BYTEA NOT NULL
);
