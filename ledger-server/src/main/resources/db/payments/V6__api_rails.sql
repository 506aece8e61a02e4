-- Issue #16: payouts through API rails (Paxum, Wise, ERC-20 tokens, bitcoin).

-- What the rail's driver keeps about a payout between calls (ids sent, a signed transaction; never a secret), written
-- before any request that may move money; the payee's destination as it was when the payout was first handed to
-- the rail (sealed with the server's secrets key); where the rail said the payout stands, and when to ask again.
-- rail_reference grows to hold a transaction hash (0x and 64 hex digits).
ALTER TABLE payouts ALTER COLUMN rail_reference TYPE varchar(128);
ALTER TABLE payouts
    ADD COLUMN rail_state        text,
    ADD COLUMN rail_destination  text,
    ADD COLUMN rail_status       varchar(16),
    ADD COLUMN rail_note         varchar(400),
    ADD COLUMN rail_calls        integer      NOT NULL DEFAULT 0,
    ADD COLUMN rail_next_check   timestamptz;
CREATE INDEX payouts_rail_due ON payouts (rail_next_check)
    WHERE rail_next_check IS NOT NULL AND rail IN ('paxum', 'wise', 'usdc_evm', 'btc');
CREATE INDEX payouts_rail_new ON payouts (seq)
    WHERE rail_next_check IS NULL AND status = 'held' AND rail IN ('paxum', 'wise', 'usdc_evm', 'btc');
-- An API rail's reference (a Paxum transaction, a Wise transfer, a transaction hash) names one payout of its account.
CREATE UNIQUE INDEX payouts_api_rail_reference ON payouts (merchant_account_id, rail_reference)
    WHERE rail_reference IS NOT NULL AND rail IN ('paxum', 'wise', 'usdc_evm', 'btc');

-- What a rail remembered about a payee at one rail account for one destination (a Wise recipient made once and
-- reused while the payee's details stay the same; the SHA-256 of the details' canonical JSON).
CREATE TABLE rail_payee_memos (
    payee_id             uuid         NOT NULL REFERENCES payees (id),
    merchant_account_id  uuid         NOT NULL REFERENCES merchant_accounts (id),
    destination_sha256   varchar(64)  NOT NULL,
    memo                 text         NOT NULL,
    updated              timestamptz  NOT NULL,
    PRIMARY KEY (payee_id, merchant_account_id, destination_sha256)
);

-- The nonces of EVM hot wallets: the next one per wallet (eip155:<chain>:<address>, however many rail accounts use
-- it), and the one each payout was given, so that two payouts never share a nonce, a restart never reuses one, and a
-- payout that asks again (after a crash before its signed transaction was saved) gets its own back.
CREATE TABLE rail_nonces (
    wallet               varchar(120) PRIMARY KEY,
    next_nonce           bigint       NOT NULL,
    updated              timestamptz  NOT NULL
);
CREATE TABLE rail_nonce_reservations (
    wallet               varchar(120) NOT NULL,
    payout_id            uuid         NOT NULL,
    nonce                bigint       NOT NULL,
    reserved             timestamptz  NOT NULL,
    PRIMARY KEY (wallet, payout_id),
    UNIQUE (wallet, nonce)
);

-- Notifications from rails that call back (Wise), deduplicated by the rail's delivery id and the body's SHA-256 (the
-- delivery id is not signed). status: received (to apply; retried), applied, recorded, parked (no payout has the
-- transfer yet; retried, expired after FANZ_PAYMENTS_PARKED_DAYS), ignored, expired.
CREATE TABLE rail_notifications (
    seq                  bigserial    NOT NULL UNIQUE,
    id                   uuid         PRIMARY KEY,
    merchant_account_id  uuid         NOT NULL REFERENCES merchant_accounts (id),
    delivery_id          varchar(200) NOT NULL,
    event_type           varchar(64),
    resource_id          varchar(64),
    state                varchar(64),
    occurred_at          timestamptz,
    status               varchar(16)  NOT NULL,
    status_reason        varchar(400),
    payout_id            uuid,
    body                 text         NOT NULL,
    received             timestamptz  NOT NULL,
    updated              timestamptz  NOT NULL,
    UNIQUE (merchant_account_id, delivery_id)
);
CREATE INDEX rail_notifications_parked ON rail_notifications (merchant_account_id, resource_id) WHERE status = 'parked';
CREATE INDEX rail_notifications_open ON rail_notifications (received) WHERE status IN ('received', 'parked');
