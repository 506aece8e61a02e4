package com.fanzfinance.server.readmodel;

/** Waiting for the read model's own threads (its writers, a second index build) to end. */
final class Joins {
    private Joins() {
    }

    /**
     * Waits until {@code thread} has ended, even if interrupted meanwhile (its work holds a connection that must not
     * go back to the pool while in use); an interruption is kept for the caller.
     */
    static void uninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
