package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.testing.Fixtures.account;
import static com.fanzfinance.ledger.testing.Fixtures.id;
import static com.fanzfinance.ledger.testing.Fixtures.transfer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.config.EngineConfig;
import com.fanzfinance.ledger.config.StateMachineConfig;

/**
 * Replay is a function of the journal alone: a command refused because the ledger was full stays refused
 * whatever limits the next process is configured with, and a process configured below what the ledger
 * holds refuses to start instead of dropping acknowledged objects.
 */
class JournaledLimitsTest {
    @TempDir
    Path data;

    private EngineConfig config(int accountsMax, long transfersMax) {
        return EngineConfig.defaults(data).withStateMachine(StateMachineConfig.inMemory().withLimits(accountsMax,
            transfersMax), false);
    }

    @Test
    void aCommandRefusedAsFullStaysRefusedAfterARestartWithAHigherLimit() {
        try (LedgerEngine engine = LedgerEngine.open(config(2, 100))) {
            assertThat(ScopedCommands.accounts(engine, new int[0], account(1), account(2)).outcome())
                .isEqualTo(CommandOutcome.APPLIED);
            assertThat(ScopedCommands.accounts(engine, new int[0], account(3)).outcome())
                .isEqualTo(CommandOutcome.LEDGER_FULL);
            engine.close(false);
        }
        try (LedgerEngine engine = LedgerEngine.open(config(10, 100))) {
            assertThat(engine.recovery().snapshotUsed()).isFalse();
            assertThat(engine.recovery().commandsReplayed()).as("the refused command was replayed").isGreaterThan(2);
            assertThat(engine.lookupAccount(id(3))).as("refused, so never applied").isEmpty();
            assertThat(engine.lookupAccount(id(2))).isPresent();
            assertThat(engine.read(StateMachine::limits)).isEqualTo(LedgerLimits.of(10, 100));
            assertThat(ScopedCommands.accounts(engine, new int[0], account(3)).outcome())
                .as("the new limit is in force").isEqualTo(CommandOutcome.APPLIED);
        }
    }

    @Test
    void aTransferCommandRefusedAsFullStaysRefusedAcrossASnapshotAndARestart() {
        try (LedgerEngine engine = LedgerEngine.open(config(10, 2))) {
            ScopedCommands.accounts(engine, new int[0], account(1), account(2));
            assertThat(ScopedCommands.transfers(engine, new int[0], transfer(10, 1, 2, 5), transfer(11, 1, 2, 5))
                .outcome()).isEqualTo(CommandOutcome.APPLIED);
            assertThat(ScopedCommands.transfers(engine, new int[0], transfer(12, 1, 2, 5)).outcome())
                .isEqualTo(CommandOutcome.LEDGER_FULL);
            LedgerEngine.join(engine.snapshot());
            assertThat(ScopedCommands.transfers(engine, new int[0], transfer(13, 1, 2, 5)).outcome())
                .isEqualTo(CommandOutcome.LEDGER_FULL);
            engine.close(false);
        }
        try (LedgerEngine engine = LedgerEngine.open(config(10, 1_000))) {
            assertThat(engine.recovery().snapshotUsed()).isTrue();
            com.fanzfinance.ledger.command.Transfer twelve = engine.read(machine -> machine.lookupTransfer(id(12)));
            com.fanzfinance.ledger.command.Transfer thirteen = engine.read(machine -> machine.lookupTransfer(id(13)));
            assertThat(twelve).isNull();
            assertThat(thirteen).isNull();
            assertThat(engine.read(StateMachine::transferCount)).isEqualTo(2);
        }
    }

    @Test
    void aLimitBelowWhatTheLedgerHoldsRefusesToStartAndLosesNothing() {
        try (LedgerEngine engine = LedgerEngine.open(config(10, 100))) {
            ScopedCommands.accounts(engine, new int[0], account(1), account(2), account(3), account(4), account(5));
        }

        assertThatThrownBy(() -> LedgerEngine.open(config(3, 100)))
            .isInstanceOf(LimitBelowHoldingsException.class)
            .hasMessageContaining("accountsMax (3)").hasMessageContaining("5 accounts");

        try (LedgerEngine engine = LedgerEngine.open(config(10, 100))) {
            assertThat(engine.read(StateMachine::accountCount)).isEqualTo(5);
        }
    }

    @Test
    void replayFromTheJournalAloneGivesTheLiveStateWhateverTheReplayIsConfiguredWith() {
        String live;
        try (LedgerEngine engine = LedgerEngine.open(config(2, 100))) {
            ScopedCommands.accounts(engine, new int[0], account(1), account(2));
            ScopedCommands.accounts(engine, new int[0], account(3));
            live = HexFormat.of().formatHex(engine.stateHash());
        }

        JournalReplay.Result replay = JournalReplay.run(config(2, 100).journalDirectory(),
            StateMachineConfig.inMemory().withLimits(1_000, 1_000), 8 << 20, new JournalReplay.Progress() {
                @Override
                public void started(long excerpts) {
                }

                @Override
                public void advanced(long batchesRead, long commandsApplied) {
                }
            });

        assertThat(replay.accounts()).isEqualTo(2);
        assertThat(replay.stateHash()).isEqualTo(live);
    }

    @Test
    void openingWithTheLimitsInForceJournalsNothingNew() {
        try (LedgerEngine engine = LedgerEngine.open(config(5, 50))) {
            ScopedCommands.accounts(engine, new int[0], account(1));
        }
        long replayed;
        try (LedgerEngine engine = LedgerEngine.open(config(5, 50))) {
            replayed = engine.recovery().end().nextCommand();
            engine.close(false);
        }
        try (LedgerEngine engine = LedgerEngine.open(config(5, 50))) {
            assertThat(engine.recovery().end().nextCommand()).isEqualTo(replayed);
        }
    }
}
