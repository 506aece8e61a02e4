package com.fanzfinance.payouts.ach;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;

/** Test helpers: the moov-io/ach sample files, a fixed-position record builder and small specs. */
final class AchSamples {

    private AchSamples() {
    }

    /** The text of {@code src/test/resources/ach/NAME}. */
    static String sample(String name) {
        try (InputStream in = AchSamples.class.getResourceAsStream("/ach/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text's records (no line separators). */
    static List<String> lines(String text) {
        return text.lines().toList();
    }

    /** Replaces the record on 1-based {@code line} of {@code text}. */
    static String replaceLine(String text, int line, String record) {
        String[] lines = text.split("\n", -1);
        lines[line - 1] = record;
        return String.join("\n", lines);
    }

    /** Replaces positions {@code from}… (1-based) of the record on {@code line} with {@code value}. */
    static String patch(String text, int line, int from, String value) {
        String record = text.split("\n", -1)[line - 1];
        String patched = record.substring(0, from - 1) + value + record.substring(from - 1 + value.length());
        return replaceLine(text, line, patched);
    }

    /**
     * A 94-character record built field by field at 1-based positions, independent of the main code's
     * formatting, for hand-made return and NOC files.
     */
    static final class Record {
        private final char[] chars = new char[94];

        Record(char type) {
            Arrays.fill(chars, ' ');
            chars[0] = type;
        }

        /** Writes {@code value} starting at 1-based {@code position}; it must fit inside {@code width}. */
        Record at(int position, int width, String value) {
            if (value.length() > width) {
                throw new IllegalArgumentException(value + " longer than " + width);
            }
            value.getChars(0, value.length(), chars, position - 1);
            return this;
        }

        /** Zero-filled number at 1-based {@code position}. */
        Record number(int position, int width, long value) {
            String digits = Long.toString(value);
            return at(position, width, "0".repeat(width - digits.length()) + digits);
        }

        @Override
        public String toString() {
            return new String(chars);
        }
    }

    /** Joins records with LF and pads with 9-filler to a multiple of 10, as a file the ODFI would send. */
    static String blocked(List<String> records) {
        StringBuilder text = new StringBuilder();
        records.forEach(record -> text.append(record).append('\n'));
        for (int n = records.size(); n % 10 != 0; n++) {
            text.append("9".repeat(94)).append('\n');
        }
        return text.toString();
    }

    static NachaEntry credit(int transactionCode, String routing, String account, long cents, String name,
                             String trace) {
        return new NachaEntry(transactionCode, routing, account, cents, "PAYOUT-" + trace.substring(8), name, "",
                trace);
    }

    static NachaBatchSpec batch(String secCode, int batchNumber, List<NachaEntry> entries, NachaOffset offset) {
        return new NachaBatchSpec(secCode, "FanzFinance", "", "1234567890", "PAYOUT", "",
                LocalDate.of(2026, 7, 6), "12104288", batchNumber, entries, offset);
    }

    static NachaFileSpec file(List<NachaBatchSpec> batches) {
        return new NachaFileSpec("231380104", "Federal Reserve Bank", "121042882", "FanzFinance Inc",
                LocalDate.of(2026, 7, 3), LocalTime.of(16, 5), 'A', "", batches);
    }
}
