-- Who did something is an API key's id (key_…, 16 characters) or a person signed in with the identity service
-- (sso:<subject>, up to 132 characters): the columns that name them take either.
ALTER TABLE reconciliations ALTER COLUMN created_by TYPE varchar(160);
ALTER TABLE reconciliation_adjustments ALTER COLUMN decided_by TYPE varchar(160);
