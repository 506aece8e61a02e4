package com.fanzfinance.ledger.engine;

import com.lmax.disruptor.EventHandler;

/**
 * The last stage: completes each caller — after the journal made its command durable and the
 * business-logic processor applied it — and clears the slot so the caller's buffers are released.
 */
final class ResultPublisher implements EventHandler<CommandSlot> {
    @Override
    public void onEvent(CommandSlot slot, long sequence, boolean endOfBatch) {
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
}
