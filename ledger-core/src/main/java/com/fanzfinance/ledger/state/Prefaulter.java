package com.fanzfinance.ledger.state;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
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
 * fault in the next few MiB ahead of each writer that reports where it is through a {@link Cursor}, and, a mebibyte
 * at a time whenever no such writer is waiting, the whole of a table that is written anywhere ({@link Cursor#all}).
 *
 * <p>Why it is safe: populating a range never changes its contents (the kernel faults the pages in as a
 * write would, without writing), so it may race with the writer itself; a range beyond the end of its file
 * fails ({@code EFAULT}) instead of raising {@code SIGBUS}; {@code madvise} never touches memory itself, so no
 * call can crash the process. A request is carried out a mebibyte at a time, each step only while its writer is
 * still in the mapping it was made for ({@link Cursor#forget} is called before a mapping is released, and waits
 * for a step in progress) and never behind the writer. What remains: a Chronicle chunk released by Chronicle itself
 * while a step for it runs is refused by the kernel ({@code ENOMEM}), or, if something was mapped at the same
 * place in between, populated there — its contents unchanged. Any refusal is counted and the request dropped;
 * a dropped request loses nothing (the writer faults as it would have). Pages faulted in for writing are dirty, so
 * a file synced after every write (the journal) would write them early, twice: the journal's are faulted in as for
 * reading ({@link Mode#READ}).
 *
 * <p>Off (every call a no-op) where {@code madvise} is unavailable (not Linux, a kernel before 5.14 — found by
 * one call on a page of its own when the thread starts —, the native library cannot load) and when the system
 * property {@code fanz.prefault} is {@code false}.
 */
public final class Prefaulter {
    /** {@code MADV_POPULATE_READ} and {@code MADV_POPULATE_WRITE} in Linux's {@code mman-common.h}. */
    static final int MADV_POPULATE_READ = 22;
    static final int MADV_POPULATE_WRITE = 23;
    static final int EINVAL = 22;
    /** The operating system's page size. */
    private static final long OS_PAGE = UnsafeApi.pageSize();
    /** A request is carried out in calls of at most this many bytes, each checked against its writer first. */
    private static final long CALL_BYTES_MAX = 1 << 20;
    private static final int QUEUE_CAPACITY = 256;

    /** How far ahead of a writer pages are faulted in: a few of the server's largest batches. */
    public static final long WINDOW_BYTES = 4L << 20;

    private static final Prefaulter SHARED = new Prefaulter(
        !"false".equalsIgnoreCase(System.getProperty("fanz.prefault", "true"))
            && System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
        Madvise::load);

    private final ManyToOneConcurrentArrayQueue<Request> requests = new ManyToOneConcurrentArrayQueue<>(QUEUE_CAPACITY);
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

    /** OS pages faulted in so far (calls the kernel carried out). */
    public long pagesRequested() {
        return pagesRequested;
    }

    /** Calls the kernel refused (a range unmapped, or beyond the end of its file, by the time it was reached): each drops its request. */
    public long callsRefused() {
        return callsRefused;
    }

    /**
     * Waits until as many requests as had been made when it was called have been carried out or dropped (for
     * tests, one writer at a time); false on timeout.
     */
    public boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
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
        /** The end of the mapping the writer is in, for the prefaulter's thread; -1 once forgotten. */
        private volatile long validLimit = -1;
        /** Where the writer last said it was. */
        private volatile long writerAt;

        private Cursor(Prefaulter prefaulter, int advice) {
            this.prefaulter = prefaulter;
            this.advice = advice;
        }

        /**
         * The writer's next write is at {@code address}, in a mapping that ends at {@code limit} (exclusive).
         * A few compares when there is nothing to ask for.
         */
        public void at(long address, long limit) {
            writerAt = address;
            if (limit != this.limit || address < requestedTo - WINDOW_BYTES) {
                this.limit = limit;
                requestedTo = address & -OS_PAGE;
                validLimit = limit;
            }
            long end = limit & -OS_PAGE;
            long want = Math.min(end, address + WINDOW_BYTES) & -OS_PAGE;
            if (want - requestedTo >= WINDOW_BYTES / 4 || (want == end && want > requestedTo)) {
                long from = Math.max(requestedTo, address & -OS_PAGE);
                requestedTo = want;
                if (from < want) {
                    prefaulter.request(new Request(this, from, want, limit, false));
                }
            }
        }

        /**
         * For a writer that writes anywhere in a mapping (a hash table), not in sequence: asks at once for every whole
         * page from {@code from} to {@code to}, in the mapping that ends at {@code limit} (exclusive). Replaces what
         * {@link #at} tracked.
         */
        public void all(long from, long to, long limit) {
            writerAt = from;
            this.limit = limit;
            validLimit = limit;
            long start = (from + OS_PAGE - 1) & -OS_PAGE;
            long end = Math.min(to, limit) & -OS_PAGE;
            requestedTo = end;
            if (start < end) {
                prefaulter.request(new Request(this, start, end, limit, true));
            }
        }

        /**
         * The writer is about to release its memory (or is done with it): requests made for it are dropped, and a
         * call in progress for it is waited for. Call it before unmapping, on the writer's thread or on the thread the
         * mapping was handed over to ({@link StoreReleaser}).
         */
        public void forget() {
            validLimit = -1; // first, so that the prefaulter's next step sees it
            synchronized (this) {
                // a step in progress holds this lock: wait for it
            }
            limit = -1;
        }
    }

    /**
     * Pages from {@code from} to {@code to}, for {@code cursor}'s writer in the mapping that ends at {@code limit}.
     * {@code whole}: a whole table's ({@link Cursor#all}), carried out a step at a time between the writers' requests.
     */
    private record Request(Cursor cursor, long from, long to, long limit, boolean whole) {
    }

    private void request(Request request) {
        if (!enabled) {
            return;
        }
        Thread worker = thread;
        if (worker == null) {
            worker = start();
        }
        if (requests.offer(request)) {
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
            disable(e instanceof UnsupportedOperationException ? e.getMessage()
                : "the native madvise call is unavailable: " + e);
            return;
        }
        // Whole tables wait here (this thread's only) and go a step at a time whenever no writer has asked for
        // anything: a writer's window ahead is needed within milliseconds, a table's pages merely soon.
        ArrayDeque<Request> wholes = new ArrayDeque<>();
        while (enabled) {
            Request request = requests.poll();
            if (request != null && request.whole()) {
                wholes.addLast(request);
                continue;
            }
            if (request != null) {
                populate(madvise, request);
                done++;
                continue;
            }
            Request whole = wholes.pollFirst();
            if (whole == null) {
                Thread.interrupted(); // an interrupt would make every park return at once
                LockSupport.park(this);
                continue;
            }
            long next = whole.from() + CALL_BYTES_MAX;
            if (step(madvise, whole, whole.from()) && next < whole.to()) {
                wholes.addFirst(new Request(whole.cursor(), next, whole.to(), whole.limit(), true));
            } else {
                done++;
            }
        }
    }

    private void populate(Madvise madvise, Request request) {
        for (long at = request.from(); at < request.to() && enabled; at += CALL_BYTES_MAX) {
            if (!step(madvise, request, at)) {
                return;
            }
        }
    }

    /** One call for at most a mebibyte of {@code request} from {@code at}; false if the request is to be dropped. */
    private boolean step(Madvise madvise, Request request, long at) {
        Cursor cursor = request.cursor();
        synchronized (cursor) {
            if (cursor.validLimit != request.limit()) {
                return false; // the writer has left this mapping, or is releasing it
            }
            long from = Math.max(at, cursor.writerAt & -OS_PAGE); // never behind the writer
            long to = Math.min(request.to(), at + CALL_BYTES_MAX);
            if (from >= to) {
                return true;
            }
            int errno = madvise.populate(from, to - from, cursor.advice);
            if (errno != 0) {
                callsRefused++;
                return false;
            }
            pagesRequested += (to - from) / OS_PAGE;
        }
        return true;
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
            Madvise madvise = (address, length, advice) -> posix.madvise(address, length, advice) == 0 ? 0 : posix.lastError();
            // One call on a page of its own: a kernel without the call answers EINVAL here, not on a writer's page.
            ByteBuffer probe = ByteBuffer.allocateDirect((int) (3 * OS_PAGE));
            long page = (BufferUtil.address(probe) + OS_PAGE - 1) & -OS_PAGE;
            int errno = madvise.populate(page, OS_PAGE, MADV_POPULATE_WRITE);
            Reference.reachabilityFence(probe);
            if (errno == EINVAL) {
                throw new UnsupportedOperationException(
                    "this kernel does not support MADV_POPULATE_READ/WRITE (Linux 5.14 or later does)");
            }
            if (errno != 0) {
                throw new IllegalStateException("madvise(MADV_POPULATE_WRITE) failed on a page of its own: "
                    + posix.strerror(errno));
            }
            return madvise;
        }
    }
}
