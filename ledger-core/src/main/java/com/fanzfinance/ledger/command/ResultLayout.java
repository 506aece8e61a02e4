package com.fanzfinance.ledger.command;

/**
 * One 16-byte result per create event, as TigerBeetle 0.17 replies: {@code u64 timestamp, u32 status,
 * u32 reserved}. The timestamp is the object's for {@code created} and {@code exists}, otherwise the
 * time the event was decided.
 */
public final class ResultLayout {
    public static final int TIMESTAMP = 0;
    public static final int STATUS = 8;
    public static final int RESERVED = 12;
    public static final int SIZE = 16;

    private ResultLayout() {
    }
}
