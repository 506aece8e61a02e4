package com.fanzfinance.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.api.DurableLedger;
import com.fanzfinance.ledger.command.AccountFilter;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.config.EngineConfig;

/** Runs the example as a user does, twice on one directory, then reads that directory back. */
class DurableLedgerExampleTest {
    private static final Uint128 CREATOR_PAYABLE = Uint128.of(2);

    @Test
    void keepsWhatItWroteAndARepeatedRunChangesNothing(@TempDir Path temporary) {
        Path directory = temporary.resolve("ledger-data");

        ExampleProcess first = ExampleProcess.runExample(temporary, "DurableLedgerExample", directory.toString());
        ExampleProcess second = ExampleProcess.runExample(temporary, "DurableLedgerExample", directory.toString());

        assertThat(first.exitStatus()).as(first.err()).isZero();
        assertThat(first.err()).as("nothing but the example's own lines").isEmpty();
        assertThat(first.out()).isEqualTo("data directory: " + directory + "\n" + """
            accounts: [created, created]
            tip of 500: created
            after reopening: creator credits 500
            """);
        assertThat(second.exitStatus()).as(second.err()).isZero();
        assertThat(second.out()).isEqualTo("data directory: " + directory + "\n" + """
            accounts: [exists, exists]
            tip of 500: exists
            after reopening: creator credits 500
            """);
        try (DurableLedger ledger = DurableLedger.open(EngineConfig.defaults(directory))) {
            assertThat(ledger.lookupAccount(CREATOR_PAYABLE).orElseThrow().creditsPosted()).isEqualTo(500);
            assertThat(ledger.accountTransfers(AccountFilter.of(CREATOR_PAYABLE, 10))).hasSize(1);
        }
    }
}
