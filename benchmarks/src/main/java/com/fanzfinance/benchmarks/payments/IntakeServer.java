package com.fanzfinance.benchmarks.payments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fanzfinance.server.LedgerServer;
import com.fanzfinance.server.config.ServerConfig;

/**
 * A real server in this JVM, as {@code fanz serve} would run it: an empty data directory, the journal's
 * durability as configured ({@code fsync} unless {@code FANZ_DURABILITY} says otherwise), memory-mapped
 * stores, the read model and payments on, in fresh schemas of the given PostgreSQL (or of the embedded one
 * under the data directory when there is no URL). Other {@code FANZ_*} variables of the environment reach
 * the server. Closing stops it, drops the schemas and deletes the data directory.
 */
final class IntakeServer implements AutoCloseable {
    /** Settings the benchmark decides; the environment cannot override them. */
    private static final Set<String> OWN = Set.of("FANZ_DATA_DIR", "FANZ_HTTP_HOST", "FANZ_HTTP_PORT",
        "FANZ_ADMIN_KEY", "FANZ_READ_MODEL", "FANZ_PAYMENTS", "FANZ_DB_URL", "FANZ_DB_SCHEMA", "FANZ_PAYMENTS_SCHEMA",
        "FANZ_PLATFORM_SHARE_BP");

    private final LedgerServer server;
    private final ServerConfig config;
    private final Path data;
    private final String dbUrl;
    private final String schema;
    private final String adminKey;
    private final boolean keep;
    private final CpuMeter cpu;

    private IntakeServer(LedgerServer server, ServerConfig config, Path data, String dbUrl, String schema,
                         String adminKey, boolean keep, CpuMeter cpu) {
        this.server = server;
        this.config = config;
        this.data = data;
        this.dbUrl = dbUrl;
        this.schema = schema;
        this.adminKey = adminKey;
        this.keep = keep;
        this.cpu = cpu;
    }

    /**
     * @param dbUrl      JDBC URL of the PostgreSQL for the read model and payments, or null for the embedded one
     * @param platformBp the platform's default share of a payment, basis points
     * @param keep       leave the data directory and schemas behind for inspection
     */
    static IntakeServer start(String dbUrl, int platformBp, boolean keep) throws IOException {
        return start(dbUrl, platformBp, keep, Map.of());
    }

    /** As {@link #start(String, int, boolean)}, with {@code settings} over the environment's (not the benchmark's own). */
    static IntakeServer start(String dbUrl, int platformBp, boolean keep, Map<String, String> settings) throws IOException {
        Path data = Files.createTempDirectory("fanz-intake");
        String schema = "intake_" + ProcessHandle.current().pid() + "_" + System.currentTimeMillis() / 1000;
        String adminKey = "fzk_intake_admin_" + HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
        Map<String, String> environment = new HashMap<>();
        environment.put("FANZ_DURABILITY", "fsync");
        environment.put("FANZ_TRANSFERS_EXPECTED", Integer.toString(1 << 20));
        environment.put("FANZ_LOG_LEVEL", "WARN");
        System.getenv().forEach((name, value) -> {
            if (name.startsWith("FANZ_") && !OWN.contains(name)) {
                environment.put(name, value);
            }
        });
        environment.putAll(settings);
        environment.put("FANZ_DATA_DIR", data.toString());
        environment.put("FANZ_HTTP_HOST", "127.0.0.1");
        environment.put("FANZ_HTTP_PORT", "0");
        environment.put("FANZ_ADMIN_KEY", adminKey);
        environment.put("FANZ_READ_MODEL", "true");
        environment.put("FANZ_PAYMENTS", "true");
        environment.put("FANZ_DB_SCHEMA", schema);
        environment.put("FANZ_PAYMENTS_SCHEMA", schema + "_pay");
        environment.put("FANZ_PLATFORM_SHARE_BP", Integer.toString(platformBp));
        String applicationName = "fanz-intake-" + ProcessHandle.current().pid();
        String serverDbUrl = dbUrl == null ? null
            : dbUrl + (dbUrl.contains("?") ? "&" : "?") + "ApplicationName=" + applicationName;
        if (serverDbUrl != null) {
            environment.put("FANZ_DB_URL", serverDbUrl);
        }
        ServerConfig config = ServerConfig.load(environment);
        // Read by the server's logback.xml when logging starts, which is after this point (as in 'fanz serve').
        System.setProperty("FANZ_LOG_LEVEL", config.logLevel());
        System.setProperty("FANZ_LOG_FORMAT", "text");
        return new IntakeServer(LedgerServer.start(config), config, data, dbUrl, schema, adminKey, keep,
            new CpuMeter(dbUrl, applicationName));
    }

    URI base() {
        return URI.create("http://127.0.0.1:" + server.port());
    }

    String adminKey() {
        return adminKey;
    }

    /** The payments schema, where the benchmarks may load rows directly. */
    String paymentsSchema() {
        return schema + "_pay";
    }

    /** CPU of this JVM and of the server's PostgreSQL backends (tagged with an ApplicationName in the URL). */
    CpuMeter cpu() {
        return cpu;
    }

    /** One line on what runs: durability, stores, where PostgreSQL is. */
    String describe() {
        return "server: durability " + config.engine().durability().name().toLowerCase(Locale.ROOT) + ", mapped stores "
            + config.engine().mappedStores() + ", read model + payments in "
            + (dbUrl == null ? "the embedded PostgreSQL" : dbUrl) + " schemas " + schema
            + " and " + schema + "_pay, data " + data;
    }

    @Override
    public void close() {
        server.close();
        if (keep) {
            return;
        }
        if (dbUrl != null) {
            dropSchemas();
        }
        deleteRecursively(data);
    }

    private void dropSchemas() {
        try (Connection connection = DriverManager.getConnection(dbUrl); Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + "_pay CASCADE");
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("dropping the benchmark's schemas failed: " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
