package com.fanzfinance.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InMemoryLedgerExampleTest {
    @Test
    void splitsTheSaleRefusesTheOverdrawnPayoutAndPaysTheEarnedOne() {
        String printed = Printed.by(InMemoryLedgerExample::run);

        assertThat(printed).isEqualTo("""
            accounts: [created, created, created, created]
            sale 1000 -> creator 800, platform 200: created
            payout 900: exceeds_credits
            payout 800: created
            creator payable: credits 800, debits 800
            platform fees: credits 200
            """);
    }
}
