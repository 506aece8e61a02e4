package com.fanzfinance.server.payments.posting;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.TenantSettings;
import com.fanzfinance.ledger.config.EngineConfig;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.ledger.journal.Durability;

/** A real journaled ledger engine in a temporary directory, with a registered tenant and a clock a test can move. */
final class LedgerFixture implements AutoCloseable {
    static final String TENANT = "girlfanz";
    static final int USD = 840;

    final AtomicLong clock = new AtomicLong(1_700_000_000_000_000_000L);
    final LedgerEngine engine;
    final int tenantNumber;
    final EngineLedgerPort port;
    final PlanPoster poster;
    final PositionReader reader;

    LedgerFixture(Path directory) {
        engine = LedgerEngine.open(EngineConfig.defaults(directory).withDurability(Durability.OS).withClock(clock::get));
        tenantNumber = LedgerEngine.join(engine.submitTenant(TenantSettings.register(TENANT))).number();
        port = new EngineLedgerPort(engine);
        poster = new PlanPoster(port);
        reader = new PositionReader(port);
    }

    /** Moves the ledger's clock on and lets it expire what is due. */
    void advanceSeconds(long seconds) {
        clock.addAndGet(seconds * 1_000_000_000L);
        LedgerEngine.join(engine.tick());
    }

    Account account(String role, String provider, String party) {
        PlannedAccount planned = PaymentAccounts.account(TENANT, USD, PaymentRole.ofWireName(role), provider, party);
        return engine.lookupAccount(Uuid5.toUint128(planned.id())).orElseThrow(() ->
            new AssertionError("no " + role + " account for '" + party + "'"));
    }

    /** debits_posted − credits_posted (positive for a debit balance), or 0 for an account never made. */
    long net(String role, String provider, String party) {
        PlannedAccount planned = PaymentAccounts.account(TENANT, USD, PaymentRole.ofWireName(role), provider, party);
        return engine.lookupAccount(Uuid5.toUint128(planned.id()))
            .map(account -> account.debitsPosted() - account.creditsPosted()).orElse(0L);
    }

    @Override
    public void close() {
        engine.close();
    }
}
