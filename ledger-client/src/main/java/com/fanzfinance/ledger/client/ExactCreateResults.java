package com.fanzfinance.ledger.client;

import static com.fanzfinance.ledger.client.WireFormat.ID;
import static com.fanzfinance.ledger.client.WireFormat.INDEX;
import static com.fanzfinance.ledger.client.WireFormat.RESULTS;
import static com.fanzfinance.ledger.client.WireFormat.STATUS;
import static com.fanzfinance.ledger.client.WireFormat.TIMESTAMP;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import com.fanzfinance.ledger.command.CreateResult;

/**
 * A batch's JSON results read byte by byte, for the answer exactly as the server writes it (a full batch's
 * 0.9 MB answer in a small part of the time a tokenizer takes, with no string per result): no whitespace,
 * {@code {"results":[…]}} and nothing after it, each result {@code {"index":N,"id":"…","status":"…",
 * "timestamp":"…"}} in that order, where N is its place written as JSON writes it, the id 36 lower-case hex
 * digits and hyphens, the status 1 to 64 of {@code a-z}, {@code 0-9} and {@code _} naming a known status,
 * and the timestamp 1 to 20 digits within 64 bits unsigned (but 2^64 - 1). Anything else gives null and the
 * general readings of {@link JsonResponseReader} decide, so every answer and every refusal is theirs:
 * whatever this reads, they read alike (the id, which they do not keep either, is a plain JSON string here
 * by construction).
 */
final class ExactCreateResults {
    private static final byte[] OPEN = ascii("{\"" + RESULTS + "\":[");
    private static final byte[] RESULT_INDEX = ascii("{\"" + INDEX + "\":");
    private static final byte[] RESULT_ID = ascii(",\"" + ID + "\":\"");
    private static final byte[] RESULT_STATUS = ascii("\",\"" + STATUS + "\":\"");
    private static final byte[] RESULT_TIMESTAMP = ascii("\",\"" + TIMESTAMP + "\":\"");
    private static final int UUID_LENGTH = 36;
    private static final int STATUS_MAX = 64;
    /** The most digits of an index that fits an int, as the general reading requires. */
    private static final int INDEX_DIGITS_MAX = 10;
    private static final int TIMESTAMP_DIGITS_MAX = 20;

    private ExactCreateResults() {
    }

    static <S extends Enum<S>> List<CreateResult<S>> read(byte[] body, int count, Function<String, S> statusOfWireName) {
        try {
            return readOrNull(body, count, statusOfWireName);
        } catch (RuntimeException e) {
            // e.g. a status lookup that throws: the general readings decide
            return null;
        }
    }

    private static <S extends Enum<S>> List<CreateResult<S>> readOrNull(byte[] body, int count,
                                                                       Function<String, S> statusOfWireName) {
        if (count < 0) {
            return null;
        }
        int at = expect(body, 0, OPEN);
        List<CreateResult<S>> results = new ArrayList<>(count);
        S lastStatus = null;
        int lastStatusAt = 0;
        int lastStatusLength = 0;
        for (int i = 0; i < count && at >= 0; i++) {
            if (i > 0) {
                at = expect(body, at, (byte) ',');
            }
            at = index(body, expect(body, at, RESULT_INDEX), i);
            at = uuid(body, expect(body, at, RESULT_ID));
            int statusAt = expect(body, at, RESULT_STATUS);
            at = statusName(body, statusAt);
            if (at < 0) {
                return null;
            }
            int statusLength = at - statusAt;
            S status;
            if (lastStatus != null && statusLength == lastStatusLength
                && Arrays.equals(body, statusAt, at, body, lastStatusAt, lastStatusAt + lastStatusLength)) {
                status = lastStatus;
            } else {
                status = statusOfWireName.apply(new String(body, statusAt, statusLength, StandardCharsets.US_ASCII));
                if (status == null) {
                    return null;
                }
                lastStatus = status;
                lastStatusAt = statusAt;
                lastStatusLength = statusLength;
            }
            at = expect(body, at, RESULT_TIMESTAMP);
            if (at < 0) {
                return null;
            }
            long timestamp = 0;
            int digitsAt = at;
            for (; at < body.length && body[at] >= '0' && body[at] <= '9'; at++) {
                if (at - digitsAt == TIMESTAMP_DIGITS_MAX) {
                    return null;
                }
                timestamp = JsonResponseReader.appendDigit(timestamp, body[at] - '0');
                if (timestamp == JsonResponseReader.NOT_A_U64) {
                    return null;
                }
            }
            if (at == digitsAt) {
                return null;
            }
            at = expect(body, expect(body, at, (byte) '"'), (byte) '}');
            results.add(new CreateResult<>(i, status, timestamp));
        }
        at = expect(body, expect(body, at, (byte) ']'), (byte) '}');
        return at == body.length ? results : null;
    }

    /** Where {@code expected} ends if the body holds it at {@code at}, else -1 (and -1 stays -1). */
    private static int expect(byte[] body, int at, byte[] expected) {
        if (at < 0 || at > body.length - expected.length
            || !Arrays.equals(body, at, at + expected.length, expected, 0, expected.length)) {
            return -1;
        }
        return at + expected.length;
    }

    private static int expect(byte[] body, int at, byte expected) {
        return at >= 0 && at < body.length && body[at] == expected ? at + 1 : -1;
    }

    /** Past the index {@code i} written as JSON writes it (no sign, no leading zero, no fraction), else -1. */
    private static int index(byte[] body, int at, int i) {
        if (at < 0) {
            return -1;
        }
        int digitsAt = at;
        long value = 0;
        for (; at < body.length && body[at] >= '0' && body[at] <= '9'; at++) {
            if (at - digitsAt == INDEX_DIGITS_MAX) {
                return -1;
            }
            value = value * 10 + (body[at] - '0');
        }
        int digits = at - digitsAt;
        if (digits == 0 || digits > 1 && body[digitsAt] == '0' || value != i) {
            return -1;
        }
        return at;
    }

    /** Past 36 lower-case hex digits and hyphens in a UUID's places, else -1. */
    private static int uuid(byte[] body, int at) {
        if (at < 0 || at > body.length - UUID_LENGTH) {
            return -1;
        }
        for (int k = 0; k < UUID_LENGTH; k++) {
            byte b = body[at + k];
            boolean ok = k == 8 || k == 13 || k == 18 || k == 23 ? b == '-'
                : b >= '0' && b <= '9' || b >= 'a' && b <= 'f';
            if (!ok) {
                return -1;
            }
        }
        return at + UUID_LENGTH;
    }

    /** Past 1 to 64 of {@code a-z}, {@code 0-9} and {@code _}, else -1. */
    private static int statusName(byte[] body, int at) {
        if (at < 0) {
            return -1;
        }
        int start = at;
        while (at < body.length && (body[at] >= 'a' && body[at] <= 'z' || body[at] >= '0' && body[at] <= '9' || body[at] == '_')) {
            if (at - start == STATUS_MAX) {
                return -1;
            }
            at++;
        }
        return at == start ? -1 : at;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
