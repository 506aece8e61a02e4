package com.fanzfinance.examples;

import java.io.PrintStream;
import java.net.URI;
import java.util.List;

import com.fanzfinance.ledger.client.LedgerClient;
import com.fanzfinance.ledger.client.NewAccount;
import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;

/**
 * A platform service calling a running ledger server through {@code ledger-client}: two accounts of the
 * {@code girlfanz} tenant, a sale sent as one request, a tip sent as a single event (the client batches
 * single events from many threads), then the creator's balance and transfers read back.
 *
 * <p>Every event is named by its id, so running it again is safe: the events answer {@code exists}.
 *
 * <p>Run against {@code ./fanz serve}: {@code examples/run LedgerClientExample http://127.0.0.1:8080 "$(cat data/admin.key)"}
 * (any key with the {@code ledger:write} and {@code ledger:read} scopes and the {@code girlfanz} tenant will do).
 */
public final class LedgerClientExample {
    private static final int USD = 840;
    private static final Uint128 FAN = Uint128.fromUuid("00000000-0000-0000-0000-00000000f001");
    private static final Uint128 CREATOR = Uint128.fromUuid("00000000-0000-0000-0000-00000000c001");
    private static final Uint128 SALE = Uint128.fromUuid("00000000-0000-0000-0000-0000000a0001");
    private static final Uint128 TIP = Uint128.fromUuid("00000000-0000-0000-0000-0000000a0002");

    private LedgerClientExample() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: LedgerClientExample SERVER_URL API_KEY   (e.g. http://127.0.0.1:8080 \"$(cat data/admin.key)\")");
            System.exit(2);
        }
        run(URI.create(args[0]), args[1], System.out);
    }

    static void run(URI server, String apiKey, PrintStream out) {
        try (LedgerClient ledger = LedgerClient.builder(server, apiKey).build()) {
            List<CreateResult<CreateAccountStatus>> accounts = ledger.createAccountsWithMetadata(List.of(
                NewAccount.of(Account.of(FAN, USD, 1100)).inTenant("girlfanz"),
                NewAccount.of(Account.of(CREATOR, USD, 2100)).inTenant("girlfanz").withMetadata("{\"creator\":\"alice\"}")));
            out.println("accounts: " + accounts.stream().map(result -> result.status().wireName()).toList());

            // A list is one request with one result per event, in order.
            CreateResult<CreateTransferStatus> sale =
                ledger.createTransfers(List.of(Transfer.of(SALE, FAN, CREATOR, 2_500, USD, 10))).get(0);
            out.println("sale of 2500: " + sale.status().wireName());

            // A single event, from any thread: batched with other threads' events automatically.
            CreateResult<CreateTransferStatus> tip = ledger.createTransfer(Transfer.of(TIP, FAN, CREATOR, 500, USD, 11)).join();
            out.println("tip of 500: " + tip.status().wireName());

            Account creator = ledger.lookupAccount(CREATOR).orElseThrow();
            out.println("creator credits: " + creator.creditsPosted());
            ledger.allAccountTransfers(AccountFilter.of(CREATOR, AccountFilter.LIMIT_MAX))
                .forEach(transfer -> out.println("  transfer " + transfer.id() + ": " + transfer.amount()));
        }
    }
}
