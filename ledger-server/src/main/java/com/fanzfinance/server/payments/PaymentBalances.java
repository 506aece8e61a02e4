package com.fanzfinance.server.payments;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import com.fanzfinance.ledger.command.Account;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.ledger.engine.Ledger;
import com.fanzfinance.ledger.engine.LedgerEngine;
import com.fanzfinance.server.payments.posting.PaymentAccounts;
import com.fanzfinance.server.payments.posting.PaymentRole;
import com.fanzfinance.server.readmodel.ChartOfAccounts;

/**
 * What a creator has, per currency, read from the ledger itself (never the read model, which lags): available
 * for payout, held in reserve, held for payouts in flight, and owed back (creator receivable); and the payment
 * accounts of a tenant, made or not.
 */
public final class PaymentBalances {
    private final Ledger engine;
    private final ChartOfAccounts chart;

    public PaymentBalances(Ledger engine, ChartOfAccounts chart) {
        this.engine = engine;
        this.chart = chart;
    }

    /** {@code {"balances":[{"currency","payable_account_id","available","reserved","held_for_payouts","receivable"}]}}. */
    public ObjectNode creator(String tenant, String creator) {
        record Ids(ChartOfAccounts.Currency currency, Uint128 payable, Uint128 reserve, Uint128 receivable) {
        }
        List<Ids> wanted = new ArrayList<>();
        for (ChartOfAccounts.Currency currency : chart.currencies().values()) {
            wanted.add(new Ids(currency, id(tenant, currency, PaymentRole.CREATOR_PAYABLE, creator),
                id(tenant, currency, PaymentRole.CREATOR_RESERVE, creator),
                id(tenant, currency, PaymentRole.CREATOR_RECEIVABLE, creator)));
        }
        Map<Uint128, Account> found = engine.read(machine -> {
            Map<Uint128, Account> accounts = new HashMap<>();
            for (Ids ids : wanted) {
                for (Uint128 id : List.of(ids.payable(), ids.reserve(), ids.receivable())) {
                    Account account = machine.lookupAccount(id);
                    if (account != null) {
                        accounts.put(id, account);
                    }
                }
            }
            return accounts;
        });
        ObjectNode json = Fields.parseless();
        ArrayNode balances = json.putArray("balances");
        wanted.sort(java.util.Comparator.comparing(ids -> ids.currency().code()));
        for (Ids ids : wanted) {
            Account payable = found.get(ids.payable());
            Account receivable = found.get(ids.receivable());
            if (payable == null && receivable == null) {
                continue;
            }
            Account reserve = found.get(ids.reserve());
            long reserved = reserve == null ? 0 : reserve.creditsPending();
            long debitsPending = payable == null ? 0 : payable.debitsPending();
            long available = payable == null ? 0 : payable.creditsPosted() - payable.debitsPosted() - debitsPending;
            long owed = receivable == null ? 0 : Math.max(0, receivable.debitsPosted() - receivable.creditsPosted());
            ObjectNode entry = balances.addObject();
            entry.put("currency", ids.currency().code());
            entry.put("payable_account_id", ids.payable().toUuidString());
            entry.put("available", Long.toString(available));
            entry.put("reserved", Long.toString(reserved));
            entry.put("held_for_payouts", Long.toString(Math.max(0, debitsPending - reserved)));
            entry.put("receivable", Long.toString(owed));
        }
        return json;
    }

    /**
     * The payment accounts of a tenant in {@code currency} (or every registered one): the house accounts, the
     * creator's when {@code creator} is given, the merchant account's when {@code merchant} is given (a processor
     * account's receivable, fees and chargeback expense; a payout rail account's payouts in transit and rail fees).
     */
    public ObjectNode accounts(String tenant, String currency, String creator, MerchantAccounts.Account merchant) {
        ObjectNode json = Fields.parseless();
        ArrayNode list = json.putArray("accounts");
        List<ChartOfAccounts.Currency> currencies = new ArrayList<>(chart.currencies().values());
        currencies.sort(java.util.Comparator.comparing(ChartOfAccounts.Currency::code));
        for (ChartOfAccounts.Currency registered : currencies) {
            if (currency != null && !currency.equals(registered.code())) {
                continue;
            }
            for (PaymentRole role : List.of(PaymentRole.PLATFORM_FEES, PaymentRole.REFERRAL_EXPENSE, PaymentRole.PAYOUT_FEE_INCOME)) {
                add(list, tenant, registered, role, null, "");
            }
            if (creator != null) {
                for (PaymentRole role : List.of(PaymentRole.CREATOR_PAYABLE, PaymentRole.CREATOR_RESERVE,
                    PaymentRole.CREATOR_RECEIVABLE)) {
                    add(list, tenant, registered, role, null, creator);
                }
            }
            if (merchant != null) {
                List<PaymentRole> roles = PaymentRole.isRail(merchant.processor())
                    ? List.of(PaymentRole.PAYOUTS_IN_TRANSIT, PaymentRole.PAYOUT_RAIL_FEES)
                    : List.of(PaymentRole.PROCESSOR_RECEIVABLE, PaymentRole.PROCESSOR_FEES, PaymentRole.CHARGEBACK_EXPENSE);
                for (PaymentRole role : roles) {
                    add(list, tenant, registered, role, merchant.processor(), merchant.id().toString());
                }
            }
        }
        return json;
    }

    private static void add(ArrayNode list, String tenant, ChartOfAccounts.Currency currency, PaymentRole role,
                            String provider, String party) {
        int code = role.code(provider);
        ObjectNode entry = list.addObject();
        entry.put("role", role.wireName());
        entry.put("code", code);
        entry.put("ledger", currency.ledger());
        entry.put("currency", currency.code());
        entry.put("party", party);
        entry.put("id", PaymentAccounts.accountId(tenant, currency.ledger(), code, party).toString());
    }

    private static Uint128 id(String tenant, ChartOfAccounts.Currency currency, PaymentRole role, String party) {
        return Uint128.fromUuid(PaymentAccounts.accountId(tenant, currency.ledger(), role.code(null), party).toString());
    }
}
