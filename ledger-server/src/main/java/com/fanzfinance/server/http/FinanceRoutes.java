package com.fanzfinance.server.http;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.jooq.exception.DataAccessException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.javalin.http.Context;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.engine.LedgerBusyException;
import com.fanzfinance.ledger.engine.Ledger;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.ledger.engine.LedgerFailedException;
import com.fanzfinance.ledger.engine.StateMachine;
import com.fanzfinance.server.auth.ApiKey;
import com.fanzfinance.server.auth.Scope;
import com.fanzfinance.server.auth.TenantRegistry;
import com.fanzfinance.server.readmodel.AccountType;
import com.fanzfinance.server.readmodel.ChartOfAccounts;
import com.fanzfinance.server.readmodel.FinancialStatements;
import com.fanzfinance.server.readmodel.JournalExport;
import com.fanzfinance.server.readmodel.Projector;
import com.fanzfinance.server.readmodel.ReadAdmission;
import com.fanzfinance.server.readmodel.ReadModelDivergedException;
import com.fanzfinance.server.readmodel.ReadModel;
import com.fanzfinance.server.readmodel.ReadModelQueries;
import com.fanzfinance.server.readmodel.ReadModelQueries.AccountRow;
import com.fanzfinance.server.readmodel.ReadModelQueries.Balances;

/**
 * The finance endpoints, served from the PostgreSQL read model: trial balance, income statement,
 * balance sheet, account statements, journal exports, and the filtered account and transfer listings.
 * Every answer states the read-model position it reflects ({@code X-Ledger-Position}, and
 * {@code position} in JSON bodies) and how far that is behind the ledger. Statements and exports stream.
 * Every request is admitted first (a per-key limit, then a time box after which it is cut off: see
 * {@link ReadAdmission}), and refused while the read model has diverged from the ledger.
 *
 * <p>Times ({@code at}, {@code from}, {@code to}) are ledger timestamps (nanoseconds since the epoch),
 * ISO dates ({@code 2026-11-01}, midnight UTC) or ISO instants. {@code from} is inclusive, {@code to}
 * exclusive; {@code at} is inclusive, and a date as {@code at} means the end of that day.
 */
