package com.fanzfinance.server.payments.posting;

import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.Uint128;

/**
 * One transfer of a posting plan, named by its leg (its id derives from the name, see
 * {@link EventIdentity#transferId}).
 *
 * <p>A void of a reserve hold ({@code void_pending_transfer}) names the hold in {@code pendingId} and repeats
 * the hold's accounts, amount, ledger and code (120), which the ledger requires to match; the ledger would
 * otherwise inherit them, and naming them keeps a recorded void identical to the plan's leg.
 *
 * @param pendingId the hold a void resolves, else null
 * @param timeout   seconds, for the reserve hold; else 0
 */
public record PlannedTransfer(String leg, UUID id, UUID debitAccountId, UUID creditAccountId, long amount,
                              UUID pendingId, int timeout, int ledger, int code, int flags, UUID userData128) {
    public PlannedTransfer {
        Objects.requireNonNull(leg, "leg");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(debitAccountId, "debitAccountId");
        Objects.requireNonNull(creditAccountId, "creditAccountId");
        Objects.requireNonNull(userData128, "userData128");
        if (amount <= 0) {
            throw new IllegalArgumentException("a planned transfer moves a positive amount, was " + amount);
        }
        if ((pendingId != null) != TransferFlags.isSet(flags, TransferFlags.VOID_PENDING_TRANSFER)) {
            throw new IllegalArgumentException("a pending id goes with void_pending_transfer and only with it");
        }
    }

    @JsonIgnore
    public boolean isPending() {
        return TransferFlags.isSet(flags, TransferFlags.PENDING);
    }

    @JsonIgnore
    public boolean isVoid() {
        return TransferFlags.isSet(flags, TransferFlags.VOID_PENDING_TRANSFER);
    }

    /** The same leg with other flags (the planner sets {@code linked} once the chain is complete). */
    PlannedTransfer withFlags(int newFlags) {
        return new PlannedTransfer(leg, id, debitAccountId, creditAccountId, amount, pendingId, timeout, ledger, code,
            newFlags, userData128);
    }

    /** The transfer to submit. */
    public Transfer toTransfer() {
        return new Transfer(Uuid5.toUint128(id), Uuid5.toUint128(debitAccountId), Uuid5.toUint128(creditAccountId),
            amount, pendingId == null ? Uint128.ZERO : Uuid5.toUint128(pendingId), Uuid5.toUint128(userData128), 0, 0,
            timeout, ledger, code, flags, 0, PendingStatus.NONE);
    }

    /** True if {@code recorded} (looked up from the ledger) is this leg, whatever happened to it since. */
    public boolean matches(Transfer recorded) {
        Transfer planned = toTransfer();
        return planned.id().equals(recorded.id()) && planned.debitAccountId().equals(recorded.debitAccountId())
            && planned.creditAccountId().equals(recorded.creditAccountId()) && planned.amount() == recorded.amount()
            && planned.pendingId().equals(recorded.pendingId()) && planned.userData128().equals(recorded.userData128())
            && recorded.userData64() == 0 && recorded.userData32() == 0 && planned.timeout() == recorded.timeout()
            && planned.ledger() == recorded.ledger() && planned.code() == recorded.code()
            && planned.flags() == recorded.flags();
    }
}
