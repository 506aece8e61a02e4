package com.fanzfinance.platform.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import com.fanzfinance.platform.common.Problem;

/**
 * Copying an upload's body: the client's failures (gone, too slow) and a full disk are problems of their own
 * rather than 500s, with stand-in streams and a stepped clock.
 */
class UploadBodyTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private long now;
    private final UploadBody body = new UploadBody(1000, 2 * SECOND, () -> now);

    @Test
    void aFullDiskWhileWritingIs507AndOtherWriteFailuresStayThemselves() {
        assertProblem(() -> copy(new ByteArrayInputStream(new byte[10]), failingWith(
            new IOException("No space left on device"))), 507, "insufficient-storage");
        assertProblem(() -> copy(new ByteArrayInputStream(new byte[10]), failingWith(
            new FileSystemException("/media/tmp/upload.part", null, "No space left on device"))), 507,
            "insufficient-storage");
        IOException broken = new IOException("Input/output error");
        assertThatThrownBy(() -> copy(new ByteArrayInputStream(new byte[10]), failingWith(broken))).isSameAs(broken);
    }

    @Test
    void aBodyThatBreaksOffIs400AndAnIdleTimeoutIsTooSlow() {
        assertProblem(() -> copy(failingRead(new IOException("early EOF")), new ByteArrayOutputStream()), 400,
            "upload-interrupted");
        assertProblem(() -> copy(failingRead(new IOException(new TimeoutException("Idle timeout expired"))),
            new ByteArrayOutputStream()), 408, "upload-too-slow");
    }

    @Test
    void underTheMinimumRateAfterTheGraceIs408() throws Exception {
        // 100 bytes a second: fine within the 2 s grace, too slow once it is over (1000 a second wanted).
        assertProblem(() -> copy(steppedInput(10, SECOND / 10, 40), new ByteArrayOutputStream()), 408,
            "upload-too-slow");
        now = 0;
        assertThat(copy(steppedInput(10, SECOND / 10, 15), new ByteArrayOutputStream())).isEqualTo(150);
        now = 0;
        // 2000 bytes a second keeps going past the grace.
        assertThat(copy(steppedInput(200, SECOND / 10, 50), new ByteArrayOutputStream())).isEqualTo(10_000);
    }

    @Test
    void aRefusedBodyIsDroppedUpToItsBoundsAndAClientGoneEndsItQuietly() {
        assertThat(body.discard(new ByteArrayInputStream(new byte[300_000]), 1 << 20, SECOND))
            .as("all of a body under the bound").isEqualTo(new UploadBody.Discarded(300_000, true));
        ByteArrayInputStream large = new ByteArrayInputStream(new byte[300_000]);
        assertThat(body.discard(large, 100_000, SECOND)).as("never past the byte bound")
            .isEqualTo(new UploadBody.Discarded(100_000, false));
        assertThat(large.available()).isEqualTo(200_000);
        now = 0;
        assertThat(body.discard(steppedInput(10, SECOND / 10, 1000), 1 << 20, SECOND))
            .as("a dribbling client is dropped only until the time bound")
            .isEqualTo(new UploadBody.Discarded(100, false));
        assertThat(body.discard(failingRead(new IOException("connection reset")), 1 << 20, SECOND))
            .isEqualTo(new UploadBody.Discarded(0, false));
        now = 0;
        assertThat(body.discard(steppedInput(10, SECOND / 10, 1000), 1 << 20, 10 * SECOND))
            .as("under the minimum rate once the grace is over: 2.1 s of 100 bytes a second")
            .isEqualTo(new UploadBody.Discarded(210, false));
        now = 0;
        assertThat(body.discard(steppedInput(200, SECOND / 10, 50), 1 << 20, 10 * SECOND))
            .as("at the rate, to the end").isEqualTo(new UploadBody.Discarded(10_000, true));
    }

    private long copy(InputStream in, OutputStream out) throws Exception {
        return body.copy(in, out, MessageDigest.getInstance("SHA-256"), size -> { });
    }

    /** {@code reads} reads of {@code bytes} bytes each, the clock moving {@code step} nanoseconds before each. */
    private InputStream steppedInput(int bytes, long step, int reads) {
        return new InputStream() {
            private int left = reads;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left-- == 0) {
                    return -1;
                }
                now += step;
                return Math.min(bytes, length);
            }
        };
    }

    private static InputStream failingRead(IOException failure) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                throw failure;
            }
        };
    }

    private static OutputStream failingWith(IOException failure) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw failure;
            }
        };
    }

    private static void assertProblem(ThrowingCallable call, int status, String type) {
        assertThatThrownBy(call).isInstanceOfSatisfying(Problem.class, problem -> {
            assertThat(problem.status()).isEqualTo(status);
            assertThat(problem.type()).isEqualTo(type);
        });
    }
}
