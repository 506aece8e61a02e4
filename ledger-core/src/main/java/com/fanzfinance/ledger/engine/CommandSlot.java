package com.fanzfinance.ledger.engine;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import com.fanzfinance.ledger.journal.CommandType;
import com.fanzfinance.ledger.snapshot.JournalPosition;

/**
 * One pre-allocated slot of the command ring. A producer fills the request half; the journaler stamps
 * the command (timestamp, number, snapshot position); the business-logic processor fills the outcome;
 * the result publisher completes the caller and clears the slot. The payload stays in the caller's
 * buffers, which the caller keeps until completion: nothing is copied into the ring.
 */
final class CommandSlot {
    enum Kind { COMMAND, QUERY, SNAPSHOT }

    Kind kind;
    CommandType type;
    int eventCount;
    DirectBuffer events;
    int eventsOffset;
    DirectBuffer tenants;
    int tenantsOffset;
    /** Accounts: one per event. Transfers: the tenant scope (0: any). */
    int tenantCount;
    DirectBuffer sideData;
    int sideDataOffset;
    int sideDataLength;
    MutableDirectBuffer results;
    int resultsOffset;
    Function<StateMachine, Object> query;

    long timestamp;
    long commandNumber;
    boolean snapshotAfter;
    JournalPosition positionAfter;

    /** Length of the outcome excerpt the business-logic stage put in the outcome pipe for this command (0: none). */
    int outcomeLength;
    Object outcome;
    Throwable failure;
    CompletableFuture<Object> completion;

    void clear() {
        kind = null;
        type = null;
        eventCount = 0;
        events = null;
        tenants = null;
        tenantCount = 0;
        sideData = null;
        sideDataLength = 0;
        results = null;
        query = null;
        timestamp = 0;
        commandNumber = -1;
        snapshotAfter = false;
        positionAfter = null;
        outcomeLength = 0;
        outcome = null;
        failure = null;
        completion = null;
    }

    int eventsLength() {
        return type == CommandType.TICK ? 0 : eventCount * 128;
    }

    int tenantsLength() {
        return type == CommandType.TICK ? 0 : tenantCount * Integer.BYTES;
    }
}