final class FinanceRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(FinanceRoutes.class);
    /** PostgreSQL's SQLSTATE for a statement cancelled by {@code statement_timeout}. */
    private static final String QUERY_CANCELED = "57014";
    /** Ids looked up in the ledger per engine query by a filtered listing. */
    private static final int LOOKUPS_PER_QUERY = 1_024;
    static final String POSITION_HEADER = "X-Ledger-Position";
    static final String POSITION_TIMESTAMP_HEADER = "X-Ledger-Position-Timestamp";
    static final String LAG_HEADER = "X-Ledger-Lag";
    private static final JsonFactory JSON = new JsonFactory();
    private static final long FRESH_WAIT_MILLIS = 10_000;
    /** An {@code at} or {@code to} the request did not give: everything the read model holds. */
    private static final long UNBOUNDED = Long.MAX_VALUE;
    private static final Set<String> TRIAL_BALANCE = Set.of("ledger", "at", "tenant", "format", "fresh", "group");
    private static final Set<String> INCOME_STATEMENT = Set.of("ledger", "from", "to", "tenant", "format", "fresh");
    private static final Set<String> BALANCE_SHEET = Set.of("ledger", "at", "tenant", "format", "fresh");
    private static final Set<String> STATEMENT = Set.of("from", "to", "format", "fresh", "limit", "cursor");
    /** Most postings on one page of a statement ({@code limit}). */
    static final int STATEMENT_PAGE_MAX = 10_000;
    private static final Set<String> EXPORT = Set.of("ledger", "from", "to", "tenant", "format", "fresh");
    private static final Set<String> LISTING = Set.of("ledger", "code", "user_data_128", "user_data_64", "user_data_32",
        "tenant", "limit", "timestamp_min", "timestamp_max", "reversed", "cursor", "fresh");

    private final ReadModel readModel;
    private final Ledger engine;
    private final TenantRegistry tenants;

    FinanceRoutes(ReadModel readModel, Ledger engine, TenantRegistry tenants) {
        this.readModel = readModel;
        this.engine = engine;
        this.tenants = tenants;
    }

    // ---- reports ---------------------------------------------------------------------------------

    void trialBalance(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.FINANCE_READ);
        QueryParameters.requireKnown(ctx, TRIAL_BALANCE);
        ReadModelQueries.Scope scope = scope(ctx, key);
        long at = time(ctx, "at", UNBOUNDED, true);
        boolean csv = format(ctx, "json", "csv").equals("csv");
        boolean byCode = choice(ctx, "group", "account", "code").equals("code");
        admitted(ctx, key, ticket -> {
            readModel.read(queries -> {
                Projector.Position position = queries.position();
                positionHeaders(ctx, position);
                if (byCode) {
                    trialBalanceByCode(ctx, queries, key, scope, at, position, csv);
                } else if (csv) {
                    trialBalanceCsv(ctx, queries, scope, at);
                } else {
                    trialBalanceJson(ctx, queries, key, scope, at, position);
                }
                return null;
            });
        });
    }

    private void trialBalanceCsv(Context ctx, ReadModelQueries queries, ReadModelQueries.Scope scope, long at) {
        ChartOfAccounts chart = readModel.chart();
        Map<Integer, BigInteger[]> totals = new TreeMap<>();
        Writer out = csvWriter(ctx, "trial-balance.csv");
        write(out, "ledger,currency,account_id,code,type,name,tenant,debit,credit\n");
        queries.balancesAt(scope, at, row -> {
            long net = row.balances().postedNet();
            if (net != 0) {
                ChartOfAccounts.Currency currency = chart.currencyOf(row.account().ledger());
                ChartOfAccounts.CodeRange range = chart.rangeOf(row.account().code());
                addTotal(totals, row.account().ledger(), net);
                write(out, row.account().ledger() + "," + currency.code() + "," + row.account().id() + ","
                    + row.account().code() + "," + range.type().wireName() + "," + range.name() + ","
                    + tenantSlug(row.account().tenant()) + "," + (net > 0 ? currency.format(net) : "") + ","
                    + (net < 0 ? currency.format(-net) : "") + "\n");
            }
        });
        for (Map.Entry<Integer, BigInteger[]> total : totals.entrySet()) {
            ChartOfAccounts.Currency currency = chart.currencyOf(total.getKey());
            boolean balanced = total.getValue()[0].equals(total.getValue()[1]);
            write(out, total.getKey() + "," + currency.code() + ",TOTAL,,," + (balanced ? "balanced" : "NOT BALANCED")
                + ",," + format(currency, total.getValue()[0]) + "," + format(currency, total.getValue()[1]) + "\n");
        }
        close(out);
    }

    private void trialBalanceJson(Context ctx, ReadModelQueries queries, ApiKey key, ReadModelQueries.Scope scope,
                                  long at, Projector.Position position) {
        ChartOfAccounts chart = readModel.chart();
        Map<Integer, BigInteger[]> totals = new TreeMap<>();
        JsonGenerator json = jsonStream(ctx);
        try {
            json.writeStartObject();
            json.writeStringField("report", "trial-balance");
            writeScope(json, scope, key);
            json.writeStringField("at", Long.toString(reflectedAt(at, position)));
            writePosition(json, position);
            json.writeArrayFieldStart("accounts");
            queries.balancesAt(scope, at, row -> {
                long net = row.balances().postedNet();
                if (net == 0) {
                    return;
                }
                addTotal(totals, row.account().ledger(), net);
                ChartOfAccounts.Currency currency = chart.currencyOf(row.account().ledger());
                ChartOfAccounts.CodeRange range = chart.rangeOf(row.account().code());
                jsonIo(() -> {
                    json.writeStartObject();
                    json.writeStringField("id", row.account().id().toString());
                    json.writeNumberField("ledger", row.account().ledger());
                    json.writeStringField("currency", currency.code());
                    json.writeNumberField("code", row.account().code());
                    json.writeStringField("type", range.type().wireName());
                    json.writeStringField("name", range.name());
                    json.writeStringField("tenant", tenantSlug(row.account().tenant()));
                    json.writeStringField("debit", currency.format(Math.max(net, 0)));
                    json.writeStringField("credit", currency.format(Math.max(-net, 0)));
                    json.writeEndObject();
                });
            });
            json.writeEndArray();
            writeTrialTotals(json, chart, totals, scope);
            json.writeEndObject();
            json.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The trial balance's {@code totals} per currency, {@code balanced}, and a {@code warning} when it is not. */
    private static void writeTrialTotals(JsonGenerator json, ChartOfAccounts chart, Map<Integer, BigInteger[]> totals,
                                         ReadModelQueries.Scope scope) throws IOException {
        boolean allBalanced = true;
        json.writeArrayFieldStart("totals");
        for (Map.Entry<Integer, BigInteger[]> total : totals.entrySet()) {
            ChartOfAccounts.Currency currency = chart.currencyOf(total.getKey());
            boolean balanced = total.getValue()[0].equals(total.getValue()[1]);
            allBalanced &= balanced;
            json.writeStartObject();
            json.writeNumberField("ledger", total.getKey());
            json.writeStringField("currency", currency.code());
            json.writeStringField("debits", format(currency, total.getValue()[0]));
            json.writeStringField("credits", format(currency, total.getValue()[1]));
            json.writeBooleanField("balanced", balanced);
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeBooleanField("balanced", allBalanced);
        if (!allBalanced) {
            json.writeStringField("warning", scope.tenants() == null
                ? "THE TRIAL BALANCE DOES NOT BALANCE: debits differ from credits; the read model is damaged,"
                    + " rebuild it (fanz read-model rebuild) and report this"
                : "debits differ from credits within the selected tenants: transfers cross tenant boundaries");
        }
    }

    /** One row of a trial balance by account code: the sums of its accounts' debit and credit balances. */
    private record CodeRow(int ledger, int code, int tenant) implements Comparable<CodeRow> {
        @Override
        public int compareTo(CodeRow other) {
            int byLedger = Integer.compare(ledger, other.ledger);
            if (byLedger != 0) {
                return byLedger;
            }
            int byCode = Integer.compare(code, other.code);
            return byCode != 0 ? byCode : Integer.compare(tenant, other.tenant);
        }
    }

    /**
     * {@code group=code}: one row per currency, account code and tenant, with the sum of the debit balances and the
     * sum of the credit balances of its accounts (never netted, so the columns add up to the totals), and how many
     * accounts it sums — what finance reads; the per-account report is for drilling down.
     */
    private void trialBalanceByCode(Context ctx, ReadModelQueries queries, ApiKey key, ReadModelQueries.Scope scope,
                                    long at, Projector.Position position, boolean csv) {
        ChartOfAccounts chart = readModel.chart();
        Map<CodeRow, BigInteger[]> rows = new TreeMap<>();
        Map<Integer, BigInteger[]> totals = new TreeMap<>();
        queries.balancesAt(scope, at, row -> {
            long net = row.balances().postedNet();
            if (net == 0) {
                return;
            }
            addTotal(totals, row.account().ledger(), net);
            BigInteger[] sums = rows.computeIfAbsent(new CodeRow(row.account().ledger(), row.account().code(),
                row.account().tenant()), k -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO});
            sums[net > 0 ? 0 : 1] = sums[net > 0 ? 0 : 1].add(BigInteger.valueOf(Math.abs(net)));
            sums[2] = sums[2].add(BigInteger.ONE);
        });
        if (csv) {
            Writer out = csvWriter(ctx, "trial-balance-by-code.csv");
            write(out, "ledger,currency,code,type,name,tenant,accounts,debit,credit\n");
            rows.forEach((row, sums) -> {
                ChartOfAccounts.Currency currency = chart.currencyOf(row.ledger());
                ChartOfAccounts.CodeRange range = chart.rangeOf(row.code());
                write(out, row.ledger() + "," + currency.code() + "," + row.code() + "," + range.type().wireName() + ","
                    + range.name() + "," + tenantSlug(row.tenant()) + "," + sums[2] + "," + format(currency, sums[0]) + ","
                    + format(currency, sums[1]) + "\n");
            });
            for (Map.Entry<Integer, BigInteger[]> total : totals.entrySet()) {
                ChartOfAccounts.Currency currency = chart.currencyOf(total.getKey());
                boolean balanced = total.getValue()[0].equals(total.getValue()[1]);
                write(out, total.getKey() + "," + currency.code() + ",TOTAL,," + (balanced ? "balanced" : "NOT BALANCED")
                    + ",,," + format(currency, total.getValue()[0]) + "," + format(currency, total.getValue()[1]) + "\n");
            }
            close(out);
            return;
        }
        ctx.contentType("application/json");
        ctx.result(JsonResponses.write(json -> {
            json.writeStartObject();
            json.writeStringField("report", "trial-balance");
            json.writeStringField("group", "code");
            writeScope(json, scope, key);
            json.writeStringField("at", Long.toString(reflectedAt(at, position)));
            writePosition(json, position);
            json.writeArrayFieldStart("accounts");
            for (Map.Entry<CodeRow, BigInteger[]> entry : rows.entrySet()) {
                CodeRow row = entry.getKey();
                ChartOfAccounts.Currency currency = chart.currencyOf(row.ledger());
                ChartOfAccounts.CodeRange range = chart.rangeOf(row.code());
                json.writeStartObject();
                json.writeNumberField("ledger", row.ledger());
                json.writeStringField("currency", currency.code());
                json.writeNumberField("code", row.code());
                json.writeStringField("type", range.type().wireName());
                json.writeStringField("name", range.name());
                json.writeStringField("tenant", tenantSlug(row.tenant()));
                json.writeNumberField("accounts", entry.getValue()[2].longValueExact());
                json.writeStringField("debit", format(currency, entry.getValue()[0]));
                json.writeStringField("credit", format(currency, entry.getValue()[1]));
                json.writeEndObject();
            }
            json.writeEndArray();
            writeTrialTotals(json, chart, totals, scope);
            json.writeEndObject();
        }));
    }

    void incomeStatement(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.FINANCE_READ);
        QueryParameters.requireKnown(ctx, INCOME_STATEMENT);
        ReadModelQueries.Scope scope = scope(ctx, key);
        long from = time(ctx, "from", 0, false);
        long to = time(ctx, "to", UNBOUNDED, false);
        requireOrdered(from, to);
        boolean csv = format(ctx, "json", "csv").equals("csv");
        admitted(ctx, key, ticket -> {
            Object[] result = readModel.read(queries -> new Object[] {queries.position(),
                FinancialStatements.incomeStatement(queries, readModel.chart(), scope, from, to)});
            @SuppressWarnings("unchecked")
            List<FinancialStatements.CurrencySection> sections = (List<FinancialStatements.CurrencySection>) result[1];
            positionHeaders(ctx, (Projector.Position) result[0]);
            List<AccountType> order = List.of(AccountType.REVENUE, AccountType.EXPENSE);
            if (csv) {
                Writer out = csvWriter(ctx, "income-statement.csv");
                writeSectionsCsv(out, sections, order);
                for (FinancialStatements.CurrencySection section : sections) {
                    write(out, section.currency().ledger() + "," + section.currency().code() + ",net-income,,,net-income,"
                        + format(section.currency(), section.netIncome()) + "\n");
                }
                close(out);
                return;
            }
            writeStatementJson(ctx, "income-statement", scope, key, (Projector.Position) result[0], json -> {
                json.writeStringField("from", Long.toString(from));
                writeTo(json, to);
            }, sections, order, (json, section) ->
                json.writeStringField("net_income", format(section.currency(), section.netIncome())));
        });
    }

    void balanceSheet(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.FINANCE_READ);
        QueryParameters.requireKnown(ctx, BALANCE_SHEET);
        ReadModelQueries.Scope scope = scope(ctx, key);
        long at = time(ctx, "at", UNBOUNDED, true);
        boolean csv = format(ctx, "json", "csv").equals("csv");
        admitted(ctx, key, ticket -> {
            Object[] result = readModel.read(queries -> new Object[] {queries.position(),
                FinancialStatements.balanceSheet(queries, readModel.chart(), scope, at)});
            @SuppressWarnings("unchecked")
            List<FinancialStatements.CurrencySection> sections = (List<FinancialStatements.CurrencySection>) result[1];
            positionHeaders(ctx, (Projector.Position) result[0]);
            List<AccountType> order = List.of(AccountType.ASSET, AccountType.LIABILITY, AccountType.EQUITY,
                AccountType.UNCLASSIFIED);
            if (csv) {
                Writer out = csvWriter(ctx, "balance-sheet.csv");
                writeSectionsCsv(out, sections, order);
                for (FinancialStatements.CurrencySection section : sections) {
                    write(out, section.currency().ledger() + "," + section.currency().code() + ",equity,,,earnings-to-date,"
                        + format(section.currency(), section.netIncome()) + "\n");
                    write(out, section.currency().ledger() + "," + section.currency().code() + ",check,,,"
                        + (section.balances() ? "balanced" : "NOT BALANCED") + ",\n");
                }
                close(out);
                return;
            }
            writeStatementJson(ctx, "balance-sheet", scope, key, (Projector.Position) result[0], json ->
                json.writeStringField("at", Long.toString(reflectedAt(at, (Projector.Position) result[0]))), sections, order, (json, section) -> {
                    json.writeStringField("earnings_to_date", format(section.currency(), section.netIncome()));
                    json.writeStringField("total_liabilities_and_equity", format(section.currency(),
                        section.total(AccountType.LIABILITY).add(section.total(AccountType.EQUITY)).add(section.netIncome())));
                    json.writeBooleanField("balanced", section.balances());
                });
        });
    }

    void statement(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.FINANCE_READ);
        QueryParameters.requireKnown(ctx, STATEMENT);
        UUID id = pathUuid(ctx);
        long from = time(ctx, "from", 0, false);
        long to = time(ctx, "to", UNBOUNDED, false);
        requireOrdered(from, to);
        boolean csv = format(ctx, "json", "csv").equals("csv");
        long limit = ctx.queryParam("limit") == null ? Long.MAX_VALUE
            : QueryParameters.number(ctx, "limit", 1, STATEMENT_PAGE_MAX, STATEMENT_PAGE_MAX);
        ReadModelQueries.StatementPosition start = statementCursor(ctx);
        if (csv && (limit != Long.MAX_VALUE || start != null)) {
            throw Problem.invalidField("a CSV statement is the whole period: 'limit' and 'cursor' are for JSON pages",
                "?format");
        }
        if (start != null && (start.timestamp() < from || start.timestamp() >= to)) {
            throw Problem.invalidField("'cursor' is outside the period: pass the 'next' of a page of this very period",
                "?cursor");
        }
        admitted(ctx, key, ticket -> {
            ChartOfAccounts chart = readModel.chart();
            readModel.read(queries -> {
                AccountRow account = queries.account(id);
                if (account == null || !key.covers(account.tenant())) {
                    throw Problem.notFound("no account " + id + " in the read model");
                }
                Projector.Position position = queries.position();
                positionHeaders(ctx, position);
                ChartOfAccounts.Currency currency = chart.currencyOf(account.ledger());
                ChartOfAccounts.CodeRange range = chart.rangeOf(account.code());
                Balances opening = start == null ? queries.balancesBefore(id, from) : queries.balancesBefore(id, start);
                Balances[] previous = {opening};
                long[] count = {0};
                if (csv) {
                    Writer out = csvWriter(ctx, "statement-" + id + ".csv");
                    write(out, "timestamp,time,transfer_id,kind,counterparty_account_id,code,debit,credit,pending_debit,"
                        + "pending_credit,balance,pending_status\n");
                    write(out, ",,,opening,,,,,,," + balance(currency, range, opening) + ",\n");
                    queries.statementLines(id, from, to, line -> {
                        Balances before = previous[0];
                        write(out, line.timestamp() + "," + Instant.ofEpochSecond(0, line.timestamp()) + ","
                            + line.transferId() + "," + kindName(line.kind()) + "," + line.counterparty() + "," + line.code() + ","
                            + currency.format(line.after().debitsPosted() - before.debitsPosted()) + ","
                            + currency.format(line.after().creditsPosted() - before.creditsPosted()) + ","
                            + currency.format(line.after().debitsPending() - before.debitsPending()) + ","
                            + currency.format(line.after().creditsPending() - before.creditsPending()) + ","
                            + balance(currency, range, line.after()) + "," + pendingStatus(line.pendingStatus()) + "\n");
                        previous[0] = line.after();
                    });
                    write(out, ",,,closing,,,,,,," + balance(currency, range, previous[0]) + ",\n");
                    close(out);
                    return null;
                }
                JsonGenerator json = jsonStream(ctx);
                jsonIo(() -> {
                    json.writeStartObject();
                    json.writeStringField("report", "statement");
                    json.writeObjectFieldStart("account");
                    json.writeStringField("id", id.toString());
                    json.writeNumberField("ledger", account.ledger());
                    json.writeStringField("currency", currency.code());
                    json.writeNumberField("code", account.code());
                    json.writeStringField("type", range.type().wireName());
                    json.writeStringField("name", range.name());
                    json.writeStringField("tenant", tenantSlug(account.tenant()));
                    json.writeEndObject();
                    json.writeStringField("from", Long.toString(from));
                    writeTo(json, to);
                    writePosition(json, position);
                    writeBalances(json, "opening_balance", currency, range, opening);
                    json.writeArrayFieldStart("postings");
                });
                ReadModelQueries.StatementPosition[] next = {null};
                queries.statementLines(id, from, to, start, limit == Long.MAX_VALUE ? limit : limit + 1, line -> jsonIo(() -> {
                    if (count[0] == limit) {
                        next[0] = new ReadModelQueries.StatementPosition(line.timestamp(), line.transferTimestamp());
                        return;
                    }
                    Balances before = previous[0];
                    json.writeStartObject();
                    json.writeStringField("timestamp", Long.toString(line.timestamp()));
                    json.writeStringField("time", Instant.ofEpochSecond(0, line.timestamp()).toString());
                    json.writeStringField("transfer_id", line.transferId().toString());
                    json.writeStringField("kind", kindName(line.kind()));
                    json.writeStringField("counterparty_account_id", line.counterparty().toString());
                    json.writeNumberField("code", line.code());
                    json.writeStringField("debit", currency.format(line.after().debitsPosted() - before.debitsPosted()));
                    json.writeStringField("credit", currency.format(line.after().creditsPosted() - before.creditsPosted()));
                    json.writeStringField("pending_debit", currency.format(line.after().debitsPending() - before.debitsPending()));
                    json.writeStringField("pending_credit",
                        currency.format(line.after().creditsPending() - before.creditsPending()));
                    json.writeStringField("balance", balance(currency, range, line.after()));
                    if (line.pendingStatus() != 0) {
                        json.writeStringField("pending_status", pendingStatus(line.pendingStatus()));
                    }
                    json.writeEndObject();
                    previous[0] = line.after();
                    count[0]++;
                }));
                jsonIo(() -> {
                    json.writeEndArray();
                    json.writeNumberField("count", count[0]);
                    writeBalances(json, "closing_balance", currency, range, previous[0]);
                    json.writeStringField("next", next[0] == null ? null
                        : next[0].timestamp() + "." + next[0].transferTimestamp());
                    json.writeEndObject();
                    json.close();
                });
                return null;
            });
        });
    }

    /** A statement page's {@code cursor}: the {@code next} of the page before, {@code <timestamp>.<transfer timestamp>}. */
    private static ReadModelQueries.StatementPosition statementCursor(Context ctx) {
        String text = ctx.queryParam("cursor");
        if (text == null) {
            return null;
        }
        int dot = text.indexOf('.');
        try {
            if (dot > 0 && text.length() <= 41) {
                return new ReadModelQueries.StatementPosition(Long.parseLong(text.substring(0, dot)),
                    Long.parseLong(text.substring(dot + 1)));
            }
        } catch (NumberFormatException e) {
            // falls through to the problem below
        }
        throw Problem.invalidField("'cursor' is the 'next' of the page before", "?cursor");
    }

    void exportJournal(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.FINANCE_READ);
        QueryParameters.requireKnown(ctx, EXPORT);
        ReadModelQueries.Scope scope = scope(ctx, key);
        long from = time(ctx, "from", 0, false);
        long to = time(ctx, "to", UNBOUNDED, false);
        requireOrdered(from, to);
        String format = format(ctx, "csv", "hledger");
        admitted(ctx, key, ticket -> {
            JournalExport export = new JournalExport(readModel.chart(), this::tenantSlug);
            readModel.read(queries -> {
                Projector.Position position = queries.position();
                positionHeaders(ctx, position);
                if (format.equals("csv")) {
                    Writer out = csvWriter(ctx, "journal.csv");
                    export.csv(queries, scope, from, to, out);
                    close(out);
                } else {
                    ctx.contentType("text/plain; charset=utf-8");
                    ctx.header("Content-Disposition", "attachment; filename=\"journal.journal\"");
                    Writer out = writer(ctx);
                    export.hledger(queries, scope, from, to, "FanzFinance journal"
                        + (scope.ledger() == null ? "" : ", ledger " + scope.ledger()) + ", from " + from
                        + (to == UNBOUNDED ? "" : " to " + to) + ", up to read-model position " + position.command()
                        + " (ledger timestamp " + position.timestamp() + ")", out);
                    close(out);
                }
                return null;
            });
        });
    }

    // ---- filtered listings (ids from the read model, records from the ledger) ----------------------

    void listAccounts(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.LEDGER_READ);
        ReadModelQueries.Filter filter = listingFilter(ctx, key, true);
        admitted(ctx, key, ticket -> {
            Listing listing = listing(ctx, queries -> queries.accountIds(filter));
            Set<Integer> covered = filter.tenants();
            List<JsonResponses.AccountView> views = ledgerRecords(listing.rows(), ticket, (machine, id) -> {
                Account account = machine.lookupAccount(id);
                return account == null || !isIn(covered, account.tenant()) ? null
                    : new JsonResponses.AccountView(account, null, machine.accountMetadata(id));
            });
            List<JsonResponses.AccountView> named = new ArrayList<>();
            for (JsonResponses.AccountView view : views) {
                named.add(new JsonResponses.AccountView(view.account(), tenants.slugOf(view.account().tenant()).orElse(null),
                    view.metadata()));
            }
            ctx.contentType("application/json");
            ctx.result(JsonResponses.accounts(named, listing.next(filter), listing.position(), lag(listing.position())));
        });
    }

    void listTransfers(Context ctx) {
        ApiKey key = Authenticator.require(ctx, Scope.LEDGER_READ);
        ReadModelQueries.Filter filter = listingFilter(ctx, key, false);
        admitted(ctx, key, ticket -> {
            Listing listing = listing(ctx, queries -> queries.transferIds(filter));
            Set<Integer> covered = filter.tenants();
            List<JsonResponses.TransferView> views = ledgerRecords(listing.rows(), ticket, (machine, id) -> {
                Transfer transfer = machine.lookupTransfer(id);
                return transfer == null || !(isIn(covered, tenantOf(machine, transfer.debitAccountId()))
                    || isIn(covered, tenantOf(machine, transfer.creditAccountId()))) ? null
                    : new JsonResponses.TransferView(transfer, machine.transferMetadata(id));
            });
            ctx.contentType("application/json");
            ctx.result(JsonResponses.transfers(views, listing.next(filter), listing.position(), lag(listing.position())));
        });
    }

    /** The rows a filtered listing found in the read model, and the position they reflect. */
    private record Listing(Projector.Position position, List<ReadModelQueries.Listed> rows) {
        /** The cursor of the next page: the last row's timestamp when the page is full (dropped rows included). */
        String next(ReadModelQueries.Filter filter) {
            return rows.size() == filter.limit() && !rows.isEmpty()
                ? Long.toUnsignedString(rows.get(rows.size() - 1).timestamp()) : null;
        }
    }

    private Listing listing(Context ctx, java.util.function.Function<ReadModelQueries, List<ReadModelQueries.Listed>> query) {
        Listing listing = readModel.read(queries -> new Listing(queries.position(), query.apply(queries)));
        positionHeaders(ctx, listing.position());
        return listing;
    }

    /**
     * The records of {@code rows} as the ledger holds them now, each kept only if {@code lookup} returns it
     * — the ledger, not the read model, decides which tenant a record belongs to, since the read model can
     * be stale or altered. Looked up on the engine's thread in queries of {@value #LOOKUPS_PER_QUERY} ids,
     * so that one listing never holds the business thread for long.
     */
    private <T> List<T> ledgerRecords(List<ReadModelQueries.Listed> rows, ReadAdmission.Ticket ticket,
                                      BiFunction<StateMachine, Uint128, T> lookup) {
        List<T> records = new ArrayList<>(rows.size());
        for (int from = 0; from < rows.size(); from += LOOKUPS_PER_QUERY) {
            List<ReadModelQueries.Listed> batch = rows.subList(from, Math.min(rows.size(), from + LOOKUPS_PER_QUERY));
            records.addAll(awaitLedger(() -> engine.query(machine -> lookUpAll(machine, batch, lookup)), ticket));
        }
        return records;
    }

    private static <T> List<T> lookUpAll(StateMachine machine, List<ReadModelQueries.Listed> rows,
                                         BiFunction<StateMachine, Uint128, T> lookup) {
        List<T> found = new ArrayList<>(rows.size());
        for (ReadModelQueries.Listed row : rows) {
            T record = lookup.apply(machine, Uint128.of(row.id().getMostSignificantBits(), row.id().getLeastSignificantBits()));
            if (record != null) {
                found.add(record);
            }
        }
        return found;
    }

    private static boolean isIn(Set<Integer> covered, int tenant) {
        return covered == null || covered.contains(tenant);
    }

    /** The tenant the ledger has for an account (-1 if it has no such account). */
    private static int tenantOf(StateMachine machine, Uint128 account) {
        Account found = machine.lookupAccount(account);
        return found == null ? -1 : found.tenant();
    }

    /**
     * Submits a query to the engine and waits for it within what is left of the request's time box; an
     * engine that is busy or has failed answers 503 {@code ledger-busy} / {@code ledger-failed}, one that
     * does not answer in time 504 {@code ledger-timeout} — never a 500.
     */
    private <T> T awaitLedger(Supplier<CompletableFuture<T>> query, ReadAdmission.Ticket ticket) {
        CompletableFuture<T> future;
        try {
            future = query.get();
        } catch (LedgerBusyException e) {
            throw new Problem(503, "ledger-busy", "Service unavailable", e.getMessage() + "; retry shortly", null);
        } catch (LedgerFailedException e) {
            throw ledgerFailed();
        }
        try {
            return future.get(ticket.remainingMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw LedgerRoutes.failureOf(e);
        } catch (ExecutionException e) {
            throw engine.health().failure() != null ? ledgerFailed() : LedgerRoutes.failureOf(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem(503, "unavailable", "Service unavailable", "interrupted", null);
        }
    }

    private static Problem ledgerFailed() {
        return new Problem(503, "ledger-failed", "Service unavailable", "the ledger has stopped after a failure", null);
    }

    private ReadModelQueries.Filter listingFilter(Context ctx, ApiKey key, boolean accounts) {
        QueryParameters.requireKnown(ctx, LISTING);
        Integer ledger = optionalInt(ctx, "ledger", 1, Integer.MAX_VALUE);
        Integer code = optionalInt(ctx, "code", 1, 0xFFFF);
        Uint128 userData128 = QueryParameters.uuid(ctx, "user_data_128");
        Long userData64 = ctx.queryParam("user_data_64") == null ? null : QueryParameters.unsigned64(ctx, "user_data_64");
        Long userData32 = ctx.queryParam("user_data_32") == null ? null
            : QueryParameters.number(ctx, "user_data_32", 0, 0xFFFF_FFFFL, 0);
        int limit = (int) QueryParameters.number(ctx, "limit", 1, 8189, LedgerRoutes.QUERY_LIMIT_DEFAULT);
        long min = QueryParameters.number(ctx, "timestamp_min", 0, Long.MAX_VALUE, 0);
        long max = QueryParameters.number(ctx, "timestamp_max", 0, Long.MAX_VALUE, 0);
        if (max == 0) {
            max = Long.MAX_VALUE;
        }
        boolean reversed = QueryParameters.bool(ctx, "reversed", false);
        String cursor = ctx.queryParam("cursor");
        if (cursor != null) {
            long after = QueryParameters.parseNumber(cursor, "cursor", 1, Long.MAX_VALUE - 1);
            if (reversed) {
                max = Math.min(max, after - 1);
            } else {
                min = Math.max(min, after + 1);
            }
        }
        if (min > max && cursor == null) {
            throw Problem.invalidField("timestamp_min must not exceed timestamp_max", "?timestamp_min");
        }
        return new ReadModelQueries.Filter(ledger, code,
            userData128 == null ? null : new UUID(userData128.high(), userData128.low()), userData64, userData32,
            scope(ctx, key).tenants(), min, max, reversed, limit);
    }

    // ---- admission: per-key limit and time box ------------------------------------------------------

    /**
     * Runs a read-model request if the key has a free slot (else 429 {@code too-many-requests}), cut off
     * when it outlives the time box: its client connection is closed, which fails a write blocked on a
     * stalled client, so the request's transaction ends and its reader connection goes back to the pool.
     * With {@code fresh=true} it first waits for the read model to catch up; waiting holds no connection,
     * so it comes before admission and outside the time box.
     */
    private void admitted(Context ctx, ApiKey key, Consumer<ReadAdmission.Ticket> request) {
        refuseIfDiverged();
        awaitFresh(ctx);
        ReadAdmission admission = readModel.admission();
        ReadAdmission.Ticket ticket = admission.admit(key.id(), () -> cutOff(ctx));
        if (ticket == null) {
            ctx.header("Retry-After", "1");
            throw new Problem(429, "too-many-requests", "Too many requests", "this key already runs "
                + admission.perKeyMax() + " read-model requests (FANZ_READ_MODEL_READS_PER_KEY); retry when one has"
                + " finished", null);
        }
        try (ticket) {
            request.accept(ticket);
        } catch (UncheckedIOException e) {
            endedEarly(ctx, ticket, e);
        } catch (DataAccessException e) {
            if (!QUERY_CANCELED.equals(e.sqlState())) {
                throw e;
            }
            throw new Problem(503, "read-model-timeout", "Service unavailable", "the request took longer than "
                + admission.timeBoxMillis() + " ms (FANZ_READ_MODEL_TIMEOUT_MS); narrow it (ledger, tenant, period)", null);
        }
    }

    /** A read model that holds commands the ledger does not would report money that does not exist. */
    private void refuseIfDiverged() {
        ReadModelDivergedException divergence = readModel.projector().divergence();
        if (divergence != null) {
            throw new Problem(503, "read-model-diverged", "Service unavailable", divergence.getMessage(), null);
        }
    }

    /** The client connection failed while streaming: cut off at the time box, or the client went away. */
    private void endedEarly(Context ctx, ReadAdmission.Ticket ticket, UncheckedIOException e) {
        if (!ctx.res().isCommitted() && !ticket.expired()) {
            throw e;
        }
        if (ticket.expired()) {
            LOG.warn("cut off {} after its time box of {} ms (FANZ_READ_MODEL_TIMEOUT_MS); its reader connection is"
                + " released", ctx.path(), readModel.admission().timeBoxMillis());
        } else {
            LOG.info("the client of {} closed the connection before the end: {}", ctx.path(), e.getMessage());
        }
    }

    /** Closes the request's client connection, failing any write blocked on it. */
    private static void cutOff(Context ctx) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        if (request != null) {
            request.getServletChannel().getEndPoint().close();
        }
    }

    // ---- parameters ------------------------------------------------------------------------------

    /** The ledger and tenants a request covers: a named tenant must be the key's; no tenant means all the key's. */
    private ReadModelQueries.Scope scope(Context ctx, ApiKey key) {
        Integer ledger = optionalInt(ctx, "ledger", 1, Integer.MAX_VALUE);
        String slug = ctx.queryParam("tenant");
        Set<Integer> covered;
        if (slug != null) {
            int tenant = tenants.idOf(slug).filter(key::covers)
                .orElseThrow(() -> Problem.notFound("no tenant '" + slug + "'"));
            covered = Set.of(tenant);
        } else {
            covered = key.isAdmin() ? null : new HashSet<>(key.tenants());
        }
        return new ReadModelQueries.Scope(ledger, covered);
    }

    private static Integer optionalInt(Context ctx, String name, long min, long max) {
        return ctx.queryParam(name) == null ? null : (int) QueryParameters.number(ctx, name, min, max, 0);
    }

    /**
     * A point in time: ledger nanoseconds, an ISO date (midnight UTC; with {@code endOfDay}, the last
     * nanosecond of that day) or an ISO instant.
     */
    static long time(Context ctx, String name, long absent, boolean endOfDay) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return absent;
        }
        if (text.matches("[0-9]{1,19}")) {
            return QueryParameters.parseNumber(text, name, 0, Long.MAX_VALUE);
        }
        try {
            if (text.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}")) {
                LocalDate date = LocalDate.parse(text);
                Instant start = (endOfDay ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
                return nanos(start) - (endOfDay ? 1 : 0);
            }
            return nanos(Instant.parse(text));
        } catch (DateTimeParseException | ArithmeticException e) {
            throw Problem.invalidField("'" + name + "' must be ledger nanoseconds, an ISO date (2026-11-01) or an"
                + " ISO instant (2026-11-01T12:00:00Z), was '" + text + "'", "?" + name);
        }
    }

    private static long nanos(Instant instant) {
        if (instant.isBefore(Instant.EPOCH)) {
            throw new ArithmeticException("before 1970");
        }
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    private static void requireOrdered(long from, long to) {
        if (from > to) {
            throw Problem.invalidField("'from' must not be after 'to'", "?from");
        }
    }

    private static String format(Context ctx, String... allowed) {
        return choice(ctx, "format", allowed);
    }

    /** Query parameter {@code name}: one of {@code allowed}, the first when absent; else 400. */
    private static String choice(Context ctx, String name, String... allowed) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return allowed[0];
        }
        for (String choice : allowed) {
            if (choice.equals(text)) {
                return choice;
            }
        }
        throw Problem.invalidField("'" + name + "' must be one of " + String.join(", ", allowed) + ", was '"
            + (text.length() > 40 ? text.substring(0, 37) + "..." : text) + "'", "?" + name);
    }

    /** With {@code fresh=true}, waits until the read model holds every command the ledger has published. */
    private void awaitFresh(Context ctx) {
        if (!QueryParameters.bool(ctx, "fresh", false)) {
            return;
        }
        try {
            if (!readModel.projector().awaitCaughtUp(FRESH_WAIT_MILLIS)) {
                throw new Problem(503, "read-model-lagging", "Service unavailable", "the read model is "
                    + readModel.projector().lagCommands() + " commands behind the ledger; retry shortly", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Problem(503, "unavailable", "Service unavailable", "interrupted", null);
        }
    }

    private static UUID pathUuid(Context ctx) {
        try {
            Uint128 id = Uint128.fromUuid(ctx.pathParam("id"));
            return new UUID(id.high(), id.low());
        } catch (IllegalArgumentException e) {
            throw Problem.invalidField("not a canonical UUID: '" + ctx.pathParam("id") + "'", "/id");
        }
    }

    // ---- output ----------------------------------------------------------------------------------

    private void positionHeaders(Context ctx, Projector.Position position) {
        ctx.header(POSITION_HEADER, Long.toString(position.command()));
        ctx.header(POSITION_TIMESTAMP_HEADER, Long.toString(position.timestamp()));
        ctx.header(LAG_HEADER, Long.toString(lag(position)));
    }

    private long lag(Projector.Position position) {
        return Math.max(0, engine.lastPublishedCommand() - position.command());
    }

    private void writePosition(JsonGenerator json, Projector.Position position) throws IOException {
        JsonResponses.writePosition(json, position, lag(position));
    }

    /**
     * The time a balance report reflects: the {@code at} asked for, or, when none was, the ledger timestamp
     * of the last command the read model holds (nothing in it is later) — never the "unbounded" sentinel.
     */
    private static long reflectedAt(long at, Projector.Position position) {
        return at == UNBOUNDED ? position.timestamp() : at;
    }

    /** A period's end, when one was asked for; without it the period runs to the stated position. */
    private static void writeTo(JsonGenerator json, long to) throws IOException {
        if (to != UNBOUNDED) {
            json.writeStringField("to", Long.toString(to));
        }
    }

    private void writeScope(JsonGenerator json, ReadModelQueries.Scope scope, ApiKey key) throws IOException {
        if (scope.ledger() != null) {
            json.writeNumberField("ledger", scope.ledger());
        }
        if (scope.tenants() != null) {
            json.writeArrayFieldStart("tenants");
            for (int tenant : scope.tenants().stream().sorted().toList()) {
                json.writeString(tenantSlug(tenant));
            }
            json.writeEndArray();
        }
    }

    private interface JsonPart {
        void write(JsonGenerator json) throws IOException;
    }

    private interface SectionPart {
        void write(JsonGenerator json, FinancialStatements.CurrencySection section) throws IOException;
    }

    private void writeStatementJson(Context ctx, String report, ReadModelQueries.Scope scope, ApiKey key,
                                    Projector.Position position, JsonPart period,
                                    List<FinancialStatements.CurrencySection> sections, List<AccountType> order,
                                    SectionPart totals) {
        ctx.contentType("application/json");
        ctx.result(JsonResponses.write(json -> {
            json.writeStartObject();
            json.writeStringField("report", report);
            writeScope(json, scope, key);
            period.write(json);
            writePosition(json, position);
            json.writeArrayFieldStart("currencies");
            for (FinancialStatements.CurrencySection section : sections) {
                ChartOfAccounts.Currency currency = section.currency();
                json.writeStartObject();
                json.writeNumberField("ledger", currency.ledger());
                json.writeStringField("currency", currency.code());
                for (AccountType type : order) {
                    List<FinancialStatements.Line> lines = section.lines().getOrDefault(type, List.of());
                    if (type == AccountType.UNCLASSIFIED && lines.isEmpty()) {
                        continue;
                    }
                    json.writeArrayFieldStart(sectionName(type));
                    for (FinancialStatements.Line line : lines) {
                        json.writeStartObject();
                        json.writeStringField("name", line.range().name());
                        json.writeNumberField("code_from", line.range().from());
                        json.writeNumberField("code_to", line.range().to());
                        json.writeStringField("amount", format(currency, line.amount()));
                        json.writeEndObject();
                    }
                    json.writeEndArray();
                    json.writeStringField("total_" + sectionName(type), format(currency, section.total(type)));
                }
                totals.write(json, section);
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }));
    }

    private static void writeSectionsCsv(Writer out, List<FinancialStatements.CurrencySection> sections,
                                         List<AccountType> order) {
        write(out, "ledger,currency,section,code_from,code_to,name,amount\n");
        for (FinancialStatements.CurrencySection section : sections) {
            ChartOfAccounts.Currency currency = section.currency();
            for (AccountType type : order) {
                for (FinancialStatements.Line line : section.lines().getOrDefault(type, List.of())) {
                    write(out, currency.ledger() + "," + currency.code() + "," + sectionName(type) + ","
                        + line.range().from() + "," + line.range().to() + "," + line.range().name() + ","
                        + format(currency, line.amount()) + "\n");
                }
                write(out, currency.ledger() + "," + currency.code() + "," + sectionName(type) + ",,,total,"
                    + format(currency, section.total(type)) + "\n");
            }
        }
    }

    private static String sectionName(AccountType type) {
        return switch (type) {
            case ASSET -> "assets";
            case LIABILITY -> "liabilities";
            case EQUITY -> "equity";
            case REVENUE -> "revenue";
            case EXPENSE -> "expenses";
            case UNCLASSIFIED -> "unclassified";
        };
    }

    private static void writeBalances(JsonGenerator json, String name, ChartOfAccounts.Currency currency,
                                      ChartOfAccounts.CodeRange range, Balances balances) throws IOException {
        json.writeObjectFieldStart(name);
        json.writeStringField("balance", balance(currency, range, balances));
        json.writeStringField("debits_posted", currency.format(balances.debitsPosted()));
        json.writeStringField("credits_posted", currency.format(balances.creditsPosted()));
        json.writeStringField("debits_pending", currency.format(balances.debitsPending()));
        json.writeStringField("credits_pending", currency.format(balances.creditsPending()));
        json.writeEndObject();
    }

    /** The posted balance as the account's type reads it (assets: debits minus credits, ...). */
    private static String balance(ChartOfAccounts.Currency currency, ChartOfAccounts.CodeRange range, Balances balances) {
        long net = balances.postedNet();
        return currency.format(range.type().isDebitNormal() ? net : -net);
    }

    private static String format(ChartOfAccounts.Currency currency, BigInteger minor) {
        return new BigDecimal(minor, currency.scale()).toPlainString();
    }

    private static void addTotal(Map<Integer, BigInteger[]> totals, int ledger, long net) {
        BigInteger[] total = totals.computeIfAbsent(ledger, l -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO});
        if (net > 0) {
            total[0] = total[0].add(BigInteger.valueOf(net));
        } else {
            total[1] = total[1].add(BigInteger.valueOf(-net));
        }
    }

    private static String kindName(int kind) {
        return switch (kind) {
            case 1 -> "debit";
            case 2 -> "credit";
            case 3 -> "debit_expired";
            case 4 -> "credit_expired";
            default -> "kind-" + kind;
        };
    }

    private static String pendingStatus(int code) {
        return code == 0 ? "" : PendingStatus.ofCode(code).wireName();
    }

    String tenantSlug(int tenant) {
        return JournalExport.tenantName(tenant, tenants.slugOf(tenant));
    }

    private static Writer csvWriter(Context ctx, String fileName) {
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
        return writer(ctx);
    }

    private static Writer writer(Context ctx) {
        return new BufferedWriter(new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8), 1 << 16);
    }

    private static JsonGenerator jsonStream(Context ctx) {
        ctx.contentType("application/json");
        try {
            return JSON.createGenerator(ctx.outputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void jsonIo(IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Writer out, String text) {
        try {
            out.write(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void close(Writer out) {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
