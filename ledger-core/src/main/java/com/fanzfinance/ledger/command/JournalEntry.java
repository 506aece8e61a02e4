package com.fanzfinance.ledger.command;

import java.util.List;
import java.util.Objects;

/**
 * A multi-leg journal entry: N postings that balance (Σ debits = Σ credits) and apply atomically, such
 * as a sale split between processor receivable, creator payable, platform fee and referral commission.
 * It is carried out as a linked chain of transfers (see {@link JournalEntries}).
 *
 * @param pending        if true every leg is a pending transfer (to be posted or voided leg by leg)
 * @param timeoutSeconds the legs' timeout when pending, otherwise 0
 */
public record JournalEntry(Uint128 id, int ledger, int code, List<Posting> postings, boolean pending,
                           int timeoutSeconds) {
    /** The most postings one entry may have. */
    public static final int POSTINGS_MAX = 1024;

    public JournalEntry {
        Objects.requireNonNull(id, "id");
        postings = List.copyOf(Objects.requireNonNull(postings, "postings"));
        if (postings.size() < 2 || postings.size() > POSTINGS_MAX) {
            throw new IllegalArgumentException("an entry has 2.." + POSTINGS_MAX + " postings, got " + postings.size());
        }
        if (!pending && timeoutSeconds != 0) {
            throw new IllegalArgumentException("a timeout needs a pending entry");
        }
        requireBalanced(postings);
    }

    public static JournalEntry of(Uint128 id, int ledger, int code, List<Posting> postings) {
        return new JournalEntry(id, ledger, code, postings, false, 0);
    }

    private static void requireBalanced(List<Posting> postings) {
        long debits = 0;
        long credits = 0;
        try {
            for (Posting posting : postings) {
                if (posting.debit()) {
                    debits = Math.addExact(debits, posting.amount());
                } else {
                    credits = Math.addExact(credits, posting.amount());
                }
            }
        } catch (ArithmeticException overflow) {
            throw new IllegalArgumentException("the postings' total exceeds " + Long.MAX_VALUE, overflow);
        }
        if (debits != credits) {
            throw new IllegalArgumentException("an entry must balance: debits " + debits + " != credits " + credits);
        }
    }
}
