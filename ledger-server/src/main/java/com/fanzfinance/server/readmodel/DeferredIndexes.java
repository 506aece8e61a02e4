package com.fanzfinance.server.readmodel;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * The indexes a rebuild drops while it loads the read model and builds once at the end: building an index over
 * rows already there is far cheaper than maintaining it row by row (1 M transfers: the postings' primary key
 * alone turned a 1.7 s COPY into 10 s). Deferred: the postings' primary key, the transfers' two secondary
 * indexes and their unique id index (a rebuild's posts and voids find the pending transfer by its timestamp,
 * {@link PendingTimestamps}). Kept: the transfers' primary key and the accounts' indexes, which the projection's
 * updates (a pending transfer's status, an account's closed flag) look rows up by.
 *
 * <p>Each definition is taken from PostgreSQL's catalog as the migrations made it and stored in
 * {@code deferred_indexes} in the same transaction that drops the index, so a rebuild that is interrupted
 * leaves behind what to build, and {@link #build} — run by every open of the read model and at the end of a
 * rebuild — builds it and forgets it in one transaction.
 */
final class DeferredIndexes {
    private static final List<String> INDEXES = List.of("transfers_ledger_code", "transfers_user_data_128", "transfers_id");
    private static final String POSTINGS_KEY = "postings_pkey";
    /**
     * The only statements {@link #build} runs: the catalog's own shapes for these names, one statement each (no
     * semicolon can match), so a row someone slipped into the table cannot make a start run other SQL.
     */
    private static final java.util.regex.Pattern BUILDABLE = java.util.regex.Pattern.compile(
        "CREATE INDEX (transfers_ledger_code|transfers_user_data_128) ON [a-z_][a-z0-9_]*\\.transfers USING btree"
            + " \\([a-z0-9_\", ]+\\)|CREATE UNIQUE INDEX transfers_id ON [a-z_][a-z0-9_]*\\.transfers USING btree \\(id\\)"
            + "|ALTER TABLE postings ADD CONSTRAINT postings_pkey PRIMARY KEY \\([a-z0-9_\", ]+\\)");

    private DeferredIndexes() {
    }

    /** Records and drops the deferred indexes that exist, in the connection's current transaction. */
    static void drop(Connection connection) throws SQLException {
        for (String index : INDEXES) {
            String definition = single(connection, "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                + " AND indexname = ?", index);
            if (definition != null) {
                remember(connection, index, definition);
                execute(connection, "DROP INDEX " + index);
            }
        }
        String key = single(connection, "SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_namespace n"
            + " ON n.oid = c.connamespace WHERE n.nspname = current_schema() AND c.conname = ?", POSTINGS_KEY);
        if (key != null) {
            remember(connection, POSTINGS_KEY, "ALTER TABLE postings ADD CONSTRAINT " + POSTINGS_KEY + " " + key);
            execute(connection, "ALTER TABLE postings DROP CONSTRAINT " + POSTINGS_KEY);
        }
    }

    /**
     * Builds every index recorded in {@code deferred_indexes} and forgets it, in the connection's current
     * transaction; returns how many were built.
     */
    static int build(Connection connection) throws SQLException {
        return buildRows(connection, "TRUE");
    }

    /**
     * Builds every index recorded in {@code deferred_indexes} and forgets it: the postings' key on {@code second}
     * while the transfers' indexes are built on {@code first}; each connection builds and forgets its indexes in a
     * transaction of its own, committed on return (an interruption leaves listed only what is still to build).
     * PostgreSQL already sorts each index on parallel workers, but its heap scans, the merging and the writing of
     * an index are one process's: two builds at once took 1.95 s against 2.30 s one after the other for 1 M
     * transfers. If both fail, the second connection's failure is attached to the first's as suppressed. Returns
     * how many were built.
     */
    static int build(Connection first, Connection second) throws SQLException {
        java.util.Objects.requireNonNull(second, "second");
        int[] builtThere = new int[1];
        Throwable[] failedThere = new Throwable[1];
        Thread other = new Thread(() -> {
            try {
                builtThere[0] = buildRows(second, "name = '" + POSTINGS_KEY + "'");
                second.commit();
            } catch (Throwable e) {
                failedThere[0] = e;
            }
        }, "read-model-index-build");
        other.start();
        int built;
        Throwable failedHere = null;
        try {
            built = buildRows(first, "name <> '" + POSTINGS_KEY + "'");
            first.commit();
        } catch (SQLException | RuntimeException | Error e) {
            failedHere = e;
            throw e;
        } finally {
            // Joined before anything is thrown or returned: the second connection goes back to its owner idle.
            Joins.uninterruptibly(other);
            if (failedHere != null && failedThere[0] != null) {
                failedHere.addSuppressed(failedThere[0]);
            }
        }
        if (failedThere[0] instanceof SQLException e) {
            throw e;
        }
        if (failedThere[0] != null) {
            throw new IllegalStateException("building the postings' key failed: " + failedThere[0], failedThere[0]);
        }
        return built + builtThere[0];
    }

    /**
     * Builds what {@code deferred_indexes} lists (nothing while the schema has no such table) and commits: on
     * {@code first} alone, or — with {@code connections} of 2 or more and something listed — on {@code first} and a
     * second connection from {@code pool} at once ({@link #build(Connection, Connection)}). {@code first} has
     * auto-commit off. Returns how many were built.
     */
    static int buildListed(Connection first, DataSource pool, int connections) throws SQLException {
        if (!tracked(first)) {
            first.commit();
            return 0;
        }
        if (connections < 2 || !anyListed(first)) {
            int built = build(first);
            first.commit();
            return built;
        }
        try (Connection second = pool.getConnection()) {
            second.setAutoCommit(false);
            return build(first, second);
        }
    }

    /** Whether {@code deferred_indexes} lists anything to build (read without a lock: a hint, not a claim). */
    static boolean anyListed(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT 1 FROM deferred_indexes LIMIT 1")) {
            return rows.next();
        }
    }

    /**
     * Builds the recorded indexes whose rows match {@code which} (a constant condition of this class, never from
     * outside) and forgets them, in the connection's current transaction.
     */
    private static int buildRows(Connection connection, String which) throws SQLException {
        List<String[]> pending = new ArrayList<>();
        // FOR UPDATE: of two servers opening the schema at once, the second waits, then finds nothing left.
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name, definition FROM deferred_indexes WHERE " + which
                 + " ORDER BY name FOR UPDATE")) {
            while (rows.next()) {
                pending.add(new String[] {rows.getString(1), rows.getString(2)});
            }
        }
        if (pending.isEmpty()) {
            return 0;
        }
        // Sorting for a whole table's index at once; a setting of this transaction only.
        execute(connection, "SET LOCAL maintenance_work_mem = '256MB'");
        int built = 0;
        for (String[] index : pending) {
            String name = index[0];
            String definition = index[1];
            if (!BUILDABLE.matcher(definition).matches() || !definition.contains(" " + name + " ")) {
                throw new SQLException("deferred_indexes holds a definition this server does not build for '" + name
                    + "': " + definition);
            }
            // Already there (built by hand, or by a migration): nothing to build, only to forget.
            if (!exists(connection, name)) {
                execute(connection, definition);
                built++;
            }
            try (PreparedStatement forget = connection.prepareStatement("DELETE FROM deferred_indexes WHERE name = ?")) {
                forget.setString(1, name);
                forget.executeUpdate();
            }
        }
        return built;
    }

    /** Whether an index (or constraint) of this name is in the current schema. */
    private static boolean exists(Connection connection, String name) throws SQLException {
        return single(connection, "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND indexname = ?",
            name) != null;
    }

    /** Whether the current schema has the table at all (it comes with the second migration). */
    static boolean tracked(Connection connection) throws SQLException {
        return single(connection, "SELECT to_regclass(?)::text", "deferred_indexes") != null;
    }

    private static void remember(Connection connection, String name, String definition) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO deferred_indexes (name, definition)"
            + " VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
            statement.setString(1, name);
            statement.setString(2, definition);
            statement.executeUpdate();
        }
    }

    private static String single(Connection connection, String query, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
