package com.fanzfinance.ledger.state;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * Faults in the pages that sequential writers of memory-mapped files are about to write, on a background
 * thread, so that the writers do not stop on each new page themselves.
 *
 * <p>The first write to a page of a mapped file costs a page fault: the kernel allocates a page-cache
 * page, fills it with zeros (the file there is a hole) and reserves a disk block for it (ext4's
 * {@code page_mkwrite}). A profile of the server under full batches put 12% of the business thread and
 * 42% of the publisher there (the transfer store, the event stream), and timing the journal's append of a
 * full 1 MB batch put 2–3 ms of it there. One daemon thread per process asks the kernel, with
 * {@code madvise(MADV_POPULATE_WRITE)} or {@code MADV_POPULATE_READ} (Linux 5.14+; see {@link Mode}), to
 * fault in the next few MiB ahead of each writer that reports where it is through a {@link Cursor}.
 *
 * <p>Why it is safe: populating a range never changes its contents (the kernel faults the pages in as a
 * write would, without writing), so it may race with the writer itself; a range that was unmapped in the
 * meantime is refused by the kernel ({@code ENOMEM}) and not touched; a range beyond the end of its file
 * fails ({@code EFAULT}) instead of raising {@code SIGBUS}. A dropped request loses nothing: the writer
 * faults as it would have. Pages faulted in for writing are dirty, so a file synced after every write (the
 * journal) would write them early, twice: the journal's are faulted in as for reading ({@link Mode#READ}).
 *
 * <p>Off (every call a no-op) where {@code madvise} is unavailable (not Linux, a kernel before 5.14, the
 * native library cannot load) and when the system property {@code fanz.prefault} is {@code false}.
 */
public final class Prefaulter {
    /** {@code MADV_POPULATE_READ} and {@code MADV_POPULATE_WRITE} in Linux's {@code mman-common.h}. */
    static final int MADV_POPULATE_READ = 22;
    static final int MADV_POPULATE_WRITE = 23;
    static final int EINVAL = 22;
    private static final long OS_PAGE = 4096;
    /** A request is split into calls of at most this many bytes, so that newer requests are not held up. */
    private static final long CALL_BYTES_MAX = 1 << 20;
    private static final int QUEUE_CAPACITY = 256;

    /** How far ahead of a writer pages are faulted in: a few of the server's largest batches. */
    public static final long WINDOW_BYTES = 4L << 20;

    private static final Prefaulter SHARED = new Prefaulter(
        !"false".equalsIgnoreCase(System.getProperty("fanz.prefault", "true"))
            && System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
        Madvise::load);

    private final ManyToOneConcurrentArrayQueue<long[]> requests = new ManyToOneConcurrentArrayQueue<>(QUEUE_CAPACITY);
    private final MadviseLoader loader;
    private final AtomicLong submitted = new AtomicLong();
    private volatile long done;
    private volatile long pagesRequested;
    private volatile long callsRefused;
    private volatile boolean enabled;
    private volatile String disabledBecause;
    private volatile Thread thread;

    Prefaulter(boolean enabled, MadviseLoader loader) {
        this.enabled = enabled;
        this.loader = loader;
        if (!enabled) {
            disabledBecause = "switched off (fanz.prefault=false, or not Linux)";
        }
    }

    /** The process's prefaulter (one thread, started by the first request). */
    public static Prefaulter shared() {
        return SHARED;
    }

    /** A cursor for one writer. */
    public Cursor cursor(Mode mode) {
        return new Cursor(this, mode == Mode.WRITE ? MADV_POPULATE_WRITE : MADV_POPULATE_READ);
    }

    /** How the pages ahead are faulted in. */
    public enum Mode {
        /**
         * As a write would ({@code MADV_POPULATE_WRITE}): the writer then takes no fault at all, but the pages are
         * dirty from then on — for files not synced after every write.
         */
        WRITE,
        /**
         * As a read would ({@code MADV_POPULATE_READ}): the page-cache pages are allocated and zero-filled (most of a
         * fault's cost: 2.0–2.9 ms of the journal's 1 MB append took 0.7–0.9 ms after it), not dirtied, so a sync
         * writes no more than before; the writer's first write to each page still takes a small fault. For the
         * journal.
         */
        READ
    }

