package com.fanzfinance.reconciliation.match;

import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * The ledger side of a reconciliation (posted payment events or payouts of one merchant account in the
 * statement's date range), stored by column like {@link StatementLines}: primitive arrays growing by doubling,
 * the id as two {@code long}s, currencies interned, the group and the keys as UTF-8 in one byte arena. No
 * object per item.
 *
 * <p>An item's keys are the references a statement may name it by (a processor's transaction id, our payment
 * id, an end-to-end id …); the first is its primary reference, shown to users. Keys are trimmed and empty ones
 * dropped, as are keys equal (ignoring ASCII case) to an earlier key of the same item; they keep their case
 * here and the matcher compares them ignoring ASCII case. An item without keys can still be matched by amount
 * and date. The group (a payout batch id, say) is trimmed too. Append-only and not thread-safe.
 */
public final class LedgerItems {

    private int size;
    private long[] idHigh;
    private long[] idLow;
    private long[] amount;
    private long[] fee;
    private int[] epochDay;
    private int[] currency;
    private int[] groupStart;
    private int[] groupLength;
    /** Item {@code i}'s keys are the key slots {@code firstKey[i] .. firstKey[i + 1] - 1}. */
    private int[] firstKey;
    private int keyCount;
    private int[] keyStart;
    private int[] keyLength;

    private final ByteArena arena;
    private final Interner currencies = new Interner();

    /** An empty store. */
    public LedgerItems() {
        this(1024);
    }

    /** An empty store with room for {@code initialCapacity} items at first. */
    public LedgerItems(int initialCapacity) {
        int cap = Math.max(1, initialCapacity);
        idHigh = new long[cap];
        idLow = new long[cap];
        amount = new long[cap];
        fee = new long[cap];
        epochDay = new int[cap];
        currency = new int[cap];
        groupStart = new int[cap];
        groupLength = new int[cap];
        firstKey = new int[cap + 1];
        keyStart = new int[cap];
        keyLength = new int[cap];
        arena = new ByteArena(cap * 24);
    }

