package com.fanzfinance.ledger.snapshot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fanzfinance.ledger.journal.JournalFormat;
import com.fanzfinance.ledger.state.DurableFiles;
import com.fanzfinance.ledger.state.FailedTransferIds;
import com.fanzfinance.ledger.state.LedgerState;

/**
 * Snapshot files in one directory: {@code snapshot-<next command, 20 digits>.snap}, written to a
 * temporary name, synced, then renamed, so a file with the final name is complete. Each ends with a
 * CRC-32C of everything before it; a file that fails it is skipped (and reported) on recovery.
 *
 * <pre>
 *   "FZS1" u32, version u32, next batch u64, next command u64, chain head 32B, last batch index u64,
 *   last timestamp u64,
 *   stores kind u32 (0: content follows, 1: mapped files, lengths only)
 *   accounts: count u32, 13 longs each
 *   pending statuses: pairs u32, (sequence, status) longs
 *   expiry heap: entries u32, (expires-at, sequence) longs
 *   transfers u64, failed ids u64, plain list blocks u64, history list blocks u64
 *   metadata bytes u64, account metadata pairs u32 + (slot, offset+1) longs, transfer metadata pairs
 *   u32 + (sequence, offset+1) longs
 *   limits: accounts, transfers, tenant accounts, tenant transfers u64
 *   tenants: longs u32, then {@code Tenants.export()}'s longs
 *   [kind 0: the five stores' bytes (failed ids at 32 bytes each)]
 *   "FZSE" u32, CRC-32C u32
 * </pre>
 */
public final class SnapshotStore {
    private static final int MAGIC = 0x3153_5A46;
    private static final int END_MAGIC = 0x4553_5A46;
    /** 2: limits, tenants and failed-id owners (version 1 snapshots are skipped: the journal replays). */
    private static final int VERSION = 2;
    private static final int CONTENT_FOLLOWS = 0;
    private static final int MAPPED_FILES = 1;
    private static final String PREFIX = "snapshot-";
    private static final String SUFFIX = ".snap";

    private final Path directory;
    private final int keep;

