package com.fanzfinance.ledger.snapshot;

import com.fanzfinance.ledger.state.LedgerState;

/**
 * What a snapshot holds, captured on the business-logic thread in one short copy: the journal position,
 * copies of the mutable state (accounts, pending statuses, the expiry heap) and the lengths of the
 * append-only stores. The stores themselves are not copied: below those lengths they never change, so
 * the writer reads them (or msyncs their files) while the engine goes on appending past them. The transfer
 * store's staged records are written to its file first ({@code TransferStore.flushStaged}), so that the file holds
 * every record counted.
 */
public final class SnapshotImage {
    final JournalPosition position;
    final long lastTimestamp;
    final int accountCount;
    final long[] accounts;
    final long[] pendingStatuses;
    final long[] expiryHeapExpiresAt;
    final long[] expiryHeapSequences;
    final long transferCount;
    final long failedIdCount;
    final long plainListBlocks;
    final long historyListBlocks;
    final long metadataLength;
    final long[] accountMetadata;
    final long[] transferMetadata;
    final com.fanzfinance.ledger.command.LedgerLimits limits;
    final long[] tenants;
    final LedgerState stores;

    private SnapshotImage(JournalPosition position, LedgerState state) {
        this.position = position;
        this.lastTimestamp = state.lastTimestamp();
        this.accountCount = state.accounts().count();
        this.accounts = state.accounts().exportAccounts();
        this.pendingStatuses = state.pendingTransfers().sortedEntries();
        this.expiryHeapExpiresAt = state.pendingTransfers().heapExpiresAt();
        this.expiryHeapSequences = state.pendingTransfers().heapSequences();
        state.transfers().flushStaged();
        this.transferCount = state.transfers().count();
        this.failedIdCount = state.failedTransferIds().count();
        this.plainListBlocks = state.accountTransferLists().plainMark();
        this.historyListBlocks = state.accountTransferLists().historyMark();
        this.metadataLength = state.metadata().length();
        this.accountMetadata = state.metadata().accountEntries();
        this.transferMetadata = state.metadata().transferEntries();
        this.limits = state.limits();
        this.tenants = state.tenants().export();
        this.stores = state;
    }

    /** Copies the mutable state; call on the business-logic thread, between commands. */
    public static SnapshotImage capture(JournalPosition position, LedgerState state) {
        return new SnapshotImage(position, state);
    }

    public JournalPosition position() {
        return position;
    }

    public long transferCount() {
        return transferCount;
    }
}
