package com.fanzfinance.server.http;

import static com.fanzfinance.ledger.client.WireFormat.*;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import com.fanzfinance.ledger.command.SideData;
import com.fanzfinance.ledger.command.TransferFlags;
import com.fanzfinance.ledger.command.TransferLayout;

/**
 * The fast path for the commonest JSON body, a batch of transfers as clients write it: reads the whole body from
 * an array byte by byte and either returns exactly the {@link JsonRequests.Batch} that {@link JsonRequests} would,
 * or declines ({@code null}) at the first byte outside its narrow grammar — where the general parser starts over
 * on the same bytes and gives its answer or its problem. It never refuses a request itself, so every message,
 * pointer and status stays the general parser's.
 *
 * <p>What it takes: ASCII JSON of the shape {@code {"transfers":[{…},…]}} with JSON whitespace anywhere between
 * tokens; each transfer's keys exactly as written (no escapes), each at most once, in any order; ids as canonical
 * lower-case UUID strings or {@code null}; {@code amount}, {@code user_data_64} and {@code timestamp} as JSON
 * integers (no leading zero) or strings of 1–20 digits, within their ranges; the 32-bit and 16-bit fields as JSON
 * integers within theirs; {@code flags} as an array of known flag names; {@code metadata} only as {@code null};
 * at most {@link JsonRequests#EVENTS_MAX} transfers. Anything else — a metadata object, an escape, a fraction, a
 * sign, an unknown or repeated key, a value out of range, malformed or truncated input, bytes after the value —
 * declines. (The general parser spent about 2.7 µs per transfer, most of it in Jackson's tokenizer, its
 * duplicate-key sets and decoding ids to characters; see docs/benchmarks.md.)
 *
 * <p>Two shortcuts, each exact: an id's 32 hex digits are checked and converted eight (or four) at a time from one
 * long ({@link #hex8}); and each key is first compared whole with the key clients write next (the one after the
 * last, {@code id} first), before the general search for its closing quote. Together they took a full batch of
 * 8,189 transfers as the ledger client writes it from 4.9–5.4 ms to 3.2–3.5 ms (timed in a loop, warm).
 */
final class FastJsonTransfers {
    private static final byte[] TRANSFERS_KEY = ascii(TRANSFERS);
    private static final byte[] NULL = ascii("null");
    private static final long U32_MAX = 0xFFFF_FFFFL;
    private static final long LEDGER_MAX = Integer.MAX_VALUE;

    /** The fields in the order of {@link #FIELD_NAMES}: a transfer's keys, one bit each in {@code seen}. */
    private static final int F_ID = 0;
    private static final int F_DEBIT_ACCOUNT_ID = 1;
    private static final int F_CREDIT_ACCOUNT_ID = 2;
    private static final int F_AMOUNT = 3;
    private static final int F_PENDING_ID = 4;
    private static final int F_USER_DATA_128 = 5;
    private static final int F_USER_DATA_64 = 6;
    private static final int F_USER_DATA_32 = 7;
    private static final int F_TIMEOUT = 8;
    private static final int F_LEDGER = 9;
    private static final int F_CODE = 10;
    private static final int F_FLAGS = 11;
    private static final int F_TIMESTAMP = 12;
    private static final int F_METADATA = 13;
    private static final byte[][] FIELD_NAMES = {
        ascii(ID), ascii(DEBIT_ACCOUNT_ID), ascii(CREDIT_ACCOUNT_ID), ascii(AMOUNT), ascii(PENDING_ID),
        ascii(USER_DATA_128), ascii(USER_DATA_64), ascii(USER_DATA_32), ascii(TIMEOUT), ascii(LEDGER), ascii(CODE),
        ascii(FLAGS), ascii(TIMESTAMP), ascii(METADATA),
    };
    /** By key length, the fields of that length (at most two share one). */
    private static final int[][] FIELDS_BY_LENGTH = fieldsByLength();
    private static final byte[][] FLAG_NAMES = flagNames();
    /** Eight and four bytes of the body read at once, little-endian (the first byte in the lowest bits). */
    private static final VarHandle LONG_AT = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_AT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101_0101_0101_0101L;
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    private static final long NIBBLES = 0x0F0F_0F0F_0F0F_0F0FL;
    private static final int UUID_LENGTH = 36;
    /** (2^64 - 1) / 10 and its remainder: the bounds of one more decimal digit on an unsigned 64-bit value. */
    private static final long U64_MAX_TENTH = Long.divideUnsigned(-1L, 10);
    private static final int U64_MAX_LAST_DIGIT = (int) Long.remainderUnsigned(-1L, 10);

