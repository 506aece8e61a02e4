package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.testing.Fixtures.account;
import static com.fanzfinance.ledger.testing.Fixtures.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.config.EngineConfig;
import com.fanzfinance.ledger.config.StateMachineConfig;

/**
 * A requested snapshot pauses the pipeline only for its capture: the file is written, and the caller's
 * future completed, on the snapshot writer's thread — never on a pipeline stage, where waiting for the
 * write would hold every caller's result back.
 */
class SnapshotCompletionTest {
    @TempDir
    Path data;

    @Test
    void theSnapshotFutureNeverCompletesOnAPipelineThread() {
        EngineConfig config = EngineConfig.defaults(data).withStateMachine(StateMachineConfig.inMemory(), false);
        try (LedgerEngine engine = LedgerEngine.open(config)) {
            ScopedCommands.accounts(engine, new int[0], account(1), account(2));
            List<Transfer> transfers = new ArrayList<>();
            for (int i = 0; i < 8_000; i++) {
                transfers.add(transfer(100 + i, 1, 2, 1));
            }
            ScopedCommands.transfers(engine, new int[0], transfers.toArray(Transfer[]::new));
            List<CompletableFuture<String>> completedOn = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                completedOn.add(engine.snapshot().thenApply(path -> Thread.currentThread().getName()));
            }

            for (CompletableFuture<String> thread : completedOn) {
                assertThat(LedgerEngine.join(thread)).doesNotStartWith("ledger-pipeline");
            }
        }
    }
}
