-- "Autorisation des tiers": which other companies may choose this one as the entity
-- invoiced for their orders. 'none' (default), 'all' ("Tous"), or 'listed'
-- ("Uniquement les tiers suivants").
ALTER TABLE companies ADD COLUMN third_party_mode TEXT NOT NULL DEFAULT 'none';

CREATE TABLE third_party_allowed (
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    allowed_company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, allowed_company_id)
);
