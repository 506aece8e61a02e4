package com.fanzfinance.server.payments.reconciliation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;

import com.fanzfinance.reconciliation.match.Field;
import com.fanzfinance.reconciliation.match.StatementLines;
import com.fanzfinance.server.payments.posting.PaymentRole;
import com.fanzfinance.server.payments.posting.Uuid5;

/**
 * The adjusting entries a reconciliation proposes (PAYMENTS-API §7), gathered while the result is written:
 * <ul>
 *   <li>{@code fee-difference} (processor, a report with fees): matched sales on which the processor charged other
 *       fees than the ledger booked — only groups that differ in the fee alone — summed per currency and account:
 *       Dr processor_fees (chargeback_expense for chargebacks), Cr processor_receivable (swapped when the
 *       processor charged less);</li>
 *   <li>{@code fee-not-booked} (processor): the report's {@code fee} lines, per currency;</li>
 *   <li>{@code settlement} (processor, bank statement): a bank credit matched to a settlement the processor
 *       announced: Dr bank, Cr processor_receivable, the amount that arrived;</li>
 *   <li>{@code payout-sent} (rail): a bank debit matched to payouts (one, or a batch): what left the bank (amount
 *       and charges) against what the ledger holds in transit for them (amounts, and the fees the platform pays):
 *       Dr payouts_in_transit, Cr bank, and the difference to payout_rail_fees;</li>
 *   <li>{@code payout-returned} (rail): a returned payout's money back at the bank: Dr bank, Cr
 *       payouts_in_transit, and the bank's charges on it Dr payout_rail_fees, Cr bank.</li>
 * </ul>
 * Every proposal names the facts it settles (a settlement, a payout's debit or return, an event's fee, a fee line):
 * a fact another reconciliation already proposed (and nobody rejected) is not proposed again, so overlapping or
 * repeated statements never book the same money twice. Entries that need the bank account are made only when it
 * is known; otherwise the result carries a warning.
 */
final class Proposals implements ResultWriter.Observer {
    /** At most this many adjustments per reconciliation; the rest are named in a warning. */
    static final int MAX = 10_000;
    /** Source lines or items recorded per adjustment (the count is always exact). */
    static final int SOURCES_MAX = 1_000;
    /** Contributions to summed adjustments kept (each is a fact); past this many, the rest wait for another run. */
    static final int CONTRIBUTIONS_MAX = 200_000;

    /** One side of a leg: an account of the payments chart. */
    record Posting(PaymentRole role, String provider, String party) {
    }

    /** One transfer of an adjustment: Dr {@code debit}, Cr {@code credit}, {@code amount} (positive). */
    record Leg(Posting debit, Posting credit, long amount) {
    }

    /** A proposed adjustment, before it is stored. */
    record Proposal(UUID id, int position, String reason, String currency, long amount, List<Leg> legs,
                    List<Long> lines, List<UUID> items, long sourceCount, List<String> facts) {
    }

    /** A proposal made from one matched group, not yet checked against earlier facts. */
    private record Draft(String reason, String currency, List<Leg> legs, List<Long> lines, List<UUID> items,
                         long sourceCount, List<String> facts) {
    }

    /** One group's or line's share of a summed adjustment. */
    private record Contribution(String reason, String currency, PaymentRole role, long amount, long line, String fact) {
    }

    private final UUID reconciliationId;
    private final String provider;
    private final String accountParty;
    private final boolean rail;
    private final boolean bankStatement;
    private final boolean feesReported;
    private final String bank;
    private final StatementLines lines;
    private final LedgerSide ledger;
    private final List<Draft> drafts = new ArrayList<>();
    private final List<Contribution> contributions = new ArrayList<>();
    private final Map<String, Integer> feeLineOccurrences = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private long contributionsDropped;
    private boolean bankMissingWarned;

    /**
     * @param provider      the processor or rail of the merchant account
     * @param bankStatement whether the statement is the bank's (settlements and payouts leave or reach the bank)
     * @param feesReported  whether the statement reports fees (without, no fee is compared or proposed)
     * @param bank          the bank account's party (IBAN, or routing:account), or null when unknown
     */
    Proposals(UUID reconciliationId, String provider, UUID accountId, boolean rail, boolean bankStatement,
              boolean feesReported, String bank, StatementLines lines, LedgerSide ledger) {
        this.reconciliationId = reconciliationId;
        this.provider = provider;
        this.accountParty = accountId.toString();
        this.rail = rail;
        this.bankStatement = bankStatement;
        this.feesReported = feesReported;
        this.bank = bank;
        this.lines = lines;
        this.ledger = ledger;
    }

