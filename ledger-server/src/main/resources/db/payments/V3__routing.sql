-- Issue #14: checkout routing, chargeback monitoring, crypto assets.

-- Currency codes of the chart's registry are 2-10 characters (USDC, USDT), not only ISO 4217's three.
ALTER TABLE checkouts ALTER COLUMN currency TYPE varchar(10);
ALTER TABLE payment_events ALTER COLUMN currency TYPE varchar(10);

-- A checkout remembers how its merchant account was chosen, the fan's country, and which checkout it retries.
ALTER TABLE checkouts ADD COLUMN country varchar(2);
ALTER TABLE checkouts ADD COLUMN routing text;
ALTER TABLE checkouts ADD COLUMN fallback_of uuid;
ALTER TABLE checkouts ADD COLUMN method varchar(8);
-- The processor's own id of what the fan pays (an invoice the server created), for notifications that do not
-- carry the pass-through field.
ALTER TABLE checkouts ADD COLUMN processor_reference varchar(200);
CREATE INDEX checkouts_processor_reference ON checkouts (merchant_account_id, processor_reference)
    WHERE processor_reference IS NOT NULL;
-- Declined attempts of an open checkout (failure notifications naming it), so that a platform can fall back.
ALTER TABLE checkouts ADD COLUMN declines integer NOT NULL DEFAULT 0;
ALTER TABLE checkouts ADD COLUMN last_declined_event_id uuid;

-- The card network of a card payment (a reversal takes its sale's), and for a payment settled in another
-- asset than its price (crypto) the rate the notification implies: settlement units per unit of the price.
ALTER TABLE payment_events ADD COLUMN card_network varchar(16);
ALTER TABLE payment_events ADD COLUMN conversion_rate varchar(64);
CREATE INDEX payment_events_account_kind ON payment_events (merchant_account_id, kind, received_at);

-- Routing drains an account (no new checkouts) when its chargebacks pass a threshold, or an admin does.
ALTER TABLE merchant_accounts ADD COLUMN chargeback_thresholds text;
ALTER TABLE merchant_accounts ADD COLUMN drained_at timestamptz;
ALTER TABLE merchant_accounts ADD COLUMN drained_reason varchar(400);

-- A tenant's routing table: an ordered list of routes (JSON, read and written whole) and its health settings.
CREATE TABLE routing_tables (
    tenant     varchar(64)  PRIMARY KEY,
    document   text         NOT NULL,
    updated    timestamptz  NOT NULL
);
