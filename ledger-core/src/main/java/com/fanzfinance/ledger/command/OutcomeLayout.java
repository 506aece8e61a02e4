package com.fanzfinance.ledger.command;

/**
 * One excerpt of the outcome-event stream: what one journaled command did, for the read model and any
 * other subscriber that tails the stream by position. Every command has one, in command order, even
 * if it changed nothing. Little-endian. This is the expanded form (version 1), as recorded and as
 * {@link com.fanzfinance.ledger.journal.OutcomeStream} gives it; the stream on disk holds version 2, the
 * same excerpt without its zero words ({@link OutcomeCompaction}).
 *
 * <pre>
 * header (40 bytes)
 *   0  u32 magic "FZE1"      4  u16 version (1)     6  u16 reserved
 *   8  u64 command number (the journal's numbering, from 0, no gaps)
 *  16  u64 command timestamp
 *  24  u32 outcome count    28  u32 side data length
 *  32  u64 reserved
 * outcomes (208 bytes each)
 *   0  u8  kind (1 account created, 2 transfer created, 3 pending transfer expired)
 *   1  u8  pending status of the transfer after this outcome (0 none … 4 expired)
 *   2  u16 index of the event in the command that did this (0xFFFF for an expiry)
 *   4  u32 tenant (accounts)
 *   8  u64 when it happened (an expiry's time; the object's timestamp otherwise)
 *  16  128 bytes: the account or transfer record (TigerBeetle layout; a transfer as recorded)
 * 144  debit account's balances after: debits pending, debits posted, credits pending, credits posted
 *      (for an account outcome: the account's own)
 * 176  credit account's balances after
 * then the command's side data ({@link SideData}: metadata by event index)
 * </pre>
 */
public final class OutcomeLayout {
    public static final int MAGIC = 0x3145_5A46; // "FZE1" little-endian
    public static final int VERSION = 1;

    public static final int COMMAND_NUMBER = 8;
    public static final int COMMAND_TIMESTAMP = 16;
    public static final int OUTCOME_COUNT = 24;
    public static final int SIDE_DATA_LENGTH = 28;
    public static final int HEADER_BYTES = 40;

    public static final int KIND = 0;
    public static final int PENDING_STATUS = 1;
    public static final int EVENT_INDEX = 2;
    /** The event index of outcomes no event caused (expiries). */
    public static final int NO_EVENT = 0xFFFF;
    public static final int TENANT = 4;
    public static final int WHEN = 8;
    public static final int RECORD = 16;
    public static final int DEBIT_BALANCES = 144;
    public static final int CREDIT_BALANCES = 176;
    public static final int OUTCOME_BYTES = 208;

    public static final int ACCOUNT_CREATED = 1;
    public static final int TRANSFER_CREATED = 2;
    public static final int PENDING_EXPIRED = 3;

    private OutcomeLayout() {
    }
}
