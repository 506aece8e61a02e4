-- Issue #19: the audit log of actions (every authenticated POST, PUT, PATCH and DELETE under /v1 but the ledger's own
-- bulk writes, which the journal holds), and the indexes the console's overview reads through.

-- Append-only: the server inserts rows and never updates or deletes one. Each row's hash is the hex SHA-256 of the
-- previous row's hash and the row's canonical text (see AuditLog.canonical), so a row changed, inserted or removed
-- in SQL breaks the chain from that row on. Ids are consecutive from 1, handed out under the head row's lock.
CREATE TABLE audit_log (
    id             bigint        PRIMARY KEY,
    at             timestamptz   NOT NULL,
    actor          varchar(160)  NOT NULL,
    actor_name     varchar(320)  NOT NULL,
    actor_kind     varchar(16)   NOT NULL,
    tenant         varchar(64),
    method         varchar(8)    NOT NULL,
    path           text          NOT NULL,
    target         text,
    status         integer       NOT NULL,
    problem        varchar(64),
    request_id     varchar(128)  NOT NULL,
    note           varchar(500),
    hash           varchar(64)   NOT NULL,
    previous_hash  varchar(64)   NOT NULL
);
CREATE INDEX audit_log_tenant ON audit_log (tenant, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_at ON audit_log (at);

-- The chain's head, one row: the last id and hash. Every insert locks it first, so inserts are serialised and the
-- chain stays linear whatever runs at once (two servers on one schema included); it also shows rows cut off the end.
CREATE TABLE audit_log_head (
    id         integer      PRIMARY KEY,
    last_id    bigint       NOT NULL,
    last_hash  varchar(64)  NOT NULL
);
INSERT INTO audit_log_head (id, last_id, last_hash)
    VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The overview's reads (GET /v1/overview). Its queries name these statuses and kinds as literals, never bind
-- parameters, so that PostgreSQL's generic plans can use the partial indexes.
-- A day's posted events (volume, fees):
CREATE INDEX payment_events_posted_received ON payment_events (received_at) WHERE status = 'posted';
-- Webhooks that need a look (the last 7 days):
CREATE INDEX payment_events_attention ON payment_events (received_at) WHERE status IN ('rejected', 'parked', 'failed');
-- Accounts with chargebacks in the monitoring window (the overview and the chargeback monitor):
CREATE INDEX payment_events_chargebacks ON payment_events (received_at, merchant_account_id) WHERE kind = 'chargeback';
-- Payouts due (held), and those whose rail cannot say where they are:
CREATE INDEX payouts_held ON payouts (tenant, currency) WHERE status = 'held';
CREATE INDEX payouts_rail_unknown ON payouts (tenant) WHERE rail_status = 'unknown';
-- Adjustments waiting for a person, and recent balance discrepancies:
CREATE INDEX reconciliation_adjustments_proposed ON reconciliation_adjustments (tenant) WHERE status = 'proposed';
CREATE INDEX balance_checks_discrepancy ON balance_checks (as_of) WHERE status = 'discrepancy';
