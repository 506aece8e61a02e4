package com.fanzfinance.benchmarks.jmh;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

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

import com.fanzfinance.ledger.state.TransferIdIndex;

/**
 * The transfer id index's rebuild from the transfer store, which every start of a ledger that holds transfers does
 * (the index is not in snapshots). The store (mapped files, as in the server) is filled once with {@code transfers}
 * transfers whose ids are {@code sequential} or {@code random}; each iteration opens a fresh index sized for
 * {@code expected} transfers over it, as a restarting server does ({@code FANZ_TRANSFERS_EXPECTED}), and times
 * {@code rebuild}: the index rebuilt from the store, as recovery calls it.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dagrona.disable.bounds.checks=true"})
@State(Scope.Benchmark)
public class IdIndexRebuildBenchmark {
    @Param({"10000000"})
    long transfers;

    @Param({"16777216"})
    long expected;

    /** {@code random} (UUIDs and the like) or {@code sequential}. */
    @Param({"random", "sequential"})
    String ids;

    private MappedIdIndex mapped;
    private TransferIdIndex index;

    @Setup(Level.Trial)
    public void fillStore() throws IOException {
        mapped = new MappedIdIndex(true, expected, transfers);
        SplittableRandom random = new SplittableRandom(11);
        boolean randomIds = ids.equals("random");
        for (long i = 1; i <= transfers; i++) {
            if (randomIds) {
                mapped.add(random.nextLong(), random.nextLong());
            } else {
                mapped.add(i, 0);
            }
        }
    }

    @Setup(Level.Iteration)
    public void freshIndex() {
        index = mapped.reopenIndex(expected);
    }

    @Benchmark
    public long rebuild() {
        index.rebuild();
        if (index.count() != transfers) {
            throw new IllegalStateException("rebuilt " + index.count() + " of " + transfers);
        }
        return index.count();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        mapped.close();
    }
}
