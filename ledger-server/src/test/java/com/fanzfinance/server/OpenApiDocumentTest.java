package com.fanzfinance.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;

/** The served OpenAPI document describes exactly the routes the server has, with the statuses the ledger uses. */
class OpenApiDocumentTest {
    @Test
    void documentsEveryRouteAndNothingElse(@TempDir Path data) {
        try (TestServer server = TestServer.start(data)) {
            JsonNode document = server.get("/openapi.json", null).json();
            assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
            Set<String> documented = new TreeSet<>();
            Iterator<String> paths = document.path("paths").fieldNames();
            while (paths.hasNext()) {
                String path = paths.next();
                Iterator<String> methods = document.path("paths").path(path).fieldNames();
                while (methods.hasNext()) {
                    String method = methods.next();
                    if (!method.equals("parameters")) {
                        documented.add(method.toUpperCase(Locale.ROOT) + " " + path);
                    }
                }
            }
            assertThat(documented).isEqualTo(new TreeSet<>(server.server().routes()));
        }
    }

    @Test
    void statusEnumsMatchTheLedgerInPrecedenceOrder(@TempDir Path data) {
        try (TestServer server = TestServer.start(data)) {
            JsonNode schemas = server.get("/openapi.json", null).json().path("components").path("schemas");
            assertThat(names(schemas.path("AccountStatus").path("enum")))
                .containsExactly(java.util.Arrays.stream(CreateAccountStatus.values()).map(CreateAccountStatus::wireName)
                    .toArray(String[]::new));
            assertThat(names(schemas.path("TransferStatus").path("enum")))
                .containsExactly(java.util.Arrays.stream(CreateTransferStatus.values()).map(CreateTransferStatus::wireName)
                    .toArray(String[]::new));
        }
    }

    private static String[] names(JsonNode array) {
        String[] names = new String[array.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = array.get(i).asText();
        }
        return names;
    }
}
