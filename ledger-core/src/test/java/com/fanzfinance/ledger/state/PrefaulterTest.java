package com.fanzfinance.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.agrona.BufferUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.testing.Smaps;

/**
 * The prefaulter against the real kernel (a mapped file in a temporary directory, the thread's own page-fault
 * count from {@code /proc}), and its cursor's requests against a recording stand-in for {@code madvise}.
 */
class PrefaulterTest {
    /** The prefaulter is Linux's (madvise MADV_POPULATE_*): on Linux these tests require it to work. */
    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");
    private static final int OS_PAGE = org.agrona.UnsafeApi.pageSize();
    private static final long MIB = 1 << 20;

    @TempDir
    Path directory;

    @Test
    void pagesAheadOfAWriterAreFaultedInSoThatItsWritesThereDoNotFault() throws Exception {
        assumeTrue(LINUX);
        try (FileChannel channel = open("faults.bin")) {
            MappedByteBuffer mapping = mappedAndFaultedInAhead(channel, Prefaulter.Mode.WRITE);
            long address = BufferUtil.address(mapping);
            assertThat(Smaps.field(address, "Shared_Dirty") + Smaps.field(address, "Private_Dirty")).as("dirty kB")
                .isGreaterThanOrEqualTo(Prefaulter.WINDOW_BYTES / 1024);

            int pages = (int) (Prefaulter.WINDOW_BYTES / OS_PAGE);
            long faultsAhead = faultsWhileWriting(mapping, 0, pages);
            long faultsBeyond = faultsWhileWriting(mapping, 32 * MIB, pages);

            assertThat(faultsBeyond).as("the control: one fault per page not faulted in").isGreaterThanOrEqualTo(pages * 9L / 10);
            assertThat(faultsAhead).as("pages faulted in ahead").isLessThan(pages / 10);
            assertThat(mapping.get(0)).isEqualTo((byte) 1);
            IoUtil.unmap(mapping);
        }
    }

    @Test
    void pagesFaultedInAsForReadingAreInTheMappingButNotDirtied() throws Exception {
        assumeTrue(LINUX);
        try (FileChannel channel = open("read.bin")) {
            MappedByteBuffer mapping = mappedAndFaultedInAhead(channel, Prefaulter.Mode.READ);
            long address = BufferUtil.address(mapping);

            int pages = (int) (Prefaulter.WINDOW_BYTES / OS_PAGE);
            long faultsAhead = faultsWhileReading(mapping, 0, pages);
            long faultsBeyond = faultsWhileReading(mapping, 32 * MIB, pages);
            // Read faults map up to 16 pages at a time (the kernel's fault-around), so the control has fewer faults than pages.
            assertThat(faultsBeyond).as("the control").isGreaterThanOrEqualTo(pages / 24);
            assertThat(faultsAhead).as("pages faulted in ahead").isLessThan(pages / 128);
            assertThat(Smaps.field(address, "Rss")).isGreaterThanOrEqualTo(Prefaulter.WINDOW_BYTES / 1024);
            assertThat(Smaps.field(address, "Shared_Dirty") + Smaps.field(address, "Private_Dirty")).as("dirty kB").isZero();
            IoUtil.unmap(mapping);
        }
    }

