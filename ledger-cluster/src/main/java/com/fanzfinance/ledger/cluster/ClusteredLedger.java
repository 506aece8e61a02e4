package com.fanzfinance.ledger.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.engine.CommandOutcome;
import com.fanzfinance.ledger.engine.CommandTooLargeException;
import com.fanzfinance.ledger.engine.EngineHealth;
import com.fanzfinance.ledger.engine.Ledger;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.ledger.engine.LedgerFailedException;
import com.fanzfinance.ledger.engine.StateMachine;
import com.fanzfinance.ledger.journal.CommandType;

/**
 * A member of a clustered ledger, used as a {@link Ledger}: writes go through the cluster (to whichever
 * member leads) and complete once a majority has them on disk and the leader has applied them; reads run
 * on this member's own replica, after every write this member has had acknowledged (so a caller reads
 * its own writes, whichever member led them).
 */
public final class ClusteredLedger implements Ledger, AutoCloseable {
    private static final long QUERY_TIMEOUT_SECONDS = 30;
    private static final long RECORDED_POLL_MILLIS = 5;
    private static final long SNAPSHOT_TIMEOUT_SECONDS = 60;

    private final ClusterNode node;
    private final ClusterIngress ingress;

    private ClusteredLedger(ClusterNode node, ClusterIngress ingress) {
        this.node = node;
        this.ingress = ingress;
    }

