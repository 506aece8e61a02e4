package com.fanzfinance.ledger.engine;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.lmax.disruptor.EventHandler;

import com.fanzfinance.ledger.journal.JournalWriter;
import com.fanzfinance.ledger.state.Prefaulter;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * The last stage: appends each command's outcome excerpt to the event stream, then completes the
 * caller — after the journal made its command durable and the business-logic stage applied it — and
 * clears the slot so the caller's buffers are released.
 */
final class ResultPublisher implements EventHandler<CommandSlot> {
    private static final long WAIT_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final OutcomePipe outcomes;
    private final SingleChronicleQueue eventsQueue;
    private JournalWriter eventsWriter;
    private volatile long eventsWrittenThrough;

    long eventsWrittenThrough() {
        return eventsWrittenThrough;
    }

    ResultPublisher(OutcomePipe outcomes, SingleChronicleQueue eventsQueue, long eventsWrittenThrough) {
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
        if (slot.outcomeLength > 0) {
            outcomes.take((buffer, offset, length) -> eventsWriter.append(buffer, offset, length));
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

    /** Waits (from any thread) until the event stream holds the outcomes of every command up to {@code command}. */
    void awaitEventsThrough(long command) {
        long deadline = System.nanoTime() + WAIT_LIMIT_NANOS;
        while (eventsWrittenThrough < command) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the event stream did not reach command " + command + " in time");
            }
            LockSupport.parkNanos(100_000);
        }
    }
}
