package com.fanzfinance.ledger.state;

import java.util.Arrays;

/**
 * Every account, as thirteen longs in heap pages, plus an open-addressing index from 128-bit id to slot.
 *
 * <p>Slots are assigned in creation order and never reused, so a slot number is a stable, compact handle;
 * since every account's timestamp exceeds the one before it, slot order is also timestamp order.
 * Memory: 104 bytes per account in the pages plus a 4-byte index entry at a load factor between 0.25
 * and 0.5 (8 to 16 bytes per account): at most 120 bytes per account.
 *
 * <p>Mutated only by the business-logic thread. Reads do not allocate.
 */
public final class AccountStore {
    public static final int ID_LOW = 0;
    public static final int ID_HIGH = 1;
    public static final int DEBITS_PENDING = 2;
    public static final int DEBITS_POSTED = 3;
    public static final int CREDITS_PENDING = 4;
    public static final int CREDITS_POSTED = 5;
    public static final int USER_DATA_128_LOW = 6;
    public static final int USER_DATA_128_HIGH = 7;
    public static final int USER_DATA_64 = 8;
    /** user_data_32 in the low half, ledger in the high half. */
    public static final int USER_DATA_32_AND_LEDGER = 9;
    /** code in bits 0-15, flags in bits 16-31, tenant in the high half. */
    public static final int CODE_FLAGS_TENANT = 10;
    public static final int TIMESTAMP = 11;
    /**
     * Head of the account's list of transfers in {@link AccountTransferLists}; for accounts with the
     * {@code history} flag each entry also holds the balances after the transfer.
     */
    public static final int TRANSFER_LIST_HEAD = 12;
    public static final int FIELDS = 13;

    public static final int BYTES_PER_ACCOUNT_IN_PAGES = FIELDS * Long.BYTES;

    private static final int PAGE_SHIFT = 12;
    private static final int ACCOUNTS_PER_PAGE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = ACCOUNTS_PER_PAGE - 1;
    private static final int MINIMUM_INDEX_CAPACITY = 1024;

    private final int accountsMax;
    private long[][] pages = new long[16][];
    private int count;
    private int[] index;
    private int indexMask;

    /** @param accountsMax the most accounts this store will ever hold (a start-up limit). */
    public AccountStore(int accountsMax, int expectedAccounts) {
        if (accountsMax < 1) {
            throw new IllegalArgumentException("accountsMax must be positive, was " + accountsMax);
        }
        this.accountsMax = accountsMax;
        int capacity = Math.max(MINIMUM_INDEX_CAPACITY, Integer.highestOneBit(Math.max(1, expectedAccounts)) << 2);
        this.index = new int[capacity];
        this.indexMask = capacity - 1;
    }

    public int count() {
        return count;
    }

    public int accountsMax() {
        return accountsMax;
    }

    public boolean isFull() {
        return count >= accountsMax;
    }

    /** The slot of the account with this id, or -1. */
    public int find(long idLow, long idHigh) {
        int position = position(idLow, idHigh);
        while (true) {
            int entry = index[position];
            if (entry == 0) {
                return -1;
            }
            int slot = entry - 1;
            if (get(slot, ID_LOW) == idLow && get(slot, ID_HIGH) == idHigh) {
                return slot;
            }
            position = (position + 1) & indexMask;
        }
    }

    /** Appends a zeroed account with this id and returns its slot. The id must not be present. */
    public int insert(long idLow, long idHigh) {
        assert find(idLow, idHigh) < 0 : "duplicate account id";
        if (count >= accountsMax) {
            throw new IllegalStateException("account store is full (" + accountsMax + ")");
        }
        int slot = count;
        ensurePage(slot);
        set(slot, ID_LOW, idLow);
        set(slot, ID_HIGH, idHigh);
        count++;
        if ((long) count * 2 > index.length) {
            growIndex();
        }
        indexInsert(slot, idLow, idHigh);
        return slot;
    }

