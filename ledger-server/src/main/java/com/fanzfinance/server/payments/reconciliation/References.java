package com.fanzfinance.server.payments.reconciliation;

import java.util.Locale;

/**
 * One spelling for references on both sides: trimmed, and a UUID in any of its spellings (with or without dashes,
 * any case — a camt.053 {@code EndToEndId} carries a payout id without dashes) as 32 lower-case hex digits. (The
 * matcher compares references without regard to case.)
 */
final class References {
    private References() {
    }

    static String canonical(String reference) {
        String trimmed = reference.trim();
        if (trimmed.length() == 36 && trimmed.charAt(8) == '-' && trimmed.charAt(13) == '-' && trimmed.charAt(18) == '-'
            && trimmed.charAt(23) == '-') {
            String compact = trimmed.replace("-", "");
            if (compact.length() == 32 && isHex(compact)) {
                return compact.toLowerCase(Locale.ROOT);
            }
        }
        return trimmed;
    }

    /** Each {@code |}-separated part canonical, joined again. */
    static String canonicalList(String references) {
        if (references.indexOf('|') < 0) {
            return canonical(references);
        }
        StringBuilder joined = new StringBuilder(references.length());
        for (String part : references.split("\\|", -1)) {
            String canonical = canonical(part);
            if (!canonical.isEmpty()) {
                if (joined.length() > 0) {
                    joined.append('|');
                }
                joined.append(canonical);
            }
        }
        return joined.toString();
    }

    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }
}
