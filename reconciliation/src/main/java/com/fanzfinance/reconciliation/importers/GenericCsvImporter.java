package com.fanzfinance.reconciliation.importers;

import com.fanzfinance.reconciliation.CurrencyScales;
import com.fanzfinance.reconciliation.LineSink;
import com.fanzfinance.reconciliation.StatementFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * Reads our own CSV statement layout: a header row naming the columns (any order, case-insensitive), then one
 * statement line per row, streamed to a {@link LineSink}.
 *
 * <table>
 * <caption>Columns</caption>
 * <tr><td>{@code amount}</td><td>required</td><td>signed decimal, money to us positive</td></tr>
 * <tr><td>{@code currency}</td><td>required</td><td>ISO 4217 code the ledger knows (any case)</td></tr>
 * <tr><td>{@code date}</td><td>required</td><td>{@code yyyy-MM-dd}, or an ISO date-time: with an offset or
 *     {@code Z} its UTC date is taken, without one its own date</td></tr>
 * <tr><td>{@code fee}</td><td>optional</td><td>decimal in the row's currency, empty = 0, a charged fee
 *     positive</td></tr>
 * <tr><td>{@code reference}</td><td>optional</td><td>several joined by {@code |}; at most 400 characters</td></tr>
 * <tr><td>{@code type}</td><td>optional</td><td>a kind ({@code sale rebill refund chargeback ...}), lower-cased;
 *     other words are kept, lower-cased; at most 32 characters</td></tr>
 * <tr><td>{@code group}</td><td>optional</td><td>a grouping key; at most 400 characters</td></tr>
 * <tr><td>{@code description}</td><td>optional</td><td>free text, cut to
 *     {@link LineSink#DESCRIPTION_MAX}</td></tr>
 * </table>
 *
 * <p>Other columns are ignored; a column above named twice is an error. Reference, type, group, currency,
 * amount, fee and date are stripped of surrounding spaces; the description is kept as written. The file is
 * RFC 4180 CSV in UTF-8 (see {@link CsvReader}: quoting, LF or CRLF, an optional byte order mark).
 *
 * <p><b>Numbering and blank lines.</b> Data rows count from 1 after the header; a blank line counts as a row
 * (so numbers stay those of a spreadsheet showing the file) but is not given to the sink. A row with a different
 * number of fields than the header is refused. Errors are {@link StatementFormatException}s whose line is the
 * physical line the row starts on (the header is line 1) and whose pointer is {@code /lines/<row>/<column>}
 * or {@code /header}. An exception the sink throws is passed on untouched.
 *
 * <p>Instances hold only their configuration and may be shared between threads.
 */
public final class GenericCsvImporter {
    private final CurrencyScales scales;

    /** @param scales the currencies the ledger knows and their scales */
    public GenericCsvImporter(CurrencyScales scales) {
        this.scales = Objects.requireNonNull(scales, "scales");
    }

    /**
     * Reads {@code in} (UTF-8 CSV) to its end, giving each data row to {@code sink}; does not close {@code in}.
     *
     * @return whether the file has a {@code fee} column (without one, it says nothing about fees: every line's fee is
     *         0, not a fee of 0 that a booked fee should be compared with)
     * @throws StatementFormatException when the file is not this format, at the first problem
     * @throws IOException              when {@code in} fails
     */
    public boolean read(InputStream in, LineSink sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        Run run = new Run();
        run.run(in, ',', sink);
        return run.fee >= 0;
    }

    private final class Run extends CsvRun {
        private int reference;
        private int type;
        private int amount;
        private int currency;
        private int fee = -1;
        private int date;
        private int group;
        private int description;

        Run() {
            super(scales);
        }

        @Override
        void header(Header h) {
            amount = h.column("amount", true);
            currency = h.column("currency", true);
            date = h.column("date", true);
            reference = h.column("reference", false);
            type = h.column("type", false);
            fee = h.column("fee", false);
            group = h.column("group", false);
            description = h.column("description", false);
        }

        @Override
        void row(LineSink sink) {
            String ccy = currency(currency, "currency");
            long amt = money(amount, "amount", false, '.');
            long feeAmt = money(fee, "fee", true, '.');
            long day = isoDate(date, "date");
            String kind = type < 0 ? "" : Values.kind(stripped(type));
            if (kind.length() > Values.TYPE_MAX) {
                throw error("type", "longer than " + Values.TYPE_MAX + " characters");
            }
            sink.line(rowNumber(), reference(reference, "reference"), kind, amt, feeAmt, ccy, day,
                reference(group, "group"), description(description));
        }
    }
}
