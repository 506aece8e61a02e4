package com.fanzfinance.server.payments.reconciliation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.payouts.ach.NachaDocument;
import com.fanzfinance.payouts.ach.NachaFormatException;
import com.fanzfinance.payouts.ach.NachaReader;
import com.fanzfinance.reconciliation.CurrencyScales;
import com.fanzfinance.reconciliation.LineSink;
import com.fanzfinance.reconciliation.StatementFormatException;
import com.fanzfinance.reconciliation.importers.Camt053Importer;
import com.fanzfinance.reconciliation.importers.CsvMapping;
import com.fanzfinance.reconciliation.importers.EpochDataPlusImporter;
import com.fanzfinance.reconciliation.importers.GenericCsvImporter;
import com.fanzfinance.reconciliation.importers.MappedCsvImporter;
import com.fanzfinance.server.http.Problem;
import com.fanzfinance.server.payments.Currencies;
import com.fanzfinance.server.payments.MerchantAccounts;

/**
 * The statement formats (PAYMENTS-API §7) and how each is read: {@code generic} and {@code mapped} CSV,
 * {@code epoch_dataplus}, {@code camt053} and {@code nacha_returns}. Every importer streams into the sink; a file
 * that does not read as its format is a 400 with the format's problem type and a pointer to the line.
 */
public final class StatementFormats {
    /** Merchant-account settings read here (strings, like every setting). */
    public static final String MAPPING_SETTING = "settlement_csv_mapping";
    public static final String BANK_MATCH_SETTING = "bank_statement_match";
    public static final String BANK_ACCOUNT_SETTING = "bank_account";

    /** A format: its name, problem type, and whether its lines are the bank's (money reaching or leaving the bank). */
    enum Format {
        GENERIC("generic", false),
        MAPPED("mapped", false),
        EPOCH_DATAPLUS("epoch_dataplus", false),
        CAMT053("camt053", true),
        NACHA_RETURNS("nacha_returns", true);

        private final String wireName;
        private final boolean bankStatement;

        Format(String wireName, boolean bankStatement) {
            this.wireName = wireName;
            this.bankStatement = bankStatement;
        }

        /** The 400 for a file that does not read as this format (the types written out, for the docs check). */
        Problem invalid(String detail, String pointer) {
            return switch (this) {
                case CAMT053 -> Problem.badRequest("invalid-camt-file", detail, pointer);
                case NACHA_RETURNS -> Problem.badRequest("invalid-nacha-file", detail, pointer);
                default -> Problem.badRequest("invalid-csv", detail, pointer);
            };
        }

        /** A camt.053 or NACHA file is the bank's; a CSV read against a rail account is its bank statement too. */
        boolean bankStatement() {
            return bankStatement;
        }
    }

    /** What a file says besides its lines: the bank account, balances, warnings. */
    static final class Meta {
        private String bankAccount;
        private boolean feesReported;
        private final Map<String, Object> facts = new LinkedHashMap<>();
        private final List<String> warnings = new ArrayList<>();

        String bankAccount() {
            return bankAccount;
        }

        List<String> warnings() {
            return warnings;
        }

        /** Whether the file reports fees (a fee column, a bank's charges); without, a fee of 0 means "not said". */
        boolean feesReported() {
            return feesReported;
        }

        void describe(ObjectNode json) {
            if (bankAccount != null) {
                json.put("bank_account", bankAccount);
            }
            facts.forEach((name, value) -> json.set(name, com.fanzfinance.server.payments.Fields.JSON.valueToTree(value)));
        }
    }

    private StatementFormats() {
    }

    /** The format named, if it suits the account: 400 otherwise. */
    static Format format(String name, boolean rail, String processor) {
        for (Format format : Format.values()) {
            if (format.wireName.equals(name)) {
                if (format == Format.EPOCH_DATAPLUS && !"epoch".equals(processor)) {
                    throw Problem.invalidField("epoch_dataplus is read against an epoch merchant account", "?format");
                }
                if (format == Format.NACHA_RETURNS && !"ach".equals(processor)) {
                    throw Problem.invalidField("nacha_returns is read against an ach rail account", "?format");
                }
                return format;
            }
        }
        throw Problem.invalidField("'format' is generic, mapped, epoch_dataplus, camt053 or nacha_returns", "?format");
    }

