package com.fanzfinance.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.server.TestServer;

/** The client example against a real server on a free port, with a key a platform service would have. */
class LedgerClientExampleTest {
    private static final String CREATOR = "00000000-0000-0000-0000-00000000c001";

    @Test
    void postsThroughTheClientAndARepeatedRunChangesNothing(@TempDir Path data) {
        try (TestServer server = TestServer.start(data)) {
            String key = server.createKey("girlfanz-payments", "[\"ledger:write\",\"ledger:read\"]", "[\"girlfanz\"]");

            String first = Printed.by(out -> LedgerClientExample.run(server.base(), key, out));
            String second = Printed.by(out -> LedgerClientExample.run(server.base(), key, out));

            assertThat(first).isEqualTo("""
                accounts: [created, created]
                sale of 2500: created
                tip of 500: created
                creator credits: 3000
                  transfer 00000000-0000-0000-0000-0000000a0001: 2500
                  transfer 00000000-0000-0000-0000-0000000a0002: 500
                """);
            assertThat(second).isEqualTo(first.replace(": created", ": exists").replace("[created, created]", "[exists, exists]"));
            JsonNode creator = server.get("/v1/accounts/" + CREATOR, TestServer.ADMIN_KEY).json();
            assertThat(creator.path("credits_posted").asText()).isEqualTo("3000");
            assertThat(creator.path("tenant").asText()).isEqualTo("girlfanz");
            assertThat(creator.path("metadata").path("creator").asText()).isEqualTo("alice");
        }
    }
}
