package com.fanzfinance.payouts.btc;

/** The hot wallet's confirmed outputs cannot pay the amount plus the fee; the message says how short it is. */
public final class InsufficientFundsException extends Exception {
    public InsufficientFundsException(String message) {
        super(message);
    }
}
