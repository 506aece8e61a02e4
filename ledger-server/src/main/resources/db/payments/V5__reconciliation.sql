-- Reconciliation (PAYMENTS-API §7): a statement matched against the ledger side of one merchant account, its
-- result entries, the adjusting entries it proposes, the settlements processors reported, and balance checks.

CREATE TABLE reconciliations (
    seq                  bigserial    NOT NULL UNIQUE,
    id                   uuid         PRIMARY KEY,
    tenant               varchar(64)  NOT NULL,
    merchant_account_id  uuid         NOT NULL REFERENCES merchant_accounts (id),
    format               varchar(32)  NOT NULL,
    status               varchar(16)  NOT NULL,
    parameters           text         NOT NULL,
    statement            text         NOT NULL,
    summary              text         NOT NULL,
    totals               text         NOT NULL,
    created_by           varchar(64)  NOT NULL,
    created              timestamptz  NOT NULL
);
CREATE INDEX reconciliations_tenant ON reconciliations (tenant, seq);
CREATE INDEX reconciliations_account ON reconciliations (merchant_account_id, seq);

-- A result section (matched, differing, unmatched_ledger, unmatched_statement) in chunks: a JSON array of up to
-- 500 entries per row, from its first entry's position (1-based) on — a million entries are 2000 rows, not a million.
CREATE TABLE reconciliation_entries (
    reconciliation_id  uuid         NOT NULL REFERENCES reconciliations (id),
    section            varchar(24)  NOT NULL,
    position           integer      NOT NULL,
    count              integer      NOT NULL,
    entries            text         NOT NULL,
    PRIMARY KEY (reconciliation_id, section, position)
);

-- Proposed adjusting entries; status proposed → posted | rejected. Posting derives every transfer id from the
-- adjustment id, so approving again (after a crash, or twice at once) meets the transfers already made.
CREATE TABLE reconciliation_adjustments (
    id                 uuid         PRIMARY KEY,
    reconciliation_id  uuid         NOT NULL REFERENCES reconciliations (id),
    position           integer      NOT NULL,
    tenant             varchar(64)  NOT NULL,
    reason             varchar(32)  NOT NULL,
    ledger             integer      NOT NULL,
    currency           varchar(16)  NOT NULL,
    amount             bigint       NOT NULL,
    postings           text         NOT NULL,
    source             text         NOT NULL,
    status             varchar(16)  NOT NULL,
    transfer_ids       text         NOT NULL,
    decided_by         varchar(64),
    decided_at         timestamptz,
    UNIQUE (reconciliation_id, position)
);

-- The facts adjustments settle (a settlement, a payout's debit or return, an event's fee difference, a fee line),
-- one adjustment per fact and account: a later reconciliation does not propose them again. Rejecting an adjustment
-- releases its facts.
CREATE TABLE reconciliation_facts (
    merchant_account_id  uuid          NOT NULL REFERENCES merchant_accounts (id),
    fact                 varchar(200)  NOT NULL,
    adjustment_id        uuid          NOT NULL REFERENCES reconciliation_adjustments (id),
    PRIMARY KEY (merchant_account_id, fact)
);
CREATE INDEX reconciliation_facts_adjustment ON reconciliation_facts (adjustment_id);

-- Settlements (payouts to our bank) that a processor's report announced, matched later against bank statements.
CREATE TABLE reported_settlements (
    merchant_account_id  uuid         NOT NULL REFERENCES merchant_accounts (id),
    reference            varchar(400) NOT NULL,
    amount               bigint       NOT NULL,
    currency             varchar(16)  NOT NULL,
    value_date           date         NOT NULL,
    reconciliation_id    uuid         NOT NULL REFERENCES reconciliations (id),
    line                 bigint       NOT NULL,
    PRIMARY KEY (merchant_account_id, reference, currency)
);
CREATE INDEX reported_settlements_date ON reported_settlements (merchant_account_id, value_date);

-- Balance checks: a balance someone else reports (a processor, a bank) against the ledger's at the end of a day.
CREATE TABLE balance_checks (
    seq                  bigserial    NOT NULL UNIQUE,
    id                   uuid         PRIMARY KEY,
    tenant               varchar(64)  NOT NULL,
    merchant_account_id  uuid         NOT NULL REFERENCES merchant_accounts (id),
    kind                 varchar(32)  NOT NULL,
    currency             varchar(16)  NOT NULL,
    as_of                date         NOT NULL,
    reported             bigint,
    ledger               bigint       NOT NULL,
    difference           bigint       NOT NULL,
    status               varchar(16)  NOT NULL,
    source               varchar(64)  NOT NULL,
    details              text         NOT NULL,
    created              timestamptz  NOT NULL
);
CREATE INDEX balance_checks_account ON balance_checks (merchant_account_id, seq);
CREATE INDEX balance_checks_tenant ON balance_checks (tenant, seq);
CREATE UNIQUE INDEX balance_checks_daily ON balance_checks (merchant_account_id, kind, currency, as_of, source);

-- Payouts a bank statement showed leaving the bank (matched in a rail account's reconciliation): the daily check
-- flags payouts settled in the ledger that no statement has shown after FANZ_RECON_IN_TRANSIT_DAYS.
CREATE TABLE reconciled_payouts (
    payout_id          uuid         PRIMARY KEY,
    reconciliation_id  uuid         NOT NULL REFERENCES reconciliations (id),
    matched_at         timestamptz  NOT NULL
);

-- A processor account's events by date, for a reconciliation's ledger side (statements cover days, accounts years).
CREATE INDEX payment_events_account_occurred ON payment_events (merchant_account_id, occurred_at);
