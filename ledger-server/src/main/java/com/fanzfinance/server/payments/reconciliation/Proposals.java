package com.fanzfinance.server.payments.reconciliation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import com.fanzfinance.reconciliation.match.Field;
import com.fanzfinance.reconciliation.match.StatementLines;
import com.fanzfinance.server.payments.posting.PaymentRole;
import com.fanzfinance.server.payments.posting.Uuid5;

/**
 * The adjusting entries a reconciliation proposes (PAYMENTS-API §7), gathered while the result is written:
 * <ul>
 *   <li>{@code fee-difference} (processor): the processor charged other fees than the ledger booked on matched
 *       sales — per currency, the sum d of (statement fee − booked fee) over the groups that differ in fee:
 *       Dr processor_fees, Cr processor_receivable (swapped when d &lt; 0);</li>
 *   <li>{@code fee-not-booked} (processor): the report's {@code fee} lines (monthly fees, …), per currency;</li>
 *   <li>{@code settlement} (processor, bank statement): a bank credit matched to a settlement the processor
 *       announced: Dr bank, Cr processor_receivable;</li>
 *   <li>{@code payout-sent} / {@code payout-returned} (rail, bank statement): a bank debit matched to payouts: Dr
 *       payouts_in_transit, Cr bank; money of returned payouts coming back: Dr bank, Cr payouts_in_transit;</li>
 *   <li>{@code bank-charges} (rail): the bank's charges on the statement's entries, per currency: Dr
 *       payout_rail_fees, Cr bank.</li>
 * </ul>
 * Entries that need the bank account are made only when the bank is known (the camt.053 statement's account, the
 * {@code bank_account} parameter or the merchant account's {@code settings.bank_account}); otherwise the result
 * carries a warning.
 */
final class Proposals implements ResultWriter.Observer {
    /** At most this many adjustments per reconciliation; the rest are named in a warning. */
    static final int MAX = 10_000;
    /** Source lines or items recorded per adjustment (the count is always exact). */
    static final int SOURCES_MAX = 1_000;

    /** One posting of an adjustment. */
    record Posting(PaymentRole role, String provider, String party, boolean debit) {
    }

    /** A proposed adjustment, before it is stored. */
    record Proposal(UUID id, int position, String reason, String currency, long amount, Posting debit,
                    Posting credit, List<Long> lines, List<UUID> items, long sourceCount) {
    }

    private final UUID reconciliationId;
    private final String provider;
    private final String accountParty;
    private final boolean rail;
    private final boolean bankStatement;
    private final String bank;
    private final StatementLines lines;
    private final LedgerSide ledger;
    private final List<Proposal> proposals = new ArrayList<>();
    private final Map<String, Aggregate> aggregates = new TreeMap<>();
    private final List<String> warnings = new ArrayList<>();
    private int dropped;
    private boolean bankMissingWarned;

    /** Sums of one aggregated reason and currency. */
    private static final class Aggregate {
        long amount;
        long count;
        final List<Long> lines = new ArrayList<>();
    }

    /**
     * @param provider      the processor or rail of the merchant account
     * @param bankStatement whether the statement is the bank's (settlements and payouts leave or reach the bank)
     * @param bank          the bank account's party (IBAN, or routing:account), or null when unknown
     */
    Proposals(UUID reconciliationId, String provider, UUID accountId, boolean rail, boolean bankStatement, String bank,
              StatementLines lines, LedgerSide ledger) {
        this.reconciliationId = reconciliationId;
        this.provider = provider;
        this.accountParty = accountId.toString();
        this.rail = rail;
        this.bankStatement = bankStatement;
        this.bank = bank;
        this.lines = lines;
        this.ledger = ledger;
    }

    @Override
    public void decided(ResultWriter.Decided group) {
        if (group.fields().contains(Field.CURRENCY)) {
            return;
        }
        if (!rail && !bankStatement && group.fields().contains(Field.FEE)) {
            aggregate("fee-difference", group.currency(), group.statementFee() - group.ledgerFee(), group.lines());
        }
        if (!group.matched()) {
            return;
        }
        if (!rail && bankStatement) {
            add("settlement", group.currency(), group.ledgerAmount(), bankPosting(true),
                new Posting(PaymentRole.PROCESSOR_RECEIVABLE, provider, accountParty, false), group);
        } else if (rail) {
            long net = group.ledgerAmount();
            Posting inTransit = new Posting(PaymentRole.PAYOUTS_IN_TRANSIT, provider, accountParty, net < 0);
            if (net < 0) {
                add("payout-sent", group.currency(), -net, inTransit, bankPosting(false), group);
            } else if (net > 0) {
                add("payout-returned", group.currency(), net, bankPosting(true), inTransit, group);
            }
        }
    }

