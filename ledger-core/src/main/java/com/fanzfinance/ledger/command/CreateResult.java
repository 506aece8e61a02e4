package com.fanzfinance.ledger.command;

/**
 * The outcome of one create event.
 *
 * @param index     the event's position in its batch
 * @param status    a {@link com.fanzfinance.ledger.command.CreateAccountStatus} or
 *                  {@link com.fanzfinance.ledger.command.CreateTransferStatus}
 * @param timestamp the object's timestamp for created/exists, otherwise when the event was decided
 */
public record CreateResult<S extends Enum<S>>(int index, S status, long timestamp) {
}
