package com.fanzfinance.benchmarks.jmh;

import java.util.SplittableRandom;
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

import com.fanzfinance.ledger.command.AccountLayout;
import com.fanzfinance.ledger.command.OutcomeLayout;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.engine.CommandOutcome;
import com.fanzfinance.ledger.engine.LedgerListener;
import com.fanzfinance.ledger.engine.OutcomeRecorder;
import com.fanzfinance.ledger.engine.StateMachine;

/**
 * The state machine alone, TigerBeetle's canonical workload: 10,000 accounts, transfers between
 * accounts chosen by {@code distribution} (uniform by default), in batches of 8,189, with a share
 * {@code twoPhaseShare} of two-phase slots (see {@link TransferWorkload}). Each measured invocation
 * applies {@value #TRANSFERS} transfers to a fresh ledger; the score is time per transfer
 * (transfers/s = 1e9 / score). After each iteration the run checks that every transfer was created,
 * that the store holds them all, and that debits and credits balance, so a fast wrong run fails.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+UseTransparentHugePages", "-XX:+AlwaysPreTouch",
    "-Dagrona.disable.bounds.checks=true"})
@State(Scope.Benchmark)
public class StateMachineBenchmark {
    static final int TRANSFERS = 10_000_000;
    static final int BATCH = TransferWorkload.BATCH;
    private static final int BUFFERS = 8;

    @Param({"10000"})
    int accounts;

    @Param({"uniform"})
    String distribution;

    /** Share of two-phase slots, 0 … 1 (half of them reserve, half post a reservation). */
    @Param({"0"})
    double twoPhaseShare;

    /**
     * {@code sequential} ids (1, 2, 3, ...) or {@code random} 64-bit ids (single-phase only: posts
     * name their pending transfer by its sequential id).
     */
    @Param({"sequential"})
    String idOrder;

    /**
     * Whether each batch also records its outcomes, as the server's engine does for the event stream (the record and
     * both accounts' balances per transfer, into the excerpt the event stream's thread then compacts and appends).
     */
    @Param({"false"})
    boolean outcomes;

    private StateMachine stateMachine;
    private OutcomeRecorder recorder;
    private long commandNumber;
    private TransferWorkload workload;
    private final UnsafeBuffer results = new UnsafeBuffer(new byte[BATCH * ResultLayout.SIZE]);
    private long clock;
    private long createdCount;
    private SplittableRandom idRandom;

    @Setup(Level.Iteration)
    public void freshLedger() {
        if (idOrder.equals("random") && twoPhaseShare > 0) {
            throw new IllegalArgumentException("random ids are measured with single-phase transfers only");
        }
        System.gc();
        workload = new TransferWorkload(distribution, accounts, twoPhaseShare, 42, BUFFERS);
        stateMachine = new StateMachine(StateMachineConfig.inMemory().withExpected(accounts, TRANSFERS),
            state -> outcomes ? (recorder = new OutcomeRecorder(state)) : LedgerListener.NONE);
        commandNumber = 0;
        clock = 1_767_225_600_000_000_000L;
        createdCount = 0;
        idRandom = new SplittableRandom(7);
        createAccounts();
    }

    @Benchmark
    @OperationsPerInvocation(TRANSFERS)
    public long transfers() {
        long applied = 0;
        boolean random = idOrder.equals("random");
        while (applied < TRANSFERS) {
            int count = (int) Math.min(BATCH, TRANSFERS - applied);
            UnsafeBuffer batch = workload.next(count);
            if (random) {
                for (int i = 0; i < count; i++) {
                    batch.putLong(i * TransferLayout.SIZE + TransferLayout.ID, idRandom.nextLong() | 1L << 62);
                }
            }
            clock += count;
            if (outcomes) {
                recorder.begin(++commandNumber, clock);
            }
            if (stateMachine.createTransfers(clock, batch, 0, count, results, 0) != CommandOutcome.APPLIED) {
                throw new IllegalStateException("ledger full");
            }
            if (outcomes && recorder.finish(null, 0, 0) < count * OutcomeLayout.OUTCOME_BYTES) {
                throw new IllegalStateException("the batch's outcomes were not recorded");
            }
            createdCount += LedgerCheck.created(results, count);
            applied += count;
        }
        return createdCount;
    }

    @TearDown(Level.Iteration)
    public void verifyAndClose() {
        try {
            LedgerCheck.require(createdCount == TRANSFERS, "created " + createdCount + " of " + TRANSFERS);
            LedgerCheck.check(stateMachine, workload);
        } finally {
            stateMachine.close();
        }
    }

    private void createAccounts() {
        UnsafeBuffer batch = new UnsafeBuffer(new byte[BATCH * AccountLayout.SIZE]);
        for (int first = 0; first < accounts; first += BATCH) {
            int count = Math.min(BATCH, accounts - first);
            batch.setMemory(0, batch.capacity(), (byte) 0);
            for (int i = 0; i < count; i++) {
                batch.putLong(i * AccountLayout.SIZE + AccountLayout.ID, first + i + 1);
                batch.putInt(i * AccountLayout.SIZE + AccountLayout.LEDGER, 1);
                batch.putShort(i * AccountLayout.SIZE + AccountLayout.CODE, (short) 1);
            }
            clock += count;
            stateMachine.createAccounts(clock, batch, 0, count, null, 0, results, 0);
        }
        LedgerCheck.require(stateMachine.accountCount() == accounts, "accounts not created");
    }
}
