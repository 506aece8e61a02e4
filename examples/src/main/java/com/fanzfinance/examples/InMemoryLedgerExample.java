package com.fanzfinance.examples;

import java.io.PrintStream;
import java.util.List;

import com.fanzfinance.ledger.api.InMemoryLedger;
import com.fanzfinance.ledger.api.Ledger;
import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateResult;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.JournalEntry;
import com.fanzfinance.ledger.command.JournalEntryResult;
import com.fanzfinance.ledger.command.Posting;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.config.StateMachineConfig;

/**
 * The ledger embedded in memory, with no journal: a sale split between the creator and the platform as one
 * journal entry, then a payout the creator's balance cannot cover (a status, not an exception) and one it
 * can. For tests and simulations; {@link DurableLedgerExample} keeps what it writes.
 *
 * <p>Run: {@code examples/run InMemoryLedgerExample}.
 */
public final class InMemoryLedgerExample {
    private static final int USD = 840;
    private static final int SALE = 10;
    private static final int PAYOUT = 20;
    private static final Uint128 BANK = Uint128.of(1);
    private static final Uint128 PROCESSOR_RECEIVABLE = Uint128.of(2);
    private static final Uint128 CREATOR_PAYABLE = Uint128.of(3);
    private static final Uint128 PLATFORM_FEES = Uint128.of(4);

    private InMemoryLedgerExample() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    static void run(PrintStream out) {
        try (Ledger ledger = new InMemoryLedger(StateMachineConfig.inMemory())) {
            List<CreateResult<CreateAccountStatus>> accounts = ledger.createAccounts(List.of(
                Account.of(BANK, USD, 1000),
                Account.of(PROCESSOR_RECEIVABLE, USD, 1100),
                // A creator can never be paid more than they earned: the ledger refuses such a debit.
                Account.of(CREATOR_PAYABLE, USD, 2100).withFlags(AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS),
                Account.of(PLATFORM_FEES, USD, 4100)));
            out.println("accounts: " + accounts.stream().map(result -> result.status().wireName()).toList());

            // A 10.00 sale (amounts are minor units: cents): 8.00 to the creator, 2.00 platform fee, atomically.
            JournalEntryResult sale = ledger.createEntries(List.of(JournalEntry.of(Uint128.of(100), USD, SALE, List.of(
                Posting.debit(PROCESSOR_RECEIVABLE, 1000),
                Posting.credit(CREATOR_PAYABLE, 800),
                Posting.credit(PLATFORM_FEES, 200))))).get(0);
            out.println("sale 1000 -> creator 800, platform 200: " + sale.status().wireName());

            out.println("payout 900: " + payout(ledger, Uint128.of(200), 900));
            out.println("payout 800: " + payout(ledger, Uint128.of(201), 800));

            Account creator = ledger.lookupAccount(CREATOR_PAYABLE).orElseThrow();
            Account platform = ledger.lookupAccount(PLATFORM_FEES).orElseThrow();
            out.println("creator payable: credits " + creator.creditsPosted() + ", debits " + creator.debitsPosted());
            out.println("platform fees: credits " + platform.creditsPosted());
        }
    }

    private static String payout(Ledger ledger, Uint128 id, long amount) {
        CreateResult<CreateTransferStatus> result =
            ledger.createTransfers(List.of(Transfer.of(id, CREATOR_PAYABLE, BANK, amount, USD, PAYOUT))).get(0);
        return result.status().wireName();
    }
}
