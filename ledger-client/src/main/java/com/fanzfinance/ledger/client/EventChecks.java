package com.fanzfinance.ledger.client;

import java.util.List;
import java.util.Objects;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.JournalEntry;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;

/**
 * What the client refuses before sending: values that one of the two transports cannot carry the same
 * way as the other (unnamed flag bits, a negative ledger or timestamp), so that a status never depends
 * on the transport, and batches over the server's limit.
 */
final class EventChecks {
    /** The server's limit on events per request (docs/api.md). */
    static final int BATCH_EVENTS_MAX = 8189;

    private EventChecks() {
    }

    static void requireBatchSize(List<?> events, String what) {
        Objects.requireNonNull(events, what);
        if (events.size() > BATCH_EVENTS_MAX) {
            throw new IllegalArgumentException("a batch holds at most " + BATCH_EVENTS_MAX + " " + what + ", got "
                + events.size());
        }
    }

    static void requireSendable(Account account) {
        requireNamedFlags(account.flags(), AccountFlags.ALL, "account");
        requireNotNegative("ledger", account.ledger());
        requireNotNegative("timestamp", account.timestamp());
    }

    static void requireSendable(Transfer transfer) {
        requireNamedFlags(transfer.flags(), TransferFlags.ALL, "transfer");
        requireNotNegative("ledger", transfer.ledger());
        requireNotNegative("timestamp", transfer.timestamp());
    }

    /** The server expands an entry of n postings into at most n-1 transfers and limits their total. */
    static void requireLegsWithinLimit(List<JournalEntry> entries) {
        long legs = 0;
        for (JournalEntry entry : entries) {
            requireNotNegative("ledger", entry.ledger());
            legs += entry.postings().size() - 1;
        }
        if (legs > BATCH_EVENTS_MAX) {
            throw new IllegalArgumentException("the entries need up to " + legs + " transfers; a batch holds at most "
                + BATCH_EVENTS_MAX);
        }
    }

    private static void requireNamedFlags(int flags, int known, String what) {
        if ((flags & ~known) != 0) {
            throw new IllegalArgumentException("unknown " + what + " flag bits 0x" + Integer.toHexString(flags & ~known));
        }
    }

    private static void requireNotNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, was " + value);
        }
    }
}
