-- A password check in flight per email: until when another one is refused (a lease, so a crash mid-check
-- does not block the email for good). Failures are now counted when a check starts, not when it ends.
ALTER TABLE login_failures ADD COLUMN verifying_until timestamptz;

-- When a signing key starts signing: a new key is published first and signs only from then on, so every
-- service has fetched it by the time tokens name it. Keys made before are taken as active since they were made.
ALTER TABLE signing_keys ADD COLUMN activates timestamptz;
/* [jooq ignore start] */
UPDATE signing_keys SET activates = created;
/* [jooq ignore stop] */
ALTER TABLE signing_keys ALTER COLUMN activates SET NOT NULL;
