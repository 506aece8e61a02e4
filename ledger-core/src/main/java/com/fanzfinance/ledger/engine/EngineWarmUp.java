package com.fanzfinance.ledger.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.LedgerLimits;
import com.fanzfinance.ledger.command.Records;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.TransferLayout;
import com.fanzfinance.ledger.config.StateMachineConfig;
import com.fanzfinance.ledger.journal.CommandType;

/**
 * Applies synthetic transfers to a throwaway state machine of its own, on a thread of its own, so that the JIT
 * compiles the path every command takes (the state machine, the outcome recorder, the stores) from the first seconds
 * of a start instead of while the first real batches wait on interpreted and lightly compiled code. Nothing of the
 * ledger is read or written: its own accounts and transfers live in process memory or, for an engine with mapped
 * stores (so that the code is compiled for the same kind of memory), in files under a directory of its own that it
 * deletes when it ends.
 *
 * <p>The mix is mostly plain transfers in full batches between 1,000 accounts, with a share of the other paths so that
 * none of them is compiled as if it never happened: transfers sent again as they were ({@code exists}), linked pairs,
 * pending transfers posted or voided by later ones, and transfers to an account that does not exist (a failure). It
 * runs under its own limits ({@link LedgerLimits#DEFAULT}), not the ledger's, and in rounds of {@value #ROUND_BATCHES}
 * batches, each on a new throwaway state machine, so that what it holds at once stays bounded (about 25 MB of heap or
 * of files) however many transfers it is asked for. Cancelled between batches ({@link #cancel}); a failure ends it and
 * is reported through {@link #done} (the ledger is unaffected).
 */
final class EngineWarmUp implements Runnable {
    static final int ACCOUNTS = 1_000;
    static final int BATCH = 8_189;
    /** Batches applied to one throwaway state machine before the next takes over. */
    static final int ROUND_BATCHES = 16;
    /** Sized so that a round's transfers never make its id index grow (70% of 2^19 slots). */
    private static final long ROUND_EXPECTED_TRANSFERS = 1 << 18;

    private final StateMachineConfig config;
    private final Path directory;
    private final long transfers;
    private final CompletableFuture<Result> done = new CompletableFuture<>();
    private volatile boolean cancelled;

    /**
     * @param config    the ledger's state machine configuration (only whether its stores are mapped matters: the
     *                  warm-up's own stores are the same kind, under {@code directory})
     * @param directory where the throwaway stores' files go (deleted before and after), or null for process memory
     * @param transfers how many synthetic transfers to apply, in full batches
     */
    EngineWarmUp(StateMachineConfig config, Path directory, long transfers) {
        this.config = new StateMachineConfig(LedgerLimits.DEFAULT, ACCOUNTS, ROUND_EXPECTED_TRANSFERS, directory);
        this.directory = directory;
        this.transfers = transfers;
    }

    /** What a warm-up did: transfers applied (fewer than asked if cancelled) and how many of them were created. */
    record Result(long applied, long created) {
    }

    /** Completes when the warm-up ends, or with its failure. */
    CompletableFuture<Result> done() {
        return done;
    }

    void cancel() {
        cancelled = true;
    }