    @Override
    public void decided(ResultWriter.Decided group) {
        boolean onlyFee = group.fields().equals(Set.of(Field.FEE));
        if (!rail && !bankStatement && feesReported && onlyFee) {
            long difference = group.statementFee() - group.ledgerFee();
            boolean chargeback = false;
            for (int item : group.items()) {
                chargeback |= ledger.kind(item) == LedgerSide.Kind.CHARGEBACK;
            }
            contribute("fee-difference", group.currency(), chargeback ? PaymentRole.CHARGEBACK_EXPENSE
                : PaymentRole.PROCESSOR_FEES, difference, lines.lineNumber(group.lines()[0]),
                "fee/" + ledger.items.id(group.items()[0]));
        }
        if (!group.matched() && !(rail && onlyFee)) {
            return;
        }
        if (!rail && bankStatement) {
            Posting bankSide = bankPosting();
            if (bankSide != null) {
                draft("settlement", group, List.of(new Leg(bankSide, receivable(), group.statementAmount())),
                    facts("settlement/", group));
            }
        } else if (rail) {
            railDraft(group);
        }
    }

    /**
     * A rail's matched group: payouts leaving the bank (the ledger sum negative) or a returned payout's money coming
     * back (positive). On a bank statement {@code amount} is the payment and {@code fee} the bank's charges on it.
     */
    private void railDraft(ResultWriter.Decided group) {
        Posting bankSide = bankPosting();
        if (bankSide == null) {
            return;
        }
        Posting inTransit = new Posting(PaymentRole.PAYOUTS_IN_TRANSIT, provider, accountParty);
        Posting railFees = new Posting(PaymentRole.PAYOUT_RAIL_FEES, provider, accountParty);
        long charges = group.statementFee();
        List<Leg> legs = new ArrayList<>();
        if (group.ledgerAmount() < 0) {
            long leftBank = Math.addExact(-group.statementAmount(), charges);
            long clearedInTransit = Math.addExact(-group.ledgerAmount(), group.ledgerFee());
            leg(legs, inTransit, bankSide, Math.min(leftBank, clearedInTransit));
            leg(legs, railFees, bankSide, leftBank - clearedInTransit);
            leg(legs, inTransit, railFees, clearedInTransit - leftBank);
            draft("payout-sent", group, legs, facts("payout-sent/", group));
        } else if (group.ledgerAmount() > 0) {
            leg(legs, bankSide, inTransit, group.statementAmount());
            leg(legs, railFees, bankSide, charges);
            draft("payout-returned", group, legs, facts("payout-returned/", group));
        }
    }

    private static void leg(List<Leg> legs, Posting debit, Posting credit, long amount) {
        if (amount > 0) {
            legs.add(new Leg(debit, credit, amount));
        }
    }

    @Override
    public void unmatchedStatement(int line, String reason) {
        if ("fee-not-booked".equals(reason)) {
            long fee = lines.fee(line) != 0 ? lines.fee(line) : -lines.amount(line);
            String text = lines.reference(line) + "|" + lines.epochDay(line) + "|" + lines.amount(line) + "|"
                + lines.fee(line) + "|" + lines.currency(line) + "|" + lines.description(line);
            String key = Reconciliations.sha256Hex(text);
            int occurrence = feeLineOccurrences.merge(key, 1, Integer::sum);
            contribute("fee-not-booked", lines.currency(line), PaymentRole.PROCESSOR_FEES, fee, lines.lineNumber(line),
                "fee-line/" + key + "/" + occurrence);
        }
    }

    /** Every fact the proposals would settle, for the caller to look up among earlier ones. */
    Set<String> facts() {
        Set<String> facts = new LinkedHashSet<>();
        drafts.forEach(draft -> facts.addAll(draft.facts()));
        contributions.forEach(contribution -> facts.add(contribution.fact()));
        return facts;
    }

