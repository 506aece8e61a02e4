package com.fanzfinance.gateway.nowpayments;

import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import com.fanzfinance.gateway.support.Decimals;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a payment IPN. NOWPayments sends one per status change of a payment, all with the same
 * {@code payment_id}, so the status is part of the notice's identity ({@code payment_id:payment_status}). Only
 * {@code finished} and {@code refunded} move money; the in-between statuses are recorded as {@code other}.
 */
final class NowPaymentsNormaliser {

    private static final Map<String, PaymentKind> KINDS = Map.of(
            "finished", PaymentKind.SALE,
            "refunded", PaymentKind.REFUND,
            "failed", PaymentKind.FAILURE,
            "expired", PaymentKind.EXPIRATION,
            "waiting", PaymentKind.OTHER,
            "confirming", PaymentKind.OTHER,
            "confirmed", PaymentKind.OTHER,
            "sending", PaymentKind.OTHER,
            "partially_paid", PaymentKind.OTHER);

    /** {@link Decimals}' limits: at most 15 integer and 18 fraction digits. */
    private static final int MAX_INTEGER_DIGITS = 15;
    private static final int MAX_FRACTION_DIGITS = 18;

    private static final Pattern EPOCH_MILLIS = Pattern.compile("[0-9]{1,15}");

    private NowPaymentsNormaliser() {
    }

    static Normalised normalise(Notification notification) {
        Optional<Map<String, Object>> parsed = LexicalJson.parseObject(notification.body());
        if (parsed.isEmpty()) {
            return new Normalised.Malformed("body");
        }
        Map<String, Object> body = parsed.get();
        String status = text(body, "payment_status");
        if (status == null) {
            return new Normalised.Malformed("payment_status");
        }
        String paymentId = text(body, "payment_id");
        String dedupeKey = paymentId == null ? null : paymentId + ":" + status;
        PaymentKind kind = KINDS.get(status);
        if (kind == null) {
            return new Normalised.Ignored(status, "unknown payment_status", dedupeKey);
        }
        if (paymentId == null) {
            return new Normalised.Malformed("payment_id");
        }
        PaymentNotice.Builder notice = PaymentNotice.builder(kind, status, dedupeKey)
                .transactionId(paymentId)
                .subscriptionId(text(body, "purchase_id"))
                .parentTransactionId(parent(kind, paymentId, text(body, "parent_payment_id")))
                .checkoutId(text(body, "order_id"));

        Optional<String> amountProblem = readPrice(body, kind, notice);
        if (amountProblem.isPresent()) {
            return new Normalised.Malformed(amountProblem.get());
        }
        if (body.get("outcome_amount") != null && text(body, "outcome_currency") != null) {
            Optional<BigDecimal> outcome = amount(body, "outcome_amount");
            if (outcome.isEmpty()) {
                return new Normalised.Malformed("outcome_amount");
            }
            notice.settlement(outcome.get(), currency(body, "outcome_currency"));
        }
        readTime(body, notice);
        return new Normalised.Notice(notice.build());
    }

    /**
     * A refund reverses the payment it is reported on (the same {@code payment_id}, status {@code refunded}) unless
     * NOWPayments names another parent.
     */
    private static String parent(PaymentKind kind, String paymentId, String parentPaymentId) {
        if (parentPaymentId != null) {
            return parentPaymentId;
        }
        return kind == PaymentKind.REFUND ? paymentId : null;
    }

    /** Sets the price; a money-moving notice must carry one. Returns the field at fault, if any. */
    private static Optional<String> readPrice(Map<String, Object> body, PaymentKind kind, PaymentNotice.Builder notice) {
        boolean hasAmount = body.get("price_amount") != null;
        if (!hasAmount && !kind.movesMoney()) {
            return Optional.empty();
        }
        Optional<BigDecimal> price = amount(body, "price_amount");
        if (price.isEmpty()) {
            return Optional.of("price_amount");
        }
        if (text(body, "price_currency") == null) {
            return Optional.of("price_currency");
        }
        notice.amount(price.get(), currency(body, "price_currency"));
        return Optional.empty();
    }

    /**
     * An amount from its JSON lexeme. NOWPayments serialises with JavaScript, which writes values below 10^-6 in
     * exponent form ({@code 2e-7}); such a lexeme is first written out plainly (exactly, as a decimal, and only
     * when within {@link Decimals}' digit limits, so {@code 1e999999999} is refused without being expanded),
     * then read strictly like any other.
     */
    private static Optional<BigDecimal> amount(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (!(value instanceof LexicalJson.Number number)) {
            return Optional.empty();
        }
        String lexeme = number.lexeme();
        if (lexeme.indexOf('e') >= 0 || lexeme.indexOf('E') >= 0) {
            BigDecimal decimal;
            try {
                decimal = new BigDecimal(lexeme);
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
            if (decimal.scale() > MAX_FRACTION_DIGITS || decimal.precision() - decimal.scale() > MAX_INTEGER_DIGITS) {
                return Optional.empty();
            }
            lexeme = decimal.toPlainString();
        }
        return Decimals.parse(lexeme);
    }

    private static String currency(Map<String, Object> body, String field) {
        return text(body, field).toUpperCase(Locale.ROOT);
    }

    /** {@code updated_at}, else {@code created_at}: epoch milliseconds in real bodies, ISO-8601 in the type docs. */
    private static void readTime(Map<String, Object> body, PaymentNotice.Builder notice) {
        for (String field : new String[] {"updated_at", "created_at"}) {
            String value = text(body, field);
            if (value == null) {
                continue;
            }
            Optional<Instant> time = instant(value);
            if (time.isPresent()) {
                notice.occurredAt(time.get());
            } else {
                notice.warning(field + "-unreadable");
            }
            return;
        }
    }

    private static Optional<Instant> instant(String value) {
        if (EPOCH_MILLIS.matcher(value).matches()) {
            return Optional.of(Instant.ofEpochMilli(Long.parseLong(value)));
        }
        try {
            return Optional.of(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A string member (not blank) or a number member's lexeme; {@code null} otherwise. */
    private static String text(Map<String, Object> body, String field) {
        Object value = body.get(field);
        if (value instanceof String string) {
            return string.isBlank() ? null : string;
        }
        if (value instanceof LexicalJson.Number number) {
            return number.lexeme();
        }
        return null;
    }
}
