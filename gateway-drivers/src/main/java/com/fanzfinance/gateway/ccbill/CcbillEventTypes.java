package com.fanzfinance.gateway.ccbill;

import com.fanzfinance.gateway.PaymentKind;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * CCBill's {@code eventType} values and the payment kind each is. The known types are those of CCBill's webhook
 * documentation; any {@code …Failure} is a failed charge attempt; anything else is a type this driver does not know.
 */
final class CcbillEventTypes {

    private static final Map<String, PaymentKind> KINDS = Map.ofEntries(
            Map.entry("NewSaleSuccess", PaymentKind.SALE),
            Map.entry("UpSaleSuccess", PaymentKind.SALE),
            Map.entry("CrossSaleSuccess", PaymentKind.SALE),
            Map.entry("UpgradeSuccess", PaymentKind.SALE),
            Map.entry("RenewalSuccess", PaymentKind.REBILL),
            Map.entry("Refund", PaymentKind.REFUND),
            Map.entry("Chargeback", PaymentKind.CHARGEBACK),
            Map.entry("Return", PaymentKind.CHARGEBACK),
            Map.entry("Void", PaymentKind.VOID),
            Map.entry("Cancellation", PaymentKind.CANCELLATION),
            Map.entry("Expiration", PaymentKind.EXPIRATION),
            Map.entry("BillingDateChange", PaymentKind.OTHER),
            Map.entry("CustomerDataUpdate", PaymentKind.OTHER),
            Map.entry("UserReactivation", PaymentKind.OTHER));

    /** The types whose amount is the initial price of a sign-up form rather than a single {@code accountingAmount}. */
    private static final Set<String> SIGN_UP_PREFIXES = Set.of("NewSale", "UpSale", "CrossSale", "Upgrade");

    private CcbillEventTypes() {
    }

    /** The kind of an event type; empty when the type is unknown. */
    static Optional<PaymentKind> kind(String eventType) {
        if (eventType.endsWith("Failure")) {
            return Optional.of(PaymentKind.FAILURE);
        }
        return Optional.ofNullable(KINDS.get(eventType));
    }

    /** Whether the event concerns a sign-up form (so its amount is {@code accountingInitialPrice}). */
    static boolean isSignUp(String eventType) {
        return SIGN_UP_PREFIXES.stream().anyMatch(eventType::startsWith);
    }

    /** Whether the event reports a declined attempt (the denial form of the dynamic pricing digest). */
    static boolean isDenial(String eventType) {
        return eventType.endsWith("Failure");
    }
}
