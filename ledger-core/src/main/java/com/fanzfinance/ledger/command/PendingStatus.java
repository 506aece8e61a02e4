package com.fanzfinance.ledger.command;

/** The state of a pending (two-phase) transfer, numbered as TigerBeetle's {@code TransferPendingStatus}. */
public enum PendingStatus {
    NONE(0),
    PENDING(1),
    POSTED(2),
    VOIDED(3),
    EXPIRED(4);

    private static final PendingStatus[] BY_CODE = {NONE, PENDING, POSTED, VOIDED, EXPIRED};

    private final int code;

    PendingStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static PendingStatus ofCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("no pending status " + code);
        }
        return BY_CODE[code];
    }

    /** The lower-case name used by the HTTP API ({@code pending}, {@code posted}, ...). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
