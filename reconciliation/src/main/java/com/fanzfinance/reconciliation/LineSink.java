package com.fanzfinance.reconciliation;

/**
 * Where an importer sends each statement line as it reads it. Importers stream: they hold one line at a time
 * and never the file, so the sink decides what is kept (see {@code StatementLines}, a columnar store).
 *
 * <p>Values are normalised by the importer: amounts and fees in minor units of the line's currency (signed:
 * money to us is positive; a fee is positive when the processor or bank charged it), currency as an upper-case
 * ISO 4217 code, the date as days since 1970-01-01 (UTC), empty optional text as {@code ""}, never null.
 */
@FunctionalInterface
public interface LineSink {
    /**
     * @param line        the line's number in the file's own terms: CSV data rows count from 1 after the
     *                    header; camt.053 entries count from 1 in document order
     * @param reference   the reference(s) the line names, several joined by {@code |}; {@code ""} when none
     * @param type        the line's kind in lower case ({@code sale rebill refund chargeback chargeback_reversal
     *                    void failure cancellation fee payout adjustment return other …}); {@code ""} when unknown
     * @param amount      the line's amount, minor units, signed (money to us positive)
     * @param fee         the fee charged on the line, minor units ({@code 0} when none)
     * @param currency    ISO 4217 code, upper case
     * @param epochDay    the line's date as {@link java.time.LocalDate#toEpochDay()}
     * @param group       a grouping key the file gives (a settlement batch, a payment information id), or {@code ""}
     * @param description free text, at most {@link #DESCRIPTION_MAX} characters (longer text is cut), or {@code ""}
     * @throws StatementFormatException to refuse the file at this line (a limit reached, say)
     */
    void line(long line, String reference, String type, long amount, long fee, String currency, long epochDay,
              String group, String description);

    /** Descriptions longer than this are cut to it by the importers. */
    int DESCRIPTION_MAX = 200;
}
