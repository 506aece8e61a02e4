package com.fanzfinance.ledger.state;

import java.util.Arrays;

/**
 * Every account, plus an open-addressing index from 128-bit id to slot.
 *
 * <p>An account is thirteen longs split by temperature: the eight a transfer reads and writes (id, the
 * four balances, ledger/code/flags, the head of its transfer list) fill exactly one 64-byte cache line
 * of one array; the five that only creation and lookups touch (user data,
 * tenant, timestamp) live in heap pages beside them. A transfer therefore costs one cache line per
 * account, and 10,000 accounts fit in 640 KiB.
 *
 * <p>Slots are assigned in creation order and never reused, so a slot number is a stable, compact handle;
 * since every account's timestamp exceeds the one before it, slot order is also timestamp order.
 * Memory: 104 bytes per account plus a 4-byte index entry at a load factor between 0.25 and 0.5
 * (8 to 16 bytes per account): at most 120 bytes per account.
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
    /** ledger in bits 0-31, code in bits 32-47, flags in bits 48-63. */
    public static final int LEDGER_CODE_FLAGS = 6;
    /**
     * Head of the account's list of transfers in {@link AccountTransferLists}; for accounts with the
     * {@code history} flag each entry also holds the balances after the transfer.
     */
    public static final int TRANSFER_LIST_HEAD = 7;
    public static final int USER_DATA_128_LOW = 8;
    public static final int USER_DATA_128_HIGH = 9;
    public static final int USER_DATA_64 = 10;
    /** user_data_32 in the low half, tenant in the high half. */
    public static final int USER_DATA_32_AND_TENANT = 11;
    public static final int TIMESTAMP = 12;
    public static final int FIELDS = 13;

    private static final int HOT_FIELDS = 8;
    private static final int COLD_FIELDS = FIELDS - HOT_FIELDS;
    private static final int HOT_OFFSET = 6;
    private static final int PAGE_SHIFT = 12;
    private static final int ACCOUNTS_PER_PAGE = 1 << PAGE_SHIFT;
    private static final int PAGE_MASK = ACCOUNTS_PER_PAGE - 1;
    private static final int MINIMUM_INDEX_CAPACITY = 1024;
    private static final int HISTORY_FLAG = 1 << 3;

    private final int accountsMax;
    /**
     * Hot fields of every account in one array, grown by doubling. Records start 48 bytes in, which puts
     * them on 64-byte boundaries when the array is a humongous object (it starts at a region boundary
     * with a 16-byte header); elsewhere alignment is a matter of luck, never of correctness.
     */
    private long[] hot;
    private long[][] coldPages = new long[16][];
    private int count;
    private int[] index;
    private int indexMask;

    /** @param accountsMax the most accounts this store will ever hold (a start-up limit). */
    public AccountStore(int accountsMax, int expectedAccounts) {
        if (accountsMax < 1) {
            throw new IllegalArgumentException("accountsMax must be positive, was " + accountsMax);
        }
        this.accountsMax = accountsMax;
        int capacity = (int) Math.max(MINIMUM_INDEX_CAPACITY, (long) Integer.highestOneBit(Math.max(1, expectedAccounts)) << 2);
        this.index = new int[capacity];
        this.indexMask = capacity - 1;
        this.hot = new long[(int) (HOT_OFFSET + (long) Math.max(ACCOUNTS_PER_PAGE, expectedAccounts) * HOT_FIELDS)];
    }

    public int count() {
        return count;
    }

    public int accountsMax() {
        return accountsMax;
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

    /**
     * The slot of the account with this id: {@code hint} when that slot holds it (two compares on a line a
     * prefetch has just loaded), else {@link #find(long, long)}. Any hint is safe; -1 means none.
     */
    public int find(long idLow, long idHigh, int hint) {
        if (hint >= 0 && hint < count && get(hint, ID_LOW) == idLow && get(hint, ID_HIGH) == idHigh) {
            return hint;
        }
        return find(idLow, idHigh);
    }

    /**
     * The index entry at this id's home position, loaded without checking it (1 + a slot, or 0). With
     * {@link #slotAt} and {@link #touchList} it is one of three steps that load what a transfer will touch:
     * a batch runs each step over a few dozen ids before the next, so their cache misses overlap instead of
     * queueing (Java has no prefetch instruction).
     */
    public int homeEntry(long idLow, long idHigh) {
        return index[position(idLow, idHigh)];
    }

    /**
     * The second step: loads the hot cache line of the account behind a {@link #homeEntry} and returns its
     * slot if it holds this id, else -1 (none there, or the id sits further along its probe sequence).
     */
    public int slotAt(int entry, long idLow, long idHigh) {
        int slot = entry - 1;
        return entry != 0 && get(slot, ID_LOW) == idLow && get(slot, ID_HIGH) == idHigh ? slot : -1;
    }

    /** The third step: loads the block the transfer list of the account in {@code slot} appends to next. */
    public long touchList(int slot, AccountTransferLists lists) {
        if (slot < 0) {
            return 0;
        }
        return lists.touch(get(slot, TRANSFER_LIST_HEAD), (flags(slot) & HISTORY_FLAG) != 0);
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
            for (int field = 0; field < FIELDS; field++) {
                set(slot, field, 0);
            }
            count--;
        }
    }

    public long get(int slot, int field) {
        if (field < HOT_FIELDS) {
            return hot[HOT_OFFSET + (slot << 3) + field];
        }
        return coldPages[slot >>> PAGE_SHIFT][(slot & PAGE_MASK) * COLD_FIELDS + field - HOT_FIELDS];
    }

    public void set(int slot, int field, long value) {
        if (field < HOT_FIELDS) {
            hot[HOT_OFFSET + (slot << 3) + field] = value;
        } else {
            coldPages[slot >>> PAGE_SHIFT][(slot & PAGE_MASK) * COLD_FIELDS + field - HOT_FIELDS] = value;
        }
    }

    /** Every field of every account, {@link #FIELDS} longs per account in slot order (for snapshots). */
    public long[] exportAccounts() {
        long[] all = new long[count * FIELDS];
        for (int slot = 0; slot < count; slot++) {
            for (int field = 0; field < FIELDS; field++) {
                all[slot * FIELDS + field] = get(slot, field);
            }
        }
        return all;
    }

    /** Replaces the contents with {@code accountCount} accounts as {@link #exportAccounts} wrote them. */
    public void importAccounts(long[] all, int accountCount) {
        truncate(0);
        for (int slot = 0; slot < accountCount; slot++) {
            int base = slot * FIELDS;
            int inserted = insert(all[base + ID_LOW], all[base + ID_HIGH]);
            for (int field = 0; field < FIELDS; field++) {
                set(inserted, field, all[base + field]);
            }
        }
    }

    public int ledger(int slot) {
        return (int) get(slot, LEDGER_CODE_FLAGS);
    }

    public int code(int slot) {
        return (int) (get(slot, LEDGER_CODE_FLAGS) >>> 32) & 0xFFFF;
    }

    public int flags(int slot) {
        return (int) (get(slot, LEDGER_CODE_FLAGS) >>> 48);
    }

    public int userData32(int slot) {
        return (int) get(slot, USER_DATA_32_AND_TENANT);
    }

    public int tenant(int slot) {
        return (int) (get(slot, USER_DATA_32_AND_TENANT) >>> 32);
    }

    public static long packLedgerCodeFlags(int ledger, int code, int flags) {
        return ((long) (flags & 0xFFFF) << 48) | ((long) (code & 0xFFFF) << 32) | (ledger & 0xFFFF_FFFFL);
    }

    public static long packUserData32AndTenant(int userData32, int tenant) {
        return ((long) tenant << 32) | (userData32 & 0xFFFF_FFFFL);
    }

    /** Bytes held by the pages and the index, for the memory figures in the docs. */
    public long memoryBytes() {
        long pages = 0;
        for (long[] page : coldPages) {
            if (page != null) {
                pages += (long) page.length * Long.BYTES;
            }
        }
        return pages + (long) hot.length * Long.BYTES + (long) index.length * Integer.BYTES;
    }

    private void ensurePage(int slot) {
        int pageIndex = slot >>> PAGE_SHIFT;
        if (pageIndex == coldPages.length) {
            coldPages = Arrays.copyOf(coldPages, coldPages.length * 2);
        }
        if (coldPages[pageIndex] == null) {
            coldPages[pageIndex] = new long[ACCOUNTS_PER_PAGE * COLD_FIELDS];
        }
        int hotLength = HOT_OFFSET + (slot + 1) * HOT_FIELDS;
        if (hotLength > hot.length) {
            hot = Arrays.copyOf(hot, (int) Math.min(Integer.MAX_VALUE - 8L, HOT_OFFSET + 2L * slot * HOT_FIELDS));
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
