package com.fanzfinance.server.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import com.fanzfinance.ledger.engine.DataDirectoryLock;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.server.DataDirectoryPermissions;
import com.fanzfinance.server.auth.ApiKey;
import com.fanzfinance.server.auth.KeyStore;
import com.fanzfinance.server.auth.Scope;
import com.fanzfinance.server.auth.TenantRegistry;
import com.fanzfinance.server.config.ServerConfig;

/**
 * API keys: create, list, revoke — through the running server's admin endpoints, or with
 * {@code --offline} on the data directory's key file while the server is stopped. A new key's secret is
 * printed once and stored nowhere.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage API keys.",
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
final class KeysCommand {
    /** Where the keys are: a server, or the data directory itself. */
    static final class Target {
        @Option(names = "--url", description = "server URL (default: http://FANZ_HTTP_HOST:FANZ_HTTP_PORT)")
        String url;

        @Option(names = "--admin-key", description = "admin key (default: FANZ_ADMIN_KEY or <data>/admin.key)")
        String adminKey;

        @Option(names = "--config", paramLabel = "FILE", description = "a file of FANZ_*=value lines")
        Path configFile;

        @Option(names = "--data", paramLabel = "DIR", description = "data directory (default: FANZ_DATA_DIR or ./data)")
        Path dataDirectory;

        @Option(names = "--offline", description = "edit the data directory's keys directly; the server must be stopped")
        boolean offline;

        ServerConfig config() {
            return Settings.load(configFile, dataDirectory);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a key; prints its secret once.")
    static final class Create implements Runnable {
        @Mixin
        Target target;

        @Option(names = "--name", required = true, description = "what the key is for, e.g. 'girlfanz-payments'")
        String name;

        @Option(names = "--scope", required = true, split = ",",
            description = "ledger:write, ledger:read, finance:read, payments:read, payments:write, payments:admin, events:read, payouts:read, payouts:write, payouts:admin, compliance:write, finance:write, admin"
                + " (repeat or comma-separate)")
        List<String> scopes;

        @Option(names = "--tenant", split = ",", description = "tenant slug, e.g. girlfanz (repeat or comma-separate)")
        List<String> tenants = new ArrayList<>();

        @Override
        public void run() {
            Set<Scope> parsed = new LinkedHashSet<>();
            for (String scope : scopes) {
                Scope value = Scope.ofWireName(scope.trim());
                if (value == null) {
                    throw new IllegalArgumentException("unknown scope '" + scope + "' (known: " + String.join(", ",
                        java.util.Arrays.stream(Scope.values()).map(Scope::wireName).toList()) + ")");
                }
                parsed.add(value);
            }
            ServerConfig config = target.config();
            if (target.offline) {
                DataDirectoryPermissions.secure(config.dataDirectory());
                try (DataDirectoryLock lock = DataDirectoryLock.acquire(config.dataDirectory());
                     LedgerEngine engine = LedgerEngine.open(config.engine(), lock)) {
                    TenantRegistry registry = TenantRegistry.attachedTo(config.dataDirectory(), engine);
                    Set<Integer> ids = new TreeSet<>();
                    for (String slug : tenants) {
                        ids.add(registry.register(slug));
                    }
                    if (ids.isEmpty() && !parsed.contains(Scope.ADMIN)) {
                        throw new IllegalArgumentException("a key without the admin scope needs at least one --tenant");
                    }
                    KeyStore.Created created = new KeyStore(config.dataDirectory()).create(name, parsed, ids);
                    print(created.key().id(), name, created.secret());
                }
                return;
            }
            ObjectNode body = AdminClient.json().createObjectNode().put("name", name);
            parsed.forEach(scope -> body.withArray("scopes").add(scope.wireName()));
            tenants.forEach(slug -> body.withArray("tenants").add(slug));
            JsonNode created = AdminClient.of(target.url, target.adminKey, config).post("/v1/admin/keys", body);
            print(created.path("id").asText(), name, created.path("key").asText());
        }

        private static void print(String id, String name, String secret) {
            System.out.println("id:     " + id);
            System.out.println("name:   " + name);
            System.out.println("secret: " + secret);
            System.out.println("(the secret is shown only now; store it in the service's secret store)");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secrets).")
    static final class ListKeys implements Runnable {
        private static final String FORMAT = "%-18s %-28s %-36s %-24s %s%n";

        @Mixin
        Target target;

        @Override
        public void run() {
            ServerConfig config = target.config();
            List<String[]> rows = target.offline ? offline(config) : online(config);
            // Printed only once the keys are in hand: a failure prints its message and nothing else.
            System.out.printf(FORMAT, "ID", "NAME", "SCOPES", "TENANTS", "STATE");
            rows.forEach(row -> System.out.printf(FORMAT, (Object[]) row));
        }

        private static List<String[]> offline(ServerConfig config) {
            List<String[]> rows = new ArrayList<>();
            DataDirectoryPermissions.secure(config.dataDirectory());
            try (DataDirectoryLock lock = DataDirectoryLock.acquire(config.dataDirectory());
                 LedgerEngine engine = LedgerEngine.open(config.engine(), lock)) {
                TenantRegistry registry = TenantRegistry.attachedTo(config.dataDirectory(), engine);
                for (ApiKey key : new KeyStore(config.dataDirectory()).list()) {
                    rows.add(new String[] {key.id(), key.name(),
                        String.join(",", new TreeSet<>(key.scopes().stream().map(Scope::wireName).toList())),
                        String.join(",", new TreeSet<>(key.tenants().stream()
                            .map(id -> registry.slugOf(id).orElse("#" + id)).toList())),
                        key.isActive() ? "active" : "revoked " + key.revoked()});
                }
            }
            return rows;
        }

        private List<String[]> online(ServerConfig config) {
            List<String[]> rows = new ArrayList<>();
            JsonNode keys = AdminClient.of(target.url, target.adminKey, config).get("/v1/admin/keys").path("keys");
            for (JsonNode key : keys) {
                rows.add(new String[] {key.path("id").asText(), key.path("name").asText(), join(key.path("scopes")),
                    join(key.path("tenants")), key.path("revoked").isNull() ? "active" : "revoked "
                        + key.path("revoked").asText()});
            }
            return rows;
        }

        private static String join(JsonNode array) {
            List<String> values = new ArrayList<>();
            array.forEach(value -> values.add(value.asText()));
            return String.join(",", values);
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by its id.")
    static final class Revoke implements Runnable {
        @Mixin
        Target target;

        @Parameters(paramLabel = "ID", description = "the key's id (key_...)")
        String id;

        @Override
        public void run() {
            ServerConfig config = target.config();
            if (target.offline) {
                DataDirectoryPermissions.secure(config.dataDirectory());
                try (DataDirectoryLock lock = DataDirectoryLock.acquire(config.dataDirectory())) {
                    KeyStore keys = new KeyStore(config.dataDirectory());
                    if (!keys.revoke(id)) {
                        throw new IllegalArgumentException("no active key " + id);
                    }
                }
            } else {
                AdminClient.of(target.url, target.adminKey, config).delete("/v1/admin/keys/" + id);
            }
            System.out.println("revoked " + id);
        }
    }
}
