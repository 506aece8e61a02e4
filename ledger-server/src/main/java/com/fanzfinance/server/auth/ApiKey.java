package com.fanzfinance.server.auth;

import java.time.Instant;
import java.util.Set;

/**
 * An API key as stored: never the key itself, only its SHA-256. A key acts within its tenants (tenant
 * ids); an {@link Scope#ADMIN} key acts in all of them.
 *
 * @param id      a short public identifier, shown in listings and logs
 * @param hash    hex SHA-256 of the secret key
 * @param revoked when it was revoked, or null
 * @param source  where the secret came from: made here, or the operator's {@code FANZ_ADMIN_KEY}
 */
public record ApiKey(String id, String name, String hash, Set<Scope> scopes, Set<Integer> tenants, Instant created,
                     Instant revoked, Source source) {
    /** Where a key's secret came from. */
    public enum Source {
        /** Generated here: by the API, the command line, or as the bootstrap key in {@code admin.key}. */
        CREATED("created"),
        /** The operator's {@code FANZ_ADMIN_KEY}: replaced, and so revoked, when that variable changes. */
        ENVIRONMENT("FANZ_ADMIN_KEY"),
        /**
         * A person signed in with an identity-service token (SSO): made per request from the token, never stored in
         * {@code keys.json}.
         */
        SSO("sso");

        private final String wireName;

        Source(String wireName) {
            this.wireName = wireName;
        }

        /** As stored in keys.json. */
        public String wireName() {
            return wireName;
        }

        /** The source stored as {@code wireName}, or null if there is none such. */
        public static Source ofWireName(String wireName) {
            for (Source source : values()) {
                if (source.wireName.equals(wireName)) {
                    return source;
                }
            }
            return null;
        }
    }

    public ApiKey {
        scopes = Set.copyOf(scopes);
        tenants = Set.copyOf(tenants);
        if (source == null) {
            throw new IllegalArgumentException("a key needs a source");
        }
    }

    /** A key made here ({@link Source#CREATED}). */
    public ApiKey(String id, String name, String hash, Set<Scope> scopes, Set<Integer> tenants, Instant created,
                  Instant revoked) {
        this(id, name, hash, scopes, tenants, created, revoked, Source.CREATED);
    }

    public boolean isAdmin() {
        return scopes.contains(Scope.ADMIN);
    }

    public boolean has(Scope scope) {
        return isAdmin() || scopes.contains(scope);
    }

    /** True if this key may act on objects of {@code tenant}. */
    public boolean covers(int tenant) {
        return isAdmin() || tenants.contains(tenant);
    }

    public boolean isActive() {
        return revoked == null;
    }

    public boolean isFromEnvironment() {
        return source == Source.ENVIRONMENT;
    }

    /** True for a person signed in with an identity-service token rather than an API key. */
    public boolean isSso() {
        return source == Source.SSO;
    }

    public ApiKey revokedAt(Instant when) {
        return new ApiKey(id, name, hash, scopes, tenants, created, when, source);
    }
}
