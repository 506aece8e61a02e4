package com.fanzfinance.ledger.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.config.StateMachineConfig;

/** The timestamp lookups {@link LedgerState} answers from its account and transfer stores. */
class LedgerStateTest {
    private final LedgerState state = new LedgerState(StateMachineConfig.inMemory());
    private final UnsafeBuffer record = new UnsafeBuffer(new byte[TransferLayout.SIZE]);

    @AfterEach
    void close() {
        state.close();
    }

    @Test
    void anEmptyStateHasNoTimestamps() {
        assertThat(state.maxAccountTimestamp()).isZero();
        assertThat(state.maxTransferTimestamp()).isZero();
        assertThat(state.accountHasTimestamp(0)).isFalse();
        assertThat(state.accountHasTimestamp(1)).isFalse();
        assertThat(state.transferHasTimestamp(0)).isFalse();
        assertThat(state.transferHasTimestamp(1)).isFalse();
        assertThat(state.transferAtOrAfter(0)).isZero();
        assertThat(state.transferAtOrAfter(Long.MAX_VALUE)).isZero();
    }

    @Test
    void maxAccountTimestampIsTheNewestAccounts() {
        addAccounts(10, 20, 35);

        assertThat(state.maxAccountTimestamp()).isEqualTo(35);
    }

    @Test
    void accountHasTimestampFindsExactlyTheAccountsTimestamps() {
        long[] timestamps = {10, 20, 35, 36, 100};
        addAccounts(timestamps);

        for (long timestamp : timestamps) {
            assertThat(state.accountHasTimestamp(timestamp)).as("timestamp %d", timestamp).isTrue();
        }
        for (long timestamp : new long[] {0, 9, 11, 19, 21, 34, 37, 99, 101, Long.MAX_VALUE}) {
            assertThat(state.accountHasTimestamp(timestamp)).as("timestamp %d", timestamp).isFalse();
        }
    }

    @Test
    void accountHasTimestampWorksForASingleAccountAndForMany() {
        addAccounts(7);
        assertThat(state.accountHasTimestamp(7)).isTrue();
        assertThat(state.accountHasTimestamp(6)).isFalse();
        assertThat(state.accountHasTimestamp(8)).isFalse();

        long[] more = new long[1_000];
        for (int i = 0; i < more.length; i++) {
            more[i] = 10 + 3L * i;
        }
        addAccounts(more);
        for (long timestamp = 8; timestamp < 10 + 3L * more.length; timestamp++) {
            boolean expected = timestamp >= 10 && (timestamp - 10) % 3 == 0;
            assertThat(state.accountHasTimestamp(timestamp)).as("timestamp %d", timestamp).isEqualTo(expected);
        }
        assertThat(state.maxAccountTimestamp()).isEqualTo(10 + 3L * (more.length - 1));
    }

    @Test
    void maxTransferTimestampIsTheNewestTransfers() {
        addTransfers(5, 6, 90);

        assertThat(state.maxTransferTimestamp()).isEqualTo(90);
    }

    @Test
    void transferAtOrAfterIsTheFirstSequenceNotBeforeTheTimestamp() {
        addTransfers(10, 20, 30);

        assertThat(state.transferAtOrAfter(0)).isEqualTo(0);
        assertThat(state.transferAtOrAfter(10)).isEqualTo(0);
        assertThat(state.transferAtOrAfter(11)).isEqualTo(1);
        assertThat(state.transferAtOrAfter(20)).isEqualTo(1);
        assertThat(state.transferAtOrAfter(21)).isEqualTo(2);
        assertThat(state.transferAtOrAfter(30)).isEqualTo(2);
        assertThat(state.transferAtOrAfter(31)).isEqualTo(3);
        assertThat(state.transferAtOrAfter(Long.MAX_VALUE)).isEqualTo(3);
    }

    @Test
    void transferHasTimestampFindsExactlyTheTransfersTimestamps() {
        addTransfers(10, 20, 30, 31);

        for (long timestamp : new long[] {10, 20, 30, 31}) {
            assertThat(state.transferHasTimestamp(timestamp)).as("timestamp %d", timestamp).isTrue();
        }
        for (long timestamp : new long[] {0, 9, 11, 29, 32, Long.MAX_VALUE}) {
            assertThat(state.transferHasTimestamp(timestamp)).as("timestamp %d", timestamp).isFalse();
        }
    }

    @Test
    void transferLookupsIgnoreTruncatedTransfers() {
        addTransfers(10, 20, 30);
        state.transfers().truncate(2);

        assertThat(state.transferHasTimestamp(30)).isFalse();
        assertThat(state.transferAtOrAfter(25)).isEqualTo(2);
        assertThat(state.maxTransferTimestamp()).isEqualTo(20);
    }

    @Test
    void accountLookupsIgnoreTruncatedAccounts() {
        addAccounts(10, 20, 30);
        state.accounts().truncate(2);

        assertThat(state.accountHasTimestamp(30)).isFalse();
        assertThat(state.accountHasTimestamp(20)).isTrue();
        assertThat(state.maxAccountTimestamp()).isEqualTo(20);
    }

    @Test
    void lastTimestampIsKeptAsSet() {
        assertThat(state.lastTimestamp()).isZero();

        state.lastTimestamp(1234);

        assertThat(state.lastTimestamp()).isEqualTo(1234);
    }

    private void addAccounts(long... timestamps) {
        AccountStore accounts = state.accounts();
        for (long timestamp : timestamps) {
            int slot = accounts.insert(timestamp, 1);
            accounts.set(slot, AccountStore.TIMESTAMP, timestamp);
        }
    }

    private void addTransfers(long... timestamps) {
        for (long timestamp : timestamps) {
            record.putLong(TransferLayout.ID, timestamp);
            record.putLong(TransferLayout.TIMESTAMP, timestamp);
            state.transfers().append(record, 0);
        }
    }
}
