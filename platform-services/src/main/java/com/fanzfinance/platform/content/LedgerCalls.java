package com.fanzfinance.platform.content;

import java.io.UncheckedIOException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.ledger.client.LedgerProblemException;
import com.fanzfinance.platform.common.Problem;

/**
 * The content service's calls to the ledger server and how their failures read to its own callers: a
 * refusal (4xx) is 422 {@code ledger-refused} carrying the ledger's problem type in {@code ledger_problem}
 * and its detail; a ledger that is down, busy or failing (5xx, no answer) is 503 {@code ledger-unavailable}.
 */
final class LedgerCalls {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerCalls.class);

    private LedgerCalls() {
    }

    static <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (LedgerProblemException e) {
            throw problem(e);
        } catch (UncheckedIOException e) {
            LOG.warn("the ledger cannot be reached: {}", e.getMessage());
            throw unavailable();
        }
    }

    /** The problem answering the ledger's {@code e}. */
    static Problem problem(LedgerProblemException e) {
        if (e.status() >= 400 && e.status() < 500) {
            return Problem.unprocessable("ledger-refused", "the ledger refused: "
                    + (e.detail() == null ? "HTTP " + e.status() : e.detail()))
                .with("ledger_problem", e.typeSuffix() == null ? "http-" + e.status() : e.typeSuffix());
        }
        LOG.warn("the ledger failed: {}", e.getMessage());
        return unavailable();
    }

    static Problem unavailable() {
        return Problem.unavailable("ledger-unavailable", "the ledger cannot be reached; try again", 5);
    }
}
