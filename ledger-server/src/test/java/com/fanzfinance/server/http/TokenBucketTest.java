package com.fanzfinance.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The bucket on a clock the test moves: a full burst at once, then one token per interval. */
class TokenBucketTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void aFullBurstAtOnceThenTheRate() {
        long now = 1_000 * SECOND;
        TokenBucket bucket = new TokenBucket(10, 3, now);
        assertThat(bucket.take(now)).isZero();
        assertThat(bucket.take(now)).isZero();
        assertThat(bucket.take(now)).isZero();
        assertThat(bucket.take(now)).isEqualTo(SECOND / 10);
        assertThat(bucket.take(now + SECOND / 20)).isEqualTo(SECOND / 20);
        assertThat(bucket.take(now + SECOND / 10)).isZero();
        assertThat(bucket.take(now + SECOND / 10)).isEqualTo(SECOND / 10);
    }

    @Test
    void anIdleBucketRefillsOnlyToItsBurst() {
        long now = -5 * SECOND; // nanoTime may be negative
        TokenBucket bucket = new TokenBucket(1, 2, now);
        long later = now + 3600 * SECOND;
        assertThat(bucket.take(later)).isZero();
        assertThat(bucket.take(later)).isZero();
        assertThat(bucket.take(later)).isEqualTo(SECOND);
    }

    @Test
    void refusedRequestsTakeNothing() {
        long now = 0;
        TokenBucket bucket = new TokenBucket(1, 1, now);
        assertThat(bucket.take(now)).isZero();
        for (int i = 0; i < 100; i++) {
            assertThat(bucket.take(now)).isEqualTo(SECOND);
        }
        assertThat(bucket.take(now + SECOND)).isZero();
    }
}
