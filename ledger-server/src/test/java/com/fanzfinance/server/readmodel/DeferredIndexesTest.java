package com.fanzfinance.server.readmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.server.TestDatabase;

/**
 * The indexes a rebuild defers: an interrupted rebuild's are built by the next open of the read model (one already
 * there is only forgotten), and nothing but their own definitions is ever run from the table that lists them.
 */
class DeferredIndexesTest {
    private static final List<String> DEFERRED = List.of("postings_pkey", "transfers_id", "transfers_ledger_code",
        "transfers_user_data_128");

    @TempDir
    Path data;
    private final String schema = TestDatabase.freshSchema("deferred_idx");

    @AfterEach
    void dropSchema() {
        TestDatabase.dropSchema(schema);
    }

    @Test
    void anInterruptedRebuildsIndexesAreBuiltByTheNextOpenAndOnesAlreadyThereAreOnlyForgotten() throws Exception {
        ReadModelDatabase.open(TestDatabase.url(), schema, data).close();
        List<String> migrated = indexes();
        assertThat(migrated).containsAll(DEFERRED);
        try (Connection connection = TestDatabase.connect(schema)) {
            connection.setAutoCommit(false);
            DeferredIndexes.drop(connection);
            connection.commit();
        }
        assertThat(indexes()).doesNotContainAnyElementsOf(DEFERRED);
        assertThat(listed()).isEqualTo(4);
        execute("CREATE INDEX transfers_user_data_128 ON transfers (user_data_128, timestamp)");

        ReadModelDatabase.open(TestDatabase.url(), schema, data).close();
        assertThat(indexes()).isEqualTo(migrated);
        assertThat(listed()).isZero();
    }

    @Test
    void twoConnectionsBuildAtOnceTheTransfersIndexesCommittedWhileThePostingsKeyStillWaits() throws Exception {
        List<String> migrated = migratedThenDeferredDropped();
        assertThat(listed()).isEqualTo(4);

        try (Connection first = TestDatabase.connect(schema); Connection second = TestDatabase.connect(schema);
             Connection blocker = TestDatabase.connect(schema)) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            blocker.setAutoCommit(false);
            try (Statement statement = blocker.createStatement()) {
                statement.execute("LOCK TABLE postings IN SHARE MODE"); // the postings' key waits for this
            }
            CompletableFuture<Integer> building = CompletableFuture.supplyAsync(() -> {
                try {
                    return DeferredIndexes.build(first, second);
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!indexes().containsAll(List.of("transfers_id", "transfers_ledger_code", "transfers_user_data_128"))) {
                assertThat(System.nanoTime()).as("the transfers' indexes committed").isLessThan(deadline);
                Thread.sleep(10);
            }
            assertThat(building).as("the postings' key still waits").isNotDone();
            assertThat(indexes()).doesNotContain("postings_pkey");
            assertThat(listed()).isEqualTo(1);
            blocker.rollback();

            assertThat(building.get(30, TimeUnit.SECONDS)).isEqualTo(4);
            assertThat(inTransaction(first)).as("the first connection committed").isFalse();
            assertThat(inTransaction(second)).as("the second connection committed").isFalse();
        }
        assertThat(indexes()).isEqualTo(migrated);
        assertThat(listed()).isZero();
    }

    @Test
    void oneConnectionBuildsThemAllInTheCallersTransaction() throws Exception {
        List<String> migrated = migratedThenDeferredDropped();

        try (Connection connection = TestDatabase.connect(schema)) {
            connection.setAutoCommit(false);
            assertThat(DeferredIndexes.build(connection)).isEqualTo(4);
            assertThat(inTransaction(connection)).as("left for the caller to commit").isTrue();
            connection.rollback();
            assertThat(listed()).as("rolled back: still listed").isEqualTo(4);
            assertThat(DeferredIndexes.build(connection)).isEqualTo(4);
            connection.commit();
        }
        assertThat(indexes()).isEqualTo(migrated);
        assertThat(listed()).isZero();
    }

    @Test
    void aBuildThatFailsOnOneConnectionLeavesItsIndexListedAndTheOtherConnectionsBuilt() throws Exception {
        List<String> migrated = migratedThenDeferredDropped();
        // Two postings with the same key: the postings' key cannot be built until one goes.
        for (int i = 0; i < 2; i++) {
            execute("INSERT INTO postings VALUES ('00000000-0000-0000-0000-000000000001', 5, 5, 0, 1, 0, 1, 0, 0)");
        }

        try (Connection first = TestDatabase.connect(schema); Connection second = TestDatabase.connect(schema)) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            assertThatThrownBy(() -> DeferredIndexes.build(first, second)).isInstanceOf(SQLException.class)
                .hasMessageContaining("postings_pkey");
        }
        assertThat(indexes()).contains("transfers_id", "transfers_ledger_code", "transfers_user_data_128").doesNotContain("postings_pkey");
        assertThat(listed()).isEqualTo(1);

        execute("DELETE FROM postings WHERE ctid = (SELECT max(ctid) FROM postings)");
        ReadModelDatabase.open(TestDatabase.url(), schema, data).close();
        assertThat(indexes()).isEqualTo(migrated);
        assertThat(listed()).isZero();
    }

    @Test
    void aDefinitionThatIsNotOneOfTheDeferredIndexesIsRefusedAndNotRun() throws Exception {
        ReadModelDatabase.open(TestDatabase.url(), schema, data).close();
        execute("DROP INDEX transfers_ledger_code");
        execute("INSERT INTO deferred_indexes (name, definition) VALUES ('transfers_ledger_code', 'CREATE INDEX"
            + " transfers_ledger_code ON " + schema + ".transfers USING btree (ledger); DROP TABLE accounts')");

        assertThatThrownBy(() -> ReadModelDatabase.open(TestDatabase.url(), schema, data))
            .hasMessageContaining("a definition this server does not build for 'transfers_ledger_code'");
        try (Connection connection = TestDatabase.connect(schema); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT to_regclass('accounts') IS NOT NULL")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getBoolean(1)).as("accounts still there").isTrue();
        }
    }

    private List<String> indexes() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = TestDatabase.connect(schema); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
                 + " ORDER BY indexname")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    /** The migrated schema's indexes, before the deferred ones are dropped as a rebuild drops them. */
    private List<String> migratedThenDeferredDropped() throws SQLException {
        ReadModelDatabase.open(TestDatabase.url(), schema, data).close();
        List<String> migrated = indexes();
        dropDeferred();
        return migrated;
    }

    private void dropDeferred() throws SQLException {
        try (Connection connection = TestDatabase.connect(schema)) {
            connection.setAutoCommit(false);
            DeferredIndexes.drop(connection);
            connection.commit();
        }
    }

    private static boolean inTransaction(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT txid_current_if_assigned() IS NOT NULL")) {
            rows.next();
            return rows.getBoolean(1);
        }
    }

    private int listed() throws SQLException {
        try (Connection connection = TestDatabase.connect(schema); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM deferred_indexes")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(schema); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
