package com.fanzfinance.payouts.ach;

import java.util.Locale;

/** Fixed-width NACHA field formatting: alphanumerics left-justified and space-filled, numbers zero-filled. */
final class Fields {

    static final int RECORD_LENGTH = 94;
    static final long ENTRY_HASH_MODULUS = 10_000_000_000L;

    private Fields() {
    }

    /** Upper-cases and left-justifies {@code value} in {@code width} characters. */
    static String alphanumeric(String value, int width) {
        String upper = value.toUpperCase(Locale.ROOT);
        if (upper.length() > width) {
            throw new IllegalStateException("field longer than " + width + ": " + value);
        }
        return upper + " ".repeat(width - upper.length());
    }

    /** Right-justifies {@code value} zero-filled in {@code width} digits. */
    static String numeric(long value, int width) {
        String digits = Long.toString(value);
        if (value < 0 || digits.length() > width) {
            throw new IllegalStateException("number does not fit " + width + " digits: " + value);
        }
        return "0".repeat(width - digits.length()) + digits;
    }

    static String blank(int width) {
        return " ".repeat(width);
    }

    static boolean isPrintableAscii(char c) {
        return c >= 0x20 && c <= 0x7E;
    }

    /** The index of the first character outside 0x20–0x7E, or -1. */
    static int firstNonPrintable(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (!isPrintableAscii(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
