package com.fanzfinance.server.payments;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariDataSource;

import com.fanzfinance.gateway.ProcessorDrivers;
import com.fanzfinance.server.config.ServerConfig;
import com.fanzfinance.server.payments.events.EventsOut;
import com.fanzfinance.server.payments.payouts.Payees;
import com.fanzfinance.server.payments.payouts.PayoutBatches;
import com.fanzfinance.server.payments.payouts.PayoutLedger;
import com.fanzfinance.server.payments.payouts.PayoutSweep;
import com.fanzfinance.server.payments.payouts.Payouts;
import com.fanzfinance.server.payments.payouts.RailAccounts;
import com.fanzfinance.server.payments.payouts.RailRunner;
import com.fanzfinance.server.payments.payouts.ServerRailHttp;
import com.fanzfinance.server.payments.payouts.StandardRailDrivers;
import com.fanzfinance.server.payments.payouts.WiseHooks;
import com.fanzfinance.server.payments.reconciliation.AdjustmentLedger;
import com.fanzfinance.server.payments.reconciliation.BalanceChecks;
import com.fanzfinance.server.payments.reconciliation.Reconciliations;

/**
 * The payments half of the server, running: its database pool (a schema beside the read model), the drivers,
 * merchant accounts, checkouts, revenue shares, the intake, and a background sweep that posts what a crash or
 * an unavailable ledger left waiting, applies parked events and expires checkouts.
 */
