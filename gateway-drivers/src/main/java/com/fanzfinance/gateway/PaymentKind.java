package com.fanzfinance.gateway;

import java.util.Locale;
import java.util.Optional;

/** What a payment event is, processor-neutrally. Money-moving kinds carry their ledger transfer code. */
public enum PaymentKind {
    SALE(101),
    REBILL(102),
    REFUND(103),
    CHARGEBACK(104),
    CHARGEBACK_REVERSAL(105),
    VOID(106),
    FAILURE(0),
    CANCELLATION(0),
    EXPIRATION(0),
    OTHER(0);

    private final int code;

    PaymentKind(int code) {
        this.code = code;
    }

    /** The ledger transfer code of its postings; 0 for kinds that move no money. */
    public int code() {
        return code;
    }

    public boolean movesMoney() {
        return code != 0;
    }

    /** A sale or rebill: money in, a transaction id that posts once. */
    public boolean isCharge() {
        return this == SALE || this == REBILL;
    }

    /** A refund, chargeback or void: money back out of a charge. */
    public boolean isReversal() {
        return this == REFUND || this == CHARGEBACK || this == VOID;
    }

    /** The name in the API, e.g. {@code chargeback_reversal}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PaymentKind> fromWireName(String name) {
        for (PaymentKind kind : values()) {
            if (kind.wireName().equals(name)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
