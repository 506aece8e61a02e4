-- The identity service's schema: brands (tenants), people (one account per email across the network) and
-- their memberships per brand, the token signing keys (private parts sealed with AES-256-GCM), the platform
-- services' keys (SHA-256 only) and failed sign-in attempts (durable, so a restart does not reset a lockout).

CREATE TABLE tenants (
    slug        varchar(32)  NOT NULL PRIMARY KEY,
    name        varchar(100) NOT NULL,
    created     timestamptz  NOT NULL
);

CREATE TABLE users (
    id             uuid         NOT NULL PRIMARY KEY,
    -- lower case; unique across the network
    email          varchar(254) NOT NULL,
    display_name   varchar(100) NOT NULL,
    -- PHC string: $argon2id$v=19$m=…,t=…,p=…$<salt>$<hash>
    password_hash  varchar(512) NOT NULL,
    platform_admin boolean      NOT NULL DEFAULT false,
    created        timestamptz  NOT NULL,
    CONSTRAINT users_email_unique UNIQUE (email)
);

-- A person's roles on one brand; at least one role.
CREATE TABLE memberships (
    user_id  uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tenant   varchar(32) NOT NULL REFERENCES tenants (slug),
    fan      boolean     NOT NULL DEFAULT false,
    creator  boolean     NOT NULL DEFAULT false,
    staff    boolean     NOT NULL DEFAULT false,
    admin    boolean     NOT NULL DEFAULT false,
    created  timestamptz NOT NULL,
    updated  timestamptz NOT NULL,
    PRIMARY KEY (user_id, tenant),
    CONSTRAINT memberships_some_role CHECK (fan OR creator OR staff OR admin)
);

CREATE INDEX memberships_tenant ON memberships (tenant, user_id);

-- Failed password sign-ins by (lower-case) email, known account or not, so unknown emails answer alike.
CREATE TABLE login_failures (
    email         varchar(254) NOT NULL PRIMARY KEY,
    failures      integer      NOT NULL,
    window_start  timestamptz  NOT NULL,
    locked_until  timestamptz
);

-- RSA signing keys: kid is the RFC 7638 thumbprint; the private key (PKCS#8) is sealed as nonce ‖ ciphertext.
CREATE TABLE signing_keys (
    kid                varchar(64) NOT NULL PRIMARY KEY,
    public_jwk         text        NOT NULL,
    sealed_private_key bytea       NOT NULL,
    created            timestamptz NOT NULL,
    retired            timestamptz
);

/* [jooq ignore start] */
-- one active key at a time
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys ((true)) WHERE retired IS NULL;
/* [jooq ignore stop] */

-- Keys of the platform services (client_credentials): hex SHA-256 of the secret only.
CREATE TABLE service_keys (
    id       uuid         NOT NULL PRIMARY KEY,
    service  varchar(32)  NOT NULL,
    hash     char(64)     NOT NULL,
    -- space-separated
    scopes   varchar(2048) NOT NULL,
    -- 'api' (made by POST /v1/service-keys) or 'environment' (FANZ_SERVICE_KEY_<NAME> at start)
    source   varchar(16)  NOT NULL,
    created  timestamptz  NOT NULL,
    revoked  timestamptz
);

CREATE INDEX service_keys_hash ON service_keys (hash);
