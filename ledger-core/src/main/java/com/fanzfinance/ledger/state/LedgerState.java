package com.fanzfinance.ledger.state;

import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.config.StateMachineConfig;

/**
 * All state of one ledger: the stores and the few scalars that decisions read. Owned by the
 * business-logic thread; the engine package is the only writer.
 */
public final class LedgerState implements AutoCloseable {
    private final StateMachineConfig config;
    private final AccountStore accounts;
    private final TransferStore transfers;
    private final FailedTransferIds failedTransferIds;
    private final TransferIdIndex transferIds;
    private final FailedIdIndex failedIdIndex;
    private final PendingTransfers pendingTransfers;
    private final AccountTransferLists accountTransferLists;
    private final MetadataStore metadata;
    private final Tenants tenants = new Tenants();

    /** The limits in force: the configuration's at first, then whatever the journal's set_limits commands set. */
    private LedgerLimits limits;
    /** The timestamp of the last event of the last command applied; commands must move past it. */
    private long lastTimestamp;

    public LedgerState(StateMachineConfig config) {
        this.config = config;
        SavedIdIndex saved = config.storeDirectory() != null && java.nio.file.Files.isDirectory(config.storeDirectory())
            ? SavedIdIndex.claim(config.storeDirectory()) : null;
        deleteStaleIndexFiles(config, saved);
        MemoryFactory memoryFactory = config.memoryFactory();
        this.accounts = new AccountStore(StateMachineConfig.ACCOUNTS_MAX_LIMIT, config.expectedAccounts());
        long expectedTransfers = Math.max(1024, config.expectedTransfers());
        this.transfers = new TransferStore(memoryFactory.create("transfers", expectedTransfers * 128), LedgerLimits.TRANSFERS_LIMIT);
        this.failedTransferIds = new FailedTransferIds(memoryFactory.create("failed-transfer-ids", 1 << 16));
        this.transferIds = new TransferIdIndex(memoryFactory, transfers, config.expectedTransfers(), saved);
        this.failedIdIndex = new FailedIdIndex(memoryFactory, failedTransferIds);
        this.pendingTransfers = new PendingTransfers();
        this.accountTransferLists = new AccountTransferLists(memoryFactory, expectedTransfers);
        this.metadata = new MetadataStore(memoryFactory.create("metadata", 1 << 20));
        this.limits = config.limits();
    }

    /**
     * Declares how much of each append-only store is valid — everything beyond is cut — and rebuilds the
     * idempotency index from them (or keeps the one the last clean shutdown saved, if it indexes exactly these
     * transfers: {@link TransferIdIndex#rebuild}). Recovery calls this with a snapshot's lengths, or with nothing when
     * there is no snapshot. A new state counts every store as empty already; bytes a mapped file still
     * holds from an earlier run are never read and are overwritten as the stores grow.
     */
    public void restoreStores(long transferCount, long failedIdCount, long plainListBlocks, long historyListBlocks) {
        transfers.restore(transferCount);
        failedTransferIds.restore(failedIdCount);
        accountTransferLists.restore(plainListBlocks, historyListBlocks);
        transferIds.rebuild();
        failedIdIndex.rebuild();
    }

    public StateMachineConfig config() {
        return config;
    }

    public AccountStore accounts() {
        return accounts;
    }

    public TransferStore transfers() {
        return transfers;
    }

    public FailedTransferIds failedTransferIds() {
        return failedTransferIds;
    }

    public TransferIdIndex transferIds() {
        return transferIds;
    }

    public FailedIdIndex failedIdIndex() {
        return failedIdIndex;
    }

    public Tenants tenants() {
        return tenants;
    }

    public LedgerLimits limits() {
        return limits;
    }

    public void limits(LedgerLimits value) {
        this.limits = java.util.Objects.requireNonNull(value, "limits");
    }

    public PendingTransfers pendingTransfers() {
        return pendingTransfers;
    }

