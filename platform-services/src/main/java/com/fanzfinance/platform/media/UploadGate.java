package com.fanzfinance.platform.media;

import java.util.HashSet;
import java.util.Set;

import com.fanzfinance.platform.common.Problem;

/**
 * Admission of uploads into this service instance: at most {@code maxConcurrent} at a time, and one per
 * creator, so that one self-serve creator holds at most one upload slot (and disk write) — more is 429
 * {@code too-many-uploads} with {@code Retry-After}. {@code maxConcurrent} creators can still take every slot;
 * {@link UploadBody}'s minimum rate bounds how long they keep them. It also sums the bytes the uploads in flight may still
 * write, so that the free-space check before accepting one counts the others too.
 */
final class UploadGate {
    static final long RETRY_AFTER_SECONDS = 5;

    private final int maxConcurrent;
    private final Set<String> creators = new HashSet<>();
    private long reserved;

    UploadGate(int maxConcurrent) {
        this.maxConcurrent = maxConcurrent;
    }

    /** A slot for {@code creator}'s upload; 429 when the service is full or the creator has one in flight. */
    synchronized Ticket enter(String creator) {
        if (creators.contains(creator)) {
            throw tooMany("an upload of yours is still in progress; uploads are one at a time per creator");
        }
        if (creators.size() >= maxConcurrent) {
            throw tooMany("the service takes " + maxConcurrent + " uploads at a time; try again shortly");
        }
        creators.add(creator);
        return new Ticket(creator);
    }

    /** The bytes the uploads in flight have reserved. */
    synchronized long reserved() {
        return reserved;
    }

    private static Problem tooMany(String detail) {
        return new Problem(429, "too-many-uploads", "Too many requests", detail, null, RETRY_AFTER_SECONDS);
    }

    /** One admitted upload; closing it gives its slot and reservation back. */
    final class Ticket implements AutoCloseable {
        private final String creator;
        private long bytes;

        private Ticket(String creator) {
            this.creator = creator;
        }

        /** Reserves {@code more} bytes this upload may write. */
        void reserve(long more) {
            synchronized (UploadGate.this) {
                bytes += more;
                reserved += more;
            }
        }

        @Override
        public void close() {
            synchronized (UploadGate.this) {
                if (creators.remove(creator)) {
                    reserved -= bytes;
                    bytes = 0;
                }
            }
        }
    }
}
