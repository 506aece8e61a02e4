package com.fanzfinance.benchmarks.load;

/**
 * A run's settings, checked once at start ({@link #checked}); see {@link LoadGenerator} for each one.
 *
 * @param serverPid the process whose memory to report, or 0 for none
 * @param singles    posting single transfers through {@code ledger-client} instead of whole batches, or null
 * @param rate       whole batches sent on a schedule of this many transfers a second (open loop), or 0: each client
 *                   sends its next batch as soon as the last is answered (closed loop)
 * @param watchLag   read the server's read-model lag while the load runs and until it has caught up after it
 */
public record LoadOptions(int accountCount, AccountDistribution distribution, long transferCount, int batchSize,
                          double pendingShare, int clients, IdOrder idOrder, boolean validate, long seed, int ledger,
                          long serverPid, int queryCount, int queryLimit, Singles singles, long rate,
                          boolean watchLag) {
    public static final int BATCH_SIZE_MAX = 8189;
    public static final int CLIENTS_MAX = 64;
    public static final int SINGLE_THREADS_MAX = 1024;
    public static final long RATE_MAX = 100_000_000;

    /**
     * The way platform services post: {@code threads} threads each post one transfer at a time through one
     * shared {@code LedgerClient} and wait for its result; the client batches them automatically, waiting up
     * to {@code lingerMicros} for more and keeping up to {@code batchesInFlight} batches undecided. The callers
     * are platform threads, or virtual threads (JDK 21 and newer) when {@code virtualThreads}.
     */
    public record Singles(int threads, long lingerMicros, int batchesInFlight, boolean virtualThreads) {
        public Singles(int threads, long lingerMicros, int batchesInFlight) {
            this(threads, lingerMicros, batchesInFlight, false);
        }
    }

    /** As fast as the server answers (no {@code rate}), the read-model lag not watched. */
    public LoadOptions(int accountCount, AccountDistribution distribution, long transferCount, int batchSize,
                       double pendingShare, int clients, IdOrder idOrder, boolean validate, long seed, int ledger,
                       long serverPid, int queryCount, int queryLimit, Singles singles) {
        this(accountCount, distribution, transferCount, batchSize, pendingShare, clients, idOrder, validate, seed, ledger,
            serverPid, queryCount, queryLimit, singles, 0, false);
    }

    /** Whole batches from {@code clients} connections (no single transfers). */
    public LoadOptions(int accountCount, AccountDistribution distribution, long transferCount, int batchSize,
                       double pendingShare, int clients, IdOrder idOrder, boolean validate, long seed, int ledger,
                       long serverPid, int queryCount, int queryLimit) {
        this(accountCount, distribution, transferCount, batchSize, pendingShare, clients, idOrder, validate, seed, ledger,
            serverPid, queryCount, queryLimit, null);
    }

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
        require(rate >= 0 && rate <= RATE_MAX, "--rate: 0 (off) or transfers a second up to " + RATE_MAX + ", got " + rate);
        require(rate == 0 || singles == null, "--rate paces whole batches; not with --single-transfer-threads");
        if (singles != null) {
            require(singles.threads() >= 1 && singles.threads() <= SINGLE_THREADS_MAX,
                "--single-transfer-threads: 1.." + SINGLE_THREADS_MAX + ", got " + singles.threads());
            require(singles.lingerMicros() >= 0 && singles.lingerMicros() <= 1_000_000,
                "--linger-micros: 0..1000000, got " + singles.lingerMicros());
            require(singles.batchesInFlight() >= 1 && singles.batchesInFlight() <= 64,
                "--batches-in-flight: 1..64, got " + singles.batchesInFlight());
            require(!singles.virtualThreads() || VirtualThreads.available(),
                "--caller-threads virtual needs JDK 21 or newer (this is " + Runtime.version().feature() + ")");
            // A post or void must be decided after its pending transfer, which another thread may not have sent yet.
            require(pendingShare == 0, "--transfer-pending needs whole batches; single transfers are single-phase only");
            require(transferCount <= Integer.MAX_VALUE, "--single-transfer-threads covers at most 2^31-1 transfers");
        }
        return this;
    }

    private static void require(boolean condition, String problem) {
        if (!condition) {
            throw new IllegalArgumentException(problem);
        }
    }
}