    /**
     * Stores one item.
     *
     * @param id       the ledger's id of the item (payment event, payout)
     * @param amount   minor units, signed (money to us positive)
     * @param fee      minor units
     * @param currency ISO 4217 code, upper case
     * @param epochDay the date the statement is expected to show, as days since 1970-01-01
     * @param group    a batch the item belongs to (a payout batch), or {@code ""} / null for none
     * @param keys     the references the item is known by, primary first; null and blank ones are dropped
     * @return the item's index
     * @throws IllegalStateException when the text outgrows 2 GB (the store is unchanged then)
     */
    public int add(UUID id, long amount, long fee, String currency, int epochDay, String group, String... keys) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(currency, "currency");
        int mark = arena.size();
        int keysBefore = keyCount;
        if (size == idHigh.length) {
            grow();
        }
        String g = group == null ? "" : group.trim();
        int gLen;
        try {
            gLen = arena.append(g);
            if (keys != null) {
                for (String key : keys) {
                    addKey(key, keysBefore);
                }
            }
        } catch (IllegalStateException e) {
            arena.truncate(mark);
            keyCount = keysBefore;
            throw e;
        }
        int i = size;
        idHigh[i] = id.getMostSignificantBits();
        idLow[i] = id.getLeastSignificantBits();
        this.amount[i] = amount;
        this.fee[i] = fee;
        this.epochDay[i] = epochDay;
        this.currency[i] = currencies.intern(currency);
        groupStart[i] = mark;
        groupLength[i] = gLen;
        firstKey[i] = keysBefore;
        firstKey[i + 1] = keyCount;
        size = i + 1;
        return i;
    }

    private void addKey(String key, int firstOfItem) {
        if (key == null) {
            return;
        }
        String k = key.trim();
        if (k.isEmpty()) {
            return;
        }
        int start = arena.size();
        int len = arena.append(k);
        byte[] b = arena.bytes();
        for (int j = firstOfItem; j < keyCount; j++) {
            if (ByteKeyIndex.equal(b, keyStart[j], keyLength[j], b, start, len)) {
                arena.truncate(start);
                return;
            }
        }
        if (keyCount == keyStart.length) {
            int n = keyCount * 2;
            keyStart = Arrays.copyOf(keyStart, n);
            keyLength = Arrays.copyOf(keyLength, n);
        }
        keyStart[keyCount] = start;
        keyLength[keyCount] = len;
        keyCount++;
    }

    private void grow() {
        int n = idHigh.length * 2;
        idHigh = Arrays.copyOf(idHigh, n);
        idLow = Arrays.copyOf(idLow, n);
        amount = Arrays.copyOf(amount, n);
        fee = Arrays.copyOf(fee, n);
        epochDay = Arrays.copyOf(epochDay, n);
        currency = Arrays.copyOf(currency, n);
        groupStart = Arrays.copyOf(groupStart, n);
        groupLength = Arrays.copyOf(groupLength, n);
        firstKey = Arrays.copyOf(firstKey, n + 1);
    }

    /** The number of items stored. */
    public int size() {
        return size;
    }

    /** The item's ledger id. */
    public UUID id(int i) {
        check(i);
        return new UUID(idHigh[i], idLow[i]);
    }

    /** Minor units, signed (money to us positive). */
    public long amount(int i) {
        check(i);
        return amount[i];
    }

    /** The fee in minor units. */
    public long fee(int i) {
        check(i);
        return fee[i];
    }

    /** ISO 4217 code. */
    public String currency(int i) {
        check(i);
        return currencies.name(currency[i]);
    }

    /** The item's date as days since 1970-01-01. */
    public int epochDay(int i) {
        check(i);
        return epochDay[i];
    }

    /** The item's batch, {@code ""} when none. */
    public String group(int i) {
        check(i);
        return arena.string(groupStart[i], groupLength[i]);
    }

    /** The item's keys (trimmed, case as given), primary first; empty when none. */
    public String[] keys(int i) {
        check(i);
        int from = firstKey[i];
        String[] out = new String[firstKey[i + 1] - from];
        for (int k = 0; k < out.length; k++) {
            out[k] = arena.string(keyStart[from + k], keyLength[from + k]);
        }
        return out;
    }

    /** The number of {@link #keys(int)}. */
    public int keyCount(int i) {
        check(i);
        return firstKey[i + 1] - firstKey[i];
    }

    /** The primary reference: the first key, or {@code ""} when the item has none. */
    public String reference(int i) {
        check(i);
        int k = firstKey[i];
        return k == firstKey[i + 1] ? "" : arena.string(keyStart[k], keyLength[k]);
    }

    /** The approximate memory the store's arrays take, in bytes (capacity, not just what is used). */
    public long bytesUsed() {
        return (8L * 4 + 4L * 5) * idHigh.length + 4L * 2 * keyStart.length + arena.capacity();
    }

    private void check(int i) {
        Objects.checkIndex(i, size);
    }

    // --- for the matcher

    byte[] arenaBytes() {
        return arena.bytes();
    }

    long amountAt(int i) {
        return amount[i];
    }

    long feeAt(int i) {
        return fee[i];
    }

    int dayAt(int i) {
        return epochDay[i];
    }

    int currencyIndex(int i) {
        return currency[i];
    }

    int currencyCount() {
        return currencies.size();
    }

    /** The index of a currency among the items' currencies, or {@code -1}. */
    int currencyIndexOf(String code) {
        int c = currencies.peek(code);
        return c < currencies.size() ? c : -1;
    }

    int groupStartAt(int i) {
        return groupStart[i];
    }

    int groupLengthAt(int i) {
        return groupLength[i];
    }

    /** The first key slot of item {@code i}; {@code firstKeyAt(size())} is the number of key slots. */
    int firstKeyAt(int i) {
        return firstKey[i];
    }

    int totalKeys() {
        return keyCount;
    }

    int keyStartAt(int k) {
        return keyStart[k];
    }

    int keyLengthAt(int k) {
        return keyLength[k];
    }
}
