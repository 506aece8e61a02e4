package com.fanzfinance.platform.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import com.fanzfinance.platform.PlatformSettings;
import com.fanzfinance.platform.common.Json;
import com.fanzfinance.platform.testing.PlatformTestDatabase;
import com.fanzfinance.platform.testing.TestTokens;

/** The media service's OpenAPI document names exactly the routes it serves (besides health, metrics and itself). */
class MediaOpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    @Test
    void theDocumentCoversExactlyTheRoutes() throws Exception {
        String prefix = PlatformTestDatabase.freshPrefix();
        Map<String, String> settings = new HashMap<>(PlatformTestDatabase.settings(prefix));
        settings.put("FANZ_MEDIA_PORT", "0");
        settings.put("FANZ_PLATFORM_DATA", java.nio.file.Files.createTempDirectory("media-openapi").toString());
        try (TestTokens tokens = new TestTokens()) {
            settings.put("FANZ_IDENTITY_URL", tokens.identityUrl().toString());
            settings.put("FANZ_TOKEN_ISSUER", TestTokens.ISSUER);
            try (MediaService media = MediaService.start(new PlatformSettings(settings))) {
                Set<String> served = new TreeSet<>(media.app().routes());
                served.removeAll(Set.of("GET /health", "GET /metrics", "GET /openapi.json"));
                JsonNode document;
                try (InputStream in = MediaService.class.getResourceAsStream("/openapi/media.json")) {
                    document = Json.MAPPER.readTree(in);
                }
                Set<String> documented = new TreeSet<>();
                for (Map.Entry<String, JsonNode> path : document.get("paths").properties()) {
                    path.getValue().fieldNames().forEachRemaining(method -> {
                        if (METHODS.contains(method)) {
                            documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
                        }
                    });
                }
                assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
                assertThat(documented).isEqualTo(served);
                assertThat(served).contains("POST /v1/assets", "GET /v1/assets/{id}/content");
            }
        } finally {
            PlatformTestDatabase.drop(prefix);
        }
    }
}
