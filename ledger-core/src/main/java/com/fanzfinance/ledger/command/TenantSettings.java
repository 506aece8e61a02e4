package com.fanzfinance.ledger.command;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * A tenant (a brand such as {@code girlfanz}) as the ledger records it: the slug, the number its accounts
 * carry, and its own quotas (0: the ledger's tenant quota). Registering and changing tenants goes through
 * the journal (a {@code set_tenant} command, 128-byte record below), so the numbers are part of the
 * ledger's history: a number is never given to a second slug, whatever happens to files outside it.
 *
 * <pre>
 *   0  u32 number (0: assign the next free one)   4  u8 slug length   5..7 zero
 *   8  u64 accounts max (0: default)              16  u64 transfers max (0: default)
 *  24  32 bytes slug (ASCII), zero-padded         56..127 zero
 * </pre>
 */
public record TenantSettings(int number, String slug, long accountsMax, long transfersMax) {
    /** The largest tenant number (numbers live in 32 bits of the account record; 0 means none). */
    public static final int NUMBER_MAX = Integer.MAX_VALUE;
    public static final int SLUG_MAX_BYTES = 32;

    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final int NUMBER = 0;
    private static final int SLUG_LENGTH = 4;
    private static final int ACCOUNTS_MAX = 8;
    private static final int TRANSFERS_MAX = 16;
    private static final int SLUG_BYTES = 24;
    private static final int USED_BYTES = SLUG_BYTES + SLUG_MAX_BYTES;

    public TenantSettings {
        if (!isValidSlug(slug)) {
            throw new IllegalArgumentException("a tenant slug is 1-32 of a-z, 0-9 and '-', starting with a letter or"
                + " digit: '" + slug + "'");
        }
        if (number < 0) {
            throw new IllegalArgumentException("tenant number must be 0 (assign) or 1.." + NUMBER_MAX + ", was " + number);
        }
        if (accountsMax < 0 || accountsMax > LedgerLimits.ACCOUNTS_LIMIT) {
            throw new IllegalArgumentException("accountsMax must be 0 (default) or 1.." + LedgerLimits.ACCOUNTS_LIMIT);
        }
        if (transfersMax < 0 || transfersMax > LedgerLimits.TRANSFERS_LIMIT) {
            throw new IllegalArgumentException("transfersMax must be 0 (default) or 1.." + LedgerLimits.TRANSFERS_LIMIT);
        }
    }

    /** A new tenant with the next free number and the default quotas. */
    public static TenantSettings register(String slug) {
        return new TenantSettings(0, slug, 0, 0);
    }

    public static boolean isValidSlug(String slug) {
        return slug != null && SLUG.matcher(slug).matches();
    }

    public void encode(MutableDirectBuffer buffer, int offset) {
        buffer.setMemory(offset, AccountLayout.SIZE, (byte) 0);
        byte[] bytes = slug.getBytes(StandardCharsets.US_ASCII);
        buffer.putInt(offset + NUMBER, number);
        buffer.putByte(offset + SLUG_LENGTH, (byte) bytes.length);
        buffer.putLong(offset + ACCOUNTS_MAX, accountsMax);
        buffer.putLong(offset + TRANSFERS_MAX, transfersMax);
        buffer.putBytes(offset + SLUG_BYTES, bytes);
    }

    /** Reads a record; null if it is not a valid one (journal validation reports that). */
    public static TenantSettings decode(DirectBuffer buffer, int offset) {
        int length = buffer.getByte(offset + SLUG_LENGTH) & 0xFF;
        if (length < 1 || length > SLUG_MAX_BYTES || buffer.getByte(offset + 5) != 0 || buffer.getShort(offset + 6) != 0) {
            return null;
        }
        for (int at = SLUG_BYTES + length; at < AccountLayout.SIZE; at++) {
            if (buffer.getByte(offset + at) != 0) {
                return null;
            }
        }
        byte[] bytes = new byte[length];
        buffer.getBytes(offset + SLUG_BYTES, bytes);
        try {
            return new TenantSettings(buffer.getInt(offset + NUMBER), new String(bytes, StandardCharsets.US_ASCII),
                buffer.getLong(offset + ACCOUNTS_MAX), buffer.getLong(offset + TRANSFERS_MAX));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static {
        assert USED_BYTES <= AccountLayout.SIZE;
    }
}
