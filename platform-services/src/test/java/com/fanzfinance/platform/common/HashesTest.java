package com.fanzfinance.platform.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.junit.jupiter.api.Test;

/** SHA-256 in the one form the services store: lower-case hex, of bytes, of UTF-8 text, or of a streamed digest. */
class HashesTest {
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void bytesTextAndStreamedDigestsGiveTheSameLowerCaseHex() {
        assertThat(Hashes.sha256Hex("abc")).isEqualTo(ABC);
        assertThat(Hashes.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(ABC);
        MessageDigest streamed = Hashes.sha256();
        streamed.update((byte) 'a');
        streamed.update("bc".getBytes(StandardCharsets.US_ASCII));
        assertThat(Hashes.hex(streamed.digest())).isEqualTo(ABC);
    }

    @Test
    void textIsHashedAsUtf8() {
        assertThat(Hashes.sha256Hex("é")).isEqualTo(Hashes.sha256Hex(new byte[] {(byte) 0xc3, (byte) 0xa9}));
    }
}
