package com.fanzfinance.ledger.command;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The capacity limits the state machine enforces: the most accounts and transfers (failed transfer ids
 * included) the ledger holds, and the most each tenant may hold (its quota, unless the tenant has its
 * own). A command that would pass one is refused whole.
 *
 * <p>Limits are state, not settings: they reach the state machine through the journal (a
 * {@code set_limits} command, 128-byte record below) so that replay decides every command exactly as it
 * was decided live, whatever the process is configured with when it replays.
 *
 * <pre>
 *   0  u64 accounts max        8  u64 transfers max
 *  16  u64 tenant accounts max 24  u64 tenant transfers max     32..127 zero
 * </pre>
 */
public record LedgerLimits(long accountsMax, long transfersMax, long tenantAccountsMax, long tenantTransfersMax) {
    /** The most accounts any ledger can hold (just under 2^28; about 30 GB of account state). */
    public static final long ACCOUNTS_LIMIT = (1 << 28) - 16;
    /** The most transfers any ledger can hold (2^38, the transfer store's address space). */
    public static final long TRANSFERS_LIMIT = 1L << 38;
    /**
     * The limits every journal starts with, until a {@code set_limits} command changes them: 10 million
     * accounts and 2^32 transfers, for the ledger and for each tenant.
     */
    public static final LedgerLimits DEFAULT = new LedgerLimits(10_000_000, 1L << 32, 10_000_000, 1L << 32);

    private static final int ACCOUNTS_MAX = 0;
    private static final int TRANSFERS_MAX = 8;
    private static final int TENANT_ACCOUNTS_MAX = 16;
    private static final int TENANT_TRANSFERS_MAX = 24;
    private static final int USED_BYTES = 32;

    public LedgerLimits {
        requireRange("accountsMax", accountsMax, ACCOUNTS_LIMIT);
        requireRange("transfersMax", transfersMax, TRANSFERS_LIMIT);
        requireRange("tenantAccountsMax", tenantAccountsMax, ACCOUNTS_LIMIT);
        requireRange("tenantTransfersMax", tenantTransfersMax, TRANSFERS_LIMIT);
    }

    /** Global limits only; every tenant may use all of them. */
    public static LedgerLimits of(long accountsMax, long transfersMax) {
        return new LedgerLimits(accountsMax, transfersMax, accountsMax, transfersMax);
    }

    public LedgerLimits withTenantQuotas(long accounts, long transfers) {
        return new LedgerLimits(accountsMax, transfersMax, accounts, transfers);
    }

    /** Writes the 128-byte record of a {@code set_limits} command. */
    public void encode(MutableDirectBuffer buffer, int offset) {
        buffer.setMemory(offset, AccountLayout.SIZE, (byte) 0);
        buffer.putLong(offset + ACCOUNTS_MAX, accountsMax);
        buffer.putLong(offset + TRANSFERS_MAX, transfersMax);
        buffer.putLong(offset + TENANT_ACCOUNTS_MAX, tenantAccountsMax);
        buffer.putLong(offset + TENANT_TRANSFERS_MAX, tenantTransfersMax);
    }

    /** Reads a record; null if it is not a valid one (journal validation reports that). */
    public static LedgerLimits decode(DirectBuffer buffer, int offset) {
        for (int at = USED_BYTES; at < AccountLayout.SIZE; at += Long.BYTES) {
            if (buffer.getLong(offset + at) != 0) {
                return null;
            }
        }
        try {
            return new LedgerLimits(buffer.getLong(offset + ACCOUNTS_MAX), buffer.getLong(offset + TRANSFERS_MAX),
                buffer.getLong(offset + TENANT_ACCOUNTS_MAX), buffer.getLong(offset + TENANT_TRANSFERS_MAX));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void requireRange(String name, long value, long max) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(name + " must be in 1.." + max + ", was " + value);
        }
    }
}
