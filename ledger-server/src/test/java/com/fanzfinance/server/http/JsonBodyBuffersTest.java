package com.fanzfinance.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The arrays for JSON bodies read whole: only declared lengths within the limit, only as many as there are. */
class JsonBodyBuffersTest {
    @Test
    void givesAnArrayLargeEnoughOnlyForDeclaredLengthsWithinTheLimit() {
        JsonBodyBuffers buffers = new JsonBodyBuffers(2);
        assertThat(buffers.take(-1)).as("no declared length (chunked)").isNull();
        assertThat(buffers.take(JsonBodyBuffers.BODY_BYTES_MAX + 1L)).isNull();
        byte[] largest = buffers.take(JsonBodyBuffers.BODY_BYTES_MAX);
        assertThat(largest).hasSize(JsonBodyBuffers.BODY_BYTES_MAX);
        byte[] small = buffers.take(100_000);
        assertThat(small.length).isBetween(100_000, 2 * 100_000);
        assertThat(buffers.take(10)).as("both arrays are in use").isNull();
        buffers.release(small);
        assertThat(buffers.take(50_000)).as("the grown array is reused").isSameAs(small);
    }

    @Test
    void anArrayReleasedTwiceIsABug() {
        JsonBodyBuffers buffers = new JsonBodyBuffers(1);
        byte[] array = buffers.take(10);
        buffers.release(array);
        assertThatThrownBy(() -> buffers.release(array)).isInstanceOf(IllegalStateException.class);
    }
}