    /**
     * The proposals, leaving out what {@code claimed} (facts earlier reconciliations proposed) settles: the group
     * proposals in the order of their groups, then the summed ones by reason, currency and account.
     */
    List<Proposal> finish(Predicate<String> claimed) {
        List<Proposal> all = new ArrayList<>();
        long skipped = 0;
        long dropped = 0;
        for (Draft draft : drafts) {
            if (draft.facts().stream().anyMatch(claimed)) {
                skipped++;
            } else if (all.size() >= MAX) {
                dropped++;
            } else {
                int position = all.size() + 1;
                all.add(new Proposal(id(position), position, draft.reason(), draft.currency(), total(draft.legs()),
                    draft.legs(), draft.lines(), draft.items(), draft.sourceCount(), draft.facts()));
            }
        }
        Map<String, List<Contribution>> sums = new TreeMap<>();
        for (Contribution contribution : contributions) {
            if (claimed.test(contribution.fact())) {
                skipped++;
            } else {
                sums.computeIfAbsent(contribution.reason() + "/" + contribution.currency() + "/" + contribution.role(),
                    key -> new ArrayList<>()).add(contribution);
            }
        }
        for (List<Contribution> parts : sums.values()) {
            long amount = 0;
            List<Long> lineNumbers = new ArrayList<>();
            List<String> facts = new ArrayList<>();
            for (Contribution part : parts) {
                amount = Math.addExact(amount, part.amount());
                if (lineNumbers.size() < SOURCES_MAX) {
                    lineNumbers.add(part.line());
                }
                facts.add(part.fact());
            }
            if (amount == 0) {
                continue;
            }
            if (all.size() >= MAX) {
                dropped++;
                continue;
            }
            Contribution first = parts.get(0);
            Posting fees = new Posting(first.role(), provider, accountParty);
            List<Leg> legs = List.of(amount > 0 ? new Leg(fees, receivable(), amount) : new Leg(receivable(), fees, -amount));
            int position = all.size() + 1;
            all.add(new Proposal(id(position), position, first.reason(), first.currency(), Math.abs(amount), legs,
                lineNumbers, List.of(), parts.size(), facts));
        }
        if (skipped > 0) {
            warnings.add(skipped + " adjustments (or parts of summed ones) were already proposed by earlier reconciliations"
                + " and are not proposed again");
        }
        if (dropped > 0) {
            warnings.add(dropped + " more adjustments were not proposed: at most " + MAX + " per reconciliation");
        }
        if (contributionsDropped > 0) {
            warnings.add(contributionsDropped + " fee differences were not summed (at most " + CONTRIBUTIONS_MAX
                + " per reconciliation); reconcile again to propose them");
        }
        return all;
    }

    List<String> warnings() {
        return warnings;
    }

    private void draft(String reason, ResultWriter.Decided group, List<Leg> legs, List<String> facts) {
        if (legs.isEmpty()) {
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
        drafts.add(new Draft(reason, group.currency(), List.copyOf(legs), lineNumbers, items,
            group.lines().length + (long) group.items().length, facts));
    }

    /** One fact per ledger item of the group: {@code prefix} + its id. */
    private List<String> facts(String prefix, ResultWriter.Decided group) {
        List<String> facts = new ArrayList<>();
        for (int item : group.items()) {
            facts.add(prefix + ledger.items.id(item));
        }
        return facts;
    }

    private void contribute(String reason, String currency, PaymentRole role, long amount, long line, String fact) {
        if (amount == 0) {
            return;
        }
        if (contributions.size() >= CONTRIBUTIONS_MAX) {
            contributionsDropped++;
            return;
        }
        contributions.add(new Contribution(reason, currency, role, amount, line, fact));
    }

    private Posting receivable() {
        return new Posting(PaymentRole.PROCESSOR_RECEIVABLE, provider, accountParty);
    }

    /** The bank's side, or null (and a warning, once) when the bank account is not known. */
    private Posting bankPosting() {
        if (bank == null) {
            if (!bankMissingWarned) {
                bankMissingWarned = true;
                warnings.add("no bank account is known, so entries that move money at the bank are not proposed: pass "
                    + "bank_account= or set settings.bank_account on the merchant account");
            }
            return null;
        }
        return new Posting(PaymentRole.BANK, null, bank);
    }

    private static long total(List<Leg> legs) {
        long total = 0;
        for (Leg leg : legs) {
            total = Math.addExact(total, leg.amount());
        }
        return total;
    }

    private UUID id(int position) {
        return Uuid5.of(reconciliationId, "adjustment/" + position);
    }
}
