package com.fanzfinance.platform.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fanzfinance.platform.common.Problem;

/**
 * Copies an upload's body into its staging file and tells whose failure a failed copy is, so that neither
 * ends as a 500: the client's — it went away mid-body (400 {@code upload-interrupted}, logged at debug only)
 * or sends too slowly (408 {@code upload-too-slow}) — or the disk's being full (507
 * {@code insufficient-storage}). Too slowly: once {@code grace} has passed, fewer bytes than
 * {@code minBytesPerSecond} times the time since the body began, checked whenever bytes arrive; a client
 * that sends nothing at all is cut by the server's idle timeout, which is answered the same way. So a slow
 * upload cannot keep its {@link UploadGate} slot past the grace (or the idle timeout) by dribbling bytes.
 */
final class UploadBody {
    private static final Logger LOG = LoggerFactory.getLogger(UploadBody.class);
    private static final int BUFFER = 64 * 1024;

    private final long minBytesPerSecond;
    private final long graceNanos;
    private final LongSupplier nanoTime;

    /** {@code minBytesPerSecond} 0: no minimum; {@code nanoTime} as {@link System#nanoTime}. */
    UploadBody(long minBytesPerSecond, long graceNanos, LongSupplier nanoTime) {
        this.minBytesPerSecond = minBytesPerSecond;
        this.graceNanos = graceNanos;
        this.nanoTime = nanoTime;
    }

    /**
     * Copies {@code in} to {@code out} and into {@code sha256}, telling {@code received} each running total
     * before its bytes are written (it throws to stop the copy); answers the body's size.
     */
    long copy(InputStream in, OutputStream out, MessageDigest sha256, LongConsumer received) throws IOException {
        long started = nanoTime.getAsLong();
        byte[] buffer = new byte[BUFFER];
        long size = 0;
        while (true) {
            int read;
            try {
                read = in.read(buffer);
            } catch (IOException e) {
                throw readFailure(e, size);
            }
            if (read == -1) {
                return size;
            }
            size += read;
            received.accept(size);
            if (belowMinimumRate(size, nanoTime.getAsLong() - started)) {
                throw tooSlow();
            }
            sha256.update(buffer, 0, read);
            try {
                out.write(buffer, 0, read);
            } catch (IOException e) {
                throw unlessOutOfSpace(e);
            }
        }
    }

    /**
     * Reads and drops what is left of a refused body, at most {@code maxBytes} of it, for at most {@code maxNanos}
     * (checked between reads; a read that blocks ends at the server's idle timeout) and only while it arrives at the
     * minimum rate after the grace, as {@link #copy} requires: so that the client, still sending, reads the refusal —
     * a server that closes a connection with unread bytes in it resets it, and the client loses the answer it had
     * not read yet. A client that goes away meanwhile ends it quietly. Answers what was dropped, and whether that
     * was all of the body.
     */
    Discarded discard(InputStream in, long maxBytes, long maxNanos) {
        long started = nanoTime.getAsLong();
        byte[] buffer = new byte[BUFFER];
        long dropped = 0;
        try {
            while (dropped < maxBytes) {
                long elapsed = nanoTime.getAsLong() - started;
                if (elapsed >= maxNanos || belowMinimumRate(dropped, elapsed)) {
                    break;
                }
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, maxBytes - dropped));
                if (read == -1) {
                    return new Discarded(dropped, true);
                }
                dropped += read;
            }
        } catch (IOException e) {
            LOG.debug("a refused upload's client went away after {} more bytes: {}", dropped, e.toString());
        }
        return new Discarded(dropped, false);
    }

    /** Fewer than {@code minBytesPerSecond} a second over {@code elapsed}, once the grace has passed. */
    private boolean belowMinimumRate(long bytes, long elapsed) {
        return elapsed > graceNanos && bytes < minBytesPerSecond * (elapsed / 1e9);
    }

    /** What {@link #discard} dropped: {@code bytes}, and whether the body ended ({@code complete}). */
    record Discarded(long bytes, boolean complete) {
    }

    /**
     * 507 {@code insufficient-storage} when {@code e}, from writing a file, says the file system is full
     * (ENOSPC, or EDQUOT for the service user's disk quota); otherwise {@code e} itself, to be rethrown.
     */
    static IOException unlessOutOfSpace(IOException e) {
        String message = e.getMessage();
        if (message != null && (message.contains("No space left") || message.contains("Disk quota exceeded"))) {
            throw insufficientStorage("the media storage is full; uploads are refused until space is freed");
        }
        return e;
    }

    static Problem insufficientStorage(String detail) {
        return new Problem(507, "insufficient-storage", "Insufficient storage", detail, null);
    }

    private Problem readFailure(IOException e, long size) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException) {
                return tooSlow();
            }
        }
        LOG.debug("upload interrupted after {} bytes: {}", size, e.toString());
        return Problem.badRequest("upload-interrupted", "the body ended before it was complete (the connection was "
            + "closed or broken); nothing was stored", null);
    }

    private Problem tooSlow() {
        return new Problem(408, "upload-too-slow", "Request timeout", "uploads must arrive at " + minBytesPerSecond
            + " bytes a second or faster (after the first " + graceNanos / 1_000_000_000L + " seconds); nothing "
            + "was stored", null).with("min_bytes_per_second", minBytesPerSecond);
    }
}
