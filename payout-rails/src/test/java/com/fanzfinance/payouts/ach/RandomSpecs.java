package com.fanzfinance.payouts.ach;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Random valid PPD/CCD file specs for the round-trip property and the node-nacha cross-check. */
final class RandomSpecs {

    private static final String TEXT_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .-#&/";
    private static final String ACCOUNT_CHARS = "0123456789ABCDEFXYZ-";
    private static final int[] CODES = {22, 23, 24, 27, 28, 29, 32, 33, 37, 38, 42, 47, 52, 55};
    private static final int[] CREDIT_AND_DEBIT_CODES = {22, 23, 27, 28, 32, 33, 37, 38};

    private final Random random;
    private final boolean nodeNachaCodesOnly;

    /** @param nodeNachaCodesOnly only the codes node-nacha's calculate() classifies (second digit 2, 3, 7, 8) */
    RandomSpecs(long seed, boolean nodeNachaCodesOnly) {
        this.random = new Random(seed);
        this.nodeNachaCodesOnly = nodeNachaCodesOnly;
    }

    NachaFileSpec file() {
        int batchCount = 1 + random.nextInt(4);
        List<NachaBatchSpec> batches = new ArrayList<>();
        int batchNumber = 0;
        for (int i = 0; i < batchCount; i++) {
            batchNumber += 1 + random.nextInt(3);
            batches.add(batch(batchNumber, i));
        }
        return new NachaFileSpec(routing(), text(23), routing(), text(23), LocalDate.of(2026, 1, 1)
                .plusDays(random.nextInt(700)), LocalTime.of(random.nextInt(24), random.nextInt(60)),
                (char) ('A' + random.nextInt(26)), text(8), batches);
    }

    private NachaBatchSpec batch(int batchNumber, int index) {
        String odfi = routing().substring(0, 8);
        int entryCount = 1 + random.nextInt(8);
        List<NachaEntry> entries = new ArrayList<>();
        for (int j = 0; j < entryCount; j++) {
            // batch index in the sequence keeps traces unique across the file whatever the ODFI
            String trace = odfi + String.format(Locale.ROOT, "%07d", index * 1000 + j + 1);
            entries.add(entry(trace));
        }
        NachaOffset offset = random.nextBoolean() ? null
                : new NachaOffset(routing(), account(), random.nextBoolean(), text(22));
        return new NachaBatchSpec(random.nextBoolean() ? "PPD" : "CCD", text(16), text(20), text(10), text(10),
                text(6), LocalDate.of(2026, 1, 1).plusDays(random.nextInt(700)), odfi, batchNumber, entries, offset);
    }

    private NachaEntry entry(String trace) {
        int[] codes = nodeNachaCodesOnly ? CREDIT_AND_DEBIT_CODES : CODES;
        int code = codes[random.nextInt(codes.length)];
        long amount = TransactionCodes.requiresZeroAmount(code) ? 0 : amount();
        return new NachaEntry(code, routing(), account(), amount, text(15), text(22), text(2), trace);
    }

    private long amount() {
        return switch (random.nextInt(4)) {
            case 0 -> random.nextInt(100);
            case 1 -> 1 + (long) random.nextInt(1_000_000);
            case 2 -> NachaWriter.MAX_AMOUNT_CENTS;
            default -> Math.floorMod(random.nextLong(), NachaWriter.MAX_AMOUNT_CENTS + 1);
        };
    }

    String routing() {
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits.toString() + AbaRouting.checkDigit(digits.toString());
    }

    private String account() {
        return randomText(ACCOUNT_CHARS, 1 + random.nextInt(17));
    }

    private String text(int maxLength) {
        return randomText(TEXT_CHARS, random.nextInt(maxLength + 1));
    }

    private String randomText(String alphabet, int length) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
