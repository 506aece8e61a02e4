package com.fanzfinance.server.auth;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * A person as a verified identity-service token describes them: who ({@code sub}, {@code email}), on which brand
 * ({@code tenant}) with which roles, and for how long. The finance API sees them as an {@link ApiKey} of source
 * {@link ApiKey.Source#SSO} ({@link #asKey}), so every scope, tenant and rate-limit check treats them like a key.
 *
 * @param subject  the identity service's id of the person ({@code sub})
 * @param email    their e-mail address, or null when the token has none
 * @param tenant   the brand slug the token is for
 * @param roles    their roles on that brand: a subset of fan, creator, staff, admin
 * @param issuedAt when the token was issued
 * @param expires  when the token expires
 */
public record SsoPerson(String subject, String email, String tenant, Set<String> roles, Instant issuedAt,
                        Instant expires) {
    /** A brand's staff: they read the brand's books, payments and payouts. */
    public static final String STAFF = "staff";
    /** A brand's admin (never the ledger's {@link Scope#ADMIN}): staff's reading, plus finance and payout actions. */
    public static final String ADMIN = "admin";
    /** The prefix of an SSO identity's key id: {@code sso:<sub>}. */
    public static final String KEY_ID_PREFIX = "sso:";

    private static final Set<Scope> STAFF_SCOPES = EnumSet.of(Scope.LEDGER_READ, Scope.FINANCE_READ,
        Scope.PAYMENTS_READ, Scope.PAYOUTS_READ, Scope.EVENTS_READ);
    private static final Set<Scope> ADMIN_EXTRA_SCOPES = EnumSet.of(Scope.FINANCE_WRITE, Scope.PAYOUTS_WRITE,
        Scope.PAYOUTS_ADMIN, Scope.PAYMENTS_ADMIN);

    public SsoPerson {
        roles = Set.copyOf(roles);
    }

    /**
     * The scopes the person's roles give on their brand: none for fans and creators, reading for staff, and for the
     * brand's admin reading plus {@code finance:write}, {@code payouts:write}, {@code payouts:admin} and
     * {@code payments:admin}. Never {@link Scope#ADMIN}, which would reach every brand.
     */
    public Set<Scope> scopes() {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        if (roles.contains(STAFF) || roles.contains(ADMIN)) {
            scopes.addAll(STAFF_SCOPES);
        }
        if (roles.contains(ADMIN)) {
            scopes.addAll(ADMIN_EXTRA_SCOPES);
        }
        return scopes;
    }

    /** The person as a key of the ledger tenant {@code tenantId}: id {@code sso:<sub>}, named by their e-mail. */
    public ApiKey asKey(int tenantId) {
        // No secret stands behind this key, so it has no hash; it exists only for the request that carried the token.
        return new ApiKey(KEY_ID_PREFIX + subject, email != null ? email : subject, "", scopes(), Set.of(tenantId),
            issuedAt, null, ApiKey.Source.SSO);
    }
}
