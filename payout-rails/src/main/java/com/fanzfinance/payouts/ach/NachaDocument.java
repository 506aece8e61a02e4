package com.fanzfinance.payouts.ach;

import java.util.ArrayList;
import java.util.List;

/**
 * A NACHA file as {@link NachaReader} read it: the file header, the batches in order and the file
 * control. Every part carries the 1-based line number of its record. Alphanumeric fields are
 * trimmed unless said otherwise; dates are the raw YYMMDD text.
 *
 * @param header   the file header ({@code 1}) record
 * @param batches  the batches in file order
 * @param control  the file control ({@code 9}) record
 */
public record NachaDocument(FileHeader header, List<Batch> batches, FileControl control) {

    /** Copies {@code batches} so the document stays immutable. */
    public NachaDocument {
        batches = List.copyOf(batches);
    }

    /**
     * The file header record.
     *
     * @param line                 1-based line number
     * @param immediateDestination positions 4–13, trimmed (usually the 9-digit routing number)
     * @param immediateOrigin      positions 14–23, trimmed
     * @param creationDate         raw YYMMDD
     * @param fileIdModifier       position 34
     * @param destinationName      positions 41–63, trimmed
     * @param originName           positions 64–86, trimmed
     */
    public record FileHeader(int line, String immediateDestination, String immediateOrigin, String creationDate,
                             char fileIdModifier, String destinationName, String originName) {
    }

    /**
     * One batch: its header fields, its entries and its control.
     *
     * @param line                  1-based line number of the batch header
     * @param serviceClass          the header's service class code, e.g. {@code 220}
     * @param companyName           trimmed
     * @param companyIdentification trimmed
     * @param secCode               Standard Entry Class code, e.g. {@code PPD}, {@code COR}
     * @param entryDescription      trimmed
     * @param effectiveDate         raw YYMMDD, or "" when the field is blank (as on some returns and NOCs)
     * @param odfiIdentification    8 digits
     * @param batchNumber           the header's batch number
     * @param entries               the entry detail records in order
     * @param control               the batch control record
     */
    public record Batch(int line, String serviceClass, String companyName, String companyIdentification,
                        String secCode, String entryDescription, String effectiveDate, String odfiIdentification,
                        int batchNumber, List<Entry> entries, BatchControl control) {

        /** Copies {@code entries} so the batch stays immutable. */
        public Batch {
            entries = List.copyOf(entries);
        }
    }

    /**
     * One entry detail record with its addenda.
     *
     * @param line                 1-based line number
     * @param transactionCode      e.g. 22, 27, or 21/26 on a return or NOC
     * @param rdfiIdentification   the 8-digit receiving DFI identification
     * @param checkDigit           the routing number's 9th digit as written (not checked by the reader)
     * @param accountNumber        trimmed
     * @param amountCents          the amount in cents
     * @param identificationNumber trimmed
     * @param name                 trimmed
     * @param discretionaryData    trimmed (e.g. {@code S} for a WEB single entry)
     * @param hasAddenda           the addenda record indicator
     * @param traceNumber          15 digits
     * @param addenda              the addenda records that follow, in order
     */
    public record Entry(int line, int transactionCode, String rdfiIdentification, char checkDigit,
                        String accountNumber, long amountCents, String identificationNumber, String name,
                        String discretionaryData, boolean hasAddenda, String traceNumber, List<Addenda> addenda) {

        /** Copies {@code addenda} so the entry stays immutable. */
        public Entry {
            addenda = List.copyOf(addenda);
        }

        /** The 9-digit routing number: RDFI identification and check digit. */
        public String routingNumber() {
            return rdfiIdentification + checkDigit;
        }
    }

    /** An addenda ({@code 7}) record: type 05, 99 or 98. */
    public sealed interface Addenda permits PaymentInfo, Return, ChangeNotice {
        /** 1-based line number of the addenda record. */
        int line();
    }

