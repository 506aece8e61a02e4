package com.fanzfinance.server.readmodel;

import static com.fanzfinance.server.TestServer.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.journal.OutcomeStream;
import com.fanzfinance.server.TestDatabase;
import com.fanzfinance.server.TestServer;

/**
 * Runs of projected rows written on two connections: the second run's rows load while the first run's
 * transaction is still open, yet runs commit only in the order they were handed over, and a run that fails
 * lets no later run commit. The runs are a real ledger's outcome excerpts, one command each.
 */
class ProjectionWritersTest {
    private static final String DEBIT = new UUID(0xF7, 1).toString();
    private static final String CREDIT = new UUID(0xF7, 2).toString();
    private static final String PENDING = new UUID(0xF7, 10).toString();
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(30);

    @TempDir
    static Path data;
    /** Command numbers: the accounts, three plain transfers, a pending transfer, its post. */
    private static long accounts;
    private static long[] transfers;
    private static long pending;
    private static long post;

    private String schema;
    private ReadModelDatabase database;
    private Connection first;
    private Connection second;
    /** The first connection's backend process. */
    private long firstPid;
    private final List<Long> committed = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void recordALedger() {
        try (TestServer server = TestServer.start(data)) {
            accounts = post(server, "/v1/accounts", "{\"accounts\":[{\"id\":\"" + DEBIT
                + "\",\"ledger\":840,\"code\":1100},{\"id\":\"" + CREDIT + "\",\"ledger\":840,\"code\":4100}]}");
            transfers = new long[3];
            for (int i = 0; i < transfers.length; i++) {
                transfers[i] = post(server, "/v1/transfers", transfer(new UUID(0xF7, 100 + i).toString(), 100 + i, ""));
            }
            pending = post(server, "/v1/transfers", transfer(PENDING, 500, ",\"flags\":[\"pending\"]"));
            post = post(server, "/v1/transfers", "{\"transfers\":[{\"id\":\"" + new UUID(0xF7, 11) + "\",\"pending_id\":\""
                + PENDING + "\",\"amount\":\"300\",\"flags\":[\"post_pending_transfer\"]}]}");
        }
    }

    @BeforeEach
    void openReadModel() throws SQLException {
        schema = TestDatabase.freshSchema("rm_writers");
        database = ReadModelDatabase.open(TestDatabase.url(), schema, data);
        first = database.dataSource().getConnection();
        second = database.dataSource().getConnection();
        first.setAutoCommit(false);
        second.setAutoCommit(false);
        firstPid = count(first, "SELECT pg_backend_pid()");
        first.rollback();
    }

    @AfterEach
    void closeReadModel() throws SQLException {
        first.close();
        second.close();
        database.close();
        TestDatabase.dropSchema(schema);
    }

