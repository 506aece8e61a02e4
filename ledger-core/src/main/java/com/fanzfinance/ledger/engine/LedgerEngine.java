package com.fanzfinance.ledger.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import com.lmax.disruptor.BatchEventProcessorBuilder;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.EventProcessorFactory;
import com.lmax.disruptor.dsl.ProducerType;

import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.command.SetTenantStatus;
import com.fanzfinance.ledger.config.EngineConfig;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.journal.CommandType;
import com.fanzfinance.ledger.journal.JournalFormat;
import com.fanzfinance.ledger.journal.JournalQueues;
import com.fanzfinance.ledger.snapshot.SnapshotStore;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * The durable ledger engine: the LMAX pipeline around the state machine, wired here and only here.
 *
 * <pre>
 *   producers ─► command ring (Disruptor, multi-producer, pre-allocated slots)
 *                  └─► JournalHandler: sequencer + journal batch + fdatasync per ring batch (group commit)
 *                        └─► BusinessLogicHandler: the one thread that owns ledger state (applies a ring
 *                              │                   batch once it is encoded, while the journal syncs it)
 *                              └─► ResultPublisher: once the business logic applied a slot and the journal
 *                                                   made it durable, writes its events and completes callers
 * </pre>
 *
 * Opening an engine locks its data directory ({@link DataDirectoryLock}: one writer per journal), recovers
 * it (newest snapshot + journal tail) and journals the configured limits if they differ from the ones in
 * force, before it accepts anything. Publishing
 * never does I/O; a full ring makes a caller wait up to {@code publishTimeoutMillis}, then refuses the
 * command with {@link LedgerBusyException}. A caller's buffers must stay untouched until its future
 * completes: the ring refers to them rather than copying them.
 */
public final class LedgerEngine implements Ledger, AutoCloseable {
    private static final long PARK_NANOS = 20_000;
    /** How idle pipeline stages wait (see {@link BackoffWaitStrategy}). */
    private static final int WAIT_YIELDS = 2;
    private static final long WAIT_PARK_MIN_NANOS = 50_000;
    private static final long WAIT_PARK_MAX_NANOS = 1_000_000;
    /** Room for several of the largest outcome excerpts (8,189 transfers and 4 MiB of side data each). */
    private static final int OUTCOME_PIPE_BYTES = 64 << 20;

    private final EngineConfig config;
    private final DataDirectoryLock lock;
    private final boolean ownsLock;
    private final SingleChronicleQueue journal;
    private final SingleChronicleQueue events;
    private final StateMachine stateMachine;
    private final EngineHealth health = new EngineHealth();
    private final Disruptor<CommandSlot> disruptor;
    private final RingBuffer<CommandSlot> ring;
    private final JournalHandler journaler;
    private final BusinessLogicHandler businessLogic;
    private final ResultPublisher publisher;
    private final ExecutorService snapshotWriter;
    private final ScheduledExecutorService ticker;
    private final Recovery.Result recovery;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;
    /** The warm-up started by {@link #warmUp}, or null. */
    private EngineWarmUp warmUp;
    private Thread warmUpThread;
    /** Set once the engine closes: no warm-up starts after that. */
    private boolean warmUpStopped;
    /** Why the last close did not save the transfer id index for the next start; null once it did. */
    private volatile String indexNotSaved = "the engine is open";