    /** Reads {@code in} as {@code format} into {@code sink}. */
    static Meta read(Format format, MerchantAccounts.Account account, Currencies currencies, InputStream in,
                     LineSink sink) throws IOException {
        CurrencyScales scales = code -> currencies.byCode(code).map(currency -> currency.scale()).orElse(-1);
        Meta meta = new Meta();
        try {
            switch (format) {
                case GENERIC -> meta.feesReported = new GenericCsvImporter(scales).read(in, sink);
                case MAPPED -> {
                    CsvMapping mapping = mapping(account);
                    meta.feesReported = mapping.columns().containsKey("fee");
                    new MappedCsvImporter(scales, mapping).read(in, sink);
                }
                case EPOCH_DATAPLUS -> {
                    if (account.currencies().isEmpty()) {
                        throw new StatementFormatException("the account takes no currency, and DataPlus rows name none", 0, null);
                    }
                    new EpochDataPlusImporter(scales, account.currencies().get(0)).read(in, sink);
                }
                case CAMT053 -> {
                    meta.feesReported = true;
                    Camt053Importer camt = new Camt053Importer(scales);
                    camt.read(in, sink);
                    meta.bankAccount = camt.account();
                    meta.facts.put("statement_id", camt.statementId());
                    meta.facts.put("opening_balance", balance(camt.openingBalance()));
                    meta.facts.put("closing_balance", balance(camt.closingBalance()));
                    meta.facts.put("entries", camt.entries());
                    meta.facts.put("entries_not_booked", camt.skippedEntries());
                    if (camt.skippedEntries() > 0) {
                        meta.warnings.add(camt.skippedEntries() + " entries are not booked (Sts other than BOOK) and were "
                            + "left out");
                    }
                }
                case NACHA_RETURNS -> nachaReturns(in, sink, account);
            }
        } catch (StatementFormatException e) {
            throw format.invalid(e.getMessage(), e.pointer());
        }
        return meta;
    }

    /**
     * Checks the reconciliation settings of a merchant account as it is saved: {@code settlement_csv_mapping} (JSON
     * text {@code {"columns","types","date_format",…}}) must read as a mapping, {@code bank_account} be a party.
     */
    public static void checkSettings(Map<String, String> settings) {
        String mapping = settings.get(MAPPING_SETTING);
        if (mapping != null) {
            try {
                mapping(mapping);
            } catch (IllegalArgumentException e) {
                throw Problem.invalidField(MAPPING_SETTING + " is not usable: " + e.getMessage(),
                    "/settings/" + MAPPING_SETTING);
            }
        }
        String bank = settings.get(BANK_ACCOUNT_SETTING);
        if (bank != null && !com.fanzfinance.server.payments.Fields.PARTY.matcher(bank).matches()) {
            throw Problem.invalidField(BANK_ACCOUNT_SETTING + " is an IBAN or routing:account (1-64 of A-Z a-z 0-9 . _ "
                + ": @ -)", "/settings/" + BANK_ACCOUNT_SETTING);
        }
    }

    /** The account's mapping for the {@code mapped} format: 422 when it has none. */
    private static CsvMapping mapping(MerchantAccounts.Account account) {
        String setting = account.settings().get(MAPPING_SETTING);
        if (setting == null) {
            throw new Problem(422, "no-settlement-mapping", "Unprocessable entity", "the merchant account has no "
                + "settings." + MAPPING_SETTING + " (JSON text {\"columns\",\"types\",\"date_format\"}) for the mapped "
                + "format", null);
        }
        return mapping(setting);
    }

