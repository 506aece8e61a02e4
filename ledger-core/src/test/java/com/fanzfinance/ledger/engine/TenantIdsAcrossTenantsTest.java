package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.engine.ScopedCommands.scope;
import static com.fanzfinance.ledger.testing.Fixtures.account;
import static com.fanzfinance.ledger.testing.Fixtures.id;
import static com.fanzfinance.ledger.testing.Fixtures.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.AccountFlags;
import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.config.EngineConfig;

/**
 * Ids are global, objects belong to tenants: a tenant's command that names an id another tenant's object
 * holds is refused whole and learns nothing about that object, and a tenant's failures never use up ids
 * for anyone else.
 */
class TenantIdsAcrossTenantsTest {
    private static final int GIRLFANZ = 1;
    private static final int PUPFANZ = 2;

    @TempDir
    Path data;
    private LedgerEngine engine;

    @BeforeEach
    void open() {
        engine = LedgerEngine.open(EngineConfig.defaults(data));
        ScopedCommands.accounts(engine, new int[0], account(1).withTenant(GIRLFANZ),
            account(2, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS).withTenant(GIRLFANZ),
            account(3).withTenant(PUPFANZ), account(4).withTenant(PUPFANZ));
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        engine.close();
    }

    @Test
    void creatingAnAccountWhoseIdAnotherTenantHoldsIsForbiddenAndRevealsNothing() {
        var decided = ScopedCommands.accounts(engine, scope(GIRLFANZ), account(5).withTenant(GIRLFANZ),
            account(3).withTenant(GIRLFANZ));

        assertThat(decided.outcome()).isEqualTo(CommandOutcome.TENANT_FORBIDDEN);
        assertThat(decided.markedEvent()).isEqualTo(1);
        for (int event = 0; event < 2; event++) {
            assertThat(decided.results().getLong(event * ResultLayout.SIZE + ResultLayout.TIMESTAMP))
                .as("no timestamp of the other tenant's account").isZero();
            assertThat(decided.results().getInt(event * ResultLayout.SIZE + ResultLayout.STATUS)).isZero();
        }
        assertThat(engine.lookupAccount(id(5))).as("nothing applied").isEmpty();
        assertThat(ScopedCommands.accounts(engine, scope(PUPFANZ), account(3).withTenant(PUPFANZ)).accountStatus(0))
            .as("its own tenant gets the usual answer").isEqualTo(CreateAccountStatus.EXISTS);
    }

    @Test
    void aScopedCommandMayOnlyCreateAccountsInItsOwnTenants() {
        var decided = ScopedCommands.accounts(engine, scope(GIRLFANZ), account(6).withTenant(PUPFANZ));

        assertThat(decided.outcome()).isEqualTo(CommandOutcome.TENANT_FORBIDDEN);
        assertThat(engine.lookupAccount(id(6))).isEmpty();
    }

    @Test
    void creatingATransferWhoseIdAnotherTenantsTransferHoldsIsForbidden() {
        assertThat(ScopedCommands.transfers(engine, scope(PUPFANZ), transfer(30, 3, 4, 7)).transferStatus(0))
            .isEqualTo(CreateTransferStatus.CREATED);

        var decided = ScopedCommands.transfers(engine, scope(GIRLFANZ), transfer(31, 1, 2, 1), transfer(30, 1, 2, 7));

        assertThat(decided.outcome()).isEqualTo(CommandOutcome.TENANT_FORBIDDEN);
        assertThat(decided.markedEvent()).isEqualTo(1);
        assertThat(decided.results().getLong(16 + ResultLayout.TIMESTAMP)).isZero();
        com.fanzfinance.ledger.command.Transfer refused = engine.read(machine -> machine.lookupTransfer(id(31)));
        assertThat(refused).isNull();
        assertThat(ScopedCommands.transfers(engine, scope(PUPFANZ), transfer(30, 3, 4, 7)).transferStatus(0))
            .isEqualTo(CreateTransferStatus.EXISTS);
    }

