package com.fanzfinance.ledger.engine;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.journal.CommandType;

/** Applies one journaled command to the state machine: the same call live and during replay. */
final class CommandApplier {
    /** Results of replayed commands are computed and dropped; nobody is waiting for them. */
    private static final ThreadLocal<UnsafeBuffer> DISCARDED = ThreadLocal.withInitial(
        () -> new UnsafeBuffer(new byte[com.fanzfinance.ledger.config.StateMachineConfig.BATCH_EVENTS_MAX * 16]));

    private CommandApplier() {
    }

    static CommandOutcome apply(StateMachine stateMachine, CommandType type, long timestamp, int eventCount,
                                DirectBuffer events, int eventsOffset, DirectBuffer tenants, int tenantsOffset,
                                MutableDirectBuffer results, int resultsOffset) {
        MutableDirectBuffer target = results != null ? results : DISCARDED.get();
        int targetOffset = results != null ? resultsOffset : 0;
        return switch (type) {
            case CREATE_ACCOUNTS -> stateMachine.createAccounts(timestamp, events, eventsOffset, eventCount, tenants,
                tenantsOffset, target, targetOffset);
            case CREATE_TRANSFERS -> stateMachine.createTransfers(timestamp, events, eventsOffset, eventCount, target,
                targetOffset);
            case TICK -> {
                stateMachine.tick(timestamp);
                yield CommandOutcome.APPLIED;
            }
        };
    }
}
