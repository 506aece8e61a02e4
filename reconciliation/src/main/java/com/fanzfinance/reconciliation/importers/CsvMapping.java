package com.fanzfinance.reconciliation.importers;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How a processor's own CSV layout maps onto statement lines, for {@link MappedCsvImporter}. The server builds
 * it from the JSON a user saved ({@code {"columns": {...}, "types": {...}, "date_format": "dd/MM/yyyy",
 * "amount_sign": "by_type", "decimal_separator": ",", "delimiter": ";"}}); this module reads no JSON.
 *
 * @param columns          our field name ({@code reference type amount currency fee date group description}) to
 *                         the file's header name (matched exactly but case-insensitively, spaces around it
 *                         ignored); {@code amount} and {@code date} are required, {@code currency} unless
 *                         {@code currency} (the default) is given
 * @param types            the file's type value (case-insensitive) to our kind ({@code sale refund ...}, at
 *                         most 32 characters); a type
 *                         not listed (or empty) becomes {@code other}, or with {@link AmountSign#BY_TYPE}
 *                         refuses its row
 * @param dateFormat       a {@link DateTimeFormatter} pattern for the date column ({@code dd/MM/yyyy},
 *                         {@code yyyy-MM-dd HH:mm}), or null for ISO as {@link GenericCsvImporter} reads it; a
 *                         pattern with an offset or zone gives the UTC date
 * @param amountSign       whether the amounts are signed ({@link AmountSign#AS_IS}) or unsigned and signed by
 *                         the line's kind ({@link AmountSign#BY_TYPE})
 * @param decimalSeparator {@code '.'} or {@code ','}
 * @param delimiter        {@code ','}, {@code ';'} or tab
 * @param currency         the currency of every row when the file has no currency column, or null
 */
public record CsvMapping(Map<String, String> columns, Map<String, String> types, String dateFormat,
                         AmountSign amountSign, char decimalSeparator, char delimiter, String currency) {

    /** Our field names a mapping's {@code columns} may use. */
    public static final Set<String> FIELDS =
        Set.of("reference", "type", "amount", "currency", "fee", "date", "group", "description");

    /** How the file signs its amounts. */
    public enum AmountSign {
        /** Amounts are signed as we sign them: money to us positive. */
        AS_IS,
        /** Amounts are unsigned; those of a refund, chargeback, void, fee or payout are negated. */
        BY_TYPE;

        /**
         * @param setting {@code as_is} or {@code by_type} (any case), null for the default {@code as_is}
         * @throws IllegalArgumentException for anything else
         */
        public static AmountSign of(String setting) {
            if (setting == null) {
                return AS_IS;
            }
            switch (setting.toLowerCase(Locale.ROOT)) {
                case "as_is":
                    return AS_IS;
                case "by_type":
                    return BY_TYPE;
                default:
                    throw new IllegalArgumentException("amount_sign is as_is or by_type, not '" + setting + "'");
            }
        }
    }

    /**
     * Checks the mapping and copies its maps (column names and type keys lower-cased, kinds lower-cased).
     *
     * @throws IllegalArgumentException naming what is wrong: an unknown field, a missing required column, a bad
     *                                  date pattern, separator or delimiter, or {@code BY_TYPE} without a type
     *                                  column
     */
    public CsvMapping {
        if (columns == null) {
            throw new IllegalArgumentException("the mapping has no columns");
        }
        Map<String, String> cols = new LinkedHashMap<>();
        columns.forEach((field, header) -> {
            String f = field == null ? "" : field.toLowerCase(Locale.ROOT);
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException("columns: '" + field + "' is not one of " + FIELDS);
            }
            if (header == null || header.isBlank()) {
                throw new IllegalArgumentException("columns: '" + field + "' names no column");
            }
            cols.put(f, header.strip());
        });
        for (String required : new String[] {"amount", "date"}) {
            if (!cols.containsKey(required)) {
                throw new IllegalArgumentException("columns: '" + required + "' is required");
            }
        }
        if (currency != null) {
            currency = currency.strip().toUpperCase(Locale.ROOT);
        }
        if (!cols.containsKey("currency") && (currency == null || currency.isEmpty())) {
            throw new IllegalArgumentException("columns: 'currency' is required when no currency is given");
        }
        Map<String, String> kinds = new LinkedHashMap<>();
        if (types != null) {
            types.forEach((value, kind) -> {
                if (value == null || kind == null || kind.isBlank()) {
                    throw new IllegalArgumentException("types: '" + value + "' maps to no kind");
                }
                String k = Values.kind(kind.strip());
                if (k.length() > Values.TYPE_MAX) {
                    throw new IllegalArgumentException("types: '" + value + "' maps to a kind longer than "
                        + Values.TYPE_MAX + " characters");
                }
                kinds.put(value.strip().toLowerCase(Locale.ROOT), k);
            });
        }
        if (dateFormat != null) {
            formatter(dateFormat);
        }
        if (amountSign == null) {
            amountSign = AmountSign.AS_IS;
        }
        if (amountSign == AmountSign.BY_TYPE && !cols.containsKey("type")) {
            throw new IllegalArgumentException("amount_sign by_type needs a type column");
        }
        if (decimalSeparator != '.' && decimalSeparator != ',') {
            throw new IllegalArgumentException("decimal_separator is '.' or ',', not '" + decimalSeparator + "'");
        }
        if (delimiter != ',' && delimiter != ';' && delimiter != '\t') {
            throw new IllegalArgumentException("delimiter is ',', ';' or tab, not '" + delimiter + "'");
        }
        columns = Map.copyOf(cols);
        types = Map.copyOf(kinds);
    }

    /** A mapping with the defaults: signed amounts, {@code .} decimals, {@code ,} delimiter, a currency column. */
    public CsvMapping(Map<String, String> columns, Map<String, String> types, String dateFormat) {
        this(columns, types, dateFormat, AmountSign.AS_IS, '.', ',', null);
    }

    /**
     * A strict formatter for a user's pattern: {@code y} (year of era) is read as {@code u} (proleptic year) so
     * that the strict resolver, which refuses 31/02, needs no era.
     */
    static DateTimeFormatter formatter(String pattern) {
        StringBuilder p = new StringBuilder(pattern.length());
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            }
            p.append(!quoted && c == 'y' ? 'u' : c);
        }
        try {
            return DateTimeFormatter.ofPattern(p.toString(), Locale.ROOT)
                .withResolverStyle(java.time.format.ResolverStyle.STRICT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("date_format '" + pattern + "' is not a date pattern: "
                + e.getMessage());
        }
    }
}
