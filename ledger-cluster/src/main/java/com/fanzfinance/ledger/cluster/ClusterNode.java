package com.fanzfinance.ledger.cluster;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.agrona.CloseHelper;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NoOpLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.ledger.config.StateMachineConfig;

import io.aeron.archive.Archive;
import io.aeron.archive.ArchiveThreadingMode;
import io.aeron.archive.client.AeronArchive;
import io.aeron.cluster.ClusterControl;
import io.aeron.cluster.ClusteredMediaDriver;
import io.aeron.cluster.ConsensusModule;
import io.aeron.cluster.NanosecondClusterClock;
import io.aeron.cluster.codecs.AdminRequestType;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredServiceContainer;
import io.aeron.driver.MediaDriver;
import io.aeron.driver.ThreadingMode;
import io.aeron.security.AuthorisationService;

/**
 * One member of a clustered ledger in this process: an Aeron media driver, archive (the member's durable
 * copy of the log, fsynced on every write) and consensus module, plus the ledger service.
 *
 * <p>A command is applied by a member only once a majority of members have it in their archives on disk
 * (Raft's commit), and the leader answers its client only then. Snapshots are cluster-wide (every member
 * takes one at the same log position); the leader asks for one every {@link ClusterSettings#snapshotInterval()}.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    private final ClusterSettings settings;
    private final LedgerClusteredService service;
    private final ClusteredMediaDriver driver;
    private final ClusteredServiceContainer container;
    private final String aeronDirectory;
    private final ScheduledExecutorService snapshots;
    private final Object closeLock = new Object();
    private boolean closed;

    private ClusterNode(ClusterSettings settings, LedgerClusteredService service, ClusteredMediaDriver driver,
                        ClusteredServiceContainer container, String aeronDirectory) {
        this.settings = settings;
        this.service = service;
        this.driver = driver;
        this.container = container;
        this.aeronDirectory = aeronDirectory;
        this.snapshots = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ledger-cluster-snapshots");
            thread.setDaemon(true);
            return thread;
        });
        long every = settings.snapshotInterval().toMillis();
        if (every > 0) {
            snapshots.scheduleWithFixedDelay(this::snapshotIfLeader, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Starts this member: it joins (or, with the others, elects) a leader and loads its newest snapshot and
     * log. Returns at once; {@link #awaitStarted} waits for the service to be taking the log.
     */
    public static ClusterNode start(ClusterSettings settings, StateMachineConfig machineConfig) {
        Path directory = settings.directory().toAbsolutePath();
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + directory, e);
        }
        clearMarkFiles(directory.resolve("archive"));
        clearMarkFiles(directory.resolve("cluster"));
        String aeronDirectory = aeronDirectoryFor(directory);
        String host = settings.host();
        long heartbeatTimeoutNanos = settings.heartbeatTimeout().toNanos();

        MediaDriver.Context driverContext = new MediaDriver.Context()
            .aeronDirectoryName(aeronDirectory)
            .threadingMode(ThreadingMode.SHARED)
            .sharedIdleStrategy(idle())
            .termBufferSparseFile(true)
            .dirDeleteOnStart(true)
            .dirDeleteOnShutdown(true);

        Archive.Context archiveContext = new Archive.Context()
            .aeronDirectoryName(aeronDirectory)
            .archiveDir(directory.resolve("archive").toFile())
            .controlChannel("aeron:udp?endpoint=" + settings.endpoint(settings.nodeId(), ClusterSettings.ARCHIVE_CONTROL))
            .archiveClientContext(new AeronArchive.Context().controlResponseChannel("aeron:udp?endpoint=" + host + ":0"))
            .localControlChannel("aeron:ipc?term-length=64k")
            .replicationChannel("aeron:udp?endpoint=" + host + ":0")
            .recordingEventsEnabled(false)
            .threadingMode(ArchiveThreadingMode.SHARED)
            .idleStrategySupplier(ClusterNode::idle)
            // The log is the ledger's journal: every write reaches the disk before it counts toward a commit.
            .fileSyncLevel(1)
            .catalogFileSyncLevel(1);

        AeronArchive.Context localArchive = new AeronArchive.Context()
            .lock(NoOpLock.INSTANCE)
            .controlRequestChannel(archiveContext.localControlChannel())
            .controlResponseChannel(archiveContext.localControlChannel())
            .aeronDirectoryName(aeronDirectory);

        File clusterDirectory = directory.resolve("cluster").toFile();
        ConsensusModule.Context consensusContext = new ConsensusModule.Context()
            .clusterMemberId(settings.nodeId())
            .clusterMembers(settings.clusterMembers())
            .clusterDir(clusterDirectory)
            .aeronDirectoryName(aeronDirectory)
            .ingressChannel("aeron:udp?" + settings.streamParameters())
            .logChannel("aeron:udp?" + settings.streamParameters() + "|control-mode=manual|control="
                + settings.endpoint(settings.nodeId(), ClusterSettings.LOG_CONTROL))
            .replicationChannel("aeron:udp?endpoint=" + host + ":0")
            .archiveContext(localArchive.clone())
            .clusterClock(new NanosecondClusterClock())
            .idleStrategySupplier(ClusterNode::idle)
            .fileSyncLevel(1)
            .leaderHeartbeatTimeoutNs(heartbeatTimeoutNanos)
            .leaderHeartbeatIntervalNs(Math.max(heartbeatTimeoutNanos / 10, TimeUnit.MILLISECONDS.toNanos(20)))
            .electionTimeoutNs(Math.max(heartbeatTimeoutNanos / 2, TimeUnit.MILLISECONDS.toNanos(250)))
            .startupCanvassTimeoutNs(Math.max(heartbeatTimeoutNanos * 5, TimeUnit.SECONDS.toNanos(5)))
            .sessionTimeoutNs(Math.max(heartbeatTimeoutNanos * 5, TimeUnit.SECONDS.toNanos(10)))
            // Clients may ask for a snapshot (the admin endpoint does); nothing else is an admin action.
            .authorisationServiceSupplier(() -> (protocolId, actionId, type, principal) ->
                type == AdminRequestType.SNAPSHOT)
            .errorHandler(error -> LOG.warn("consensus module: {}", error.toString()));

        LedgerClusteredService service = new LedgerClusteredService(directory, machineConfig);
        ClusteredServiceContainer.Context serviceContext = new ClusteredServiceContainer.Context()
            .aeronDirectoryName(aeronDirectory)
            .archiveContext(localArchive.clone())
            .clusterDir(clusterDirectory)
            .clusteredService(service)
            .idleStrategySupplier(ClusterNode::idle)
            .errorHandler(error -> LOG.error("ledger service: {}", error.toString(), error));

        ClusteredMediaDriver driver = null;
        try {
            driver = ClusteredMediaDriver.launch(driverContext, archiveContext, consensusContext);
            ClusteredServiceContainer container = ClusteredServiceContainer.launch(serviceContext);
            LOG.info("cluster member {} of {} started on {} (ports from {})", settings.nodeId(), settings.hosts().size(),
                host, settings.port(settings.nodeId(), 0));
            return new ClusterNode(settings, service, driver, container, aeronDirectory);
        } catch (RuntimeException | Error e) {
            CloseHelper.quietClose(driver);
            throw e;
        }
    }

    /**
     * How Aeron's agents wait when idle: a few spins and yields, then parks growing to 1 ms. Busy agents never
     * park; an idle one answers within a millisecond. Aeron's defaults wake far more often, which on a small
     * machine running several members takes the cores the ledger needs.
     */
    private static IdleStrategy idle() {
        return new BackoffIdleStrategy(10, 20, TimeUnit.MICROSECONDS.toNanos(1), TimeUnit.MILLISECONDS.toNanos(1));
    }

    /**
     * Removes the mark files a killed member left: Aeron refuses to start for a while after a crash while
     * they look active. The caller holds the directory (the server's data-directory lock), so no other
     * process can be using them.
     */
    private static void clearMarkFiles(Path directory) {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().matches(".*-mark.*\\.dat")).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot clear the mark files in " + directory, e);
        }
    }

    /**
     * The media driver's directory: in shared memory where there is some (it carries every message), named
     * after the member's directory so that members on one host never share one.
     */
    private static String aeronDirectoryFor(Path directory) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest(directory.toString().getBytes(StandardCharsets.UTF_8));
            String name = "fanz-aeron-" + HexFormat.of().formatHex(digest, 0, 8);
            Path shm = Path.of("/dev/shm");
            return Files.isDirectory(shm) && Files.isWritable(shm) ? shm.resolve(name).toString()
                : directory.resolve("aeron").toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the service has loaded its snapshot and replayed what it holds of the log. */
    public void awaitStarted(long timeout, TimeUnit unit) {
        try {
            service.started().get(timeout, unit);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the ledger service did not start within " + timeout + " " + unit, e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("the ledger service failed to start", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting", e);
        }
    }

    /** Asks for a cluster-wide snapshot if this member leads (only the leader's request counts). */
    public boolean snapshotIfLeader() {
        if (service.role() != Cluster.Role.LEADER) {
            return false;
        }
        synchronized (closeLock) {
            if (closed) {
                return false;
            }
            // the counters live in the driver's mapped file: never touched once close has begun
            var counter = ClusterControl.findControlToggle(driver.mediaDriver().context().countersManager(),
                container.context().clusterId());
            return counter != null && ClusterControl.ToggleState.SNAPSHOT.toggle(counter);
        }
    }

    LedgerClusteredService service() {
        return service;
    }

    public ClusterSettings settings() {
        return settings;
    }

    String aeronDirectory() {
        return aeronDirectory;
    }

    /** This member's role now: leader, follower or candidate. */
    public String role() {
        return service.role().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The member the log says leads now (-1 before the first election completes). */
    public int leaderMember() {
        return service.leaderMember();
    }

    /** Snapshots this member has written since it started. */
    public long snapshotsTaken() {
        return service.snapshotsTaken();
    }

    /**
     * Snapshots this member's consensus module has recorded since it started: one counts only once every
     * service has written its part and the recording log names it, so a restart from here loads it.
     */
    long snapshotsRecorded() {
        synchronized (closeLock) {
            if (closed) {
                throw new IllegalStateException("the cluster member is closed");
            }
            // the counter lives in the driver's mapped file: never read once close has begun
            return driver.consensusModule().context().snapshotCounter().get();
        }
    }

    @Override
    public void close() {
        synchronized (closeLock) {
            closed = true;
        }
        snapshots.shutdownNow();
        service.failQueries(new IllegalStateException("the cluster member is closing"));
        CloseHelper.closeAll(container, driver);
    }
}