    @Override
    public void run() {
        try {
            deleteTree(directory);
            long applied = 0;
            long created = 0;
            while (applied < transfers && !cancelled) {
                Result round = round(Math.min(transfers - applied, (long) ROUND_BATCHES * BATCH));
                applied += round.applied();
                created += round.created();
                deleteTree(directory);
            }
            done.complete(new Result(applied, created));
        } catch (RuntimeException | Error e) {
            try {
                deleteTree(directory);
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            done.completeExceptionally(e);
        }
    }

    /** One round: a new throwaway state machine, its accounts, then batches until {@code transfers} are applied. */
    private Result round(long transfers) {
        long applied = 0;
        long created;
        StateMachine machine = new StateMachine(config, OutcomeRecorder::new);
        try {
            OutcomeRecorder recorder = (OutcomeRecorder) machine.listener();
            UnsafeBuffer events = new UnsafeBuffer(new byte[BATCH * TransferLayout.SIZE]);
            UnsafeBuffer results = new UnsafeBuffer(new byte[BATCH * 16]);
            for (int i = 0; i < ACCOUNTS; i++) {
                Records.encode(Account.of(new com.fanzfinance.ledger.command.Uint128(0, i + 1), 1, 1), events,
                    i * TransferLayout.SIZE);
            }
            long timestamp = ACCOUNTS;
            long command = 0;
            recorder.begin(command++, timestamp);
            CommandApplier.apply(machine, CommandType.CREATE_ACCOUNTS, timestamp, ACCOUNTS, events, 0, null, 0, 0, null,
                0, 0, results, 0);
            recorder.finish(null, 0, 0);
            SplittableRandom random = new SplittableRandom(20);
            UnsafeBuffer previous = new UnsafeBuffer(new byte[BATCH * TransferLayout.SIZE]);
            long nextId = 1;
            while (applied < transfers && !cancelled) {
                previous.putBytes(0, events, 0, BATCH * TransferLayout.SIZE);
                nextId = fill(events, previous, applied > 0, random, nextId);
                timestamp += BATCH;
                recorder.begin(command++, timestamp);
                CommandApplier.apply(machine, CommandType.CREATE_TRANSFERS, timestamp, BATCH, events, 0, null, 0, 0, null,
                    0, 0, results, 0);
                recorder.finish(null, 0, 0);
                applied += BATCH;
            }
            created = machine.transferCount();
        } finally {
            machine.close();
        }
        return new Result(applied, created);
    }

    /**
     * One batch: the events, mostly plain transfers, some sent again exactly as in the batch before ({@code previous},
     * if {@code repeats}); returns the next new id.
     */
    private static long fill(UnsafeBuffer events, UnsafeBuffer previous, boolean repeats, SplittableRandom random,
                             long nextId) {
        long id = nextId;
        events.setMemory(0, BATCH * TransferLayout.SIZE, (byte) 0);
        for (int i = 0; i < BATCH; i++) {
            int at = i * TransferLayout.SIZE;
            int debit = random.nextInt(ACCOUNTS) + 1;
            int credit = debit % ACCOUNTS + 1;
            int kind = random.nextInt(64);
            int flags = 0;
            long pendingId = 0;
            long transferId = id++;
            if (kind == 0 && repeats && previous.getShort(at + TransferLayout.FLAGS) == 0) {
                events.putBytes(at, previous, at, TransferLayout.SIZE); // sent again as it was: exists (or fails again)
                id--;
                continue;
            } else if (kind == 1 && i + 1 < BATCH) {
                flags = TransferFlags.LINKED; // a pair: this one and the next
            } else if (kind == 2) {
                flags = TransferFlags.PENDING;
            } else if (kind == 3 && i > 0 && events.getShort((i - 1) * TransferLayout.SIZE + TransferLayout.FLAGS)
                == TransferFlags.PENDING) {
                flags = random.nextBoolean() ? TransferFlags.POST_PENDING_TRANSFER : TransferFlags.VOID_PENDING_TRANSFER;
                pendingId = events.getLong((i - 1) * TransferLayout.SIZE + TransferLayout.ID);
                debit = 0;
                credit = 0;
            } else if (kind == 4) {
                credit = ACCOUNTS + 1; // no such account: fails
            }
            events.putLong(at + TransferLayout.ID, transferId);
            events.putLong(at + TransferLayout.DEBIT_ACCOUNT_ID, debit);
            events.putLong(at + TransferLayout.CREDIT_ACCOUNT_ID, credit);
            events.putLong(at + TransferLayout.AMOUNT, flags == 0 || flags == TransferFlags.LINKED
                || flags == TransferFlags.PENDING ? 1 + random.nextInt(100) : 0);
            events.putLong(at + TransferLayout.PENDING_ID, pendingId);
            events.putInt(at + TransferLayout.LEDGER, pendingId == 0 ? 1 : 0);
            events.putShort(at + TransferLayout.CODE, (short) (pendingId == 0 ? 1 : 0));
            events.putShort(at + TransferLayout.FLAGS, (short) flags);
        }
        return id;
    }

    /** Deletes {@code directory} and everything under it, if it exists (null: nothing to do). */
    static void deleteTree(Path directory) {
        if (directory == null || !Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the warm-up's directory " + directory, e);
        }
    }
}
