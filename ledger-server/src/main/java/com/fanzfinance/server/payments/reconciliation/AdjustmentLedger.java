package com.fanzfinance.server.payments.reconciliation;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.ToIntFunction;

import com.fanzfinance.ledger.command.CreateAccountStatus;
import com.fanzfinance.ledger.command.PendingStatus;
import com.fanzfinance.ledger.command.Transfer;
import com.fanzfinance.ledger.command.Uint128;
import com.fanzfinance.server.payments.posting.Chains;
import com.fanzfinance.server.payments.posting.LedgerPort;
import com.fanzfinance.server.payments.posting.PaymentAccounts;
import com.fanzfinance.server.payments.posting.PlannedAccount;
import com.fanzfinance.server.payments.posting.Uuid5;

/**
 * Posts an approved adjustment: its accounts made on first use (the payments chart's ids, PAYMENTS-API §5), then its
 * postings as one linked chain of code {@value #CODE} with {@code user_data_128} = the adjustment id. Every transfer
 * id derives from the adjustment id and the leg, so posting again meets the transfers already made.
 */
public final class AdjustmentLedger {
    /** The transfer code of reconciliation adjustments. */
    public static final int CODE = 301;
    /** UUIDv5 namespace of adjustment transfer ids: UUIDv5(the ledger-account namespace, "reconciliation-adjustments"). */
    static final UUID TRANSFER_NAMESPACE = Uuid5.of(PaymentAccounts.NAMESPACE, "reconciliation-adjustments");

    private final LedgerPort ledger;
    private final ToIntFunction<String> tenantNumbers;

    /** @param tenantNumbers the ledger's tenant number of a tenant slug */
    public AdjustmentLedger(LedgerPort ledger, ToIntFunction<String> tenantNumbers) {
        this.ledger = ledger;
        this.tenantNumbers = tenantNumbers;
    }

    /** One leg: Dr {@code debit}, Cr {@code credit}, {@code amount} (positive). */
    record Leg(PlannedAccount debit, PlannedAccount credit, long amount) {
    }

    /** The answer: posted (now or before) with the transfer ids, or refused with the ledger's status and nothing posted. */
    record Outcome(boolean posted, String refusal, List<UUID> transferIds) {
    }

    Outcome post(UUID adjustmentId, String tenant, int ledgerNumber, List<Leg> legs) {
        List<PlannedAccount> accounts = new ArrayList<>();
        for (Leg leg : legs) {
            for (PlannedAccount account : List.of(leg.debit(), leg.credit())) {
                if (accounts.stream().noneMatch(known -> known.id().equals(account.id()))) {
                    accounts.add(account);
                }
            }
        }
        List<CreateAccountStatus> made = ledger.createAccounts(tenantNumbers.applyAsInt(tenant), accounts);
        for (int i = 0; i < made.size(); i++) {
            if (made.get(i) != CreateAccountStatus.CREATED && made.get(i) != CreateAccountStatus.EXISTS) {
                return new Outcome(false, "the " + accounts.get(i).role().wireName() + " account "
                    + accounts.get(i).id() + " cannot be made: " + made.get(i).name().toLowerCase(java.util.Locale.ROOT),
                    List.of());
            }
        }
        List<Transfer> transfers = new ArrayList<>();
        for (int i = 0; i < legs.size(); i++) {
            Leg leg = legs.get(i);
            transfers.add(new Transfer(Uuid5.toUint128(transferId(adjustmentId, i)), Uuid5.toUint128(leg.debit().id()),
                Uuid5.toUint128(leg.credit().id()), leg.amount(), Uint128.ZERO, Uuid5.toUint128(adjustmentId), 0, 0, 0,
                ledgerNumber, CODE, 0, 0, PendingStatus.NONE));
        }
        Chains.Outcome outcome = Chains.submit(ledger, Chains.linked(transfers));
        return new Outcome(outcome.done(),
            outcome.done() ? null : outcome.refusal().name().toLowerCase(java.util.Locale.ROOT), outcome.transferIds());
    }

    static UUID transferId(UUID adjustmentId, int leg) {
        return Uuid5.of(TRANSFER_NAMESPACE, adjustmentId + "/" + leg);
    }
}
