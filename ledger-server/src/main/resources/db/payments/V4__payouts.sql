-- Issue #15: payees, payouts, batches and their files, returns and notifications of change.

-- A creator's payout profile, one per tenant and creator. rail_details is the rail's JSON sealed with the
-- server's secrets key (Base64; the API shows account numbers masked); compliance is set by the compliance service.
CREATE TABLE payees (
    seq                   bigserial    NOT NULL UNIQUE,
    id                    uuid         PRIMARY KEY,
    tenant                varchar(64)  NOT NULL,
    creator               varchar(64)  NOT NULL,
    name                  varchar(200) NOT NULL,
    email                 varchar(254),
    country               varchar(2)   NOT NULL,
    currency              varchar(10)  NOT NULL,
    rail                  varchar(16)  NOT NULL,
    rail_details          text         NOT NULL,
    schedule              varchar(16)  NOT NULL,
    threshold             bigint,
    kyc                   varchar(16)  NOT NULL,
    age                   varchar(16)  NOT NULL,
    records_2257          varchar(16)  NOT NULL,
    compliance_reference  varchar(200),
    compliance_updated    timestamptz,
    changes               text         NOT NULL DEFAULT '[]',
    details_changed       timestamptz,
    created               timestamptz  NOT NULL,
    updated               timestamptz  NOT NULL,
    UNIQUE (tenant, creator)
);

-- A payout and its lifecycle. A ledger step is recorded as an intent first (pending_status and what it needs)
-- and as done after the ledger answered, so a crash between the two is finished by the sweep with the same
-- deterministic transfer ids: the ledger applies each step once.
CREATE TABLE payouts (
    seq                  bigserial    NOT NULL UNIQUE,
    id                   uuid         PRIMARY KEY,
    tenant               varchar(64)  NOT NULL,
    creator              varchar(64)  NOT NULL,
    payee_id             uuid         NOT NULL REFERENCES payees (id),
    rail                 varchar(16)  NOT NULL,
    merchant_account_id  uuid         NOT NULL REFERENCES merchant_accounts (id),
    amount               bigint       NOT NULL,
    fee                  bigint       NOT NULL,
    fee_paid_by          varchar(16)  NOT NULL,
    currency             varchar(10)  NOT NULL,
    ledger               integer      NOT NULL,
    status               varchar(16)  NOT NULL,
    status_reason        varchar(400),
    pending_status       varchar(16),
    pending_reason       varchar(400),
    pending_code         varchar(16),
    batch_id             uuid,
    rail_reference       varchar(64),
    destination          text,
    effective_date       date,
    settled_at           timestamptz,
    transfer_ids         text         NOT NULL DEFAULT '[]',
    history              text         NOT NULL DEFAULT '[]',
    schedule_key         varchar(120),
    created              timestamptz  NOT NULL,
    updated              timestamptz  NOT NULL
);
CREATE INDEX payouts_tenant ON payouts (tenant, seq);
CREATE INDEX payouts_payee ON payouts (payee_id, seq);
CREATE INDEX payouts_account_status ON payouts (merchant_account_id, status, seq);
CREATE INDEX payouts_batch ON payouts (batch_id);
CREATE INDEX payouts_unfinished ON payouts (updated) WHERE pending_status IS NOT NULL OR status = 'requested';
-- ACH trace numbers come round again after 10 million payouts of one ODFI: not unique over all time.
CREATE INDEX payouts_rail_reference ON payouts (merchant_account_id, rail_reference) WHERE rail_reference IS NOT NULL;
CREATE INDEX payouts_submitted ON payouts (effective_date) WHERE status = 'submitted';
CREATE UNIQUE INDEX payouts_schedule_key ON payouts (payee_id, schedule_key) WHERE schedule_key IS NOT NULL;

-- A batch of file-rail payouts and the file made for it (content-addressed in payout_files).
CREATE TABLE payout_batches (
    seq                  bigserial    NOT NULL UNIQUE,
    id                   uuid         PRIMARY KEY,
    tenant               varchar(64)  NOT NULL,
    rail                 varchar(16)  NOT NULL,
    merchant_account_id  uuid         NOT NULL REFERENCES merchant_accounts (id),
    status               varchar(16)  NOT NULL,
    payout_ids           text         NOT NULL,
    count                integer      NOT NULL,
    total                bigint       NOT NULL,
    currency             varchar(10)  NOT NULL,
    effective_date       date         NOT NULL,
    file_sha256          varchar(64)  NOT NULL,
    file_content_type    varchar(64)  NOT NULL,
    file_format          varchar(32)  NOT NULL,
    file_key             varchar(64)  NOT NULL,
    history              text         NOT NULL DEFAULT '[]',
    created              timestamptz  NOT NULL,
    updated              timestamptz  NOT NULL
);
CREATE INDEX payout_batches_tenant ON payout_batches (tenant, seq);
CREATE INDEX payout_batches_account ON payout_batches (merchant_account_id, created);
CREATE INDEX payout_batches_file_key ON payout_batches (file_key, created);

-- content is sealed with the server's secrets key (a file holds whole account numbers); sha256 is of the file.
CREATE TABLE payout_files (
    sha256        varchar(64)  PRIMARY KEY,
    content       bytea        NOT NULL,
    content_type  varchar(64)  NOT NULL,
    created       timestamptz  NOT NULL
);

-- The next ACH trace sequence of each ODFI (the 7 digits after its 8-digit id), shared by every rail account
-- that sends through it, so that no two payouts it sees carry the same trace.
CREATE TABLE payout_trace_sequences (
    trace_prefix   varchar(8)  PRIMARY KEY,
    next_sequence  bigint      NOT NULL
);

-- Each return and notification of change applied, so that a file read twice applies nothing twice.
CREATE TABLE payout_return_entries (
    merchant_account_id  uuid         NOT NULL,
    original_trace       varchar(15)  NOT NULL,
    kind                 varchar(8)   NOT NULL,
    code                 varchar(3)   NOT NULL,
    corrected_sha256     varchar(64)  NOT NULL DEFAULT '',
    payout_id            uuid,
    applied_at           timestamptz  NOT NULL,
    PRIMARY KEY (merchant_account_id, original_trace, kind, code, corrected_sha256)
);
