package com.fanzfinance.gateway.testing;

import com.fanzfinance.gateway.PaymentKind;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A payment processor as the server's webhook endpoint sees it: builds the notifications the real processor would
 * send for a merchant account, authentic (signed with {@link #account()}'s secrets) and in the field names the
 * drivers read, so that end-to-end tests can drive the whole payment flow without the processor.
 *
 * <p>Identities follow each processor's habits, and the ids a test passes are used as they are:
 * <ul>
 *   <li>a sale's subscription (or sale) id is its transaction id, so {@link #rebill} names its parent by the parent's
 *       transaction id;</li>
 *   <li>a reversal names its parent the way the processor does (CCBill: the same {@code transactionId}; Verotel:
 *       {@code parentID}; NOWPayments: the same {@code payment_id}); where the processor gives the reversal an id of
 *       its own, it is derived from the parent, the kind and the amount, so one call made twice is one notification
 *       sent twice (a retry);</li>
 *   <li>every event is stamped with {@link #EVENT_TIME}: the same call always yields the same bytes.</li>
 * </ul>
 *
 * <p>Amounts are decimals with the currency's scale, e.g. {@code new BigDecimal("9.99")}; currencies are ISO 4217
 * codes. A kind the processor does not have throws {@link UnsupportedOperationException}; see {@link #kinds()}.
 */
public interface SimulatedProcessor {

    /** The time every simulated event carries (processors that send one). */
    Instant EVENT_TIME = Instant.parse("2026-12-01T11:59:30Z");

    /** The processor (driver) name, e.g. {@code ccbill}. */
    String processor();

    /** The test merchant account the notifications are authentic for. */
    SimulatedAccount account();

    /** A simulator of the same account whose notifications are signed with other secret values (same names). */
    SimulatedProcessor signingWith(Map<String, String> secrets);

    /** The money-moving kinds this processor sends, among {@code SALE}, {@code REBILL}, {@code REFUND}, {@code CHARGEBACK}. */
    Set<PaymentKind> kinds();

    /**
     * Whether the processor's notifications carry no amount, so that the server takes the checkout's (BTCPay): the
     * amount and currency a test passes to {@link #sale} are then the checkout's, not sent.
     */
    default boolean amountFromCheckout() {
        return false;
    }

    /** An address the processor sends from: inside the driver's default source ranges when it has any. */
    String sourceAddress();

    /** A successful first charge of the checkout {@code checkoutId}, which the processor passes back. */
    SimulatedRequest sale(UUID checkoutId, String transactionId, BigDecimal amount, String currency);

    /** A successful renewal of the subscription started by the sale {@code parentTransactionId}. */
    default SimulatedRequest rebill(String parentTransactionId, String transactionId, BigDecimal amount, String currency) {
        throw new UnsupportedOperationException(processor() + " sends no rebills");
    }

    /** A refund of {@code amount} of the charge {@code parentTransactionId}. */
    SimulatedRequest refund(String parentTransactionId, BigDecimal amount, String currency);

    /** A declined first charge of the checkout {@code checkoutId} (the processor's failure notification). */
    default SimulatedRequest failure(UUID checkoutId, String transactionId, BigDecimal amount, String currency) {
        throw new UnsupportedOperationException(processor() + " has no simulated failure");
    }

    /** The fan cancelled the subscription {@code subscriptionId} (no money moves; it runs to the end of its period). */
    default SimulatedRequest cancellation(String subscriptionId) {
        throw new UnsupportedOperationException(processor() + " has no simulated cancellation");
    }

    /** The subscription {@code subscriptionId} ended (expired or was disabled). */
    default SimulatedRequest expiration(String subscriptionId) {
        throw new UnsupportedOperationException(processor() + " has no simulated expiration");
    }

    /** A chargeback of {@code amount} of the charge {@code parentTransactionId}. */
    default SimulatedRequest chargeback(String parentTransactionId, BigDecimal amount, String currency) {
        throw new UnsupportedOperationException(processor() + " has no chargebacks");
    }

    /**
     * {@code request} altered the way a forger would, keeping its signature: a signed field changed (Verotel: the
     * amount; NOWPayments: {@code price_amount}; CCBill: the {@code subscriptionId} its digest covers) or, for an
     * unsigned CCBill event, the account number changed. The driver must refuse it.
     *
     * @throws IllegalArgumentException when {@code request} is not one of this simulator's
     */
    SimulatedRequest tamper(SimulatedRequest request);
}
