package com.fanzfinance.server.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.LongFunction;

import org.agrona.DirectBuffer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.CreateTransferStatus;
import com.fanzfinance.ledger.command.ResultLayout;
import com.fanzfinance.ledger.engine.EngineHealth;
import com.fanzfinance.ledger.engine.Ledger;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.ledger.state.Prefaulter;
import com.fanzfinance.ledger.state.StoreReleaser;
import com.fanzfinance.server.readmodel.Projector;

/**
 * The server's Prometheus metrics: HTTP requests by route and status (with latency histograms), the
 * command ring's depth, journal sync latency, events per write, accounts and transfers by status, and
 * the engine's counters; plus the usual JVM meters.
 */
public final class ServerMetrics implements AutoCloseable {
    private static final Duration[] LATENCY_SLOS = {Duration.ofNanos(100_000), Duration.ofNanos(250_000),
        Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final DistributionSummary batchEvents;
    private final Counter auditWriteFailures;
    private final AtomicReferenceArray<Counter> transfersByStatus =
        new AtomicReferenceArray<>(CreateTransferStatus.values().length);
    private final AtomicReferenceArray<Counter> accountsByStatus =
        new AtomicReferenceArray<>(CreateAccountStatus.values().length);

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        batchEvents = DistributionSummary.builder("fanz.ledger.batch.events")
            .description("events per write request")
            .serviceLevelObjectives(1, 10, 100, 1000, 4096, 8189)
            .register(registry);
        auditWriteFailures = Counter.builder("fanz.audit.write.failures")
            .description("actions the audit log could not record (each logged at ERROR with its request id)")
            .register(registry);
    }

    /** Meters read from the engine and the read model's projector (null when it is off); call once both are open. */
    public void bind(Ledger engine, Projector projector) {
        if (projector != null) {
            Gauge.builder("fanz.readmodel.lag.commands", projector, Projector::lagCommands)
                .description("commands the ledger has published that the read model does not hold yet").register(registry);
            Gauge.builder("fanz.readmodel.lag", projector, Projector::lagSeconds).baseUnit("seconds")
                .description("time the read model is behind the ledger (0 when caught up)").register(registry);
            Gauge.builder("fanz.readmodel.position", projector, p -> p.position().command())
                .description("last command projected into the read model").register(registry);
            Gauge.builder("fanz.readmodel.failing", projector, p -> p.lastFailure() == null ? 0 : 1)
                .description("1 while the projector is retrying after a database failure").register(registry);
        }
        EngineHealth health = engine.health();
        Gauge.builder("fanz.ledger.ring.depth", engine, Ledger::ringDepth)
            .description("commands waiting in the command ring").register(registry);
        Gauge.builder("fanz.ledger.ring.size", engine, Ledger::ringSize)
            .description("slots in the command ring").register(registry);
        Timer syncs = Timer.builder("fanz.journal.sync")
            .description("latency of one journal group commit (write + fdatasync)")
            .serviceLevelObjectives(LATENCY_SLOS)
            .register(registry);
        health.observeSyncs(nanos -> syncs.record(nanos, TimeUnit.NANOSECONDS));
        FunctionCounter.builder("fanz.ledger.commands.applied", health, EngineHealth::commandsApplied)
            .description("commands applied by the state machine").register(registry);
        FunctionCounter.builder("fanz.ledger.events.applied", health, EngineHealth::eventsApplied)
            .description("accounts and transfers applied by the state machine").register(registry);
        FunctionCounter.builder("fanz.ledger.snapshots", health, EngineHealth::snapshotsWritten)
            .description("snapshots taken").register(registry);
        FunctionCounter.builder("fanz.ledger.snapshot.failures", health, EngineHealth::snapshotFailures)
            .description("snapshots whose writing failed (the journal still holds everything)").register(registry);
        Gauge.builder("fanz.ledger.snapshot.last.capture", health, h -> h.lastSnapshotNanos() / 1e9)
            .baseUnit("seconds")
            .description("time the business thread spent capturing the last snapshot").register(registry);
        Gauge.builder("fanz.ledger.failed", health, h -> h.failure() == null ? 0 : 1)
            .description("1 once the engine has stopped after a failure").register(registry);
        Prefaulter prefaulter = Prefaulter.shared();
        FunctionCounter.builder("fanz.ledger.prefault.pages", prefaulter, Prefaulter::pagesRequested)
            .description("OS pages of the mapped stores, the event stream and the journal faulted in ahead of their writers")
            .register(registry);
        Gauge.builder("fanz.ledger.prefault.enabled", prefaulter, p -> p.enabled() ? 1 : 0)
            .description("1 unless faulting pages in ahead is off or was found unavailable (Linux 5.14+, fanz.prefault not false)")
            .register(registry);
        FunctionCounter.builder("fanz.ledger.store.release.failures", StoreReleaser.class,
                releaser -> StoreReleaser.failedReleases())
            .description("replaced transfer id index tables whose file could not be deleted (deleted at the next start)")
            .register(registry);
    }

    /** Times one HTTP request. {@code route} is the route template, never the raw path (bounded tags). */
    public void recordRequest(String method, String route, int status, long nanos) {
        Timer.builder("fanz.http.requests")
            .description("HTTP requests")
            .tags("method", method, "route", route, "status", Integer.toString(status))
            .serviceLevelObjectives(LATENCY_SLOS)
            .register(registry)
            .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts an action the audit log could not record. */
    public void recordAuditWriteFailure() {
        auditWriteFailures.increment();
    }

    public void recordBatch(int events) {
        batchEvents.record(events);
    }

    /** Counts the statuses in {@code count} 16-byte transfer results. */
    public void recordTransfers(DirectBuffer results, int count) {
        countStatuses(results, count, code -> {
            CreateTransferStatus status = CreateTransferStatus.ofCode(code);
            return counter(transfersByStatus, status.ordinal(), "fanz.ledger.transfers", status.wireName());
        });
    }

    /** Counts the statuses in {@code count} 16-byte account results. */
    public void recordAccounts(DirectBuffer results, int count) {
        countStatuses(results, count, code -> {
            CreateAccountStatus status = CreateAccountStatus.ofCode(code);
            return counter(accountsByStatus, status.ordinal(), "fanz.ledger.accounts", status.wireName());
        });
    }

    /**
     * Adds each run of equal statuses to its counter at once: a full batch is mostly one status, so its answer
     * makes a few counter increments instead of 8,189.
     */
    private static void countStatuses(DirectBuffer results, int count, LongFunction<Counter> counterOf) {
        int runStart = 0;
        for (int i = 1; i <= count; i++) {
            if (i == count || statusCode(results, i) != statusCode(results, runStart)) {
                counterOf.apply(statusCode(results, runStart)).increment(i - runStart);
                runStart = i;
            }
        }
    }

    private static long statusCode(DirectBuffer results, int index) {
        return results.getInt(index * ResultLayout.SIZE + ResultLayout.STATUS) & 0xFFFF_FFFFL;
    }

    private Counter counter(AtomicReferenceArray<Counter> counters, int ordinal, String name, String status) {
        Counter counter = counters.get(ordinal);
        if (counter == null) {
            counter = Counter.builder(name).description("create events by status").tag("status", status).register(registry);
            counters.set(ordinal, counter);
        }
        return counter;
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }

    public String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
