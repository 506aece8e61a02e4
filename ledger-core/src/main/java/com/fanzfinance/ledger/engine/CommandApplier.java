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

    /** Applies the command, then stores its metadata (side data) with the objects it created. */
    static CommandOutcome apply(StateMachine stateMachine, CommandType type, long timestamp, int eventCount,
                                DirectBuffer events, int eventsOffset, DirectBuffer tenants, int tenantsOffset,
                                int tenantCount, DirectBuffer sideData, int sideDataOffset, int sideDataLength,
                                MutableDirectBuffer results, int resultsOffset) {
        MutableDirectBuffer target = results != null ? results : DISCARDED.get();
        int targetOffset = results != null ? resultsOffset : 0;
        return switch (type) {
            case CREATE_ACCOUNTS -> {
                long first = stateMachine.accountCount();
                int scopeCount = tenants == null ? 0 : tenantCount - eventCount;
                CommandOutcome outcome = stateMachine.createAccounts(timestamp, events, eventsOffset, eventCount, tenants,
                    tenantsOffset, scopeCount, target, targetOffset);
                attach(stateMachine, outcome, true, first, target, targetOffset, eventCount, sideData, sideDataOffset,
                    sideDataLength);
                yield outcome;
            }
            case CREATE_TRANSFERS -> {
                long first = stateMachine.transferCount();
                CommandOutcome outcome = stateMachine.createTransfers(timestamp, events, eventsOffset, eventCount,
                    tenants, tenantsOffset, tenantCount, target, targetOffset);
                attach(stateMachine, outcome, false, first, target, targetOffset, eventCount, sideData, sideDataOffset,
                    sideDataLength);
                yield outcome;
            }
            case TICK -> {
                stateMachine.tick(timestamp);
                yield CommandOutcome.APPLIED;
            }
            case SET_LIMITS -> stateMachine.setLimits(timestamp, events, eventsOffset);
            case SET_TENANT -> stateMachine.setTenant(timestamp, events, eventsOffset, target, targetOffset);
        };
    }

    private static void attach(StateMachine stateMachine, CommandOutcome outcome, boolean accounts, long first,
                               MutableDirectBuffer results, int resultsOffset, int count, DirectBuffer sideData,
                               int sideDataOffset, int sideDataLength) {
        if (outcome == CommandOutcome.APPLIED && sideDataLength > 0) {
            stateMachine.attachMetadata(accounts, first, results, resultsOffset, count, sideData, sideDataOffset,
                sideDataLength);
        }
    }
}
