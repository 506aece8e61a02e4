package com.fanzfinance.ledger.state;

/**
 * Per-account lists of the transfers that touched each account, newest first, answering
 * {@code get_account_transfers} and {@code get_account_balances} without a database.
 *
 * <p>An ordinary account's list holds transfer sequence numbers (8 bytes per transfer side, 15 per
 * 128-byte block). An account with the {@code history} flag uses a second store whose entries also hold
 * the account's four balances after the transfer (40 bytes, 6 per 256-byte block). Both live in
 * {@link PagedMemory}, so with a mapped factory they are files.
 */
public final class AccountTransferLists implements AutoCloseable {
    /** Longs per history entry: sequence, debits pending, debits posted, credits pending, credits posted. */
    public static final int HISTORY_ENTRY_LONGS = 5;

    private final BlockLists plain;
    private final BlockLists withBalances;

    public AccountTransferLists(MemoryFactory memoryFactory, long expectedTransfers) {
        this.plain = new BlockLists(memoryFactory.create("account-transfers", expectedTransfers * 2 * 9), 16, 1);
        this.withBalances = new BlockLists(memoryFactory.create("account-history", expectedTransfers * 4), 32,
            HISTORY_ENTRY_LONGS);
    }

    /** Appends a transfer to an ordinary account's list and returns the new head. */
    public long appendTransfer(long head, long sequence) {
        long newHead = plain.append(head);
        plain.putLong(plain.newestEntry(newHead), sequence);
        return newHead;
    }

    /** Appends a transfer and the balances after it to a history account's list; returns the new head. */
    public long appendWithBalances(long head, long sequence, long debitsPending, long debitsPosted,
                                   long creditsPending, long creditsPosted) {
        long newHead = withBalances.append(head);
        long address = withBalances.newestEntry(newHead);
        withBalances.putLong(address, sequence);
        withBalances.putLong(address + 8, debitsPending);
        withBalances.putLong(address + 16, debitsPosted);
        withBalances.putLong(address + 24, creditsPending);
        withBalances.putLong(address + 32, creditsPosted);
        return newHead;
    }

    /** Loads the slot the next entry of this list goes to (see {@link AccountStore#touchList}). */
    public long touch(long head, boolean history) {
        BlockLists store = history ? withBalances : plain;
        return head == 0 ? 0 : store.getLong(store.newestEntry(head));
    }

    /** The store that holds the lists of accounts with ({@code true}) or without the history flag. */
    public BlockLists store(boolean history) {
        return history ? withBalances : plain;
    }

    public long plainMark() {
        return plain.nextBlock();
    }

    public long historyMark() {
        return withBalances.nextBlock();
    }

    public void restore(long plainNextBlock, long historyNextBlock) {
        plain.restore(plainNextBlock);
        withBalances.restore(historyNextBlock);
    }

    public void truncate(long plainMark, long historyMark) {
        plain.truncate(plainMark);
        withBalances.truncate(historyMark);
    }

    public long usedBytes() {
        return plain.usedBytes() + withBalances.usedBytes();
    }

    @Override
    public void close() {
        plain.close();
        withBalances.close();
    }
}
