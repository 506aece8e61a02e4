package com.fanzfinance.reconciliation.importers;

import com.fanzfinance.reconciliation.LineSink;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/** Exact parsing of the values statement files carry: decimal money, ISO dates, kinds, bounded text. */
final class Values {
    /** References (and groups) longer than this refuse the file. */
    static final int REFERENCE_MAX = 400;
    /** Line types (kinds) longer than this refuse the file (or the mapping). */
    static final int TYPE_MAX = 32;

    /** The kinds {@link LineSink} names; a file's type that is one of these is given back as this very string. */
    private static final String[] KINDS = {"sale", "rebill", "refund", "chargeback", "chargeback_reversal", "void",
        "failure", "cancellation", "fee", "payout", "adjustment", "return", "other"};

    private Values() {
    }

    /**
     * A value that is not what its field needs; the caller knows the field and the line and turns it into a
     * {@link com.fanzfinance.reconciliation.StatementFormatException}. Carries no stack trace.
     */
    static final class BadValue extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadValue(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Reads {@code [-+]digits[<separator>digits]} (spaces around it allowed) as minor units at {@code scale}.
     * Decimals beyond {@code scale} are accepted when they are all zeros ({@code 5.000} EUR is 500).
     *
     * @throws BadValue when it is not such a number, has a non-zero decimal beyond {@code scale} or does not fit
     *                  a long
     */
    static long minorUnits(char[] a, int from, int to, int scale, char separator, String currency) {
        while (from < to && a[from] == ' ') {
            from++;
        }
        while (to > from && a[to - 1] == ' ') {
            to--;
        }
        if (from == to) {
            throw new BadValue("is empty");
        }
        final int start = from;
        final int end = to;
        boolean negative = false;
        char c = a[from];
        if (c == '-' || c == '+') {
            negative = c == '-';
            from++;
        }
        long value = 0;
        int digits = 0;
        int decimals = -1;
        for (int i = from; i < to; i++) {
            c = a[i];
            if (c >= '0' && c <= '9') {
                int d = c - '0';
                if (decimals >= 0 && ++decimals > scale) {
                    if (d != 0) {
                        throw new BadValue(quote(new String(a, start, end - start)) + " has more decimals than "
                            + currency + " allows (" + scale + ")");
                    }
                    // a zero beyond the scale (5.000 EUR, 1000.00 JPY) changes nothing
                    digits++;
                    continue;
                }
                if (value > (Long.MAX_VALUE - d) / 10) {
                    throw new BadValue(quote(new String(a, start, end - start)) + " is too large");
                }
                value = value * 10 + d;
                digits++;
            } else if (c == separator && decimals < 0) {
                decimals = 0;
            } else {
                throw new BadValue(quote(new String(a, start, end - start)) + " is not a decimal number");
            }
        }
        if (digits == 0 || decimals == 0) {
            throw new BadValue(quote(new String(a, start, end - start)) + " is not a decimal number");
        }
        for (int i = Math.max(decimals, 0); i < scale; i++) {
            if (value > Long.MAX_VALUE / 10) {
                throw new BadValue(quote(new String(a, start, end - start)) + " is too large");
            }
            value *= 10;
        }
        return negative ? -value : value;
    }

    /** {@link #minorUnits(char[], int, int, int, char, String)} of a whole string. */
    static long minorUnits(String s, int scale, char separator, String currency) {
        char[] a = s.toCharArray();
        return minorUnits(a, 0, a.length, scale, separator, currency);
    }

    /**
     * An ISO date ({@code 2024-03-01}) or an ISO date-time: with an offset or {@code Z} its UTC date, without one
     * its own date.
     *
     * @return the date as days since 1970-01-01
     * @throws BadValue when it is neither
     */
    static long isoEpochDay(char[] a, int from, int to) {
        while (from < to && a[from] == ' ') {
            from++;
        }
        while (to > from && a[to - 1] == ' ') {
            to--;
        }
        if (to - from == 10) {
            return plainDate(a, from, to);
        }
        return isoEpochDay(new String(a, from, to - from));
    }

    /** {@link #isoEpochDay(char[], int, int)} of a string. */
    static long isoEpochDay(String text) {
        String s = text.strip();
        if (s.length() == 10) {
            return plainDate(s.toCharArray(), 0, 10);
        }
        try {
            TemporalAccessor t = DateTimeFormatter.ISO_DATE_TIME.parse(s);
            if (t.isSupported(ChronoField.OFFSET_SECONDS)) {
                return OffsetDateTime.from(t).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate().toEpochDay();
            }
            return LocalDate.from(t).toEpochDay();
        } catch (DateTimeException e) {
            throw new BadValue(quote(text) + " is not an ISO date (yyyy-MM-dd) or date-time");
        }
    }

    /** {@code yyyy-MM-dd} at {@code a[from, from + 10)}. */
    static long plainDate(char[] a, int from, int to) {
        if (to - from == 10 && a[from + 4] == '-' && a[from + 7] == '-') {
            int y = digits(a, from, 4);
            int m = digits(a, from + 5, 2);
            int d = digits(a, from + 8, 2);
            if (y >= 0 && m >= 0 && d >= 0) {
                try {
                    return LocalDate.of(y, m, d).toEpochDay();
                } catch (DateTimeException e) {
                    throw new BadValue("'" + new String(a, from, 10) + "' is not a calendar date");
                }
            }
        }
        throw new BadValue(quote(new String(a, from, to - from)) + " is not an ISO date (yyyy-MM-dd)");
    }

    /** @return the number the {@code n} ASCII digits at {@code a[from]} spell, or -1 */
    static int digits(char[] a, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char c = a[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** How many characters of a value an error message quotes. */
    static final int QUOTE_MAX = 80;

    /** @return {@code s} in single quotes, cut to {@link #QUOTE_MAX} characters (marked by {@code …}) */
    static String quote(String s) {
        if (s.length() <= QUOTE_MAX) {
            return "'" + s + "'";
        }
        int end = QUOTE_MAX;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return "'" + s.substring(0, end) + "…'";
    }

    /** @return {@code type} lower-cased; one of the {@link LineSink} kinds is given back as its shared constant */
    static String kind(String type) {
        for (String k : KINDS) {
            if (k.equalsIgnoreCase(type)) {
                return k;
            }
        }
        return type.toLowerCase(Locale.ROOT);
    }

    /** @return {@code s} cut to {@link LineSink#DESCRIPTION_MAX} characters, never splitting a surrogate pair */
    static String description(String s) {
        if (s.length() <= LineSink.DESCRIPTION_MAX) {
            return s;
        }
        int end = LineSink.DESCRIPTION_MAX;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }
}
