package com.fanzfinance.payouts.ach;

import com.fanzfinance.payouts.ach.NachaDocument.Addenda;
import com.fanzfinance.payouts.ach.NachaDocument.Batch;
import com.fanzfinance.payouts.ach.NachaDocument.BatchControl;
import com.fanzfinance.payouts.ach.NachaDocument.ChangeNotice;
import com.fanzfinance.payouts.ach.NachaDocument.Entry;
import com.fanzfinance.payouts.ach.NachaDocument.FileControl;
import com.fanzfinance.payouts.ach.NachaDocument.FileHeader;
import com.fanzfinance.payouts.ach.NachaDocument.PaymentInfo;
import com.fanzfinance.payouts.ach.NachaDocument.Return;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a NACHA file: records of exactly 94 printable-ASCII (0x20–0x7E) characters, separated by LF
 * or CRLF, a final newline optional, trailing all-{@code 9} filler optional. A block count that does
 * not match the padding is accepted (moov-io/ach's {@code 20110805A.ach} has block count 10 and 93
 * records without filler).
 *
 * <p>Checked, each failure a {@link NachaFormatException} with the line of the record at fault:
 * <ul>
 *   <li>at most 1,000,000 records; every record 94 characters of 0x20–0x7E;</li>
 *   <li>record order: {@code 1}, then batches ({@code 5}, {@code 6} each followed by its {@code 7}
 *       addenda, {@code 8}), then {@code 9}, then only 9-filler; a batch has at least one entry;</li>
 *   <li>an addenda only after an entry whose addenda indicator is 1, and such an entry has at least one;
 *       addenda types 05, 98 and 99 only;</li>
 *   <li>numeric fields are digits; transaction codes are known NACHA codes;</li>
 *   <li>each batch control: service class and batch number as in the header, entry/addenda count,
 *       entry hash (rightmost 10 digits of the sum of the 8-digit RDFI identifications), debit and
 *       credit totals, all recomputed from the entries;</li>
 *   <li>the file control: batch count, entry/addenda count, entry hash and totals recomputed from the batches.</li>
 * </ul>
 *
 * <p>Debit or credit follows moov-io/ach: a transaction code whose second digit is 1–4 is a credit
 * and 5–9 a debit, so return/NOC codes 21, 31, 41, 51 count as credits and 26, 36, 46, 56 as debits.
 * Not checked: routing check digits (a return for R28 carries the original, wrong one), trace
 * prefixes, addenda sequence numbers, dates, and the block count.
 */
public final class NachaReader {

    /** The most records a file may have. */
    public static final int MAX_RECORDS = 1_000_000;

    private final List<String> records;
    private int next;

    private NachaReader(List<String> records) {
        this.records = records;
    }

    /**
     * Parses and checks {@code text}.
     *
     * @throws NachaFormatException with the 1-based line of the first record found at fault
     */
    public static NachaDocument read(String text) throws NachaFormatException {
        return new NachaReader(records(text)).file();
    }

    // ---- physical records -----------------------------------------------------------------------

