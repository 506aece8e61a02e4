package com.fanzfinance.reconciliation.importers;

import com.fanzfinance.reconciliation.CurrencyScales;
import com.fanzfinance.reconciliation.LineSink;
import com.fanzfinance.reconciliation.StatementFormatException;
import java.io.IOException;
import java.io.InputStream;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalQueries;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a processor's own CSV layout described by a {@link CsvMapping}: which header names hold which of our
 * fields, how its type values map to our kinds, its date pattern, amount sign, decimal separator and delimiter.
 *
 * <p>Every column the mapping names must be in the header (exact name, any case), once. Values are read as
 * {@link GenericCsvImporter} reads them, with these differences: the type is looked up in the mapping's
 * {@code types} (case-insensitively; unlisted values, empty ones included, become {@code other}; without a
 * type column the kind is {@code ""}); with {@link CsvMapping.AmountSign#BY_TYPE} the amounts must be unsigned
 * and those of a refund, chargeback, void, fee or payout are negated, and a row whose type is unlisted or empty
 * is refused (pointer {@code /lines/<row>/type}), since its sign would be a guess; the date follows the mapping's pattern.
 * Numbering, blank lines, limits and errors are those of {@link GenericCsvImporter}.
 *
 * <p>Instances hold only their configuration and may be shared between threads.
 */
public final class MappedCsvImporter {
    private static final Set<String> NEGATIVE_KINDS = Set.of("refund", "chargeback", "void", "fee", "payout");

    private final CurrencyScales scales;
    private final CsvMapping mapping;
    private final DateTimeFormatter dates;

    /**
     * @param scales  the currencies the ledger knows and their scales
     * @param mapping the file's layout
     */
    public MappedCsvImporter(CurrencyScales scales, CsvMapping mapping) {
        this.scales = Objects.requireNonNull(scales, "scales");
        this.mapping = Objects.requireNonNull(mapping, "mapping");
        this.dates = mapping.dateFormat() == null ? null : CsvMapping.formatter(mapping.dateFormat());
    }

    /**
     * Reads {@code in} (UTF-8 CSV) to its end, giving each data row to {@code sink}; does not close {@code in}.
     *
     * @throws StatementFormatException when the file does not fit the mapping, at the first problem
     * @throws IOException              when {@code in} fails
     */
    public void read(InputStream in, LineSink sink) throws IOException {
        Objects.requireNonNull(sink, "sink");
        new Run().run(in, mapping.delimiter(), sink);
    }

    private final class Run extends CsvRun {
        private int reference;
        private int type;
        private int amount;
        private int currency;
        private int fee;
        private int date;
        private int group;
        private int description;
        private String fixedCurrency;

        Run() {
            super(scales);
        }

        private int column(Header h, String field) {
            String name = mapping.columns().get(field);
            return name == null ? -1 : h.column(name, true);
        }

        @Override
        void header(Header h) {
            reference = column(h, "reference");
            type = column(h, "type");
            amount = column(h, "amount");
            currency = column(h, "currency");
            fee = column(h, "fee");
            date = column(h, "date");
            group = column(h, "group");
            description = column(h, "description");
            if (currency < 0 && scales.scaleOf(mapping.currency()) < 0) {
                throw h.error("the mapping's currency '" + mapping.currency() + "' is not known");
            }
            fixedCurrency = mapping.currency();
        }

        @Override
        void row(LineSink sink) {
            String ccy = currency >= 0 && !(fixedCurrency != null && empty(currency))
                ? currency(currency, "currency") : known(fixedCurrency, "currency");
            String kind = "";
            if (type >= 0) {
                String value = stripped(type);
                kind = mapping.types().get(value.toLowerCase(Locale.ROOT));
                if (kind == null) {
                    if (mapping.amountSign() == CsvMapping.AmountSign.BY_TYPE) {
                        throw error("type", (value.isEmpty() ? "no type" : "the type " + Values.quote(value) + " is not in the"
                            + " mapping's types") + ", so the amount's sign is unknown (amount_sign by_type)");
                    }
                    kind = "other";
                }
            }
            long amt = money(amount, "amount", false, mapping.decimalSeparator());
            if (mapping.amountSign() == CsvMapping.AmountSign.BY_TYPE) {
                if (amt < 0 || chars()[firstNonSpace(amount)] == '-') {
                    throw error("amount", "amounts are unsigned in this mapping (amount_sign by_type)");
                }
                if (NEGATIVE_KINDS.contains(kind)) {
                    amt = -amt;
                }
            }
            long feeAmt = money(fee, "fee", true, mapping.decimalSeparator());
            long day = dates == null ? isoDate(date, "date") : patternDate(stripped(date));
            sink.line(rowNumber(), reference(reference, "reference"), kind, amt, feeAmt, ccy, day,
                reference(group, "group"), description(description));
        }

        private int firstNonSpace(int col) {
            int i = start(col);
            while (i < end(col) - 1 && chars()[i] == ' ') {
                i++;
            }
            return i;
        }

        private long patternDate(String text) {
            try {
                TemporalAccessor t = dates.parse(text);
                if (t.isSupported(ChronoField.OFFSET_SECONDS) && t.query(TemporalQueries.localTime()) != null) {
                    return OffsetDateTime.from(t).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate().toEpochDay();
                }
                if (t.query(TemporalQueries.zoneId()) != null && t.query(TemporalQueries.localTime()) != null) {
                    return ZonedDateTime.from(t).withZoneSameInstant(ZoneOffset.UTC).toLocalDate().toEpochDay();
                }
                return LocalDate.from(t).toEpochDay();
            } catch (DateTimeException e) {
                throw error("date", Values.quote(text) + " does not match the date format '" + mapping.dateFormat() + "'");
            }
        }
    }

    /** @return the mapping this importer reads by */
    public CsvMapping mapping() {
        return mapping;
    }
}
