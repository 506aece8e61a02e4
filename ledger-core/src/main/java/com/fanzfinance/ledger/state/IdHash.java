package com.fanzfinance.ledger.state;

/**
 * The one hash function for 128-bit ids. Fixed (never seeded), so index layouts and everything derived
 * from them are identical on every run and every JVM; strong enough that sequential ids spread evenly.
 */
public final class IdHash {
    private IdHash() {
    }

    /** A 64-bit mix of both halves of the id (MurmurHash3's finaliser applied to a combination of them). */
    public static long hash(long idLow, long idHigh) {
        long h = idLow ^ Long.rotateLeft(idHigh * 0x9E3779B97F4A7C15L, 31);
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
