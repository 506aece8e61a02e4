package com.fanzfinance.reconciliation.match;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A small table of distinct strings that few values take (types, currencies) and their dense indexes. */
final class Interner {
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> names = new ArrayList<>();

    int intern(String s) {
        Integer i = index.get(s);
        if (i != null) {
            return i;
        }
        int n = names.size();
        index.put(s, n);
        names.add(s);
        return n;
    }

    /** The index of {@code s}, or {@link #size()} (the index it would get) when it is not here yet. */
    int peek(String s) {
        Integer i = index.get(s);
        return i != null ? i : names.size();
    }

    String name(int i) {
        return names.get(i);
    }

    int size() {
        return names.size();
    }
}
