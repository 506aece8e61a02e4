package com.fanzfinance.server.payments.posting;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import com.fanzfinance.ledger.command.AccountFlags;

/**
 * The part a ledger account plays in the payments chart (PAYMENTS-API §5): its account code, whose id
 * names its party, and the account flags it is created with.
 *
 * <p>Codes of processor roles add the processor's number p (ccbill 1 … coinpayments 9), codes of payout
 * roles the rail's number r (paxum 1 … btc 6), so every provider has its own sub-ledger account.
 *
 * <p>Flags, which an existing account must match exactly (the ledger answers
 * {@code exists_with_different_flags} otherwise, so they must never change for a role):
 * <ul>
 *   <li>{@code creator_payable}: {@code debits_must_not_exceed_credits} (the platform never owes a creator a
 *       negative amount: a reversal that finds too little there takes the rest to {@code creator_receivable}) and
 *       {@code history} (creator statements and the balances endpoint read its balance over time);</li>
 *   <li>{@code referral_payable}: {@code debits_must_not_exceed_credits};</li>
 *   <li>{@code creator_receivable} and {@code creator_reserve}: {@code history}, as they are the creator-facing
 *       other halves of the payable (what the creator owes, what is held back);</li>
 *   <li>every other role: none. Processor, platform and bank accounts take a transfer per payment event of a
 *       whole tenant, and history would keep a balance row for each; reconciliation reads their transfers.</li>
 * </ul>
 */
public enum PaymentRole {
    PROCESSOR_RECEIVABLE(1100, Offset.PROCESSOR, 0),
    PROCESSOR_FEES(5100, Offset.PROCESSOR, 0),
    CHARGEBACK_EXPENSE(5200, Offset.PROCESSOR, 0),
    PAYOUTS_IN_TRANSIT(1400, Offset.RAIL, 0),
    PAYOUT_RAIL_FEES(5300, Offset.RAIL, 0),
    CREATOR_RECEIVABLE(1500, Offset.NONE, AccountFlags.HISTORY),
    CREATOR_PAYABLE(2100, Offset.NONE, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS | AccountFlags.HISTORY),
    REFERRAL_PAYABLE(2200, Offset.NONE, AccountFlags.DEBITS_MUST_NOT_EXCEED_CREDITS),
    CREATOR_RESERVE(2300, Offset.NONE, AccountFlags.HISTORY),
    PLATFORM_FEES(4100, Offset.NONE, 0),
    PAYOUT_FEE_INCOME(4101, Offset.NONE, 0),
    REFERRAL_EXPENSE(5500, Offset.NONE, 0),
    BANK(1000, Offset.NONE, 0);

    /** Processors in the order of their numbers (ccbill = 1). */
    private static final List<String> PROCESSORS = List.of("ccbill", "segpay", "epoch", "verotel", "netbilling",
        "commercegate", "nowpayments", "btcpay", "coinpayments");
    /** Payout rails in the order of their numbers (paxum = 1). */
    private static final List<String> RAILS = List.of("paxum", "wise", "ach", "sepa", "usdc_evm", "btc");

    /** What a role's code is offset by. */
    private enum Offset { NONE, PROCESSOR, RAIL }

    private final int baseCode;
    private final Offset offset;
    private final int flags;
    private final String wireName;

    PaymentRole(int baseCode, Offset offset, int flags) {
        this.baseCode = baseCode;
        this.offset = offset;
        this.flags = flags;
        this.wireName = name().toLowerCase(Locale.ROOT);
    }

    /** The account flags accounts of this role are created with. */
    public int flags() {
        return flags;
    }

    /** True for the roles whose party is always {@code ""}. */
    public boolean houseAccount() {
        return this == PLATFORM_FEES || this == PAYOUT_FEE_INCOME || this == REFERRAL_EXPENSE;
    }

    /**
     * The account code for accounts of this role at {@code provider} (a processor for processor roles, a rail for
     * payout roles; ignored and may be null for the others).
     *
     * @throws IllegalArgumentException for an unknown provider where one is needed
     */
    public int code(String provider) {
        return switch (offset) {
            case NONE -> baseCode;
            case PROCESSOR -> baseCode + processorNumber(provider);
            case RAIL -> baseCode + railNumber(provider);
        };
    }

    /** The role's name in the API and in stored plans, e.g. {@code creator_payable}. */
    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static PaymentRole ofWireName(String name) {
        for (PaymentRole role : values()) {
            if (role.wireName.equals(name)) {
                return role;
            }
        }
        throw new IllegalArgumentException("no payment role '" + name + "'");
    }

    /** p: ccbill 1, segpay 2, epoch 3, verotel 4, netbilling 5, commercegate 6, nowpayments 7, btcpay 8, coinpayments 9. */
    public static int processorNumber(String processor) {
        int index = PROCESSORS.indexOf(processor);
        if (index < 0) {
            throw new IllegalArgumentException("unknown processor '" + processor + "'");
        }
        return index + 1;
    }

    /** Whether {@code provider} is a payout rail (its accounts take the payout roles), not a processor. */
    public static boolean isRail(String provider) {
        return RAILS.contains(provider);
    }

    /** r: paxum 1, wise 2, ach 3, sepa 4, usdc_evm 5, btc 6. */
    public static int railNumber(String rail) {
        int index = RAILS.indexOf(rail);
        if (index < 0) {
            throw new IllegalArgumentException("unknown payout rail '" + rail + "'");
        }
        return index + 1;
    }
}
