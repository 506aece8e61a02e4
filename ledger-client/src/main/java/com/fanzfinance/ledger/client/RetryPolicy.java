package com.fanzfinance.ledger.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.function.DoubleSupplier;

/**
 * How many times a request is tried and how long to wait between tries: exponential backoff with equal
 * jitter — the n-th wait is between half and all of {@code min(cap, base × 2^(n-1))} — unless the server
 * said how long in {@code Retry-After}, which is honoured up to {@link #RETRY_AFTER_MAX}.
 *
 * <p>Jitter and the clock (for an HTTP-date {@code Retry-After}) are passed in, so tests are exact.
 */
final class RetryPolicy {
    /** The longest {@code Retry-After} honoured; a longer one is cut to this. */
    static final Duration RETRY_AFTER_MAX = Duration.ofSeconds(30);

    private final int maxAttempts;
    private final long baseDelayMillis;
    private final long maxDelayMillis;
    private final DoubleSupplier jitter;
    private final Clock clock;

    /**
     * @param jitter values in [0, 1), such as {@code ThreadLocalRandom.current()::nextDouble}
     */
    RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, DoubleSupplier jitter, Clock clock) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
        }
        if (baseDelay.isNegative() || maxDelay.compareTo(baseDelay) < 0) {
            throw new IllegalArgumentException("need 0 <= base delay <= max delay, got " + baseDelay + " and " + maxDelay);
        }
        this.maxAttempts = maxAttempts;
        this.baseDelayMillis = baseDelay.toMillis();
        this.maxDelayMillis = maxDelay.toMillis();
        this.jitter = jitter;
        this.clock = clock;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    boolean mayRetryAfter(int attemptsMade) {
        return attemptsMade < maxAttempts;
    }

    /**
     * The wait before the next try, after {@code attemptsMade} tries (1 or more).
     *
     * @param retryAfter the failed answer's {@code Retry-After} header, or null
     */
    long delayMillis(int attemptsMade, String retryAfter) {
        long serverMillis = retryAfterMillis(retryAfter);
        return serverMillis >= 0 ? serverMillis : backoffMillis(attemptsMade);
    }

    long backoffMillis(int attemptsMade) {
        int doublings = Math.min(attemptsMade - 1, 30);
        long ceiling = Math.min(maxDelayMillis, baseDelayMillis << doublings);
        long half = ceiling / 2;
        return half + (long) (jitter.getAsDouble() * (ceiling - half));
    }

    /** The wait a {@code Retry-After} asks for (seconds or an HTTP date), or -1 if absent or unreadable. */
    long retryAfterMillis(String retryAfter) {
        if (retryAfter == null || retryAfter.isBlank()) {
            return -1;
        }
        String value = retryAfter.strip();
        long millis;
        if (value.chars().allMatch(Character::isDigit)) {
            millis = value.length() > 9 ? Long.MAX_VALUE : Long.parseLong(value) * 1000;
        } else {
            try {
                Instant when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                millis = Math.max(0, Duration.between(clock.instant(), when).toMillis());
            } catch (DateTimeParseException e) {
                return -1;
            }
        }
        return Math.min(millis, RETRY_AFTER_MAX.toMillis());
    }
}