    private static List<String> records(String text) throws NachaFormatException {
        if (text == null || text.isEmpty()) {
            throw new NachaFormatException(1, "the file is empty; expected a file header (1) record");
        }
        int recordCount = recordCount(text);
        if (recordCount > MAX_RECORDS) {
            throw new NachaFormatException(MAX_RECORDS + 1,
                    "more than " + MAX_RECORDS + " records (" + recordCount + ")");
        }
        List<String> records = new ArrayList<>(recordCount);
        int start = 0;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline;
            String record = text.substring(start, end);
            if (newline >= 0 && record.endsWith("\r")) {
                record = record.substring(0, record.length() - 1);
            }
            records.add(record);
            checkShape(record, records.size());
            start = end + 1;
        }
        return records;
    }

    /** Records are separated by LF; a final LF ends the last record rather than starting an empty one. */
    private static int recordCount(String text) {
        int newlines = 0;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
            newlines++;
        }
        return text.endsWith("\n") ? newlines : newlines + 1;
    }

    private static void checkShape(String record, int line) throws NachaFormatException {
        if (record.length() != Fields.RECORD_LENGTH) {
            throw new NachaFormatException(line, "record is " + record.length() + " characters, expected 94");
        }
        int bad = Fields.firstNonPrintable(record);
        if (bad >= 0) {
            throw new NachaFormatException(line, String.format(
                    "character U+%04X at position %d is not printable ASCII", (int) record.charAt(bad), bad + 1));
        }
    }

    // ---- record order ---------------------------------------------------------------------------

    private NachaDocument file() throws NachaFormatException {
        if (recordType() != '1') {
            throw new NachaFormatException(1, "expected a file header (1) record, found '" + recordType() + "'");
        }
        FileHeader header = fileHeader();
        List<Batch> batches = new ArrayList<>();
        while (recordType() == '5') {
            batches.add(batch());
        }
        expect('9', "a batch header (5) or the file control (9)");
        FileControl control = fileControl(batches);
        skipFiller();
        return new NachaDocument(header, batches, control);
    }

    private Batch batch() throws NachaFormatException {
        int line = line();
        String record = take();
        checkBatchHeader(record, line);
        List<Entry> entries = new ArrayList<>();
        while (recordType() == '6') {
            entries.add(entry());
        }
        if (entries.isEmpty()) {
            expect('6', "an entry detail (6) record; a batch needs at least one");
        }
        expect('8', "an entry detail (6), addenda (7) or batch control (8) record");
        return batch(record, line, entries, batchControl(record, line, entries));
    }

    private Entry entry() throws NachaFormatException {
        int line = line();
        String record = take();
        boolean hasAddenda = addendaIndicator(record, line);
        List<Addenda> addenda = new ArrayList<>();
        while (recordType() == '7') {
            if (!hasAddenda) {
                throw new NachaFormatException(line(),
                        "addenda record follows the entry on line " + line + " whose addenda indicator is 0");
            }
            addenda.add(addenda());
        }
        if (hasAddenda && addenda.isEmpty()) {
            throw new NachaFormatException(line, "the addenda indicator is 1 but no addenda (7) record follows");
        }
        return entry(record, line, hasAddenda, addenda);
    }

    private void skipFiller() throws NachaFormatException {
        String filler = "9".repeat(Fields.RECORD_LENGTH);
        while (next < records.size()) {
            if (!records.get(next).equals(filler)) {
                throw new NachaFormatException(line(), "only all-9 filler records may follow the file control");
            }
            next++;
        }
    }

    private void expect(char type, String expected) throws NachaFormatException {
        if (next >= records.size()) {
            throw new NachaFormatException(records.size(), "the file ends after this record; expected " + expected);
        }
        if (recordType() != type) {
            throw new NachaFormatException(line(), "expected " + expected + ", found a '" + recordType() + "' record");
        }
    }

    /** The type of the next record, or 0 at the end. */
    private char recordType() {
        return next < records.size() ? records.get(next).charAt(0) : 0;
    }

    private int line() {
        return next + 1;
    }

    private String take() {
        return records.get(next++);
    }

    // ---- fields ---------------------------------------------------------------------------------

    private static FileHeader fileHeader(String record) {
        return new FileHeader(1, text(record, 4, 13), text(record, 14, 23), record.substring(23, 29),
                record.charAt(33), text(record, 41, 63), text(record, 64, 86));
    }

    private FileHeader fileHeader() {
        return fileHeader(take());
    }

    private static void checkBatchHeader(String record, int line) throws NachaFormatException {
        digitText(record, 2, 4, line, "service class code");
        digitText(record, 80, 87, line, "originating DFI identification");
        digitText(record, 88, 94, line, "batch number");
    }

    private static Batch batch(String record, int line, List<Entry> entries, BatchControl control)
            throws NachaFormatException {
        return new Batch(line, digitText(record, 2, 4, line, "service class code"), text(record, 5, 20),
                text(record, 41, 50), text(record, 51, 53), text(record, 54, 63), text(record, 70, 75),
                digitText(record, 80, 87, line, "originating DFI identification"),
                (int) number(record, 88, 94, line, "batch number"), entries, control);
    }

    private static Entry entry(String record, int line, boolean hasAddenda, List<Addenda> addenda)
            throws NachaFormatException {
        int transactionCode = transactionCode(record, line);
        return new Entry(line, transactionCode,
                digitText(record, 4, 11, line, "receiving DFI identification"),
                digitText(record, 12, 12, line, "check digit").charAt(0),
                text(record, 13, 29), number(record, 30, 39, line, "amount"), text(record, 40, 54),
                text(record, 55, 76), text(record, 77, 78), hasAddenda,
                digitText(record, 80, 94, line, "trace number"), addenda);
    }

    private static int transactionCode(String record, int line) throws NachaFormatException {
        int code = (int) number(record, 2, 3, line, "transaction code");
        if (!TransactionCodes.isKnown(code)) {
            throw new NachaFormatException(line, "unknown transaction code " + record.substring(1, 3));
        }
        return code;
    }

    private static boolean addendaIndicator(String record, int line) throws NachaFormatException {
        char indicator = record.charAt(78);
        if (indicator != '0' && indicator != '1') {
            throw new NachaFormatException(line, "addenda record indicator (position 79) must be 0 or 1, was '"
                    + indicator + "'");
        }
        return indicator == '1';
    }

    private Addenda addenda() throws NachaFormatException {
        int line = line();
        String record = take();
        String type = record.substring(1, 3);
        return switch (type) {
            case "05" -> new PaymentInfo(line, record.substring(3, 83).stripTrailing());
            case "99" -> new Return(line, text(record, 4, 6),
                    digitText(record, 7, 21, line, "original entry trace number"), text(record, 22, 27),
                    text(record, 28, 35), text(record, 36, 79), digitText(record, 80, 94, line, "trace number"));
            case "98" -> new ChangeNotice(line, text(record, 4, 6),
                    digitText(record, 7, 21, line, "original entry trace number"), text(record, 28, 35),
                    text(record, 36, 64), digitText(record, 80, 94, line, "trace number"));
            default -> throw new NachaFormatException(line, "unsupported addenda type " + type
                    + "; expected 05, 98 or 99");
        };
    }

    /** Positions are 1-based and inclusive, as in the NACHA layouts; the value is trimmed. */
    private static String text(String record, int from, int to) {
        return record.substring(from - 1, to).strip();
    }

    private static String digitText(String record, int from, int to, int line, String field)
            throws NachaFormatException {
        String value = record.substring(from - 1, to);
        if (!AbaRouting.isAsciiDigits(value)) {
            throw new NachaFormatException(line, field + " (positions " + from + "-" + to + ") must be digits, was \""
                    + value + "\"");
        }
        return value;
    }

    private static long number(String record, int from, int to, int line, String field) throws NachaFormatException {
        return Long.parseLong(digitText(record, from, to, line, field));
    }

    // ---- controls -------------------------------------------------------------------------------

    private BatchControl batchControl(String header, int headerLine, List<Entry> entries)
            throws NachaFormatException {
        int line = line();
        String record = take();
        BatchControl control = new BatchControl(line, digitText(record, 2, 4, line, "service class code"),
                (int) number(record, 5, 10, line, "entry/addenda count"), number(record, 11, 20, line, "entry hash"),
                number(record, 21, 32, line, "total debit amount"), number(record, 33, 44, line, "total credit amount"),
                text(record, 45, 54));
        check(line, "service class code", header.substring(1, 4), control.serviceClass(), headerLine);
        check(line, "batch number", header.substring(87, 94),
                digitText(record, 88, 94, line, "batch number"), headerLine);
        Sums sums = Sums.of(entries);
        check(line, "entry/addenda count", sums.entryAddendaCount, control.entryAddendaCount());
        check(line, "entry hash", sums.entryHash, control.entryHash());
        check(line, "total debit amount", sums.debitCents, control.totalDebitCents());
        check(line, "total credit amount", sums.creditCents, control.totalCreditCents());
        return control;
    }

    private FileControl fileControl(List<Batch> batches) throws NachaFormatException {
        int line = line();
        String record = take();
        FileControl control = new FileControl(line, (int) number(record, 2, 7, line, "batch count"),
                (int) number(record, 8, 13, line, "block count"),
                (int) number(record, 14, 21, line, "entry/addenda count"), number(record, 22, 31, line, "entry hash"),
                number(record, 32, 43, line, "total debit amount"), number(record, 44, 55, line, "total credit amount"));
        long entryAddendaCount = 0;
        long entryHash = 0;
        long debitCents = 0;
        long creditCents = 0;
        for (Batch batch : batches) {
            entryAddendaCount += batch.control().entryAddendaCount();
            entryHash = (entryHash + batch.control().entryHash()) % Fields.ENTRY_HASH_MODULUS;
            debitCents += batch.control().totalDebitCents();
            creditCents += batch.control().totalCreditCents();
        }
        check(line, "batch count", batches.size(), control.batchCount());
        check(line, "entry/addenda count", entryAddendaCount, control.entryAddendaCount());
        check(line, "entry hash", entryHash, control.entryHash());
        check(line, "total debit amount", debitCents, control.totalDebitCents());
        check(line, "total credit amount", creditCents, control.totalCreditCents());
        return control;
    }

    private static void check(int line, String field, long computed, long written) throws NachaFormatException {
        if (computed != written) {
            throw new NachaFormatException(line, field + " is " + written + " but the records give " + computed);
        }
    }

    private static void check(int line, String field, String inHeader, String inControl, int headerLine)
            throws NachaFormatException {
        if (!inHeader.equals(inControl)) {
            throw new NachaFormatException(line, field + " " + inControl + " differs from " + inHeader
                    + " in the batch header on line " + headerLine);
        }
    }

    /** A batch's control values recomputed from its entries. */
    private record Sums(long entryAddendaCount, long entryHash, long debitCents, long creditCents) {

        static Sums of(List<Entry> entries) {
            long count = 0;
            long hash = 0;
            long debits = 0;
            long credits = 0;
            for (Entry entry : entries) {
                count += 1 + entry.addenda().size();
                hash = (hash + Long.parseLong(entry.rdfiIdentification())) % Fields.ENTRY_HASH_MODULUS;
                if (TransactionCodes.isDebit(entry.transactionCode())) {
                    debits += entry.amountCents();
                } else {
                    credits += entry.amountCents();
                }
            }
            return new Sums(count, hash, debits, credits);
        }
    }
}
