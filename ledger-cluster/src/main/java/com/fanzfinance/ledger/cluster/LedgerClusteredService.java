package com.fanzfinance.ledger.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.command.SideData;
import com.fanzfinance.ledger.command.TenantSettings;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.engine.CommandOutcome;
import com.fanzfinance.ledger.engine.LedgerReplica;
import com.fanzfinance.ledger.engine.StateMachine;
import com.fanzfinance.ledger.journal.CommandType;
import com.fanzfinance.ledger.journal.JournalFormat;

import io.aeron.ExclusivePublication;
import io.aeron.Image;
import io.aeron.Publication;
import io.aeron.cluster.codecs.CloseReason;
import io.aeron.cluster.service.ClientSession;
import io.aeron.cluster.service.Cluster;
import io.aeron.cluster.service.ClusteredService;
import io.aeron.logbuffer.FragmentHandler;
import io.aeron.logbuffer.Header;
import io.aeron.FragmentAssembler;

/**
 * The ledger as an Aeron Cluster service: every member runs one, and each applies the same committed log
 * to its own {@link LedgerReplica}. The leader's service answers the client that sent a command (the
 * followers' answers go nowhere: Aeron drops them); every member writes the outcome events to its own
 * event stream, so a read model can follow any of them.
 *
 * <p>Time comes from the log: a command's timestamp is derived from the cluster time the leader stamped on
 * its log entry, so replay and followers compute the same timestamps. Expiry of pending transfers is
 * driven by a cluster timer, which is itself a log entry.
 *
 * <p>Snapshots are the ledger's own snapshot files, carried through Aeron's snapshot publication in
 * chunks; a member restarting, or one rebuilt from nothing, loads the newest and replays the log after it.
 *
 * <p>Queries from the member's own process (its HTTP API) run on the service's thread between log
 * entries, in {@link #doBackgroundWork}, once the member has applied the command they must see.
 */
