package com.fanzfinance.server.testing;

import java.nio.file.Path;
import java.util.List;

import com.fanzfinance.ledger.api.DurableLedger;
import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.config.EngineConfig;

/**
 * A program that embeds {@code DurableLedger} on the directory given as its argument and creates one
 * account, as the README's embedding example does: run as a separate process next to a running server.
 * Prints {@code opened} on success, or the refusal on standard error (exit 1).
 */
public final class EmbeddedLedgerChild {
    private EmbeddedLedgerChild() {
    }

    public static void main(String[] arguments) {
        try (DurableLedger ledger = DurableLedger.open(EngineConfig.defaults(Path.of(arguments[0])))) {
            ledger.createAccounts(List.of(Account.of(Uint128.of(777_777), 1, 1100)));
            System.out.println("opened");
        } catch (RuntimeException e) {
            System.err.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
