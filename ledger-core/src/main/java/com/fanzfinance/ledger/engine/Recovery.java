package com.fanzfinance.ledger.engine;

import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.OutcomeLayout;
import com.fanzfinance.ledger.journal.CutMarker;
import com.fanzfinance.ledger.journal.JournalBatchDecoder;
import com.fanzfinance.ledger.journal.JournalReader;
import com.fanzfinance.ledger.journal.JournalScanner;
import com.fanzfinance.ledger.journal.JournalWriter;
import com.fanzfinance.ledger.journal.QueueSync;
import com.fanzfinance.ledger.snapshot.JournalPosition;
import com.fanzfinance.ledger.snapshot.SnapshotStore;
import com.fanzfinance.ledger.state.TransferIdIndex;

import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Brings a state machine back to where the journal ends: the newest valid snapshot, then every journaled
 * command after it, in order, checked batch by batch. A torn last batch is cut (a {@link CutMarker} is
 * appended so later reads skip exactly it); any other damage stops recovery with the position named.
 * Events for replayed commands are written to the event stream only if it does not have them yet. The
 * journal's newest files are synced before the engine takes anything: what was replayed counts as durable
 * from then on, even a batch whose own sync never ran.
 */
public final class Recovery {
    /**
     * What recovery found and where the journal continues; {@code transferIdIndexKept}: the transfer id index the last
     * clean shutdown saved was kept, not rebuilt.
     */
    public record Result(JournalPosition end, long commandsReplayed, long batchesReplayed, boolean snapshotUsed,
                  long eventsWrittenThrough, long tornIndexCut, List<String> warnings, boolean transferIdIndexKept) {
    }

    private Recovery() {
    }

    static Result run(StateMachine stateMachine, OutcomeRecorder recorder, SnapshotStore snapshots,
                      SingleChronicleQueue journal, SingleChronicleQueue events, int batchBytesMax) {
        List<String> warnings = new ArrayList<>();
        long eventsThrough = lastEventCommand(events);
        JournalPosition start = snapshots.restoreNewest(stateMachine.state(), warnings, eventsThrough + 1)
            .orElse(JournalPosition.START);
        boolean snapshotUsed = start.nextBatch() > 0;
        TransferIdIndex ids = stateMachine.state().transferIds();
        boolean indexKept = ids.restoration() == TransferIdIndex.Restoration.KEPT;
        if (ids.savedRejection() != null) {
            warnings.add("the transfer id index saved at the last shutdown was not kept (" + ids.savedRejection()
                + "); it was rebuilt from the stores");
        }
        long[] replayed = {0};
        JournalScanner.Result scan;
        try (JournalReader reader = new JournalReader(journal, batchBytesMax);
             JournalWriter eventsWriter = new JournalWriter(events)) {
            JournalScanner scanner = new JournalScanner(reader);
            scan = scanner.scan(start, (batch, index) -> replayed[0] += replay(batch, stateMachine, recorder,
                eventsWriter, start.nextCommand(), eventsThrough));
        }
        // What was replayed may never have been synced (the process died between a group commit's append and
        // its fdatasync, or the sync failed): from here on it counts as durable (a retry answers `exists`),
        // so it must be on the device before anything is taken. Only the newest cycle file can hold such a
        // tail — and the one before it if that group commit rolled the journal over (the writer syncs a file
        // it leaves at its next sync); every older file was synced then, or by an earlier recovery.
        QueueSync.syncNewestCycles(journal.file().toPath(), 2);
        long cut = -1;
        if (scan.hasTornTail()) {
            cut = cutTornTail(journal, scan);
            warnings.add("the last journal batch (index 0x" + Long.toHexString(cut) + ") was torn (" + scan.tornCheck()
                + ") and has been cut; its commands were never acknowledged");
        }
        return new Result(scan.end(), replayed[0], scan.batchesRead(), snapshotUsed,
            Math.max(eventsThrough, scan.end().nextCommand() - 1), cut, warnings, indexKept);
    }

    private static long replay(JournalBatchDecoder batch, StateMachine stateMachine, OutcomeRecorder recorder,
                               JournalWriter eventsWriter, long firstCommand, long eventsThrough) {
        long commandNumber = batch.firstCommand();
        long applied = 0;
        while (batch.nextCommand()) {
            JournalBatchDecoder.JournalCommand command = batch.command();
            if (commandNumber >= firstCommand) {
                boolean recording = commandNumber > eventsThrough;
                if (recording) {
                    recorder.begin(commandNumber, command.timestamp());
                }
                CommandApplier.apply(stateMachine, command.type(), command.timestamp(), command.eventCount(),
                    command.buffer(), command.eventsOffset(), command.buffer(), command.tenantsOffset(),
                    command.tenantsLength() / Integer.BYTES, command.buffer(), command.sideDataOffset(),
                    command.sideDataLength(), null, 0);
                if (recording) {
                    int length = recorder.finish(command.buffer(), command.sideDataOffset(), command.sideDataLength());
                    if (length > 0) {
                        eventsWriter.appendOutcomes(recorder.buffer(), 0, length);
                    }
                }
                applied++;
            }
            commandNumber++;
        }
        return applied;
    }

    private static long cutTornTail(SingleChronicleQueue journal, JournalScanner.Result scan) {
        UnsafeBuffer marker = new UnsafeBuffer(new byte[CutMarker.LENGTH]);
        int length = CutMarker.encode(marker, scan.tornIndex(), scan.end().nextBatch());
        try (JournalWriter writer = new JournalWriter(journal)) {
            writer.append(marker, 0, length);
            writer.sync();
        }
        return scan.tornIndex();
    }

    /** The command number of the last outcome excerpt in the event stream, or -1 if it is empty. */
    static long lastEventCommand(SingleChronicleQueue events) {
        try (ExcerptTailer tailer = events.createTailer()) {
            tailer.direction(TailerDirection.BACKWARD).toEnd();
            try (DocumentContext document = tailer.readingDocument()) {
                if (!document.isPresent()) {
                    return -1;
                }
                var bytes = document.wire().bytes();
                long start = bytes.readPosition();
                if (bytes.readRemaining() < OutcomeLayout.HEADER_BYTES
                    || bytes.readInt(start) != OutcomeLayout.MAGIC) {
                    throw new IllegalStateException("the event stream's last excerpt is not an outcome excerpt");
                }
                return bytes.readLong(start + OutcomeLayout.COMMAND_NUMBER);
            }
        }
    }
}