final class LedgerClusteredService implements ClusteredService {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerClusteredService.class);
    private static final long TICK_TIMER = 1;
    private static final long TICK_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int SNAPSHOT_MAGIC = 0x535A_4346; // "FCZS"
    private static final int SNAPSHOT_CHUNK = 32 << 10;
    private static final int QUERIES_PER_DUTY_CYCLE = 64;
    private static final int ANSWER_ATTEMPTS = 16;

    private final Path directory;
    private final StateMachineConfig machineConfig;
    private final ConcurrentLinkedQueue<Query<?>> queries = new ConcurrentLinkedQueue<>();
    private final ExpandableArrayBuffer response = new ExpandableArrayBuffer(ClusterProtocol.RESPONSE_HEADER
        + StateMachineConfig.BATCH_EVENTS_MAX * ClusterProtocol.RESULT_BYTES);
    private final UnsafeBuffer results = new UnsafeBuffer(
        new byte[StateMachineConfig.BATCH_EVENTS_MAX * ClusterProtocol.RESULT_BYTES]);
    private final UnsafeBuffer chunk = new UnsafeBuffer(ByteBuffer.allocateDirect(SNAPSHOT_CHUNK + 16));
    private final CompletableFuture<LedgerReplica> started = new CompletableFuture<>();
    private Cluster cluster;
    private volatile LedgerReplica replica;
    private volatile Cluster.Role role = Cluster.Role.FOLLOWER;
    private volatile int leaderMember = -1;
    private volatile long snapshotsTaken;
    private volatile CompletableFuture<Path> nextSnapshot = new CompletableFuture<>();
    private boolean tickScheduled;

    LedgerClusteredService(Path directory, StateMachineConfig machineConfig) {
        this.directory = directory;
        this.machineConfig = machineConfig;
    }

    /** A read waiting for the member to have applied {@code commandsApplied} commands. */
    private record Query<T>(Function<StateMachine, T> read, long commandsApplied, CompletableFuture<T> answer) {
        void run(StateMachine machine) {
            try {
                answer.complete(read.apply(machine));
            } catch (RuntimeException | Error e) {
                answer.completeExceptionally(e);
            }
        }
    }

    @Override
    public void onStart(Cluster startedCluster, Image snapshotImage) {
        this.cluster = startedCluster;
        LedgerReplica opened = new LedgerReplica(directory.resolve("events"), machineConfig);
        opened.bindTo(Thread.currentThread());
        if (snapshotImage != null) {
            loadSnapshot(snapshotImage, opened);
        }
        replica = opened;
        started.complete(opened);
        LOG.info("member {}: ledger service started at command {}", cluster.memberId(), opened.appliedCommands());
    }

    @Override
    public void onSessionOpen(ClientSession session, long timestamp) {
    }

    @Override
    public void onSessionClose(ClientSession session, long timestamp, CloseReason closeReason) {
    }

    @Override
    public void onSessionMessage(ClientSession session, long timestamp, DirectBuffer buffer, int offset, int length,
                                 Header header) {
        if (length < ClusterProtocol.REQUEST_HEADER) {
            return; // not ours: nobody to answer
        }
        scheduleTick(timestamp);
        long correlation = buffer.getLong(offset + ClusterProtocol.CORRELATION);
        String refusal = refusalOf(buffer, offset, length);
        if (refusal != null) {
            refuse(session, correlation, refusal);
            return;
        }
        CommandType type = CommandType.ofCode(buffer.getInt(offset + ClusterProtocol.TYPE));
        int eventCount = buffer.getInt(offset + ClusterProtocol.EVENT_COUNT);
        int tenantCount = buffer.getInt(offset + ClusterProtocol.TENANT_COUNT);
        int sideDataLength = buffer.getInt(offset + ClusterProtocol.SIDE_DATA_LENGTH);
        int eventsOffset = offset + ClusterProtocol.REQUEST_HEADER;
        int eventsLength = eventCount * ClusterProtocol.EVENT_BYTES;
        int tenantsOffset = eventsOffset + eventsLength;
        int sideDataOffset = tenantsOffset + tenantCount * Integer.BYTES;
        CommandOutcome outcome;
        try {
            outcome = replica.apply(type, timestamp, eventCount, buffer, eventsOffset,
                tenantCount == 0 ? null : buffer, tenantsOffset, tenantCount, sideDataLength == 0 ? null : buffer,
                sideDataOffset, sideDataLength, results, 0);
        } catch (RuntimeException | Error e) {
            // The same bytes fail the same way on every member: stop here rather than diverge.
            replica.fail(e);
            throw e;
        }
        response.putLong(ClusterProtocol.CORRELATION, correlation);
        response.putInt(ClusterProtocol.OUTCOME, outcome.ordinal());
        int resultsLength = eventCount * ClusterProtocol.RESULT_BYTES;
        response.putInt(ClusterProtocol.RESULTS_LENGTH, resultsLength);
        response.putLong(ClusterProtocol.COMMAND_NUMBER, replica.appliedCommands() - 1);
        response.putBytes(ClusterProtocol.RESPONSE_HEADER, results, 0, resultsLength);
        answer(session, ClusterProtocol.RESPONSE_HEADER + resultsLength);
    }

    /**
     * Why a request cannot be a command (deterministic: every member decides the same), or null. The client
     * side checks all of this before sending; this guards the log against anything else on the ingress.
     */
    static String refusalOf(DirectBuffer buffer, int offset, int length) {
        int typeCode = buffer.getInt(offset + ClusterProtocol.TYPE);
        int eventCount = buffer.getInt(offset + ClusterProtocol.EVENT_COUNT);
        int tenantCount = buffer.getInt(offset + ClusterProtocol.TENANT_COUNT);
        int sideDataLength = buffer.getInt(offset + ClusterProtocol.SIDE_DATA_LENGTH);
        if (typeCode == CommandType.TICK.code() || !isCommandType(typeCode)) {
            return "unknown command type " + typeCode;
        }
        boolean single = typeCode == CommandType.SET_LIMITS.code() || typeCode == CommandType.SET_TENANT.code();
        if (single ? eventCount != 1 : eventCount < 0 || eventCount > StateMachineConfig.BATCH_EVENTS_MAX) {
            return "a batch holds 0.." + StateMachineConfig.BATCH_EVENTS_MAX + " events, got " + eventCount;
        }
        int scope = typeCode == CommandType.CREATE_ACCOUNTS.code() ? tenantCount - eventCount : tenantCount;
        if (scope < 0 || scope > JournalFormat.TENANT_SCOPE_MAX || single && tenantCount != 0) {
            return "the tenants do not fit the command: " + tenantCount + " for " + eventCount + " events";
        }
        if (sideDataLength < 0 || sideDataLength > JournalFormat.SIDE_DATA_MAX_BYTES) {
            return "side data must be 0.." + JournalFormat.SIDE_DATA_MAX_BYTES + " bytes";
        }
        long expected = (long) ClusterProtocol.REQUEST_HEADER + (long) eventCount * ClusterProtocol.EVENT_BYTES
            + (long) tenantCount * Integer.BYTES + sideDataLength;
        if (expected != length) {
            return "the request is " + length + " bytes, its header says " + expected;
        }
        int sideDataOffset = offset + length - sideDataLength;
        if (sideDataLength > 0 && !SideData.isWellFormed(buffer, sideDataOffset, sideDataLength)) {
            return "side data is not well-formed metadata entries";
        }
        int record = offset + ClusterProtocol.REQUEST_HEADER;
        if (typeCode == CommandType.SET_LIMITS.code() && LedgerLimits.decode(buffer, record) == null) {
            return "not a set_limits record";
        }
        if (typeCode == CommandType.SET_TENANT.code() && TenantSettings.decode(buffer, record) == null) {
            return "not a set_tenant record";
        }
        return null;
    }

    private static boolean isCommandType(int code) {
        for (CommandType type : CommandType.values()) {
            if (type.code() == code) {
                return true;
            }
        }
        return false;
    }

    private void refuse(ClientSession session, long correlation, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        response.putLong(ClusterProtocol.CORRELATION, correlation);
        response.putInt(ClusterProtocol.OUTCOME, ClusterProtocol.REFUSED);
        response.putInt(ClusterProtocol.RESULTS_LENGTH, 0);
        response.putLong(ClusterProtocol.COMMAND_NUMBER, -1);
        response.putBytes(ClusterProtocol.RESPONSE_HEADER, text);
        answer(session, ClusterProtocol.RESPONSE_HEADER + text.length);
    }

    /**
     * Sends the answer to the client (only the leader's really goes out), trying a few times without waiting:
     * the log must not stall behind one slow client. An answer dropped here times the request out at its
     * client (503), and the caller's retry of the same ids is {@code exists}.
     */
    private void answer(ClientSession session, int length) {
        if (session == null) {
            return;
        }
        for (int attempt = 0; attempt < ANSWER_ATTEMPTS; attempt++) {
            long result = session.offer(response, 0, length);
            if (result > 0 || result == Publication.NOT_CONNECTED || result == Publication.CLOSED
                || result == Publication.MAX_POSITION_EXCEEDED) {
                return;
            }
            Thread.onSpinWait();
        }
        LOG.warn("member {}: dropped the answer to session {} (its client is not keeping up)", cluster.memberId(),
            session.id());
    }

    /**
     * Keeps the expiry timer scheduled (Aeron takes no timers from {@code onStart} or {@code onRoleChange}, so
     * the first log entry after a start schedules it; every command expires what is due before it anyway,
     * the timer only keeps expiry moving when no command comes). Which member schedules it
     * when does not matter: only the leader's timer fires, as a log entry every member applies alike, and a
     * tick applies nothing unless a pending transfer is due at the log's time.
     */
    private void scheduleTick(long now) {
        if (!tickScheduled) {
            tickScheduled = cluster.scheduleTimer(TICK_TIMER, now + TICK_INTERVAL_NANOS);
        }
    }

    @Override
    public void onTimerEvent(long correlationId, long timestamp) {
        if (correlationId != TICK_TIMER) {
            return;
        }
        if (replica.tickDue(timestamp)) {
            replica.apply(CommandType.TICK, timestamp, 0, null, 0, null, 0, 0, null, 0, 0, null, 0);
        }
        // If the consensus module cannot take it now, the next log entry schedules it again.
        tickScheduled = cluster.scheduleTimer(TICK_TIMER, timestamp + TICK_INTERVAL_NANOS);
    }

    @Override
    public void onTakeSnapshot(ExclusivePublication publication) {
        Path outgoing = directory.resolve("snapshot-out");
        Path file = replica.writeSnapshot(outgoing);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            byte[] name = file.getFileName().toString().getBytes(StandardCharsets.US_ASCII);
            chunk.putInt(0, SNAPSHOT_MAGIC);
            chunk.putLong(4, size);
            chunk.putInt(12, name.length);
            chunk.putBytes(16, name);
            offer(publication, 16 + name.length);
            ByteBuffer window = chunk.byteBuffer().duplicate();
            long at = 0;
            while (at < size) {
                window.clear().limit((int) Math.min(SNAPSHOT_CHUNK, size - at));
                int read = channel.read(window, at);
                if (read <= 0) {
                    throw new IOException("snapshot file ended early at " + at + " of " + size);
                }
                offer(publication, read);
                at += read;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send the snapshot " + file, e);
        }
        snapshotsTaken++;
        CompletableFuture<Path> written = nextSnapshot;
        nextSnapshot = new CompletableFuture<>();
        written.complete(file);
        LOG.info("member {}: snapshot at command {} ({} bytes)", cluster.memberId(), replica.appliedCommands(),
            file.toFile().length());
    }

    private void offer(ExclusivePublication publication, int length) {
        while (true) {
            long result = publication.offer(chunk, 0, length);
            if (result > 0) {
                return;
            }
            if (result == Publication.CLOSED || result == Publication.NOT_CONNECTED
                || result == Publication.MAX_POSITION_EXCEEDED) {
                throw new IllegalStateException("the snapshot publication refused a chunk: " + result);
            }
            cluster.idleStrategy().idle();
        }
    }

    private void loadSnapshot(Image image, LedgerReplica into) {
        Path incoming = directory.resolve("snapshot-in");
        clear(incoming);
        SnapshotReceiver receiver = new SnapshotReceiver(incoming);
        FragmentAssembler assembler = new FragmentAssembler(receiver);
        while (!receiver.complete()) {
            int fragments = image.poll(assembler, 16);
            if (fragments == 0) {
                if (image.isClosed() || image.isEndOfStream()) {
                    throw new IllegalStateException("the snapshot ended before its last chunk");
                }
                cluster.idleStrategy().idle();
            }
        }
        receiver.close();
        into.restore(incoming);
        LOG.info("member {}: loaded the snapshot at command {}", cluster.memberId(), into.appliedCommands());
    }

    /** Writes the chunks of a snapshot back into its file. */
    private static final class SnapshotReceiver implements FragmentHandler {
        private final Path directory;
        private FileChannel channel;
        private long size = -1;
        private long received;

        SnapshotReceiver(Path directory) {
            this.directory = directory;
        }

        @Override
        public void onFragment(DirectBuffer buffer, int offset, int length, Header header) {
            try {
                if (channel == null) {
                    if (length < 16 || buffer.getInt(offset) != SNAPSHOT_MAGIC) {
                        throw new IllegalStateException("not a ledger snapshot");
                    }
                    size = buffer.getLong(offset + 4);
                    String name = buffer.getStringWithoutLengthAscii(offset + 16, buffer.getInt(offset + 12));
                    if (!name.matches("snapshot-\\d{20}\\.snap")) {
                        throw new IllegalStateException("unexpected snapshot name " + name);
                    }
                    channel = FileChannel.open(directory.resolve(name), StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                    return;
                }
                byte[] bytes = new byte[length];
                buffer.getBytes(offset, bytes);
                ByteBuffer source = ByteBuffer.wrap(bytes);
                while (source.hasRemaining()) {
                    channel.write(source);
                }
                received += length;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the received snapshot", e);
            }
        }

        boolean complete() {
            return channel != null && received >= size;
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static void clear(Path directory) {
        try {
            if (Files.exists(directory)) {
                try (Stream<Path> files = Files.walk(directory)) {
                    files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(directory)).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + directory, e);
        }
    }

    @Override
    public void onRoleChange(Cluster.Role newRole) {
        role = newRole;
        LOG.info("member {}: now {}", cluster.memberId(), newRole);
    }

    @Override
    public void onNewLeadershipTermEvent(long leadershipTermId, long logPosition, long timestamp, long termBaseLogPosition,
                                         int leaderMemberId, int logSessionId, TimeUnit timeUnit, int appVersion) {
        leaderMember = leaderMemberId;
    }

    @Override
    public void onTerminate(Cluster terminated) {
        failQueries(new IllegalStateException("the cluster member is shutting down"));
        LedgerReplica open = replica;
        if (open != null) {
            open.close();
        }
    }

    @Override
    public int doBackgroundWork(long nowNs) {
        LedgerReplica current = replica;
        if (current == null) {
            return 0;
        }
        int done = 0;
        Query<?> next;
        while (done < QUERIES_PER_DUTY_CYCLE && (next = queries.peek()) != null
            && current.appliedCommands() >= next.commandsApplied()) {
            queries.poll();
            next.run(current.stateMachine());
            done++;
        }
        return done;
    }

    /** Runs {@code read} on the service's thread once this member has applied {@code commandsApplied} commands. */
    <T> CompletableFuture<T> query(Function<StateMachine, T> read, long commandsApplied) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        queries.add(new Query<>(read, commandsApplied, answer));
        return answer;
    }

    void failQueries(Throwable cause) {
        Query<?> next;
        while ((next = queries.poll()) != null) {
            next.answer().completeExceptionally(cause);
        }
    }

    /** Completes once the service has loaded its snapshot and is taking the log. */
    CompletableFuture<LedgerReplica> started() {
        return started;
    }

    LedgerReplica replica() {
        return replica;
    }

    Cluster.Role role() {
        return role;
    }

    int leaderMember() {
        return leaderMember;
    }

    long snapshotsTaken() {
        return snapshotsTaken;
    }

    /** Completes with the file of the next snapshot this member writes. */
    CompletableFuture<Path> nextSnapshot() {
        return nextSnapshot;
    }
}
