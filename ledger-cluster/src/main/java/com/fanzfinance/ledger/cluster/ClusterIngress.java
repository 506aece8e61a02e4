package com.fanzfinance.ledger.cluster;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.ledger.engine.LedgerBusyException;

import io.aeron.Publication;
import io.aeron.cluster.client.AeronCluster;
import io.aeron.cluster.client.EgressListener;
import io.aeron.logbuffer.Header;

/**
 * The way into the cluster from a member's own process: one session with the cluster, owned by one thread
 * that sends requests, reads answers and keeps the session alive. Aeron's client finds the leader from the
 * members' ingress endpoints and follows it when a new one is elected.
 *
 * <p>A request is sent again, unchanged, when a new leader is announced or the session had to be opened
 * anew: the old leader may have died before the request reached a majority. That is safe because a
 * ledger command names its events by id — a command that did reach the log answers {@code exists} the
 * second time. A request with no answer within its timeout fails with {@link LedgerBusyException}.
 */
final class ClusterIngress implements AutoCloseable, EgressListener {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterIngress.class);
    private static final long KEEP_ALIVE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    private static final long RECONNECT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long IDLE_MIN_NANOS = TimeUnit.MICROSECONDS.toNanos(10);
    private static final long IDLE_BUSY_MAX_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    private static final long IDLE_MAX_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** The most requests waiting for an answer at once; more are refused as busy (the single node's ring bound). */
    static final int PENDING_MAX = 4096;

    /** An answer: the outcome ordinal (or {@link ClusterProtocol#REFUSED}), the command number, the results. */
    record Answer(int outcome, long commandNumber, byte[] results, String refusal) {
    }

    private static final class Request {
        final long correlation;
        final UnsafeBuffer message;
        final CompletableFuture<Answer> answer = new CompletableFuture<>();
        final long deadline;

        Request(long correlation, UnsafeBuffer message, long deadline) {
            this.correlation = correlation;
            this.message = message;
            this.deadline = deadline;
        }
    }

    private final ClusterSettings settings;
    private final String aeronDirectory;
    private final long timeoutNanos;
    private final ConcurrentLinkedQueue<Request> submitted = new ConcurrentLinkedQueue<>();
    private final Long2ObjectHashMap<Request> inFlight = new Long2ObjectHashMap<>();
    private final ArrayDeque<Request> unsent = new ArrayDeque<>();
    private final AtomicLong correlations = new AtomicLong(System.nanoTime());
    private final AtomicLong acknowledgedCommands = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger outstanding = new java.util.concurrent.atomic.AtomicInteger();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean snapshotRequested;
    private AeronCluster cluster;
    private long lastKeepAlive;

    ClusterIngress(ClusterSettings settings, String aeronDirectory, long timeoutNanos) {
        this.settings = settings;
        this.aeronDirectory = aeronDirectory;
        this.timeoutNanos = timeoutNanos;
        this.thread = new Thread(this::run, "ledger-cluster-ingress");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Sends a request (its bytes after the 8-byte correlation, which this fills in) and completes with the
     * leader's answer once a majority holds the command and the leader has applied it.
     */
    CompletableFuture<Answer> send(UnsafeBuffer message) {
        if (!running) {
            throw new IllegalStateException("the cluster client is closed");
        }
        if (outstanding.incrementAndGet() > PENDING_MAX) {
            outstanding.decrementAndGet();
            throw new LedgerBusyException("the ledger is busy: " + PENDING_MAX + " requests are waiting for the cluster");
        }
        long correlation = correlations.incrementAndGet();
        message.putLong(ClusterProtocol.CORRELATION, correlation);
        Request request = new Request(correlation, message, System.nanoTime() + timeoutNanos);
        request.answer.whenComplete((answer, failure) -> outstanding.decrementAndGet());
        submitted.add(request);
        if (!running && submitted.remove(request)) {
            request.answer.completeExceptionally(new IllegalStateException("the cluster client is closed"));
        }
        LockSupport.unpark(thread);
        return request.answer;
    }

    /** The number of commands (one past the highest command number) any answer has reported so far. */
    long acknowledgedCommands() {
        return acknowledgedCommands.get();
    }

    /** Asks the leader for a cluster-wide snapshot (sent on the next step that has a session). */
    void requestSnapshot() {
        snapshotRequested = true;
        LockSupport.unpark(thread);
    }

    /** Requests sent and not yet answered. */
    int pending() {
        return outstanding.get();
    }

    private void run() {
        long idleNanos = IDLE_MIN_NANOS;
        while (running) {
            try {
                int work = step();
                if (work > 0) {
                    idleNanos = IDLE_MIN_NANOS;
                } else {
                    // Answers are awaited briskly; with nothing in flight the thread sleeps longer (a new request
                    // wakes it at once).
                    LockSupport.parkNanos(inFlight.isEmpty() ? IDLE_MAX_NANOS : idleNanos);
                    idleNanos = Math.min(idleNanos * 2, IDLE_BUSY_MAX_NANOS);
                }
            } catch (RuntimeException e) {
                LOG.warn("cluster client: {}; opening a new session", e.toString());
                closeSession();
                LockSupport.parkNanos(RECONNECT_PAUSE_NANOS);
            }
        }
        closeSession();
        failAll(new IllegalStateException("the cluster client closed"));
    }

    private int step() {
        int work = 0;
        Request next;
        while ((next = submitted.poll()) != null) {
            inFlight.put(next.correlation, next);
            unsent.add(next);
            work++;
        }
        long now = System.nanoTime();
        work += expire(now);
        if (cluster == null || cluster.isClosed()) {
            if (inFlight.isEmpty() && cluster != null && !snapshotRequested) {
                return work;
            }
            connect();
            return work + 1;
        }
        while (!unsent.isEmpty()) {
            Request request = unsent.peek();
            if (request.answer.isDone()) {
                unsent.poll();
                continue;
            }
            long result = cluster.offer(request.message, 0, request.message.capacity());
            if (result < 0) {
                if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
                    throw new IllegalStateException("the ingress publication closed");
                }
                break; // back pressure, or between leaders: try again on the next step
            }
            unsent.poll();
            work++;
        }
        if (snapshotRequested && cluster.sendAdminRequestToTakeASnapshot(correlations.incrementAndGet())) {
            snapshotRequested = false;
        }
        work += cluster.pollEgress();
        if (now - lastKeepAlive > KEEP_ALIVE_NANOS) {
            cluster.sendKeepAlive();
            lastKeepAlive = now;
        }
        return work;
    }

    private void connect() {
        closeSession();
        AeronCluster.Context context = new AeronCluster.Context()
            .aeronDirectoryName(aeronDirectory)
            .ingressChannel("aeron:udp?" + settings.streamParameters())
            .ingressEndpoints(settings.ingressEndpoints())
            .egressChannel("aeron:udp?endpoint=" + settings.host() + ":0|mtu=" + settings.mtu())
            .messageTimeoutNs(TimeUnit.SECONDS.toNanos(5))
            .egressListener(this);
        cluster = AeronCluster.connect(context);
        lastKeepAlive = System.nanoTime();
        LOG.info("cluster client: session {} with leader {}", cluster.clusterSessionId(), cluster.leaderMemberId());
        resendAll();
    }

    /** Queues every unanswered request again, in the order they were first sent (correlations only grow). */
    private void resendAll() {
        unsent.clear();
        java.util.List<Request> pendingRequests = new java.util.ArrayList<>(inFlight.values());
        pendingRequests.sort(java.util.Comparator.comparingLong(request -> request.correlation));
        unsent.addAll(pendingRequests);
    }

    private int expire(long now) {
        int expired = 0;
        Iterator<Request> requests = inFlight.values().iterator();
        while (requests.hasNext()) {
            Request request = requests.next();
            if (request.answer.isDone()) {
                requests.remove();
            } else if (now - request.deadline > 0) {
                requests.remove();
                request.answer.completeExceptionally(new LedgerBusyException("the cluster did not answer within "
                    + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms (no leader, or no majority)"));
                expired++;
            }
        }
        return expired;
    }

    @Override
    public void onMessage(long clusterSessionId, long timestamp, DirectBuffer buffer, int offset, int length,
                          Header header) {
        if (length < ClusterProtocol.RESPONSE_HEADER) {
            return;
        }
        Request request = inFlight.remove(buffer.getLong(offset + ClusterProtocol.CORRELATION));
        if (request == null) {
            return; // answered already (a request sent twice), or timed out
        }
        int outcome = buffer.getInt(offset + ClusterProtocol.OUTCOME);
        int resultsLength = buffer.getInt(offset + ClusterProtocol.RESULTS_LENGTH);
        long commandNumber = buffer.getLong(offset + ClusterProtocol.COMMAND_NUMBER);
        int bodyOffset = offset + ClusterProtocol.RESPONSE_HEADER;
        if (outcome == ClusterProtocol.REFUSED) {
            String reason = buffer.getStringWithoutLengthUtf8(bodyOffset, length - ClusterProtocol.RESPONSE_HEADER);
            request.answer.complete(new Answer(outcome, -1, new byte[0], reason));
            return;
        }
        byte[] results = new byte[resultsLength];
        buffer.getBytes(bodyOffset, results);
        acknowledgedCommands.accumulateAndGet(commandNumber + 1, Math::max);
        request.answer.complete(new Answer(outcome, commandNumber, results, null));
    }

    @Override
    public void onNewLeader(long clusterSessionId, long leadershipTermId, int leaderMemberId, String ingressEndpoints) {
        LOG.info("cluster client: new leader {} (term {}); sending {} unanswered requests again", leaderMemberId,
            leadershipTermId, inFlight.size());
        resendAll();
    }

    private void closeSession() {
        CloseHelper.quietClose(cluster);
        cluster = null;
    }

    private void failAll(RuntimeException cause) {
        Request next;
        while ((next = submitted.poll()) != null) {
            next.answer.completeExceptionally(cause);
        }
        for (Request request : inFlight.values()) {
            request.answer.completeExceptionally(cause);
        }
        inFlight.clear();
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
