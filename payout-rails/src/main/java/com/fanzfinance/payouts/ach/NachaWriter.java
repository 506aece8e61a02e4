package com.fanzfinance.payouts.ach;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a {@link NachaFileSpec} as a NACHA file.
 *
 * <p>The output is ASCII: 94-character records joined by {@code "\n"} with a final {@code "\n"},
 * alphanumeric fields upper-cased, left-justified and space-filled, numeric fields zero-filled, and
 * the record count padded with all-{@code 9} filler records to a multiple of 10. Each batch gets
 * service class 220 (credits only), 225 (debits only) or 200 (mixed, e.g. credits with an offset);
 * its control carries the entry count, the entry hash (rightmost 10 digits of the sum of the 8-digit
 * RDFI identifications) and the debit and credit totals. The file control sums the batches and
 * gives the block count.
 *
 * <p>Everything is validated before any text is returned. A {@link NachaSpecException} names the
 * field for: a missing value; a text field longer than its width or with a character outside
 * 0x20–0x7E; a routing number that is not 9 digits or whose check digit fails; an ODFI
 * identification that is not 8 digits; an amount below 0 or above 9,999,999,999 cents; a nonzero
 * amount on a prenote or zero-dollar code; an unknown transaction code; a trace number that is not
 * 15 digits or repeats within the file; an SEC code other than PPD or CCD; a batch number outside
 * 1…9,999,999 or not ascending; a batch without entries or a file without batches; totals or
 * counts too large for their control fields.
 *
 * <p>An offset ({@link NachaBatchSpec#offset()}) adds, after the batch's entries, a debit (TC 27 or
 * 37) of the entries' credits minus their debits, so the batch nets to zero. If that difference is
 * 0 no offset entry is written; if it is negative the spec is rejected (a debit cannot balance it),
 * and so is one above 9,999,999,999 cents (one entry's amount field cannot hold it).
 */
public final class NachaWriter {

    static final long MAX_AMOUNT_CENTS = 9_999_999_999L;
    private static final long MAX_TOTAL_CENTS = 999_999_999_999L;
    private static final int MAX_BATCH_NUMBER = 9_999_999;
    private static final int MAX_SEQUENCE = 9_999_999;
    private static final int BLOCKING_FACTOR = 10;
    private static final String FILLER = "9".repeat(Fields.RECORD_LENGTH);

    private NachaWriter() {
    }

    /**
     * The NACHA text of {@code spec}.
     *
     * @throws NachaSpecException naming the field, if the spec cannot be written as a valid file
     */
    public static String write(NachaFileSpec spec) {
        require(spec, "spec");
        validateFileHeader(spec);
        List<NachaBatchSpec> batches = require(spec.batches(), "batches");
        if (batches.isEmpty()) {
            throw new NachaSpecException("batches: a file needs at least one batch");
        }
        List<String> records = new ArrayList<>();
        records.add(fileHeader(spec));
        Set<String> traces = new HashSet<>();
        FileTotals fileTotals = new FileTotals();
        int previousBatchNumber = 0;
        for (int i = 0; i < batches.size(); i++) {
            String where = "batches[" + i + "]";
            NachaBatchSpec batch = require(batches.get(i), where);
            validateBatchHeader(batch, where, previousBatchNumber);
            previousBatchNumber = batch.batchNumber();
            List<NachaEntry> entries = entriesWithOffset(batch, where, traces);
            BatchTotals totals = BatchTotals.of(entries, where);
            fileTotals.add(totals, where);
            records.add(batchHeader(batch, totals.serviceClass()));
            entries.forEach(entry -> records.add(entryDetail(entry)));
            records.add(batchControl(batch, totals));
        }
        return joinBlocked(records, fileTotals, batches.size());
    }

    // ---- validation -----------------------------------------------------------------------------

    private static void validateFileHeader(NachaFileSpec spec) {
        requireRouting(spec.immediateDestination(), "immediateDestination");
        requireText(spec.immediateDestinationName(), 23, "immediateDestinationName");
        requireImmediateOrigin(spec.immediateOrigin());
        requireText(spec.immediateOriginName(), 23, "immediateOriginName");
        require(spec.creationDate(), "creationDate");
        require(spec.creationTime(), "creationTime");
        char modifier = Character.toUpperCase(spec.fileIdModifier());
        if (!(modifier >= 'A' && modifier <= 'Z') && !(modifier >= '0' && modifier <= '9')) {
            throw new NachaSpecException("fileIdModifier: must be A-Z or 0-9, was '" + spec.fileIdModifier() + "'");
        }
        requireText(spec.referenceCode(), 8, "referenceCode");
    }

    private static void requireImmediateOrigin(String origin) {
        require(origin, "immediateOrigin");
        boolean nineDigits = origin.length() == 9 && AbaRouting.isAsciiDigits(origin);
        if (!nineDigits && origin.length() != 10) {
            throw new NachaSpecException("immediateOrigin: must be 9 digits or 10 characters, was \"" + origin + "\"");
        }
        requireText(origin, 10, "immediateOrigin");
    }

    private static void validateBatchHeader(NachaBatchSpec batch, String where, int previousBatchNumber) {
        String secCode = require(batch.secCode(), where + ".secCode");
        if (!secCode.equals("PPD") && !secCode.equals("CCD")) {
            throw new NachaSpecException(where + ".secCode: must be PPD or CCD, was \"" + secCode + "\"");
        }
        requireText(batch.companyName(), 16, where + ".companyName");
        requireText(batch.companyDiscretionaryData(), 20, where + ".companyDiscretionaryData");
        requireText(batch.companyIdentification(), 10, where + ".companyIdentification");
        requireText(batch.entryDescription(), 10, where + ".entryDescription");
        requireText(batch.descriptiveDate(), 6, where + ".descriptiveDate");
        require(batch.effectiveDate(), where + ".effectiveDate");
        requireDigits(batch.odfiIdentification(), 8, where + ".odfiIdentification");
        if (batch.batchNumber() < 1 || batch.batchNumber() > MAX_BATCH_NUMBER) {
            throw new NachaSpecException(where + ".batchNumber: must be 1 to 9999999, was " + batch.batchNumber());
        }
        if (batch.batchNumber() <= previousBatchNumber) {
            throw new NachaSpecException(where + ".batchNumber: must ascend, " + batch.batchNumber()
                    + " follows " + previousBatchNumber);
        }
    }

    private static List<NachaEntry> entriesWithOffset(NachaBatchSpec batch, String where, Set<String> traces) {
        List<NachaEntry> entries = require(batch.entries(), where + ".entries");
        if (entries.isEmpty()) {
            throw new NachaSpecException(where + ".entries: a batch needs at least one entry");
        }
        List<NachaEntry> written = new ArrayList<>(entries.size() + 1);
        for (int j = 0; j < entries.size(); j++) {
            String entryWhere = where + ".entries[" + j + "]";
            NachaEntry entry = require(entries.get(j), entryWhere);
            validateEntry(entry, entryWhere);
            requireUniqueTrace(entry.traceNumber(), traces, entryWhere);
            written.add(entry);
        }
        if (batch.offset() != null) {
            offsetEntry(batch, written, where).ifPresent(offset -> {
                requireUniqueTrace(offset.traceNumber(), traces, where + ".offset");
                written.add(offset);
            });
        }
        return written;
    }

    private static void validateEntry(NachaEntry entry, String where) {
        if (!TransactionCodes.isKnown(entry.transactionCode())) {
            throw new NachaSpecException(where + ".transactionCode: unknown code " + entry.transactionCode());
        }
        requireRouting(entry.routingNumber(), where + ".routingNumber");
        requireAccount(entry.accountNumber(), where + ".accountNumber");
        requireAmount(entry.amountCents(), where + ".amountCents");
        if (TransactionCodes.requiresZeroAmount(entry.transactionCode()) && entry.amountCents() != 0) {
            throw new NachaSpecException(where + ".amountCents: transaction code " + entry.transactionCode()
                    + " is a prenote or zero-dollar code and needs amount 0, was " + entry.amountCents());
        }
        requireText(entry.identificationNumber(), 15, where + ".identificationNumber");
        requireText(entry.name(), 22, where + ".name");
        requireText(entry.discretionaryData(), 2, where + ".discretionaryData");
        requireDigits(entry.traceNumber(), 15, where + ".traceNumber");
    }

    private static void requireUniqueTrace(String traceNumber, Set<String> traces, String where) {
        if (!traces.add(traceNumber)) {
            throw new NachaSpecException(where + ".traceNumber: " + traceNumber + " is already used in this file");
        }
    }

    private static Optional<NachaEntry> offsetEntry(NachaBatchSpec batch, List<NachaEntry> entries,
                                                              String where) {
        NachaOffset offset = batch.offset();
        String offsetWhere = where + ".offset";
        requireRouting(offset.routingNumber(), offsetWhere + ".routingNumber");
        requireAccount(offset.accountNumber(), offsetWhere + ".accountNumber");
        requireText(offset.name(), 22, offsetWhere + ".name");
        long net = 0;
        for (NachaEntry entry : entries) {
            net += TransactionCodes.isDebit(entry.transactionCode()) ? -entry.amountCents() : entry.amountCents();
        }
        if (net < 0) {
            throw new NachaSpecException(offsetWhere + ": the entries' debits exceed their credits by " + -net
                    + " cents; a balancing debit cannot offset them");
        }
        if (net == 0) {
            return Optional.empty();
        }
        requireAmount(net, offsetWhere + ".amountCents");
        return Optional.of(new NachaEntry(offset.savings() ? 37 : 27, offset.routingNumber(),
                offset.accountNumber(), net, "", offset.name(), "", offsetTrace(batch, entries, offsetWhere)));
    }

    private static String offsetTrace(NachaBatchSpec batch, List<NachaEntry> entries, String where) {
        String lastTrace = entries.get(entries.size() - 1).traceNumber();
        int nextSequence = Integer.parseInt(lastTrace.substring(8)) + 1;
        if (nextSequence > MAX_SEQUENCE) {
            throw new NachaSpecException(where + ".traceNumber: no sequence left after " + lastTrace);
        }
        return batch.odfiIdentification() + Fields.numeric(nextSequence, 7);
    }

    private static void requireRouting(String routingNumber, String field) {
        requireDigits(routingNumber, 9, field);
        if (!AbaRouting.isValid(routingNumber)) {
            throw new NachaSpecException(field + ": check digit of " + routingNumber + " should be "
                    + AbaRouting.checkDigit(routingNumber.substring(0, 8)));
        }
    }

    private static void requireAccount(String accountNumber, String field) {
        requireText(accountNumber, 17, field);
        if (accountNumber.isBlank()) {
            throw new NachaSpecException(field + ": must not be blank");
        }
    }

    private static void requireAmount(long amountCents, String field) {
        if (amountCents < 0 || amountCents > MAX_AMOUNT_CENTS) {
            throw new NachaSpecException(field + ": must be 0 to " + MAX_AMOUNT_CENTS + " cents, was " + amountCents);
        }
    }

    private static void requireDigits(String value, int length, String field) {
        require(value, field);
        if (value.length() != length || !AbaRouting.isAsciiDigits(value)) {
            throw new NachaSpecException(field + ": must be " + length + " digits, was \"" + value + "\"");
        }
    }

    private static void requireText(String value, int maxLength, String field) {
        require(value, field);
        if (value.length() > maxLength) {
            throw new NachaSpecException(field + ": at most " + maxLength + " characters, was " + value.length());
        }
        int bad = Fields.firstNonPrintable(value);
        if (bad >= 0) {
            throw new NachaSpecException(String.format("%s: character U+%04X at index %d is not printable ASCII",
                    field, (int) value.charAt(bad), bad));
        }
    }

    private static <T> T require(T value, String field) {
        if (value == null) {
            throw new NachaSpecException(field + ": missing");
        }
        return value;
    }

    // ---- records --------------------------------------------------------------------------------

    private static String fileHeader(NachaFileSpec spec) {
        String origin = spec.immediateOrigin().length() == 9 ? " " + spec.immediateOrigin() : spec.immediateOrigin();
        return "1" + "01"
                + " " + spec.immediateDestination()
                + Fields.alphanumeric(origin, 10)
                + yymmdd(spec.creationDate())
                + hhmm(spec.creationTime())
                + Character.toUpperCase(spec.fileIdModifier())
                + "094" + "10" + "1"
                + Fields.alphanumeric(spec.immediateDestinationName(), 23)
                + Fields.alphanumeric(spec.immediateOriginName(), 23)
                + Fields.alphanumeric(spec.referenceCode(), 8);
    }

    private static String batchHeader(NachaBatchSpec batch, String serviceClass) {
        return "5" + serviceClass
                + Fields.alphanumeric(batch.companyName(), 16)
                + Fields.alphanumeric(batch.companyDiscretionaryData(), 20)
                + Fields.alphanumeric(batch.companyIdentification(), 10)
                + batch.secCode()
                + Fields.alphanumeric(batch.entryDescription(), 10)
                + Fields.alphanumeric(batch.descriptiveDate(), 6)
                + yymmdd(batch.effectiveDate())
                + Fields.blank(3)
                + "1"
                + batch.odfiIdentification()
                + Fields.numeric(batch.batchNumber(), 7);
    }

    private static String entryDetail(NachaEntry entry) {
        return "6" + Fields.numeric(entry.transactionCode(), 2)
                + entry.routingNumber()
                + Fields.alphanumeric(entry.accountNumber(), 17)
                + Fields.numeric(entry.amountCents(), 10)
                + Fields.alphanumeric(entry.identificationNumber(), 15)
                + Fields.alphanumeric(entry.name(), 22)
                + Fields.alphanumeric(entry.discretionaryData(), 2)
                + "0"
                + entry.traceNumber();
    }

    private static String batchControl(NachaBatchSpec batch, BatchTotals totals) {
        return "8" + totals.serviceClass()
                + Fields.numeric(totals.entryCount(), 6)
                + Fields.numeric(totals.entryHash(), 10)
                + Fields.numeric(totals.debitCents(), 12)
                + Fields.numeric(totals.creditCents(), 12)
                + Fields.alphanumeric(batch.companyIdentification(), 10)
                + Fields.blank(19)
                + Fields.blank(6)
                + batch.odfiIdentification()
                + Fields.numeric(batch.batchNumber(), 7);
    }

    private static String fileControl(int batchCount, int blockCount, FileTotals totals) {
        return "9" + Fields.numeric(batchCount, 6)
                + Fields.numeric(blockCount, 6)
                + Fields.numeric(totals.entryCount, 8)
                + Fields.numeric(totals.entryHash, 10)
                + Fields.numeric(totals.debitCents, 12)
                + Fields.numeric(totals.creditCents, 12)
                + Fields.blank(39);
    }

    private static String joinBlocked(List<String> records, FileTotals totals, int batchCount) {
        int recordCount = records.size() + 1;
        int blockCount = (recordCount + BLOCKING_FACTOR - 1) / BLOCKING_FACTOR;
        if (blockCount > 999_999) {
            throw new NachaSpecException("batches: the file needs " + blockCount + " blocks, more than 999999");
        }
        records.add(fileControl(batchCount, blockCount, totals));
        while (records.size() % BLOCKING_FACTOR != 0) {
            records.add(FILLER);
        }
        StringBuilder text = new StringBuilder(records.size() * (Fields.RECORD_LENGTH + 1));
        for (String record : records) {
            assert record.length() == Fields.RECORD_LENGTH : record;
            text.append(record).append('\n');
        }
        return text.toString();
    }

    private static String yymmdd(LocalDate date) {
        return Fields.numeric(date.getYear() % 100, 2) + Fields.numeric(date.getMonthValue(), 2)
                + Fields.numeric(date.getDayOfMonth(), 2);
    }

    private static String hhmm(LocalTime time) {
        return Fields.numeric(time.getHour(), 2) + Fields.numeric(time.getMinute(), 2);
    }

    // ---- totals ---------------------------------------------------------------------------------

    /** A batch's control values, computed from the entries that are written. */
    private record BatchTotals(String serviceClass, int entryCount, long entryHash, long debitCents, long creditCents) {

        static BatchTotals of(List<NachaEntry> entries, String where) {
            long hash = 0;
            long debits = 0;
            long credits = 0;
            boolean anyDebit = false;
            boolean anyCredit = false;
            for (NachaEntry entry : entries) {
                hash = (hash + Long.parseLong(entry.routingNumber().substring(0, 8))) % Fields.ENTRY_HASH_MODULUS;
                if (TransactionCodes.isDebit(entry.transactionCode())) {
                    anyDebit = true;
                    debits += entry.amountCents();
                } else {
                    anyCredit = true;
                    credits += entry.amountCents();
                }
            }
            if (entries.size() > 999_999) {
                throw new NachaSpecException(where + ".entries: at most 999999 per batch, was " + entries.size());
            }
            requireTotal(debits, where + ": total debits");
            requireTotal(credits, where + ": total credits");
            String serviceClass = anyDebit && anyCredit ? "200" : anyDebit ? "225" : "220";
            return new BatchTotals(serviceClass, entries.size(), hash, debits, credits);
        }
    }

    /** Running file control values. */
    private static final class FileTotals {
        private long entryCount;
        private long entryHash;
        private long debitCents;
        private long creditCents;

        void add(BatchTotals batch, String where) {
            entryCount += batch.entryCount();
            entryHash = (entryHash + batch.entryHash()) % Fields.ENTRY_HASH_MODULUS;
            debitCents += batch.debitCents();
            creditCents += batch.creditCents();
            if (entryCount > 99_999_999) {
                throw new NachaSpecException(where + ".entries: more than 99999999 entries in the file");
            }
            requireTotal(debitCents, where + ": file total debits");
            requireTotal(creditCents, where + ": file total credits");
        }
    }

    private static void requireTotal(long cents, String what) {
        if (cents > MAX_TOTAL_CENTS) {
            throw new NachaSpecException(what + " of " + cents + " cents exceed the 12-digit control field");
        }
    }
}
