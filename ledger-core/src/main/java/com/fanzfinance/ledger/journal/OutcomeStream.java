package com.fanzfinance.ledger.journal;

import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.ExpandableArrayBuffer;

import com.fanzfinance.ledger.command.OutcomeCompaction;
import com.fanzfinance.ledger.command.OutcomeExcerpt;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * Tails the engine's outcome-event stream: one excerpt per journaled command, in command order, with no
 * gaps, each given in its expanded form ({@link com.fanzfinance.ledger.command.OutcomeLayout}) whether the
 * stream holds it so or compact ({@link OutcomeCompaction}). A subscriber (the read model) remembers the
 * command number and queue index of the last excerpt it has fully handled, and resumes after it with
 * {@link #resumeAfter}. Reading never blocks: at the
 * current end {@link #next} returns false and the caller decides how long to wait. Not thread-safe; one
 * stream per subscriber thread.
 */
public final class OutcomeStream implements AutoCloseable {
    /** The read and expansion buffers' first size; they grow to the largest excerpt met. */
    private static final int EXCERPT_BYTES_INITIAL = 1 << 20;

    private final SingleChronicleQueue queue;
    private final JournalReader reader;
    private final OutcomeExcerpt excerpt = new OutcomeExcerpt();
    private final ExpandableArrayBuffer expanded = new ExpandableArrayBuffer(EXCERPT_BYTES_INITIAL);
    private long expectedCommand;

    private OutcomeStream(SingleChronicleQueue queue) {
        this.queue = queue;
        this.reader = new JournalReader(queue, EXCERPT_BYTES_INITIAL);
    }

    /** Opens the stream in {@code eventsDirectory} (the engine's {@code EngineConfig#eventsDirectory()}). */
    public static OutcomeStream open(Path eventsDirectory) {
        if (!Files.isDirectory(eventsDirectory)) {
            throw new IllegalArgumentException("no event stream at " + eventsDirectory);
        }
        return new OutcomeStream(JournalQueues.open(eventsDirectory, JournalQueues.rollCycle("FAST_HOURLY"), null));
    }

    /**
     * Positions the stream after command {@code commandNumber}, whose excerpt is at {@code queueIndex}, or at
     * the start if {@code commandNumber} is -1. A {@code queueIndex} of -1 with a command means "not
     * known" (a read model rebuilt from the journal): the stream is then read from the start up to that
     * command. Throws if the excerpt there is not that command's. Afterwards {@link #excerpt()} is that command's.
     */
    public void resumeAfter(long commandNumber, long queueIndex) {
        expectedCommand = commandNumber + 1;
        if (commandNumber < 0) {
            reader.toStart();
            return;
        }
        if (queueIndex < 0) {
            reader.toStart();
            while (reader.next()) {
                long found = OutcomeCompaction.commandNumber(reader.buffer(), 0, reader.length());
                if (found == commandNumber) {
                    read(reader, excerpt, expanded);
                    return;
                }
            }
            throw new IllegalStateException("the event stream does not hold command " + commandNumber
                + " (its last is " + lastCommand() + ")");
        }
        if (!reader.moveToIndex(queueIndex) || !reader.next()) {
            throw new IllegalStateException("the event stream has no excerpt at index 0x" + Long.toHexString(queueIndex)
                + " (command " + commandNumber + ")");
        }
        long found = read(reader, excerpt, expanded).commandNumber();
        if (found != commandNumber) {
            throw new IllegalStateException("the event stream holds command " + found + " at index 0x"
                + Long.toHexString(queueIndex) + ", not command " + commandNumber);
        }
    }

    /**
     * Reads the next excerpt into {@link #excerpt()}; false if there is none yet. Throws if the stream skips
     * or repeats a command, which would mean a damaged stream.
     */
    public boolean next() {
        if (!reader.next()) {
            return false;
        }
        long found = read(reader, excerpt, expanded).commandNumber();
        if (found != expectedCommand) {
            throw new IllegalStateException("the event stream jumps from command " + (expectedCommand - 1) + " to "
                + found + " at index 0x" + Long.toHexString(reader.index()));
        }
        expectedCommand++;
        return true;
    }

    /** The excerpt read last; valid until the next call to {@link #next}. */
    public OutcomeExcerpt excerpt() {
        return excerpt;
    }

    /** The queue index of the excerpt read last. */
    public long index() {
        return reader.index();
    }

    /** The last command in the stream, or -1 if it is empty (for progress and lag). */
    public long lastCommand() {
        long last = queue.lastIndex();
        if (last < 0) {
            return -1;
        }
        try (JournalReader probe = new JournalReader(queue, EXCERPT_BYTES_INITIAL)) {
            if (!probe.moveToIndex(last) || !probe.next()) {
                return -1;
            }
            return OutcomeCompaction.commandNumber(probe.buffer(), 0, probe.length());
        }
    }

    /** Wraps {@code into} over the expanded form of the excerpt {@code from} has just read. */
    private static OutcomeExcerpt read(JournalReader from, OutcomeExcerpt into, ExpandableArrayBuffer expandInto) {
        if (OutcomeCompaction.isCompact(from.buffer(), 0, from.length())) {
            int length = OutcomeCompaction.expand(from.buffer(), 0, from.length(), expandInto);
            return into.wrap(expandInto, 0, length);
        }
        return into.wrap(from.buffer(), 0, from.length());
    }

    @Override
    public void close() {
        reader.close();
        queue.close();
    }
}
