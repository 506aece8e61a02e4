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
 * The transfer id index's switch to mixed placement, on the business thread, as a warm server met it: an index sized
 * for 2^{@code capacityShift} / 2 transfers (2^25 slots: the server's {@code FANZ_TRANSFERS_EXPECTED} of 16 M) holds
 * {@code randomIds} random ids, then takes sequential ones, which pile up behind the random ones in their range
 * until a probe passes the limit. Each iteration fills a fresh index (mapped files, as in the server) to one insert
 * short of the switch (counted once: the ids are the same every iteration), then times {@code switchUntilMoved}: the
 * switching insert and the sequential inserts after it until every entry has moved into the table in mixed placement.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dagrona.disable.bounds.checks=true"})
@State(Scope.Benchmark)
public class IdIndexSwitchBenchmark {
    @Param({"25"})
    int capacityShift;

    @Param({"500000"})
    int randomIds;

    private MappedIdIndex mapped;
    private TransferIdIndex index;
    private long sequential;
    /** The sequential inserts up to and including the one that switches; 0 until counted. */
    private long insertsToSwitch;

    @Setup(Level.Iteration)
    public void fillToTheSwitch() throws IOException {
        fill();
        if (insertsToSwitch == 0) {
            do {
                add(sequential++, 0);
                insertsToSwitch++;
            } while (!index.isMixed());
            close();
            fill();
        }
        for (long i = 0; i < insertsToSwitch - 1; i++) {
            add(sequential++, 0);
        }
        if (index.isMixed()) {
            throw new IllegalStateException("the index switched before its last insert");
        }
    }

    @Benchmark
    public long switchUntilMoved() {
        add(sequential++, 0);
        if (!index.isMixed()) {
            throw new IllegalStateException("the insert did not switch the index");
        }
        while (index.isGrowing()) {
            add(sequential++, 0);
        }
        return index.count();
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        mapped.close();
    }

    private void fill() throws IOException {
        long capacity = 1L << capacityShift;
        mapped = new MappedIdIndex(true, capacity / 2, 4_000_000L);
        index = mapped.index;
        if (index.capacity() != capacity) {
            throw new IllegalStateException("expected a table of " + capacity + " slots, got " + index.capacity());
        }
        SplittableRandom random = new SplittableRandom(capacityShift);
        for (int i = 0; i < randomIds; i++) {
            add(random.nextLong(), random.nextLong());
        }
        sequential = 1;
    }

    private void add(long low, long high) {
        mapped.add(low, high);
    }
}
