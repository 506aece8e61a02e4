package com.fanzfinance.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL for tests: the one at 127.0.0.1:5432 (database {@code test}) when it is running, as
 * on the development machine, or else an embedded one started once for the test JVM (a fresh CI
 * machine). {@code FANZ_TEST_DB_URL} names another. Each test takes its own schema.
 */
public final class TestDatabase {
    private static final String LOCAL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static String url;
    private static EmbeddedPostgres embedded;

    private TestDatabase() {
    }

    /** The JDBC URL of the test PostgreSQL, starting the embedded one if needed. */
    public static synchronized String url() {
        if (url == null) {
            String configured = System.getenv("FANZ_TEST_DB_URL");
            if (configured != null && !configured.isBlank()) {
                url = configured;
            } else if (localIsUp()) {
                url = LOCAL;
            } else {
                try {
                    embedded = EmbeddedPostgres.builder().start();
                } catch (IOException e) {
                    throw new UncheckedIOException("no PostgreSQL at 127.0.0.1:5432 and the embedded one did not start", e);
                }
                url = embedded.getJdbcUrl("postgres", "postgres");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        embedded.close();
                    } catch (IOException e) {
                        // the JVM is exiting
                    }
                }));
            }
        }
        return url;
    }

    /** A schema name no other test in this run uses (dropped first if a previous run left it). */
    public static String freshSchema(String prefix) {
        String schema = (prefix + "_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet()).toLowerCase();
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        execute("DROP SCHEMA IF EXISTS " + schema + "_pay CASCADE");
        return schema;
    }

    /** Drops the schema and the payments schema beside it ({@link #readModelSettings}). */
    public static void dropSchema(String schema) {
        execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        execute("DROP SCHEMA IF EXISTS " + schema + "_pay CASCADE");
    }

    /** Server settings that put the read model into {@code schema} of the test database. */
    public static Map<String, String> readModelSettings(String schema) {
        return Map.of("FANZ_READ_MODEL", "true", "FANZ_DB_URL", url(), "FANZ_DB_SCHEMA", schema,
            "FANZ_PAYMENTS_SCHEMA", schema + "_pay");
    }

    public static Connection connect(String schema) throws SQLException {
        Connection connection = DriverManager.getConnection(url());
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET search_path TO " + schema);
        }
        return connection;
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(url()); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private static boolean localIsUp() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
