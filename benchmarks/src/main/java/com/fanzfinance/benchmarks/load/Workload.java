package com.fanzfinance.benchmarks.load;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.Uint128;

/**
 * TigerBeetle's benchmark workload, deterministic from a seed: {@code accountCount} accounts, then
 * {@code transferCount} transfers, each between two different accounts chosen by the
 * {@link AccountDistribution}, of an exponentially distributed amount (mean 10,000, at least 1), with
 * random user data and code, a share {@code pendingShare} of them two-phase {@code pending} (no timeout,
 * never posted or voided).
 *
 * <p>Transfer {@code i} (0-based) depends only on the seed and {@code i}, so clients build their batches
 * independently and the validation rebuilds any transfer. Immutable and thread-safe; the per-thread state
 * is the caller's {@link IndexRandom} and {@link TransferDraw}.
 */
public final class Workload {
    /** Accounts are created with this code (TigerBeetle's benchmark uses 1 as well). */
    public static final int ACCOUNT_CODE = 1;
    private static final long ACCOUNT_STREAM = 1;
    private static final long TRANSFER_STREAM = 2;
    private static final double MEAN_AMOUNT = 10_000;

    private final long seed;
    private final int accountCount;
    private final long transferCount;
    private final double pendingShare;
    private final IdOrder idOrder;
    private final int ledger;
    private final long idKey;
    private final AccountPicker picker;

    public Workload(long seed, int accountCount, AccountDistribution distribution, long transferCount,
                    double pendingShare, IdOrder idOrder, int ledger) {
        if (pendingShare < 0 || pendingShare > 1) {
            throw new IllegalArgumentException("the pending share is 0..1, was " + pendingShare);
        }
        if (transferCount < 0) {
            throw new IllegalArgumentException("the transfer count must not be negative");
        }
        this.seed = seed;
        this.accountCount = accountCount;
        this.transferCount = transferCount;
        this.pendingShare = pendingShare;
        this.idOrder = idOrder;
        this.ledger = ledger;
        this.idKey = IdOrder.mix(seed ^ 0x1d8e4e27c47d124fL);
        this.picker = new AccountPicker(distribution, accountCount, seed);
    }

    public int accountCount() {
        return accountCount;
    }

    public long transferCount() {
        return transferCount;
    }

    public int ledger() {
        return ledger;
    }

    /** A fresh per-thread random source for this workload's draws. */
    IndexRandom newRandom() {
        return new IndexRandom(seed);
    }

    public Uint128 accountId(int accountIndex) {
        return idOrder.encode(accountIndex + 1L, idKey);
    }

    /** The account index of {@code id}, or -1 if it is not one of this workload's accounts. */
    public int accountIndexOf(Uint128 id) {
        long number = idOrder.decode(id, idKey);
        return number >= 1 && number <= accountCount ? (int) (number - 1) : -1;
    }

    public Uint128 transferId(long transferIndex) {
        return idOrder.encode(transferIndex + 1, ~idKey);
    }

    /** The transfer index of {@code id}, or -1 if it is not one of this workload's transfers. */
    public long transferIndexOf(Uint128 id) {
        long number = idOrder.decode(id, ~idKey);
        return number >= 1 && number <= transferCount ? number - 1 : -1;
    }

    /** Account {@code index}: random user data as in TigerBeetle's benchmark, no flags. Allocates. */
    public Account account(int accountIndex) {
        IndexRandom random = newRandom().reset(ACCOUNT_STREAM, accountIndex);
        return Account.of(accountId(accountIndex), ledger, ACCOUNT_CODE)
            .withUserData(Uint128.of(random.nextLong(), random.nextLong()), random.nextLong(), (int) random.nextLong());
    }

    /** Fills {@code draw} with transfer {@code transferIndex}; allocates nothing. */
    void draw(long transferIndex, IndexRandom random, TransferDraw draw) {
        random.reset(TRANSFER_STREAM, transferIndex);
        draw.number = transferIndex;
        draw.debitAccount = picker.pick(random);
        draw.creditAccount = picker.pickOtherThan(draw.debitAccount, random);
        draw.amount = 1 + (long) (-Math.log(1.0 - random.nextDouble()) * MEAN_AMOUNT);
        draw.pending = pendingShare > 0 && random.nextDouble() < pendingShare;
        draw.userData128High = random.nextLong();
        draw.userData128Low = random.nextLong();
        draw.userData64 = random.nextLong();
        draw.userData32 = (int) random.nextLong();
        draw.code = 1 + random.nextInt(65_535);
    }

    /** The transfer {@code draw} describes, as the API takes it. Allocates. */
    public Transfer transfer(TransferDraw draw) {
        return new Transfer(transferId(draw.number), accountId(draw.debitAccount), accountId(draw.creditAccount),
            draw.amount, Uint128.ZERO, Uint128.of(draw.userData128High, draw.userData128Low), draw.userData64,
            draw.userData32, 0, ledger, draw.code, draw.pending ? TransferFlags.PENDING : 0, 0, PendingStatus.NONE);
    }

    /** Transfer {@code transferIndex} as the API takes it. Allocates. */
    public Transfer transfer(long transferIndex) {
        TransferDraw draw = new TransferDraw();
        draw(transferIndex, newRandom(), draw);
        return transfer(draw);
    }
}
