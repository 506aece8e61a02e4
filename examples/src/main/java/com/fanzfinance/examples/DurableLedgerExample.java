package com.fanzfinance.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fanzfinance.ledger.api.DurableLedger;
import com.fanzfinance.ledger.api.Ledger;
import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.config.EngineConfig;

/**
 * The ledger embedded with its journal: two accounts and a transfer, written to disk before each call
 * returns; then the ledger is closed and opened again, recovering what was written. A second run on the
 * same directory answers {@code exists} for every event and changes nothing: ids make writes safe to repeat.
 *
 * <p>The directory is the first argument (default: a new temporary one). It must not be a directory a
 * running server uses ({@code data}, by default): one data directory has one writer. Close the ledger
 * (try-with-resources) so the next program can open it.
 *
 * <p>Run: {@code examples/run DurableLedgerExample [DIRECTORY]}.
 */
public final class DurableLedgerExample {
    private static final int USD = 840;
    private static final Uint128 FAN_WALLET = Uint128.of(1);
    private static final Uint128 CREATOR_PAYABLE = Uint128.of(2);
    private static final Uint128 TIP = Uint128.of(10);

    private DurableLedgerExample() {
    }

    public static void main(String[] args) throws IOException {
        Path directory = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("fanz-example-");
        run(directory, System.out);
    }

    static void run(Path directory, PrintStream out) {
        out.println("data directory: " + directory.toAbsolutePath());
        try (Ledger ledger = DurableLedger.open(EngineConfig.defaults(directory))) {
            List<CreateResult<CreateAccountStatus>> accounts = ledger.createAccounts(List.of(
                Account.of(FAN_WALLET, USD, 2000),
                Account.of(CREATOR_PAYABLE, USD, 2100)));
            out.println("accounts: " + accounts.stream().map(result -> result.status().wireName()).toList());
            CreateResult<CreateTransferStatus> tip =
                ledger.createTransfers(List.of(Transfer.of(TIP, FAN_WALLET, CREATOR_PAYABLE, 500, USD, 1))).get(0);
            out.println("tip of 500: " + tip.status().wireName());
        }
        try (Ledger reopened = DurableLedger.open(EngineConfig.defaults(directory))) {
            Account creator = reopened.lookupAccount(CREATOR_PAYABLE).orElseThrow();
            out.println("after reopening: creator credits " + creator.creditsPosted());
        }
    }
}
