package com.fanzfinance.server.readmodel;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import com.fanzfinance.embedded.EmbeddedDatabase;
import com.fanzfinance.server.config.ServerConfig;

/**
 * The read model's PostgreSQL: the server named by {@code FANZ_DB_URL}, or else an embedded one whose
 * files live under the data directory (see {@link EmbeddedDatabase}), so the run command works on a fresh
 * machine. Migrated with Flyway at start into its own schema; queries through jOOQ.
 *
 * <p>Two connection pools, so that readers can never starve projection: a small one for the writer (the
 * projector, or a rebuild) and one of {@code FANZ_READ_MODEL_READERS} connections for reports and
 * listings. Both have the schema on the search path.
 */
public final class ReadModelDatabase implements AutoCloseable {
    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    /** Connections the projector writes on when the configuration does not say ({@link ProjectionWriters}). */
    public static final int WRITERS_DEFAULT = 2;
    /** How long a report waits for a free reader connection before 503 {@code read-model-unavailable}. */
    private static final Duration READER_WAIT = Duration.ofSeconds(10);

    private final EmbeddedDatabase embedded;
    private final HikariDataSource writers;
    private final HikariDataSource readers;
    private final int writerConnections;
    private final DSLContext dsl;
    private final String schema;
    private final Login login;

    private ReadModelDatabase(EmbeddedDatabase embedded, HikariDataSource writers, int writerConnections,
                              HikariDataSource readers,
                              String schema, Login login) {
        this.login = login;
        this.embedded = embedded;
        this.writers = writers;
        this.writerConnections = writerConnections;
        this.readers = readers;
        this.schema = schema;
        this.dsl = DSL.using(writers, SQLDialect.POSTGRES);
    }

    /** Connects with the default reader pool (for tools and benchmarks); see {@link #open(ServerConfig.ReadModel, Path)}. */
    public static ReadModelDatabase open(String jdbcUrl, String schema, Path dataDirectory) {
        return open(jdbcUrl, schema, dataDirectory, 1, WRITERS_DEFAULT, true);
    }

    /** Connects (starting the embedded server when the configuration names none) and migrates the schema. */
    public static ReadModelDatabase open(ServerConfig.ReadModel config, Path dataDirectory) {
        return open(config.jdbcUrl(), config.schema(), dataDirectory, config.readersMax(), config.writers(), true);
    }

    /**
     * {@link #open(ServerConfig.ReadModel, Path)} for a rebuild: the indexes an interrupted rebuild left to build
     * stay listed (the rebuild empties the tables and builds them at its end) instead of being built over rows
     * about to be deleted.
     */
    static ReadModelDatabase openForRebuild(ServerConfig.ReadModel config, Path dataDirectory) {
        return open(config.jdbcUrl(), config.schema(), dataDirectory, config.readersMax(), config.writers(), false);
    }

    /**
     * @param writerConnections connections the projector (or a rebuild) writes on at once; the writers' pool has one
     *                          more, so that a brief read of the position (at start, on standby) never waits for them
     */
    private static ReadModelDatabase open(String jdbcUrl, String schema, Path dataDirectory, int readersMax,
                                          int writerConnections, boolean buildDeferred) {
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("not a schema name: " + schema);
        }
        EmbeddedDatabase embedded = jdbcUrl == null ? EmbeddedDatabase.start(dataDirectory) : null;
        Login login = embedded != null ? new Login(embedded.jdbcUrl(), EmbeddedDatabase.USER, embedded.password())
            : new Login(jdbcUrl, null, null);
        HikariDataSource writers = null;
        try {
            writers = pool(login, schema, "read-model-writer", writerConnections + 1);
            // Before migrating: a migration may expect these indexes where the migrations left them.
            if (buildDeferred) {
                buildDeferredIndexes(writers, schema, writerConnections);
            }
            Flyway.configure().dataSource(login.url(), login.user(), login.password()).schemas(schema)
                .createSchemas(true).locations("classpath:db/migration").load().migrate();
            HikariDataSource readers = pool(login, schema, "read-model-readers", readersMax);
            return new ReadModelDatabase(embedded, writers, writerConnections, readers, schema, login);
        } catch (RuntimeException | Error e) {
            if (writers != null) {
                writers.close();
            }
            if (embedded != null) {
                embedded.close();
            }
            throw e;
        }
    }

    /** Builds the indexes an interrupted rebuild left to build, before anything reads or writes the read model. */
    private static void buildDeferredIndexes(HikariDataSource writers, String schema, int writerConnections) {
        try (Connection connection = writers.getConnection()) {
            connection.setAutoCommit(false);
            long started = System.nanoTime();
            int built = DeferredIndexes.buildListed(connection, writers, writerConnections);
            if (built > 0) {
                LoggerFactory.getLogger(ReadModelDatabase.class).warn("built {} indexes of schema {} that an"
                    + " interrupted rebuild had left to build, in {} ms", built, schema,
                    (System.nanoTime() - started) / 1_000_000);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot build the read model's deferred indexes: " + e.getMessage(), e);
        }
    }

    /** Where and as whom to connect; user and password are null when the URL carries them. */
    private record Login(String url, String user, String password) {
    }

    /**
     * Another schema on the same PostgreSQL server (the payments state lives beside the read model): migrates
     * it with the Flyway scripts at {@code flywayLocation} and returns a pool of {@code size} connections with
     * it on the search path. The caller closes the pool before this database.
     */
    public HikariDataSource openSchema(String otherSchema, String flywayLocation, String poolName, int size) {
        if (!SCHEMA.matcher(otherSchema).matches() || otherSchema.equals(schema)) {
            throw new IllegalArgumentException("not a schema name beside " + schema + ": " + otherSchema);
        }
        Flyway.configure().dataSource(login.url(), login.user(), login.password()).schemas(otherSchema)
            .createSchemas(true).locations(flywayLocation).load().migrate();
        // Plans for the actual values every time: a generic plan cached while the tables were nearly empty
        // would scan them whole once they have grown (PostgreSQL re-plans only after ANALYZE).
        return pool(login, otherSchema, poolName, size, "SET plan_cache_mode TO force_custom_plan");
    }

    /** The writer's pool: the projector's, or a rebuild's. */
    public DataSource dataSource() {
        return writers;
    }

    /** How many connections the projector (or a rebuild) writes on at once ({@code FANZ_READ_MODEL_WRITERS}). */
    public int writerConnections() {
        return writerConnections;
    }

    /** The readers' pool: reports, statements, exports and listings. */
    public DataSource readerDataSource() {
        return readers;
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

    /** The embedded server, or null. */
    EmbeddedDatabase embedded() {
        return embedded;
    }

    private static HikariDataSource pool(Login login, String schema, String name, int size) {
        return pool(login, schema, name, size, null);
    }

    private static HikariDataSource pool(Login login, String schema, String name, int size, String moreInitSql) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(login.url());
        if (login.user() != null) {
            config.setUsername(login.user());
            config.setPassword(login.password());
        }
        config.setPoolName(name);
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(READER_WAIT.toMillis());
        config.setConnectionInitSql("SET search_path TO " + schema + (moreInitSql == null ? "" : "; " + moreInitSql));
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(config);
    }

    @Override
    public void close() {
        readers.close();
        writers.close();
        if (embedded != null) {
            embedded.close();
        }
    }
}
