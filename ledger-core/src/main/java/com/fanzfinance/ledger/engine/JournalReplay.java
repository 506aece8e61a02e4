package com.fanzfinance.ledger.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.journal.HashChain;
import com.fanzfinance.ledger.journal.JournalBatchDecoder;
import com.fanzfinance.ledger.journal.JournalQueues;
import com.fanzfinance.ledger.journal.JournalReader;
import com.fanzfinance.ledger.journal.JournalScanner;
import com.fanzfinance.ledger.snapshot.JournalPosition;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * Rebuilds the ledger from its journal alone — no snapshot, no event stream — into a fresh in-memory
 * state machine, checking every batch on the way, and reports the resulting state hash. Two replicas, or
 * a replay and the live server, hold the same state exactly when their hashes match. Like recovery, it
 * starts from the default limits and follows the journal's set_limits commands (the configuration's
 * limits play no part). Read-only: the
 * journal is not changed (a torn tail is reported, not cut).
 */
public final class JournalReplay {
    /** Told the number of journal excerpts up front, then after each batch how many have been read. */
    public interface Progress {
        void started(long excerpts);

        void advanced(long batchesRead, long commandsApplied);
    }

    /**
     * Receives the outcome excerpt of every replayed command, exactly as the live engine writes it to the
     * event stream (used to rebuild the read model from the journal). The buffer is reused after the call.
     */
    public interface OutcomeSink {
        void accept(org.agrona.DirectBuffer excerpt, int length);
    }

    /** What the replay rebuilt. */
    public record Result(long batches, long commands, long accounts, long transfers, String stateHash,
                         String journalHeadHash, boolean tornTail, long nanos) {
    }

    private JournalReplay() {
    }

    public static Result run(Path journalDirectory, StateMachineConfig config, int batchBytesMax, Progress progress) {
        return run(journalDirectory, config, batchBytesMax, progress, null);
    }

    /** Replays, handing every command's outcome excerpt to {@code outcomes} (null: none). */
    public static Result run(Path journalDirectory, StateMachineConfig config, int batchBytesMax, Progress progress,
                             OutcomeSink outcomes) {
        if (!Files.isDirectory(journalDirectory)) {
            throw new IllegalArgumentException("no journal at " + journalDirectory);
        }
        long started = System.nanoTime();
        try (SingleChronicleQueue queue = JournalQueues.open(journalDirectory, JournalQueues.rollCycle("FAST_HOURLY"), null);
             JournalReader reader = new JournalReader(queue, batchBytesMax);
             StateMachine machine = new StateMachine(config.withLimits(LedgerLimits.DEFAULT), OutcomeRecorder::new)) {
            machine.bindTo(Thread.currentThread());
            OutcomeRecorder recorder = outcomes == null ? null : (OutcomeRecorder) machine.listener();
            long first = queue.firstIndex();
            long last = queue.lastIndex();
            progress.started(first == Long.MAX_VALUE || last < first ? 0 : queue.countExcerpts(first, last) + 1);
            long[] counts = {0, 0};
            JournalScanner.Result scan = new JournalScanner(reader).scan(JournalPosition.START, (batch, index) -> {
                counts[1] += apply(machine, batch, recorder, outcomes);
                progress.advanced(++counts[0], counts[1]);
            });
            return new Result(scan.batchesRead(), counts[1], machine.accountCount(), machine.transferCount(),
                HexFormat.of().formatHex(machine.stateHash()), HashChain.hex(scan.end().chainHead()), scan.hasTornTail(),
                System.nanoTime() - started);
        }
    }

    private static long apply(StateMachine machine, JournalBatchDecoder batch, OutcomeRecorder recorder,
                              OutcomeSink outcomes) {
        long applied = 0;
        long commandNumber = batch.firstCommand();
        while (batch.nextCommand()) {
            JournalBatchDecoder.JournalCommand command = batch.command();
            if (recorder != null) {
                recorder.begin(commandNumber, command.timestamp());
            }
            CommandApplier.apply(machine, command.type(), command.timestamp(), command.eventCount(), command.buffer(),
                command.eventsOffset(), command.buffer(), command.tenantsOffset(), command.tenantsLength() / Integer.BYTES,
                command.buffer(), command.sideDataOffset(), command.sideDataLength(), null, 0);
            if (recorder != null) {
                int length = recorder.finish(command.buffer(), command.sideDataOffset(), command.sideDataLength());
                outcomes.accept(recorder.buffer(), length);
            }
            commandNumber++;
            applied++;
        }
        return applied;
    }
}
