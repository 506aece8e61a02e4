package com.fanzfinance.platform.identity;

import static com.fanzfinance.platform.identity.schema.Tables.SERVICE_KEYS;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.platform.PlatformSettings;
import com.fanzfinance.platform.common.Hashes;
import com.fanzfinance.platform.identity.schema.tables.records.ServiceKeysRecord;

/**
 * The platform services' keys, with which they get service tokens (client credentials): {@code fzs_} and 32
 * random bytes (Base64url), shown once when made and stored only as their SHA-256. A key belongs to one
 * service name and carries scopes. The one-process launcher hands each of content, compliance and media its
 * key in {@code FANZ_SERVICE_KEY_<NAME>}; at start such a key is registered with that service's default
 * scopes, and an earlier key from the environment for the same service is revoked. A key from the environment
 * registered before gets the default scopes again, so one registered by an earlier build keeps no scope its
 * service no longer has.
 */
final class ServiceKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceKeys.class);
    static final String PREFIX = "fzs_";
    static final Pattern SERVICE = Pattern.compile("[a-z][a-z0-9-]{0,31}");
    static final Pattern SCOPE = Pattern.compile("[a-z][a-z0-9_-]{0,31}(:[a-z][a-z0-9_-]{0,31})?");
    static final int MAX_SCOPES = 32;
    static final String FROM_API = "api";
    static final String FROM_ENVIRONMENT = "environment";
    /**
     * The scopes a service's key from the environment gets: only what it calls. Content asks compliance whether
     * content may be published and media whether an asset is the creator's; compliance and media call no other
     * platform service (a key with more comes from {@code POST /v1/service-keys}).
     */
    static final Map<String, List<String>> DEFAULT_SCOPES = Map.of(
        PlatformSettings.CONTENT, List.of("compliance:clearance", "media:read"),
        PlatformSettings.COMPLIANCE, List.of(),
        PlatformSettings.MEDIA, List.of());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final DSLContext dsl;
    private final Clock clock;

    /** A key as stored (no secret). */
    record ServiceKey(UUID id, String service, Set<String> scopes, String source, Instant created, Instant revoked) {
    }

    /** A key just made, with its secret, which exists nowhere else. */
    record Created(ServiceKey key, String secret) {
    }

    ServiceKeys(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /** A new key for {@code service} with {@code scopes}. */
    Created create(String service, Set<String> scopes) {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Arrays.fill(random, (byte) 0);
        return new Created(insert(service, hash(secret), scopes, FROM_API), secret);
    }

    /** Registers the environment's keys of the launcher's services (see the class comment). */
    void registerFromEnvironment(PlatformSettings settings) {
        for (String service : List.of(PlatformSettings.CONTENT, PlatformSettings.COMPLIANCE, PlatformSettings.MEDIA)) {
            Optional<String> secret = settings.find("FANZ_SERVICE_KEY_" + service.toUpperCase(java.util.Locale.ROOT));
            if (secret.isEmpty()) {
                continue;
            }
            String hash = hash(secret.get());
            String scopes = String.join(" ", DEFAULT_SCOPES.get(service));
            int rescoped = dsl.update(SERVICE_KEYS).set(SERVICE_KEYS.SCOPES, scopes)
                .where(SERVICE_KEYS.HASH.eq(hash).and(SERVICE_KEYS.SERVICE.eq(service))
                    .and(SERVICE_KEYS.SOURCE.eq(FROM_ENVIRONMENT)).and(SERVICE_KEYS.REVOKED.isNull())
                    .and(SERVICE_KEYS.SCOPES.ne(scopes)))
                .execute();
            if (rescoped > 0) {
                LOG.info("set the scopes of {}'s service key from the environment to '{}'", service, scopes);
            }
            if (dsl.fetchExists(SERVICE_KEYS, SERVICE_KEYS.HASH.eq(hash).and(SERVICE_KEYS.REVOKED.isNull()))) {
                continue;
            }
            dsl.transaction(tx -> {
                int revoked = tx.dsl().update(SERVICE_KEYS).set(SERVICE_KEYS.REVOKED, Accounts.utc(clock.instant()))
                    .where(SERVICE_KEYS.SERVICE.eq(service).and(SERVICE_KEYS.SOURCE.eq(FROM_ENVIRONMENT))
                        .and(SERVICE_KEYS.REVOKED.isNull()))
                    .execute();
                new ServiceKeys(tx.dsl(), clock).insert(service, hash,
                    new LinkedHashSet<>(DEFAULT_SCOPES.get(service)), FROM_ENVIRONMENT);
                LOG.info("registered the service key of {} from the environment (revoked {} earlier ones)", service,
                    revoked);
            });
        }
    }

    /** The active key of {@code service} whose secret is {@code secret}, if any. */
    Optional<ServiceKey> authenticate(String service, String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > 512) {
            return Optional.empty();
        }
        return dsl.selectFrom(SERVICE_KEYS)
            .where(SERVICE_KEYS.HASH.eq(hash(secret)).and(SERVICE_KEYS.SERVICE.eq(service))
                .and(SERVICE_KEYS.REVOKED.isNull()))
            .fetchOptional().map(ServiceKeys::key);
    }

    List<ServiceKey> list() {
        return dsl.selectFrom(SERVICE_KEYS).orderBy(SERVICE_KEYS.CREATED, SERVICE_KEYS.ID).fetch(ServiceKeys::key);
    }

    /** Revokes key {@code id} (if active); empty if there is no such key. */
    Optional<ServiceKey> revoke(UUID id) {
        dsl.update(SERVICE_KEYS).set(SERVICE_KEYS.REVOKED, Accounts.utc(clock.instant()))
            .where(SERVICE_KEYS.ID.eq(id).and(SERVICE_KEYS.REVOKED.isNull())).execute();
        return dsl.selectFrom(SERVICE_KEYS).where(SERVICE_KEYS.ID.eq(id)).fetchOptional().map(ServiceKeys::key);
    }

    private ServiceKey insert(String service, String hash, Set<String> scopes, String source) {
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        dsl.insertInto(SERVICE_KEYS)
            .set(SERVICE_KEYS.ID, id)
            .set(SERVICE_KEYS.SERVICE, service)
            .set(SERVICE_KEYS.HASH, hash)
            .set(SERVICE_KEYS.SCOPES, String.join(" ", scopes))
            .set(SERVICE_KEYS.SOURCE, source)
            .set(SERVICE_KEYS.CREATED, Accounts.utc(now))
            .execute();
        return new ServiceKey(id, service, scopes, source, now, null);
    }

    private static ServiceKey key(ServiceKeysRecord row) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String scope : row.getScopes().split(" ")) {
            if (!scope.isEmpty()) {
                scopes.add(scope);
            }
        }
        return new ServiceKey(row.getId(), row.getService(), scopes, row.getSource(), row.getCreated().toInstant(),
            row.getRevoked() == null ? null : row.getRevoked().toInstant());
    }

    /** How a key's secret is stored and looked up: its SHA-256, hex. */
    static String hash(String secret) {
        return Hashes.sha256Hex(secret);
    }
}
