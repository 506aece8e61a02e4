package com.fanzfinance.server.payments.events;

import org.slf4j.Logger;

/**
 * Logs a background loop's trouble once per outage (a WARN when it starts, an INFO when it ends) rather than
 * once per retry, so that a dependency down for an hour does not flood the log. Used by one thread only.
 */
final class OutageLog {
    private final Logger log;
    private final String what;
    private long since;
    private boolean down;

    OutageLog(Logger log, String what) {
        this.log = log;
        this.what = what;
    }

    void failed(Exception e) {
        if (!down) {
            down = true;
            since = System.nanoTime();
            log.warn("{} failing, retrying with back-off: {}", what, e.toString());
        }
    }

    void succeeded() {
        if (down) {
            down = false;
            log.info("{} working again after {} ms", what, (System.nanoTime() - since) / 1_000_000);
        }
    }

    boolean down() {
        return down;
    }
}
