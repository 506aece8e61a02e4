package com.fanzfinance.reconciliation.importers;

import com.fanzfinance.reconciliation.CurrencyScales;
import com.fanzfinance.reconciliation.LineSink;
import com.fanzfinance.reconciliation.StatementFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Objects;

/**
 * Reads Epoch's DataPlus transaction export as CSV: a header row of DataPlus field names (any case, any order),
 * one transaction per row.
 *
 * <p>Required columns: {@code ets_transaction_id} (the line's reference), {@code ets_transaction_date}
 * ({@code yyyy-MM-dd} or {@code yyyy-MM-dd HH:mm:ss}, UTC), {@code ets_transaction_type} and
 * {@code ets_transaction_amount} (signed as given: credits are negative). {@code ets_ref_trans_ids}, which links
 * a credit or chargeback to its original transaction, becomes the line's group. The currency is that of an
 * {@code ets_currency} column when the file has one and the row fills it, else the configured default (DataPlus
 * rows normally carry none). Other DataPlus columns ({@code ets_member_idx ets_co_code ets_pi_code
 * ets_reseller_code ets_payment_type ets_username ets_password_expire ets_email}) are ignored: usernames and
 * e-mail addresses are personal data and never reach the line; the description is always {@code ""}, the fee 0.
 *
 * <table>
 * <caption>Transaction types</caption>
 * <tr><td>{@code I} initial recurring, {@code O} non-recurring, {@code T} paid trial</td><td>{@code sale}</td></tr>
 * <tr><td>{@code N} rebill, {@code U} trial conversion</td><td>{@code rebill}</td></tr>
 * <tr><td>{@code C} credit</td><td>{@code refund}</td></tr>
 * <tr><td>{@code D} chargeback, {@code X} returned check</td><td>{@code chargeback}</td></tr>
 * <tr><td>{@code J} denied trial conversion</td><td>{@code failure}</td></tr>
 * <tr><td>{@code K} cancelled trial</td><td>{@code cancellation}</td></tr>
 * <tr><td>{@code F} free trial, anything else</td><td>{@code other}</td></tr>
 * </table>
 *
 * <p>Numbering, blank lines, limits and errors are those of {@link GenericCsvImporter}. Instances hold only their
 * configuration and may be shared between threads.
 */
public final class EpochDataPlusImporter {
    private final CurrencyScales scales;
    private final String defaultCurrency;

    /**
     * @param scales          the currencies the ledger knows and their scales
     * @param defaultCurrency the currency of rows without one (the account's currency at Epoch)
     * @throws IllegalArgumentException when {@code scales} does not know {@code defaultCurrency}
     */
    public EpochDataPlusImporter(CurrencyScales scales, String defaultCurrency) {
        this.scales = Objects.requireNonNull(scales, "scales");
        this.defaultCurrency = Objects.requireNonNull(defaultCurrency, "defaultCurrency").strip()
            .toUpperCase(Locale.ROOT);
        if (scales.scaleOf(this.defaultCurrency) < 0) {
            throw new IllegalArgumentException("unknown currency '" + defaultCurrency + "'");
        }
    }

    /**
     * Reads {@code in} (UTF-8 CSV) to its end, giving each transaction to {@code sink}; does not close {@code in}.
     *
     * @throws StatementFormatException when the file is not a DataPlus export, at the first problem
     * @throws IOException              when {@code in} fails
     */
    public void read(InputStream in, LineSink sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        new Run().run(in, ',', sink);
    }

    /** @return our kind for a DataPlus transaction type code */
    static String kind(String code) {
        if (code.length() != 1) {
            return "other";
        }
        switch (Character.toUpperCase(code.charAt(0))) {
            case 'I':
            case 'O':
            case 'T':
                return "sale";
            case 'N':
            case 'U':
                return "rebill";
            case 'C':
                return "refund";
            case 'D':
            case 'X':
                return "chargeback";
            case 'J':
                return "failure";
            case 'K':
                return "cancellation";
            default:
                return "other";
        }
    }

    private final class Run extends CsvRun {
        private int id;
        private int date;
        private int type;
        private int amount;
        private int refs;
        private int currency;

        Run() {
            super(scales);
        }

        @Override
        void header(Header h) {
            id = h.column("ets_transaction_id", true);
            date = h.column("ets_transaction_date", true);
            type = h.column("ets_transaction_type", true);
            amount = h.column("ets_transaction_amount", true);
            refs = h.column("ets_ref_trans_ids", false);
            currency = h.column("ets_currency", false);
        }

        @Override
        void row(LineSink sink) {
            String ccy = empty(currency) ? known(defaultCurrency, "ets_currency") : currency(currency, "ets_currency");
            String reference = reference(id, "ets_transaction_id");
            if (reference.isEmpty()) {
                throw error("ets_transaction_id", "no transaction id");
            }
            long amt = money(amount, "ets_transaction_amount", false, '.');
            sink.line(rowNumber(), reference, kind(stripped(type)), amt, 0, ccy, day(),
                reference(refs, "ets_ref_trans_ids"), "");
        }

        /** {@code yyyy-MM-dd} or {@code yyyy-MM-dd HH:mm:ss}, taken as UTC: the date part once the time is valid. */
        private long day() {
            char[] a = chars();
            int from = start(date);
            int to = end(date);
            while (from < to && a[from] == ' ') {
                from++;
            }
            while (to > from && a[to - 1] == ' ') {
                to--;
            }
            int n = to - from;
            boolean timeOk = n == 10 || n == 19 && a[from + 10] == ' ' && a[from + 13] == ':' && a[from + 16] == ':'
                && between(Values.digits(a, from + 11, 2), 23) && between(Values.digits(a, from + 14, 2), 59)
                && between(Values.digits(a, from + 17, 2), 59);
            try {
                if (!timeOk) {
                    throw new Values.BadValue(Values.quote(new String(a, from, n))
                        + " is not a date (yyyy-MM-dd or yyyy-MM-dd HH:mm:ss)");
                }
                return Values.plainDate(a, from, from + 10);
            } catch (Values.BadValue e) {
                throw error("ets_transaction_date", e.getMessage());
            }
        }

        private boolean between(int v, int max) {
            return v >= 0 && v <= max;
        }
    }
}