    public AccountTransferLists accountTransferLists() {
        return accountTransferLists;
    }

    public MetadataStore metadata() {
        return metadata;
    }

    public long lastTimestamp() {
        return lastTimestamp;
    }

    public void lastTimestamp(long timestamp) {
        this.lastTimestamp = timestamp;
    }

    /** The newest account's timestamp, 0 if there are none (accounts are in timestamp order). */
    public long maxAccountTimestamp() {
        int count = accounts.count();
        return count == 0 ? 0 : accounts.get(count - 1, AccountStore.TIMESTAMP);
    }

    /** The newest transfer's timestamp, 0 if there are none (transfers are in timestamp order). */
    public long maxTransferTimestamp() {
        long count = transfers.count();
        return count == 0 ? 0 : transfers.timestamp(count - 1);
    }

    /** True if some account has exactly this timestamp (binary search: accounts are in timestamp order). */
    public boolean accountHasTimestamp(long timestamp) {
        int low = 0;
        int high = accounts.count() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            long found = accounts.get(middle, AccountStore.TIMESTAMP);
            if (found == timestamp) {
                return true;
            }
            if (found < timestamp) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return false;
    }

    /** True if some transfer has exactly this timestamp (binary search over the transfer store). */
    public boolean transferHasTimestamp(long timestamp) {
        return transferAtOrAfter(timestamp) < transfers.count()
            && transfers.timestamp(transferAtOrAfter(timestamp)) == timestamp;
    }

    /** The sequence of the first transfer with a timestamp at or after {@code timestamp}; count if none. */
    public long transferAtOrAfter(long timestamp) {
        long low = 0;
        long high = transfers.count();
        while (low < high) {
            long middle = (low + high) >>> 1;
            if (transfers.timestamp(middle) < timestamp) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /**
     * Index files are rebuilt on every start; generations left by an earlier run are garbage — all but the transfer id
     * index's table a clean shutdown saved ({@code saved}, if any), which the restore may keep.
     */
    private static void deleteStaleIndexFiles(StateMachineConfig config, SavedIdIndex saved) {
        if (config.storeDirectory() == null || !java.nio.file.Files.isDirectory(config.storeDirectory())) {
            return;
        }
        String keep = saved == null ? null : saved.tableName() + ".store";
        try (var files = java.nio.file.Files.newDirectoryStream(config.storeDirectory(), "*-id-index-*.store")) {
            for (java.nio.file.Path file : files) {
                if (!file.getFileName().toString().equals(keep)) {
                    java.nio.file.Files.deleteIfExists(file);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot clear stale index files in " + config.storeDirectory(), e);
        }
    }

    @Override
    public void close() {
        close(false);
    }

    /**
     * Closes the stores; {@code keepIndex}: first saves the transfer id index for the next start
     * ({@link TransferIdIndex#saveForRestart}), for a clean shutdown after which nothing was applied past its final
     * snapshot (else the next start finds it indexes other transfers and rebuilds). Returns null if it was saved, else
     * why not; a save that fails is reported so (the next start rebuilds) and the stores are closed all the same.
     */
    public String close(boolean keepIndex) {
        String notSaved = "not asked to";
        try {
            if (keepIndex) {
                notSaved = config.storeDirectory() == null ? "the stores are in process memory"
                    : transferIds.saveForRestart(config.storeDirectory());
            }
        } catch (RuntimeException e) {
            notSaved = "saving it failed: " + e;
        } finally {
            closeStores();
        }
        return notSaved;
    }

    /**
     * Closes every store, each even if an earlier one failed (the transfer store writes its stage out as it closes, which
     * can fail on a full disk); the first failure is thrown once all are closed.
     */
    private void closeStores() {
        RuntimeException failure = null;
        for (AutoCloseable store : new AutoCloseable[] {transferIds, failedIdIndex, transfers, failedTransferIds,
            accountTransferLists, metadata}) {
            try {
                store.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
