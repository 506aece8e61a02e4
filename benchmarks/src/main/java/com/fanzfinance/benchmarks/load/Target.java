package com.fanzfinance.benchmarks.load;

/**
 * What the load generator drives: the ledger server over HTTP ({@link LedgerHttpTarget}) or the
 * PostgreSQL baseline ({@link PostgresBaselineTarget}). Set-up and validation are not timed; the
 * {@link Client}'s {@link Client#submit} and {@link Client#query} are.
 */
public interface Target extends AutoCloseable {
    /** Creates the workload's accounts (and, for the baseline, its schema). */
    void createAccounts(Workload workload) throws Exception;

    /** A client with its own connection; used by one thread at a time (plus its batch builder). */
    Client openClient(int clientIndex) throws Exception;

    /**
     * A sender of single transfers for {@code --single-transfer-threads}: one client shared by every sending
     * thread, batching their transfers automatically.
     */
    default SingleSender openSingleSender(LoadOptions.Singles singles) throws Exception {
        throw new IllegalArgumentException("--single-transfer-threads needs --target ledger");
    }

    /** {@code --watch-lag}: a watch of the server's read-model lag, not started. */
    default LagWatch lagWatch() {
        throw new IllegalArgumentException("--watch-lag needs --target ledger");
    }

    /** Re-reads every transfer and balance and reports every difference from the workload and its fold. */
    void validate(Workload workload, BalanceFold fold, ValidationReport report) throws Exception;

    /** Lines of its own to print after the transfer phase (the baseline's per-transaction latencies). */
    default void printTransferDetails(java.io.PrintStream out) {
    }

    /** One connection's worth of load. */
    interface Client extends AutoCloseable {
        /** Builds transfers {@code first … first+count-1} into a ready request; off the timing path. */
        PreparedBatch prepare(long firstTransfer, int count);

        /** Sends the batch and waits for it; fails with {@link LoadFailure} unless every transfer was created. */
        void submit(PreparedBatch batch) throws Exception;

        /** One account-transfers lookup of at most {@code limit} transfers. */
        void query(int accountIndex, int limit) throws Exception;

        @Override
        void close() throws Exception;
    }

    /** Single transfers from many threads at once. */
    interface SingleSender extends AutoCloseable {
        /** Sends the workload's transfer {@code transferIndex} alone and waits; fails unless it was created. */
        void submit(long transferIndex) throws Exception;

        @Override
        void close() throws Exception;
    }

    /** A batch built ahead of time. */
    interface PreparedBatch {
        long firstTransfer();

        int count();
    }
}
