package com.fanzfinance.platform.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.platform.common.Json;
import com.fasterxml.jackson.databind.JsonNode;

/** The bundled OpenAPI document describes exactly the routes the service registers, and is what it serves. */
class OpenApiCoverageTest {
    private static final Set<String> SHELL_ROUTES = Set.of("GET /health", "GET /metrics", "GET /openapi.json");

    @Test
    void theDocumentsOperationsAreTheServicesRoutes(@TempDir Path data) throws Exception {
        JsonNode document;
        try (InputStream in = OpenApiCoverageTest.class.getResourceAsStream("/openapi/identity.json")) {
            document = Json.MAPPER.readTree(in);
        }
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        Set<String> documented = new HashSet<>();
        for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
            for (Map.Entry<String, JsonNode> method : path.getValue().properties()) {
                documented.add(method.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }
        try (TestIdentity identity = new TestIdentity(data, Map.of())) {
            Set<String> routes = new HashSet<>(identity.service.app().routes());
            assertThat(routes).containsAll(SHELL_ROUTES);
            routes.removeAll(SHELL_ROUTES);
            assertThat(documented).containsExactlyInAnyOrderElementsOf(routes);
            TestIdentity.Answer served = identity.get("/openapi.json", null);
            assertThat(served.json()).isEqualTo(document);
        }
    }
}
