package com.fanzfinance.ledger.engine;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import com.fanzfinance.ledger.command.AccountLayout;
import com.fanzfinance.ledger.command.ResultLayout;

/**
 * The per-event prelude and linked-chain bookkeeping shared by create_accounts and create_transfers:
 * timestamps, imported/non-imported batches, and chains that commit or roll back as a unit.
 *
 * <p>Events are decided in groups of {@value #PREFETCH_GROUP}: before a group, a tight loop loads the
 * index slots and account cache lines the group will touch, so that their cache misses are in flight
 * together (Java has no prefetch instruction; independent loads are how to get memory-level
 * parallelism), and the decisions then find the state in cache.
 *
 * <p>Event i of a batch of n whose command carries timestamp T gets {@code T - n + i + 1}, so the last
 * event gets T (TigerBeetle's rule). Imported events carry their own, which must lie strictly before T.
 * A chain runs from an event flagged {@code linked} to the next event without the flag; if any event in
 * it fails, every change made by the chain is undone, the events before the failure report
 * {@code linked_event_failed}, and so do the events after it, unexecuted.
 *
 * @param <S> the status enum of this kind of event
 */
final class CreateBatch<S> {
    /** Flags and timestamp sit at the same offsets in accounts and transfers. */
    private static final int FLAGS = AccountLayout.FLAGS;
    private static final int TIMESTAMP = AccountLayout.TIMESTAMP;
    private static final int EVENT_SIZE = AccountLayout.SIZE;
    private static final int LINKED = 1;

    /** Events are decided in groups this size, each group's state loaded into cache first. */
    static final int PREFETCH_GROUP = 32;

    /** What differs between accounts and transfers. */
    interface Kind<S> {
        int importedFlag();

        /** Loads, without acting on it, the state events {@code from … to-1} will touch (see {@link #execute}). */
        void prefetch(DirectBuffer events, int offset, int from, int to);

        /** Applies one event that passed the prelude; {@link #objectTimestamp()} is then valid for created/exists. */
        S apply(DirectBuffer events, int eventOffset, int eventIndex, long timestamp);

        long objectTimestamp();

        boolean isCreated(S status);

        boolean isExists(S status);

        boolean isTransient(S status);

        /** Remembers the id of an event that failed transiently (after any rollback). */
        void rememberFailure(DirectBuffer events, int eventOffset);

        int code(S status);

        S linkedEventFailed();

        S linkedEventChainOpen();

        S importedEventExpected();

        S importedEventNotExpected();

        S timestampMustBeZero();

        S importedEventTimestampOutOfRange();

        S importedEventTimestampMustNotAdvance();
    }

    private final Kind<S> kind;
    private final LinkedChain chain;
    private final LedgerListener listener;

    CreateBatch(Kind<S> kind, LinkedChain chain, LedgerListener listener) {
        this.kind = kind;
        this.chain = chain;
        this.listener = listener;
    }

    void execute(long batchTimestamp, DirectBuffer events, int offset, int count, MutableDirectBuffer results,
                 int resultsOffset) {
        boolean batchImported = count > 0 && (flagsOf(events, offset) & kind.importedFlag()) != 0;
        int chainStart = -1;
        boolean chainBroken = false;
        for (int i = 0; i < count; i++) {
            if (i % PREFETCH_GROUP == 0) {
                kind.prefetch(events, offset, i, Math.min(count, i + PREFETCH_GROUP));
            }
            int eventOffset = offset + i * EVENT_SIZE;
            boolean linked = (flagsOf(events, eventOffset) & LINKED) != 0;
            if (linked && chainStart < 0) {
                chainStart = i;
                chain.open();
                listener.chainOpened();
            }
            long slotTimestamp = batchTimestamp - count + i + 1;
            listener.eventStarted(i);
            S status = decide(events, eventOffset, i, count, linked, chainBroken, batchImported, batchTimestamp);
            writeResult(results, resultsOffset, i, resultTimestamp(status, events, eventOffset, slotTimestamp), status);
            if (!kind.isCreated(status) && chainStart >= 0 && !chainBroken) {
                chainBroken = true;
                chain.rollback();
                listener.chainRolledBack();
                markFailed(results, resultsOffset, chainStart, i);
            }
            if (kind.isTransient(status)) {
                kind.rememberFailure(events, eventOffset);
            }
            if (chainStart >= 0 && !linked) {
                if (!chainBroken) {
                    chain.commit();
                    listener.chainCommitted();
                }
                chainStart = -1;
                chainBroken = false;
            }
        }
        assert !chain.isOpen() : "a chain outlived its batch";
    }

    private S decide(DirectBuffer events, int eventOffset, int index, int count, boolean linked, boolean chainBroken,
                     boolean batchImported, long batchTimestamp) {
        if (linked && index == count - 1) {
            return kind.linkedEventChainOpen();
        }
        if (chainBroken) {
            return kind.linkedEventFailed();
        }
        boolean imported = (flagsOf(events, eventOffset) & kind.importedFlag()) != 0;
        if (imported != batchImported) {
            return imported ? kind.importedEventNotExpected() : kind.importedEventExpected();
        }
        long eventTimestamp = events.getLong(eventOffset + TIMESTAMP);
        if (!imported) {
            if (eventTimestamp != 0) {
                return kind.timestampMustBeZero();
            }
            return kind.apply(events, eventOffset, index, batchTimestamp - count + index + 1);
        }
        if (eventTimestamp <= 0) {
            return kind.importedEventTimestampOutOfRange();
        }
        if (eventTimestamp >= batchTimestamp) {
            return kind.importedEventTimestampMustNotAdvance();
        }
        return kind.apply(events, eventOffset, index, eventTimestamp);
    }

    /**
     * Created and exists report the object's timestamp; an unexecuted linked_event_failed reports the
     * event's own (its imported timestamp, if it has one); every other failure the slot's.
     */
    private long resultTimestamp(S status, DirectBuffer events, int eventOffset, long slotTimestamp) {
        if (kind.isCreated(status) || kind.isExists(status)) {
            return kind.objectTimestamp();
        }
        if (status == kind.linkedEventFailed() && (flagsOf(events, eventOffset) & kind.importedFlag()) != 0) {
            return events.getLong(eventOffset + TIMESTAMP);
        }
        return slotTimestamp;
    }

    private void markFailed(MutableDirectBuffer results, int resultsOffset, int from, int toExclusive) {
        int failedCode = kind.code(kind.linkedEventFailed());
        for (int j = from; j < toExclusive; j++) {
            results.putInt(resultsOffset + j * ResultLayout.SIZE + ResultLayout.STATUS, failedCode);
        }
    }

    private void writeResult(MutableDirectBuffer results, int resultsOffset, int index, long timestamp, S status) {
        int resultOffset = resultsOffset + index * ResultLayout.SIZE;
        results.putLong(resultOffset + ResultLayout.TIMESTAMP, timestamp);
        results.putInt(resultOffset + ResultLayout.STATUS, kind.code(status));
        results.putInt(resultOffset + ResultLayout.RESERVED, 0);
    }

    private static int flagsOf(DirectBuffer events, int eventOffset) {
        return events.getShort(eventOffset + FLAGS) & 0xFFFF;
    }
}
