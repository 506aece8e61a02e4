package com.fanzfinance.reconciliation.match;

import java.util.Objects;
import java.util.Set;

/**
 * Pairs the lines of a statement with the ledger's items and reports every line and every item exactly once.
 *
 * <p>Lines whose type the caller excluded are reported {@link Reason#EXCLUDED} and take no part. Then four
 * rules run in this order; an item or line taken by one is not seen by a later one. References and keys are
 * compared ignoring ASCII case. "Within tolerance" is {@link Tolerances#amountWithin} for amounts and fees and
 * {@link Tolerances#daysWithin} for dates.
 * <ol>
 *   <li><b>By reference.</b> Lines naming exactly one reference are grouped by it; the items having it as a
 *     key and not yet taken are its items (an item with several keys is found under each). References are
 *     taken in the order of their first line. One line and one item: they are a {@link Rule#ONE_TO_ONE} pair.
 *     Otherwise each line, in line order, is first paired with the lowest-index free item of the same currency
 *     whose amount, fee and date are within tolerance ({@code one_to_one}); then, when several items are
 *     left, each remaining line with the lowest-index free item of its currency whose amount alone is within
 *     tolerance ({@code one_to_one}, so differing in date or fee — rather than summed with items of other
 *     amounts, such as a payout and the return of its money). Of what is left: one line and one
 *     item are a {@code one_to_one} pair; several lines and one item {@link Rule#MANY_TO_ONE} (a split
 *     settlement); one line and several items {@link Rule#ONE_TO_MANY}; lines without items are each
 *     {@link Reason#NOT_IN_LEDGER}; several lines and several items: each line {@link Reason#AMBIGUOUS}, the
 *     items stay free for rules 2 and 3 (not for rule 4, which leaves alone every item a line names).</li>
 *   <li><b>Several references</b> ({@code a|b|c}). When every reference finds at least one free item, the line
 *     and all those items (each once) are a {@code one_to_many} pair (even when they are one item); otherwise
 *     the line is {@code NOT_IN_LEDGER} and takes nothing (the items it found stay free for rule 3, not for
 *     rule 4). Lines are taken in line order.</li>
 *   <li><b>Batch reference.</b> A line naming one reference that no item (taken or not) has as a key, but that
 *     equals, ignoring ASCII case, the group of free items (a bank entry for a whole payout batch), is
 *     {@code one_to_many} with every free item of that group, even when that is one item. When several lines name the same group, the first takes it and the others are
 *     {@code AMBIGUOUS}. A line whose reference is neither a key nor the group of a free item is
 *     {@code NOT_IN_LEDGER}.</li>
 *   <li><b>By amount and date</b>, lines without a reference. A line's candidates are the free items (with or
 *     without keys) of its currency whose amount and date are within tolerance of the line's, except an item
 *     having a key that a line (not excluded) names by reference, alone (rule 1) or as one of several
 *     (rule 2), whether or not that line took anything: such an item was named, not left to be guessed. A
 *     line with exactly one candidate that is the sole candidate of no other such line is an {@link Rule#AMOUNT_DATE}
 *     pair; several candidates, or a sole candidate shared with another line, make it {@code AMBIGUOUS}; none
 *     {@code NOT_IN_LEDGER}. All candidates are found before any is taken, so the order of lines does not
 *     matter.</li>
 * </ol>
 * Finally every free item is reported unmatched, in index order.
 *
 * <p>A pair is compared by its sums: the lines' amounts and fees against the items' amounts and fees. It is
 * {@link MatchSink#matched matched} when every line and item has the same currency, the amounts are within
 * tolerance, the fees are within tolerance, and the latest line date and the latest item date are within the
 * date tolerance; otherwise it is {@link MatchSink#differing differing} in the {@link Field}s that fail. Pairs
 * made in rule 1's exact step and in rule 4 can differ only in the fee (rule 4) or not at all; rule 1's near
 * pairs only in the date or fee.
 *
 * <p>The result comes in a fixed order, see {@link MatchSink}. The stores must not change during a run.
 *
 * <p>Cost: a run holds primitive arrays of the stores' sizes (about 40 bytes per line and 60 per item with two
 * keys each; a million of each by reference take about 130 MB beside the stores) and no object per line or
 * item. Rules 1–3 are hash lookups; rule 4 sorts the free items by amount into one bucket per currency and
 * day, and per line looks at the buckets of its date window (at most 63 days) with binary searches only, since
 * the amounts within tolerance of an amount are one run of a sorted bucket: near-linear whatever the amounts,
 * dates and tolerances. One case is quadratic: many lines and items under one reference that do not pair
 * exactly (each line scans the reference's free items).
 */
public final class Matcher {

    private final Tolerances tolerances;
    private final Set<String> excludedTypes;

    /**
     * @param tolerances    the amount, fee and date tolerances
     * @param excludedTypes line types (lower case) reported {@link Reason#EXCLUDED} without matching them
     */
    public Matcher(Tolerances tolerances, Set<String> excludedTypes) {
        this.tolerances = Objects.requireNonNull(tolerances, "tolerances");
        this.excludedTypes = Set.copyOf(excludedTypes);
    }

    public Tolerances tolerances() {
        return tolerances;
    }

    public Set<String> excludedTypes() {
        return excludedTypes;
    }

    /** Matches {@code lines} against {@code items} and reports the result to {@code sink}, see the class comment. */
    public void run(StatementLines lines, LedgerItems items, MatchSink sink) {
        Objects.requireNonNull(sink, "sink");
        new MatchRun(tolerances, excludedTypes, lines, items, sink).run();
    }
}
