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
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.engine.CommandOutcome;
import com.fanzfinance.ledger.engine.StateMachine;

/**
 * The state machine alone, TigerBeetle's canonical workload: 10,000 accounts, single-phase transfers
 * between uniformly chosen accounts, in batches of 8,189. Each measured invocation applies
 * {@value #TRANSFERS} transfers to a fresh ledger; the score is time per transfer (transfers/s =
 * 1e9 / score). After each iteration the run checks that every transfer was created, that the store
 * holds them all, and that debits and credits balance, so a fast wrong run fails.
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
    static final int BATCH = 8189;
    private static final int TEMPLATES = 8;

    @Param({"10000"})
    int accounts;

    @Param({"uniform"})
    String distribution;

    /** {@code sequential} ids (1, 2, 3, ...) or {@code random} 64-bit ids. */
    @Param({"sequential"})
    String idOrder;

    private StateMachine stateMachine;
    private UnsafeBuffer[] templates;
    private final UnsafeBuffer results = new UnsafeBuffer(new byte[BATCH * ResultLayout.SIZE]);
    private long clock;
    private long nextTransferId;
    private long createdCount;
    private SplittableRandom idRandom;

    @Setup(Level.Trial)
    public void generateBatches() {
        SplittableRandom random = new SplittableRandom(42);
        AccountChooser chooser = AccountChooser.of(distribution, accounts, random);
        templates = new UnsafeBuffer[TEMPLATES];
        for (int t = 0; t < TEMPLATES; t++) {
            templates[t] = new UnsafeBuffer(new byte[BATCH * TransferLayout.SIZE]);
            for (int i = 0; i < BATCH; i++) {
                int offset = i * TransferLayout.SIZE;
                int debit = chooser.next();
                int credit = chooser.nextOtherThan(debit);
                templates[t].putLong(offset + TransferLayout.DEBIT_ACCOUNT_ID, debit + 1);
                templates[t].putLong(offset + TransferLayout.CREDIT_ACCOUNT_ID, credit + 1);
                templates[t].putLong(offset + TransferLayout.AMOUNT, 1 + random.nextInt(1000));
                templates[t].putInt(offset + TransferLayout.LEDGER, 1);
                templates[t].putShort(offset + TransferLayout.CODE, (short) 1);
            }
        }
    }

    @Setup(Level.Iteration)
    public void freshLedger() {
        System.gc();
        stateMachine = new StateMachine(StateMachineConfig.inMemory().withExpected(accounts, TRANSFERS));
        clock = 1_767_225_600_000_000_000L;
        nextTransferId = 1;
        createdCount = 0;
        idRandom = new SplittableRandom(7);
        createAccounts();
    }

    @Benchmark
    @OperationsPerInvocation(TRANSFERS)
    public long transfers() {
        long applied = 0;
        int template = 0;
        while (applied < TRANSFERS) {
            int count = (int) Math.min(BATCH, TRANSFERS - applied);
            UnsafeBuffer batch = templates[template];
            template = (template + 1) % TEMPLATES;
            boolean random = idOrder.equals("random");
            for (int i = 0; i < count; i++) {
                long id = random ? idRandom.nextLong() | 1L << 62 : nextTransferId++;
                batch.putLong(i * TransferLayout.SIZE + TransferLayout.ID, id);
            }
            clock += count;
            if (stateMachine.createTransfers(clock, batch, 0, count, results, 0) != CommandOutcome.APPLIED) {
                throw new IllegalStateException("ledger full");
            }
            createdCount += countCreated(count);
            applied += count;
        }
        return createdCount;
    }

    @TearDown(Level.Iteration)
    public void verifyAndClose() {
        try {
            long[] sums = new long[4];
            for (int slot = 0; slot < stateMachine.accountCount(); slot++) {
                var account = stateMachine.accountAt(slot);
                sums[0] += account.debitsPending();
                sums[1] += account.debitsPosted();
                sums[2] += account.creditsPending();
                sums[3] += account.creditsPosted();
            }
            check(createdCount == TRANSFERS, "created " + createdCount + " of " + TRANSFERS);
            check(stateMachine.transferCount() == TRANSFERS, "store holds " + stateMachine.transferCount());
            check(sums[0] == sums[2] && sums[1] == sums[3], "debits and credits do not balance");
            check(sums[1] > 0, "nothing moved");
        } finally {
            stateMachine.close();
        }
    }

    private int countCreated(int count) {
        int created = 0;
        int createdCode = CreateTransferStatus.CREATED.codeBits();
        for (int i = 0; i < count; i++) {
            if (results.getInt(i * ResultLayout.SIZE + ResultLayout.STATUS) == createdCode) {
                created++;
            }
        }
        return created;
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
        check(stateMachine.accountCount() == accounts, "accounts not created");
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("benchmark result is wrong: " + message);
        }
    }
}
