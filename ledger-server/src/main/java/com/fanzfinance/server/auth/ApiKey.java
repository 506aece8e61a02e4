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
 */
public record ApiKey(String id, String name, String hash, Set<Scope> scopes, Set<Integer> tenants, Instant created,
                     Instant revoked) {
    public ApiKey {
        scopes = Set.copyOf(scopes);
        tenants = Set.copyOf(tenants);
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

    public ApiKey revokedAt(Instant when) {
        return new ApiKey(id, name, hash, scopes, tenants, created, when);
    }
}