    /**
     * Addenda type 05.
     *
     * @param line 1-based line number
     * @param text payment related information (positions 4–83), trailing spaces removed
     */
    public record PaymentInfo(int line, String text) implements Addenda {
    }

    /**
     * Addenda type 99: a return.
     *
     * @param line          1-based line number
     * @param returnCode    e.g. {@code R01}
     * @param originalTrace the trace number of the entry being returned
     * @param dateOfDeath   raw YYMMDD, or "" when blank
     * @param originalRdfi  8 digits
     * @param information   addenda information, trimmed
     * @param traceNumber   the trace number of the return entry
     */
    public record Return(int line, String returnCode, String originalTrace, String dateOfDeath, String originalRdfi,
                         String information, String traceNumber) implements Addenda {
    }

    /**
     * Addenda type 98: a notification of change.
     *
     * @param line          1-based line number
     * @param changeCode    e.g. {@code C01}; see {@link CorrectedData#parse(String, String)}
     * @param originalTrace the trace number of the entry the change is about
     * @param originalRdfi  8 digits
     * @param correctedData positions 36–64, trimmed
     * @param traceNumber   the trace number of the NOC entry
     */
    public record ChangeNotice(int line, String changeCode, String originalTrace, String originalRdfi,
                               String correctedData, String traceNumber) implements Addenda {
    }

    /**
     * The batch control record, as written in the file (the reader has checked it against the entries).
     *
     * @param line                  1-based line number
     * @param serviceClass          service class code
     * @param entryAddendaCount     entries plus addenda
     * @param entryHash             rightmost 10 digits of the sum of the RDFI identifications
     * @param totalDebitCents       total debits
     * @param totalCreditCents      total credits
     * @param companyIdentification trimmed
     */
    public record BatchControl(int line, String serviceClass, int entryAddendaCount, long entryHash,
                               long totalDebitCents, long totalCreditCents, String companyIdentification) {
    }

    /**
     * The file control record, as written in the file (the reader has checked it against the batches,
     * except the block count).
     *
     * @param line              1-based line number
     * @param batchCount        number of batches
     * @param blockCount        number of 10-record blocks as written (not checked)
     * @param entryAddendaCount entries plus addenda in the file
     * @param entryHash         rightmost 10 digits of the sum of the batch hashes
     * @param totalDebitCents   total debits
     * @param totalCreditCents  total credits
     */
    public record FileControl(int line, int batchCount, int blockCount, int entryAddendaCount, long entryHash,
                              long totalDebitCents, long totalCreditCents) {
    }

    /**
     * A return addendum with the entry that carries it.
     *
     * @param entry   the return entry
     * @param addenda its addenda 99
     */
    public record ReturnedEntry(Entry entry, Return addenda) {
    }

    /**
     * A notification-of-change addendum with the entry that carries it.
     *
     * @param entry   the NOC entry
     * @param addenda its addenda 98
     */
    public record ChangedEntry(Entry entry, ChangeNotice addenda) {
    }

    /** Every return addendum in file order, with its entry. */
    public List<ReturnedEntry> returns() {
        List<ReturnedEntry> returns = new ArrayList<>();
        for (Entry entry : allEntries()) {
            for (Addenda addenda : entry.addenda()) {
                if (addenda instanceof Return returned) {
                    returns.add(new ReturnedEntry(entry, returned));
                }
            }
        }
        return List.copyOf(returns);
    }

    /** Every NOC addendum in file order, with its entry. */
    public List<ChangedEntry> changes() {
        List<ChangedEntry> changes = new ArrayList<>();
        for (Entry entry : allEntries()) {
            for (Addenda addenda : entry.addenda()) {
                if (addenda instanceof ChangeNotice change) {
                    changes.add(new ChangedEntry(entry, change));
                }
            }
        }
        return List.copyOf(changes);
    }

    private List<Entry> allEntries() {
        List<Entry> entries = new ArrayList<>();
        batches.forEach(batch -> entries.addAll(batch.entries()));
        return entries;
    }
}
