package com.fanzfinance.benchmarks.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
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

/**
 * Restarting an engine whose journal holds {@value PipelineBenchmark#TRANSFERS} transfers (10,000 accounts,
 * batches of 8,189, accounts by {@code distribution}, a share {@code twoPhaseShare} of two-phase slots):
 * {@code replay} starts with no snapshot and replays the whole journal (checking every
 * batch's CRC and hash chain); {@code snapshot} starts from a snapshot taken at the end. The score is the
 * time of one restart, from opening the engine to its accepting commands. Each restart checks that all
 * transfers are back and the ledger balances ({@link LedgerCheck}).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-XX:+UseTransparentHugePages", "-XX:+AlwaysPreTouch",
    "-Dagrona.disable.bounds.checks=true"})
@State(Scope.Benchmark)
public class RecoveryBenchmark {
    @Param({"replay", "snapshot"})
    String start;

    @Param({"uniform"})
    String distribution;

    /** Share of two-phase slots, 0 … 1 (half of them reserve, half post a reservation). */
    @Param({"0"})
    double twoPhaseShare;

    private TransferWorkload workload;

    private Path directory;

    @Setup(Level.Trial)
    public void buildJournal() throws IOException {
        directory = Files.createTempDirectory("recovery-benchmark");
        LedgerEngine engine = LedgerEngine.open(PipelineBenchmark.config(directory, Durability.OS));
        PipelineBenchmark.createAccounts(engine);
        workload = new TransferWorkload(distribution, PipelineBenchmark.ACCOUNTS, twoPhaseShare, 42, 2);
        UnsafeBuffer results = new UnsafeBuffer(new byte[PipelineBenchmark.BATCH * ResultLayout.SIZE]);
        for (long done = 0; done < PipelineBenchmark.TRANSFERS; done += PipelineBenchmark.BATCH) {
            int count = (int) Math.min(PipelineBenchmark.BATCH, PipelineBenchmark.TRANSFERS - done);
            UnsafeBuffer batch = workload.next(count);
            LedgerEngine.join(engine.submitTransfers(batch, 0, count, null, 0, 0, results, 0));
            LedgerCheck.require(LedgerCheck.created(results, count) == count, "a transfer was not created");
        }
        engine.close(start.equals("snapshot"));
    }

    @Benchmark
    public long restart() {
        LedgerEngine engine = LedgerEngine.open(PipelineBenchmark.config(directory, Durability.OS));
        try {
            engine.read(machine -> {
                LedgerCheck.check(machine, workload);
                return null;
            });
            return engine.recovery().commandsReplayed();
        } finally {
            engine.close(false);
        }
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        PipelineBenchmark.deleteTree(directory);
    }
}
