package com.fanzfinance.server.readmodel;

import java.nio.file.Path;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.server.config.ServerConfig;

/**
 * The running read model: its database, the projector that keeps it current, and the chart of accounts
 * its reports classify by. Opened after the engine has recovered (the projector tails the engine's
 * event stream); closed after the HTTP server has drained.
 */
public final class ReadModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadModel.class);

    private final ReadModelDatabase database;
    private final Projector projector;
    private final ChartOfAccounts chart;
    private final ReadAdmission admission;

    private ReadModel(ReadModelDatabase database, Projector projector, ChartOfAccounts chart, ReadAdmission admission) {
        this.database = database;
        this.projector = projector;
        this.chart = chart;
        this.admission = admission;
    }

    /** Connects (or starts the embedded PostgreSQL), migrates, and starts projecting. */
    public static ReadModel open(ServerConfig.ReadModel config, Path dataDirectory, Path eventsDirectory,
                                 LongSupplier lastPublishedCommand) {
        return open(config, dataDirectory, eventsDirectory, lastPublishedCommand, false);
    }

    /**
     * As above; {@code followsReplica}: the event stream is a cluster member's, which may still be catching up
     * with what another member's projector already wrote (see {@link Projector}).
     */
    public static ReadModel open(ServerConfig.ReadModel config, Path dataDirectory, Path eventsDirectory,
                                 LongSupplier lastPublishedCommand, boolean followsReplica) {
        ChartOfAccounts chart = ChartOfAccounts.load(config.chartFile());
        ReadModelDatabase database = ReadModelDatabase.open(config, dataDirectory);
        try {
            Projector projector = new Projector(database.dataSource(), eventsDirectory, lastPublishedCommand, followsReplica,
                database.writerConnections()).start();
            LOG.info("read model in schema {} of {} PostgreSQL at command {}", config.schema(),
                database.isEmbedded() ? "the embedded" : "the configured", projector.position().command());
            return new ReadModel(database, projector, chart,
                new ReadAdmission(config.readsPerKeyMax(), config.readTimeoutMillis()));
        } catch (RuntimeException | Error e) {
            database.close();
            throw e;
        }
    }

    public Projector projector() {
        return projector;
    }

    public ChartOfAccounts chart() {
        return chart;
    }

    /**
     * Runs {@code work} on one consistent, read-only snapshot of the read model, on a reader connection
     * (never the projector's), with every statement and every idle moment bounded by the time box.
     */
    public <T> T read(ReadModelQueries.Work<T> work) {
        return ReadModelQueries.read(database.readerDataSource(), admission.timeBoxMillis(), work);
    }

    /** Per-key limits and time boxes of read-model requests. */
    public ReadAdmission admission() {
        return admission;
    }

    public ReadModelDatabase database() {
        return database;
    }

    @Override
    public void close() {
        admission.close();
        projector.close();
        database.close();
    }
}
