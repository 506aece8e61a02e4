package com.fanzfinance.ledger.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.journal.CommandType;
import com.fanzfinance.ledger.journal.HashChain;
import com.fanzfinance.ledger.journal.JournalBatchEncoder;
import com.fanzfinance.ledger.journal.JournalQueues;
import com.fanzfinance.ledger.journal.JournalWriter;
import com.fanzfinance.ledger.journal.QueueSync;
import com.fanzfinance.ledger.snapshot.JournalPosition;
import com.fanzfinance.ledger.snapshot.SnapshotImage;
import com.fanzfinance.ledger.snapshot.SnapshotStore;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * The state machine as one replica of a replicated command log (the clustered mode): commands arrive
 * already ordered and durable from outside (a consensus log), each with the log's own clock reading, and
 * are applied here one at a time on the replica's one thread. Everything that decides an outcome comes
 * from the log — the timestamp is {@code max(log clock, previous + width)}, exactly the single-node
 * sequencer's rule fed with the log's clock instead of the wall clock — so every replica that applies
 * the same log reaches the same state, the same hash chain and the same state hash.
 *
 * <p>Each applied command is encoded as a one-command journal batch and linked into a hash chain, so a
 * replica's {@link #chainHead()} after command n commits to the whole history up to n: two replicas
 * agree on it only if they applied byte-identical commands with identical timestamps. Outcome events go
 * to the replica's own event stream (for the read model), skipping commands the stream already holds
 * after a restart. Snapshots are the single-node snapshot files, written to and restored from a path
 * the caller moves through its log's snapshot mechanism.
 */
public final class LedgerReplica implements AutoCloseable {
    /** Room for the largest command a replica accepts, encoded as a journal batch. */
    public static final int COMMAND_BYTES_MAX = 8 << 20;
    private static final int EVENT_BYTES = 128;

    private final StateMachine stateMachine;
    private final OutcomeRecorder recorder;
    private final SingleChronicleQueue events;
    private final Path eventsDirectory;
    private final JournalWriter eventsWriter;
    private final JournalBatchEncoder encoder = new JournalBatchEncoder(COMMAND_BYTES_MAX);
    private final HashChain chain = new HashChain();
    private final Sequencer sequencer;
    private final EngineHealth health = new EngineHealth();
    private long clockNanos;
    private long nextCommand;
    private volatile long eventsWrittenThrough;
    private volatile long appliedCommands;

    /**
     * @param eventsDirectory where this replica's event stream lives (kept across restarts)
     * @param machineConfig   the stores' configuration; the limits in force come from the log
     */
    public LedgerReplica(Path eventsDirectory, StateMachineConfig machineConfig) {
        this.eventsDirectory = eventsDirectory;
        this.stateMachine = new StateMachine(machineConfig.withLimits(LedgerLimits.DEFAULT), OutcomeRecorder::new);
        this.recorder = (OutcomeRecorder) stateMachine.listener();
        this.events = JournalQueues.open(eventsDirectory, JournalQueues.rollCycle("FAST_HOURLY"), null);
        this.eventsWriter = new JournalWriter(events);
        this.eventsWrittenThrough = Recovery.lastEventCommand(events);
        this.sequencer = new Sequencer(() -> clockNanos, 0);
    }

    /** Makes {@code thread} the only one allowed to apply commands and read the state. */
    public void bindTo(Thread thread) {
        stateMachine.bindTo(thread);
    }

    /** Loads a snapshot file written by {@link #writeSnapshot} (on this or another replica). */
    public void restore(Path snapshotDirectory) {
        List<String> warnings = new ArrayList<>();
        var position = new SnapshotStore(snapshotDirectory, 1).restoreNewest(stateMachine.state(), warnings,
            Long.MAX_VALUE);
        if (position.isEmpty()) {
            throw new IllegalStateException("the log's snapshot cannot be loaded: " + warnings);
        }
        nextCommand = position.get().nextCommand();
        appliedCommands = nextCommand;
        chain.reset(position.get().chainHead());
        // The sequencer's own last timestamp, which a command refused whole (ledger full, another tenant's
        // account) moves on while the state's stays: resuming from the state's alone would stamp the next
        // command differently from the members that never restarted.
        sequencer.resumeAfter(Math.max(stateMachine.lastTimestamp(), Math.max(0, position.get().lastBatchIndex())));
    }

