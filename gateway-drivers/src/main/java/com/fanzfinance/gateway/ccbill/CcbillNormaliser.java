package com.fanzfinance.gateway.ccbill;

import com.fanzfinance.gateway.support.UnreadableField;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import com.fanzfinance.gateway.PaymentNotice;
import com.fanzfinance.gateway.support.Decimals;
import com.fanzfinance.gateway.support.Digests;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a CCBill webhook (JSON or form body, merged with the query that carries {@code eventType}) into a
 * {@link PaymentNotice}. CCBill reversals reuse the sale's {@code transactionId}, so that id is also their parent;
 * amounts are the {@code accounting*} ones (what CCBill settles), since webhooks carry no fees.
 */
final class CcbillNormaliser {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private final Notification notification;
    private final Notification.Parameters parameters;
    private final MerchantAccount account;

    private CcbillNormaliser(Notification notification, MerchantAccount account) {
        this.notification = notification;
        this.parameters = notification.parameters();
        this.account = account;
    }

    static Normalised normalise(Notification notification, MerchantAccount account) {
        try {
            return new CcbillNormaliser(notification, account).read();
        } catch (UnreadableField e) {
            return new Normalised.Malformed(e.getMessage());
        }
    }

    private Normalised read() {
        String eventType = required("eventType");
        Optional<PaymentKind> kind = CcbillEventTypes.kind(eventType);
        if (kind.isEmpty()) {
            return new Normalised.Ignored(eventType, "unknown CCBill eventType", dedupeKeyIfIdentified(eventType));
        }
        return new Normalised.Notice(notice(kind.get(), eventType));
    }

    private PaymentNotice notice(PaymentKind kind, String eventType) {
        String transactionId = kind.movesMoney() ? required("transactionId") : optional("transactionId");
        String subscriptionId = kind == PaymentKind.REBILL ? required("subscriptionId") : optional("subscriptionId");
        if (transactionId == null && subscriptionId == null) {
            throw new UnreadableField("transactionId or subscriptionId missing");
        }
        PaymentNotice.Builder builder = PaymentNotice.builder(kind, eventType, dedupeKey(eventType, transactionId, subscriptionId))
                .transactionId(transactionId)
                .subscriptionId(subscriptionId)
                .parentTransactionId(kind.isReversal() ? transactionId : null)
                .checkoutId(optional("X-fanz_checkout_id"))
                .cardType(optional("cardType"));
        readAmount(kind, eventType, builder);
        readOccurredAt(builder);
        return builder.build();
    }

    private void readAmount(PaymentKind kind, String eventType, PaymentNotice.Builder builder) {
        String field = CcbillEventTypes.isSignUp(eventType) ? "accountingInitialPrice" : "accountingAmount";
        String text = kind.movesMoney() ? required(field) : optional(field);
        if (text == null) {
            return;
        }
        Optional<BigDecimal> amount = kind.isReversal() ? Decimals.parseAbsolute(text) : Decimals.parse(text);
        builder.amount(amount.orElseThrow(() -> new UnreadableField(field + " is not a decimal")), currency());
    }

    /** {@code accountingCurrency} (alpha) when sent, checked against {@code accountingCurrencyCode} (numeric). */
    private String currency() {
        String alpha = optional("accountingCurrency");
        String numeric = optional("accountingCurrencyCode");
        Optional<String> fromNumeric = CcbillCurrencies.alpha(numeric);
        if (alpha == null) {
            if (numeric == null) {
                throw new UnreadableField("accountingCurrency missing");
            }
            return fromNumeric.orElseThrow(() -> new UnreadableField("accountingCurrencyCode is not a known currency"));
        }
        if (!alpha.matches("[A-Za-z]{3}")) {
            throw new UnreadableField("accountingCurrency is not a currency code");
        }
        String upper = alpha.toUpperCase(Locale.ROOT);
        if (fromNumeric.isPresent() && !fromNumeric.get().equals(upper)) {
            throw new UnreadableField("accountingCurrencyCode disagrees with accountingCurrency");
        }
        return upper;
    }

    private void readOccurredAt(PaymentNotice.Builder builder) {
        String timestamp = optional("timestamp");
        if (timestamp == null) {
            return;
        }
        try {
            ZoneId zone = ZoneId.of(account.setting(CcbillDriver.TIMEZONE, "UTC"));
            Instant occurredAt = LocalDateTime.parse(timestamp, TIMESTAMP).atZone(zone).toInstant();
            builder.occurredAt(occurredAt);
        } catch (DateTimeException e) {
            builder.warning("timestamp-unreadable");
        }
    }

    /**
     * PP Part E's identity of a CCBill event: {@code eventType:transactionId-or-subscriptionId:timestamp}. Without a
     * timestamp two events of one subscription (a cancellation, a reactivation, a cancellation) would collide, so
     * the key then falls back to the API's default, the SHA-256 of query and body.
     */
    private String dedupeKey(String eventType, String transactionId, String subscriptionId) {
        String timestamp = optional("timestamp");
        if (timestamp == null) {
            return "sha256:" + Digests.sha256Hex(queryAndBody());
        }
        return eventType + ":" + (transactionId != null ? transactionId : subscriptionId) + ":" + timestamp;
    }

    private String dedupeKeyIfIdentified(String eventType) {
        String transactionId = optional("transactionId");
        String subscriptionId = optional("subscriptionId");
        return transactionId == null && subscriptionId == null ? null : dedupeKey(eventType, transactionId, subscriptionId);
    }

    private byte[] queryAndBody() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(notification.rawQuery().getBytes(StandardCharsets.UTF_8));
        bytes.write('\n');
        bytes.writeBytes(notification.body());
        return bytes.toByteArray();
    }

    private String required(String field) {
        return parameters.nonBlank(field).orElseThrow(() -> new UnreadableField(field + " missing"));
    }

    private String optional(String field) {
        return parameters.nonBlank(field).orElse(null);
    }
}
