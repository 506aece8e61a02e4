package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.testing.Fixtures.account;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.api.DurableLedger;
import com.fanzfinance.ledger.config.EngineConfig;

/** One writer per data directory: a second engine or embedded ledger on it is refused until the first closes. */
class DataDirectoryLockTest {
    @TempDir
    Path data;

    @Test
    void aSecondLedgerOnTheSameDirectoryIsRefusedWithAClearMessage() {
        try (LedgerEngine engine = LedgerEngine.open(EngineConfig.defaults(data))) {
            assertThatThrownBy(() -> DurableLedger.open(EngineConfig.defaults(data.resolve("."))))
                .isInstanceOf(DataDirectoryLock.HeldException.class)
                .hasMessageContaining(data.toAbsolutePath().normalize().toString())
                .hasMessageContaining("in use");
            assertThat(engine.lookupAccount(account(1).id())).isEmpty();
        }
        try (DurableLedger ledger = DurableLedger.open(EngineConfig.defaults(data))) {
            assertThat(ledger.createAccounts(List.of(account(1)))).hasSize(1);
        }
    }

    @Test
    void anEngineOpenedOnAHeldLockUsesItAndLeavesItToTheCaller() {
        try (DataDirectoryLock lock = DataDirectoryLock.acquire(data)) {
            assertThatThrownBy(() -> LedgerEngine.open(EngineConfig.defaults(data)))
                .isInstanceOf(DataDirectoryLock.HeldException.class);
            LedgerEngine.open(EngineConfig.defaults(data), lock).close();
            assertThatThrownBy(() -> DataDirectoryLock.acquire(data)).as("still held by the caller")
                .isInstanceOf(DataDirectoryLock.HeldException.class);
        }
        DataDirectoryLock.acquire(data).close();
    }
}
