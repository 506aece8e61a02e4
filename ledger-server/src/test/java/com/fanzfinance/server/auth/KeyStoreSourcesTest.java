package com.fanzfinance.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSO identities are made per request from a token and never stored: {@code keys.json} cannot hold one. */
class KeyStoreSourcesTest {
    @Test
    void aStoredKeyOfSourceSsoIsRefused(@TempDir Path data) throws Exception {
        KeyStore keys = new KeyStore(data);
        keys.create("reader", Set.of(Scope.LEDGER_READ), Set.of(1));
        String stored = Files.readString(data.resolve("keys.json"));
        assertThat(stored).contains("\"source\" : \"created\"");
        Files.writeString(data.resolve("keys.json"), stored.replace("\"source\" : \"created\"", "\"source\" : \"sso\""));

        assertThatThrownBy(() -> new KeyStore(data)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("has an unknown source 'sso'");
    }
}
