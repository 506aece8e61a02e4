package com.fanzfinance.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.ledger.engine.DataDirectoryLock;
import com.fanzfinance.ledger.cluster.ClusterSettings;
import com.fanzfinance.ledger.cluster.ClusteredLedger;
import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.engine.Ledger;
import com.fanzfinance.ledger.engine.LedgerBusyException;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.ledger.engine.StateMachine;
import com.fanzfinance.ledger.engine.LimitBelowHoldingsException;
import com.fanzfinance.server.auth.ApiKey;
import com.fanzfinance.server.auth.KeyStore;
import com.fanzfinance.server.auth.Scope;
import com.fanzfinance.server.auth.TenantRegistry;
import com.fanzfinance.server.config.ServerConfig;
import com.fanzfinance.server.http.LedgerHttpServer;
import com.fanzfinance.server.metrics.ServerMetrics;
import com.fanzfinance.gateway.ProcessorDrivers;
import com.fanzfinance.server.payments.Currencies;
import com.fanzfinance.server.payments.LedgerPosting;
import com.fanzfinance.server.payments.PaymentBalances;
import com.fanzfinance.server.payments.Payments;
import com.fanzfinance.server.payments.payouts.PayoutLedger;
import com.fanzfinance.server.payments.reconciliation.AdjustmentLedger;
import com.fanzfinance.server.payments.posting.EngineLedgerPort;
import com.fanzfinance.server.payments.Posting;
import com.fanzfinance.server.payments.SecretBox;
import com.fanzfinance.server.payments.events.EventsOut;
import com.fanzfinance.server.readmodel.ReadModel;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The whole service: locks the data directory, recovers the engine (on a thread of its own, while it makes sure
 * there is an admin key and starts listening), and then takes commands. {@link #close} shuts down in order — stop
 * taking requests, answer the ones in flight, snapshot, close the journal, unlock.
 */
public final class LedgerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerServer.class);
    static final String ADMIN_KEY_FILE = "admin.key";

    private final DataDirectoryLock lock;
    private final ServerMetrics metrics;
    private final LedgerHttpServer http;
    private final Ledger engine;
    private final ReadModel readModel;
    private final Payments payments;
    private boolean closed;

    private LedgerServer(DataDirectoryLock lock, ServerMetrics metrics, LedgerHttpServer http, Ledger engine,
                         ReadModel readModel, Payments payments) {
        this.payments = payments;
        this.lock = lock;
        this.metrics = metrics;
        this.http = http;
        this.engine = engine;
        this.readModel = readModel;
    }

    /** Starts the service and returns once it is ready (recovery done); throws if it cannot start. */
    public static LedgerServer start(ServerConfig config) {
        DataDirectoryPermissions.secure(config.dataDirectory());
        DataDirectoryLock lock = DataDirectoryLock.acquire(config.dataDirectory());
        ServerMetrics metrics = new ServerMetrics();
        LedgerHttpServer http = null;
        EngineOpening opening = null;
        try {
            // A single-node engine recovers on a thread of its own while the keys are read and the HTTP server
            // starts (a second of a restart, most of it class loading and Jetty); a cluster member needs the
            // server first.
            opening = config.cluster().enabled() ? null : EngineOpening.begin(config, lock);
            KeyStore keys = new KeyStore(config.dataDirectory());
            TenantRegistry tenants = new TenantRegistry(config.dataDirectory());
            bootstrapAdminKey(config, keys);
            http = new LedgerHttpServer(config, keys, tenants, metrics).start();
            EngineOpening opened = opening;
            opening = null; // await() ends the opening first, failed or not; an engine it opened is closed below
            Ledger engine;
            long clusterStarted = System.nanoTime();
            if (opened == null) {
                engine = startClusterMember(config, http);
            } else {
                engine = opened.await(http);
            }
            try {
                tenants.attach(engine);
            } catch (RuntimeException | Error e) {
                http.failedToStart("the tenant registry cannot start: " + e.getMessage());
                engine.close(false);
                throw e;
            }
            long recoveryNanos = opened == null ? System.nanoTime() - clusterStarted : opened.nanos();
            LOG.atInfo().addKeyValue("millis", recoveryNanos / 1_000_000)
                .log("recovered: {}", engine instanceof LedgerEngine single ? single.recovery()
                    : ((ClusteredLedger) engine).status());
            ReadModel readModel = null;
            if (config.readModel().enabled()) {
                try {
                    ClusteredLedger member = engine instanceof ClusteredLedger clustered ? clustered : null;
                    java.nio.file.Path events = member != null ? member.eventsDirectory()
                        : config.engine().eventsDirectory();
                    readModel = ReadModel.open(config.readModel(), config.dataDirectory(), events,
                        engine::lastPublishedCommand, member != null);
                } catch (RuntimeException | Error e) {
                    http.failedToStart("the read model cannot start: " + e.getMessage());
                    engine.close(false);
                    throw e;
                }
            }
            Payments payments = null;
            if (config.payments().enabled()) {
                try {
                    payments = openPayments(config, readModel, engine, tenants, http.port());
                } catch (RuntimeException | Error e) {
                    http.failedToStart("payments cannot start: " + e.getMessage());
                    readModel.close();
                    engine.close(false);
                    throw e;
                }
            }
            metrics.bind(engine, readModel == null ? null : readModel.projector());
            http.ready(engine, readModel, payments);
            LOG.info("ready on port {} (data in {})", http.port(), config.dataDirectory().toAbsolutePath());
            if (engine instanceof LedgerEngine single && config.warmUpTransfers() > 0) {
                // Once ready: beside the start's last steps it held up /ready by 0.3 s on two cores.
                startWarmUp(single, config.warmUpTransfers());
            }
            return new LedgerServer(lock, metrics, http, engine, readModel, payments);
        } catch (RuntimeException | Error e) {
            if (opening != null) {
                opening.abandon(e);
            }
            if (http != null) {
                http.close();
            }
            metrics.close();
            lock.close();
            throw e;
        }
    }

    public int port() {
        return http.port();
    }

    /**
     * The single-node engine (its own journal) being opened, and so recovered, on a thread of its own
     * ({@code ledger-recovery}) while the rest of the server starts.
     */
    static final class EngineOpening {
        private final Thread thread;
        private volatile LedgerEngine engine;
        private volatile Throwable failure;
        private volatile long nanos;

        private EngineOpening(ServerConfig config, DataDirectoryLock lock) {
            thread = new Thread(() -> {
                long started = System.nanoTime();
                try {
                    engine = LedgerEngine.open(config.engine(), lock);
                } catch (Throwable e) { // handed to the starting thread, which throws it
                    failure = e;
                } finally {
                    nanos = System.nanoTime() - started;
                }
            }, "ledger-recovery");
        }

        /** How long the opening took, on its own thread (after {@link #await}). */
        long nanos() {
            return nanos;
        }

        static EngineOpening begin(ServerConfig config, DataDirectoryLock lock) {
            EngineOpening opening = new EngineOpening(config, lock);
            opening.thread.start();
            return opening;
        }

        /** The opened engine; if it could not open, says why on {@code /ready} and throws what stopped it. */
        LedgerEngine await(LedgerHttpServer http) {
            join();
            Throwable e = failure;
            if (e == null) {
                return engine;
            }
            if (e instanceof LimitBelowHoldingsException below) {
                String setting = below.limitName().equals("accountsMax") ? "FANZ_ACCOUNTS_MAX" : "FANZ_TRANSFERS_MAX";
                String reason = setting + " is " + below.limit() + ", below the " + below.held()
                    + " the ledger already holds; raise it to at least " + below.held() + " (nothing was changed)";
                http.failedToStart(reason);
                throw new IllegalStateException(reason, e);
            }
            http.failedToStart(String.valueOf(e.getMessage()));
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("the engine cannot open: " + e.getMessage(), e);
        }

        /**
         * Something else stopped the start: waits for the opening to end (the lock is released after) and closes
         * the engine if it opened. A failure of either is added to {@code cause}.
         */
        void abandon(Throwable cause) {
            join();
            if (failure != null) {
                cause.addSuppressed(failure); // never the same: a failure reaches the starting thread only by await()
            } else if (engine != null) {
                try {
                    engine.close(false);
                } catch (RuntimeException | Error e) {
                    cause.addSuppressed(e);
                }
            }
        }

        /** Waits for the thread, keeping an interrupt for later: the engine's files must not outlive the lock. */
        private void join() {
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Starts this server's member of a clustered ledger (its files under {@code <data>/cluster}), then puts the
     * configured limits through the log and waits until this member has applied them: by then it has replayed
     * everything it holds and caught up with the leader, so it serves nothing older than its start. Refuses a
     * data directory that holds a single-node journal: that ledger is not in the cluster's log.
     */
    private static ClusteredLedger startClusterMember(ServerConfig config, LedgerHttpServer http) {
        ServerConfig.Cluster cluster = config.cluster();
        java.nio.file.Path journal = config.engine().journalDirectory();
        if (Files.isDirectory(journal) && !isEmptyDirectory(journal)) {
            String reason = "the data directory holds a single-node journal (" + journal + "): a clustered member"
                + " starts from the cluster's log, not from it; use another FANZ_DATA_DIR";
            http.failedToStart(reason);
            throw new IllegalStateException(reason);
        }
        ClusterSettings settings = new ClusterSettings(cluster.member(), cluster.members(), cluster.basePort(),
            config.dataDirectory().resolve("cluster"), cluster.snapshotInterval(), cluster.heartbeatTimeout(), cluster.mtu());
        ClusteredLedger member;
        try {
            StateMachineConfig machine = config.engine().stateMachine();
            // A member keeps its stores in memory: its durable copy is the log and the snapshots in its archive.
            StateMachineConfig inMemory = new StateMachineConfig(machine.limits(), machine.expectedAccounts(),
                machine.expectedTransfers(), null);
            member = ClusteredLedger.start(settings, inMemory,
                java.time.Duration.ofMillis(config.requestTimeoutMillis()), java.time.Duration.ofMinutes(30));
        } catch (RuntimeException | Error e) {
            http.failedToStart("the cluster member cannot start: " + e.getMessage());
            throw e;
        }
        try {
            LedgerLimits configured = config.engine().stateMachine().limits();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(30);
            while (true) {
                try {
                    LedgerEngine.join(member.submitLimits(configured));
                    break;
                } catch (LedgerBusyException e) {
                    if (System.nanoTime() - deadline > 0) {
                        throw e;
                    }
                    LOG.info("waiting for a majority of the cluster's members to elect a leader ({})", e.getMessage());
                }
            }
            // A read waits for every command this member has had acknowledged: the limits just sent included.
            LedgerLimits inForce = member.read(StateMachine::limits);
            if (!configured.equals(inForce)) {
                throw new IllegalStateException("the cluster's limits are " + inForce + " after setting " + configured);
            }
            return member;
        } catch (RuntimeException | Error e) {
            http.failedToStart("the cluster member cannot set its limits: " + e.getMessage());
            member.close(false);
            throw e;
        }
    }

    private static boolean isEmptyDirectory(java.nio.file.Path directory) {
        try (var entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
    }

    /**
     * The payments half: its schema beside the read model's (same PostgreSQL), the secrets key, the drivers on
     * the class path, the posting templates over the engine and the outbox; started (its first sweep posts what
     * a crash left waiting).
     */
    private static Payments openPayments(ServerConfig config, ReadModel readModel, Ledger engine,
                                         TenantRegistry tenants, int port) {
        ServerConfig.Payments settings = config.payments();
        HikariDataSource pool = readModel.database().openSchema(settings.schema(), "classpath:db/payments",
            "payments", Payments.POOL_SIZE);
        try {
            SecretBox box = SecretBox.open(settings.secretsKey(), config.dataDirectory());
            String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
            String base = settings.publicBaseUrl() != null ? settings.publicBaseUrl() : "http://" + host + ":" + port;
            Currencies currencies = new Currencies(readModel.chart());
            EventsOut eventsOut = new EventsOut(pool, settings);
            Posting posting = new LedgerPosting(engine, tenants);
            return new Payments(pool, settings, base, box, ProcessorDrivers.load(), currencies, posting, eventsOut,
                new PaymentBalances(engine, readModel.chart()),
                new PayoutLedger(new EngineLedgerPort(engine), tenant -> tenants.idOf(tenant).orElseThrow()),
                new AdjustmentLedger(new EngineLedgerPort(engine), tenant -> tenants.idOf(tenant).orElseThrow()))
                .withReadModel(readModel).start();
        } catch (RuntimeException | Error e) {
            pool.close();
            throw e;
        }
    }

    /** The payments half, or null when it is off. */
    public Payments payments() {
        return payments;
    }

    /** The HTTP routes served, as {@code "METHOD /path"}. */
    public java.util.Set<String> routes() {
        return http.routes();
    }

    /** Its HTTP server. */
    public LedgerHttpServer http() {
        return http;
    }

    /** The single-node engine; a clustered server has none (see {@link #ledger()}). */
    public LedgerEngine engine() {
        if (engine instanceof LedgerEngine single) {
            return single;
        }
        throw new IllegalStateException("this server is a member of a clustered ledger; it has no single-node engine");
    }

    /** The ledger this server runs: its own engine, or its member of a clustered ledger. */
    public Ledger ledger() {
        return engine;
    }

    /** The read model, or null when it is off. */
    public ReadModel readModel() {
        return readModel;
    }

    /**
     * Makes sure an admin key exists: {@code FANZ_ADMIN_KEY} if set (revoking the key an earlier value of
     * it made); otherwise, if there is no active admin key, a new one written to {@code <data>/admin.key}
     * (owner-only). The log says where the key is, never what it is.
     */
    static void bootstrapAdminKey(ServerConfig config, KeyStore keys) {
        if (config.adminKey() != null) {
            KeyStore.Adopted adopted = keys.adoptFromEnvironment(config.adminKey());
            for (ApiKey revoked : adopted.revoked()) {
                LOG.warn("FANZ_ADMIN_KEY changed: revoked {}, the key its previous value made", revoked.id());
            }
            if (adopted.isNew()) {
                LOG.info("admin key {} is FANZ_ADMIN_KEY", adopted.key().id());
            }
            return;
        }
        if (keys.hasActiveAdmin()) {
            return;
        }
        KeyStore.Created created = keys.create("bootstrap-admin", Set.of(Scope.ADMIN), Set.of());
        Path file = config.dataDirectory().resolve(ADMIN_KEY_FILE).toAbsolutePath().normalize();
        writeOwnerOnly(file, created.secret() + "\n");
        LOG.warn("generated an admin key, {}: its secret is in {} (mode 600), not in this log",
            created.key().id(), file);
    }

    /** Writes a new owner-only file (0600 from its creation), replacing any file of that name. */
    private static void writeOwnerOnly(Path file, String content) {
        try {
            Files.deleteIfExists(file);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * The JIT's warm-up beside the start (docs/ledger-server.md, "Start-up order"): synthetic transfers applied to a
     * throwaway ledger on a thread of its own while this one serves. Its end is logged; a failure is logged and
     * changes nothing else.
     */
    private static void startWarmUp(LedgerEngine engine, long transfers) {
        long started = System.nanoTime();
        java.util.concurrent.CompletableFuture<LedgerEngine.EngineWarmUpResult> done;
        try {
            done = engine.warmUp(transfers);
        } catch (RuntimeException | Error e) { // a thread that cannot be started, say: the ledger serves on
            LOG.warn("the JIT warm-up could not start (the ledger is unaffected)", e);
            return;
        }
        done.whenComplete((result, failure) -> {
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (failure != null) {
                LOG.warn("the JIT warm-up failed after {} ms (the ledger is unaffected)", millis, failure);
            } else {
                LOG.atInfo().addKeyValue("millis", millis).log("warm-up done: {} synthetic transfers applied to a"
                    + " throwaway ledger", result.applied());
            }
        });
    }

    /** Graceful stop: drain HTTP, snapshot, close the journal, unlock. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("shutting down: draining requests");
        if (payments != null) {
            payments.eventsOut().feed().stopWaiting();
        }
        http.close();
        if (payments != null) {
            payments.close();
        }
        if (readModel != null) {
            readModel.close();
        }
        LOG.info("shutting down: final snapshot and journal close");
        engine.close(true);
        if (engine instanceof LedgerEngine single) {
            String notSaved = single.transferIdIndexNotSaved();
            if (notSaved == null) {
                LOG.info("the transfer id index is saved: the next start keeps it instead of rebuilding it");
            } else {
                LOG.info("the transfer id index is not saved ({}): the next start rebuilds it", notSaved);
            }
        }
        metrics.close();
        lock.close();
        LOG.info("stopped");
    }
}
