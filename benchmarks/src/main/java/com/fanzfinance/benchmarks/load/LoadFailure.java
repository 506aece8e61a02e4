package com.fanzfinance.benchmarks.load;

/** The run cannot go on: a transfer was not created, a request was refused, the target is unreachable. */
public final class LoadFailure extends RuntimeException {
    public LoadFailure(String message) {
        super(message);
    }

    public LoadFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