    /** @throws IllegalArgumentException saying what is wrong with the mapping's JSON text */
    private static CsvMapping mapping(String text) {
        JsonNode setting;
        try {
            setting = com.fanzfinance.server.payments.Fields.JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON");
        }
        if (!setting.isObject()) {
            throw new IllegalArgumentException("a JSON object {\"columns\",\"types\",\"date_format\"} is needed");
        }
        Map<String, String> columns = strings(setting.path("columns"), "columns");
        Map<String, String> types = strings(setting.path("types"), "types");
        String decimal = text(setting, "decimal_separator", ".");
        String delimiter = text(setting, "delimiter", ",");
        if (decimal.length() != 1 || delimiter.length() != 1) {
            throw new IllegalArgumentException("decimal_separator and delimiter are one character each");
        }
        return new CsvMapping(columns, types, text(setting, "date_format", null),
            CsvMapping.AmountSign.of(text(setting, "amount_sign", null)), decimal.charAt(0), delimiter.charAt(0),
            text(setting, "currency", null));
    }

    private static Map<String, String> strings(JsonNode node, String name) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node.isMissingNode() || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("'" + name + "' is an object of strings");
        }
        node.properties().forEach(entry -> {
            if (!entry.getValue().isTextual()) {
                throw new IllegalArgumentException("'" + name + "." + entry.getKey() + "' is a string");
            }
            map.put(entry.getKey(), entry.getValue().asText());
        });
        return map;
    }

    private static String text(JsonNode node, String name, String absent) {
        JsonNode value = node.path(name);
        return value.isTextual() ? value.asText() : absent;
    }

    /**
     * A NACHA return file: one line per returned entry (addenda 99), reference = the Original Entry Trace Number
     * (our payout's {@code rail_reference}), amount positive (the money comes back), dated by the batch's
     * effective date (else the file's creation date), type {@code return}, the return code as description.
     * Return files are small: read whole, within the body cap.
     */
    private static void nachaReturns(InputStream in, LineSink sink, MerchantAccounts.Account account) throws IOException {
        byte[] body = in.readAllBytes();
        for (byte b : body) {
            if (b < 0) {
                throw new StatementFormatException("a NACHA file is ASCII; this one has byte values above 127", 0, null);
            }
        }
        NachaDocument document;
        try {
            document = NachaReader.read(new String(body, StandardCharsets.US_ASCII));
        } catch (NachaFormatException e) {
            throw new StatementFormatException(e.getMessage(), e.line(), "/lines/" + e.line());
        }
        LocalDate created = yymmdd(document.header().creationDate());
        String currency = account.currencies().isEmpty() ? "USD" : account.currencies().get(0);
        for (NachaDocument.Batch batch : document.batches()) {
            LocalDate effective = yymmdd(batch.effectiveDate());
            LocalDate day = effective != null ? effective : created;
            if (day == null) {
                throw new StatementFormatException("the batch has no readable effective date and the file no creation date",
                    batch.line(), "/lines/" + batch.line());
            }
            for (NachaDocument.Entry entry : batch.entries()) {
                for (NachaDocument.Addenda addenda : entry.addenda()) {
                    if (addenda instanceof NachaDocument.Return returned) {
                        sink.line(entry.line(), returned.originalTrace(), "return", entry.amountCents(), 0, currency,
                            day.toEpochDay(), "", returned.returnCode() + " " + returned.information());
                    }
                }
            }
        }
    }

    private static Map<String, Object> balance(Camt053Importer.Balance balance) {
        if (balance == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("amount", Long.toString(balance.amount()));
        json.put("currency", balance.currency());
        json.put("date", LocalDate.ofEpochDay(balance.epochDay()).toString());
        return json;
    }

    private static LocalDate yymmdd(String text) {
        if (text == null || !text.matches("[0-9]{6}")) {
            return null;
        }
        try {
            return LocalDate.parse("20" + text, DateTimeFormatter.BASIC_ISO_DATE);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
