package com.fanzfinance.reconciliation.match;

import com.fanzfinance.reconciliation.LineSink;
import com.fanzfinance.reconciliation.StatementFormatException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The lines of one statement file, stored by column: one primitive array per field, growing by doubling, and all
 * text (references, groups, descriptions) as UTF-8 in one byte arena addressed by {@code int} offsets. Types and
 * currencies, which take few distinct values, are interned in small tables and kept as an {@code int} per line.
 * A million lines cost a few dozen megabytes and no object per line.
 *
 * <p>Lines are numbered by their insertion index {@code 0 .. size() - 1}; {@link #lineNumber(int)} is the
 * file's own line number. A line's references are its {@code |}-separated reference text split into trimmed,
 * non-empty parts ({@code " a | | b"} names {@code a} and {@code b}). Append-only and not thread-safe.
 */
public final class StatementLines implements LineSink {

    private static final int INITIAL = 1024;

    /** How many distinct line types a store holds; a line of one more type refuses the file. */
    public static final int MAX_TYPES = 1000;

    private final int maxLines;
    private int size;

    private long[] lineNumber;
    private long[] amount;
    private long[] fee;
    private int[] epochDay;
    private int[] type;
    private int[] currency;
    /** Start of the line's text: reference, then group, then description, back to back. */
    private int[] textStart;
    private int[] referenceLength;
    private int[] groupLength;

    private final ByteArena arena;
    private final Interner types = new Interner();
    private final Interner currencies = new Interner();

    private long[] currencyCount = new long[4];
    private long[] currencyAmount = new long[4];
    private long[] currencyFee = new long[4];

    private int minEpochDay = Integer.MAX_VALUE;
    private int maxEpochDay = Integer.MIN_VALUE;

    /** A store that refuses more than {@code maxLines} lines. */
    public StatementLines(int maxLines) {
        this(maxLines, INITIAL);
    }

    /** A store that refuses more than {@code maxLines} lines, with room for {@code initialCapacity} at first. */
    public StatementLines(int maxLines, int initialCapacity) {
        if (maxLines < 0) {
            throw new IllegalArgumentException("maxLines must be 0 or more, not " + maxLines);
        }
        this.maxLines = maxLines;
        int cap = Math.max(1, Math.min(initialCapacity, Math.max(1, maxLines)));
        lineNumber = new long[cap];
        amount = new long[cap];
        fee = new long[cap];
        epochDay = new int[cap];
        type = new int[cap];
        currency = new int[cap];
        textStart = new int[cap];
        referenceLength = new int[cap];
        groupLength = new int[cap];
        arena = new ByteArena(cap * 16);
    }

    /**
     * Stores one line.
     *
     * @throws StatementFormatException when the store already holds {@code maxLines} lines, the line's type would
     *                                  be distinct type {@value #MAX_TYPES} + 1, the date is beyond what an
     *                                  {@code int} of days holds, a currency's totals overflow, or the text
     *                                  outgrows 2 GB; the store is unchanged then
     */
    @Override
    public void line(long line, String reference, String type, long amount, long fee, String currency,
                     long epochDay, String group, String description) {
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(description, "description");
        if (size == maxLines) {
            throw new StatementFormatException("the file has more than " + maxLines + " lines; the limit is "
                + maxLines + " (FANZ_RECON_MAX_LINES)", line, "/lines/" + line);
        }
        if (types.size() >= MAX_TYPES && types.peek(type) == types.size()) {
            throw new StatementFormatException("the file has more than " + MAX_TYPES + " distinct line types",
                line, "/lines/" + line + "/type");
        }
        if (epochDay < Integer.MIN_VALUE || epochDay > Integer.MAX_VALUE) {
            throw new StatementFormatException("the date is out of range", line, "/lines/" + line + "/date");
        }
        int cur = currencies.peek(currency);
        long newAmount;
        long newFee;
        try {
            boolean known = cur < currencies.size();
            newAmount = Math.addExact(known ? currencyAmount[cur] : 0, amount);
            newFee = Math.addExact(known ? currencyFee[cur] : 0, fee);
        } catch (ArithmeticException e) {
            throw new StatementFormatException("the " + currency + " amounts of the file add up to more than "
                + "the ledger can hold", line, "/lines/" + line + "/amount");
        }
        int start = arena.size();
        int refLen;
        int groupLen;
        try {
            refLen = arena.append(reference);
            groupLen = arena.append(group);
            arena.append(description);
        } catch (IllegalStateException e) {
            arena.truncate(start);
            throw new StatementFormatException("the file has more text than can be held", line, "/lines/" + line);
        }
        if (size == lineNumber.length) {
            grow();
        }
        int i = size;
        cur = currencies.intern(currency);
        if (cur == currencyCount.length) {
            int n = cur * 2;
            currencyCount = Arrays.copyOf(currencyCount, n);
            currencyAmount = Arrays.copyOf(currencyAmount, n);
            currencyFee = Arrays.copyOf(currencyFee, n);
        }
        currencyCount[cur]++;
        currencyAmount[cur] = newAmount;
        currencyFee[cur] = newFee;
        this.lineNumber[i] = line;
        this.amount[i] = amount;
        this.fee[i] = fee;
        this.epochDay[i] = (int) epochDay;
        this.type[i] = types.intern(type);
        this.currency[i] = cur;
        textStart[i] = start;
        referenceLength[i] = refLen;
        groupLength[i] = groupLen;
        minEpochDay = Math.min(minEpochDay, (int) epochDay);
        maxEpochDay = Math.max(maxEpochDay, (int) epochDay);
        size = i + 1;
    }

    private void grow() {
        int n = (int) Math.min((long) lineNumber.length * 2, Math.max(maxLines, 1));
        lineNumber = Arrays.copyOf(lineNumber, n);
        amount = Arrays.copyOf(amount, n);
        fee = Arrays.copyOf(fee, n);
        epochDay = Arrays.copyOf(epochDay, n);
        type = Arrays.copyOf(type, n);
        currency = Arrays.copyOf(currency, n);
        textStart = Arrays.copyOf(textStart, n);
        referenceLength = Arrays.copyOf(referenceLength, n);
        groupLength = Arrays.copyOf(groupLength, n);
    }

    /** The number of lines stored. */
    public int size() {
        return size;
    }

    /** The most lines this store accepts. */
    public int maxLines() {
        return maxLines;
    }

    /** The file's own number of line {@code i}. */
    public long lineNumber(int i) {
        check(i);
        return lineNumber[i];
    }

    /** The line's reference text as the importer gave it ({@code |}-joined when several; {@code ""} when none). */
    public String reference(int i) {
        check(i);
        return arena.string(textStart[i], referenceLength[i]);
    }

    /** The line's references: the reference text split at {@code |}, trimmed, empty parts dropped. */
    public String[] references(int i) {
        check(i);
        byte[] b = arena.bytes();
        String[] out = new String[referenceCount(i)];
        int k = 0;
        ReferenceParts parts = new ReferenceParts();
        parts.reset(b, textStart[i], referenceLength[i]);
        while (parts.next()) {
            out[k++] = arena.string(parts.start, parts.length());
        }
        return out;
    }

    /** The number of {@link #references(int)} of line {@code i}. */
    public int referenceCount(int i) {
        check(i);
        ReferenceParts parts = new ReferenceParts();
        parts.reset(arena.bytes(), textStart[i], referenceLength[i]);
        return parts.count();
    }

    /** The line's type, lower case, {@code ""} when unknown. */
    public String type(int i) {
        check(i);
        return types.name(type[i]);
    }

    /** The line's amount in minor units, signed (money to us positive). */
    public long amount(int i) {
        check(i);
        return amount[i];
    }

    /** The fee charged on the line in minor units. */
    public long fee(int i) {
        check(i);
        return fee[i];
    }

    /** The line's currency (ISO 4217, upper case). */
    public String currency(int i) {
        check(i);
        return currencies.name(currency[i]);
    }

    /** The line's date as days since 1970-01-01. */
    public int epochDay(int i) {
        check(i);
        return epochDay[i];
    }

    /** The line's grouping key (settlement batch, payment information id) or {@code ""}. */
    public String group(int i) {
        check(i);
        return arena.string(textStart[i] + referenceLength[i], groupLength[i]);
    }

    /** The line's free text or {@code ""}. */
    public String description(int i) {
        check(i);
        int from = textStart[i] + referenceLength[i] + groupLength[i];
        int to = i + 1 < size ? textStart[i + 1] : arena.size();
        return arena.string(from, to - from);
    }

    /** The earliest line date (epoch day); {@code 0} when there are no lines. */
    public int minEpochDay() {
        return size == 0 ? 0 : minEpochDay;
    }

    /** The latest line date (epoch day); {@code 0} when there are no lines. */
    public int maxEpochDay() {
        return size == 0 ? 0 : maxEpochDay;
    }

    /** Per currency (in order of first appearance): the number of lines and the sums of amounts and fees. */
    public List<CurrencyTotal> totals() {
        List<CurrencyTotal> out = new ArrayList<>(currencies.size());
        for (int c = 0; c < currencies.size(); c++) {
            out.add(new CurrencyTotal(currencies.name(c), currencyCount[c], currencyAmount[c], currencyFee[c]));
        }
        return Collections.unmodifiableList(out);
    }

    /** The approximate memory the store's arrays take, in bytes (capacity, not just what is used). */
    public long bytesUsed() {
        long perLine = 8L * 3 + 4L * 6;
        return perLine * lineNumber.length + arena.capacity() + 8L * 3 * currencyCount.length;
    }

    /**
     * The lines of one currency.
     *
     * @param currency ISO 4217 code
     * @param count    the number of lines
     * @param amount   the sum of their amounts
     * @param fee      the sum of their fees
     */
    public record CurrencyTotal(String currency, long count, long amount, long fee) {
    }

    private void check(int i) {
        Objects.checkIndex(i, size);
    }

    // --- for the matcher

    byte[] arenaBytes() {
        return arena.bytes();
    }

    int referenceStart(int i) {
        return textStart[i];
    }

    int referenceLength(int i) {
        return referenceLength[i];
    }

    int typeIndex(int i) {
        return type[i];
    }

    int typeCount() {
        return types.size();
    }

    String typeName(int index) {
        return types.name(index);
    }

    int currencyIndex(int i) {
        return currency[i];
    }

    int currencyCount() {
        return currencies.size();
    }

    String currencyName(int index) {
        return currencies.name(index);
    }

    long amountAt(int i) {
        return amount[i];
    }

    long feeAt(int i) {
        return fee[i];
    }

    int dayAt(int i) {
        return epochDay[i];
    }
}
