package com.fanzfinance.platform.common;

import java.util.Set;

/**
 * Who is calling, from a verified token: a person of one brand ({@code tenant}) with roles there, or a
 * platform service ({@code service:<name>}, role {@code service}) with scopes. A person's data belongs to
 * their brand: another brand's token reads it as not found; a missing role is 403.
 */
public record Caller(String subject, String tenant, Set<String> roles, Set<String> scopes, String tokenId) {
    public static final String FAN = "fan";
    public static final String CREATOR = "creator";
    public static final String STAFF = "staff";
    public static final String ADMIN = "admin";
    public static final String SERVICE = "service";

    public Caller {
        roles = Set.copyOf(roles);
        scopes = Set.copyOf(scopes);
    }

    public boolean isService() {
        return roles.contains(SERVICE);
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    /**
     * A person who is staff or admin of the token's brand. Never a platform service: a service reads what its
     * scopes allow, checked by the route, not everything a brand's staff may see.
     */
    public boolean isStaff() {
        return !isService() && (roles.contains(STAFF) || roles.contains(ADMIN));
    }

    /** 403 unless the caller holds one of {@code anyOf}. */
    public Caller requireRole(String... anyOf) {
        for (String role : anyOf) {
            if (roles.contains(role)) {
                return this;
            }
        }
        throw Problem.forbidden("this needs one of the roles " + String.join(", ", anyOf));
    }

    /** 403 unless the caller is a service holding {@code scope}. */
    public Caller requireScope(String scope) {
        if (!isService() || !scopes.contains(scope)) {
            throw Problem.forbidden("this needs a service token with scope '" + scope + "'");
        }
        return this;
    }

    /**
     * Whether the caller may see {@code tenant}'s data: people only their own brand's, services every brand's
     * (a service token is issued for the whole platform).
     */
    public boolean sees(String objectTenant) {
        return isService() || tenant.equals(objectTenant);
    }

    /** 404 (as if it did not exist) when the object's brand is not the caller's. */
    public void requireTenant(String objectTenant, String what) {
        if (!sees(objectTenant)) {
            throw Problem.notFound("no such " + what);
        }
    }
}
