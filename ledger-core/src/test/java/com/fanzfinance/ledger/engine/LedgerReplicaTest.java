package com.fanzfinance.ledger.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.AccountLayout;
import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.journal.CommandType;

/** A replica restored from a snapshot goes on exactly as one that never stopped. */
class LedgerReplicaTest {
    private static final long T0 = 1_767_225_600_000_000_000L;

    @TempDir
    Path directory;

    private final UnsafeBuffer results = new UnsafeBuffer(new byte[8189 * 16]);

    @Test
    void aRestoredReplicaStampsTheCommandAfterARefusedOneLikeOneThatNeverStopped() {
        try (LedgerReplica live = new LedgerReplica(directory.resolve("live-events"), StateMachineConfig.inMemory())) {
            UnsafeBuffer limits = new UnsafeBuffer(new byte[128]);
            LedgerLimits.of(1, 100).encode(limits, 0);
            assertThat(live.apply(CommandType.SET_LIMITS, T0, 1, limits, 0, null, 0, 0, null, 0, 0, results, 0))
                .isEqualTo(CommandOutcome.APPLIED);
            // two accounts where one fits: refused whole; the sequencer moved on, the state's last timestamp did not
            assertThat(applyAccounts(live, 1, 2, T0 + 10)).isEqualTo(CommandOutcome.LEDGER_FULL);
            Path snapshots = directory.resolve("snapshot");
            live.writeSnapshot(snapshots);

            try (LedgerReplica restored = new LedgerReplica(directory.resolve("restored-events"),
                StateMachineConfig.inMemory())) {
                restored.restore(snapshots);
                assertThat(restored.appliedCommands()).isEqualTo(live.appliedCommands());
                assertThat(restored.chainHead()).isEqualTo(live.chainHead());
                // the next command carries the same log clock as the refused one
                assertThat(applyAccounts(live, 10, 1, T0 + 10)).isEqualTo(CommandOutcome.APPLIED);
                assertThat(applyAccounts(restored, 10, 1, T0 + 10)).isEqualTo(CommandOutcome.APPLIED);
                assertThat(restored.chainHead()).isEqualTo(live.chainHead());
                assertThat(restored.stateMachine().stateHash()).isEqualTo(live.stateMachine().stateHash());
                assertThat(restored.stateMachine().lastTimestamp()).isEqualTo(T0 + 12);
            }
        }
    }

    private CommandOutcome applyAccounts(LedgerReplica replica, long firstId, int count, long clock) {
        UnsafeBuffer accounts = new UnsafeBuffer(new byte[count * 128]);
        for (int i = 0; i < count; i++) {
            accounts.putLong(i * 128 + AccountLayout.ID, firstId + i);
            accounts.putInt(i * 128 + AccountLayout.LEDGER, 1);
            accounts.putShort(i * 128 + AccountLayout.CODE, (short) 1);
        }
        UnsafeBuffer tenants = new UnsafeBuffer(new byte[count * 4]);
        return replica.apply(CommandType.CREATE_ACCOUNTS, clock, count, accounts, 0, tenants, 0, count, null, 0, 0,
            results, 0);
    }
}
