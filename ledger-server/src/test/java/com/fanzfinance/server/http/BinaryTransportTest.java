package com.fanzfinance.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.AccountLayout;
import com.fanzfinance.ledger.command.TransferLayout;

/** The whole-batch checks of binary records, and the JSON pointer a refusal names. */
class BinaryTransportTest {
    @Test
    void aTransferWhoseAmountNeedsMoreThan63BitsIsRefusedByItsPointer() {
        byte[] body = new byte[5 * BinaryTransport.RECORD];
        UnsafeBuffer records = new UnsafeBuffer(body);
        records.putLong(3 * BinaryTransport.RECORD + TransferLayout.AMOUNT + 8, 1);

        assertThatThrownBy(() -> BinaryTransport.transfers(body)).isInstanceOfSatisfying(Problem.class, problem -> {
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.type()).isEqualTo("invalid-field");
            assertThat(problem.pointer()).isEqualTo("/3/amount");
        });
        records.putLong(3 * BinaryTransport.RECORD + TransferLayout.AMOUNT + 8, 0);
        records.putLong(4 * BinaryTransport.RECORD + TransferLayout.AMOUNT, Long.MIN_VALUE);
        assertThatThrownBy(() -> BinaryTransport.transfers(body)).isInstanceOfSatisfying(Problem.class,
            problem -> assertThat(problem.pointer()).isEqualTo("/4/amount"));
        records.putLong(4 * BinaryTransport.RECORD + TransferLayout.AMOUNT, Long.MAX_VALUE);
        assertThat(BinaryTransport.transfers(body).count()).isEqualTo(5);
    }

    @Test
    void anAccountBalanceAbove63BitsIsRefusedByItsPointer() {
        byte[] body = new byte[2 * BinaryTransport.RECORD];
        UnsafeBuffer records = new UnsafeBuffer(body);
        records.putLong(BinaryTransport.RECORD + AccountLayout.CREDITS_POSTED, -1);

        assertThatThrownBy(() -> BinaryTransport.accounts(body, null)).isInstanceOfSatisfying(Problem.class,
            problem -> assertThat(problem.pointer()).isEqualTo("/1/credits_posted"));
        records.putLong(BinaryTransport.RECORD + AccountLayout.CREDITS_POSTED, 0);
        records.putLong(AccountLayout.DEBITS_PENDING + 8, 7);
        assertThatThrownBy(() -> BinaryTransport.accounts(body, null)).isInstanceOfSatisfying(Problem.class,
            problem -> assertThat(problem.pointer()).isEqualTo("/0/debits_pending"));
    }
}
