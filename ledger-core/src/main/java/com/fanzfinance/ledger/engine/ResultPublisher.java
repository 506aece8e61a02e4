package com.fanzfinance.ledger.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;

import com.fanzfinance.ledger.journal.JournalWriter;
import com.fanzfinance.ledger.state.Prefaulter;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * The last stage: appends each command's outcome excerpt to the event stream, then completes the
 * caller — after the journal made its command durable and the business-logic stage applied it — and
 * clears the slot so the caller's buffers are released. It waits for both (its barrier holds the
 * business logic's sequence and the journal's {@link JournalHandler#settled()}); a slot the journal
 * settled without making it durable (the journal failed) is failed here, and its outcome is dropped, not
 * written to the event stream.
 */
final class ResultPublisher implements EventHandler<CommandSlot> {
    private static final long WAIT_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final OutcomePipe.ExcerptConsumer DISCARD = (buffer, offset, length) -> { };

    private final OutcomePipe outcomes;
    private final SingleChronicleQueue eventsQueue;
    private JournalWriter eventsWriter;
    private volatile long eventsWrittenThrough;

    long eventsWrittenThrough() {
        return eventsWrittenThrough;
    }

    private final Sequence durable;
    private final EngineHealth health;

    /**
     * @param durable the journal's {@link JournalHandler#durable()}: slots through it are durable
     */
    ResultPublisher(OutcomePipe outcomes, SingleChronicleQueue eventsQueue, long eventsWrittenThrough,
                    Sequence durable, EngineHealth health) {
        this.durable = durable;
        this.health = health;
        this.outcomes = outcomes;
        this.eventsQueue = eventsQueue;
        this.eventsWrittenThrough = eventsWrittenThrough;
    }

    @Override
    public void onStart() {
        eventsWriter = new JournalWriter(eventsQueue, Prefaulter.Mode.WRITE);
    }

    @Override
    public void onShutdown() {
        eventsWriter.close();
    }

    @Override
    public void onEvent(CommandSlot slot, long sequence, boolean endOfBatch) {
        boolean isDurable = sequence <= durable.get();
        if (!isDurable && slot.failure == null) {
            Throwable journalFailure = health.failure();
            slot.failure = journalFailure != null ? journalFailure
                : new IllegalStateException("slot " + sequence + " reached the publisher before the journal settled it");
        }
        if (slot.outcomeLength > 0) {
            if (isDurable) {
                outcomes.take((buffer, offset, length) -> eventsWriter.appendOutcomes(buffer, offset, length));
            } else {
                outcomes.take(DISCARD);
            }
        }
        if (slot.kind == CommandSlot.Kind.COMMAND && slot.failure == null) {
            eventsWrittenThrough = slot.commandNumber;
        }
        var completion = slot.completion;
        Throwable failure = slot.failure;
        Object outcome = slot.outcome;
        slot.clear();
        if (completion == null) {
            return;
        }
        if (failure != null) {
            completion.completeExceptionally(failure);
        } else {
            completion.complete(outcome);
        }
    }

    /**
     * Waits (from any thread) until the event stream holds the outcomes of every command up to {@code command};
     * fails at once if the engine has failed (the stream will not move again).
     */
    void awaitEventsThrough(long command) {
        long deadline = System.nanoTime() + WAIT_LIMIT_NANOS;
        while (eventsWrittenThrough < command) {
            Throwable failure = health.failure();
            if (failure != null) {
                throw new LedgerFailedException("the ledger engine failed before command " + command
                    + " was durable", failure);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the event stream did not reach command " + command + " in time");
            }
            LockSupport.parkNanos(100_000);
        }
    }
}
