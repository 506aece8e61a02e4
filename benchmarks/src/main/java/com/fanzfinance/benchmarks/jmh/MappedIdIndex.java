package com.fanzfinance.benchmarks.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.state.MemoryFactory;
import com.fanzfinance.ledger.state.TransferIdIndex;
import com.fanzfinance.ledger.state.TransferStore;

/**
 * A transfer id index and its transfer store, as the business thread has them, for the id index benchmarks: under a
 * fresh temporary directory (mapped files, as the server's default) or on the heap; {@link #close} deletes it all.
 */
final class MappedIdIndex implements AutoCloseable {
    private final UnsafeBuffer record = new UnsafeBuffer(new byte[TransferLayout.SIZE]);
    private final Path directory;
    private final MemoryFactory factory;
    private final TransferStore transfers;
    TransferIdIndex index;

    /** An index sized for {@code expectedEntries}, with a store for {@code storeEntries} transfers. */
    MappedIdIndex(boolean mapped, long expectedEntries, long storeEntries) throws IOException {
        directory = Files.createTempDirectory("id-index-benchmark");
        factory = mapped ? MemoryFactory.mappedUnder(directory) : MemoryFactory.inMemory();
        transfers = new TransferStore(factory.create("transfers", storeEntries * TransferLayout.SIZE), Long.MAX_VALUE);
        index = new TransferIdIndex(factory, transfers, expectedEntries);
    }

    /** Appends a transfer with this id and indexes it. */
    void add(long low, long high) {
        record.putLong(TransferLayout.ID, low);
        record.putLong(TransferLayout.ID + 8, high);
        index.insertTransfer(transfers.append(record, 0), low, high);
    }

    /**
     * Closes the index and opens a fresh one over the same store, sized for {@code expectedEntries}, as a restarting
     * ledger does (its table files are cut back and used again); {@link TransferIdIndex#rebuild} then fills it.
     */
    TransferIdIndex reopenIndex(long expectedEntries) {
        index.close();
        index = new TransferIdIndex(factory, transfers, expectedEntries);
        return index;
    }

    @Override
    public void close() throws IOException {
        index.close();
        transfers.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
