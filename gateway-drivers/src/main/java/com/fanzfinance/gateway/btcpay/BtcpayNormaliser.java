package com.fanzfinance.gateway.btcpay;

import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import com.fanzfinance.gateway.support.Decimals;
import com.fanzfinance.gateway.support.Digests;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Greenfield webhook event. {@code InvoiceSettled} is a sale, {@code InvoiceInvalid} a failure,
 * {@code InvoiceExpired} an expiration and every other {@code Invoice*} event progress ({@code other}); events of
 * payouts and payment requests, and BTCPay's test deliveries ({@code __test__…__test__} ids), are ignored.
 *
 * <p>The transaction id is the {@code invoiceId}; the dedupe key is {@code originalDeliveryId}, which a redelivery
 * keeps while its {@code deliveryId} is new (failing both, the SHA-256 of query and body). The checkout id is
 * {@code metadata.orderId}. BTCPay's flags become warnings: {@code overPaid}, {@code manuallyMarked},
 * {@code partiallyPaid}, {@code afterExpiration}. The events carry no invoice amount, so the notice has none; a
 * payment event's coin amount ({@code payment.value}, in the coin of {@code paymentMethod}) is its settlement.
 */
final class BtcpayNormaliser {

    static final String TEST_MARK = "__test__";

    private static final Map<String, PaymentKind> KINDS = Map.of(
            "InvoiceSettled", PaymentKind.SALE,
            "InvoiceInvalid", PaymentKind.FAILURE,
            "InvoiceExpired", PaymentKind.EXPIRATION);

    private static final Map<String, String> FLAG_WARNINGS = Map.of(
            "overPaid", "over-paid",
            "manuallyMarked", "manually-marked",
            "partiallyPaid", "partially-paid",
            "afterExpiration", "paid-after-expiration");

    /** Unix seconds up to the year 9999. */
    private static final long MAX_SECONDS = 253_402_300_799L;

    private BtcpayNormaliser() {
    }

    static Normalised normalise(Notification notification) {
        Optional<ObjectNode> parsed = notification.jsonBody();
        if (parsed.isEmpty()) {
            return new Normalised.Malformed("body");
        }
        ObjectNode body = parsed.get();
        String type = text(body, "type");
        if (type == null) {
            return new Normalised.Malformed("type");
        }
        String invoiceId = text(body, "invoiceId");
        String dedupeKey = dedupeKey(body, notification);
        if (isTest(invoiceId) || isTest(text(body, "originalDeliveryId")) || isTest(text(body, "deliveryId"))) {
            return new Normalised.Ignored(type, "test delivery", dedupeKey);
        }
        if (!type.startsWith("Invoice")) {
            return new Normalised.Ignored(type, "not an invoice event", dedupeKey);
        }
        if (invoiceId == null) {
            return new Normalised.Malformed("invoiceId");
        }
        PaymentNotice.Builder notice = PaymentNotice.builder(KINDS.getOrDefault(type, PaymentKind.OTHER), type, dedupeKey)
                .transactionId(invoiceId)
                .checkoutId(orderId(body));
        FLAG_WARNINGS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(flag -> body.path(flag.getKey()).isBoolean() && body.path(flag.getKey()).booleanValue())
                .forEach(flag -> notice.warning(flag.getValue()));
        readPayment(body, notice);
        readTime(body, notice);
        return new Normalised.Notice(notice.build());
    }

    private static boolean isTest(String id) {
        return id != null && id.startsWith(TEST_MARK);
    }

    private static String dedupeKey(ObjectNode body, Notification notification) {
        String original = text(body, "originalDeliveryId");
        if (original != null) {
            return original;
        }
        String delivery = text(body, "deliveryId");
        if (delivery != null) {
            return delivery;
        }
        byte[] query = (notification.rawQuery() + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] both = new byte[query.length + notification.body().length];
        System.arraycopy(query, 0, both, 0, query.length);
        System.arraycopy(notification.body(), 0, both, query.length, notification.body().length);
        return "sha256:" + Digests.sha256Hex(both);
    }

    /** {@code metadata.orderId}: the checkout id when the invoice was made by a FanzFinance checkout. */
    private static String orderId(ObjectNode body) {
        JsonNode metadata = body.get("metadata");
        return metadata instanceof ObjectNode object ? text(object, "orderId") : null;
    }

    /**
     * A payment event's coin amount as the settlement: {@code payment.value} (a decimal string) in the coin named
     * by {@code paymentMethod} before its dash ({@code BTC-LightningNetwork} → {@code BTC}).
     */
    private static void readPayment(ObjectNode body, PaymentNotice.Builder notice) {
        JsonNode payment = body.get("payment");
        String method = text(body, "paymentMethod");
        if (!(payment instanceof ObjectNode object) || method == null) {
            return;
        }
        String value = text(object, "value");
        if (value == null) {
            return;
        }
        Optional<BigDecimal> amount = Decimals.parse(value);
        int dash = method.indexOf('-');
        String coin = (dash < 0 ? method : method.substring(0, dash)).toUpperCase(Locale.ROOT);
        if (amount.isEmpty() || coin.isEmpty()) {
            notice.warning("payment-value-unreadable");
            return;
        }
        notice.settlement(amount.get(), coin);
    }

    /** {@code timestamp}: Unix seconds. */
    private static void readTime(ObjectNode body, PaymentNotice.Builder notice) {
        JsonNode timestamp = body.get("timestamp");
        if (timestamp == null || timestamp.isNull()) {
            return;
        }
        if (timestamp.canConvertToExactIntegral() && timestamp.canConvertToLong()
                && timestamp.asLong() >= 0 && timestamp.asLong() <= MAX_SECONDS) {
            notice.occurredAt(Instant.ofEpochSecond(timestamp.asLong()));
        } else {
            notice.warning("timestamp-unreadable");
        }
    }

    /** A non-blank string member, or {@code null}. */
    private static String text(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }
}