    /** Whether requests are acted on (false once {@code madvise} turned out to be unavailable). */
    public boolean enabled() {
        return enabled;
    }

    /** Why requests are not acted on, or null while they are. */
    public String disabledBecause() {
        return enabled ? null : disabledBecause;
    }

    /** OS pages asked for so far. */
    public long pagesRequested() {
        return pagesRequested;
    }

    /** Calls the kernel refused (a range unmapped, or beyond the end of its file, by the time it was reached). */
    public long callsRefused() {
        return callsRefused;
    }

    /** Waits until every request made so far has been acted on (tests); false on timeout. */
    boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        long target = submitted.get();
        while (done < target && enabled) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }

    /**
     * Where one writer (one thread) is: tell it, and it asks for the pages up to {@link #WINDOW_BYTES}
     * ahead, a quarter of a window at a time. Not thread-safe.
     */
    public static final class Cursor {
        private final Prefaulter prefaulter;
        private final int advice;
        private long limit = -1;
        private long requestedTo;

        private Cursor(Prefaulter prefaulter, int advice) {
            this.prefaulter = prefaulter;
            this.advice = advice;
        }

        /**
         * The writer's next write is at {@code address}, in a mapping that ends at {@code limit} (exclusive).
         * A few compares when there is nothing to ask for.
         */
        public void at(long address, long limit) {
            if (limit != this.limit || address < requestedTo - WINDOW_BYTES) {
                this.limit = limit;
                requestedTo = address & -OS_PAGE;
            }
            long end = limit & -OS_PAGE;
            long want = Math.min(end, address + WINDOW_BYTES) & -OS_PAGE;
            if (want - requestedTo >= WINDOW_BYTES / 4 || (want == end && want > requestedTo)) {
                long from = Math.max(requestedTo, address & -OS_PAGE);
                requestedTo = want;
                if (from < want) {
                    prefaulter.request(from, want, advice);
                }
            }
        }
    }

    private void request(long from, long to, int advice) {
        if (!enabled) {
            return;
        }
        Thread worker = thread;
        if (worker == null) {
            worker = start();
        }
        if (requests.offer(new long[] {from, to, advice})) {
            submitted.incrementAndGet();
            LockSupport.unpark(worker);
        }
    }

    private synchronized Thread start() {
        if (thread == null) {
            Thread worker = new Thread(this::run, "ledger-prefaulter");
            worker.setDaemon(true);
            worker.start();
            thread = worker;
        }
        return thread;
    }

    private void run() {
        Madvise madvise;
        try {
            madvise = loader.load();
        } catch (RuntimeException | LinkageError e) {
            disable("the native madvise call is unavailable: " + e);
            return;
        }
        while (enabled) {
            long[] range = requests.poll();
            if (range == null) {
                LockSupport.park(this);
                continue;
            }
            populate(madvise, range[0], range[1], (int) range[2]);
            done++;
        }
    }

    private void populate(Madvise madvise, long from, long to, int advice) {
        for (long at = from; at < to && enabled; at += CALL_BYTES_MAX) {
            long length = Math.min(CALL_BYTES_MAX, to - at);
            int errno = madvise.populate(at, length, advice);
            pagesRequested += length / OS_PAGE;
            if (errno == EINVAL) {
                disable("this kernel does not support MADV_POPULATE_READ/WRITE (Linux 5.14 or later does)");
            } else if (errno != 0) {
                callsRefused++;
                return;
            }
        }
    }

    private void disable(String why) {
        disabledBecause = why;
        enabled = false;
        requests.clear();
    }

    /** Loads the native call (a seam for tests). */
    @FunctionalInterface
    interface MadviseLoader {
        Madvise load();
    }

    /** The native call, behind a type of its own so that a missing library fails only on the prefaulter's thread. */
    interface Madvise {
        /** 0, or the error number. */
        int populate(long address, long length, int advice);

        static Madvise load() {
            net.openhft.posix.PosixAPI posix = net.openhft.posix.PosixAPI.posix();
            if (posix.getClass().getSimpleName().startsWith("NoOp")) {
                throw new IllegalStateException("no native POSIX implementation could be loaded");
            }
            return (address, length, advice) -> posix.madvise(address, length, advice) == 0 ? 0 : posix.lastError();
        }
    }
}
