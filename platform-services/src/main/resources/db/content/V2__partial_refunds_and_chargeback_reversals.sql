-- Partial refunds and chargeback reversals: what each applied payment event was worth (its gross, in minor
-- units) and which charge it reverses, and the purchase status partially_refunded (refunded less than it paid:
-- its entitlements stay).

ALTER TABLE purchase_events ADD COLUMN amount bigint;
ALTER TABLE purchase_events ADD COLUMN parent_event_id uuid;
ALTER TABLE purchases ALTER COLUMN status TYPE varchar(24);

/* [jooq ignore start] */
ALTER TABLE purchases DROP CONSTRAINT purchases_status_check;
ALTER TABLE purchases ADD CONSTRAINT purchases_status_check CHECK (status IN ('opening', 'pending', 'paid',
    'partially_refunded', 'refunded', 'charged_back', 'voided', 'expired'));
/* [jooq ignore stop] */
