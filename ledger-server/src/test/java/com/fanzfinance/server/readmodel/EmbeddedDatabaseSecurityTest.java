package com.fanzfinance.server.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import com.fanzfinance.embedded.EmbeddedDatabase;

/**
 * The embedded PostgreSQL, started for real: only a client with the generated password gets in, over
 * loopback or the owner-only socket; the password file, the cluster, the socket folder and the unpacked
 * binaries are all under the data directory and owner-only; and a cluster made by an older version
 * (trust authentication, no password) is replaced rather than left open.
 */
class EmbeddedDatabaseSecurityTest {
    private static final String OWNER_ONLY_DIRECTORY = "rwx------";

    @Test
    void onlyTheGeneratedPasswordGetsInAndEveryFileIsTheOwnersUnderTheDataDirectory(@TempDir Path data)
        throws Exception {
        try (ReadModelDatabase database = ReadModelDatabase.open(null, "fanz", data)) {
            EmbeddedDatabase embedded = database.embedded();
            EmbeddedDatabase.Layout layout = embedded.layout();
            String url = embedded.jdbcUrl();

            assertThatThrownBy(() -> DriverManager.getConnection(url, login(null)).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password");
            assertThatThrownBy(() -> DriverManager.getConnection(url, login("not-the-password")).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            try (Connection connection = DriverManager.getConnection(url, login(embedded.password()))) {
                assertThat(setting(connection, "listen_addresses")).isEqualTo("localhost");
                assertThat(setting(connection, "unix_socket_directories")).isEqualTo("\"" + layout.socket() + "\"");
                assertThat(setting(connection, "unix_socket_permissions")).isEqualTo("0700");
                assertThat(column(connection, "SELECT DISTINCT auth_method FROM pg_hba_file_rules"))
                    .containsExactly("scram-sha-256");
            }

            Path root = data.toAbsolutePath().normalize();
            assertThat(layout.passwordFile().getParent()).isEqualTo(root);
            assertThat(Files.getPosixFilePermissions(layout.passwordFile()))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.readString(layout.passwordFile(), StandardCharsets.US_ASCII).trim())
                .isEqualTo(embedded.password()).hasSizeGreaterThanOrEqualTo(43);
            for (Path directory : List.of(layout.cluster(), layout.binaries(), layout.socket())) {
                assertThat(directory.getParent()).isEqualTo(root);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
                    .as(directory.toString()).isEqualTo(OWNER_ONLY_DIRECTORY);
            }
            assertThat(layout.socket().resolve(".s.PGSQL." + embedded.port())).exists();
            assertThat(postmasterExecutable(layout.cluster())).startsWith(layout.binaries().toString());
            assertThat(writableByOthers(layout.binaries())).isEmpty();
        }
    }

    @Test
    void aClusterMadeWithoutAPasswordIsReplacedByAProtectedOne(@TempDir Path data) throws Exception {
        Path cluster = data.toAbsolutePath().normalize().resolve("postgres");
        try (EmbeddedPostgres older = EmbeddedPostgres.builder().setDataDirectory(cluster).setCleanDataDirectory(false)
            .start(); Connection trusted = older.getPostgresDatabase().getConnection();
             Statement statement = trusted.createStatement()) {
            statement.execute("CREATE TABLE made_by_the_older_version (id int)");
        }
        try (ReadModelDatabase database = ReadModelDatabase.open(null, "fanz", data)) {
            EmbeddedDatabase embedded = database.embedded();
            assertThatThrownBy(() -> DriverManager.getConnection(embedded.jdbcUrl(), login(null)).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("password");
            try (Connection connection = DriverManager.getConnection(embedded.jdbcUrl(), login(embedded.password()))) {
                assertThat(column(connection, "SELECT tablename FROM pg_tables WHERE tablename = 'made_by_the_older_version'"))
                    .isEmpty();
            }
        }
    }

    private static Properties login(String password) {
        Properties properties = new Properties();
        properties.setProperty("user", EmbeddedDatabase.USER);
        if (password != null) {
            properties.setProperty("password", password);
        }
        return properties;
    }

    private static String setting(Connection connection, String name) throws SQLException {
        return column(connection, "SHOW " + name).get(0);
    }

    private static List<String> column(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /** The program the running postmaster was started from (its pid is the first line of postmaster.pid). */
    private static String postmasterExecutable(Path cluster) throws Exception {
        long pid = Long.parseLong(Files.readAllLines(cluster.resolve("postmaster.pid")).get(0).trim());
        return ProcessHandle.of(pid).orElseThrow().info().command().orElseThrow();
    }

    private static List<Path> writableByOthers(Path root) throws Exception {
        try (Stream<Path> paths = Files.walk(root)) {
            List<Path> writable = new ArrayList<>();
            for (Path path : paths.filter(p -> !Files.isSymbolicLink(p)).toList()) {
                var permissions = Files.getPosixFilePermissions(path);
                if (permissions.contains(PosixFilePermission.GROUP_WRITE)
                    || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                    writable.add(path);
                }
            }
            return writable;
        }
    }
}
