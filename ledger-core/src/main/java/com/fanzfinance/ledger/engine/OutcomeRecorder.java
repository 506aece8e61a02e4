package com.fanzfinance.ledger.engine;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.UnsafeApi;

import com.fanzfinance.ledger.command.AccountLayout;
import com.fanzfinance.ledger.command.OutcomeLayout;
import com.fanzfinance.ledger.state.AccountStore;
import com.fanzfinance.ledger.state.LedgerState;
import com.fanzfinance.ledger.state.PendingTransfers;
import com.fanzfinance.ledger.state.TransferStore;

/**
 * Builds the outcome-event excerpt of one command (see {@link OutcomeLayout}) as the state machine
 * announces its changes, with the balances right after each. A linked chain's outcomes are dropped if it
 * rolls back. The buffer grows to the largest command seen and is then reused: no allocation per command.
 * Business-logic thread only.
 */
public final class OutcomeRecorder implements LedgerListener {
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1 << 20);
    private final AccountStore accounts;
    private final TransferStore transfers;
    private final PendingTransfers pendingTransfers;
    private int length;
    private int count;
    private int chainLength;
    private int chainCount;
    private boolean recording;
    private int eventIndex = OutcomeLayout.NO_EVENT;

    static {
        if (OutcomeLayout.DEBIT_BALANCES + 32 > OutcomeLayout.OUTCOME_BYTES
            || OutcomeLayout.CREDIT_BALANCES + 32 > OutcomeLayout.OUTCOME_BYTES) {
            throw new ExceptionInInitializerError("an outcome's balances no longer lie within it (writeBalances)");
        }
    }

    public OutcomeRecorder(LedgerState state) {
        this.accounts = state.accounts();
        this.transfers = state.transfers();
        this.pendingTransfers = state.pendingTransfers();
    }

    /** Starts the excerpt of a command; outcomes are recorded until {@link #finish}. */
    public void begin(long commandNumber, long timestamp) {
        buffer.setMemory(0, OutcomeLayout.HEADER_BYTES, (byte) 0);
        buffer.putInt(0, OutcomeLayout.MAGIC);
        buffer.putShort(4, (short) OutcomeLayout.VERSION);
        buffer.putLong(OutcomeLayout.COMMAND_NUMBER, commandNumber);
        buffer.putLong(OutcomeLayout.COMMAND_TIMESTAMP, timestamp);
        length = OutcomeLayout.HEADER_BYTES;
        count = 0;
        recording = true;
        eventIndex = OutcomeLayout.NO_EVENT;
    }

    /**
     * Seals the excerpt with the command's side data and returns its length. Every command gets an
     * excerpt, even one that changed nothing, so the stream's last command number says exactly how far
     * it reaches.
     */
    public int finish(DirectBuffer sideData, int sideDataOffset, int sideDataLength) {
        recording = false;
        buffer.putInt(OutcomeLayout.OUTCOME_COUNT, count);
        buffer.putInt(OutcomeLayout.SIDE_DATA_LENGTH, sideDataLength);
        if (sideDataLength > 0) {
            buffer.putBytes(length, sideData, sideDataOffset, sideDataLength);
        }
        length += sideDataLength;
        return length;
    }

    public DirectBuffer buffer() {
        return buffer;
    }

    @Override
    public void eventStarted(int index) {
        eventIndex = index;
    }

    @Override
    public void accountCreated(int slot) {
        if (!recording) {
            return;
        }
        int at = startOutcome(OutcomeLayout.ACCOUNT_CREATED, 0, accounts.tenant(slot),
            accounts.get(slot, AccountStore.TIMESTAMP));
        writeAccountRecord(slot, at + OutcomeLayout.RECORD);
        writeBalances(slot, at + OutcomeLayout.DEBIT_BALANCES);
        writeBalances(slot, at + OutcomeLayout.CREDIT_BALANCES);
    }

    @Override
    public void transferCreated(long sequence, int debitSlot, int creditSlot) {
        if (!recording) {
            return;
        }
        int at = startOutcome(OutcomeLayout.TRANSFER_CREATED, pendingTransfers.statusCode(sequence), 0,
            transfers.timestamp(sequence));
        transfers.copyTo(sequence, buffer, at + OutcomeLayout.RECORD);
        writeBalances(debitSlot, at + OutcomeLayout.DEBIT_BALANCES);
        writeBalances(creditSlot, at + OutcomeLayout.CREDIT_BALANCES);
    }

    @Override
    public void pendingExpired(long sequence, int debitSlot, int creditSlot, long timestamp) {
        if (!recording) {
            return;
        }
        eventIndex = OutcomeLayout.NO_EVENT;
        int at = startOutcome(OutcomeLayout.PENDING_EXPIRED, pendingTransfers.statusCode(sequence), 0, timestamp);
        transfers.copyTo(sequence, buffer, at + OutcomeLayout.RECORD);
        writeBalances(debitSlot, at + OutcomeLayout.DEBIT_BALANCES);
        writeBalances(creditSlot, at + OutcomeLayout.CREDIT_BALANCES);
    }

    @Override
    public void chainOpened() {
        chainLength = length;
        chainCount = count;
    }

    @Override
    public void chainRolledBack() {
        length = chainLength;
        count = chainCount;
    }

    private int startOutcome(int kind, int pendingStatus, int tenant, long when) {
        int at = length;
        buffer.checkLimit(at + OutcomeLayout.OUTCOME_BYTES);
        buffer.putByte(at + OutcomeLayout.KIND, (byte) kind);
        buffer.putByte(at + OutcomeLayout.PENDING_STATUS, (byte) pendingStatus);
        buffer.putShort(at + OutcomeLayout.EVENT_INDEX, (short) eventIndex);
        buffer.putInt(at + OutcomeLayout.TENANT, tenant);
        buffer.putLong(at + OutcomeLayout.WHEN, when);
        length += OutcomeLayout.OUTCOME_BYTES;
        count++;
        return at;
    }

    /** Within the outcome {@link #startOutcome} made room for: written without Agrona's check per write. */
    private void writeBalances(int slot, int at) {
        byte[] base = buffer.byteArray();
        long address = buffer.addressOffset() + at;
        UnsafeApi.putLong(base, address, accounts.get(slot, AccountStore.DEBITS_PENDING));
        UnsafeApi.putLong(base, address + 8, accounts.get(slot, AccountStore.DEBITS_POSTED));
        UnsafeApi.putLong(base, address + 16, accounts.get(slot, AccountStore.CREDITS_PENDING));
        UnsafeApi.putLong(base, address + 24, accounts.get(slot, AccountStore.CREDITS_POSTED));
    }

    private void writeAccountRecord(int slot, int at) {
        buffer.setMemory(at, AccountLayout.SIZE, (byte) 0);
        buffer.putLong(at + AccountLayout.ID, accounts.get(slot, AccountStore.ID_LOW));
        buffer.putLong(at + AccountLayout.ID + 8, accounts.get(slot, AccountStore.ID_HIGH));
        buffer.putLong(at + AccountLayout.DEBITS_PENDING, accounts.get(slot, AccountStore.DEBITS_PENDING));
        buffer.putLong(at + AccountLayout.DEBITS_POSTED, accounts.get(slot, AccountStore.DEBITS_POSTED));
        buffer.putLong(at + AccountLayout.CREDITS_PENDING, accounts.get(slot, AccountStore.CREDITS_PENDING));
        buffer.putLong(at + AccountLayout.CREDITS_POSTED, accounts.get(slot, AccountStore.CREDITS_POSTED));
        buffer.putLong(at + AccountLayout.USER_DATA_128, accounts.get(slot, AccountStore.USER_DATA_128_LOW));
        buffer.putLong(at + AccountLayout.USER_DATA_128 + 8, accounts.get(slot, AccountStore.USER_DATA_128_HIGH));
        buffer.putLong(at + AccountLayout.USER_DATA_64, accounts.get(slot, AccountStore.USER_DATA_64));
        buffer.putInt(at + AccountLayout.USER_DATA_32, accounts.userData32(slot));
        buffer.putInt(at + AccountLayout.LEDGER, accounts.ledger(slot));
        buffer.putShort(at + AccountLayout.CODE, (short) accounts.code(slot));
        buffer.putShort(at + AccountLayout.FLAGS, (short) accounts.flags(slot));
        buffer.putLong(at + AccountLayout.TIMESTAMP, accounts.get(slot, AccountStore.TIMESTAMP));
    }
}
