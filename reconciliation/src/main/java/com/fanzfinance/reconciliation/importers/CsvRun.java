package com.fanzfinance.reconciliation.importers;

import com.fanzfinance.reconciliation.CurrencyScales;
import com.fanzfinance.reconciliation.LineSink;
import com.fanzfinance.reconciliation.StatementFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One reading of one CSV statement file: the loop every CSV importer shares (header first, then each data row,
 * blank lines counted but not emitted) and the per-field helpers that turn a field into a value or into a
 * {@link StatementFormatException} naming the row, the line and the field.
 *
 * <p>Data rows count from 1 after the header, blank lines included; the exception's line is the physical line
 * the row starts on (the header is line 1) and its pointer {@code /lines/<row>/<field>} or
 * {@code /header}.
 */
abstract class CsvRun {
    private final CurrencyScales scales;
    private CsvReader csv;
    private int headerFields;
    private long row;
    private String lastCurrency;
    private int lastScale;

    CsvRun(CurrencyScales scales) {
        this.scales = scales;
    }

    /** Reads the whole file: the header into {@link #header(Header)}, every non-blank data row into {@link #row(LineSink)}. */
    final void run(InputStream in, char delimiter, LineSink sink) throws IOException {
        InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        csv = new CsvReader(reader, delimiter);
        try {
            if (!csv.next() || csv.blank()) {
                throw new StatementFormatException("the file has no header row", 1, "/header");
            }
            headerFields = csv.fieldCount();
            header(new Header(csv));
            while (csv.next()) {
                row = csv.record() - 1;
                if (csv.blank()) {
                    continue;
                }
                if (csv.fieldCount() != headerFields) {
                    throw new StatementFormatException(where() + ": the row has " + csv.fieldCount()
                        + " fields, the header " + headerFields, csv.firstLine(), "/lines/" + row);
                }
                row(sink);
            }
        } catch (CharacterCodingException e) {
            throw new StatementFormatException("line " + csv.line() + ": the file is not valid UTF-8", csv.line(),
                csv.pointer());
        }
    }

    /** Finds the columns in the header row; refuses it by {@link Header#error(String)}. */
    abstract void header(Header header);

    /** Reads the current data row and gives the sink its line. */
    abstract void row(LineSink sink);

    /** @return the current data row's number (from 1 after the header) */
    final long rowNumber() {
        return row;
    }

    private String where() {
        return "row " + row + " (line " + csv.firstLine() + ")";
    }

    /** @return an error about {@code field} of the current row */
    final StatementFormatException error(String field, String what) {
        return new StatementFormatException(where() + ", " + field + ": " + what, csv.firstLine(),
            "/lines/" + row + "/" + field);
    }

    /** @return column {@code col}'s text, {@code ""} when the column is absent ({@code col < 0}) */
    final String text(int col) {
        return col < 0 ? "" : csv.field(col);
    }

    /** @return column {@code col}'s text stripped of surrounding spaces */
    final String stripped(int col) {
        return col < 0 ? "" : csv.field(col).strip();
    }

    /** @return whether column {@code col} is absent or holds only spaces */
    final boolean empty(int col) {
        if (col < 0) {
            return true;
        }
        char[] a = csv.chars();
        for (int i = csv.start(col); i < csv.end(col); i++) {
            if (a[i] != ' ') {
                return false;
            }
        }
        return true;
    }

    /** @return column {@code col} stripped, refused when longer than {@link Values#REFERENCE_MAX} */
    final String reference(int col, String field) {
        String s = stripped(col);
        if (s.length() > Values.REFERENCE_MAX) {
            throw error(field, "longer than " + Values.REFERENCE_MAX + " characters");
        }
        return s;
    }

    /** @return column {@code col}'s text cut to {@link LineSink#DESCRIPTION_MAX} */
    final String description(int col) {
        return col < 0 ? "" : Values.description(csv.field(col));
    }

    /** @return the upper-cased currency code in column {@code col}, refused when the ledger does not know it */
    final String currency(int col, String field) {
        if (lastCurrency != null && csv.fieldEquals(col, lastCurrency)) {
            return lastCurrency;
        }
        String code = csv.field(col).strip().toUpperCase(Locale.ROOT);
        if (code.isEmpty()) {
            throw error(field, "no currency");
        }
        return known(code, field);
    }

    /** @return {@code code} after checking the ledger knows it; remembers its scale for {@link #scale()} */
    final String known(String code, String field) {
        if (!code.equals(lastCurrency)) {
            int scale = scales.scaleOf(code);
            if (scale < 0) {
                throw error(field, "unknown currency " + Values.quote(code));
            }
            lastCurrency = code;
            lastScale = scale;
        }
        return lastCurrency;
    }

    /** @return the scale of the currency last returned by {@link #currency} or {@link #known} */
    final int scale() {
        return lastScale;
    }

    /** @return column {@code col} as minor units of the last currency; an empty optional field is 0 */
    final long money(int col, String field, boolean optional, char separator) {
        if (optional && empty(col)) {
            return 0;
        }
        try {
            return Values.minorUnits(csv.chars(), csv.start(col), csv.end(col), lastScale, separator, lastCurrency);
        } catch (Values.BadValue e) {
            throw error(field, e.getMessage());
        }
    }

    /** @return column {@code col} as an ISO date's (or date-time's UTC date's) epoch day */
    final long isoDate(int col, String field) {
        try {
            return Values.isoEpochDay(csv.chars(), csv.start(col), csv.end(col));
        } catch (Values.BadValue e) {
            throw error(field, e.getMessage());
        }
    }

    /** @return column {@code col}'s raw characters (with {@link #start} and {@link #end}) */
    final char[] chars() {
        return csv.chars();
    }

    final int start(int col) {
        return csv.start(col);
    }

    final int end(int col) {
        return csv.end(col);
    }

    /** The header row: its names, compared case-insensitively and without surrounding spaces. */
    static final class Header {
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> duplicates = new HashMap<>();
        private final long line;

        Header(CsvReader csv) {
            line = csv.firstLine();
            for (int i = 0; i < csv.fieldCount(); i++) {
                String name = csv.field(i).strip().toLowerCase(Locale.ROOT);
                if (index.putIfAbsent(name, i) != null) {
                    duplicates.merge(name, 2, (a, b) -> a + 1);
                }
            }
        }

        /**
         * @return the column named {@code name}, or -1 when there is none
         * @throws StatementFormatException when the column is required and missing, or named twice
         */
        int column(String name, boolean required) {
            String key = name.toLowerCase(Locale.ROOT);
            Integer dup = duplicates.get(key);
            if (dup != null) {
                throw error("the column '" + name + "' appears " + dup + " times");
            }
            Integer i = index.get(key);
            if (i == null && required) {
                throw error("the required column '" + name + "' is missing");
            }
            return i == null ? -1 : i;
        }

        StatementFormatException error(String what) {
            return new StatementFormatException("the header (line " + line + "): " + what, line, "/header");
        }
    }
}
