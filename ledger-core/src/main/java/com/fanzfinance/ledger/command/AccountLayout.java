package com.fanzfinance.ledger.command;

/**
 * Byte offsets of TigerBeetle's 128-byte little-endian {@code Account} record, the wire format of the
 * binary transport and the form in which accounts travel through the engine and the journal.
 * 128-bit fields are two longs, low half first.
 */
public final class AccountLayout {
    public static final int ID = 0;
    public static final int DEBITS_PENDING = 16;
    public static final int DEBITS_POSTED = 32;
    public static final int CREDITS_PENDING = 48;
    public static final int CREDITS_POSTED = 64;
    public static final int USER_DATA_128 = 80;
    public static final int USER_DATA_64 = 96;
    public static final int USER_DATA_32 = 104;
    public static final int RESERVED = 108;
    public static final int LEDGER = 112;
    public static final int CODE = 116;
    public static final int FLAGS = 118;
    public static final int TIMESTAMP = 120;
    public static final int SIZE = 128;

    private AccountLayout() {
    }
}
