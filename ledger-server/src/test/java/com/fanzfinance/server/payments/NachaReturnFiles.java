package com.fanzfinance.server.payments;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import com.fanzfinance.payouts.ach.NachaDocument;

/**
 * Builds the files an RDFI sends back, the way the NACHA layouts describe them (94-character records written
 * field by field here, not by the code under test): a return of an entry (addenda 99, the entry's transaction code
 * turned into its return code: 22 → 21, 32 → 31) and a notification of change (a COR batch, zero-dollar entry,
 * addenda 98).
 */
public final class NachaReturnFiles {
    private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");

    private NachaReturnFiles() {
    }

    /** A return file returning {@code entries} of {@code original} with {@code code} (e.g. R03). */
    public static String returns(NachaDocument original, List<NachaDocument.Entry> entries, String code) {
        return file(original, "PPD", entries, entry -> addenda99(entry, code), false);
    }

    /** A NOC file for {@code entry} with {@code changeCode} and {@code correctedData} (the 29-character field). */
    public static String change(NachaDocument original, NachaDocument.Entry entry, String changeCode, String correctedData) {
        return file(original, "COR", List.of(entry), changed -> addenda98(changed, changeCode, correctedData), true);
    }

    private static String file(NachaDocument original, String sec, List<NachaDocument.Entry> entries,
                               java.util.function.Function<NachaDocument.Entry, String> addenda, boolean zeroDollar) {
        String rdfi = entries.get(0).rdfiIdentification();
        List<String> records = new ArrayList<>();
        String today = LocalDate.of(2026, 12, 9).format(YYMMDD);
        records.add("1" + "01" + original.header().immediateOrigin().trim().transform(NachaReturnFiles::routingField)
            + original.header().immediateDestination().trim().transform(NachaReturnFiles::routingField) + today + "0900" + "A"
            + "094" + "10" + "1" + left("ORIGINATOR BANK", 23) + left("RDFI BANK", 23) + left("", 8));
        records.add("5" + "200" + left("GIRLFANZ", 16) + left("", 20) + left("1234567890", 10) + sec + left("PAYOUT", 10)
            + left("", 6) + today + "   " + "1" + rdfi + "0000001");
        long hash = 0;
        long credits = 0;
        long debits = 0;
        int sequence = 1;
        for (NachaDocument.Entry entry : entries) {
            int returnCode = entry.transactionCode() - 1;
            long amount = zeroDollar ? 0 : entry.amountCents();
            String trace = rdfi + String.format("%07d", sequence++);
            records.add("6" + returnCode + entry.rdfiIdentification() + entry.checkDigit() + left(entry.accountNumber(), 17)
                + String.format("%010d", amount) + left(entry.identificationNumber(), 15) + left(entry.name(), 22) + "  " + "1"
                + trace);
            records.add(addenda.apply(entry).replace("{TRACE}", trace));
            hash += Long.parseLong(entry.rdfiIdentification());
            credits += amount;
        }
        String hashText = String.format("%010d", hash % 10_000_000_000L);
        records.add("8" + "200" + String.format("%06d", entries.size() * 2) + hashText + String.format("%012d", debits)
            + String.format("%012d", credits) + left("1234567890", 10) + left("", 19) + left("", 6) + rdfi + "0000001");
        int blocks = (records.size() + 1 + 9) / 10;
        records.add("9" + "000001" + String.format("%06d", blocks) + String.format("%08d", entries.size() * 2) + hashText
            + String.format("%012d", debits) + String.format("%012d", credits) + left("", 39));
        while (records.size() % 10 != 0) {
            records.add("9".repeat(94));
        }
        for (String record : records) {
            if (record.length() != 94) {
                throw new IllegalStateException("a test record is " + record.length() + " characters: " + record);
            }
        }
        return String.join("\n", records) + "\n";
    }

    private static String addenda99(NachaDocument.Entry entry, String code) {
        return "7" + "99" + code + entry.traceNumber() + left("", 6) + entry.rdfiIdentification() + left("", 44) + "{TRACE}";
    }

    private static String addenda98(NachaDocument.Entry entry, String changeCode, String correctedData) {
        return "7" + "98" + changeCode + entry.traceNumber() + left("", 6) + entry.rdfiIdentification() + left(correctedData, 29)
            + left("", 15) + "{TRACE}";
    }

    private static String routingField(String routing) {
        return routing.length() == 9 ? " " + routing : left(routing, 10);
    }

    private static String left(String text, int width) {
        return String.format("%-" + width + "s", text).substring(0, width);
    }
}
