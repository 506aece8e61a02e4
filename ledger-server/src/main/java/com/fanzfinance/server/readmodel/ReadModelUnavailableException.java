package com.fanzfinance.server.readmodel;

/** The read model's database cannot answer (down, timed out, or the query failed): a 503 to callers. */
public final class ReadModelUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReadModelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