    private LedgerEngine(EngineConfig config, DataDirectoryLock lock, boolean ownsLock) {
        this.config = config;
        this.lock = lock;
        this.ownsLock = ownsLock;
        try {
            // A warm-up's files left by a process that died while it ran, whether or not this one warms up.
            EngineWarmUp.deleteTree(warmUpDirectory());
        } catch (RuntimeException e) {
            // Left for the next start, or the next warm-up, which deletes them before it begins.
        }
        var rollCycle = JournalQueues.rollCycle(config.journalRollCycle());
        this.journal = JournalQueues.open(config.journalDirectory(), rollCycle, null);
        this.events = JournalQueues.open(config.eventsDirectory(), rollCycle, null);
        // Replay decides with the limits the journal set, never with this process's configuration.
        StateMachineConfig machineConfig = config.effectiveStateMachine().withLimits(LedgerLimits.DEFAULT);
        this.stateMachine = new StateMachine(machineConfig, OutcomeRecorder::new);
        SnapshotStore snapshots = new SnapshotStore(config.snapshotDirectory(), config.snapshotsKept());
        OutcomeRecorder recorder = (OutcomeRecorder) stateMachine.listener();
        CompletableFuture<OutcomePipe> pipe = allocatePipeOrClose();
        this.recovery = recoverOrClose(recorder, snapshots);
        LedgerLimits configured = config.stateMachine().limits();
        checkLimitsOrClose(configured);
        Sequencer sequencer = new Sequencer(config.clockNanos(), 0);
        sequencer.resumeAfter(stateMachine.lastTimestamp());
        this.snapshotWriter = Executors.newSingleThreadExecutor(daemon("ledger-snapshot-writer"));
        BackoffWaitStrategy waitStrategy = new BackoffWaitStrategy(WAIT_YIELDS, WAIT_PARK_MIN_NANOS, WAIT_PARK_MAX_NANOS);
        this.journaler = new JournalHandler(journal, config.durability(), sequencer, config.batchBytesMax(),
            config.snapshotEveryBytes(), recovery.end(), health, waitStrategy);
        OutcomePipe outcomes = pipeOrClose(pipe);
        this.publisher = new ResultPublisher(outcomes, events, recovery.eventsWrittenThrough(), journaler.durable(),
            health);
        this.businessLogic = new BusinessLogicHandler(stateMachine, recorder, outcomes, publisher,
            config.eventsDirectory(), snapshots, snapshotWriter, health, recovery.eventsWrittenThrough(),
            recovery.end().nextCommand());
        this.disruptor = new Disruptor<>(CommandSlot::new, config.ringSize(), this::pipelineThread, ProducerType.MULTI,
            waitStrategy);
        // The business logic applies a batch while the journal syncs it; the publisher waits for both.
        EventProcessorFactory<CommandSlot> publishing = (ringBuffer, barrierSequences) -> {
            Sequence[] gates = java.util.Arrays.copyOf(barrierSequences, barrierSequences.length + 1);
            gates[barrierSequences.length] = journaler.settled();
            return new BatchEventProcessorBuilder().build(ringBuffer, ringBuffer.newBarrier(gates), publisher);
        };
        disruptor.handleEventsWith(journaler).then(businessLogic).then(publishing);
        this.ring = disruptor.start();
        journaler.ring(ring);
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("ledger-ticker"));
        ticker.scheduleWithFixedDelay(this::tickIfDue, config.tickIntervalMillis(), config.tickIntervalMillis(),
            TimeUnit.MILLISECONDS);
        if (!configured.equals(stateMachine.limits())) {
            journalLimitsOrClose(configured);
        }
    }

    /** The configured limits differ from the journal's: journal them before anything else is taken. */
    private void journalLimitsOrClose(LedgerLimits configured) {
        try {
            join(submitLimits(configured));
        } catch (RuntimeException | Error e) {
            close(false);
            throw e;
        }
    }

    /** A configured limit below what the ledger already holds would make its own history unacceptable. */
    private void checkLimitsOrClose(LedgerLimits configured) {
        long accounts = stateMachine.accountCount();
        long transfers = stateMachine.transferCount() + stateMachine.state().failedTransferIds().count();
        LimitBelowHoldingsException below = null;
        if (accounts > configured.accountsMax()) {
            below = new LimitBelowHoldingsException("accountsMax", configured.accountsMax(), accounts, "accounts");
        } else if (transfers > configured.transfersMax()) {
            below = new LimitBelowHoldingsException("transfersMax", configured.transfersMax(), transfers,
                "transfers and failed transfer ids");
        }
        if (below != null) {
            closeFiles();
            throw below;
        }
    }

    private void closeFiles() {
        closeFiles(false);
    }

    /** {@code keepIndex}: save the transfer id index for the next start ({@link StateMachine#closeKeepingIndex}). */
    private void closeFiles(boolean keepIndex) {
        try {
            if (keepIndex) {
                indexNotSaved = stateMachine.closeKeepingIndex();
            } else {
                stateMachine.close();
            }
        } finally {
            closeQueuesAndLock();
        }
    }

    private void closeQueuesAndLock() {
        journal.close();
        events.close();
        if (ownsLock) {
            lock.close();
        }
    }

    /**
     * Starts allocating the outcome pipe on a thread of its own, beside the recovery: allocating (and zeroing) its
     * 64 MiB took 0.3 s of a start's main thread. If no thread can be started, the files are released.
     */
    private CompletableFuture<OutcomePipe> allocatePipeOrClose() {
        try {
            return CompletableFuture.supplyAsync(() -> new OutcomePipe(OUTCOME_PIPE_BYTES),
                runnable -> daemon("ledger-outcome-pipe").newThread(runnable).start());
        } catch (RuntimeException | Error e) {
            closeFiles();
            throw e;
        }
    }

    /** The outcome pipe allocated beside the recovery; if that failed (out of direct memory), the files are closed. */
    private OutcomePipe pipeOrClose(CompletableFuture<OutcomePipe> pipe) {
        try {
            return join(pipe);
        } catch (RuntimeException | Error e) {
            closeFiles();
            throw e;
        }
    }

    /** Recovery failed (a damaged journal, say): release the files before reporting it. */
    private Recovery.Result recoverOrClose(OutcomeRecorder recorder, SnapshotStore snapshots) {
        try {
            return Recovery.run(stateMachine, recorder, snapshots, journal, events, config.batchBytesMax());
        } catch (RuntimeException | Error e) {
            closeFiles();
            throw e;
        }
    }

    /**
     * Locks the data directory, opens (recovering if there is anything to recover) and starts an engine.
     *
     * @throws IllegalStateException naming the missing JVM flags if this JVM lacks one the journal needs
     * @throws DataDirectoryLock.HeldException if another process or ledger uses the directory
     * @throws LimitBelowHoldingsException if a configured limit is below what the ledger holds
     */
    public static LedgerEngine open(EngineConfig config) {
        com.fanzfinance.ledger.api.JvmRequirements.requireForDurableLedger();
        DataDirectoryLock lock = DataDirectoryLock.acquire(config.dataDirectory());
        try {
            return new LedgerEngine(config, lock, true);
        } catch (RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Opens an engine on a data directory whose lock the caller already holds (a server that locks before it
     * does anything else); the caller releases the lock after closing the engine.
     */
    public static LedgerEngine open(EngineConfig config, DataDirectoryLock heldLock) {
        com.fanzfinance.ledger.api.JvmRequirements.requireForDurableLedger();
        if (!heldLock.covers(config.dataDirectory())) {
            throw new IllegalArgumentException("the lock held is not on " + config.dataDirectory());
        }
        return new LedgerEngine(config, heldLock, false);
    }

    /** What recovery did when this engine opened. */
    public Recovery.Result recovery() {
        return recovery;
    }

    public EngineConfig config() {
        return config;
    }

    @Override
    public EngineHealth health() {
        return health;
    }

    /** Tests only: runs on the journal's thread after each group commit's append, before its fdatasync. */
    void beforeEachSync(Runnable hook) {
        journaler.beforeSync = hook;
    }

    /** Commands the business logic has applied (the next command's number): may run ahead of the disk. */
    long appliedCommands() {
        return businessLogic.appliedCommands();
    }

    /** The last command whose outcome excerpt is in the event stream (-1: none), for subscribers' lag. */
    @Override
    public long lastPublishedCommand() {
        return publisher.eventsWrittenThrough();
    }

    @Override
    public int ringSize() {
        return config.ringSize();
    }

    @Override
    public long clockNanos() {
        return config.clockNanos().getAsLong();
    }

    /** Slots currently taken in the command ring. */
    @Override
    public long ringDepth() {
        return config.ringSize() - ring.remainingCapacity();
    }


    /** What a {@code set_tenant} command decided: its status and the tenant's number. */
    public record TenantOutcome(SetTenantStatus status, int number) {
    }



    /** Carries time through the journal now (expiring what is due); normally the ticker does this. */
    public CompletableFuture<CommandOutcome> tick() {
        return submitCommand(CommandType.TICK, null, 0, 0, null, 0, 0, null, 0, 0, null, 0);
    }

    /**
     * Runs a read on the business-logic thread, in order with the commands around it, and completes with its
     * result. The function must only read, and should return quickly.
     */
    @SuppressWarnings("unchecked")
    @Override
    public <T> CompletableFuture<T> query(Function<StateMachine, T> read) {
        CompletableFuture<Object> completion = new CompletableFuture<>();
        publish(slot -> {
            slot.kind = CommandSlot.Kind.QUERY;
            slot.query = (Function<StateMachine, Object>) read;
        }, completion);
        return completion.thenApply(result -> (T) result);
    }

    /**
     * Takes a snapshot now; the future completes when its file is written and synced. The pipeline pauses
     * only for the capture on the business thread: the writing completes the future from the writer's
     * thread, never from a pipeline stage's.
     */
    @SuppressWarnings("unchecked")
    @Override
    public CompletableFuture<Path> snapshot() {
        CompletableFuture<Object> completion = new CompletableFuture<>();
        publish(slot -> slot.kind = CommandSlot.Kind.SNAPSHOT, completion);
        return completion.thenCompose(written -> (CompletableFuture<Path>) written);
    }




    /**
     * Stops accepting commands, lets the ring drain, takes a final snapshot if {@code snapshot}, and closes
     * the journal, the event stream and the stores.
     */
    @Override
    public void close(boolean snapshot) {
        if (closed) {
            return;
        }
        ticker.shutdownNow();
        stopWarmUp();
        boolean snapshotWritten = false;
        if (snapshot && health.failure() == null) {
            try {
                join(snapshot());
                snapshotWritten = true;
            } catch (RuntimeException e) {
                // the shutdown goes on; the journal still holds everything
            }
        }
        closed = true;
        boolean drained = true;
        try {
            disruptor.shutdown(30, TimeUnit.SECONDS);
        } catch (com.lmax.disruptor.TimeoutException e) {
            drained = false;
            disruptor.halt();
        }
        joinThreads();
        snapshotWriter.shutdown();
        awaitQuietly(snapshotWriter);
        // After a final snapshot the transfer id index is saved for the next start, which keeps it instead of
        // rebuilding it if the stores come back to exactly the transfers it indexes (a command applied after the
        // snapshot, or a snapshot the next start cannot use, makes it rebuild as before).
        boolean keepIndex = snapshotWritten && drained && health.failure() == null;
        if (!keepIndex) {
            indexNotSaved = "no final snapshot";
        }
        closeFiles(keepIndex);
    }

    @Override
    public void close() {
        close(true);
    }

    /**
     * Starts a warm-up ({@link EngineWarmUp}) on a daemon thread of its own, {@code ledger-warm-up}: {@code transfers}
     * synthetic transfers, in full batches, applied to a throwaway state machine — never to this ledger — so that the
     * JIT compiles the path every command takes within the first second of a start rather than while the first real
     * batches wait on interpreted code. It runs under its own limits and in bounded rounds ({@link EngineWarmUp}). With
     * mapped stores its stores are files under {@code <data>/warm-up}, deleted when it ends (and at every open of the
     * engine, if a process that died while warming up left any). {@link #close} stops it between two batches and
     * waits for it. At most one per engine. The future completes when it ends (with its failure, if it failed: the
     * ledger is unaffected either way).
     */
    public synchronized CompletableFuture<EngineWarmUpResult> warmUp(long transfers) {
        if (transfers < 1) {
            throw new IllegalArgumentException("a warm-up applies at least one transfer, was " + transfers);
        }
        if (closed || warmUpStopped) {
            throw new IllegalStateException("the ledger engine is closed");
        }
        if (warmUp != null) {
            throw new IllegalStateException("a warm-up was already started");
        }
        warmUp = new EngineWarmUp(config.stateMachine(), config.mappedStores() ? warmUpDirectory() : null, transfers);
        warmUpThread = daemon("ledger-warm-up").newThread(warmUp);
        warmUpThread.start();
        return warmUp.done().thenApply(result -> new EngineWarmUpResult(result.applied(), result.created()));
    }

    /** Where a warm-up's stores go when the engine's are mapped. */
    public Path warmUpDirectory() {
        return config.dataDirectory().resolve("warm-up");
    }

    /** What a {@link #warmUp} did: synthetic transfers applied, and how many of them were created. */
    public record EngineWarmUpResult(long applied, long created) {
    }

    /** Stops a warm-up still running and waits for it (it deletes its files before it ends). */
    private synchronized void stopWarmUp() {
        warmUpStopped = true;
        if (warmUp == null) {
            return;
        }
        warmUp.cancel();
        boolean interrupted = false;
        while (warmUpThread.isAlive()) {
            try {
                warmUpThread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * After {@link #close(boolean)}: null if the transfer id index was saved for the next start (which then keeps it
     * instead of rebuilding it), else why not — no final snapshot, heap stores, or a save that failed.
     */
    public String transferIdIndexNotSaved() {
        return indexNotSaved;
    }

    /** Waits for a future of this engine and unwraps its failure. */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    @Override
    public CompletableFuture<CommandOutcome> submitCommand(CommandType type, DirectBuffer records, int offset, int count,
                                                            DirectBuffer tenants, int tenantsOffset, int tenantCount,
                                                            DirectBuffer sideData, int sideDataOffset, int sideDataLength,
                                                            MutableDirectBuffer results, int resultsOffset) {
        requireWellFormed(type, records, offset, count, sideData, sideDataOffset, sideDataLength, results, resultsOffset);
        CompletableFuture<Object> completion = new CompletableFuture<>();
        publish(slot -> {
            slot.kind = CommandSlot.Kind.COMMAND;
            slot.type = type;
            slot.eventCount = count;
            slot.events = records;
            slot.eventsOffset = offset;
            slot.tenants = tenants;
            slot.tenantsOffset = tenantsOffset;
            slot.tenantCount = tenantCount;
            slot.sideData = sideData;
            slot.sideDataOffset = sideDataOffset;
            slot.sideDataLength = sideDataLength;
            slot.results = results;
            slot.resultsOffset = resultsOffset;
        }, completion);
        return completion.thenApply(outcome -> (CommandOutcome) outcome);
    }

    private void publish(java.util.function.Consumer<CommandSlot> fill, CompletableFuture<Object> completion) {
        if (closed) {
            throw new IllegalStateException("the ledger engine is closed");
        }
        Throwable failure = health.failure();
        if (failure != null) {
            throw new LedgerFailedException("the ledger engine has stopped after a failure", failure);
        }
        long sequence = claim();
        try {
            CommandSlot slot = ring.get(sequence);
            slot.clear();
            fill.accept(slot);
            slot.completion = completion;
        } finally {
            ring.publish(sequence);
        }
    }

    /** Claims a slot, waiting up to the publish timeout while the ring is full. */
    private long claim() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.publishTimeoutMillis());
        while (true) {
            try {
                return ring.tryNext();
            } catch (InsufficientCapacityException full) {
                if (System.nanoTime() - deadline >= 0) {
                    throw new LedgerBusyException("the ledger is busy: the command ring stayed full for "
                        + config.publishTimeoutMillis() + " ms");
                }
                LockSupport.parkNanos(PARK_NANOS);
            }
        }
    }

    private void tickIfDue() {
        try {
            if (!closed && health.failure() == null && businessLogic.earliestExpiry() <= config.clockNanos().getAsLong()) {
                tick();
            }
        } catch (RuntimeException e) {
            // busy or closing: the next tick tries again
        }
    }

    /**
     * Checks a command's shape as every ledger does before taking it: at most 8,189 events, records and
     * results buffers large enough, side data within its limit and well-formed metadata entries.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static void requireWellFormed(CommandType type, DirectBuffer records, int offset, int count,
                                         DirectBuffer sideData, int sideDataOffset, int sideDataLength,
                                         MutableDirectBuffer results, int resultsOffset) {
        if (count < 0 || count > StateMachineConfig.BATCH_EVENTS_MAX) {
            throw new IllegalArgumentException("a batch holds 0.." + StateMachineConfig.BATCH_EVENTS_MAX + " events, got "
                + count);
        }
        if (sideDataLength < 0 || sideDataLength > JournalFormat.SIDE_DATA_MAX_BYTES) {
            throw new IllegalArgumentException("side data must be 0.." + JournalFormat.SIDE_DATA_MAX_BYTES + " bytes, got "
                + sideDataLength);
        }
        if (type != CommandType.TICK) {
            requireCapacity(records, offset, count * 128, "records");
            requireCapacity(results, resultsOffset, count * 16, "results");
        }
        if (sideDataLength > 0) {
            requireCapacity(sideData, sideDataOffset, sideDataLength, "side data");
            if (!com.fanzfinance.ledger.command.SideData.isWellFormed(sideData, sideDataOffset, sideDataLength)) {
                throw new IllegalArgumentException("side data is not well-formed metadata entries");
            }
        }
    }

    /** @throws IllegalArgumentException if {@code buffer} holds fewer than {@code length} bytes from {@code offset} */
    public static void requireCapacity(DirectBuffer buffer, int offset, int length, String what) {
        if (length == 0) {
            return;
        }
        if (buffer == null || offset < 0 || (long) offset + length > buffer.capacity()) {
            throw new IllegalArgumentException(what + " buffer too small: need " + length + " bytes from " + offset);
        }
    }

    private Thread pipelineThread(Runnable runnable) {
        Thread thread = new Thread(runnable, "ledger-pipeline-" + threads.size());
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
    }

    private void joinThreads() {
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static void awaitQuietly(ExecutorService executor) {
        try {
            executor.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
