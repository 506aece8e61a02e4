package com.fanzfinance.reconciliation.match;

import java.util.Arrays;

/**
 * An open-addressing table of distinct byte strings held in one arena, compared ASCII case-insensitively:
 * {@code add} gives each distinct key a dense id 0, 1, 2 …; {@code find} looks a key up from any byte array.
 * Only {@code int} arrays, no object per key.
 */
final class ByteKeyIndex {

    private final byte[] arena;
    private int[] slots; // id + 1; 0 = empty
    private int mask;
    private int[] off;
    private int[] len;
    private int[] hash;
    private int count;

    ByteKeyIndex(byte[] arena, int expected) {
        this.arena = arena;
        int cap = Integer.highestOneBit(Math.max(16, expected) * 2 - 1) << 1;
        slots = new int[cap];
        mask = cap - 1;
        int ids = Math.max(16, expected);
        off = new int[ids];
        len = new int[ids];
        hash = new int[ids];
    }

    int size() {
        return count;
    }

    /** The id of the key at {@code arena[o, o + l)}, adding it when new. */
    int add(int o, int l) {
        int h = hash(arena, o, l);
        int s = h & mask;
        while (true) {
            int v = slots[s];
            if (v == 0) {
                break;
            }
            int id = v - 1;
            if (hash[id] == h && equal(arena, off[id], len[id], arena, o, l)) {
                return id;
            }
            s = (s + 1) & mask;
        }
        if (count == off.length) {
            int n = count * 2;
            off = Arrays.copyOf(off, n);
            len = Arrays.copyOf(len, n);
            hash = Arrays.copyOf(hash, n);
        }
        int id = count++;
        off[id] = o;
        len[id] = l;
        hash[id] = h;
        slots[s] = id + 1;
        if (count * 2 > slots.length) {
            rehash();
        }
        return id;
    }

    /** The id of the key {@code src[o, o + l)}, or {@code -1}. */
    int find(byte[] src, int o, int l) {
        int h = hash(src, o, l);
        int s = h & mask;
        while (true) {
            int v = slots[s];
            if (v == 0) {
                return -1;
            }
            int id = v - 1;
            if (hash[id] == h && equal(arena, off[id], len[id], src, o, l)) {
                return id;
            }
            s = (s + 1) & mask;
        }
    }

    private void rehash() {
        int cap = slots.length * 2;
        slots = new int[cap];
        mask = cap - 1;
        for (int id = 0; id < count; id++) {
            int s = hash[id] & mask;
            while (slots[s] != 0) {
                s = (s + 1) & mask;
            }
            slots[s] = id + 1;
        }
    }

    static int hash(byte[] b, int o, int l) {
        int h = 0x9747b28c;
        for (int i = o, e = o + l; i < e; i++) {
            h = h * 31 + ByteArena.lower(b[i]);
        }
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    static boolean equal(byte[] a, int ao, int al, byte[] b, int bo, int bl) {
        if (al != bl) {
            return false;
        }
        for (int i = 0; i < al; i++) {
            if (ByteArena.lower(a[ao + i]) != ByteArena.lower(b[bo + i])) {
                return false;
            }
        }
        return true;
    }
}