public final class Payments implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Payments.class);
    public static final int POOL_SIZE = 16;

    private final HikariDataSource pool;
    private final DSLContext dsl;
    private final ServerConfig.Payments config;
    private final ProcessorDrivers drivers;
    private final MerchantAccounts accounts;
    private final Checkouts checkouts;
    private final RevenueShares shares;
    private final PaymentEvents events;
    private final Intake intake;
    private final Currencies currencies;
    private final ScheduledExecutorService sweeper;
    private final EventsOut eventsOut;
    private final PaymentBalances balances;
    private final Routing routing;
    private final AccountHealth health;
    private final ChargebackMonitor monitor;
    private volatile ProcessorBalances processorBalances;
    private final Payees payees;
    private final Payouts payouts;
    private final PayoutBatches batches;
    private final PayoutSweep payoutSweep;
    private final WiseHooks wiseHooks;
    private final RailRunner railRunner;
    private final Reconciliations reconciliations;
    private final BalanceChecks balanceChecks;
    private final AuditLog auditLog;
    private final Overview overview;
    private volatile Instant balanceChecksRun = Instant.EPOCH;

    /**
     * @param pool      the payments schema's pool (migrated); closed with this
     * @param posting   the posting templates over the ledger
     * @param eventsOut the outbox, its feed and publisher (started and closed with this)
     * @param payoutLedger the payouts' holds, posts, voids and reversals over the ledger
     */
    public Payments(HikariDataSource pool, ServerConfig.Payments config, String publicBaseUrl, SecretBox box,
                    ProcessorDrivers drivers, Currencies currencies, Posting posting, EventsOut eventsOut,
                    PaymentBalances balances, PayoutLedger payoutLedger, AdjustmentLedger adjustmentLedger) {
        this.balances = balances;
        EventSink sink = (tx, tenant, type, subject, dataJson) -> tx.connection(connection ->
            eventsOut.outbox().append(connection, tenant, type, subject, dataJson));
        this.pool = pool;
        this.config = config;
        this.dsl = DSL.using(pool, SQLDialect.POSTGRES);
        this.drivers = drivers;
        this.currencies = currencies;
        this.accounts = new MerchantAccounts(dsl, box, drivers, currencies, publicBaseUrl, RailAccounts.all());
        this.shares = new RevenueShares(dsl, config.platformShareBp());
        this.routing = new Routing(dsl);
        this.health = new AccountHealth(dsl);
        this.checkouts = new Checkouts(dsl, accounts, drivers, currencies, new ProviderCalls(config.providerCalls()),
            Duration.ofHours(config.checkoutTtlHours()), sink, routing, health);
        this.events = new PaymentEvents(dsl);
        this.intake = new Intake(events, accounts, drivers, currencies, shares, posting, sink,
            Duration.ofDays(config.parkedDays()));
        this.monitor = new ChargebackMonitor(dsl, accounts, health, sink);
        this.intake.onChargebackPosted(account -> monitor.check(account, Instant.now()));
        this.eventsOut = eventsOut;
        this.payees = new Payees(dsl, box, currencies);
        this.payouts = new Payouts(dsl, payees, accounts, currencies, payoutLedger, sink, java.time.Clock.systemUTC());
        this.batches = new PayoutBatches(dsl, payouts, payees, accounts, sink, config.payoutBatchMax(), box);
        this.payoutSweep = new PayoutSweep(dsl, payouts, payees, accounts, config.payoutWeeklyAt(),
            Duration.ofSeconds(config.payoutRecoverySeconds()));
        this.wiseHooks = new WiseHooks(dsl, payouts, currencies, Duration.ofDays(config.parkedDays()),
            java.time.Clock.systemUTC());
        java.time.Duration railTimeout = Duration.ofSeconds(config.railTimeoutSeconds());
        this.railRunner = new RailRunner(dsl, payouts, payees, accounts, currencies, new StandardRailDrivers(
            new ServerRailHttp(new com.fanzfinance.payouts.rail.JdkRailHttp(Duration.ofSeconds(10).compareTo(railTimeout) < 0
                ? Duration.ofSeconds(10) : railTimeout, railTimeout, 1 << 20), config.providerCalls()), dsl),
            java.time.Clock.systemUTC(), wiseHooks, config.providerCalls());
        this.reconciliations = new Reconciliations(dsl, accounts, currencies, adjustmentLedger, sink,
            config.reconMaxLines());
        this.balanceChecks = new BalanceChecks(dsl, accounts, currencies, sink, config.reconInTransitDays());
        this.auditLog = new AuditLog(dsl);
        this.overview = new Overview(dsl, accounts, health);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "payments-sweeper");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the background sweep (first run at once: events a crash left {@code received} are posted now). */
    public Payments start() {
        eventsOut.start();
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, 0, 1, TimeUnit.SECONDS);
        railRunner.start();
        LOG.info("payments on: drivers {}", drivers.all().keySet());
        return this;
    }

    private void sweepQuietly() {
        try {
            sweep(Instant.now());
        } catch (RuntimeException e) {
            LOG.warn("payments sweep failed: {}", e.toString());
        }
    }

    /** One pass of the background work (also called by tests). */
    public int sweep(Instant now) {
        int moved = intake.sweep(now);
        monitor.checkAllIfDue(now);
        moved += payoutSweep.run(now);
        if (!now.isBefore(balanceChecksRun.plusSeconds(60))) {
            balanceChecksRun = now;
            try {
                moved += balanceChecks.daily(now);
            } catch (RuntimeException e) {
                // the checks wait for the next pass; checkouts still expire below
                LOG.warn("balance checks failed: {}", e.toString());
            }
        }
        return moved + checkouts.expire(now, 500);
    }

    public Reconciliations reconciliations() {
        return reconciliations;
    }

    public BalanceChecks balanceChecks() {
        return balanceChecks;
    }

    /** The audit log of actions (kept in this schema: with payments off there is none). */
    public AuditLog auditLog() {
        return auditLog;
    }

    public Overview overview() {
        return overview;
    }

    public Payees payees() {
        return payees;
    }

    public Payouts payouts() {
        return payouts;
    }

    public PayoutBatches batches() {
        return batches;
    }

    public WiseHooks wiseHooks() {
        return wiseHooks;
    }

    public RailRunner railRunner() {
        return railRunner;
    }

    public PayoutSweep payoutSweep() {
        return payoutSweep;
    }

    public ProcessorDrivers drivers() {
        return drivers;
    }

    public MerchantAccounts accounts() {
        return accounts;
    }

    public Checkouts checkouts() {
        return checkouts;
    }

    public RevenueShares shares() {
        return shares;
    }

    public PaymentEvents events() {
        return events;
    }

    public Intake intake() {
        return intake;
    }

    public Currencies currencies() {
        return currencies;
    }

    public ServerConfig.Payments config() {
        return config;
    }

    /** The day-by-day processor balances, when the read model is given (see {@link #withReadModel}). */
    public java.util.Optional<ProcessorBalances> processorBalances() {
        return java.util.Optional.ofNullable(processorBalances);
    }

    /** Gives the payments half the read model, for the processor balances that read point-in-time balances. */
    public Payments withReadModel(com.fanzfinance.server.readmodel.ReadModel readModel) {
        this.processorBalances = readModel == null ? null : new ProcessorBalances(readModel, dsl, currencies);
        this.balanceChecks.readModel(readModel);
        return this;
    }

    public Routing routing() {
        return routing;
    }

    public AccountHealth health() {
        return health;
    }

    public ChargebackMonitor monitor() {
        return monitor;
    }

    public PaymentBalances balances() {
        return balances;
    }

    public EventsOut eventsOut() {
        return eventsOut;
    }

    public DSLContext dsl() {
        return dsl;
    }

    @Override
    public void close() {
        railRunner.close();
        sweeper.shutdownNow();
        try {
            sweeper.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        eventsOut.close();
        pool.close();
    }
}
