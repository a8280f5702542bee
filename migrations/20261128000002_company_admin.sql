-- MON ENTREPRISE: establishments with their own SIRET and billing address.
CREATE TABLE establishments (
    id BIGINT PRIMARY KEY,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    siret TEXT NOT NULL UNIQUE,
    address_line TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    billing_email TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX establishments_company ON establishments(company_id);

-- Bumped by every change of a company's rights or identity: its row lock serialises
-- concurrent changes (no company can lose its last administrator to a race).
ALTER TABLE companies ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
