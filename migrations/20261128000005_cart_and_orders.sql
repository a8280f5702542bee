-- The cart: registrations "panier" hold their seat until held_until; a validated
-- order turns them "en attente" and records the entity invoiced.
ALTER TABLE registrations ADD COLUMN held_until BIGINT;
ALTER TABLE registrations ADD COLUMN order_id BIGINT;

CREATE TABLE orders (
    id BIGINT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    company_id BIGINT NOT NULL REFERENCES companies(id),
    billing_company_id BIGINT NOT NULL REFERENCES companies(id),
    billing_establishment_id BIGINT REFERENCES establishments(id),
    po_reference TEXT NOT NULL,
    total_cents BIGINT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX orders_company ON orders(company_id);
CREATE INDEX orders_billing ON orders(billing_company_id);

-- Gapless counters (order numbers per year): one row each, incremented in the
-- transaction that uses the number.
CREATE TABLE counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
