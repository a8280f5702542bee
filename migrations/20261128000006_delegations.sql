-- Delegation of rights to another structure: company_id lets the habilitated people of
-- delegate_id register its participants (may_register) and/or read its orders
-- (may_see_orders), until revoked. Revoked rows stay, for the record.
CREATE TABLE delegations (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    delegate_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    may_register BIGINT NOT NULL,
    may_see_orders BIGINT NOT NULL,
    created_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_by BIGINT,
    revoked_at BIGINT
);
-- One active delegation per pair.
CREATE UNIQUE INDEX delegations_active ON delegations (company_id, delegate_id) WHERE revoked_at IS NULL;
CREATE INDEX delegations_delegate ON delegations (delegate_id);
