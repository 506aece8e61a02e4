package com.fanzfinance.server.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import com.fanzfinance.server.auth.ApiKey;
import com.fanzfinance.server.auth.TenantRegistry;
import com.fanzfinance.server.config.ServerConfig;

/**
 * Request-rate limits, so that one tenant's traffic cannot starve the others: every non-admin API key
 * has a token bucket, and so has every tenant (shared by all its keys, so more keys buy no more rate).
 * A request takes a token from its key's bucket and from the bucket of each tenant the key holds; an
 * empty bucket is a 429 {@code rate-limited} problem with {@code Retry-After}. Admin keys are exempt:
 * they are the operators', and must get through when tenants saturate their limits. Buckets are kept
 * per key id and tenant number, both bounded by the key store and the tenant registry.
 */
final class RateLimiter {
    private final ServerConfig.RateLimit limit;
    private final TenantRegistry tenants;
    private final LongSupplier clockNanos;
    private final ConcurrentMap<String, TokenBucket> keyBuckets = new ConcurrentHashMap<>();
    private final ConcurrentMap<Integer, TokenBucket> tenantBuckets = new ConcurrentHashMap<>();

    RateLimiter(ServerConfig.RateLimit limit, TenantRegistry tenants, LongSupplier clockNanos) {
        this.limit = limit;
        this.tenants = tenants;
        this.clockNanos = clockNanos;
    }

    /** Lets the request of {@code key} through, or throws the 429 problem. */
    void admit(ApiKey key) {
        if (key.isAdmin()) {
            return;
        }
        long now = clockNanos.getAsLong();
        long waitNanos = keyBuckets.computeIfAbsent(key.id(), id -> bucket(now)).take(now);
        if (waitNanos > 0) {
            throw limited("this API key", waitNanos);
        }
        for (int tenant : key.tenants()) {
            waitNanos = tenantBuckets.computeIfAbsent(tenant, id -> bucket(now)).take(now);
            if (waitNanos > 0) {
                throw limited("tenant '" + tenants.slugOf(tenant).orElse("#" + tenant) + "'", waitNanos);
            }
        }
    }

    private TokenBucket bucket(long now) {
        return new TokenBucket(limit.perSecond(), limit.burst(), now);
    }

    private Problem limited(String whose, long waitNanos) {
        long seconds = Math.max(1, (waitNanos + TimeUnit.SECONDS.toNanos(1) - 1) / TimeUnit.SECONDS.toNanos(1));
        return Problem.rateLimited("the requests of " + whose + " passed " + limit.perSecond()
            + " per second (bursts of " + limit.burst() + "); retry after " + seconds + " s", seconds);
    }
}
