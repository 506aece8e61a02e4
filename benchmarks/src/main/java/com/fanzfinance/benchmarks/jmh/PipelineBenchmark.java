package com.fanzfinance.benchmarks.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

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

import com.fanzfinance.ledger.command.AccountLayout;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.config.EngineConfig;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.engine.CommandOutcome;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.ledger.journal.Durability;

/**
 * The whole journaled pipeline — ring, journal with group commit, state machine, event stream — on
 * 10,000 accounts and {@value #TRANSFERS} transfers in batches of 8,189 (accounts by
 * {@code distribution}, a share {@code twoPhaseShare} of two-phase slots, see {@link TransferWorkload}),
 * submitted by one producer that keeps {@value #WINDOW} batches in flight. Each iteration starts from
 * an empty data directory; the score is time per transfer. The run checks that every transfer was
 * created and that the ledger balances ({@link LedgerCheck}).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-XX:+UseTransparentHugePages", "-XX:+AlwaysPreTouch",
    "-Dagrona.disable.bounds.checks=true"})
@State(Scope.Benchmark)
public class PipelineBenchmark {
    static final int TRANSFERS = 10_000_000;
    static final int BATCH = TransferWorkload.BATCH;
    static final int WINDOW = 8;
    static final int ACCOUNTS = 10_000;

    @Param({"FSYNC", "OS"})
    String durability;

    @Param({"uniform"})
    String distribution;

    /** Share of two-phase slots, 0 … 1 (half of them reserve, half post a reservation). */
    @Param({"0"})
    double twoPhaseShare;

    private final UnsafeBuffer[] results = new UnsafeBuffer[BUFFERS];
    private TransferWorkload workload;
    private Path directory;
    private LedgerEngine engine;
    private long created;

    /** Batch buffers: more than the batches in flight, so none is rewritten while the engine reads it. */
    private static final int BUFFERS = WINDOW * 2;

    @Setup(Level.Iteration)
    public void freshEngine() throws IOException {
        System.gc();
        workload = new TransferWorkload(distribution, ACCOUNTS, twoPhaseShare, 42, BUFFERS);
        for (int b = 0; b < BUFFERS; b++) {
            results[b] = new UnsafeBuffer(new byte[BATCH * ResultLayout.SIZE]);
        }
        created = 0;
        directory = Files.createTempDirectory("pipeline-benchmark");
        engine = LedgerEngine.open(config(directory, Durability.valueOf(durability)));
        createAccounts(engine);
    }

    @Benchmark
    @OperationsPerInvocation(TRANSFERS)
    public long transfers() {
        Deque<CompletableFuture<CommandOutcome>> inFlight = new ArrayDeque<>();
        int[] inFlightCounts = new int[BUFFERS];
        int slot = 0;
        int oldest = 0;
        for (long done = 0; done < TRANSFERS; done += BATCH) {
            int count = (int) Math.min(BATCH, TRANSFERS - done);
            if (inFlight.size() == WINDOW) {
                LedgerEngine.join(inFlight.removeFirst());
                created += LedgerCheck.created(results[oldest], inFlightCounts[oldest]);
                oldest = (oldest + 1) % BUFFERS;
            }
            UnsafeBuffer batch = workload.next(count);
            inFlightCounts[slot] = count;
            inFlight.addLast(engine.submitTransfers(batch, 0, count, null, 0, 0, results[slot], 0));
            slot = (slot + 1) % BUFFERS;
        }
        while (!inFlight.isEmpty()) {
            LedgerEngine.join(inFlight.removeFirst());
            created += LedgerCheck.created(results[oldest], inFlightCounts[oldest]);
            oldest = (oldest + 1) % BUFFERS;
        }
        return created;
    }

    @TearDown(Level.Iteration)
    public void verifyAndClose() throws IOException {
        try {
            LedgerCheck.require(created == TRANSFERS, "created " + created + " of " + TRANSFERS);
            engine.read(machine -> {
                LedgerCheck.check(machine, workload);
                return null;
            });
        } finally {
            engine.close(false);
            deleteTree(directory);
        }
    }

    static EngineConfig config(Path directory, Durability durability) {
        return EngineConfig.defaults(directory).withDurability(durability)
            .withStateMachine(StateMachineConfig.inMemory().withExpected(ACCOUNTS, TRANSFERS), Boolean.getBoolean("mapped"))
            .withSnapshots(1L << 40, 3).withTiming(1000, 60_000);
    }

    static void createAccounts(LedgerEngine engine) {
        UnsafeBuffer records = new UnsafeBuffer(new byte[BATCH * AccountLayout.SIZE]);
        UnsafeBuffer accountResults = new UnsafeBuffer(new byte[BATCH * ResultLayout.SIZE]);
        for (int first = 0; first < ACCOUNTS; first += BATCH) {
            int count = Math.min(BATCH, ACCOUNTS - first);
            records.setMemory(0, records.capacity(), (byte) 0);
            for (int i = 0; i < count; i++) {
                records.putLong(i * AccountLayout.SIZE + AccountLayout.ID, first + i + 1);
                records.putInt(i * AccountLayout.SIZE + AccountLayout.LEDGER, 1);
                records.putShort(i * AccountLayout.SIZE + AccountLayout.CODE, (short) 1);
            }
            LedgerEngine.join(engine.submitAccounts(records, 0, count, null, 0, null, 0, 0, accountResults, 0));
        }
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
