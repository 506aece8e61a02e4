package com.fanzfinance.ledger.command;

import java.util.ArrayList;
import java.util.List;

/** Mapping between flag bits and their snake_case names, shared by the account and transfer flags. */
final class FlagNames {
    private FlagNames() {
    }

    static int bitOf(String[] names, String name) {
        for (int bit = 0; bit < names.length; bit++) {
            if (names[bit].equals(name)) {
                return 1 << bit;
            }
        }
        return 0;
    }

    static List<String> namesOf(String[] names, int flags) {
        List<String> result = new ArrayList<>();
        for (int bit = 0; bit < names.length; bit++) {
            if ((flags & (1 << bit)) != 0) {
                result.add(names[bit]);
            }
        }
        return result;
    }
}
