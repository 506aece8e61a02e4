package com.fanzfinance.ledger.state;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closes and deletes the memory of tables that have been replaced (an id index's table once its entries have moved
 * into a bigger one) on a daemon thread of its own, {@code ledger-store-releaser}, so that the business thread does
 * not wait for it.
 *
 * <p>Releasing a mapped table costs in proportion to what it holds: the kernel tears down the mapping's page tables,
 * and deleting the file frees every page-cache page it had. On the business thread, at the end of the transfer id
 * index's move, that was the slowest insert of the move: 70–129 ms for a table sized for 16 M transfers, 0.43 s for
 * 100 M. Heap memory is released where it is handed over: dropping its pages is all there is to do.
 *
 * <p>The owner hands a table over only once it no longer reads or writes it, and the hand-over (a queue) orders the
 * owner's last writes before the releaser's first step; {@link PagedMemory#closeAndDelete} on this thread forgets
 * the table's prefaulter cursors first, as on the owner's. An owner waits for what it handed over in its own
 * {@code close()} ({@link Releases#await}), so that a closed store leaves no file behind and a store reopened in the
 * same directory never races a deletion. A file that cannot be deleted (or a process that exits before a release is
 * done) is left behind, counted ({@link #failedReleases}), and deleted at the next start with the other index files
 * (they are rebuilt on every start): it never fails the owner, which has no more use for it.
 *
 * <p>The unmapping still costs the machine its time, on this thread: a following insert is not held up by it (the
 * kernel lets page faults proceed while a large mapping is torn down), but on two cores it takes a core's share.
 */
public final class StoreReleaser {
    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "ledger-store-releaser");
        thread.setDaemon(true);
        return thread;
    });

    private static final AtomicLong FAILED = new AtomicLong();

    private StoreReleaser() {
    }

    /**
     * Releases that failed in this process (a file that could not be deleted): each leaves a file to the next start.
     * The server's metric {@code fanz_ledger_store_release_failures_total}.
     */
    public static long failedReleases() {
        return FAILED.get();
    }

    /** What one owner has handed over, for its {@code close()} to wait for. Owned by the owner's thread. */
    static final class Releases {
        private CompletableFuture<Void> pending = CompletableFuture.completedFuture(null);

        /**
         * Closes {@code memory} and deletes its file: a mapped one on the releaser's thread, a heap one here and now.
         * The caller must not touch {@code memory} again.
         */
        void closeAndDelete(PagedMemory memory) {
            if (!memory.isMapped()) {
                memory.closeAndDelete();
                return;
            }
            CompletableFuture<Void> release = CompletableFuture.runAsync(() -> {
                try {
                    memory.closeAndDelete();
                } catch (RuntimeException e) {
                    FAILED.incrementAndGet();
                }
            }, THREAD);
            pending = pending.isDone() ? release : CompletableFuture.allOf(pending, release);
        }

        /** Waits until everything handed over has been released, or has failed to be ({@link #failedReleases}). */
        void await() {
            pending.join();
        }
    }

    /** Runs {@code task} on the releaser's thread (tests: to hold it busy). */
    static CompletableFuture<Void> runOnReleaserThread(Runnable task) {
        return CompletableFuture.runAsync(task, THREAD);
    }
}
