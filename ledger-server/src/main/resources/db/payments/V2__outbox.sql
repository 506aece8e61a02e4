-- Events out (PAYMENTS-API §9): the outbox of CloudEvents, in two steps so that sequences become visible in order.
--
-- A plain bigserial on the outbox would break the consumers' promise: transactions take numbers when they insert
-- but commit in any order, so a reader that has seen 12 could later find 11 appear, and skip it for ever. So:
-- 1. writers insert into outbox_pending inside their own business transaction, with no sequence (cheap, no
--    shared row, writers never wait for each other);
-- 2. a sequencer moves committed pending rows into outbox_events in one transaction per batch, numbering them
--    from outbox_counter, whose row it locks first. The lock is held until that transaction commits, so batches
--    commit in the order of their numbers: whoever sees sequence N sees everything below it. Two sequencers
--    (two server processes on one schema) simply take turns.

CREATE TABLE outbox_pending (
    pending_no   bigserial    PRIMARY KEY,
    id           uuid         NOT NULL,
    tenant       varchar(64)  NOT NULL,
    event_type   varchar(64)  NOT NULL,
    subject      varchar(200) NOT NULL,
    occurred     timestamptz  NOT NULL,
    payload      text         NOT NULL
);

CREATE TABLE outbox_events (
    seq          bigint       PRIMARY KEY,
    id           uuid         NOT NULL UNIQUE,
    tenant       varchar(64)  NOT NULL,
    event_type   varchar(64)  NOT NULL,
    subject      varchar(200) NOT NULL,
    occurred     timestamptz  NOT NULL,
    payload      text         NOT NULL
);
CREATE INDEX outbox_events_tenant ON outbox_events (tenant, seq);
CREATE INDEX outbox_events_occurred ON outbox_events (occurred);

-- The last sequence handed out; one row.
CREATE TABLE outbox_counter (
    id           integer      PRIMARY KEY,
    last_seq     bigint       NOT NULL
);
INSERT INTO outbox_counter (id, last_seq) VALUES (1, 0);

-- How far each NATS JetStream stream has been fed (by stream name), so that a restart resumes there.
CREATE TABLE outbox_publications (
    stream_name  varchar(64)  PRIMARY KEY,
    last_seq     bigint       NOT NULL
);
