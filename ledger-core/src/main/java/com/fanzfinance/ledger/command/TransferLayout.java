package com.fanzfinance.ledger.command;

/**
 * Byte offsets of TigerBeetle's 128-byte little-endian {@code Transfer} record: the binary transport's
 * format, the journal's, and the form in which the transfer store keeps every transfer on disk.
 * 128-bit fields are two longs, low half first.
 */
public final class TransferLayout {
    public static final int ID = 0;
    public static final int DEBIT_ACCOUNT_ID = 16;
    public static final int CREDIT_ACCOUNT_ID = 32;
    public static final int AMOUNT = 48;
    public static final int PENDING_ID = 64;
    public static final int USER_DATA_128 = 80;
    public static final int USER_DATA_64 = 96;
    public static final int USER_DATA_32 = 104;
    public static final int TIMEOUT = 108;
    public static final int LEDGER = 112;
    public static final int CODE = 116;
    public static final int FLAGS = 118;
    public static final int TIMESTAMP = 120;
    public static final int SIZE = 128;

    private TransferLayout() {
    }
}
