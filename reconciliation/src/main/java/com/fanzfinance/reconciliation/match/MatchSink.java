package com.fanzfinance.reconciliation.match;

import java.util.Set;

/**
 * Receives the matcher's result. Every statement line index and every ledger item index appears in exactly one
 * call of a run. The calls come in a deterministic order (the same stores and settings give the same calls in
 * the same order): lines of excluded types first, then the results of rule 1, 2, 3 and 4 (see {@link Matcher}),
 * each rule's results ordered by the lowest line index they hold, and last the unmatched ledger items in index
 * order. The arrays belong to the receiver.
 */
public interface MatchSink {

    /**
     * A group whose sums agree within the tolerances in every field.
     *
     * @param lines indexes into the {@link StatementLines}, ascending
     * @param items indexes into the {@link LedgerItems}, ascending
     */
    void matched(Rule rule, int[] lines, int[] items);

    /**
     * A group paired by {@code rule} whose sums differ in {@code fields} (never empty). The statement side is the
     * sum over its lines, the ledger side the sum over its items. A sum that does not fit a {@code long} is
     * reported as {@link Long#MAX_VALUE} or {@link Long#MIN_VALUE} and counts as a difference.
     *
     * @param lines indexes into the {@link StatementLines}, ascending
     * @param items indexes into the {@link LedgerItems}, ascending
     */
    void differing(Rule rule, int[] lines, int[] items, long statementAmount, long statementFee, long ledgerAmount,
                   long ledgerFee, Set<Field> fields);

    /** A statement line that is paired with nothing. */
    void unmatchedStatement(int line, Reason reason);

    /** A ledger item that no statement line took. */
    void unmatchedLedger(int item);
}
