package com.fanzfinance.ledger.client;

import java.util.OptionalInt;

/**
 * A request the ledger refused as a whole, from its RFC 9457 {@code application/problem+json} answer
 * (or, for an answer that is not one, just the HTTP status). For every 4xx nothing of the request was
 * applied. A 503 or 504 is only seen once the client's retries are used up; the request may or may not
 * have been applied, and sending it again with the same ids is safe.
 *
 * <p>A status of an individual event (such as {@code exceeds_credits}) is never an exception: it is in
 * the results.
 */
public final class LedgerProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final String pointer;
    private final String instance;
    private final String requestId;

    /**
     * @param type      the problem type URI, or null if the answer had none
     * @param pointer   the JSON pointer of the offending value ({@code /transfers/3/amount}), or null
     * @param requestId the server's id of the request, for its logs, or null
     */
    public LedgerProblemException(int status, String type, String title, String detail, String pointer,
                                  String instance, String requestId) {
        super(message(status, type, detail, pointer, requestId));
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
        this.pointer = pointer;
        this.instance = instance;
        this.requestId = requestId;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The full problem type URI, or null. */
    public String type() {
        return type;
    }

    /**
     * The stable part of the type, such as {@code invalid-field}, {@code forbidden} or {@code ledger-busy};
     * null if the answer had no type.
     */
    public String typeSuffix() {
        return suffixOf(type);
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    /** The JSON pointer of the offending value, or null. */
    public String pointer() {
        return pointer;
    }

    public String instance() {
        return instance;
    }

    /** The request's id in the server's logs, or null. */
    public String requestId() {
        return requestId;
    }

    /**
     * The index of the event the pointer names — {@code /transfers/3/amount} (JSON) and {@code /3/amount}
     * (binary) both name event 3 — or empty when the problem is not about one event.
     */
    public OptionalInt eventIndex() {
        int segment = eventSegment();
        return segment < 0 ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(segments()[segment]));
    }

    /**
     * This problem as seen by the caller of one auto-batched event: the pointer names {@code index}
     * instead of the event's place in the coalesced batch.
     */
    LedgerProblemException forEventIndex(int index) {
        int segment = eventSegment();
        if (segment < 0) {
            return this;
        }
        String[] segments = segments();
        segments[segment] = Integer.toString(index);
        LedgerProblemException copy = new LedgerProblemException(status, type, title, detail,
            "/" + String.join("/", segments), instance, requestId);
        copy.initCause(this);
        return copy;
    }

    /** True for the statuses the client retries: the ledger was busy, stopping, or slow to answer. */
    public boolean isRetryable() {
        return status == 503 || status == 504;
    }

    /** Which segment of the pointer is the event index: 0 (binary), 1 (JSON), or -1 for none. */
    private int eventSegment() {
        if (pointer == null || !pointer.startsWith("/")) {
            return -1;
        }
        String[] segments = segments();
        if (isIndex(segments[0])) {
            return 0;
        }
        return segments.length > 1 && isCollection(segments[0]) && isIndex(segments[1]) ? 1 : -1;
    }

    private String[] segments() {
        return pointer.substring(1).split("/", -1);
    }

    private static boolean isCollection(String segment) {
        return segment.equals(WireFormat.ACCOUNTS) || segment.equals(WireFormat.TRANSFERS)
            || segment.equals(WireFormat.ENTRIES);
    }

    private static boolean isIndex(String segment) {
        return !segment.isEmpty() && segment.length() <= 9 && segment.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static String suffixOf(String type) {
        if (type == null || !type.startsWith(WireFormat.PROBLEM_TYPE_BASE)) {
            return type;
        }
        return type.substring(WireFormat.PROBLEM_TYPE_BASE.length());
    }

    private static String message(int status, String type, String detail, String pointer, String requestId) {
        StringBuilder message = new StringBuilder("HTTP ").append(status);
        if (type != null) {
            message.append(' ').append(suffixOf(type));
        }
        if (detail != null) {
            message.append(": ").append(detail);
        }
        if (pointer != null && !pointer.isEmpty()) {
            message.append(" at ").append(pointer);
        }
        if (requestId != null) {
            message.append(" (request ").append(requestId).append(')');
        }
        return message.toString();
    }
}
