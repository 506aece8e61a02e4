package com.fanzfinance.benchmarks.jmh;

import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.benchmarks.load.AccountDistribution;
import com.fanzfinance.benchmarks.load.AccountPicker;
import com.fanzfinance.benchmarks.load.IndexRandom;

import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.TransferLayout;

/**
 * The transfers the JMH benchmarks apply: accounts {@code 1 … accounts} chosen by the load generator's
 * {@link AccountPicker} ({@code uniform}, {@code zipfian} or {@code latest}, as TigerBeetle's benchmark), amounts 1–1,000, ids 1, 2, 3, … in order.
 *
 * <p>A share {@code twoPhaseShare} of the slots are two-phase: such a slot either reserves (a
 * {@code pending} transfer between its accounts) or posts the oldest reservation not yet posted (a
 * {@code post_pending_transfer} of the full amount). Once {@value #OUTSTANDING} reservations are open
 * the two-phase slots alternate, so in steady state half of them reserve and half post, about
 * {@value #OUTSTANDING} reservations stay open, and every post looks up its pending transfer and
 * releases the reserve.
 *
 * <p>Account pairs and amounts are drawn once, into {@code buffers} batch buffers that are reused
 * round-robin, so the measured loop costs only the writes of ids and two-phase fields. A caller that
 * keeps batches in flight must have fewer in flight than there are buffers.
 */
final class TransferWorkload {
    static final int BATCH = 8189;
    private static final long FIRST_ID = 1;
    /** Open reservations kept in steady state. */
    static final int OUTSTANDING = 10_000;

    private final UnsafeBuffer[] buffers;
    private final boolean[][] twoPhase;
    private final long[][] drawn;
    private final long[] pendingIds;
    private final long[] pendingAmounts;
    private int pendingHead;
    private int pendingSize;
    private int nextBuffer;
    private long nextId = FIRST_ID;
    private long reserved;

    TransferWorkload(String distribution, int accounts, double twoPhaseShare, long seed, int bufferCount) {
        if (twoPhaseShare < 0 || twoPhaseShare > 1) {
            throw new IllegalArgumentException("twoPhaseShare must be within 0 … 1, not " + twoPhaseShare);
        }
        IndexRandom random = new IndexRandom(seed).reset(0, 0);
        AccountPicker chooser = new AccountPicker(AccountDistribution.parse(distribution), accounts, seed);
        buffers = new UnsafeBuffer[bufferCount];
        twoPhase = new boolean[bufferCount][BATCH];
        drawn = new long[bufferCount][];
        for (int b = 0; b < bufferCount; b++) {
            buffers[b] = new UnsafeBuffer(new byte[BATCH * TransferLayout.SIZE]);
            drawn[b] = new long[BATCH * 3];
            for (int i = 0; i < BATCH; i++) {
                int debit = chooser.pick(random);
                int credit = chooser.pickOtherThan(debit, random);
                int offset = i * TransferLayout.SIZE;
                drawn[b][i * 3] = debit + 1;
                drawn[b][i * 3 + 1] = credit + 1;
                drawn[b][i * 3 + 2] = 1 + random.nextInt(1000);
                buffers[b].putLong(offset + TransferLayout.DEBIT_ACCOUNT_ID, drawn[b][i * 3]);
                buffers[b].putLong(offset + TransferLayout.CREDIT_ACCOUNT_ID, drawn[b][i * 3 + 1]);
                buffers[b].putLong(offset + TransferLayout.AMOUNT, drawn[b][i * 3 + 2]);
                buffers[b].putInt(offset + TransferLayout.LEDGER, 1);
                buffers[b].putShort(offset + TransferLayout.CODE, (short) 1);
                twoPhase[b][i] = random.nextDouble() < twoPhaseShare;
            }
        }
        pendingIds = new long[OUTSTANDING + 1];
        pendingAmounts = new long[pendingIds.length];
    }

    /** Writes ids and two-phase fields of the next {@code count} transfers into the next buffer. */
    UnsafeBuffer next(int count) {
        int b = nextBuffer;
        nextBuffer = (nextBuffer + 1) % buffers.length;
        UnsafeBuffer batch = buffers[b];
        boolean[] slots = twoPhase[b];
        for (int i = 0; i < count; i++) {
            int offset = i * TransferLayout.SIZE;
            long id = nextId++;
            batch.putLong(offset + TransferLayout.ID, id);
            if (slots[i]) {
                fillTwoPhase(batch, drawn[b], i, offset, id);
            }
        }
        return batch;
    }

    private void fillTwoPhase(UnsafeBuffer target, long[] drawn, int slot, int offset, long id) {
        if (pendingSize >= OUTSTANDING) {
            int head = pendingHead;
            target.putLong(offset + TransferLayout.PENDING_ID, pendingIds[head]);
            target.putLong(offset + TransferLayout.DEBIT_ACCOUNT_ID, 0);
            target.putLong(offset + TransferLayout.CREDIT_ACCOUNT_ID, 0);
            target.putLong(offset + TransferLayout.AMOUNT, Long.MAX_VALUE);
            target.putShort(offset + TransferLayout.FLAGS, (short) TransferFlags.POST_PENDING_TRANSFER);
            reserved -= pendingAmounts[head];
            pendingHead = (head + 1) % pendingIds.length;
            pendingSize--;
            return;
        }
        int tail = (pendingHead + pendingSize) % pendingIds.length;
        long amount = drawn[slot * 3 + 2];
        target.putLong(offset + TransferLayout.PENDING_ID, 0);
        target.putLong(offset + TransferLayout.DEBIT_ACCOUNT_ID, drawn[slot * 3]);
        target.putLong(offset + TransferLayout.CREDIT_ACCOUNT_ID, drawn[slot * 3 + 1]);
        target.putLong(offset + TransferLayout.AMOUNT, amount);
        pendingIds[tail] = id;
        pendingAmounts[tail] = amount;
        pendingSize++;
        reserved += amount;
        target.putShort(offset + TransferLayout.FLAGS, (short) TransferFlags.PENDING);
    }

    /** Transfers handed out so far. */
    long issued() {
        return nextId - FIRST_ID;
    }

    /** The amount reserved by pending transfers not yet posted: Σ debits_pending must equal it. */
    long reserved() {
        return reserved;
    }
}
