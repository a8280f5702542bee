-- Invoicing. What an invoice says is copied onto it when it is issued (seller, buyer,
-- lines, amounts): an issued invoice is never edited nor deleted. Invoices, down-payment
-- invoices and credit notes share one gapless sequence per provider and year
-- (counters 'invoice-<provider>-<year>').
ALTER TABLE providers ADD COLUMN address_line TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN vat_number TEXT;
ALTER TABLE providers ADD COLUMN activity_number TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN payment_days BIGINT NOT NULL DEFAULT 30;

CREATE TABLE invoices (
    id BIGINT PRIMARY KEY,
    provider_id BIGINT NOT NULL REFERENCES providers(id),
    number TEXT NOT NULL,
    year BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    -- 'facture', 'acompte' (down payment) or 'avoir' (credit note)
    kind TEXT NOT NULL,
    order_id BIGINT NOT NULL REFERENCES orders(id),
    session_id BIGINT NOT NULL REFERENCES training_sessions(id),
    company_id BIGINT NOT NULL REFERENCES companies(id),
    billing_company_id BIGINT NOT NULL REFERENCES companies(id),
    seller TEXT NOT NULL,
    buyer TEXT NOT NULL,
    po_reference TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    issue_date TEXT NOT NULL,
    service_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    total_ht_cents BIGINT NOT NULL,
    vat_rate_bp BIGINT NOT NULL,
    vat_cents BIGINT NOT NULL,
    total_ttc_cents BIGINT NOT NULL,
    deducted_cents BIGINT NOT NULL,
    amount_due_cents BIGINT NOT NULL,
    vat_mention TEXT NOT NULL,
    credited_invoice_id BIGINT REFERENCES invoices(id),
    UNIQUE (provider_id, year, seq),
    UNIQUE (provider_id, number)
);
CREATE INDEX invoices_company ON invoices(company_id);
CREATE INDEX invoices_billing ON invoices(billing_company_id);
CREATE INDEX invoices_order ON invoices(order_id, session_id);

CREATE TABLE invoice_lines (
    invoice_id BIGINT NOT NULL REFERENCES invoices(id),
    position BIGINT NOT NULL,
    label TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    unit_cents BIGINT NOT NULL,
    total_cents BIGINT NOT NULL,
    registration_id BIGINT REFERENCES registrations(id),
    PRIMARY KEY (invoice_id, position)
);

CREATE TABLE payments (
    id BIGINT PRIMARY KEY,
    invoice_id BIGINT NOT NULL REFERENCES invoices(id),
    amount_cents BIGINT NOT NULL,
    paid_on TEXT NOT NULL,
    method TEXT NOT NULL,
    recorded_by BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX payments_invoice ON payments(invoice_id);