    /**
     * Starts this member and waits (up to {@code startTimeout}) until its service has loaded its snapshot and
     * the log it holds; the cluster itself serves once a majority of members is up.
     */
    public static ClusteredLedger start(ClusterSettings settings, StateMachineConfig machineConfig, Duration requestTimeout,
                                        Duration startTimeout) {
        ClusterNode node = ClusterNode.start(settings, machineConfig);
        try {
            node.awaitStarted(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
            ClusterIngress ingress = new ClusterIngress(settings, node.aeronDirectory(), requestTimeout.toNanos());
            return new ClusteredLedger(node, ingress);
        } catch (RuntimeException | Error e) {
            node.close();
            throw e;
        }
    }

    public ClusterNode node() {
        return node;
    }

    /**
     * Sends the command to the leader through this member's cluster session, once checked: its shape as a
     * single node checks it, and that it fits one message.
     */
    @Override
    public CompletableFuture<CommandOutcome> submitCommand(CommandType type, DirectBuffer records, int offset, int count,
                                                           DirectBuffer tenants, int tenantsOffset, int tenantCount,
                                                           DirectBuffer sideData, int sideDataOffset, int sideDataLength,
                                                           MutableDirectBuffer results, int resultsOffset) {
        LedgerEngine.requireWellFormed(type, records, offset, count, sideData, sideDataOffset, sideDataLength, results,
            resultsOffset);
        Throwable failure = health().failure();
        if (failure != null) {
            throw new LedgerFailedException("this cluster member has stopped after a failure", failure);
        }
        int eventsLength = count * ClusterProtocol.EVENT_BYTES;
        int tenantsLength = tenantCount * Integer.BYTES;
        long length = (long) ClusterProtocol.REQUEST_HEADER + eventsLength + tenantsLength + sideDataLength;
        if (length > ClusterProtocol.REQUEST_BYTES_MAX) {
            throw new CommandTooLargeException("a clustered ledger takes commands of at most "
                + ClusterProtocol.REQUEST_BYTES_MAX + " bytes (events, tenants and metadata); this one is " + length);
        }
        UnsafeBuffer message = new UnsafeBuffer(new byte[(int) length]);
        message.putInt(ClusterProtocol.TYPE, type.code());
        message.putInt(ClusterProtocol.EVENT_COUNT, count);
        message.putInt(ClusterProtocol.TENANT_COUNT, tenantCount);
        message.putInt(ClusterProtocol.SIDE_DATA_LENGTH, sideDataLength);
        int at = ClusterProtocol.REQUEST_HEADER;
        if (eventsLength > 0) {
            message.putBytes(at, records, offset, eventsLength);
        }
        at += eventsLength;
        if (tenantsLength > 0) {
            message.putBytes(at, tenants, tenantsOffset, tenantsLength);
        }
        at += tenantsLength;
        if (sideDataLength > 0) {
            message.putBytes(at, sideData, sideDataOffset, sideDataLength);
        }
        return ingress.send(message).thenApply(answer -> {
            if (answer.outcome() == ClusterProtocol.REFUSED) {
                throw new IllegalArgumentException("the cluster refused the command: " + answer.refusal());
            }
            if (answer.results().length > 0) {
                results.putBytes(resultsOffset, answer.results());
            }
            return CommandOutcome.values()[answer.outcome()];
        });
    }

    @Override
    public <T> CompletableFuture<T> query(Function<StateMachine, T> read) {
        return node.service().query(read, ingress.acknowledgedCommands()).orTimeout(QUERY_TIMEOUT_SECONDS,
            TimeUnit.SECONDS);
    }

    /**
     * Asks for a cluster-wide snapshot (through the leader, which puts it in the log) and completes when
     * this member has written its part and its consensus module has recorded it (a restart from then on
     * loads it). The other members take theirs at the same log position, each in its own time.
     */
    @Override
    public CompletableFuture<Path> snapshot() {
        long recordedBefore;
        try {
            recordedBefore = node.snapshotsRecorded();
        } catch (IllegalStateException closed) {
            return CompletableFuture.failedFuture(closed);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SNAPSHOT_TIMEOUT_SECONDS);
        CompletableFuture<Path> written = node.service().nextSnapshot();
        ingress.requestSnapshot();
        return written.copy().thenCompose(file -> recordedAfter(recordedBefore, deadline, file)).orTimeout(
            SNAPSHOT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    private CompletableFuture<Path> recordedAfter(long recordedBefore, long deadline, Path file) {
        if (node.snapshotsRecorded() > recordedBefore) {
            return CompletableFuture.completedFuture(file);
        }
        if (System.nanoTime() > deadline) {
            return CompletableFuture.failedFuture(new IllegalStateException("the snapshot " + file
                + " was written but its recording was not seen within " + SNAPSHOT_TIMEOUT_SECONDS + " s"));
        }
        return CompletableFuture.supplyAsync(() -> file,
            CompletableFuture.delayedExecutor(RECORDED_POLL_MILLIS, TimeUnit.MILLISECONDS))
            .thenCompose(same -> recordedAfter(recordedBefore, deadline, same));
    }

    @Override
    public EngineHealth health() {
        return node.service().replica().health();
    }

    @Override
    public long lastPublishedCommand() {
        return node.service().replica().eventsWrittenThrough();
    }

    /** Requests sent to the cluster and not yet answered. */
    @Override
    public long ringDepth() {
        return ingress.pending();
    }

    /** The most requests this member sends to the cluster before callers wait. */
    @Override
    public int ringSize() {
        return ClusterIngress.PENDING_MAX;
    }

    @Override
    public long clockNanos() {
        return com.fanzfinance.ledger.config.WallClock.nanos().getAsLong();
    }

    /** Where this member's event stream is, for a read model that follows it. */
    public Path eventsDirectory() {
        return node.settings().directory().resolve("events");
    }

    /** Commands this member has applied (the next command's number). */
    public long appliedCommands() {
        return node.service().replica().appliedCommands();
    }

    /** This member's view: its number, role, the leader it knows, commands applied and the chain's head. */
    public ClusterStatus status() {
        var replica = node.service().replica();
        return new ClusterStatus(node.settings().nodeId(), node.role(), node.leaderMember(), replica.appliedCommands(),
            replica.eventsWrittenThrough(), node.snapshotsTaken());
    }

    /**
     * The chain head and state hash at the same command, computed together on the service's thread: two
     * members that report the same command number must report the same two hashes.
     */
    public CompletableFuture<ReplicaHashes> hashes() {
        var replica = node.service().replica();
        return node.service().query(machine -> new ReplicaHashes(replica.appliedCommands(), replica.chainHead(),
            machine.stateHash()), 0).orTimeout(QUERY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    @Override
    public void close(boolean snapshot) {
        ingress.close();
        node.close();
    }

    @Override
    public void close() {
        close(false);
    }
}
