package com.fanzfinance.server.readmodel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Set;
import java.util.function.IntFunction;

import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.TransferFlags;

/**
 * Writes the journal of a period as CSV (every transfer, as recorded) or as an hledger journal (the
 * transfers that moved posted money: single-phase transfers and posts of pending ones; reservations,
 * voids and expiries change no posted balance and are left out). Streamed row by row.
 *
 * <p>hledger account names are {@code <type>:<chart name>:<tenant>:<account id>}, e.g.
 * {@code assets:processor-receivables:girlfanz:0193…}; commodities are the registry's currency codes at
 * their scale (a scale of 0 is declared with a bare decimal point, {@code commodity 0. JPY}, as hledger
 * requires). Accounts and commodities are declared first, so {@code hledger check -s} passes too.
 *
 * <p>In a tenant-scoped export, a transfer whose other side belongs to a tenant outside the scope shows
 * that side as the one opaque account {@value #OTHER_TENANTS} (in CSV: that name and no id): the
 * transaction still balances, and nothing about the other tenant's account is revealed.
 */
public final class JournalExport {
    static final String CSV_HEADER = "timestamp,time,id,ledger,currency,code,amount,amount_minor,debit_account_id,"
        + "debit_account,credit_account_id,credit_account,flags,pending_status,pending_id,user_data_128,user_data_64,"
        + "user_data_32\n";
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final int POSTED_MONEY_EXCLUDED = TransferFlags.PENDING | TransferFlags.VOID_PENDING_TRANSFER;
    /** The counter-account of transfers with a tenant outside a tenant-scoped export. */
    public static final String OTHER_TENANTS = "external:other-tenants";

    private final ChartOfAccounts chart;
    private final IntFunction<String> tenantSlug;

    /** @param tenantSlug the slug of a tenant id ({@code house} for tenant 0) */
    public JournalExport(ChartOfAccounts chart, IntFunction<String> tenantSlug) {
        this.chart = chart;
        this.tenantSlug = tenantSlug;
    }

    /** The hledger account name of an account. */
    public String accountName(ReadModelQueries.AccountRow account) {
        ChartOfAccounts.CodeRange range = chart.rangeOf(account.code());
        return range.type().hledgerRoot() + ":" + range.name() + ":" + tenantSlug.apply(account.tenant()) + ":"
            + account.id();
    }

    /** The account's name as {@code scope} may see it: its own, or {@link #OTHER_TENANTS} if outside the scope. */
    String accountName(ReadModelQueries.Scope scope, ReadModelQueries.AccountRow account) {
        return isVisible(scope, account) ? accountName(account) : OTHER_TENANTS;
    }

    private static boolean isVisible(ReadModelQueries.Scope scope, ReadModelQueries.AccountRow account) {
        return scope.tenants() == null || scope.tenants().contains(account.tenant());
    }

    private static String accountId(ReadModelQueries.Scope scope, ReadModelQueries.AccountRow account) {
        return isVisible(scope, account) ? account.id().toString() : "";
    }

    /** Writes the CSV export of transfers {@code from <= timestamp < to} in {@code scope}; returns the row count. */
    public long csv(ReadModelQueries queries, ReadModelQueries.Scope scope, long from, long to, Writer out) {
        long[] rows = {0};
        write(out, CSV_HEADER);
        queries.journal(scope, from, to, line -> {
            ChartOfAccounts.Currency currency = chart.currencyOf(line.ledger());
            StringBuilder row = new StringBuilder(320);
            row.append(Long.toUnsignedString(line.timestamp())).append(',')
                .append(Instant.ofEpochSecond(0, line.timestamp())).append(',')
                .append(line.id()).append(',')
                .append(line.ledger()).append(',')
                .append(currency.code()).append(',')
                .append(line.code()).append(',')
                .append(currency.format(line.amount())).append(',')
                .append(line.amount()).append(',')
                .append(accountId(scope, line.debit())).append(',')
                .append(accountName(scope, line.debit())).append(',')
                .append(accountId(scope, line.credit())).append(',')
                .append(accountName(scope, line.credit())).append(',')
                .append(String.join("|", TransferFlags.namesOf(line.flags()))).append(',')
                .append(line.pendingStatus() == 0 ? "" : PendingStatus.ofCode(line.pendingStatus()).wireName()).append(',')
                .append(line.pendingId()).append(',')
                .append(line.userData128()).append(',')
                .append(Long.toUnsignedString(line.userData64())).append(',')
                .append(line.userData32()).append('\n');
            write(out, row);
            rows[0]++;
        });
        return rows[0];
    }

