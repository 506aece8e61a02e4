package com.fanzfinance.benchmarks.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.SplittableRandom;
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
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.config.EngineConfig;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.engine.CommandOutcome;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.ledger.journal.Durability;

/**
 * The whole journaled pipeline — ring, journal with group commit, state machine, event stream — on
 * 10,000 accounts and {@value #TRANSFERS} single-phase transfers in batches of 8,189, submitted by one
 * producer that keeps {@value #WINDOW} batches in flight. Each iteration starts from an empty data
 * directory; the score is time per transfer. The run checks that every transfer was created and that
 * debits equal credits.
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
    static final int BATCH = 8189;
    static final int WINDOW = 8;
    static final int ACCOUNTS = 10_000;

    @Param({"FSYNC", "OS"})
    String durability;

    @Param({"uniform"})
    String distribution;

    private UnsafeBuffer[] batches;
    private UnsafeBuffer[] results;
    private Path directory;
    private LedgerEngine engine;

    @Setup(Level.Trial)
    public void generate() {
        SplittableRandom random = new SplittableRandom(42);
        AccountChooser chooser = AccountChooser.of(distribution, ACCOUNTS, random);
        batches = new UnsafeBuffer[WINDOW * 2];
        results = new UnsafeBuffer[WINDOW * 2];
        for (int b = 0; b < batches.length; b++) {
            batches[b] = new UnsafeBuffer(new byte[BATCH * TransferLayout.SIZE]);
            results[b] = new UnsafeBuffer(new byte[BATCH * ResultLayout.SIZE]);
            for (int i = 0; i < BATCH; i++) {
                int offset = i * TransferLayout.SIZE;
                int debit = chooser.next();
                batches[b].putLong(offset + TransferLayout.DEBIT_ACCOUNT_ID, debit + 1);
                batches[b].putLong(offset + TransferLayout.CREDIT_ACCOUNT_ID, chooser.nextOtherThan(debit) + 1);
                batches[b].putLong(offset + TransferLayout.AMOUNT, 1 + random.nextInt(1000));
                batches[b].putInt(offset + TransferLayout.LEDGER, 1);
                batches[b].putShort(offset + TransferLayout.CODE, (short) 1);
            }
        }
    }

    @Setup(Level.Iteration)
    public void freshEngine() throws IOException {
        System.gc();
        directory = Files.createTempDirectory("pipeline-benchmark");
        engine = LedgerEngine.open(config(directory, Durability.valueOf(durability)));
        createAccounts(engine);
    }

    @Benchmark
    @OperationsPerInvocation(TRANSFERS)
    public long transfers() {
        Deque<CompletableFuture<CommandOutcome>> inFlight = new ArrayDeque<>();
        long nextId = 1;
        int slot = 0;
        for (long done = 0; done < TRANSFERS; done += BATCH) {
            int count = (int) Math.min(BATCH, TRANSFERS - done);
            if (inFlight.size() == WINDOW) {
                LedgerEngine.join(inFlight.removeFirst());
            }
            UnsafeBuffer batch = batches[slot];
            for (int i = 0; i < count; i++) {
                batch.putLong(i * TransferLayout.SIZE + TransferLayout.ID, nextId++);
            }
            inFlight.addLast(engine.submitTransfers(batch, 0, count, null, 0, 0, results[slot], 0));
            slot = (slot + 1) % batches.length;
        }
        inFlight.forEach(LedgerEngine::join);
        return nextId;
    }

    @TearDown(Level.Iteration)
    public void verifyAndClose() throws IOException {
        try {
            long[] totals = engine.read(machine -> {
                long[] sums = new long[3];
                for (int s = 0; s < machine.accountCount(); s++) {
                    sums[0] += machine.accountAt(s).debitsPosted();
                    sums[1] += machine.accountAt(s).creditsPosted();
                }
                sums[2] = machine.transferCount();
                return sums;
            });
            StateMachineBenchmark.check(totals[2] == TRANSFERS, "the ledger holds " + totals[2] + " transfers");
            StateMachineBenchmark.check(totals[0] == totals[1] && totals[0] > 0, "debits and credits do not balance");
            StateMachineBenchmark.check(lastBatchCreated(), "the last batch was not created");
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

    private boolean lastBatchCreated() {
        int last = (int) (((TRANSFERS + BATCH - 1) / BATCH - 1) % batches.length);
        int count = TRANSFERS % BATCH == 0 ? BATCH : TRANSFERS % BATCH;
        for (int i = 0; i < count; i++) {
            if (results[last].getInt(i * ResultLayout.SIZE + ResultLayout.STATUS) != CreateTransferStatus.CREATED.codeBits()) {
                return false;
            }
        }
        return true;
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