    /** Removes the most recently inserted accounts down to {@code newCount}, newest first (rollback). */
    public void truncate(int newCount) {
        while (count > newCount) {
            int slot = count - 1;
            indexRemove(get(slot, ID_LOW), get(slot, ID_HIGH));
            long[] page = pages[slot >>> PAGE_SHIFT];
            Arrays.fill(page, (slot & PAGE_MASK) * FIELDS, (slot & PAGE_MASK) * FIELDS + FIELDS, 0L);
            count--;
        }
    }

    public long get(int slot, int field) {
        return pages[slot >>> PAGE_SHIFT][(slot & PAGE_MASK) * FIELDS + field];
    }

    public void set(int slot, int field, long value) {
        pages[slot >>> PAGE_SHIFT][(slot & PAGE_MASK) * FIELDS + field] = value;
    }

    public int ledger(int slot) {
        return (int) (get(slot, USER_DATA_32_AND_LEDGER) >>> 32);
    }

    public int userData32(int slot) {
        return (int) get(slot, USER_DATA_32_AND_LEDGER);
    }

    public int code(int slot) {
        return (int) get(slot, CODE_FLAGS_TENANT) & 0xFFFF;
    }

    public int flags(int slot) {
        return (int) (get(slot, CODE_FLAGS_TENANT) >>> 16) & 0xFFFF;
    }

    public int tenant(int slot) {
        return (int) (get(slot, CODE_FLAGS_TENANT) >>> 32);
    }

    public static long packUserData32AndLedger(int userData32, int ledger) {
        return ((long) ledger << 32) | (userData32 & 0xFFFF_FFFFL);
    }

    public static long packCodeFlagsTenant(int code, int flags, int tenant) {
        return ((long) tenant << 32) | ((long) (flags & 0xFFFF) << 16) | (code & 0xFFFF);
    }

    /** Bytes held by the pages and the index, for the memory figures in the docs. */
    public long memoryBytes() {
        long pageBytes = 0;
        for (long[] page : pages) {
            if (page != null) {
                pageBytes += (long) page.length * Long.BYTES;
            }
        }
        return pageBytes + (long) index.length * Integer.BYTES;
    }

    private void ensurePage(int slot) {
        int pageIndex = slot >>> PAGE_SHIFT;
        if (pageIndex == pages.length) {
            pages = Arrays.copyOf(pages, pages.length * 2);
        }
        if (pages[pageIndex] == null) {
            pages[pageIndex] = new long[ACCOUNTS_PER_PAGE * FIELDS];
        }
    }

    private int position(long idLow, long idHigh) {
        return (int) (IdHash.hash(idLow, idHigh) >>> 32) & indexMask;
    }

    private void indexInsert(int slot, long idLow, long idHigh) {
        int position = position(idLow, idHigh);
        while (index[position] != 0) {
            position = (position + 1) & indexMask;
        }
        index[position] = slot + 1;
    }

    /** Backward-shift deletion keeps linear probing correct without tombstones. */
    private void indexRemove(long idLow, long idHigh) {
        int position = position(idLow, idHigh);
        while (true) {
            int entry = index[position];
            assert entry != 0 : "removing an account id that is not indexed";
            int slot = entry - 1;
            if (get(slot, ID_LOW) == idLow && get(slot, ID_HIGH) == idHigh) {
                break;
            }
            position = (position + 1) & indexMask;
        }
        int hole = position;
        int next = (hole + 1) & indexMask;
        while (index[next] != 0) {
            int slot = index[next] - 1;
            int home = position(get(slot, ID_LOW), get(slot, ID_HIGH));
            if (((next - home) & indexMask) >= ((next - hole) & indexMask)) {
                index[hole] = index[next];
                hole = next;
            }
            next = (next + 1) & indexMask;
        }
        index[hole] = 0;
    }

    private void growIndex() {
        index = new int[index.length * 2];
        indexMask = index.length - 1;
        for (int slot = 0; slot < count - 1; slot++) {
            indexInsert(slot, get(slot, ID_LOW), get(slot, ID_HIGH));
        }
    }
}
