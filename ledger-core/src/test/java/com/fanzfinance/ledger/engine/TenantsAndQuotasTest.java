package com.fanzfinance.ledger.engine;

import static com.fanzfinance.ledger.engine.ScopedCommands.scope;
import static com.fanzfinance.ledger.testing.Fixtures.account;
import static com.fanzfinance.ledger.testing.Fixtures.transfer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.command.SetTenantStatus;
import com.fanzfinance.ledger.command.TenantSettings;
import com.fanzfinance.ledger.config.EngineConfig;
import com.fanzfinance.ledger.config.StateMachineConfig;

/** Tenants registered through the journal (numbers never reused) and the quotas a tenant's commands keep to. */
class TenantsAndQuotasTest {
    @TempDir
    Path data;

    private EngineConfig config(LedgerLimits limits) {
        return EngineConfig.defaults(data).withStateMachine(StateMachineConfig.inMemory().withLimits(limits), false);
    }

    private static LedgerEngine.TenantOutcome register(LedgerEngine engine, TenantSettings settings) {
        return LedgerEngine.join(engine.submitTenant(settings));
    }

    @Test
    void tenantsGetTheNextNumberKeepItAndSurviveRestarts() {
        try (LedgerEngine engine = LedgerEngine.open(EngineConfig.defaults(data))) {
            assertThat(register(engine, TenantSettings.register("girlfanz")).number()).isEqualTo(1);
            assertThat(register(engine, TenantSettings.register("pupfanz")).number()).isEqualTo(2);
            assertThat(register(engine, TenantSettings.register("girlfanz")))
                .isEqualTo(new LedgerEngine.TenantOutcome(SetTenantStatus.OK, 1));
            engine.close(false);
        }
        try (LedgerEngine engine = LedgerEngine.open(EngineConfig.defaults(data))) {
            TenantSettings[] tenants = engine.read(StateMachine::tenants);
            assertThat(Arrays.stream(tenants).map(TenantSettings::slug)).containsExactly("girlfanz", "pupfanz");
            assertThat(register(engine, TenantSettings.register("boyfanz")).number()).isEqualTo(3);
        }
    }

    @Test
    void aNumberAnAccountCarriesIsNeverGivenToANewTenant() {
        try (LedgerEngine engine = LedgerEngine.open(EngineConfig.defaults(data))) {
            ScopedCommands.accounts(engine, scope(), account(1).withTenant(7));
            assertThat(register(engine, TenantSettings.register("girlfanz")).number()).isEqualTo(8);
            engine.close(true);
        }
        try (LedgerEngine engine = LedgerEngine.open(EngineConfig.defaults(data))) {
            assertThat(register(engine, TenantSettings.register("pupfanz")).number()).isEqualTo(9);
        }
    }

    @Test
    void explicitNumbersAdoptExistingTenantsButNeverTakeAnotherSlugsNumber() {
        try (LedgerEngine engine = LedgerEngine.open(EngineConfig.defaults(data))) {
            ScopedCommands.accounts(engine, scope(), account(1).withTenant(4));
            assertThat(register(engine, new TenantSettings(4, "girlfanz", 0, 0)))
                .as("adopting the number the tenant's accounts carry")
                .isEqualTo(new LedgerEngine.TenantOutcome(SetTenantStatus.OK, 4));
            assertThat(register(engine, new TenantSettings(4, "pupfanz", 0, 0)).status())
                .isEqualTo(SetTenantStatus.NUMBER_TAKEN);
            assertThat(register(engine, new TenantSettings(5, "girlfanz", 0, 0)))
                .isEqualTo(new LedgerEngine.TenantOutcome(SetTenantStatus.SLUG_HAS_ANOTHER_NUMBER, 4));
            assertThat(register(engine, TenantSettings.register("pupfanz")).number()).isEqualTo(5);
        }
    }

    @Test
    void aTenantsAccountQuotaRefusesItsCommandWhole() {
        try (LedgerEngine engine = LedgerEngine.open(config(LedgerLimits.of(100, 100).withTenantQuotas(2, 100)))) {
            assertThat(ScopedCommands.accounts(engine, scope(1), account(1).withTenant(1), account(2).withTenant(1))
                .outcome()).isEqualTo(CommandOutcome.APPLIED);
            var refused = ScopedCommands.accounts(engine, scope(1, 2), account(3).withTenant(2), account(4).withTenant(1));
            assertThat(refused.outcome()).isEqualTo(CommandOutcome.TENANT_QUOTA_EXCEEDED);
            assertThat(refused.markedEvent()).isEqualTo(1);
            assertThat(engine.read(StateMachine::accountCount)).isEqualTo(2);
            assertThat(ScopedCommands.accounts(engine, scope(2), account(3).withTenant(2)).outcome())
                .as("another tenant has its own quota").isEqualTo(CommandOutcome.APPLIED);

            register(engine, new TenantSettings(1, "girlfanz", 3, 0));
            assertThat(ScopedCommands.accounts(engine, scope(1), account(4).withTenant(1)).outcome())
                .as("the tenant's own quota").isEqualTo(CommandOutcome.APPLIED);
        }
    }

    @Test
    void aTenantsTransferQuotaCountsItsFailuresToo() {
        try (LedgerEngine engine = LedgerEngine.open(config(LedgerLimits.of(100, 100).withTenantQuotas(100, 3)))) {
            ScopedCommands.accounts(engine, scope(), account(1).withTenant(1), account(2).withTenant(1));
            assertThat(ScopedCommands.transfers(engine, scope(1), transfer(10, 1, 2, 5), transfer(11, 1, 99, 5))
                .outcome()).isEqualTo(CommandOutcome.APPLIED);
            assertThat(ScopedCommands.transfers(engine, scope(1), transfer(12, 1, 2, 5), transfer(13, 1, 2, 5))
                .outcome()).as("one created + one failed + two more > 3").isEqualTo(CommandOutcome.TENANT_QUOTA_EXCEEDED);
            assertThat(ScopedCommands.transfers(engine, scope(1), transfer(12, 1, 2, 5)).outcome())
                .isEqualTo(CommandOutcome.APPLIED);
            assertThat(ScopedCommands.transfers(engine, scope(), transfer(14, 1, 2, 5)).outcome())
                .as("an unscoped (admin) command is not held to a tenant's quota").isEqualTo(CommandOutcome.APPLIED);
            byte[] hash = engine.stateHash();
            engine.close(false);
            try (LedgerEngine reopened = LedgerEngine.open(config(LedgerLimits.of(100, 100).withTenantQuotas(100, 3)))) {
                assertThat(reopened.stateHash()).isEqualTo(hash);
                assertThat(ScopedCommands.transfers(reopened, scope(1), transfer(15, 1, 2, 5)).outcome())
                    .isEqualTo(CommandOutcome.TENANT_QUOTA_EXCEEDED);
            }
        }
    }
}
