package com.fanzfinance.benchmarks.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.ledger.journal.Durability;
import com.fanzfinance.server.readmodel.Projector;
import com.fanzfinance.server.readmodel.ReadModelDatabase;

/**
 * The read model's projector: tailing the engine's event stream into PostgreSQL (COPY, position in the
 * same transaction) exactly as the server does, for {@value #TRANSFERS} transfers between 10,000
 * accounts (by {@code distribution}, with a share {@code twoPhaseShare} of two-phase slots). The trial
 * writes the event stream once; each iteration empties the read model and projects the whole stream;
 * the score is time per transfer.
 *
 * <p>The database is the one named by {@code -Dfanz.benchmark.db-url} (e.g.
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}) or, without it, an embedded PostgreSQL
 * started for the trial. After each iteration the run checks the read model against the engine: every
 * transfer is there, the position is the last command, and each account's latest balances sum to the
 * engine's totals (posted and pending, debits = credits).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-Dagrona.disable.bounds.checks=true"})
@State(Scope.Benchmark)
public class ProjectionBenchmark {
    static final int TRANSFERS = 1_000_000;
    private static final String SCHEMA = "fanz_benchmark_projection";
    private static final long TIMEOUT_MILLIS = TimeUnit.MINUTES.toMillis(30);

    @Param({"uniform"})
    String distribution;

    /** Share of two-phase slots, 0 … 1 (half of them reserve, half post a reservation). */
    @Param({"0"})
    double twoPhaseShare;

    private Path directory;
    private Path eventsDirectory;
    private ReadModelDatabase database;
    private long lastCommand;
    private long[] engineTotals;
    private long transfersInLedger;

    @Setup(Level.Trial)
    public void writeEventStream() throws IOException {
        directory = Files.createTempDirectory("projection-benchmark");
        TransferWorkload workload = new TransferWorkload(distribution, PipelineBenchmark.ACCOUNTS, twoPhaseShare, 42, 2);
        var config = PipelineBenchmark.config(directory.resolve("ledger"), Durability.OS);
        eventsDirectory = config.eventsDirectory();
        LedgerEngine engine = LedgerEngine.open(config);
        try {
            PipelineBenchmark.createAccounts(engine);
            UnsafeBuffer results = new UnsafeBuffer(new byte[TransferWorkload.BATCH * ResultLayout.SIZE]);
            for (long done = 0; done < TRANSFERS; done += TransferWorkload.BATCH) {
                int count = (int) Math.min(TransferWorkload.BATCH, TRANSFERS - done);
                UnsafeBuffer batch = workload.next(count);
                LedgerEngine.join(engine.submitTransfers(batch, 0, count, null, 0, 0, results, 0));
                LedgerCheck.require(LedgerCheck.created(results, count) == count, "a transfer was not created");
            }
            engineTotals = engine.read(machine -> {
                LedgerCheck.check(machine, workload);
                long[] totals = new long[4];
                for (int s = 0; s < machine.accountCount(); s++) {
                    var account = machine.accountAt(s);
                    totals[0] += account.debitsPending();
                    totals[1] += account.debitsPosted();
                    totals[2] += account.creditsPending();
                    totals[3] += account.creditsPosted();
                }
                return totals;
            });
            transfersInLedger = workload.issued();
            lastCommand = engine.lastPublishedCommand();
        } finally {
            engine.close(false);
        }
        database = ReadModelDatabase.open(System.getProperty("fanz.benchmark.db-url"), SCHEMA, directory);
    }

    @Setup(Level.Iteration)
    public void emptyReadModel() throws SQLException {
        execute("TRUNCATE accounts, transfers, postings, projection_position");
        execute("VACUUM ANALYZE");
    }

    @Benchmark
    @OperationsPerInvocation(TRANSFERS)
    public long project() throws InterruptedException {
        try (Projector projector = new Projector(database.dataSource(), eventsDirectory, () -> lastCommand).start()) {
            if (!projector.awaitCommand(lastCommand, TIMEOUT_MILLIS)) {
                throw new IllegalStateException("the projector did not catch up: at command "
                    + projector.position().command() + " of " + lastCommand, projector.lastFailure());
            }
            return projector.position().command();
        }
    }

    @TearDown(Level.Iteration)
    public void checkReadModel() throws SQLException {
        long[] counts = query("SELECT (SELECT count(*) FROM transfers), "
            + "(SELECT command_number FROM projection_position), 0, 0");
        LedgerCheck.require(counts[0] == transfersInLedger,
            "the read model holds " + counts[0] + " transfers, the ledger " + transfersInLedger);
        LedgerCheck.require(counts[1] == lastCommand, "the read model stands at command " + counts[1]
            + ", the engine at " + lastCommand);
        long[] balances = query("SELECT coalesce(sum(debits_pending), 0), coalesce(sum(debits_posted), 0), "
            + "coalesce(sum(credits_pending), 0), coalesce(sum(credits_posted), 0) FROM ("
            + "SELECT DISTINCT ON (account_id) * FROM postings "
            + "ORDER BY account_id, timestamp DESC, transfer_timestamp DESC) latest");
        for (int i = 0; i < 4; i++) {
            LedgerCheck.require(balances[i] == engineTotals[i], "read-model balance total " + i + " is "
                + balances[i] + ", the engine's " + engineTotals[i]);
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        database.close();
        PipelineBenchmark.deleteTree(directory);
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute(sql);
        }
    }

    private long[] query(String sql) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return new long[] {row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4)};
        }
    }
}
