-- The compliance service's schema: KYC/age verifications, tax forms, 18 U.S.C. 2257 performer records with
-- their version history, model releases, each creator's summary with the outbox of pushes to the ledger's
-- payee compliance, and the append-only, hash-chained audit log.

-- One KYC/age submission of a creator; at most one is pending or verified at a time (see the index below).
CREATE TABLE verifications (
    id uuid PRIMARY KEY,
    tenant varchar(32) NOT NULL,
    creator varchar(64) NOT NULL,
    provider varchar(64) NOT NULL,
    reference varchar(128) NOT NULL,
    date_of_birth date NOT NULL,
    legal_name varchar(200) NOT NULL,
    country char(2) NOT NULL,
    document_type varchar(16) NOT NULL,
    document_reference varchar(128) NOT NULL,
    status varchar(16) NOT NULL,
    age_status varchar(16) NOT NULL,
    reason varchar(500),
    reviewer varchar(128),
    reviewed_at timestamptz,
    created_at timestamptz NOT NULL,
    seq bigint GENERATED ALWAYS AS IDENTITY NOT NULL UNIQUE
);
CREATE INDEX verifications_creator ON verifications (tenant, creator, seq);

-- The tax form on file for a creator (the latest one received replaces the previous).
CREATE TABLE tax_forms (
    tenant varchar(32) NOT NULL,
    creator varchar(64) NOT NULL,
    form varchar(16) NOT NULL,
    reference varchar(128) NOT NULL,
    received_on date NOT NULL,
    recorded_by varchar(128) NOT NULL,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (tenant, creator)
);

-- A performer's 2257 record, as of its latest version; never deleted.
CREATE TABLE records_2257 (
    id uuid PRIMARY KEY,
    tenant varchar(32) NOT NULL,
    creator varchar(64) NOT NULL,
    is_creator_self boolean NOT NULL,
    version int NOT NULL,
    legal_name varchar(200) NOT NULL,
    stage_names jsonb NOT NULL,
    date_of_birth date NOT NULL,
    id_document_type varchar(16) NOT NULL,
    id_document_reference varchar(128) NOT NULL,
    id_examined_on date NOT NULL,
    created_by varchar(128) NOT NULL,
    created_at timestamptz NOT NULL,
    updated_by varchar(128) NOT NULL,
    updated_at timestamptz NOT NULL,
    seq bigint GENERATED ALWAYS AS IDENTITY NOT NULL UNIQUE
);
CREATE INDEX records_2257_creator ON records_2257 (tenant, creator, seq);

-- Every earlier version of a record, as it was before a correction replaced it.
CREATE TABLE record_versions (
    record_id uuid NOT NULL REFERENCES records_2257 (id),
    version int NOT NULL,
    legal_name varchar(200) NOT NULL,
    stage_names jsonb NOT NULL,
    date_of_birth date NOT NULL,
    id_document_type varchar(16) NOT NULL,
    id_document_reference varchar(128) NOT NULL,
    id_examined_on date NOT NULL,
    recorded_by varchar(128) NOT NULL,
    recorded_at timestamptz NOT NULL,
    replaced_by varchar(128) NOT NULL,
    replaced_at timestamptz NOT NULL,
    PRIMARY KEY (record_id, version)
);

-- A performer's signed release for one piece of content.
CREATE TABLE model_releases (
    id uuid PRIMARY KEY,
    tenant varchar(32) NOT NULL,
    creator varchar(64) NOT NULL,
    performer_record_id uuid NOT NULL REFERENCES records_2257 (id),
    content_ref varchar(80) NOT NULL,
    signed_on date NOT NULL,
    document_reference varchar(128) NOT NULL,
    created_by varchar(128) NOT NULL,
    created_at timestamptz NOT NULL,
    seq bigint GENERATED ALWAYS AS IDENTITY NOT NULL UNIQUE,
    CONSTRAINT model_releases_once UNIQUE (performer_record_id, content_ref)
);
CREATE INDEX model_releases_content ON model_releases (tenant, content_ref, seq);

-- A creator's compliance summary as last computed; version grows by one at every change of it.
CREATE TABLE creator_states (
    tenant varchar(32) NOT NULL,
    creator varchar(64) NOT NULL,
    version bigint NOT NULL,
    kyc varchar(16) NOT NULL,
    age varchar(16) NOT NULL,
    tax_form varchar(16) NOT NULL,
    records_2257 varchar(16) NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant, creator)
);

-- The outbox of the ledger's payee compliance: the latest state to push per creator and how its push went.
CREATE TABLE ledger_pushes (
    tenant varchar(32) NOT NULL,
    creator varchar(64) NOT NULL,
    version bigint NOT NULL,
    kyc varchar(16) NOT NULL,
    age varchar(16) NOT NULL,
    records_2257 varchar(16) NOT NULL,
    reference varchar(200) NOT NULL,
    status varchar(24) NOT NULL,
    attempts int NOT NULL,
    queued_at timestamptz NOT NULL,
    next_attempt_at timestamptz,
    last_attempt_at timestamptz,
    last_error varchar(500),
    synced_at timestamptz,
    synced_version bigint,
    PRIMARY KEY (tenant, creator)
);
CREATE INDEX ledger_pushes_due ON ledger_pushes (next_attempt_at);

-- The audit log: append-only, hash-chained (see AuditLog for the serialisation the hash covers).
CREATE TABLE audit_log (
    seq bigint PRIMARY KEY,
    at timestamptz NOT NULL,
    tenant varchar(32) NOT NULL,
    actor varchar(128) NOT NULL,
    action varchar(64) NOT NULL,
    subject varchar(200) NOT NULL,
    data jsonb NOT NULL,
    prev_hash char(64) NOT NULL,
    hash char(64) NOT NULL
);
CREATE INDEX audit_log_tenant ON audit_log (tenant, seq);

/* [jooq ignore start] */
-- At most one submission per creator is pending or verified; a new one needs the last to be rejected.
CREATE UNIQUE INDEX verifications_open ON verifications (tenant, creator) WHERE status IN ('pending', 'verified');
-- A creator has one record of their own.
CREATE UNIQUE INDEX records_2257_self ON records_2257 (tenant, creator) WHERE is_creator_self;

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
/* [jooq ignore stop] */
