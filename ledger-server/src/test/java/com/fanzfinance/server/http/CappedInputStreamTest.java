package com.fanzfinance.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.api.Test;

/** The body stream: whole bodies up to the cap, a 413 past it, a 499 when the client is gone. */
class CappedInputStreamTest {
    @Test
    void aBodyUpToTheCapIsReadWholeInPiecesOfAnySize() throws IOException {
        byte[] body = new byte[20_000];
        body[19_999] = 7;
        try (InputStream in = new CappedInputStream(new ByteArrayInputStream(body), body.length)) {
            assertThat(in.readNBytes(body.length)).isEqualTo(body); // several 8 KiB reads, and a read of 0 bytes
        }
        try (InputStream in = new CappedInputStream(new ByteArrayInputStream(body), body.length)) {
            assertThat(in.read(new byte[4], 4, 0)).isZero();
            assertThat(in.readAllBytes()).isEqualTo(body);
        }
    }

    @Test
    void aBodyPastTheCapIs413() {
        byte[] body = new byte[20_001];
        assertThatThrownBy(() -> new CappedInputStream(new ByteArrayInputStream(body), 20_000).readAllBytes())
            .isInstanceOfSatisfying(Problem.class, problem -> assertThat(problem.status()).isEqualTo(413));
        assertThatThrownBy(() -> new CappedInputStream(new ByteArrayInputStream(body), 20_000).readNBytes(body.length))
            .isInstanceOfSatisfying(Problem.class, problem -> assertThat(problem.status()).isEqualTo(413));
    }

    @Test
    void aFailedReadIsAClientThatWentAway() {
        InputStream broken = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Early EOF");
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                throw new IOException("Early EOF");
            }
        };
        assertThatThrownBy(() -> new CappedInputStream(broken, 100).readAllBytes())
            .isInstanceOfSatisfying(Problem.class, problem -> {
                assertThat(problem.status()).isEqualTo(499);
                assertThat(problem.type()).isEqualTo("client-closed");
            });
    }
}
