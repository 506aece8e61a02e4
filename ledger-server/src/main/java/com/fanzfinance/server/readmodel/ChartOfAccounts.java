package com.fanzfinance.server.readmodel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The chart of accounts and the currency registry: account {@code code} ranges mapped to a type and a
 * name (1100–1199 processor receivables, 2100–2199 creator payables, 4100–4199 platform fees, …), and
 * each {@code ledger} to a currency code and scale. The default ships as {@code docs/chart-of-accounts.json};
 * {@code FANZ_CHART_FILE} names another file of the same shape. Checked whole at start: overlapping
 * ranges, unknown types, duplicate ledgers or currency codes are errors.
 */
public final class ChartOfAccounts {
    static final String DEFAULT_RESOURCE = "/chart-of-accounts.json";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,47}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z][A-Z0-9]{1,9}");
    private static final int SCALE_MAX = 18;

    /** One range of codes. */
    public record CodeRange(int from, int to, AccountType type, String name) {
    }

    /** A ledger's currency: its code and how many of its minor units make one major unit (10^scale). */
    public record Currency(int ledger, String code, int scale) {
        /** {@code minor} minor units in major units, exactly (e.g. 2500 USD cents → 25.00). */
        public BigDecimal toMajor(long minor) {
            return BigDecimal.valueOf(minor, scale);
        }

        public String format(long minor) {
            return toMajor(minor).toPlainString();
        }
    }

    private final List<CodeRange> ranges;
    private final Map<Integer, Currency> currencies;

    private ChartOfAccounts(List<CodeRange> ranges, Map<Integer, Currency> currencies) {
        this.ranges = List.copyOf(ranges);
        this.currencies = Map.copyOf(currencies);
    }

    /** The chart in {@code file}, or the default when {@code file} is null. */
    public static ChartOfAccounts load(Path file) {
        try (InputStream in = file == null ? ChartOfAccounts.class.getResourceAsStream(DEFAULT_RESOURCE)
            : Files.newInputStream(file)) {
            if (in == null) {
                throw new IllegalStateException("the default chart of accounts is missing from the build");
            }
            return parse(new ObjectMapper().readTree(in), file == null ? "the default chart" : file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the chart of accounts " + file, e);
        }
    }

    static ChartOfAccounts parse(JsonNode root, String source) {
        List<String> problems = new ArrayList<>();
        List<CodeRange> ranges = new ArrayList<>();
        for (JsonNode node : root.path("accounts")) {
            int from = node.path("from").asInt(-1);
            int to = node.path("to").asInt(-1);
            AccountType type = AccountType.ofWireName(node.path("type").asText());
            String name = node.path("name").asText();
            if (from < 1 || to > 0xFFFF || from > to) {
                problems.add("account range " + node + ": from/to must satisfy 1 <= from <= to <= 65535");
            }
            if (type == null) {
                problems.add("account range " + node + ": type must be asset, liability, equity, revenue or expense");
            }
            if (!NAME.matcher(name).matches()) {
                problems.add("account range " + node + ": name must be 1-48 of a-z, 0-9 and '-'");
            }
            ranges.add(new CodeRange(from, to, type, name));
        }
        ranges.sort(Comparator.comparingInt(CodeRange::from));
        for (int i = 1; i < ranges.size(); i++) {
            if (ranges.get(i).from() <= ranges.get(i - 1).to()) {
                problems.add("account ranges " + ranges.get(i - 1).name() + " and " + ranges.get(i).name() + " overlap");
            }
        }
        Map<Integer, Currency> currencies = new HashMap<>();
        Map<String, Integer> codes = new HashMap<>();
        for (JsonNode node : root.path("currencies")) {
            int ledger = node.path("ledger").asInt(-1);
            String code = node.path("code").asText();
            int scale = node.path("scale").asInt(-1);
            if (ledger < 1 || !CURRENCY.matcher(code).matches() || scale < 0 || scale > SCALE_MAX) {
                problems.add("currency " + node + ": needs ledger >= 1, a code of 2-10 of A-Z and 0-9, scale 0.."
                    + SCALE_MAX);
            }
            if (currencies.put(ledger, new Currency(ledger, code, scale)) != null) {
                problems.add("ledger " + ledger + " has two currencies");
            }
            if (codes.put(code, ledger) != null) {
                problems.add("currency " + code + " is on two ledgers");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid chart of accounts (" + source + "):\n  "
                + String.join("\n  ", problems));
        }
        return new ChartOfAccounts(ranges, currencies);
    }

    /** The range that covers {@code code}, or an "unclassified" one named after the code. */
    public CodeRange rangeOf(int code) {
        int low = 0;
        int high = ranges.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            CodeRange range = ranges.get(middle);
            if (code < range.from()) {
                high = middle - 1;
            } else if (code > range.to()) {
                low = middle + 1;
            } else {
                return range;
            }
        }
        return new CodeRange(code, code, AccountType.UNCLASSIFIED, "code-" + code);
    }

    /** The currency of {@code ledger}; a ledger the registry lacks counts in whole units named {@code L<ledger>}. */
    public Currency currencyOf(int ledger) {
        Currency currency = currencies.get(ledger);
        return currency != null ? currency : new Currency(ledger, "L" + ledger, 0);
    }

    public List<CodeRange> ranges() {
        return ranges;
    }

    public Map<Integer, Currency> currencies() {
        return currencies;
    }
}