    /** @param keep how many snapshots to keep; older ones are deleted after a new one is written */
    public SnapshotStore(Path directory, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep at least one snapshot, was " + keep);
        }
        this.directory = directory;
        this.keep = keep;
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }

    /** Writes a snapshot (off the business thread) and prunes old ones; returns its file. */
    public Path write(SnapshotImage image) {
        return write(image, false);
    }

    /**
     * As {@link #write(SnapshotImage)}; {@code paced}: mapped stores are written back a slice at a time with rests
     * between ({@link PacedWriteBack}), so that the journal's syncs meanwhile do not wait behind all of it.
     */
    public Path write(SnapshotImage image, boolean paced) {
        boolean mapped = image.stores.transfers().memory().isMapped();
        if (mapped) {
            forceStores(image.stores, paced);
        }
        Path target = directory.resolve(fileName(image.position.nextCommand()));
        Path temporary = directory.resolve(target.getFileName() + ".tmp");
        try (FileChannel channel = openOwnerOnly(temporary)) {
            SnapshotOutput out = new SnapshotOutput(channel);
            writeBody(out, image, mapped);
            out.writeInt(END_MAGIC);
            int crc = out.crc();
            out.writeInt(crc);
            out.flush();
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot " + temporary, e);
        }
        moveIntoPlace(temporary, target);
        prune();
        return target;
    }

    /**
     * Loads the newest snapshot whose checksum holds and that reflects no command at or past
     * {@code nextCommandMax} into {@code state}, and returns its position; empty if there is none (then
     * the journal replays from the start). Invalid files are reported through {@code warnings} and
     * skipped. (A snapshot beyond {@code nextCommandMax} is skipped because the event stream lacks the
     * outcomes of commands before it, and only a replay from earlier can write them.)
     */
    public Optional<JournalPosition> restoreNewest(LedgerState state, List<String> warnings, long nextCommandMax) {
        for (Path file : snapshotsNewestFirst()) {
            try {
                if (!checksumHolds(file)) {
                    warnings.add("snapshot " + file.getFileName() + " fails its checksum; skipped");
                    continue;
                }
                long nextCommand = nextCommandOf(file);
                if (nextCommand > nextCommandMax) {
                    warnings.add("snapshot " + file.getFileName() + " is ahead of the event stream; an earlier start"
                        + " replays the missing outcomes");
                    continue;
                }
                return Optional.of(restore(file, state));
            } catch (IOException | RuntimeException e) {
                warnings.add("snapshot " + file.getFileName() + " cannot be read (" + e.getMessage() + "); skipped");
            }
        }
        state.restoreStores(0, 0, 1, 1);
        return Optional.empty();
    }

    public List<Path> snapshotsNewestFirst() {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(directory)) {
            listing.filter(p -> p.getFileName().toString().startsWith(PREFIX)
                && p.getFileName().toString().endsWith(SUFFIX)).forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        files.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        return files;
    }

    private void writeBody(SnapshotOutput out, SnapshotImage image, boolean mapped) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(image.position.nextBatch());
        out.writeLong(image.position.nextCommand());
        out.writeBytes(image.position.chainHead());
        out.writeLong(image.position.lastBatchIndex());
        out.writeLong(image.lastTimestamp);
        out.writeInt(mapped ? MAPPED_FILES : CONTENT_FOLLOWS);
        out.writeInt(image.accountCount);
        out.writeLongs(image.accounts, image.accounts.length);
        out.writeInt(image.pendingStatuses.length / 2);
        out.writeLongs(image.pendingStatuses, image.pendingStatuses.length);
        out.writeInt(image.expiryHeapExpiresAt.length);
        for (int i = 0; i < image.expiryHeapExpiresAt.length; i++) {
            out.writeLong(image.expiryHeapExpiresAt[i]);
            out.writeLong(image.expiryHeapSequences[i]);
        }
        out.writeLong(image.transferCount);
        out.writeLong(image.failedIdCount);
        out.writeLong(image.plainListBlocks);
        out.writeLong(image.historyListBlocks);
        out.writeLong(image.metadataLength);
        out.writeInt(image.accountMetadata.length / 2);
        out.writeLongs(image.accountMetadata, image.accountMetadata.length);
        out.writeInt(image.transferMetadata.length / 2);
        out.writeLongs(image.transferMetadata, image.transferMetadata.length);
        out.writeLong(image.limits.accountsMax());
        out.writeLong(image.limits.transfersMax());
        out.writeLong(image.limits.tenantAccountsMax());
        out.writeLong(image.limits.tenantTransfersMax());
        out.writeInt(image.tenants.length);
        out.writeLongs(image.tenants, image.tenants.length);
        if (!mapped) {
            LedgerState stores = image.stores;
            out.writeMemory(stores.transfers().memory(), image.transferCount * 128);
            out.writeMemory(stores.failedTransferIds().memory(), image.failedIdCount * FailedTransferIds.RECORD_BYTES);
            out.writeMemory(stores.accountTransferLists().store(false).memory(), image.plainListBlocks * 128);
            out.writeMemory(stores.accountTransferLists().store(true).memory(), image.historyListBlocks * 256);
            out.writeMemory(stores.metadata().memory(), image.metadataLength);
        }
    }

    /** A fresh temporary file only the owner can read, whatever the process's umask (a stale one is replaced). */
    private static FileChannel openOwnerOnly(Path temporary) throws IOException {
        Files.deleteIfExists(temporary);
        java.util.Set<StandardOpenOption> options = java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            return FileChannel.open(temporary, options, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return FileChannel.open(temporary, options);
        }
    }

    private static long nextCommandOf(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            SnapshotInput in = new SnapshotInput(channel);
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException("not a version " + VERSION + " snapshot");
            }
            in.readLong();
            return in.readLong();
        }
    }

    private JournalPosition restore(Path file, LedgerState state) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            SnapshotInput in = new SnapshotInput(channel);
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IOException("not a version " + VERSION + " snapshot");
            }
            long nextBatch = in.readLong();
            long nextCommand = in.readLong();
            byte[] chainHead = in.readBytes(JournalFormat.HASH_BYTES);
            JournalPosition position = new JournalPosition(nextBatch, nextCommand, chainHead, in.readLong());
            long lastTimestamp = in.readLong();
            int kind = in.readInt();
            int accountCount = in.readInt();
            long[] accounts = in.readLongs(accountCount * com.fanzfinance.ledger.state.AccountStore.FIELDS);
            long[] pending = in.readLongs(in.readInt() * 2);
            int heapEntries = in.readInt();
            long[] expiresAt = new long[heapEntries];
            long[] sequences = new long[heapEntries];
            for (int i = 0; i < heapEntries; i++) {
                expiresAt[i] = in.readLong();
                sequences[i] = in.readLong();
            }
            long transfers = in.readLong();
            long failed = in.readLong();
            long plainBlocks = in.readLong();
            long historyBlocks = in.readLong();
            long metadataLength = in.readLong();
            long[] accountMetadata = in.readLongs(in.readInt() * 2);
            long[] transferMetadata = in.readLongs(in.readInt() * 2);
            com.fanzfinance.ledger.command.LedgerLimits limits = new com.fanzfinance.ledger.command.LedgerLimits(
                in.readLong(), in.readLong(), in.readLong(), in.readLong());
            long[] tenants = in.readLongs(in.readInt());
            boolean mapped = state.transfers().memory().isMapped();
            if ((kind == MAPPED_FILES) != mapped) {
                throw new IOException("snapshot was taken with " + (kind == MAPPED_FILES ? "mapped" : "in-memory")
                    + " stores; this ledger uses " + (mapped ? "mapped" : "in-memory") + " stores");
            }
            if (!mapped) {
                readStore(in, state.transfers().memory(), transfers * 128);
                readStore(in, state.failedTransferIds().memory(), failed * FailedTransferIds.RECORD_BYTES);
                readStore(in, state.accountTransferLists().store(false).memory(), plainBlocks * 128);
                readStore(in, state.accountTransferLists().store(true).memory(), historyBlocks * 256);
                readStore(in, state.metadata().memory(), metadataLength);
            }
            state.metadata().restore(metadataLength, accountMetadata, transferMetadata);
            state.restoreStores(transfers, failed, plainBlocks, historyBlocks);
            state.accounts().importAccounts(accounts, accountCount);
            state.pendingTransfers().importState(pending, expiresAt, sequences);
            state.lastTimestamp(lastTimestamp);
            state.limits(limits);
            state.tenants().importFrom(tenants);
            return position;
        }
    }

    private static void readStore(SnapshotInput in, com.fanzfinance.ledger.state.PagedMemory memory, long length)
        throws IOException {
        memory.ensureCapacity(length);
        in.readMemory(memory, length);
    }

    private static boolean checksumHolds(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                return false;
            }
            java.nio.ByteBuffer trailer = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            channel.read(trailer, size - 8);
            trailer.flip();
            if (trailer.getInt() != END_MAGIC) {
                return false;
            }
            int stored = trailer.getInt();
            return SnapshotInput.checksumOf(channel, size - 4) == stored;
        }
    }

    private static void forceStores(LedgerState state, boolean paced) {
        state.transfers().memory().force(paced);
        state.failedTransferIds().memory().force(paced);
        state.accountTransferLists().store(false).memory().force(paced);
        state.accountTransferLists().store(true).memory().force(paced);
        state.metadata().memory().force(paced);
    }

    private void moveIntoPlace(Path temporary, Path target) {
        try {
            DurableFiles.moveIntoPlace(temporary, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move snapshot into place: " + target, e);
        }
    }

    private void prune() {
        List<Path> files = snapshotsNewestFirst();
        for (int i = keep; i < files.size(); i++) {
            try {
                Files.deleteIfExists(files.get(i));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete old snapshot " + files.get(i), e);
            }
        }
    }

    private static String fileName(long nextCommand) {
        return PREFIX + String.format("%020d", nextCommand) + SUFFIX;
    }
}
