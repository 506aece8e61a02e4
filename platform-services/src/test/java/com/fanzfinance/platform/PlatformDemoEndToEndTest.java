package com.fanzfinance.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.platform.testing.Http;
import com.fanzfinance.server.TestServer;

/**
 * The zero-setup path of {@code ./fanz platform}: with nothing but a running ledger and its admin key file,
 * {@code demo} registers the brands in the ledger, makes a platform key there and service keys here (kept
 * owner-only, the same on a second run), and the four services come up on an embedded PostgreSQL of their own
 * under the platform's data directory; the generated identity admin can sign in.
 */
class PlatformDemoEndToEndTest {
    @TempDir
    Path data;

    @Test
    void provisionsFromTheLedgerAndRunsOnAnEmbeddedDatabase() throws Exception {
        try (TestServer ledger = TestServer.start(data.resolve("ledger"))) {
            Path adminKey = data.resolve("admin.key");
            Files.writeString(adminKey, TestServer.ADMIN_KEY + "\n");
            Map<String, String> values = new HashMap<>();
            values.put("FANZ_PLATFORM_DATA", data.resolve("platform").toString());
            values.put("FANZ_LEDGER_URL", ledger.base().toString());
            for (String service : Platform.SERVICES) {
                values.put("FANZ_" + service.toUpperCase(java.util.Locale.ROOT) + "_PORT", "0");
            }
            PlatformSettings settings = new PlatformSettings(values);

            Map<String, String> provisioned = DemoProvisioning.provision(settings, adminKey);
            assertThat(DemoProvisioning.provision(settings, adminKey)).isEqualTo(provisioned);
            assertThat(ledger.get("/v1/admin/tenants", TestServer.ADMIN_KEY).text())
                .contains("\"girlfanz\"", "\"boyfanz\"", "\"pupfanz\"", "\"daddyfanz\"");
            assertThat(ledger.get("/v1/events?limit=1", provisioned.get("FANZ_LEDGER_KEY")).status()).isNotEqualTo(401);
            Path password = data.resolve("platform").resolve(DemoProvisioning.ADMIN_PASSWORD_FILE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password))).isEqualTo("rw-------");
            assertThat(Files.readString(password).trim()).isEqualTo(provisioned.get("FANZ_IDENTITY_ADMIN_PASSWORD"));

            try (Platform platform = Platform.start(settings.with(provisioned), new LinkedHashSet<>(Platform.SERVICES))) {
                for (String service : Platform.SERVICES) {
                    URI base = URI.create("http://127.0.0.1:" + platform.port(service));
                    assertThat(Http.get(base, "/health", null).json().path("status").asText()).isEqualTo("up");
                }
                assertThat(Files.isDirectory(data.resolve("platform").resolve("postgres"))).isTrue();
                URI identity = URI.create("http://127.0.0.1:" + platform.port(PlatformSettings.IDENTITY));
                Http.Answer login = Http.form(identity, "/oauth/token", Map.of("grant_type", "password",
                    "username", provisioned.get("FANZ_IDENTITY_ADMIN_EMAIL"),
                    "password", provisioned.get("FANZ_IDENTITY_ADMIN_PASSWORD"), "tenant", "girlfanz"));
                assertThat(login.status()).as(login.text()).isEqualTo(200);
            }
        }
    }
}
