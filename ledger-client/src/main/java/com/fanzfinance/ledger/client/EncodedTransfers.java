package com.fanzfinance.ledger.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fanzfinance.ledger.command.Transfer;

/**
 * A batch of transfers already encoded for the wire, to send later with
 * {@link LedgerClient#createTransfersAsync(EncodedTransfers)}. Encoding a full batch of 8,189 transfers takes
 * milliseconds; a caller that keeps one batch in flight can encode the next while it waits, so that the
 * encoding is off its critical path (what TigerBeetle's clients get from their preallocated batches).
 *
 * <p>The events are checked as {@link LedgerClient#createTransfersWithMetadata} checks them (at most
 * {@value LedgerClient#BATCH_EVENTS_MAX}, named flags only, no negative ledger or timestamp), when the batch is
 * encoded. The format is chosen here, not by the client that sends it: a binary batch goes as binary records even
 * through a client built with {@code binaryTransfers(false)}, and encoding it needs the JVM flag the binary records
 * need ({@code --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED}, see the client's README). Immutable: the body
 * is never handed out, so it cannot change between encoding and sending.
 */
public final class EncodedTransfers {
    private final String contentType;
    private final byte[] body;
    private final int size;

    private EncodedTransfers(String contentType, byte[] body, int size) {
        this.contentType = contentType;
        this.body = body;
        this.size = size;
    }

    /**
     * The transfers as 128-byte binary records ({@link WireFormat#BINARY}): the smallest body and the server's
     * fastest path; metadata cannot travel this way.
     */
    public static EncodedTransfers binary(List<Transfer> transfers) {
        List<NewTransfer> events = checked(transfers, NewTransfer::of);
        return binaryOf(events);
    }

    /** The transfers, each with its metadata (or none), as a JSON body. */
    public static EncodedTransfers json(List<NewTransfer> transfers) {
        return jsonOf(checked(transfers, event -> event));
    }

    /** How many transfers the batch holds (0 to {@value LedgerClient#BATCH_EVENTS_MAX}). */
    public int size() {
        return size;
    }

    /** The body's media type: {@link WireFormat#BINARY} or {@link WireFormat#JSON}. */
    public String contentType() {
        return contentType;
    }

    /** The body's length in bytes. */
    public int bodyLength() {
        return body.length;
    }

    /** Already checked events without metadata. */
    static EncodedTransfers binaryOf(List<NewTransfer> events) {
        return new EncodedTransfers(WireFormat.BINARY, BinaryRecords.transfers(events), events.size());
    }

    /** Already checked events. */
    static EncodedTransfers jsonOf(List<NewTransfer> events) {
        return new EncodedTransfers(WireFormat.JSON, JsonRequestWriter.transfers(events), events.size());
    }

    /** The events, checked, as {@link NewTransfer}s. */
    static <T> List<NewTransfer> checked(List<T> transfers, java.util.function.Function<T, NewTransfer> wrap) {
        EventChecks.requireBatchSize(transfers, "transfers");
        for (T transfer : transfers) {
            Objects.requireNonNull(transfer, "transfers");
        }
        List<NewTransfer> events = new ArrayList<>(transfers.size());
        for (T transfer : transfers) {
            NewTransfer event = wrap.apply(transfer);
            EventChecks.requireSendable(event.transfer());
            events.add(event);
        }
        return events;
    }

    boolean isBinary() {
        return contentType.equals(WireFormat.BINARY);
    }

    byte[] body() {
        return body;
    }
}
