package com.fanzfinance.gateway.verotel;

import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification.Parameters;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import com.fanzfinance.gateway.support.Decimals;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a FlexPay postback's {@code event} and fields into the processor-neutral notice. Kept apart from the
 * driver because the event table (which events move money, where the amount and ids are) is the part most
 * likely to change as Verotel adds events.
 */
final class VerotelPostback {

    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");

    private VerotelPostback() {
    }

    /**
     * The notice of a verified postback. Money-moving events need {@code transactionID} and a gross; the others
     * are keyed by {@code saleID} when they carry no transaction. FlexPay sends no event time.
     */
    static Normalised normalise(Parameters params) {
        Optional<String> event = params.nonBlank("event");
        if (event.isEmpty()) {
            return new Normalised.Malformed("missing event");
        }
        String type = event.get();
        Optional<String> transactionId = params.nonBlank("transactionID");
        Optional<String> saleId = params.nonBlank("saleID");
        String dedupeKey = transactionId.or(() -> saleId).map(id -> type + ":" + id).orElse(null);
        Optional<PaymentKind> kind = kindOf(type.toLowerCase(Locale.ROOT), params);
        if (kind.isEmpty()) {
            return new Normalised.Ignored(type, "unknown verotel event " + type, dedupeKey);
        }
        if (dedupeKey == null) {
            return new Normalised.Malformed("missing transactionID and saleID");
        }
        PaymentNotice.Builder notice = PaymentNotice.builder(kind.get(), type, dedupeKey)
                .transactionId(transactionId.orElse(null))
                .subscriptionId(saleId.orElse(null))
                .checkoutId(params.nonBlank("referenceID").or(() -> params.nonBlank("custom1")).orElse(null));
        if (kind.get() == PaymentKind.REBILL || kind.get().isReversal()) {
            notice.parentTransactionId(params.nonBlank("parentID").orElse(null));
        }
        if (!kind.get().movesMoney()) {
            return new Normalised.Notice(notice.build());
        }
        if (transactionId.isEmpty()) {
            return new Normalised.Malformed("missing transactionID");
        }
        return gross(params, kind.get(), notice);
    }

    /**
     * The kind of an event; upgrades, downgrades and extensions charge the fan only when they carry an amount,
     * else they are merely recorded.
     */
    private static Optional<PaymentKind> kindOf(String event, Parameters params) {
        return Optional.ofNullable(switch (event) {
            case "initial", "purchase" -> PaymentKind.SALE;
            case "rebill" -> PaymentKind.REBILL;
            case "upgrade", "downgrade", "extend" -> amountField(params).isPresent() ? PaymentKind.REBILL : PaymentKind.OTHER;
            case "credit" -> PaymentKind.REFUND;
            case "chargeback" -> PaymentKind.CHARGEBACK;
            case "cancel" -> PaymentKind.CANCELLATION;
            case "expiry" -> PaymentKind.EXPIRATION;
            case "uncancel" -> PaymentKind.OTHER;
            default -> null;
        });
    }

    /** {@code amount} (rebills, credits, chargebacks) when sent, else {@code priceAmount} (initial sales). */
    private static Optional<String> amountField(Parameters params) {
        if (params.nonBlank("amount").isPresent()) {
            return Optional.of("amount");
        }
        return params.nonBlank("priceAmount").map(value -> "priceAmount");
    }

    /**
     * Adds the event's gross. A credit or chargeback may plausibly be reported with a minus sign; its kind
     * already says the money goes back, so the absolute value is taken for those.
     */
    private static Normalised gross(Parameters params, PaymentKind kind, PaymentNotice.Builder notice) {
        Optional<String> amountField = amountField(params);
        if (amountField.isEmpty()) {
            return new Normalised.Malformed("missing amount");
        }
        String field = amountField.get();
        String text = params.nonBlank(field).orElseThrow();
        Optional<BigDecimal> amount = kind.isReversal() ? Decimals.parseAbsolute(text) : Decimals.parse(text);
        if (amount.isEmpty()) {
            return new Normalised.Malformed("invalid " + field);
        }
        String currencyField = field.equals("amount") ? "currency" : "priceCurrency";
        Optional<String> currency = params.nonBlank(currencyField);
        if (currency.isEmpty()) {
            return new Normalised.Malformed("missing " + currencyField);
        }
        if (!CURRENCY.matcher(currency.get()).matches()) {
            return new Normalised.Malformed("invalid " + currencyField);
        }
        return new Normalised.Notice(notice.amount(amount.get(), currency.get().toUpperCase(Locale.ROOT)).build());
    }
}
