package com.fanzfinance.payouts.rail;

/** A rail call that got no usable answer. */
public class RailCallException extends Exception {
    private final boolean mayHaveArrived;

    /**
     * @param mayHaveArrived true when the rail may have received (and acted on) the request: a timeout, a connection
     *                       lost after sending; false when it surely did not (refused, unknown host, calls switched off)
     */
    public RailCallException(String message, boolean mayHaveArrived, Throwable cause) {
        super(message, cause);
        this.mayHaveArrived = mayHaveArrived;
    }

    public boolean mayHaveArrived() {
        return mayHaveArrived;
    }
}