    @Test
    void aLaterRunLoadsBesideAnOpenEarlierOneButCommitsOnlyAfterIt() throws Exception {
        // The blocker closes (and lets the first run go on) before the writers do, whatever fails: closing the
        // writers waits for the statement each is running.
        try (ProjectionWriters writers = writers()) {
            try (Connection blocker = blocker()) {
                execute(blocker, "LOCK TABLE accounts IN SHARE MODE"); // the first run's COPY into accounts waits
                hand(writers, accounts);
                hand(writers, transfers[0]);
                awaitRowsCopiedUncommitted(blocker);

                assertThat(count("SELECT count(*) FROM projection_position")).as("no run committed").isZero();
                assertThat(count("SELECT count(*) FROM transfers")).isZero();
                assertThat(committed).isEmpty();
            } // the first run goes on, commits, and then the second
            writers.finish();
        }
        assertThat(committed).containsExactly(accounts, transfers[0]);
        assertThat(position()).isEqualTo(transfers[0]);
        assertThat(count("SELECT count(*) FROM accounts")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM transfers")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM postings")).isEqualTo(2);
    }

    @Test
    void aChangeToARowOfTheRunBeforeWaitsUntilThatRunHasCommitted() throws Exception {
        try (ProjectionWriters writers = writers()) {
            commitTheAccountsAndATransfer(writers);
            try (Connection blocker = blocker()) {
                // The pending transfer's run (on the first connection) copies its rows, then waits to save its position.
                execute(blocker, "SELECT * FROM projection_position FOR UPDATE");
                hand(writers, pending);
                hand(writers, post);
                awaitWaitingOnLock(firstPid);
                Thread.sleep(300); // time for a post run that did not wait its turn to update no row
                assertThat(committed).hasSize(2);
            }
            hand(writers, transfers[1]);
            hand(writers, transfers[2]);
            writers.finish();
        }
        assertThat(committed).containsExactly(accounts, transfers[0], pending, post, transfers[1], transfers[2]);
        assertThat(position()).isEqualTo(transfers[2]);
        assertThat(count("SELECT pending_status FROM transfers WHERE id = '" + PENDING + "'"))
            .as("the post (on the other connection) found the pending transfer").isEqualTo(PendingStatus.POSTED.code());
        assertThat(count("SELECT count(*) FROM transfers")).isEqualTo(5);
        assertThat(count("SELECT count(*) FROM postings")).isEqualTo(10);
    }

    @Test
    void aFailedRunLetsNoLaterRunCommit() throws Exception {
        try (ProjectionWriters writers = writers()) {
            commitTheAccountsAndATransfer(writers);
            try (Connection blocker = blocker()) {
                execute(blocker, "LOCK TABLE accounts IN SHARE MODE");
                hand(writers, accounts); // the same accounts again: their key refuses them, once the lock is gone
                hand(writers, transfers[1]);
                awaitRowsCopiedUncommitted(blocker);
            }
            assertThatThrownBy(writers::finish).hasMessageContaining("duplicate key");
            assertThatThrownBy(writers::check).hasMessageContaining("duplicate key");
            assertThatThrownBy(writers::take).hasMessageContaining("duplicate key");
        }
        assertThat(committed).containsExactly(accounts, transfers[0]);
        assertThat(position()).isEqualTo(transfers[0]);
        assertThat(count("SELECT count(*) FROM transfers")).as("nothing after the failed run").isEqualTo(1);
        assertThat(count("SELECT count(*) FROM postings")).isEqualTo(2);
        assertThat(count(second, "SELECT count(*) FROM transfers")).as("the writers left no transaction open").isEqualTo(1);
    }

    @Test
    void aRunWhosePositionAnotherProjectorHasMovedIsRefusedAndNothingAfterItCommits() throws Exception {
        try (ProjectionWriters writers = writers()) {
            hand(writers, accounts);
            awaitCommitted(1);
            try (Connection other = TestDatabase.connect(schema)) {
                execute(other, "UPDATE projection_position SET command_number = " + transfers[1]);
            }
            hand(writers, transfers[0]);
            assertThatThrownBy(() -> {
                hand(writers, transfers[1]); // or this one's hand-over already says why
                writers.finish();
            }).hasMessageContaining("no longer at command " + accounts);
        }
        assertThat(committed).containsExactly(accounts);
        assertThat(position()).isEqualTo(transfers[1]);
        assertThat(count("SELECT count(*) FROM transfers")).isZero();
    }

    @Test
    void aWaitPostgresCannotSeeThroughEndsInTheLockTimeoutNotAHang() throws Exception {
        // The first run (accounts) waits in PostgreSQL for the blocker's lock on projection_position; the blocker
        // waits in PostgreSQL for the second run's lock on postings; the second run waits in this process for the
        // first to commit. PostgreSQL sees no cycle; only the writers' lock_timeout can end it.
        // 5 s: the steps below, from the first run's wait to the blocker's, fit in it with room on a busy machine;
        // the blocker gives up after 15 s, so writers without this timeout (or with the default 30 s) fail the test.
        try (ProjectionWriters writers = new ProjectionWriters(List.of(first, second), true, -1,
            batch -> committed.add(batch.lastCommand()), "5s", null); Connection blocker = blocker()) {
            execute(blocker, "SET statement_timeout = '15s'");
            execute(blocker, "LOCK TABLE projection_position IN SHARE MODE");
            hand(writers, accounts);
            hand(writers, transfers[0]);
            awaitRowsCopiedUncommitted(blocker);
            awaitWaitingOnLock(firstPid);
            long blockerPid = count(blocker, "SELECT pg_backend_pid()");
            CompletableFuture<Void> blocked = CompletableFuture.runAsync(() -> {
                try {
                    execute(blocker, "LOCK TABLE postings IN SHARE MODE");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitWaitingOnLock(blockerPid);

            assertThatThrownBy(writers::finish).hasMessageContaining("lock timeout");
            blocked.get(30, TimeUnit.SECONDS); // granted once the writers rolled back: nothing of theirs is left open
            blocker.rollback();
        }
        assertThat(committed).isEmpty();
        assertThat(count("SELECT count(*) FROM projection_position")).isZero();
        assertThat(count("SELECT count(*) FROM accounts")).isZero();
        assertThat(count("SELECT count(*) FROM postings")).isZero();
    }

    @Test
    void inARebuildAPostInALaterRunFindsItsPendingTransferByTimestampWithoutTheIdIndex() throws Exception {
        execute(first, "DROP INDEX transfers_id"); // as a rebuild does
        first.commit();
        PendingTimestamps pendings = new PendingTimestamps();
        try (ProjectionWriters writers = new ProjectionWriters(List.of(first, second), false, -1,
            batch -> committed.add(batch.lastCommand()), ProjectionWriters.LOCK_TIMEOUT, pendings)) {
            for (long command : new long[] {accounts, transfers[0], pending, post, transfers[1]}) {
                hand(writers, command); // the pending transfer and its post in runs of their own, on the two connections
            }
            writers.finish();
        }
        assertThat(pendings.size()).as("the post took the pending transfer out").isZero();
        assertThat(count("SELECT pending_status FROM transfers WHERE id = '" + PENDING + "'"))
            .isEqualTo(PendingStatus.POSTED.code());

        // A post whose pending transfer the rebuild has not seen is a bug, not a reason to scan the table by id.
        try (ProjectionWriters writers = new ProjectionWriters(List.of(first, second), false, post,
            batch -> committed.add(batch.lastCommand()), ProjectionWriters.LOCK_TIMEOUT, new PendingTimestamps())) {
            assertThatThrownBy(() -> hand(writers, post)).hasMessageContaining("the rebuild does not know the pending"
                + " transfer " + PENDING);
        }
    }

    @Test
    void aProjectorBuildsWhatAnInterruptedRebuildLeftListedBeforeItProjects() throws Exception {
        try (Connection connection = TestDatabase.connect(schema)) {
            connection.setAutoCommit(false);
            DeferredIndexes.drop(connection); // a rebuild interrupted after this, with the database already open
            connection.commit();
        }
        assertThat(count("SELECT count(*) FROM deferred_indexes")).isEqualTo(4);
        first.close(); // the projector's writers take the pool's connections
        second.close();
        try (Projector projector = new Projector(database.dataSource(), data.resolve("events"), () -> post).start()) {
            assertThat(projector.awaitCommand(post, 30_000)).as("projected; last failure %s", projector.lastFailure()).isTrue();
        }
        assertThat(count("SELECT count(*) FROM deferred_indexes")).isZero();
        assertThat(count("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN"
            + " ('transfers_id', 'transfers_ledger_code', 'transfers_user_data_128', 'postings_pkey')")).isEqualTo(4);
        assertThat(count("SELECT pending_status FROM transfers WHERE id = '" + PENDING + "'"))
            .isEqualTo(PendingStatus.POSTED.code());
    }

    @Test
    void oneConnectionWritesTheRunsOneAfterTheOther() throws Exception {
        try (ProjectionWriters writers = new ProjectionWriters(List.of(first), true, -1,
            batch -> committed.add(batch.lastCommand()))) {
            for (long command : new long[] {accounts, transfers[0], pending, post}) {
                hand(writers, command);
            }
            writers.finish();
        }
        assertThat(committed).containsExactly(accounts, transfers[0], pending, post);
        assertThat(position()).isEqualTo(post);
        assertThat(count("SELECT pending_status FROM transfers WHERE id = '" + PENDING + "'"))
            .isEqualTo(PendingStatus.POSTED.code());
    }

    /** Hands over the accounts' run and the first transfer's, and waits until both have committed. */
    private void commitTheAccountsAndATransfer(ProjectionWriters writers) throws InterruptedException {
        hand(writers, accounts);
        hand(writers, transfers[0]);
        awaitCommitted(2);
    }

    /** A session of the test's own, in a transaction, to take locks the writers must wait for. */
    private Connection blocker() throws SQLException {
        Connection connection = TestDatabase.connect(schema);
        connection.setAutoCommit(false);
        return connection;
    }

    private void awaitCommitted(int runs) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        while (committed.size() < runs) {
            assertThat(System.nanoTime()).as("%d runs committed", runs).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** Waits until the backend of process {@code pid} waits for a lock. */
    private static void awaitWaitingOnLock(long pid) throws Exception {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        try (Connection observer = TestDatabase.connect("public")) {
            while (count(observer, "SELECT count(*) FROM pg_stat_activity WHERE pid = " + pid
                + " AND wait_event_type = 'Lock'") == 0) {
                assertThat(System.nanoTime()).as("backend %d waits for a lock", pid).isLessThan(deadline);
                Thread.sleep(10);
            }
        }
    }

    private ProjectionWriters writers() {
        return new ProjectionWriters(List.of(first, second), true, -1, batch -> committed.add(batch.lastCommand()));
    }

    /** Hands over a run holding command {@code command}'s outcomes, read from the ledger's event stream. */
    private static void hand(ProjectionWriters writers, long command) {
        ProjectionBatch batch = writers.take();
        try (OutcomeStream stream = OutcomeStream.open(data.resolve("events"))) {
            stream.resumeAfter(-1, -1);
            while (stream.next()) {
                if (stream.excerpt().commandNumber() == command) {
                    batch.add(stream.excerpt(), stream.index());
                }
            }
        }
        assertThat(batch.excerpts()).as("command %d is in the event stream", command).isEqualTo(1);
        writers.write(batch);
    }

    /** Waits until a writer other than {@code blocker}'s has copied rows into postings and not committed them. */
    private void awaitRowsCopiedUncommitted(Connection blocker) throws Exception {
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        String query = "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            + " WHERE c.relname = 'postings' AND c.relnamespace = '" + schema + "'::regnamespace"
            + " AND l.mode = 'RowExclusiveLock' AND l.granted AND l.pid <> pg_backend_pid()";
        while (count(blocker, query) == 0) {
            assertThat(System.nanoTime()).as("the second run's rows were copied while the first waited")
                .isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private long position() throws SQLException {
        return count("SELECT command_number FROM projection_position");
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = TestDatabase.connect(schema)) {
            return count(connection, sql);
        }
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as("a row for %s", sql).isTrue();
            return rows.getLong(1);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String transfer(String id, long amount, String more) {
        return "{\"transfers\":[{\"id\":\"" + id + "\",\"debit_account_id\":\"" + DEBIT + "\",\"credit_account_id\":\""
            + CREDIT + "\",\"amount\":\"" + amount + "\",\"ledger\":840,\"code\":1" + more + "}]}";
    }

    /** Posts one command and returns its number. */
    private static long post(TestServer server, String path, String body) {
        TestServer.Response response = server.postJson(path, ADMIN_KEY, body);
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        assertThat(response.json().path("results").get(0).path("status").asText()).isEqualTo("created");
        return server.server().engine().lastPublishedCommand();
    }
}
