package com.fanzfinance.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The arrays for bodies read whole: only declared lengths within the limit, only as many as there are. */
class BodyBuffersTest {
    @Test
    void givesAnArrayLargeEnoughOnlyForDeclaredLengthsWithinTheLimit() {
        BodyBuffers buffers = new BodyBuffers(2, BodyBuffers.JSON_BYTES_MAX);
        assertThat(buffers.take(-1)).as("no declared length (chunked)").isNull();
        assertThat(buffers.take(BodyBuffers.JSON_BYTES_MAX + 1L)).isNull();
        byte[] largest = buffers.take(BodyBuffers.JSON_BYTES_MAX);
        assertThat(largest).hasSize(BodyBuffers.JSON_BYTES_MAX);
        byte[] small = buffers.take(100_000);
        assertThat(small.length).isBetween(100_000, 2 * 100_000);
        assertThat(buffers.take(10)).as("both arrays are in use").isNull();
        buffers.release(small);
        assertThat(buffers.take(50_000)).as("the grown array is reused").isSameAs(small);
    }

    @Test
    void anArrayIsNeverLargerThanTheLimitEvenWhenThePowerOfTwoIs() {
        int fullBinaryBatch = BinaryTransport.BODY_BYTES_MAX;
        BodyBuffers buffers = new BodyBuffers(1, fullBinaryBatch);
        byte[] array = buffers.take(fullBinaryBatch);
        assertThat(array).hasSize(fullBinaryBatch);
        buffers.release(array);
        assertThat(buffers.take(fullBinaryBatch - 128)).as("kept and reused for a shorter body").isSameAs(array);
        assertThat(new BodyBuffers(1, fullBinaryBatch).take(0)).as("an empty body").isEmpty();
        assertThatThrownBy(() -> new BodyBuffers(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anArrayReleasedTwiceIsABug() {
        BodyBuffers buffers = new BodyBuffers(1, BodyBuffers.JSON_BYTES_MAX);
        byte[] array = buffers.take(10);
        buffers.release(array);
        assertThatThrownBy(() -> buffers.release(array)).isInstanceOf(IllegalStateException.class);
    }
}
