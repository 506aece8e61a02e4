package com.fanzfinance.ledger.journal;

import java.nio.file.Files;
import java.nio.file.Path;

import com.fanzfinance.ledger.snapshot.JournalPosition;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * Checks a whole journal from its first batch — framing, CRC, sequence numbers and the hash chain — and
 * reports how much it holds and its head hash, the one value that identifies everything in it. A changed,
 * dropped or reordered batch anywhere makes it fail, naming the position.
 */
public final class JournalVerifier {
    /** What a verification found. {@code tornIndex} is -1 unless the last batch is torn (and not yet cut). */
    public record Report(long batches, long commands, String headHash, long tornIndex) {
    }

    private JournalVerifier() {
    }

    /** Verifies the journal in {@code directory}; throws {@link JournalCorruptException} if it is damaged. */
    public static Report verify(Path directory, int batchBytesMax) {
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("no journal at " + directory);
        }
        try (SingleChronicleQueue queue = JournalQueues.open(directory, JournalQueues.rollCycle("FAST_HOURLY"), null);
             JournalReader reader = new JournalReader(queue, batchBytesMax)) {
            JournalScanner.Result result = new JournalScanner(reader).scan(JournalPosition.START, (batch, index) -> {
            });
            return new Report(result.batchesRead(), result.end().nextCommand(), HashChain.hex(result.end().chainHead()),
                result.tornIndex());
        }
    }

    /** Command line: {@code JournalVerifier <journal directory>}; exit status 0 valid, 1 damaged, 2 usage. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: JournalVerifier <journal directory>");
            System.exit(2);
        }
        try {
            Report report = verify(Path.of(args[0]), 16 << 20);
            System.out.println("batches:   " + report.batches());
            System.out.println("commands:  " + report.commands());
            System.out.println("head hash: " + report.headHash());
            if (report.tornIndex() >= 0) {
                System.out.println("warning:   the last batch is torn and will be cut on the next start");
            }
        } catch (JournalCorruptException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
    }
}
