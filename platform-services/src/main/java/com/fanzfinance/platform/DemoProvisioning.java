package com.fanzfinance.platform;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.embedded.OwnerOnlyFiles;
import com.fanzfinance.platform.common.Json;

/**
 * What {@code fanz-platform demo} sets up before the services start, each step done once and remembered in
 * owner-only files under {@code FANZ_PLATFORM_DATA}: the brands registered in the ledger, a ledger key for
 * the platform (its scopes: payments, payouts, compliance, events), a service key per service, and the
 * identity service's admin with a generated password. Nothing secret is printed; the summary says where the
 * admin password is.
 */
final class DemoProvisioning {
    static final String LEDGER_KEY_FILE = "ledger.key";
    static final String ADMIN_PASSWORD_FILE = "identity-admin.password";
    static final String DEFAULT_BRANDS = "girlfanz,boyfanz,pupfanz,daddyfanz";
    private static final List<String> LEDGER_SCOPES = List.of("payments:read", "payments:write", "payouts:read",
        "payouts:write", "compliance:write", "events:read", "finance:read", "ledger:read");
    private static final SecureRandom RANDOM = new SecureRandom();

    private DemoProvisioning() {
    }

    /** Provisions and returns the settings the services need on top of {@code settings}. */
    static Map<String, String> provision(PlatformSettings settings, Path adminKeyFile) {
        Path data = settings.dataDirectory();
        try {
            OwnerOnlyFiles.directory(data);
            String adminKey = Files.readString(adminKeyFile, StandardCharsets.UTF_8).trim();
            List<String> brands = List.of(settings.get("FANZ_IDENTITY_BOOTSTRAP_TENANTS", DEFAULT_BRANDS).split(","));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            URI ledger = settings.ledgerUrl();
            for (String brand : brands) {
                ObjectNode tenant = Json.object().put("slug", brand.trim());
                send(http, ledger.resolve("/v1/admin/tenants"), adminKey, tenant);
            }
            Map<String, String> provided = new LinkedHashMap<>();
            provided.put("FANZ_LEDGER_KEY", remembered(data.resolve(LEDGER_KEY_FILE), () -> {
                ObjectNode key = Json.object().put("name", "platform-services");
                ArrayNode scopes = key.putArray("scopes");
                LEDGER_SCOPES.forEach(scopes::add);
                ArrayNode tenants = key.putArray("tenants");
                brands.forEach(brand -> tenants.add(brand.trim()));
                return send(http, ledger.resolve("/v1/admin/keys"), adminKey, key).path("key").asText();
            }));
            for (String service : List.of(PlatformSettings.CONTENT, PlatformSettings.COMPLIANCE, PlatformSettings.MEDIA)) {
                String name = "FANZ_SERVICE_KEY_" + service.toUpperCase(Locale.ROOT);
                provided.put(name, settings.find(name).orElseGet(() ->
                    remembered(data.resolve(service + ".service-key"), () -> "fzs_" + randomText())));
            }
            provided.put("FANZ_IDENTITY_ADMIN_EMAIL", settings.get("FANZ_IDENTITY_ADMIN_EMAIL", "admin@fanz.local"));
            provided.put("FANZ_IDENTITY_ADMIN_PASSWORD", settings.find("FANZ_IDENTITY_ADMIN_PASSWORD").orElseGet(() ->
                remembered(data.resolve(ADMIN_PASSWORD_FILE), DemoProvisioning::randomText)));
            provided.put("FANZ_IDENTITY_BOOTSTRAP_TENANTS", String.join(",", brands));
            return provided;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot provision the platform: " + e.getMessage(), e);
        }
    }

    static void printSummary(PlatformSettings settings, Platform platform, PrintStream out) {
        out.println("FanzFinance platform services are running:");
        platform.apps().forEach((name, app) -> out.printf("  %-11s http://%s:%d%n", name, settings.host(), app.port()));
        out.println("  ledger      " + settings.ledgerUrl());
        out.println("Identity admin: " + settings.get("FANZ_IDENTITY_ADMIN_EMAIL", "") + " (password in "
            + settings.dataDirectory().resolve(ADMIN_PASSWORD_FILE) + " unless FANZ_IDENTITY_ADMIN_PASSWORD was given)");
        out.println("Walk-through: docs/platform-services.md. Ctrl-C stops the services.");
        out.flush();
    }

    private interface Maker {
        String make() throws IOException;
    }

    /** The value kept in {@code file}, or a new one from {@code maker} written there first (mode 600). */
    private static String remembered(Path file, Maker maker) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.UTF_8).trim();
            }
            String value = maker.make();
            Path temporary = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(temporary);
            OwnerOnlyFiles.createFile(temporary);
            Files.writeString(temporary, value + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode send(HttpClient http, URI uri, String adminKey, ObjectNode body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + adminKey).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body))).build();
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200 && response.statusCode() != 201) {
                throw new IllegalStateException("the ledger at " + uri + " answered HTTP " + response.statusCode() + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
            }
            return Json.MAPPER.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static String randomText() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