    /** Thrown (without a stack trace) where the fast path leaves the body to the general parser. */
    private static final class Declined extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Declined() {
            super(null, null, false, false);
        }
    }

    private static final Declined DECLINED = new Declined();

    /** A body's array this long or longer is parsed in two halves at once when a helper thread is idle. */
    static final int SPLIT_BYTES_MIN = 256 << 10;

    private final byte[] body;
    /** Where this parser's bytes end: the body's end, or for the first half of a split body, just past its last brace. */
    private final int end;
    private int position;
    private final ExpandableArrayBuffer records;
    private int count;
    /** The field after the last one read: the next key in the order clients write them (a guess, always checked). */
    private int predicted;

    private FastJsonTransfers(byte[] body, int start, int end, int expectedBytes) {
        this.body = body;
        this.position = start;
        this.end = end;
        // A transfer with ids and amounts takes 200-450 bytes of JSON: room for one per 256 bytes rarely grows, and
        // does not zero several times the memory the records need.
        int expected = Math.min(JsonRequests.EVENTS_MAX, expectedBytes / 256 + 1);
        this.records = new ExpandableArrayBuffer(expected * TransferLayout.SIZE);
    }

    /**
     * The batch of the first {@code length} bytes of {@code body}, exactly as {@link JsonRequests#transfers} would
     * read it; {@code null} where that parser must decide.
     */
    static JsonRequests.Batch parse(byte[] body, int length) {
        return parse(body, length, null, SPLIT_BYTES_MIN);
    }

    /**
     * As {@link #parse(byte[], int)}; an array of at least {@code splitBytesMin} bytes is cut in two at the first
     * element boundary at or after its middle and the second half handed to {@code helper} while this thread parses
     * the first (if the helper refuses it, this thread parses the body in one pass; if the helper has not begun it
     * when the first half is done, this thread parses it). The batch is the same either way: the cut
     * is at a {@code "}"}, a comma and a {@code "{"} with only whitespace between them, none of which can stand
     * inside any string this grammar takes, so a first half that parses to exactly its closing brace ends where a
     * single pass would be after that element, and the second half starts where it would go on.
     */
    static JsonRequests.Batch parse(byte[] body, int length, Executor helper, int splitBytesMin) {
        if (length < 0 || length > body.length) {
            throw new IllegalArgumentException("length " + length + " outside the body of " + body.length + " bytes");
        }
        try {
            FastJsonTransfers head = new FastJsonTransfers(body, 0, length, 0);
            head.arrayStart();
            int from = head.position;
            int cut = helper == null || length - from < splitBytesMin ? -1 : head.cutNear(from + (length - from) / 2);
            if (cut < 0) {
                return new FastJsonTransfers(body, from, length, length - from).rest();
            }
            SecondHalf second = new SecondHalf(body, head.afterComma(cut), length, length - cut);
            try {
                helper.execute(second);
            } catch (RejectedExecutionException busy) {
                // no idle helper: one pass here, which needs neither a second records buffer nor the copy
                return new FastJsonTransfers(body, from, length, length - from).rest();
            }
            FastJsonTransfers first = new FastJsonTransfers(body, from, cut, length - from);
            try {
                first.elementsToEnd();
            } catch (RuntimeException | Error e) {
                second.abandon();
                throw e;
            }
            return first.joinedWith(second.join());
        } catch (Declined declined) {
            return null;
        }
    }

    /**
     * The second half of a split body, parsed once by whichever thread claims it first: the helper, or the caller
     * once done with the first half (so a helper slow to start never makes the parse slower than one pass). No
     * thread reads the body after {@link #parse} has returned: the caller waits for a half the helper has begun.
     */
    private static final class SecondHalf implements Runnable {
        private final byte[] body;
        private final int start;
        private final int end;
        private final int expectedBytes;
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final CountDownLatch done = new CountDownLatch(1);
        private JsonRequests.Batch batch;
        private Throwable failure;

        /** Its parser (and records) made only by the thread that claims it: none for a half nobody parses. */
        SecondHalf(byte[] body, int start, int end, int expectedBytes) {
            this.body = body;
            this.start = start;
            this.end = end;
            this.expectedBytes = expectedBytes;
        }

        @Override
        public void run() {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            try {
                batch = new FastJsonTransfers(body, start, end, expectedBytes).rest();
            } catch (Throwable t) {
                failure = t;
            } finally {
                done.countDown();
            }
        }

        /** The half's batch, parsed here if no helper has begun it; declines if it declined. */
        JsonRequests.Batch join() {
            run();
            awaitDone();
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
            return batch;
        }

        /** The first half failed: the second is not begun now, or is waited for if a helper has begun it. */
        void abandon() {
            if (claimed.compareAndSet(false, true)) {
                done.countDown();
            }
            awaitDone();
        }

        private void awaitDone() {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The position just past a {@code "}"} at or after {@code from} that a comma and a {@code "{"} follow, with only
     * whitespace between the three; -1 if there is none.
     */
    private int cutNear(int from) {
        for (int brace = from; brace < end; brace++) {
            if (body[brace] != '}') {
                continue;
            }
            int comma = skipWhitespace(brace + 1);
            if (comma < end && body[comma] == ',') {
                int open = skipWhitespace(comma + 1);
                if (open < end && body[open] == '{') {
                    return brace + 1;
                }
            }
        }
        return -1;
    }

    /** The position of the {@code "{"} after the comma that follows {@code cut} (as {@link #cutNear} found them). */
    private int afterComma(int cut) {
        return skipWhitespace(skipWhitespace(cut) + 1);
    }

    private int skipWhitespace(int from) {
        int at = from;
        while (at < end && (body[at] == ' ' || body[at] == '\n' || body[at] == '\r' || body[at] == '\t')) {
            at++;
        }
        return at;
    }

    /** {@code this} first half's transfers followed by {@code second}'s, as one batch. */
    private JsonRequests.Batch joinedWith(JsonRequests.Batch second) {
        int total = count + second.count();
        if (total > JsonRequests.EVENTS_MAX) {
            throw DECLINED;
        }
        records.putBytes(count * TransferLayout.SIZE, second.records(), 0, second.count() * TransferLayout.SIZE);
        count = total;
        return batch();
    }

    /** Up to and including the array's opening bracket. */
    private void arrayStart() {
        whitespace();
        expect('{');
        whitespace();
        expect('"');
        if (!matches(TRANSFERS_KEY) || byteAt(position + TRANSFERS_KEY.length) != '"') {
            throw DECLINED;
        }
        position += TRANSFERS_KEY.length + 1;
        whitespace();
        expect(':');
        whitespace();
        expect('[');
    }

    /** From an element (or the closing bracket of an empty array) to the body's end: the batch. */
    private JsonRequests.Batch rest() {
        if (opens(']')) {
            do {
                transfer();
            } while (another(']'));
        }
        whitespace();
        expect('}');
        whitespace();
        if (position != end) {
            throw DECLINED;
        }
        return batch();
    }

    /** Elements separated by commas, the last ending exactly at {@link #end} (a split body's first half). */
    private void elementsToEnd() {
        whitespace();
        transfer();
        while (position != end) {
            whitespace();
            expect(',');
            whitespace();
            transfer();
        }
    }

    private JsonRequests.Batch batch() {
        UnsafeBuffer recordBuffer = new UnsafeBuffer(records.byteArray(), 0, count * TransferLayout.SIZE);
        UnsafeBuffer side = SideData.encode(List.of(), List.of());
        return new JsonRequests.Batch(recordBuffer, count, side, side.capacity(), new String[count]);
    }

    private void transfer() {
        if (count == JsonRequests.EVENTS_MAX) {
            throw DECLINED;
        }
        expect('{');
        int offset = count * TransferLayout.SIZE;
        // Grown by copying into a new array: the bytes past the last record are zeros (as a missing field is).
        records.checkLimit(offset + TransferLayout.SIZE);
        predicted = F_ID;
        if (opens('}')) {
            int seen = 0;
            do {
                expect('"');
                int field = fieldName();
                if ((seen & 1 << field) != 0) {
                    throw DECLINED;
                }
                seen |= 1 << field;
                whitespace();
                expect(':');
                whitespace();
                value(field, offset);
            } while (another('}'));
        }
        count++;
    }

    private void value(int field, int offset) {
        switch (field) {
            case F_ID -> uuid(offset + TransferLayout.ID);
            case F_DEBIT_ACCOUNT_ID -> uuid(offset + TransferLayout.DEBIT_ACCOUNT_ID);
            case F_CREDIT_ACCOUNT_ID -> uuid(offset + TransferLayout.CREDIT_ACCOUNT_ID);
            case F_AMOUNT -> records.putLong(offset + TransferLayout.AMOUNT, nonNegative(unsigned64()));
            case F_PENDING_ID -> uuid(offset + TransferLayout.PENDING_ID);
            case F_USER_DATA_128 -> uuid(offset + TransferLayout.USER_DATA_128);
            case F_USER_DATA_64 -> records.putLong(offset + TransferLayout.USER_DATA_64, unsigned64());
            case F_USER_DATA_32 -> records.putInt(offset + TransferLayout.USER_DATA_32, (int) integer(U32_MAX));
            case F_TIMEOUT -> records.putInt(offset + TransferLayout.TIMEOUT, (int) integer(U32_MAX));
            case F_LEDGER -> records.putInt(offset + TransferLayout.LEDGER, (int) integer(LEDGER_MAX));
            case F_CODE -> records.putShort(offset + TransferLayout.CODE, (short) integer(0xFFFF));
            case F_FLAGS -> records.putShort(offset + TransferLayout.FLAGS, (short) flags());
            case F_TIMESTAMP -> records.putLong(offset + TransferLayout.TIMESTAMP, nonNegative(unsigned64()));
            case F_METADATA -> literalNull();
            default -> throw new IllegalStateException("no field " + field);
        }
    }

    /** The key from the byte after its opening quote to its closing quote, as a field's index. */
    private int fieldName() {
        int start = position;
        if (predicted < FIELD_NAMES.length) {
            // The key clients write next, if it is that one: the bytes and the quote after them (no key holds a
            // quote, so the general search below would stop at the same quote and find the same field).
            byte[] name = FIELD_NAMES[predicted];
            int quote = start + name.length;
            if (quote < end && body[quote] == '"' && Arrays.equals(body, start, quote, name, 0, name.length)) {
                position = quote + 1;
                return predicted++;
            }
        }
        int quote = closingQuote();
        int length = quote - start;
        if (length >= FIELDS_BY_LENGTH.length) {
            throw DECLINED;
        }
        for (int field : FIELDS_BY_LENGTH[length]) {
            if (Arrays.equals(body, start, quote, FIELD_NAMES[field], 0, length)) {
                position = quote + 1;
                predicted = field + 1;
                return field;
            }
        }
        throw DECLINED;
    }

    /** A canonical UUID string at {@code at} (little-endian low, high), or null (the zeros already there). */
    private void uuid(int at) {
        if (peek() == 'n') {
            literalNull();
            return;
        }
        expect('"');
        int from = position;
        if (end - from < UUID_LENGTH + 1 || body[from + UUID_LENGTH] != '"' || body[from + 8] != '-'
            || body[from + 13] != '-' || body[from + 18] != '-' || body[from + 23] != '-') {
            throw DECLINED;
        }
        long high = hex8(from) << 32 | hex4(from + 9) << 16 | hex4(from + 14);
        long low = hex4(from + 19) << 48 | hex8(from + 24) << 16 | hex4(from + 32);
        records.putLong(at, low);
        records.putLong(at + 8, high);
        position = from + UUID_LENGTH + 1;
    }

    /**
     * The eight lower-case hex digits from {@code from} as a number, read at once: each byte is checked to be
     * {@code 0-9} or {@code a-f} with byte-wise range tests on one long (every byte below 0x80, so no sum carries
     * into the next byte; a byte at or above 0x80 fails on its own), its value taken from its low nibble (+9 for a
     * letter), and the eight nibbles packed in order, the first byte the most significant.
     */
    private long hex8(int from) {
        long x = (long) LONG_AT.get(body, from);
        long digit = (x + 0x50 * ONES) & ~(x + 0x46 * ONES); // high bit: 0x30 <= b <= 0x39
        long letter = (x + 0x1F * ONES) & ~(x + 0x19 * ONES); // high bit: 0x61 <= b <= 0x66
        if (((digit | letter) & ~x & HIGH_BITS) != HIGH_BITS) {
            throw DECLINED;
        }
        long nibbles = (x & NIBBLES) + ((letter & HIGH_BITS) >>> 7) * 9;
        long bytes = (nibbles & 0x000F_000F_000F_000FL) << 4 | (nibbles >>> 8) & 0x000F_000F_000F_000FL;
        long shorts = (bytes & 0x0000_00FF_0000_00FFL) << 8 | (bytes >>> 16) & 0x0000_00FF_0000_00FFL;
        return (shorts & 0xFFFF) << 16 | (shorts >>> 32) & 0xFFFF;
    }

    /** The four lower-case hex digits from {@code from} as a number, as {@link #hex8} does it. */
    private long hex4(int from) {
        int x = (int) INT_AT.get(body, from);
        int ones = (int) ONES;
        int highBits = (int) HIGH_BITS;
        int digit = (x + 0x50 * ones) & ~(x + 0x46 * ones);
        int letter = (x + 0x1F * ones) & ~(x + 0x19 * ones);
        if (((digit | letter) & ~x & highBits) != highBits) {
            throw DECLINED;
        }
        int nibbles = (x & (int) NIBBLES) + ((letter & highBits) >>> 7) * 9;
        int bytes = (nibbles & 0x000F_000F) << 4 | (nibbles >>> 8) & 0x000F_000F;
        return (bytes & 0xFF) << 8 | (bytes >>> 16) & 0xFF;
    }

    /**
     * A whole number within 0 … 2^64 − 1 as a JSON integer or a string of 1–20 decimal digits, as its low 64 bits.
     */
    private long unsigned64() {
        boolean quoted = peek() == '"';
        if (quoted) {
            position++;
        }
        int from = position;
        long value = 0;
        boolean beyond64 = false;
        while (position < end && body[position] >= '0' && body[position] <= '9') {
            int digit = body[position] - '0';
            beyond64 |= Long.compareUnsigned(value, U64_MAX_TENTH) > 0
                || value == U64_MAX_TENTH && digit > U64_MAX_LAST_DIGIT;
            value = value * 10 + digit;
            position++;
        }
        int digits = position - from;
        if (digits == 0 || digits > 20 || beyond64) {
            throw DECLINED;
        }
        if (quoted) {
            expect('"');
        } else if (body[from] == '0' && digits > 1) {
            throw DECLINED; // a JSON integer with a leading zero is malformed
        }
        return value;
    }

    /** {@code value} if it fits a signed 64-bit number's positive range. */
    private static long nonNegative(long value) {
        if (value < 0) {
            throw DECLINED;
        }
        return value;
    }

    /** A JSON integer within 0 … {@code max} (at most 2^32 − 1). */
    private long integer(long max) {
        int from = position;
        long value = 0;
        while (position < end && body[position] >= '0' && body[position] <= '9' && position - from < 11) {
            value = value * 10 + (body[position] - '0');
            position++;
        }
        int digits = position - from;
        if (digits == 0 || digits > 10 || value > max || body[from] == '0' && digits > 1) {
            throw DECLINED;
        }
        return value;
    }

    /** An array of known transfer flag names, as their bits. */
    private int flags() {
        expect('[');
        int flags = 0;
        if (opens(']')) {
            do {
                expect('"');
                flags |= flagBit();
            } while (another(']'));
        }
        return flags;
    }

    private int flagBit() {
        int start = position;
        int quote = closingQuote();
        for (int bit = 0; bit < FLAG_NAMES.length; bit++) {
            if (Arrays.equals(body, start, quote, FLAG_NAMES[bit], 0, FLAG_NAMES[bit].length)) {
                position = quote + 1;
                return 1 << bit;
            }
        }
        throw DECLINED;
    }

    /**
     * Where the string begun just before {@code position} ends: its next quote (an escaped quote ends it early,
     * and then the bytes match no key or name). Declines if there is none.
     */
    private int closingQuote() {
        int quote = position;
        while (quote < end && body[quote] != '"') {
            quote++;
        }
        if (quote == end) {
            throw DECLINED;
        }
        return quote;
    }

    private void literalNull() {
        if (!matches(NULL)) {
            throw DECLINED;
        }
        position += NULL.length;
    }

    private boolean matches(byte[] expected) {
        return end - position >= expected.length
            && Arrays.equals(body, position, position + expected.length, expected, 0, expected.length);
    }

    /**
     * Just after an array's or object's opening byte: true if an element follows, false (past {@code close}) if it
     * is empty.
     */
    private boolean opens(char close) {
        whitespace();
        if (peek() == close) {
            position++;
            return false;
        }
        return true;
    }

    /** Just after an element: true if a comma and another element follow, false (past {@code close}) if none does. */
    private boolean another(char close) {
        whitespace();
        byte next = next();
        if (next == close) {
            return false;
        }
        if (next != ',') {
            throw DECLINED;
        }
        whitespace();
        return true;
    }

    private void whitespace() {
        while (position < end) {
            byte b = body[position];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            position++;
        }
    }

    private void expect(char wanted) {
        if (next() != wanted) {
            throw DECLINED;
        }
    }

    private byte next() {
        if (position >= end) {
            throw DECLINED;
        }
        return body[position++];
    }

    private byte peek() {
        return byteAt(position);
    }

    private byte byteAt(int index) {
        if (index >= end) {
            throw DECLINED;
        }
        return body[index];
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static int[][] fieldsByLength() {
        int longest = 0;
        for (byte[] name : FIELD_NAMES) {
            longest = Math.max(longest, name.length);
        }
        int[][] byLength = new int[longest + 1][];
        for (int length = 0; length <= longest; length++) {
            int[] fields = new int[0];
            for (int field = 0; field < FIELD_NAMES.length; field++) {
                if (FIELD_NAMES[field].length == length) {
                    fields = Arrays.copyOf(fields, fields.length + 1);
                    fields[fields.length - 1] = field;
                }
            }
            byLength[length] = fields;
        }
        return byLength;
    }

    private static byte[][] flagNames() {
        String[] names = TransferFlags.names();
        byte[][] bytes = new byte[names.length][];
        for (int bit = 0; bit < names.length; bit++) {
            if (TransferFlags.bitOf(names[bit]) != 1 << bit) {
                throw new IllegalStateException("flag names out of bit order at " + names[bit]);
            }
            bytes[bit] = ascii(names[bit]);
        }
        return bytes;
    }
}
