package com.fanzfinance.server.payments.payouts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;

import com.fanzfinance.server.payments.Fields;

/**
 * The JSON text columns of the payouts tables (transfer ids, payout ids, histories, changes, destinations), read and
 * written whole, and the one way a history grows.
 */
final class PayoutJson {
    /** Entries a history keeps: the first (how the object began) and the latest. */
    static final int HISTORY_KEPT = 100;

    private PayoutJson() {
    }

    static String write(Object value) {
        try {
            return Fields.JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> readList(String json) {
        return read(json, new TypeReference<List<String>>() { });
    }

    /** A list of objects of strings: a history, a payee's changes. */
    static List<Map<String, String>> readMaps(String json) {
        return read(json, new TypeReference<List<Map<String, String>>>() { });
    }

    static Map<String, String> readMap(String json) {
        return read(json, new TypeReference<TreeMap<String, String>>() { });
    }

    /** A history entry: {@code {"status","reason","at"}}. */
    static Map<String, String> historyEntry(String status, String reason, Instant at) {
        Map<String, String> entry = new LinkedHashMap<>();
        entry.put("status", status);
        entry.put("reason", reason);
        entry.put("at", at.toString());
        return entry;
    }

    /** The history {@code json} with an entry added, at most {@link #HISTORY_KEPT} long (the oldest but the first go). */
    static String appendHistory(String json, String status, String reason, Instant at) {
        List<Map<String, String>> history = new ArrayList<>(readMaps(json));
        history.add(historyEntry(status, reason, at));
        while (history.size() > HISTORY_KEPT) {
            history.remove(1);
        }
        return write(history);
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return Fields.JSON.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
