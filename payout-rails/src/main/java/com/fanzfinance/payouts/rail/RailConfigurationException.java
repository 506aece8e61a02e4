package com.fanzfinance.payouts.rail;

/** A rail account's settings or secrets the driver cannot work with (a missing key, an unreadable keystore). */
public class RailConfigurationException extends RuntimeException {
    public RailConfigurationException(String message) {
        super(message);
    }

    public RailConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
