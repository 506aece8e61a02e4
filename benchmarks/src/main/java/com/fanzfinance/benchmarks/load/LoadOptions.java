package com.fanzfinance.benchmarks.load;

/**
 * A run's settings, checked once at start ({@link #checked}); see {@link LoadGenerator} for each one.
 *
 * @param serverPid the process whose memory to report, or 0 for none
 */
public record LoadOptions(int accountCount, AccountDistribution distribution, long transferCount, int batchSize,
                          double pendingShare, int clients, IdOrder idOrder, boolean validate, long seed, int ledger,
                          long serverPid, int queryCount, int queryLimit) {
    public static final int BATCH_SIZE_MAX = 8189;
    public static final int CLIENTS_MAX = 64;

    /** The workload these settings describe. */
    public Workload workload() {
        return new Workload(seed, accountCount, distribution, transferCount, pendingShare, idOrder, ledger);
    }

    public long batchCount() {
        return (transferCount + batchSize - 1) / batchSize;
    }

    public LoadOptions checked() {
        require(accountCount >= 2, "--account-count: need at least two accounts, got " + accountCount);
        require(transferCount >= 0, "--transfer-count must not be negative");
        require(batchCount() <= Integer.MAX_VALUE, "--transfer-count: too many batches");
        require(batchSize >= 1 && batchSize <= BATCH_SIZE_MAX, "--transfer-batch-size: 1.." + BATCH_SIZE_MAX
            + ", got " + batchSize);
        require(pendingShare >= 0 && pendingShare <= 1, "--transfer-pending: a share 0..1, got " + pendingShare);
        require(clients >= 1 && clients <= CLIENTS_MAX, "--clients: 1.." + CLIENTS_MAX + ", got " + clients);
        require(ledger >= 1, "--ledger: 1..2^31-1, got " + ledger);
        require(queryCount >= 0, "--query-count must not be negative");
        require(queryLimit >= 1 && queryLimit <= BATCH_SIZE_MAX, "--query-limit: 1.." + BATCH_SIZE_MAX);
        require(!validate || transferCount <= Integer.MAX_VALUE, "--validate covers at most 2^31-1 transfers");
        return this;
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }
}