    /**
     * Writes a snapshot of the state into {@code directory} (which keeps only this one) after making the
     * event stream durable through it, and returns the file.
     */
    public Path writeSnapshot(Path directory) {
        eventsWriter.sync();
        QueueSync.syncDirectory(eventsDirectory);
        long started = System.nanoTime();
        SnapshotImage image = SnapshotImage.capture(position(), stateMachine.state());
        Path written = new SnapshotStore(directory, 1).write(image);
        health.recordSnapshot(System.nanoTime() - started);
        return written;
    }

    /**
     * Applies one command from the log. {@code logClockNanos} is the log's timestamp of the command
     * (the same on every replica); {@code results} receives the 16-byte results as in
     * {@link LedgerEngine#submitTransfers}. {@code tenants} holds what the single-node engine journals:
     * for accounts one tenant per account followed by the scope, for transfers the scope.
     */
    public CommandOutcome apply(CommandType type, long logClockNanos, int eventCount, DirectBuffer eventsBuffer,
                                int eventsOffset, DirectBuffer tenants, int tenantsOffset, int tenantCount,
                                DirectBuffer sideData, int sideDataOffset, int sideDataLength,
                                MutableDirectBuffer results, int resultsOffset) {
        int eventsLength = type == CommandType.TICK ? 0 : eventCount * EVENT_BYTES;
        int tenantsLength = tenantCount * Integer.BYTES;
        if (!encoder.fitsEmpty(eventsLength, tenantsLength, sideDataLength)) {
            throw new IllegalArgumentException("a command of " + eventsLength + " + " + tenantsLength + " + "
                + sideDataLength + " bytes is larger than a replica accepts");
        }
        clockNanos = logClockNanos;
        long timestamp = sequencer.next(type == CommandType.TICK ? 1 : eventCount);
        long number = nextCommand++;
        encoder.begin(number, number);
        encoder.append(type, timestamp, type == CommandType.TICK ? 0 : eventCount, eventsBuffer, eventsOffset,
            eventsLength, tenants, tenantsOffset, tenantsLength, sideData, sideDataOffset, sideDataLength);
        encoder.finish(chain);
        boolean recording = number > eventsWrittenThrough;
        if (recording) {
            recorder.begin(number, timestamp);
        }
        CommandOutcome outcome = CommandApplier.apply(stateMachine, type, timestamp, eventCount, eventsBuffer,
            eventsOffset, tenants, tenantsOffset, tenantCount, sideData, sideDataOffset, sideDataLength, results,
            resultsOffset);
        if (recording) {
            int length = recorder.finish(sideData, sideDataOffset, sideDataLength);
            eventsWriter.appendOutcomes(recorder.buffer(), 0, length);
            eventsWrittenThrough = number;
        }
        appliedCommands = nextCommand;
        boolean creates = type == CommandType.CREATE_ACCOUNTS || type == CommandType.CREATE_TRANSFERS;
        health.recordApplied(creates ? eventCount : 0);
        return outcome;
    }

    /** True if a pending transfer is due to expire at {@code logClockNanos}: then a tick should be applied. */
    public boolean tickDue(long logClockNanos) {
        var pending = stateMachine.state().pendingTransfers();
        return pending.scheduledCount() > 0 && pending.earliestExpiresAt() <= logClockNanos;
    }

    /** The replica's counters, and the failure that stopped it (if any); readable from any thread. */
    public EngineHealth health() {
        return health;
    }

    /** Records that applying the log failed: the replica takes no more commands. */
    public void fail(Throwable cause) {
        health.fail(cause);
    }

    /** The state machine, for reads on the replica's thread. */
    public StateMachine stateMachine() {
        return stateMachine;
    }

    /** The number of the next command (commands applied so far); readable from any thread. */
    public long appliedCommands() {
        return appliedCommands;
    }

    /** The highest command number the event stream holds; readable from any thread. */
    public long eventsWrittenThrough() {
        return eventsWrittenThrough;
    }

    /** The hash chain's head after the last applied command. */
    public byte[] chainHead() {
        return chain.head();
    }

    /**
     * Where the replica stands, as a journal position: one command per batch, and in place of a journal
     * index (a replica has no journal of its own) the sequencer's last timestamp, which a snapshot must carry
     * (see {@link #restore}); -1 before the first command.
     */
    public JournalPosition position() {
        return new JournalPosition(nextCommand, nextCommand, chain.head(),
            nextCommand == 0 ? -1 : Math.max(0, sequencer.lastTimestamp()));
    }

    @Override
    public void close() {
        eventsWriter.close();
        events.close();
        stateMachine.close();
    }
}
