package com.fanzfinance.gateway.epoch;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification.Parameters;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import com.fanzfinance.gateway.support.Decimals;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A FlexPost postback (a join). {@code ans} is Epoch's answer: its first character is the decision ({@code Y}
 * approved: sale; {@code N} declined: failure); the rest of its grammar is not public. {@code ans} starting with
 * {@code YGOODTEST} marks a test transaction, ignored unless {@code post_test_transactions}. The transaction is
 * {@code transaction_id} (also the dedupe key, PP Part E), the subscription {@code member_id}, the gross
 * {@code trans_amount} in {@code trans_currency}, the time {@code event_datetime} (ISO-8601) and the checkout id the
 * pass-through {@code x_fanz_checkout_id}.
 */
final class EpochFlexPost {

    static final String CHECKOUT_ID = "x_fanz_checkout_id";

    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");

    private EpochFlexPost() {
    }

    static Normalised normalise(Parameters params, MerchantAccount account) {
        String ans = params.nonBlank("ans").orElseThrow();
        Optional<String> transactionId = params.nonBlank("transaction_id");
        String dedupeKey = transactionId.map(EpochFlexPost::dedupeKey).orElse(null);
        char decision = Character.toUpperCase(ans.charAt(0));
        String eventType = "ans=" + decision;
        PaymentKind kind;
        if (decision == 'Y') {
            kind = PaymentKind.SALE;
        } else if (decision == 'N') {
            kind = PaymentKind.FAILURE;
        } else {
            return new Normalised.Ignored(eventType, "unknown Epoch answer code", dedupeKey);
        }
        if (ans.toUpperCase(Locale.ROOT).startsWith("YGOODTEST") && !EpochDriver.flag(account, EpochDriver.POST_TEST_TRANSACTIONS)) {
            return new Normalised.Ignored("ans=YGOODTEST", "an Epoch test transaction", dedupeKey);
        }
        if (transactionId.isEmpty()) {
            return new Normalised.Malformed("missing transaction_id");
        }
        PaymentNotice.Builder notice = PaymentNotice.builder(kind, eventType, dedupeKey)
                .transactionId(transactionId.get())
                .subscriptionId(params.nonBlank("member_id").orElse(null))
                .checkoutId(params.nonBlank(CHECKOUT_ID).orElse(null))
                .cardType(params.nonBlank("payment_subtype").orElse(null));
        Optional<String> amountText = params.nonBlank("trans_amount");
        Optional<String> currency = params.nonBlank("trans_currency");
        if (kind == PaymentKind.SALE) {
            if (amountText.isEmpty()) {
                return new Normalised.Malformed("missing trans_amount");
            }
            if (currency.isEmpty()) {
                return new Normalised.Malformed("missing trans_currency");
            }
        }
        if (amountText.isPresent() || currency.isPresent()) {
            Optional<BigDecimal> amount = amountText.flatMap(Decimals::parse);
            boolean currencyReadable = currency.isPresent() && CURRENCY.matcher(currency.get()).matches();
            if (amount.isPresent() && currencyReadable) {
                notice.amount(amount.get(), currency.get().toUpperCase(Locale.ROOT));
            } else if (kind == PaymentKind.SALE) {
                return new Normalised.Malformed(amount.isEmpty() ? "invalid trans_amount" : "invalid trans_currency");
            } else {
                notice.warning("trans-amount-unreadable");
            }
        }
        Optional<String> time = params.nonBlank("event_datetime");
        if (time.isPresent()) {
            Optional<Instant> occurredAt = EpochTimes.parse(time.get(), account.setting(EpochDriver.TIMEZONE, "UTC"));
            if (occurredAt.isPresent()) {
                notice.occurredAt(occurredAt.get());
            } else {
                notice.warning("event-datetime-unreadable");
            }
        }
        return new Normalised.Notice(notice.build());
    }

    /** The identity of an Epoch transaction, shared by its FlexPost and its DataPlus row so that they dedupe. */
    static String dedupeKey(String transactionId) {
        return "transaction:" + transactionId;
    }
}
