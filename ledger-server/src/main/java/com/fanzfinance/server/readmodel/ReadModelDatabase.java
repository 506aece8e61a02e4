package com.fanzfinance.server.readmodel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The read model's PostgreSQL: the server named by {@code FANZ_DB_URL}, or else an embedded one whose
 * files live under {@code <data>/postgres} (so the run command works on a fresh machine). Migrated with
 * Flyway at start into its own schema; connections from a HikariCP pool with that schema on the search
 * path; queries through jOOQ.
 */
public final class ReadModelDatabase implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadModelDatabase.class);
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    static final int POOL_SIZE_MAX = 8;

    private final EmbeddedPostgres embedded;
    private final HikariDataSource pool;
    private final DSLContext dsl;
    private final String schema;

    private ReadModelDatabase(EmbeddedPostgres embedded, HikariDataSource pool, String schema) {
        this.embedded = embedded;
        this.pool = pool;
        this.schema = schema;
        this.dsl = DSL.using(pool, SQLDialect.POSTGRES);
    }

    /**
     * Connects (starting the embedded server when {@code jdbcUrl} is null) and migrates the schema.
     *
     * @param schema the schema the read model lives in (created if missing)
     */
    public static ReadModelDatabase open(String jdbcUrl, String schema, Path dataDirectory) {
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("not a schema name: " + schema);
        }
        EmbeddedPostgres embedded = jdbcUrl == null ? startEmbedded(dataDirectory.resolve("postgres")) : null;
        String url = embedded != null ? embedded.getJdbcUrl("postgres", "postgres") : jdbcUrl;
        HikariDataSource pool = null;
        try {
            Flyway.configure().dataSource(url, null, null).schemas(schema).createSchemas(true)
                .locations("classpath:db/migration").load().migrate();
            pool = pool(url, schema);
            return new ReadModelDatabase(embedded, pool, schema);
        } catch (RuntimeException | Error e) {
            if (pool != null) {
                pool.close();
            }
            closeQuietly(embedded);
            throw e;
        }
    }

    public DataSource dataSource() {
        return pool;
    }

    public DSLContext dsl() {
        return dsl;
    }

    public String schema() {
        return schema;
    }

    /** True when this is the embedded server under the data directory. */
    public boolean isEmbedded() {
        return embedded != null;
    }

    private static HikariDataSource pool(String url, String schema) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setPoolName("read-model");
        config.setMaximumPoolSize(POOL_SIZE_MAX);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        config.setConnectionInitSql("SET search_path TO " + schema);
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(config);
    }

    /**
     * Starts the embedded PostgreSQL with durable settings (fsync on; the library's test defaults turn it
     * off). A server left running by a process that was killed is stopped first: it would hold the files.
     */
    private static EmbeddedPostgres startEmbedded(Path directory) {
        try {
            Files.createDirectories(directory);
            stopOrphan(directory);
            LOG.info("starting the embedded PostgreSQL in {}", directory.toAbsolutePath());
            return EmbeddedPostgres.builder()
                .setDataDirectory(directory)
                .setCleanDataDirectory(false)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setPGStartupWait(Duration.ofSeconds(120))
                .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + directory, e);
        }
    }

    /** Stops a postgres still running on {@code directory} (its pid is in postmaster.pid), if any. */
    static void stopOrphan(Path directory) throws IOException {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream().findFirst().orElse("").trim();
        long pid;
        try {
            pid = Long.parseLong(first);
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid)
            .filter(handle -> handle.info().command().map(command -> command.contains("postgres")).orElse(false));
        if (process.isEmpty()) {
            return;
        }
        LOG.warn("stopping the embedded PostgreSQL (pid {}) left running by an earlier process", pid);
        process.get().destroy();
        try {
            process.get().onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            process.get().destroyForcibly();
        }
    }

    @Override
    public void close() {
        pool.close();
        closeQuietly(embedded);
    }

    private static void closeQuietly(EmbeddedPostgres embedded) {
        if (embedded == null) {
            return;
        }
        try {
            embedded.close();
        } catch (IOException e) {
            LOG.warn("the embedded PostgreSQL did not stop cleanly: {}", e.getMessage());
        }
    }
}
