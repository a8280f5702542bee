-- "Demander les droits": a person refused a right on a company asks its administrators,
-- who grant the role in one click from the mail's link. One request per person and
-- company at a time; the count per person bounds the mails.
CREATE TABLE rights_requests (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    granted_at BIGINT,
    granted_by BIGINT REFERENCES users(id)
);
CREATE INDEX rights_requests_user ON rights_requests(user_id, created_at);

-- The provider's actions (staff, settings, sessions, attendance, invoices, payments),
-- like the company's audit log.
CREATE TABLE provider_audit_log (
    id BIGINT PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    actor_user_id BIGINT NOT NULL REFERENCES users(id),
    action TEXT NOT NULL,
    detail_json TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX provider_audit_log_provider ON provider_audit_log(provider_id, created_at);
