package com.fanzfinance.ledger.journal;

import com.fanzfinance.ledger.snapshot.JournalPosition;

/**
 * Walks the journal from a position, checking every batch (framing, CRC, sequence, hash chain) before
 * handing it on. The rules:
 * <ul>
 *   <li>an excerpt that fails its CRC or framing and is the last one is a torn write: reported as
 *       {@link Result#tornIndex()}, for the caller to cut;</li>
 *   <li>such an excerpt followed by a {@link CutMarker} naming it was cut earlier: skipped;</li>
 *   <li>anything else that does not check out — a bad excerpt with more after it, a batch out of
 *       sequence, a broken chain, a malformed command — throws {@link JournalCorruptException} naming
 *       the position.</li>
 * </ul>
 */
public final class JournalScanner {
    /** Receives each checked batch; the decoder is positioned before its first command. */
    public interface BatchConsumer {
        void accept(JournalBatchDecoder batch, long queueIndex);
    }

    /** Where the scan ended (next batch and command, chain head, last batch's index), and a torn tail if any. */
    public record Result(JournalPosition end, long tornIndex, BatchCheck tornCheck, long batchesRead) {
        public boolean hasTornTail() {
            return tornIndex >= 0;
        }
    }

    private final JournalReader reader;
    private final JournalBatchDecoder decoder = new JournalBatchDecoder();
    private final HashChain chain = new HashChain();

    public JournalScanner(JournalReader reader) {
        this.reader = reader;
    }

    /**
     * Scans from {@code start} to the end of the queue. If {@code start} is not the beginning, the excerpt
     * at its {@code lastBatchIndex} must be the batch just before it, with its chain head (a snapshot's
     * anchor); reading continues after that excerpt.
     */
    public Result scan(JournalPosition start, BatchConsumer consumer) {
        chain.reset(start.chainHead());
        long expectedBatch = start.nextBatch();
        long expectedCommand = start.nextCommand();
        long lastBatchIndex = start.lastBatchIndex();
        if (lastBatchIndex >= 0) {
            checkAnchor(start, lastBatchIndex);
        } else {
            reader.toStart();
        }
        long tornIndex = -1;
        BatchCheck tornCheck = null;
        long read = 0;
        while (reader.next()) {
            long index = reader.index();
            if (CutMarker.isCutMarker(reader.buffer(), reader.length())) {
                if (tornIndex < 0 || CutMarker.tornIndex(reader.buffer()) != tornIndex) {
                    throw corrupt("a cut marker that names no torn batch", index, BatchCheck.MALFORMED_COMMAND);
                }
                tornIndex = -1;
                tornCheck = null;
                continue;
            }
            if (tornIndex >= 0) {
                throw corrupt("batch " + expectedBatch + " is damaged (" + tornCheck + ") and more follows it",
                    tornIndex, tornCheck);
            }
            decoder.wrap(reader.buffer(), 0, reader.length());
            BatchCheck check = decoder.check(expectedBatch, expectedCommand, chain);
            if (check == BatchCheck.VALID) {
                consumer.accept(decoder, index);
                expectedBatch++;
                expectedCommand += decoder.commandCount();
                lastBatchIndex = index;
                read++;
            } else if (check == BatchCheck.CRC_MISMATCH || check == BatchCheck.TRUNCATED || check == BatchCheck.BAD_MAGIC) {
                tornIndex = index;
                tornCheck = check;
            } else {
                throw corrupt("batch " + expectedBatch + " fails its check: " + check, index, check);
            }
        }
        return new Result(new JournalPosition(expectedBatch, expectedCommand, chain.head(), lastBatchIndex), tornIndex,
            tornCheck, read);
    }

    private void checkAnchor(JournalPosition start, long lastIndex) {
        if (!reader.moveToIndex(lastIndex) || !reader.next()) {
            throw corrupt("the batch a snapshot starts after is missing", lastIndex, BatchCheck.TRUNCATED);
        }
        decoder.wrap(reader.buffer(), 0, reader.length());
        HashChain unchecked = null;
        BatchCheck check = decoder.check(start.nextBatch() - 1, decoder.firstCommand(), unchecked);
        if (check != BatchCheck.VALID || decoder.firstCommand() + decoder.commandCount() != start.nextCommand()
            || !java.util.Arrays.equals(decoder.chainHash(), start.chainHead())) {
            throw corrupt("the batch a snapshot starts after does not match the snapshot (" + check + ")", lastIndex,
                BatchCheck.CHAIN_MISMATCH);
        }
    }

    private JournalCorruptException corrupt(String problem, long index, BatchCheck check) {
        return new JournalCorruptException("journal corrupt at " + reader.describe(index) + ": " + problem, index, check);
    }
}
