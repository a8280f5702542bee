-- Key contacts ("Habilitation des interlocuteurs clés") are people of the company's
-- directory: collaborator_id names the person (his name and address are read from the
-- directory). A contact typed by hand before keeps its name, address and phone, shown
-- until an administrator chooses somebody of the directory; one whose address is in
-- the directory becomes that person. Removing the person from the directory removes
-- him as a contact.
ALTER TABLE key_contacts ADD COLUMN collaborator_id BIGINT REFERENCES collaborators(id) ON DELETE CASCADE;
UPDATE key_contacts SET collaborator_id = (
    SELECT c.id FROM collaborators c WHERE c.company_id = key_contacts.company_id AND LOWER(c.email) = LOWER(key_contacts.email)
);

-- The answer "salarié / dirigeant / indépendant ou entreprise" of whoever declared the
-- structure ('salarie', 'dirigeant', 'independant'); NULL for spaces created before.
ALTER TABLE companies ADD COLUMN registrant_kind TEXT;

-- A removed establishment that an order (cancelled) still names stays, marked removed:
-- it is no longer offered nor listed, the old order keeps its billing entity.
ALTER TABLE establishments ADD COLUMN removed_at BIGINT;
