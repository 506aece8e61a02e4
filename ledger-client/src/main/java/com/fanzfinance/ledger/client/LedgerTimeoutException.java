package com.fanzfinance.ledger.client;

import java.io.UncheckedIOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/**
 * A call that had no final answer within the client's call timeout (see
 * {@link LedgerClient.Builder#callTimeout}), whether the server was silent, slow, unreachable through
 * every retry, or the call was stuck inside the client. As for any {@link UncheckedIOException} of the
 * client, the outcome is unknown: the events may or may not have been applied, and sending the same
 * events again is safe, since they are named by their ids.
 */
public final class LedgerTimeoutException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    private final Duration callTimeout;

    /**
     * @param call        what was called, such as {@code POST /v1/transfers} or {@code createTransfer}
     * @param callTimeout the deadline it was given
     * @param why         what happened, such as {@code 3 attempts made}, or null
     */
    LedgerTimeoutException(String call, Duration callTimeout, String why) {
        super(message(call, callTimeout, why), new HttpTimeoutException(call + " timed out"));
        this.callTimeout = callTimeout;
    }

    /** The call timeout that passed. */
    public Duration callTimeout() {
        return callTimeout;
    }

    private static String message(String call, Duration callTimeout, String why) {
        return call + ": no final answer within the call timeout of " + readable(callTimeout)
            + (why == null ? "" : " (" + why + ")")
            + "; the outcome is unknown, and sending the same events again is safe";
    }

    static String readable(Duration duration) {
        long millis = duration.toMillis();
        return millis < 1000 ? millis + " ms" : millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
    }
}