    /**
     * Writes the hledger journal of transfers {@code from <= timestamp < to} in {@code scope}; returns
     * the number of transactions. With {@code from} at 0 its balances are the accounts' posted balances.
     */
    public long hledger(ReadModelQueries queries, ReadModelQueries.Scope scope, long from, long to, String title,
                        Writer out) {
        write(out, "; " + title + "\n; posted money only: pending reservations, voids and expiries are omitted\n\n");
        Set<Integer> ledgers = new HashSet<>();
        queries.accounts(scope, account -> ledgers.add(account.ledger()));
        for (int ledger : ledgers.stream().sorted().toList()) {
            write(out, commodityDirective(chart.currencyOf(ledger)) + "\n");
        }
        write(out, "\n");
        queries.accounts(scope, account -> write(out, "account " + accountName(account) + "\n"));
        if (scope.tenants() != null) {
            write(out, "account " + OTHER_TENANTS + "  ; the other side of transfers with tenants outside this export\n");
        }
        write(out, "\n");
        long[] transactions = {0};
        queries.journal(scope, from, to, line -> {
            if ((line.flags() & POSTED_MONEY_EXCLUDED) != 0) {
                return;
            }
            ChartOfAccounts.Currency currency = chart.currencyOf(line.ledger());
            StringBuilder entry = new StringBuilder(400);
            entry.append(DATE.format(Instant.ofEpochSecond(0, line.timestamp()))).append(" transfer ").append(line.id())
                .append("  ; code:").append(line.code()).append(", timestamp:").append(Long.toUnsignedString(line.timestamp()))
                .append('\n')
                .append("    ").append(accountName(scope, line.debit())).append("  ")
                .append(amount(currency, line.amount())).append('\n')
                .append("    ").append(accountName(scope, line.credit())).append("  ")
                .append(amount(currency, -line.amount()))
                .append("\n\n");
            write(out, entry);
            transactions[0]++;
        });
        return transactions[0];
    }

    /** An hledger amount: the decimal at the currency's scale and its symbol. */
    static String amount(ChartOfAccounts.Currency currency, long minor) {
        return currency.format(minor) + " " + symbol(currency);
    }

    /**
     * Declares the commodity and its display precision. hledger wants a decimal mark in the directive, so a
     * currency without minor digits is {@code commodity 0. JPY} (a bare {@code 0 JPY} is refused).
     */
    static String commodityDirective(ChartOfAccounts.Currency currency) {
        String zero = currency.format(0);
        return "commodity " + (currency.scale() == 0 ? zero + "." : zero) + " " + symbol(currency);
    }

    /** The currency code, quoted unless it is letters only ({@code "L7"}, {@code "USDC2"}). */
    private static String symbol(ChartOfAccounts.Currency currency) {
        return currency.code().chars().allMatch(Character::isLetter) ? currency.code() : "\"" + currency.code() + "\"";
    }

    /** Tenant slug for ids the registry lacks (tenant 0 holds house accounts). */
    public static String tenantName(int tenant, java.util.Optional<String> slug) {
        return slug.orElse(tenant == 0 ? "house" : "tenant-" + tenant);
    }

    private static void write(Writer out, CharSequence text) {
        try {
            out.append(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
