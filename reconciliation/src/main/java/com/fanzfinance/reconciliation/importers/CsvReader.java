package com.fanzfinance.reconciliation.importers;

import com.fanzfinance.reconciliation.StatementFormatException;
import java.io.IOException;
import java.io.Reader;

/**
 * An RFC 4180 record reader that streams: it holds one record (at most {@link #MAX_RECORD} characters in at
 * most {@link #MAX_FIELDS} fields) and a fixed read buffer, never the file.
 *
 * <p>Fields are separated by the delimiter; a field that starts with {@code "} is quoted and may hold the
 * delimiter, line breaks and {@code ""} for a quote. Records end at LF, CRLF or a lone CR; the last one needs
 * none. A UTF-8 byte order mark (U+FEFF) at the very start is skipped. A quote inside an unquoted field is kept
 * as a character; text after a closing quote other than the delimiter or a line end is an error.
 *
 * <p>Numbering: {@link #record()} counts records from 1 (the header), blank lines included;
 * {@link #firstLine()} is the physical line the current record starts on. Errors are
 * {@link StatementFormatException}s at that line with the pointer {@code /header} for record 1 and
 * {@code /lines/(record - 1)} after it.
 */
final class CsvReader {
    /** The most characters one record may hold (field text plus delimiters). */
    static final int MAX_RECORD = 64 * 1024;
    /** The most fields one record may have. */
    static final int MAX_FIELDS = 64;

    private final Reader in;
    private final char delimiter;
    private final char[] buf = new char[1 << 15];
    private int pos;
    private int lim;
    private boolean eof;
    private boolean started;

    private char[] rec = new char[512];
    private int len;
    private final int[] starts = new int[MAX_FIELDS];
    private final int[] ends = new int[MAX_FIELDS];
    private int fields;
    private boolean quoted;

    private long line = 1;
    private long firstLine;
    private long firstLineOfQuote;
    private long record;

    CsvReader(Reader in, char delimiter) {
        if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
            throw new IllegalArgumentException("a delimiter cannot be a quote or a line break");
        }
        this.in = in;
        this.delimiter = delimiter;
    }

    /**
     * Reads the next record.
     *
     * @return false at the end of the input
     * @throws StatementFormatException for an unterminated quote, text after a closing quote, a record longer
     *                                  than {@link #MAX_RECORD} or with more than {@link #MAX_FIELDS} fields
     */
    boolean next() throws IOException {
        if (pos >= lim && !fill()) {
            return false;
        }
        record++;
        firstLine = line;
        len = 0;
        fields = 0;
        quoted = false;
        int start = 0;
        boolean inQuotes = false;
        boolean atFieldStart = true;
        boolean afterQuote = false;
        while (true) {
            if (pos >= lim && !fill()) {
                if (inQuotes) {
                    throw error("a quoted field opened on line " + firstLineOfQuote + " is never closed");
                }
                endField(start);
                return true;
            }
            char c = buf[pos++];
            if (inQuotes) {
                if (c == '"') {
                    if (pos >= lim && !fill()) {
                        inQuotes = false;
                        afterQuote = true;
                        continue;
                    }
                    if (buf[pos] == '"') {
                        pos++;
                        append('"');
                    } else {
                        inQuotes = false;
                        afterQuote = true;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    } else if (c == '\r' && !nextIs('\n')) {
                        line++;
                    }
                    append(c);
                }
            } else if (c == delimiter) {
                endField(start);
                start = len;
                atFieldStart = true;
                afterQuote = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && (pos < lim || fill()) && buf[pos] == '\n') {
                    pos++;
                }
                line++;
                endField(start);
                return true;
            } else if (afterQuote) {
                throw error("unexpected '" + c + "' after the closing quote of field " + (fields + 1));
            } else if (c == '"' && atFieldStart) {
                inQuotes = true;
                quoted = true;
                firstLineOfQuote = line;
                atFieldStart = false;
            } else {
                atFieldStart = false;
                append(c);
            }
        }
    }

    /** @return whether the next character (after the current one) is {@code c}, reading more input if needed */
    private boolean nextIs(char c) throws IOException {
        return (pos < lim || fill()) && buf[pos] == c;
    }

    private void append(char c) {
        if (len == rec.length) {
            if (len + fields >= MAX_RECORD) {
                throw error("the record is longer than " + MAX_RECORD + " characters");
            }
            char[] bigger = new char[Math.min(rec.length * 2, MAX_RECORD)];
            System.arraycopy(rec, 0, bigger, 0, len);
            rec = bigger;
        }
        rec[len++] = c;
    }

    private void endField(int start) {
        if (fields == MAX_FIELDS) {
            throw error("the record has more than " + MAX_FIELDS + " fields");
        }
        if (len + fields > MAX_RECORD) {
            throw error("the record is longer than " + MAX_RECORD + " characters");
        }
        starts[fields] = start;
        ends[fields] = len;
        fields++;
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            pos = 0;
            lim = 0;
            return false;
        }
        pos = 0;
        lim = n;
        if (!started) {
            started = true;
            if (buf[0] == '\uFEFF') {
                pos = 1;
                if (lim == 1) {
                    return fill();
                }
            }
        }
        return true;
    }

    /** @return the current record's number, from 1 */
    long record() {
        return record;
    }

    /** @return the physical line (from 1) the current record starts on */
    long firstLine() {
        return firstLine;
    }

    /** @return the physical line the reader is at (for errors found while reading) */
    long line() {
        return line;
    }

    /** @return the pointer of the current record: {@code /header} for record 1, else {@code /lines/(record - 1)} */
    String pointer() {
        return record <= 1 ? "/header" : "/lines/" + (record - 1);
    }

    /** @return whether the current record is an empty line (one empty unquoted field) */
    boolean blank() {
        return fields == 1 && len == 0 && !quoted;
    }

    int fieldCount() {
        return fields;
    }

    /** @return field {@code i}'s text */
    String field(int i) {
        return new String(rec, starts[i], ends[i] - starts[i]);
    }

    /** @return the record's characters: field {@code i} is {@code chars()[start(i) .. end(i))} */
    char[] chars() {
        return rec;
    }

    int start(int i) {
        return starts[i];
    }

    int end(int i) {
        return ends[i];
    }

    /** @return whether field {@code i} is exactly {@code s} */
    boolean fieldEquals(int i, String s) {
        int n = ends[i] - starts[i];
        if (n != s.length()) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (rec[starts[i] + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private StatementFormatException error(String what) {
        String where = record <= 1 ? "the header (line " + firstLine + ")"
            : "row " + (record - 1) + " (line " + firstLine + ")";
        return new StatementFormatException(where + ": " + what, firstLine, pointer());
    }
}
