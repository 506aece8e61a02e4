package com.fanzfinance.server.http;

import java.time.Clock;

import com.fanzfinance.server.auth.ApiKey;
import com.fanzfinance.server.auth.IdentityKeys;
import com.fanzfinance.server.auth.IdentityTokens;
import com.fanzfinance.server.auth.IdentityUnavailableException;
import com.fanzfinance.server.auth.SsoPerson;
import com.fanzfinance.server.auth.TenantRegistry;
import com.fanzfinance.server.config.ServerConfig;

/**
 * Lets a person in with an identity-service access token: the token must verify ({@link IdentityTokens}), its brand
 * must be a tenant of this ledger, and the person's roles on it must give some scope (staff or admin). The answer
 * is the person as a key of that one tenant. Refusals are problems: 401 for a token that is not valid here, 403 for
 * a fan or creator, 503 when the identity service's keys cannot be read or the ledger is still recovering.
 */
final class SsoGate {
    /** Seconds a client waits before retrying when the identity service cannot be asked. */
    private static final long RETRY_AFTER_SECONDS = 5;

    /** A verified person and the key that stands for them in this request. */
    record SignedIn(ApiKey key, SsoPerson person) {
    }

    private final IdentityTokens tokens;
    private final TenantRegistry tenants;

    SsoGate(IdentityTokens tokens, TenantRegistry tenants) {
        this.tokens = tokens;
        this.tenants = tenants;
    }

    /** The gate for {@code config}, or null when SSO is off. */
    static SsoGate of(ServerConfig.Sso config, TenantRegistry tenants) {
        if (!config.enabled()) {
            return null;
        }
        IdentityKeys keys = new IdentityKeys(config.jwksUrl(), System::nanoTime);
        return new SsoGate(new IdentityTokens(keys, config.issuer(), config.audience(), Clock.systemUTC()), tenants);
    }

    /** The person {@code token} stands for, as a key; a problem when the token does not let them in. */
    SignedIn verify(String token) {
        if (!tenants.isAttached()) {
            throw new Problem(503, "unavailable", "Service unavailable", "the ledger is recovering; retry shortly", null);
        }
        SsoPerson person;
        try {
            person = tokens.verify(token);
        } catch (IdentityTokens.InvalidTokenException e) {
            throw Problem.unauthorized("the SSO token is not valid: " + e.getMessage());
        } catch (IdentityUnavailableException e) {
            throw unavailable("the identity service's signing keys cannot be read now (" + e.getMessage() + ")");
        }
        int tenant = tenants.idOf(person.tenant()).orElseThrow(() -> Problem.unauthorized("the SSO token is for brand '"
            + person.tenant() + "', which is not a tenant of this ledger"));
        if (person.scopes().isEmpty()) {
            throw Problem.forbidden("this person's roles on " + person.tenant() + " give no access to the finance API",
                null);
        }
        return new SignedIn(person.asKey(tenant), person);
    }

    /** The 503 for an identity service that cannot be asked now. */
    static Problem unavailable(String detail) {
        return new Problem(503, "sso-unavailable", "Service unavailable", detail, null, RETRY_AFTER_SECONDS);
    }
}