    @Test
    void recordsWrittenWhileThePrefaulterRacesAheadReadBackExactly() throws Exception {
        assumeTrue(LINUX);
        long before = Prefaulter.shared().pagesRequested();
        var random = new Random(7);
        int records = 200_000;
        byte[] expected = new byte[records * TransferLayout.SIZE];
        random.nextBytes(expected);
        var source = new UnsafeBuffer(expected);
        // unstaged (fanz.staged-appends=false): appends through the mapping, which the prefaulter runs ahead of
        try (var store = new TransferStore(PagedMemory.mapped(directory.resolve("transfers.store"), 22), records, false)) {
            for (int i = 0; i < records; i++) {
                store.append(source, i * TransferLayout.SIZE);
            }
            byte[] actual = new byte[TransferLayout.SIZE];
            for (int i = 0; i < records; i += 997) {
                store.copyTo(i, new UnsafeBuffer(actual), 0);
                assertThat(actual).isEqualTo(java.util.Arrays.copyOfRange(expected, i * TransferLayout.SIZE,
                    (i + 1) * TransferLayout.SIZE));
            }
            for (int i = 0; i < records; i++) {
                assertThat(store.getLong(i, 0)).isEqualTo(source.getLong(i * TransferLayout.SIZE));
            }
            assertThat(Prefaulter.shared().awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Prefaulter.shared().pagesRequested() - before)
            .as("the store asked for the pages ahead of its appends").isGreaterThan(1000);
    }

    @Test
    void aRangeBeyondTheEndOfItsFileIsRefusedByTheKernelAndNothingElseHappens() throws Exception {
        assumeTrue(LINUX);
        Prefaulter prefaulter = new Prefaulter(true, Prefaulter.Madvise::load);
        try (FileChannel channel = open("truncated.bin")) {
            MappedByteBuffer mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, 8 * MIB);
            long address = BufferUtil.address(mapping);
            channel.truncate(0); // a write to the mapping would now raise SIGBUS
            prefaulter.cursor(Prefaulter.Mode.WRITE).at(address, address + 8 * MIB);
            assertThat(prefaulter.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
            assertThat(prefaulter.callsRefused()).isEqualTo(1);
            assertThat(prefaulter.pagesRequested()).isZero();
            assertThat(prefaulter.enabled()).isTrue();
            assertThat(channel.size()).isZero();
            IoUtil.unmap(mapping);
        }
    }

    @Test
    void aKernelWithoutTheCallOrWithoutTheLibrarySwitchesItOffAndARefusedCallDoesNot() throws Exception {
        if (LINUX) {
            assertThat(Prefaulter.shared().enabled()).as("this kernel and library: the probe passes")
                .withFailMessage(String.valueOf(Prefaulter.shared().disabledBecause())).isTrue();
        }

        Prefaulter oldKernel = new Prefaulter(true, () -> {
            throw new UnsupportedOperationException("this kernel does not support MADV_POPULATE_READ/WRITE");
        });
        oldKernel.cursor(Prefaulter.Mode.WRITE).at(1 << 30, (1 << 30) + 64 * MIB);
        assertThat(oldKernel.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        assertThat(oldKernel.enabled()).isFalse();
        assertThat(oldKernel.disabledBecause()).isEqualTo("this kernel does not support MADV_POPULATE_READ/WRITE");

        AtomicLong calls = new AtomicLong();
        Prefaulter refusing = new Prefaulter(true, () -> (address, length, advice) -> {
            calls.incrementAndGet();
            return Prefaulter.EINVAL; // e.g. a range since mapped without write permission
        });
        refusing.cursor(Prefaulter.Mode.WRITE).at(1 << 30, (1 << 30) + 64 * MIB);
        assertThat(refusing.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        refusing.cursor(Prefaulter.Mode.WRITE).at(2L << 30, (2L << 30) + 64 * MIB);
        assertThat(refusing.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        assertThat(refusing.enabled()).as("one refused call does not switch it off").isTrue();
        assertThat(calls.get()).as("each refusal drops the rest of its request").isEqualTo(2);
        assertThat(refusing.callsRefused()).isEqualTo(2);

        Prefaulter noLibrary = new Prefaulter(true, () -> {
            throw new UnsatisfiedLinkError("no jffi");
        });
        noLibrary.cursor(Prefaulter.Mode.READ).at(1 << 30, (1 << 30) + 64 * MIB);
        assertThat(noLibrary.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        assertThat(noLibrary.enabled()).isFalse();
        assertThat(noLibrary.disabledBecause()).contains("unavailable").contains("no jffi");

        Prefaulter off = new Prefaulter(false, () -> {
            throw new AssertionError("not loaded when switched off");
        });
        off.cursor(Prefaulter.Mode.WRITE).at(1 << 30, (1 << 30) + 64 * MIB);
        assertThat(off.pagesRequested()).isZero();
        assertThat(off.disabledBecause()).contains("fanz.prefault");
    }

    @Test
    void aForgottenCursorsStepsAreDroppedAndForgettingWaitsForTheStepInProgress() throws Exception {
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<long[]> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean callReturned = new java.util.concurrent.atomic.AtomicBoolean();
        Prefaulter prefaulter = new Prefaulter(true, () -> (address, length, advice) -> {
            calls.add(new long[] {address, length});
            if (calls.size() == 1) {
                inCall.countDown();
                awaitQuietly(release);
                callReturned.set(true);
            }
            return 0;
        });
        Prefaulter.Cursor cursor = prefaulter.cursor(Prefaulter.Mode.WRITE);
        long base = 1L << 32;
        cursor.at(base, base + 64 * MIB);
        assertThat(inCall.await(30, TimeUnit.SECONDS)).isTrue();
        java.util.concurrent.atomic.AtomicBoolean forgotten = new java.util.concurrent.atomic.AtomicBoolean();
        Thread releasing = new Thread(() -> {
            cursor.forget();
            forgotten.set(callReturned.get());
        });
        releasing.start();
        Thread.sleep(100);
        assertThat(releasing.getState()).as("forget waits for the call in progress").isEqualTo(Thread.State.BLOCKED);
        release.countDown();
        releasing.join(30_000);
        assertThat(forgotten.get()).as("forget returned after the call").isTrue();
        assertThat(prefaulter.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        assertThat(calls).as("the request's other three steps were dropped").hasSize(1);
    }

    @Test
    void stepsForAMappingItsWriterHasLeftAreDroppedAndNoneIsBehindTheWriter() throws Exception {
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<long[]> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        Prefaulter prefaulter = heldInFirstCall(calls, inCall, release);
        Prefaulter.Cursor cursor = prefaulter.cursor(Prefaulter.Mode.WRITE);
        long first = 1L << 32;
        long second = 1L << 36;
        cursor.at(first, first + 64 * MIB);
        assertThat(inCall.await(30, TimeUnit.SECONDS)).isTrue();
        cursor.at(second, second + 64 * MIB); // the writer moves to another mapping
        cursor.at(second + 2 * MIB + 100, second + 64 * MIB); // and on within it, before anything was done there
        release.countDown();
        assertThat(prefaulter.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        assertThat(calls.get(0)).containsExactly(first, 1L << 20);
        List<long[]> rest = calls.subList(1, calls.size());
        assertThat(rest).as("nothing more in the mapping left").allSatisfy(call -> assertThat(call[0]).isGreaterThanOrEqualTo(second));
        assertThat(rest).as("nothing behind the writer").allSatisfy(call -> assertThat(call[0]).isGreaterThanOrEqualTo(second + 2 * MIB));
        assertThat(rest.stream().mapToLong(call -> call[1]).sum()).as("from the writer to a window ahead of it")
            .isEqualTo(Prefaulter.WINDOW_BYTES);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aCursorAsksForWholePagesAheadOfItsWriterWithinItsMappingAQuarterWindowAtATime() throws Exception {
        List<long[]> calls = new ArrayList<>();
        Prefaulter prefaulter = new Prefaulter(true, () -> (address, length, advice) -> {
            synchronized (calls) {
                calls.add(new long[] {address, length});
            }
            return 0;
        });
        Prefaulter.Cursor cursor = prefaulter.cursor(Prefaulter.Mode.WRITE);
        long base = 1L << 32;
        long limit = base + 10 * MIB + 100;
        long window = Prefaulter.WINDOW_BYTES;
        long written = base + 10;
        for (long at = written; at < limit; at += 128) {
            cursor.at(at, limit);
            // One step at a time: the prefaulter never populates behind the writer, so a writer far ahead would trim.
            assertThat(prefaulter.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(prefaulter.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        List<long[]> first;
        synchronized (calls) {
            first = new ArrayList<>(calls);
        }
        long expectedNext = base;
        for (long[] call : first) {
            assertThat(call[0] % OS_PAGE).isZero();
            assertThat(call[1] % OS_PAGE).isZero();
            assertThat(call[1]).isLessThanOrEqualTo(1 << 20);
            assertThat(call[0]).as("contiguous, no page asked for twice").isEqualTo(expectedNext);
            expectedNext = call[0] + call[1];
        }
        assertThat(expectedNext).as("up to the mapping's last whole page").isEqualTo(base + 10 * MIB);
        assertThat(first.size()).isEqualTo((int) (10 * MIB / (1 << 20)));

        // A writer at the start of another mapping: asked from there, a window ahead, not more.
        long other = 1L << 36;
        cursor.at(other + 5000, other + 64 * MIB);
        assertThat(prefaulter.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        long asked = 0;
        synchronized (calls) {
            for (long[] call : calls.subList(first.size(), calls.size())) {
                assertThat(call[0]).isGreaterThanOrEqualTo(other + OS_PAGE).isLessThan(other + OS_PAGE + window);
                asked += call[1];
            }
        }
        assertThat(asked).isEqualTo(window);
        // The writer moving within the window asks for nothing until it has used a quarter of it.
        int before = calls.size();
        cursor.at(other + 5000 + window / 4 - 2 * OS_PAGE, other + 64 * MIB);
        assertThat(prefaulter.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        assertThat(calls).hasSize(before);
        cursor.at(other + 5000 + window / 4 + OS_PAGE, other + 64 * MIB);
        assertThat(prefaulter.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        assertThat(calls).hasSizeGreaterThan(before);
    }

    @Test
    void aCursorForAWholeMappingAsksForEachOfItsWholePagesOnceAMebibyteAtATime() throws Exception {
        List<long[]> calls = new ArrayList<>();
        Prefaulter prefaulter = new Prefaulter(true, () -> (address, length, advice) -> {
            synchronized (calls) {
                calls.add(new long[] {address, length, advice});
            }
            return 0;
        });
        long base = 1L << 32;
        long limit = base + 10 * MIB + 100;
        prefaulter.cursor(Prefaulter.Mode.READ).all(base + 10, limit + 5, limit); // not past the mapping's end
        assertThat(prefaulter.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        long expectedNext = base + OS_PAGE; // the page the range starts inside is not whole
        synchronized (calls) {
            for (long[] call : calls) {
                assertThat(call[0]).as("contiguous, no page asked for twice").isEqualTo(expectedNext);
                assertThat(call[1]).isPositive().isLessThanOrEqualTo(MIB);
                assertThat(call[1] % OS_PAGE).isZero();
                assertThat(call[2]).isEqualTo(Prefaulter.MADV_POPULATE_READ);
                expectedNext = call[0] + call[1];
            }
        }
        assertThat(expectedNext).as("up to the mapping's last whole page").isEqualTo(base + 10 * MIB);
        assertThat(prefaulter.pagesRequested()).isEqualTo((10 * MIB - OS_PAGE) / OS_PAGE);
    }

    @Test
    void aWritersWindowGoesBeforeTheRestOfAWholeTableAndAForgottenTablesStepsAreDropped() throws Exception {
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<long[]> calls = java.util.Collections.synchronizedList(new ArrayList<>());
        Prefaulter prefaulter = heldInFirstCall(calls, inCall, release);
        long table = 1L << 32;
        Prefaulter.Cursor whole = prefaulter.cursor(Prefaulter.Mode.READ);
        whole.all(table, table + 16 * MIB, table + 16 * MIB);
        assertThat(inCall.await(30, TimeUnit.SECONDS)).isTrue();
        long writer = 1L << 36;
        prefaulter.cursor(Prefaulter.Mode.WRITE).at(writer, writer + 64 * MIB); // asked while the table's first step runs
        release.countDown();
        assertThat(prefaulter.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        List<long[]> order;
        synchronized (calls) {
            order = new ArrayList<>(calls);
        }
        int windowSteps = (int) (Prefaulter.WINDOW_BYTES / MIB);
        assertThat(order).hasSize(1 + windowSteps + 15);
        assertThat(order.get(0)[0]).isEqualTo(table);
        for (int i = 1; i <= windowSteps; i++) {
            assertThat(order.get(i)[0]).as("step %d: the writer's window, before the table's second step", i)
                .isEqualTo(writer + (i - 1) * MIB);
        }
        for (int i = 1; i < 16; i++) {
            assertThat(order.get(windowSteps + i)[0]).as("the table's step %d", i).isEqualTo(table + i * MIB);
        }

        // A table forgotten (its memory released) before its turn: no step of it is taken.
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch unblock = new CountDownLatch(1);
        Prefaulter slow = new Prefaulter(true, () -> (address, length, advice) -> {
            if (address == writer) {
                blocked.countDown();
                awaitQuietly(unblock);
            }
            calls.add(new long[] {address, length});
            return 0;
        });
        slow.cursor(Prefaulter.Mode.WRITE).at(writer, writer + 64 * MIB);
        assertThat(blocked.await(30, TimeUnit.SECONDS)).isTrue();
        Prefaulter.Cursor released = slow.cursor(Prefaulter.Mode.READ);
        released.all(table, table + 16 * MIB, table + 16 * MIB);
        released.forget();
        int before = calls.size();
        unblock.countDown();
        assertThat(slow.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        synchronized (calls) {
            assertThat(calls.subList(before, calls.size())).noneMatch(call -> call[0] >= table && call[0] < table + 16 * MIB);
        }
    }

    @Test
    void aMemoryWrittenAnywhereHasEveryPageFaultedInUnchangedAndUndirtied() throws Exception {
        assumeTrue(LINUX);
        long size = 16 * MIB;
        int pages = (int) (size / OS_PAGE);
        try (PagedMemory memory = PagedMemory.mapped(directory.resolve("table.store"), 22)) { // 4 MiB mappings
            memory.ensureCapacity(size + 1); // a fifth mapping, not asked for
            memory.putLong(OS_PAGE, 42);
            memory.putLong(size - OS_PAGE, 7);
            long before = Prefaulter.shared().pagesRequested();
            long refused = Prefaulter.shared().callsRefused();
            memory.populateInBackground(Prefaulter.Mode.READ, size);
            memory.populateInBackground(Prefaulter.Mode.READ, size); // asked once only
            assertThat(Prefaulter.shared().awaitIdle(30, TimeUnit.SECONDS)).isTrue();
            assertThat(Prefaulter.shared().enabled()).as(String.valueOf(Prefaulter.shared().disabledBecause())).isTrue();
            assertThat(Prefaulter.shared().pagesRequested() - before).isEqualTo(pages);
            assertThat(Prefaulter.shared().callsRefused()).isEqualTo(refused);

            long faults = threadMinorFaults();
            long sum = 0;
            for (long at = 0; at < size; at += OS_PAGE) {
                sum += memory.getLong(at);
            }
            faults = threadMinorFaults() - faults;
            assertThat(sum).as("what was there, and zeros").isEqualTo(49);
            assertThat(faults).as("faults reading every page after it").isLessThan(pages / 128);
            // Only the two pages written are dirty: faulting in as for reading wrote nothing.
            long dirtyKb = 0;
            for (int mapping = 0; mapping < 4; mapping++) {
                dirtyKb += Smaps.field(memory.pageAddress(mapping), "Shared_Dirty")
                    + Smaps.field(memory.pageAddress(mapping), "Private_Dirty");
            }
            assertThat(dirtyKb).isLessThanOrEqualTo(2 * OS_PAGE / 1024);
        }
    }

    /**
     * A prefaulter whose stand-in for {@code madvise} records every call in {@code calls} and holds the first one
     * (counting down {@code inCall}) until {@code release}.
     */
    private static Prefaulter heldInFirstCall(List<long[]> calls, CountDownLatch inCall, CountDownLatch release) {
        return new Prefaulter(true, () -> (address, length, advice) -> {
            calls.add(new long[] {address, length});
            if (calls.size() == 1) {
                inCall.countDown();
                awaitQuietly(release);
            }
            return 0;
        });
    }

    /** 64 MiB of the file mapped, and a window ahead of its start faulted in by a prefaulter of its own. */
    private static MappedByteBuffer mappedAndFaultedInAhead(FileChannel channel, Prefaulter.Mode mode) throws Exception {
        Prefaulter prefaulter = new Prefaulter(true, Prefaulter.Madvise::load);
        MappedByteBuffer mapping = channel.map(FileChannel.MapMode.READ_WRITE, 0, 64 * MIB);
        long address = BufferUtil.address(mapping);
        prefaulter.cursor(mode).at(address, address + 64 * MIB);
        assertThat(prefaulter.awaitIdle(30, TimeUnit.SECONDS)).isTrue();
        assertThat(prefaulter.enabled()).as(String.valueOf(prefaulter.disabledBecause())).isTrue();
        assertThat(prefaulter.pagesRequested()).isEqualTo(Prefaulter.WINDOW_BYTES / OS_PAGE);
        assertThat(prefaulter.callsRefused()).isZero();
        return mapping;
    }

    private FileChannel open(String name) throws IOException {
        return FileChannel.open(directory.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE);
    }

    /** This thread's minor page faults while it writes one byte into each of {@code pages} pages from {@code offset}. */
    private static long faultsWhileWriting(MappedByteBuffer mapping, long offset, int pages) throws IOException {
        long before = threadMinorFaults();
        for (int i = 0; i < pages; i++) {
            mapping.put((int) (offset + (long) i * OS_PAGE), (byte) 1);
        }
        return threadMinorFaults() - before;
    }

    /** This thread's minor page faults while it reads one byte of each of {@code pages} pages from {@code offset}. */
    private static long faultsWhileReading(MappedByteBuffer mapping, long offset, int pages) throws IOException {
        long before = threadMinorFaults();
        int sum = 0;
        for (int i = 0; i < pages; i++) {
            sum += mapping.get((int) (offset + (long) i * OS_PAGE));
        }
        long faults = threadMinorFaults() - before;
        assertThat(sum).isZero();
        return faults;
    }

    /** Field 10 (minflt) of {@code /proc/thread-self/stat}. */
    private static long threadMinorFaults() throws IOException {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[7]);
    }
}
