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
import org.openjdk.jmh.infra.BenchmarkParams;

import com.fanzfinance.ledger.state.TransferIdIndex;

/**
 * The transfer id index doubling, on the business thread. Each iteration fills a fresh index of
 * 2^{@code capacityShift} slots (and its transfer store, mapped files as in the server unless {@code memory} is
 * {@code heap}) to the brink with {@code ids} ids (2^23 slots hold 5.9 M transfers), then times
 * {@code insertThatDoubles}: the one insert that finds the table 70% full (until the move was spread over later
 * inserts, it moved every entry: the whole pause); or {@code insertsUntilMoved}: that insert and the ones after it
 * until every entry has moved (a sixteenth of the old table's entries in inserts), the whole cost of the move spread
 * out; or {@code insertThatEndsMove}: the one insert that moves the last entries and lets the old table go (its
 * unmapping and its file's deletion were done there, on the business thread, until they moved to a thread of their
 * own). The ids are the same every iteration, so the inserts the move takes are counted once, and each iteration
 * stops one short of them.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dagrona.disable.bounds.checks=true"})
@State(Scope.Benchmark)
public class IdIndexGrowthBenchmark {
    @Param({"23"})
    int capacityShift;

    /** {@code random} (UUIDs and the like: land all over the table) or {@code sequential}. */
    @Param({"random", "sequential"})
    String ids;

    /** {@code mapped} (files under a temporary directory, as the server's default) or {@code heap}. */
    @Param({"mapped"})
    String memory;

    private MappedIdIndex mapped;
    private TransferIdIndex index;
    private SplittableRandom random;
    private long sequential;
    /**
     * For {@code insertThatEndsMove}: the inserts from the doubling one to the one that ends the move; 0 until
     * counted.
     */
    private long insertsOfMove;

    @Setup(Level.Iteration)
    public void fillToTheBrink(BenchmarkParams params) throws IOException {
        fill();
        if (params.getBenchmark().endsWith("insertThatEndsMove")) {
            if (insertsOfMove == 0) {
                do {
                    add();
                    insertsOfMove++;
                } while (index.isGrowing());
                close();
                fill();
            }
            for (long i = 0; i < insertsOfMove - 1; i++) {
                add();
            }
            if (!index.isGrowing()) {
                throw new IllegalStateException("the move ended before its last insert");
            }
        }
    }

    private void fill() throws IOException {
        long capacity = 1L << capacityShift;
        long entries = capacity * 70 / 100; // the insert after these finds the table full
        mapped = new MappedIdIndex(!memory.equals("heap"), capacity / 2, entries + 1);
        index = mapped.index;
        if (index.capacity() != capacity) {
            throw new IllegalStateException("expected a table of " + capacity + " slots, got " + index.capacity());
        }
        random = new SplittableRandom(capacityShift);
        sequential = 1;
        for (long i = 0; i < entries; i++) {
            add();
        }
        if (index.capacity() != capacity) {
            throw new IllegalStateException("the table grew while being filled");
        }
    }

    @Benchmark
    public long insertThatDoubles() {
        add();
        if (index.capacity() != 2L << capacityShift) {
            throw new IllegalStateException("the insert did not double the table");
        }
        return index.count();
    }

    @Benchmark
    public long insertsUntilMoved() {
        add();
        if (index.capacity() != 2L << capacityShift) {
            throw new IllegalStateException("the insert did not double the table");
        }
        while (index.isGrowing()) {
            add();
        }
        return index.count();
    }

    @Benchmark
    public long insertThatEndsMove() {
        add();
        if (index.isGrowing()) {
            throw new IllegalStateException("the move did not end with this insert");
        }
        return index.count();
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        mapped.close();
    }

    private void add() {
        long low = ids.equals("random") ? random.nextLong() : sequential++;
        long high = ids.equals("random") ? random.nextLong() : 0;
        mapped.add(low, high);
    }
}
