package com.fanzfinance.payouts.rail;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a driver keeps about one payout between {@link PayoutRail#advance} calls: string keys and values (ids, phases,
 * a signed transaction), never a secret. {@link #save()} makes the current values durable (the server writes them to
 * the payout's row and commits) and returns only then; a driver calls it before any request that may move money.
 */
public final class RailState {
    /** Where {@link #save()} writes. */
    @FunctionalInterface
    public interface Store {
        void save(Map<String, String> values);
    }

    /**
     * Keys with this prefix are remembered for the payee at this rail account once saved, and given to the payee's
     * later payouts as {@link RailPayout#payeeMemo()} without the prefix (a recipient made once and reused).
     */
    public static final String PAYEE_PREFIX = "payee.";

    /** Longest value kept (a signed transaction in hex fits many times over). */
    public static final int VALUE_MAX_CHARS = 64 * 1024;
    private static final int KEYS_MAX = 64;

    private final TreeMap<String, String> values;
    private final Store store;

    public RailState(Map<String, String> values, Store store) {
        this.values = new TreeMap<>(values);
        this.store = Objects.requireNonNull(store, "store");
    }

    /** A state that keeps its values in memory only (tests, dry runs). */
    public static RailState inMemory() {
        return new RailState(Map.of(), values -> { });
    }

    public String get(String key) {
        return values.get(key);
    }

    public String getOrDefault(String key, String otherwise) {
        return values.getOrDefault(key, otherwise);
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    public long getLong(String key, long otherwise) {
        String value = values.get(key);
        return value == null ? otherwise : Long.parseLong(value);
    }

    /** Sets {@code key} (null removes it); not durable until {@link #save()}. */
    public RailState put(String key, String value) {
        Objects.requireNonNull(key, "key");
        if (value == null) {
            values.remove(key);
            return this;
        }
        if (value.length() > VALUE_MAX_CHARS) {
            throw new IllegalArgumentException("state value '" + key + "' is over " + VALUE_MAX_CHARS + " characters");
        }
        if (!values.containsKey(key) && values.size() >= KEYS_MAX) {
            throw new IllegalArgumentException("a rail state holds at most " + KEYS_MAX + " keys");
        }
        values.put(key, value);
        return this;
    }

    public RailState put(String key, long value) {
        return put(key, Long.toString(value));
    }

    /** Makes the values durable; returns once they are. */
    public void save() {
        store.save(values());
    }

    /** The values, sorted by key (a copy). */
    public Map<String, String> values() {
        return Collections.unmodifiableMap(new TreeMap<>(values));
    }

    @Override
    public String toString() {
        return "RailState" + values;
    }
}