    @Test
    void aTenantsFailureDoesNotUseUpTheIdForAnotherTenant() {
        assertThat(ScopedCommands.transfers(engine, scope(GIRLFANZ), transfer(40, 2, 1, 5)).transferStatus(0))
            .as("account 2 may not go into debit").isEqualTo(CreateTransferStatus.EXCEEDS_CREDITS);
        assertThat(ScopedCommands.transfers(engine, scope(GIRLFANZ), transfer(40, 2, 1, 5)).transferStatus(0))
            .as("its own retry").isEqualTo(CreateTransferStatus.ID_ALREADY_FAILED);

        assertThat(ScopedCommands.transfers(engine, scope(PUPFANZ), transfer(40, 3, 4, 5)).transferStatus(0))
            .as("another tenant may use the id").isEqualTo(CreateTransferStatus.CREATED);
        assertThat(ScopedCommands.transfers(engine, scope(GIRLFANZ), transfer(40, 2, 1, 5)).outcome())
            .as("and once it holds it, the first tenant's retry is a write over its transfer")
            .isEqualTo(CommandOutcome.TENANT_FORBIDDEN);
    }

    @Test
    void unscopedAndScopedFailuresAreKeptApart() {
        assertThat(ScopedCommands.transfers(engine, scope(), transfer(50, 1, 99, 5)).transferStatus(0))
            .isEqualTo(CreateTransferStatus.CREDIT_ACCOUNT_NOT_FOUND);
        assertThat(ScopedCommands.transfers(engine, scope(), transfer(50, 1, 99, 5)).transferStatus(0))
            .isEqualTo(CreateTransferStatus.ID_ALREADY_FAILED);
        assertThat(ScopedCommands.transfers(engine, scope(GIRLFANZ), transfer(51, 1, 99, 5)).transferStatus(0))
            .isEqualTo(CreateTransferStatus.CREDIT_ACCOUNT_NOT_FOUND);

        assertThat(ScopedCommands.transfers(engine, scope(GIRLFANZ), transfer(50, 1, 2, 5)).transferStatus(0))
            .as("an admin's failure does not bind a tenant").isEqualTo(CreateTransferStatus.CREATED);
        assertThat(ScopedCommands.transfers(engine, scope(), transfer(51, 3, 4, 5)).transferStatus(0))
            .as("a tenant's failure does not bind an admin").isEqualTo(CreateTransferStatus.CREATED);
        assertThat(ScopedCommands.transfers(engine, scope(GIRLFANZ, PUPFANZ), transfer(52, 1, 98, 5))
            .transferStatus(0)).isEqualTo(CreateTransferStatus.CREDIT_ACCOUNT_NOT_FOUND);
        assertThat(ScopedCommands.transfers(engine, scope(PUPFANZ, GIRLFANZ), transfer(52, 1, 98, 5))
            .transferStatus(0)).as("a key covering the owner sees the failure").isEqualTo(CreateTransferStatus.ID_ALREADY_FAILED);
    }

    @Test
    void failuresAndTheirOwnersSurviveReplayAndSnapshots() {
        ScopedCommands.transfers(engine, scope(GIRLFANZ), transfer(60, 2, 1, 5));
        ScopedCommands.transfers(engine, scope(PUPFANZ), transfer(61, 3, 97, 5));
        byte[] hash = engine.stateHash();
        engine.close(false);
        engine = LedgerEngine.open(EngineConfig.defaults(data));
        assertThat(engine.stateHash()).as("the hash covers failed ids and their owners").isEqualTo(hash);
        engine.close(true);
        engine = LedgerEngine.open(EngineConfig.defaults(data));
        assertThat(engine.recovery().snapshotUsed()).isTrue();
        assertThat(engine.stateHash()).isEqualTo(hash);
        assertFailuresHold();
    }

    private void assertFailuresHold() {
        assertThat(ScopedCommands.transfers(engine, scope(GIRLFANZ), transfer(60, 2, 1, 5)).transferStatus(0))
            .isEqualTo(CreateTransferStatus.ID_ALREADY_FAILED);
        assertThat(ScopedCommands.transfers(engine, scope(PUPFANZ), transfer(61, 3, 97, 5)).transferStatus(0))
            .isEqualTo(CreateTransferStatus.ID_ALREADY_FAILED);
        assertThat(ScopedCommands.transfers(engine, scope(GIRLFANZ), transfer(61, 1, 97, 5)).transferStatus(0))
            .isEqualTo(CreateTransferStatus.CREDIT_ACCOUNT_NOT_FOUND);
    }
}
