-- Payments state: merchant accounts, checkouts, revenue shares and the notification inbox.
-- Money is bigint minor units; JSON documents are text (read and written whole by the server).

CREATE TABLE merchant_accounts (
    seq            bigserial    NOT NULL UNIQUE,
    id             uuid         PRIMARY KEY,
    tenant         varchar(64)  NOT NULL,
    processor      varchar(32)  NOT NULL,
    name           varchar(200) NOT NULL,
    status         varchar(16)  NOT NULL,
    currencies     text         NOT NULL,
    fees           text         NOT NULL,
    settings       text         NOT NULL,
    ip_allow_list  text,
    payout         text,
    secrets        bytea        NOT NULL,
    secrets_meta   text         NOT NULL,
    created        timestamptz  NOT NULL,
    updated        timestamptz  NOT NULL
);
CREATE INDEX merchant_accounts_tenant ON merchant_accounts (tenant, processor, seq);

CREATE TABLE idempotency_keys (
    tenant         varchar(64)  NOT NULL,
    route          varchar(64)  NOT NULL,
    idempotency_key varchar(64) NOT NULL,
    request_sha256 varchar(64)  NOT NULL,
    object_id      uuid         NOT NULL,
    created        timestamptz  NOT NULL,
    PRIMARY KEY (tenant, route, idempotency_key)
);

CREATE TABLE checkouts (
    seq                 bigserial    NOT NULL UNIQUE,
    id                  uuid         PRIMARY KEY,
    tenant              varchar(64)  NOT NULL,
    merchant_account_id uuid         NOT NULL REFERENCES merchant_accounts (id),
    processor           varchar(32)  NOT NULL,
    creator             varchar(64)  NOT NULL,
    fan                 varchar(64),
    product             varchar(16)  NOT NULL,
    product_ref         varchar(200),
    amount              bigint       NOT NULL,
    currency            varchar(3)   NOT NULL,
    period_days         integer      NOT NULL,
    rebills             integer      NOT NULL,
    referrer            varchar(64),
    return_url          text,
    cancel_url          text,
    metadata            text,
    status              varchar(16)  NOT NULL,
    action              text         NOT NULL,
    pass_through_field  varchar(64)  NOT NULL,
    pass_through_value  varchar(200) NOT NULL,
    paid_event_id       uuid,
    expires_at          timestamptz  NOT NULL,
    created             timestamptz  NOT NULL
);
CREATE INDEX checkouts_open ON checkouts (expires_at) WHERE status = 'open';

CREATE TABLE revenue_shares (
    tenant        varchar(64)  NOT NULL,
    creator       varchar(64)  NOT NULL,   -- '' for the tenant's own values
    platform_bp   integer,
    referral_bp   integer,
    reserve_bp    integer,
    reserve_days  integer,
    updated       timestamptz  NOT NULL,
    PRIMARY KEY (tenant, creator)
);

CREATE TABLE payment_events (
    seq                       bigserial    NOT NULL UNIQUE,
    id                        uuid         PRIMARY KEY,
    merchant_account_id       uuid         NOT NULL REFERENCES merchant_accounts (id),
    processor                 varchar(32)  NOT NULL,
    tenant                    varchar(64)  NOT NULL,
    status                    varchar(16)  NOT NULL,
    status_reason             varchar(200),
    raw_method                varchar(8)   NOT NULL,
    raw_path                  text         NOT NULL,
    raw_query                 text         NOT NULL,
    raw_headers               text         NOT NULL,
    raw_body                  bytea        NOT NULL,
    peer                      varchar(64)  NOT NULL,
    received_at               timestamptz  NOT NULL,
    verified_with             varchar(16),
    kind                      varchar(32),
    processor_event_type      varchar(100),
    processor_transaction_id  varchar(200),
    processor_subscription_id varchar(200),
    parent_transaction_id     varchar(200),
    parent_event_id           uuid,
    dedupe_key                varchar(400),
    dedupe_claimed            boolean      NOT NULL DEFAULT false,
    charge_claimed            boolean      NOT NULL DEFAULT false,
    duplicate_of              uuid,
    creator                   varchar(64),
    fan                       varchar(64),
    checkout_id               uuid,
    product                   varchar(16),
    referrer                  varchar(64),
    gross                     bigint,
    fee                       bigint,
    currency                  varchar(3),
    platform_share_bp         integer,
    referral_bp               integer,
    reserve_bp                integer,
    reserve_days              integer,
    settlement_amount         varchar(64),
    settlement_currency       varchar(16),
    warnings                  text         NOT NULL DEFAULT '[]',
    occurred_at               timestamptz,
    plan                      text,
    transfer_ids              text         NOT NULL DEFAULT '[]',
    attempts                  integer      NOT NULL DEFAULT 0,
    next_attempt_at           timestamptz,
    history                   text         NOT NULL DEFAULT '[]',
    updated                   timestamptz  NOT NULL
);
-- One decided event per dedupe key and account; one posted (or parked) charge per transaction id.
-- Queries name the claim flags and the statuses below as literals (never bind parameters), so that
-- PostgreSQL's generic plans can use these partial indexes.
CREATE UNIQUE INDEX payment_events_dedupe ON payment_events (merchant_account_id, dedupe_key) WHERE dedupe_claimed;
CREATE UNIQUE INDEX payment_events_charge ON payment_events (merchant_account_id, processor_transaction_id) WHERE charge_claimed;
CREATE INDEX payment_events_transaction ON payment_events (merchant_account_id, processor_transaction_id);
CREATE INDEX payment_events_subscription ON payment_events (merchant_account_id, processor_subscription_id, seq);
CREATE INDEX payment_events_parent ON payment_events (parent_event_id);
CREATE INDEX payment_events_pending ON payment_events (status, next_attempt_at) WHERE status IN ('received', 'parked');
CREATE INDEX payment_events_tenant ON payment_events (tenant, seq);
CREATE INDEX payment_events_checkout ON payment_events (checkout_id);
