package com.fanzfinance.benchmarks.jmh;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.engine.StateMachine;

/**
 * The check every benchmark runs on its result, so a fast wrong run fails instead of reporting a
 * number: the ledger holds every transfer the workload issued, Σ debits_posted = Σ credits_posted,
 * Σ debits_pending = Σ credits_pending = the amount the workload's open reservations hold, and money
 * moved at all.
 */
final class LedgerCheck {
    private LedgerCheck() {
    }

    static void check(StateMachine machine, TransferWorkload workload) {
        long debitsPending = 0;
        long debitsPosted = 0;
        long creditsPending = 0;
        long creditsPosted = 0;
        for (int slot = 0; slot < machine.accountCount(); slot++) {
            var account = machine.accountAt(slot);
            debitsPending += account.debitsPending();
            debitsPosted += account.debitsPosted();
            creditsPending += account.creditsPending();
            creditsPosted += account.creditsPosted();
        }
        require(machine.transferCount() == workload.issued(),
            "the ledger holds " + machine.transferCount() + " transfers, the workload issued " + workload.issued());
        require(debitsPosted == creditsPosted, "posted debits " + debitsPosted + " ≠ posted credits " + creditsPosted);
        require(debitsPending == creditsPending,
            "pending debits " + debitsPending + " ≠ pending credits " + creditsPending);
        require(debitsPending == workload.reserved(),
            "pending debits " + debitsPending + " ≠ the open reservations' " + workload.reserved());
        require(debitsPosted > 0, "nothing moved");
    }

    /** How many of the first {@code count} results say {@code created}. */
    static int created(UnsafeBuffer results, int count) {
        int created = 0;
        int code = CreateTransferStatus.CREATED.codeBits();
        for (int i = 0; i < count; i++) {
            if (results.getInt(i * ResultLayout.SIZE + ResultLayout.STATUS) == code) {
                created++;
            }
        }
        return created;
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("benchmark result is wrong: " + message);
        }
    }
}
