package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.testing.Fixtures.account;
import static com.fanzfinance.ledger.testing.Fixtures.id;
import static com.fanzfinance.ledger.testing.Fixtures.pending;
import static com.fanzfinance.ledger.testing.Fixtures.post;
import static com.fanzfinance.ledger.testing.Fixtures.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.OutcomeExcerpt;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.SideData;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.config.EngineConfig;
import com.fanzfinance.ledger.journal.OutcomeStream;

/** Transfers scoped to tenants, checked as they are applied; metadata stored, returned, replayed and streamed. */
class TenantScopeAndMetadataTest {
    private static final int GIRLFANZ = 1;
    private static final int PUPFANZ = 2;

    @TempDir
    Path data;

    @Test
    void aTransferTouchingAnotherTenantsAccountRejectsTheWholeCommand() {
        try (LedgerEngine engine = LedgerEngine.open(EngineConfig.defaults(data))) {
            createAccounts(engine, account(1).withTenant(GIRLFANZ), account(2).withTenant(GIRLFANZ),
                account(3).withTenant(PUPFANZ));
            UnsafeBuffer results = new UnsafeBuffer(new byte[3 * 16]);
            CommandOutcome outcome = submit(engine, results, scope(GIRLFANZ), transfer(10, 1, 2, 5), transfer(11, 2, 3, 5));
            assertThat(outcome).isEqualTo(CommandOutcome.TENANT_FORBIDDEN);
            int forbidden = engine.read(StateMachine::forbiddenEvent);
            Transfer rejected = engine.read(machine -> machine.lookupTransfer(id(10)));
            assertThat(forbidden).isEqualTo(1);
            assertThat(rejected).isNull();
            assertThat(submit(engine, results, scope(GIRLFANZ, PUPFANZ), transfer(11, 2, 3, 5)))
                .isEqualTo(CommandOutcome.APPLIED);
        }
    }

    @Test
    void aPostIsCheckedAgainstThePendingTransfersAccounts() {
        try (LedgerEngine engine = LedgerEngine.open(EngineConfig.defaults(data))) {
            createAccounts(engine, account(1).withTenant(GIRLFANZ), account(3).withTenant(PUPFANZ));
            UnsafeBuffer results = new UnsafeBuffer(new byte[16]);
            assertThat(submit(engine, results, new int[0], pending(20, 1, 3, 5, 0))).isEqualTo(CommandOutcome.APPLIED);
            assertThat(submit(engine, results, scope(GIRLFANZ), post(21, 20, Long.MAX_VALUE)))
                .isEqualTo(CommandOutcome.TENANT_FORBIDDEN);
            assertThat(submit(engine, results, scope(GIRLFANZ), transfer(22, 1, 99, 5)))
                .as("unknown accounts are left to the transfer's own status").isEqualTo(CommandOutcome.APPLIED);
        }
    }

    @Test
    void metadataIsStoredWithWhatWasCreatedReturnedAndSurvivesRecovery() {
        byte[] hash;
        try (LedgerEngine engine = LedgerEngine.open(EngineConfig.defaults(data))) {
            UnsafeBuffer records = new UnsafeBuffer(new byte[2 * 128]);
            Records.encode(account(1), records, 0);
            Records.encode(account(0), records, 128);
            UnsafeBuffer side = sideData(List.of("{\"creator\":\"ana\"}", "{\"never\":true}"));
            LedgerEngine.join(engine.submitAccounts(records, 0, 2, null, 0, side, 0, side.capacity(),
                new UnsafeBuffer(new byte[32]), 0));
            createAccounts(engine, account(2));
            UnsafeBuffer transfers = new UnsafeBuffer(new byte[128]);
            Records.encode(transfer(10, 1, 2, 5), transfers, 0);
            UnsafeBuffer transferSide = sideData(List.of("{\"ppv\":42}"));
            LedgerEngine.join(engine.submitTransfers(transfers, 0, 1, transferSide, 0, transferSide.capacity(),
                new UnsafeBuffer(new byte[16]), 0));
            assertThat(text(engine.read(machine -> machine.accountMetadata(id(1))))).isEqualTo("{\"creator\":\"ana\"}");
            byte[] none = engine.read(machine -> machine.accountMetadata(id(2)));
            assertThat(none).isNull();
            assertThat(text(engine.read(machine -> machine.transferMetadata(id(10))))).isEqualTo("{\"ppv\":42}");
            hash = engine.stateHash();
            engine.close(false);
        }
        try (LedgerEngine engine = LedgerEngine.open(EngineConfig.defaults(data))) {
            assertThat(engine.stateHash()).isEqualTo(hash);
            assertThat(text(engine.read(machine -> machine.transferMetadata(id(10))))).isEqualTo("{\"ppv\":42}");
        }
        try (LedgerEngine engine = LedgerEngine.open(EngineConfig.defaults(data))) {
            assertThat(engine.recovery().snapshotUsed()).isTrue();
            assertThat(engine.stateHash()).isEqualTo(hash);
        }
    }

    @Test
    void outcomesNameTheEventThatCausedThem() {
        try (LedgerEngine engine = LedgerEngine.open(EngineConfig.defaults(data))) {
            createAccounts(engine, account(1), account(2));
            submit(engine, new UnsafeBuffer(new byte[48]), new int[0], transfer(10, 1, 99, 5), transfer(11, 1, 2, 5),
                transfer(12, 2, 1, 1));
        }
        try (OutcomeStream stream = OutcomeStream.open(EngineConfig.defaults(data).eventsDirectory())) {
            stream.resumeAfter(-1, -1);
            stream.next();
            stream.next();
            OutcomeExcerpt excerpt = stream.excerpt();
            assertThat(excerpt.outcomeCount()).isEqualTo(2);
            assertThat(excerpt.eventIndex(0)).isEqualTo(1);
            assertThat(excerpt.eventIndex(1)).isEqualTo(2);
        }
    }

    private static int[] scope(int... tenants) {
        return tenants;
    }

    private static CommandOutcome submit(LedgerEngine engine, UnsafeBuffer results, int[] scope, Transfer... transfers) {
        ScopedCommands.Decided decided = ScopedCommands.transfers(engine, scope, transfers);
        results.putBytes(0, decided.results(), 0, Math.min(results.capacity(), decided.results().capacity()));
        return decided.outcome();
    }

    private static void createAccounts(LedgerEngine engine, Account... accounts) {
        ScopedCommands.accounts(engine, new int[0], accounts);
    }

    private static UnsafeBuffer sideData(List<String> entries) {
        int length = 4;
        for (String entry : entries) {
            length += SideData.entryBytes(entry.getBytes(StandardCharsets.UTF_8).length);
        }
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[length]);
        int at = SideData.writeHeader(buffer, 0, entries.size());
        for (int i = 0; i < entries.size(); i++) {
            at = SideData.writeEntry(buffer, at, i, entries.get(i).getBytes(StandardCharsets.UTF_8));
        }
        return buffer;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
