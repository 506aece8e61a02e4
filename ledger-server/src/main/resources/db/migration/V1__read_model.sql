-- The read model: what the projector derives from the engine's outcome-event stream. Everything here
-- can be dropped and rebuilt from the journal (`fanz read-model rebuild`). Amounts and balances are
-- bigint minor units; 128-bit ids are uuid; unsigned 64-bit user data is stored as its signed bit
-- pattern (bigint); timestamps are the ledger's nanoseconds since the Unix epoch.

-- How far each projector has got: the last command whose outcomes are in this database, written in
-- the same transaction as those outcomes (exactly once across crashes).
create table projection_position (
    projector          varchar(64) primary key,
    command_number     bigint not null,
    queue_index        bigint not null,
    command_timestamp  bigint not null,
    updated_at         timestamp with time zone not null
);

create table accounts (
    id             uuid primary key,
    ledger         integer not null,
    code           integer not null,
    flags          integer not null,
    user_data_128  uuid not null,
    user_data_64   bigint not null,
    user_data_32   bigint not null,
    tenant         integer not null,
    timestamp      bigint not null,
    metadata       jsonb
);
create unique index accounts_timestamp on accounts (timestamp);
create index accounts_ledger_code on accounts (ledger, code, timestamp);
create index accounts_tenant on accounts (tenant, timestamp);

-- Every transfer as recorded (final amount), with its pending status kept current.
create table transfers (
    timestamp          bigint primary key,
    id                 uuid not null,
    debit_account_id   uuid not null,
    credit_account_id  uuid not null,
    amount             bigint not null,
    pending_id         uuid not null,
    user_data_128      uuid not null,
    user_data_64       bigint not null,
    user_data_32       bigint not null,
    timeout            bigint not null,
    ledger             integer not null,
    code               integer not null,
    flags              integer not null,
    pending_status     smallint not null,
    command_number     bigint not null,
    metadata           jsonb
);
create unique index transfers_id on transfers (id);
create index transfers_ledger_code on transfers (ledger, code, timestamp);
create index transfers_user_data_128 on transfers (user_data_128, timestamp);

-- One row per account per change of its balances: each transfer gives two (its debit and its credit
-- account), each expiry of a pending transfer two more. The balances are those right after the change,
-- so a statement is a range scan and any point-in-time balance is one index lookup.
--   kind: 1 debited by a transfer, 2 credited by a transfer, 3 pending debit released by expiry,
--         4 pending credit released by expiry
create table postings (
    account_id          uuid not null,
    timestamp           bigint not null,
    transfer_timestamp  bigint not null,
    kind                smallint not null,
    amount              bigint not null,
    debits_pending      bigint not null,
    debits_posted       bigint not null,
    credits_pending     bigint not null,
    credits_posted      bigint not null,
    primary key (account_id, timestamp, transfer_timestamp)
);
