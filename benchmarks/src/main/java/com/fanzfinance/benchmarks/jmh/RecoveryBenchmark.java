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
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.ledger.journal.Durability;

/**
 * Restarting an engine whose journal holds {@value PipelineBenchmark#TRANSFERS} transfers (10,000 accounts,
 * batches of 8,189): {@code replay} starts with no snapshot and replays the whole journal (checking every
 * batch's CRC and hash chain); {@code snapshot} starts from a snapshot taken at the end. The score is the
 * time of one restart, from opening the engine to its accepting commands. Each restart checks that all
 * transfers are back.
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

    private Path directory;

    @Setup(Level.Trial)
    public void buildJournal() throws IOException {
        directory = Files.createTempDirectory("recovery-benchmark");
        LedgerEngine engine = LedgerEngine.open(PipelineBenchmark.config(directory, Durability.OS));
        PipelineBenchmark.createAccounts(engine);
        UnsafeBuffer batch = new UnsafeBuffer(new byte[PipelineBenchmark.BATCH * TransferLayout.SIZE]);
        UnsafeBuffer results = new UnsafeBuffer(new byte[PipelineBenchmark.BATCH * ResultLayout.SIZE]);
        long id = 1;
        for (long done = 0; done < PipelineBenchmark.TRANSFERS; done += PipelineBenchmark.BATCH) {
            int count = (int) Math.min(PipelineBenchmark.BATCH, PipelineBenchmark.TRANSFERS - done);
            for (int i = 0; i < count; i++) {
                int offset = i * TransferLayout.SIZE;
                batch.putLong(offset + TransferLayout.ID, id);
                batch.putLong(offset + TransferLayout.DEBIT_ACCOUNT_ID, 1 + id % PipelineBenchmark.ACCOUNTS);
                batch.putLong(offset + TransferLayout.CREDIT_ACCOUNT_ID, 1 + (id * 7 + 1) % PipelineBenchmark.ACCOUNTS);
                batch.putLong(offset + TransferLayout.AMOUNT, 1 + id % 1000);
                batch.putInt(offset + TransferLayout.LEDGER, 1);
                batch.putShort(offset + TransferLayout.CODE, (short) 1);
                id++;
            }
            LedgerEngine.join(engine.submitTransfers(batch, 0, count, null, 0, 0, results, 0));
        }
        engine.close(start.equals("snapshot"));
    }

    @Benchmark
    public long restart() {
        LedgerEngine engine = LedgerEngine.open(PipelineBenchmark.config(directory, Durability.OS));
        try {
            long transfers = engine.read(machine -> machine.transferCount());
            LedgerCheck.require(transfers == PipelineBenchmark.TRANSFERS, "recovered " + transfers + " transfers");
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