    @Override
    public void unmatchedStatement(int line, String reason) {
        if ("fee-not-booked".equals(reason)) {
            long fee = lines.fee(line) != 0 ? lines.fee(line) : -lines.amount(line);
            aggregate("fee-not-booked", lines.currency(line), fee, new int[] {line});
        }
    }

    /** Bank charges on a rail statement's line (kept out of the match: the ledger books none on payouts). */
    void bankCharge(String currency, long charge, int line) {
        if (charge != 0) {
            aggregate("bank-charges", currency, charge, new int[] {line});
        }
    }

    /** Every proposal, the aggregated ones last (by reason, then currency). */
    List<Proposal> all() {
        List<Proposal> all = new ArrayList<>(proposals);
        aggregates.forEach((key, sums) -> {
            if (sums.amount == 0) {
                return;
            }
            String reason = key.substring(0, key.indexOf('/'));
            String currency = key.substring(key.indexOf('/') + 1);
            long amount = Math.abs(sums.amount);
            boolean charged = sums.amount > 0;
            Posting debit;
            Posting credit;
            if ("bank-charges".equals(reason)) {
                Posting bankSide = bankPosting(!charged);
                if (bankSide == null) {
                    return;
                }
                Posting fees = new Posting(PaymentRole.PAYOUT_RAIL_FEES, provider, accountParty, charged);
                debit = charged ? fees : bankSide;
                credit = charged ? bankSide : fees;
            } else {
                Posting fees = new Posting(PaymentRole.PROCESSOR_FEES, provider, accountParty, charged);
                Posting receivable = new Posting(PaymentRole.PROCESSOR_RECEIVABLE, provider, accountParty, !charged);
                debit = charged ? fees : receivable;
                credit = charged ? receivable : fees;
            }
            if (all.size() >= MAX) {
                dropped++;
                return;
            }
            int position = all.size() + 1;
            all.add(new Proposal(id(position), position, reason, currency, amount, debit, credit, sums.lines,
                List.of(), sums.count));
        });
        if (dropped > 0) {
            warnings.add(dropped + " more adjustments were not proposed: at most " + MAX + " per reconciliation");
        }
        return all;
    }

    List<String> warnings() {
        return warnings;
    }

    private void add(String reason, String currency, long amount, Posting debit, Posting credit,
                     ResultWriter.Decided group) {
        if (amount == 0 || debit == null || credit == null) {
            return;
        }
        if (proposals.size() >= MAX) {
            dropped++;
            return;
        }
        List<Long> lineNumbers = new ArrayList<>();
        for (int i = 0; i < group.lines().length && i < SOURCES_MAX; i++) {
            lineNumbers.add(lines.lineNumber(group.lines()[i]));
        }
        List<UUID> items = new ArrayList<>();
        for (int i = 0; i < group.items().length && i < SOURCES_MAX; i++) {
            items.add(ledger.items.id(group.items()[i]));
        }
        int position = proposals.size() + 1;
        proposals.add(new Proposal(id(position), position, reason, currency, amount, debit, credit, lineNumbers, items,
            group.lines().length + (long) group.items().length));
    }

    private void aggregate(String reason, String currency, long amount, int[] lineIndexes) {
        Aggregate sums = aggregates.computeIfAbsent(reason + "/" + currency, key -> new Aggregate());
        sums.amount = Math.addExact(sums.amount, amount);
        sums.count += lineIndexes.length;
        for (int i = 0; i < lineIndexes.length && sums.lines.size() < SOURCES_MAX; i++) {
            sums.lines.add(lines.lineNumber(lineIndexes[i]));
        }
    }

    /** The bank's posting, or null (and a warning, once) when the bank account is not known. */
    private Posting bankPosting(boolean debit) {
        if (bank == null) {
            if (!bankMissingWarned) {
                bankMissingWarned = true;
                warnings.add("no bank account is known, so entries that move money at the bank are not proposed: pass "
                    + "bank_account= or set settings.bank_account on the merchant account");
            }
            return null;
        }
        return new Posting(PaymentRole.BANK, null, bank, debit);
    }

    private UUID id(int position) {
        return Uuid5.of(reconciliationId, "adjustment/" + position);
    }
}
