package com.fanzfinance.gateway;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a verified notification says, processor-neutrally. Amounts are the processor's decimals as sent; the
 * server turns them into minor units with the currency's scale (and fails the event when they have more
 * digits). Everything optional is {@code null} when the notification does not carry it.
 *
 * @param kind                    what happened
 * @param processorEventType      the processor's own name for it (e.g. {@code NewSaleSuccess}, {@code credit})
 * @param transactionId           the processor's id of this money movement
 * @param subscriptionId          the processor's id of the subscription or sale it belongs to
 * @param parentTransactionId     for rebills and reversals: the transaction they belong to
 * @param dedupeKey               the processor's identity of this notification (the same for its retries)
 * @param amount                  the event's own amount, positive; {@code null} when the processor sends none
 * @param currency                ISO 4217 code of {@code amount}, upper case
 * @param settlementAmount        what the processor settles in, when it says (crypto: the coin amount)
 * @param settlementCurrency      the currency of {@code settlementAmount}
 * @param checkoutId              the checkout id the processor passed through, when present
 * @param fan                     the processor's id of the payer, when present
 * @param occurredAt              the processor's time of the event, when it sends one
 * @param warnings                things the driver noticed but accepted
 * @param cardNetwork             the card network of a card payment, lower case ({@code visa}, {@code mastercard},
 *                                {@code amex}, {@code discover}, {@code jcb}, {@code other}), when the processor says
 */
public record PaymentNotice(PaymentKind kind, String processorEventType, String transactionId, String subscriptionId,
                            String parentTransactionId, String dedupeKey, BigDecimal amount, String currency,
                            BigDecimal settlementAmount, String settlementCurrency, String checkoutId, String fan,
                            Instant occurredAt, List<String> warnings, String cardNetwork) {

    public PaymentNotice {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(processorEventType, "processorEventType");
        Objects.requireNonNull(dedupeKey, "dedupeKey");
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        if (cardNetwork != null && !CARD_NETWORKS.contains(cardNetwork)) {
            throw new IllegalArgumentException("not a card network name: " + cardNetwork);
        }
        if (amount != null && amount.signum() < 0) {
            throw new IllegalArgumentException("amount is positive: " + amount);
        }
    }

    /** The card network names a notice may carry. */
    public static final java.util.Set<String> CARD_NETWORKS = java.util.Set.of("visa", "mastercard", "amex", "discover",
        "jcb", "diners", "other");

    /**
     * The network name for a processor's card type text ({@code VISA}, {@code MC}, {@code Master Card}, {@code AMEX},
     * …), or {@code null} when the text names none (blank, or not a card).
     */
    public static String cardNetworkOf(String processorCardType) {
        if (processorCardType == null) {
            return null;
        }
        String text = processorCardType.trim().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]", "");
        if (text.isEmpty()) {
            return null;
        }
        switch (text) { // two-letter brand codes (Epoch's payment_subtype, many gateways)
            case "vs", "vi" -> {
                return "visa";
            }
            case "ax" -> {
                return "amex";
            }
            case "ds" -> {
                return "discover";
            }
            case "jc" -> {
                return "jcb";
            }
            case "dc" -> {
                return "diners";
            }
            default -> { }
        }
        if (text.startsWith("visa")) {
            return "visa";
        }
        if (text.equals("mc") || text.startsWith("master") || text.startsWith("eurocard")) {
            return "mastercard";
        }
        if (text.startsWith("amex") || text.startsWith("americanexpress")) {
            return "amex";
        }
        if (text.startsWith("disc")) {
            return "discover";
        }
        if (text.startsWith("jcb")) {
            return "jcb";
        }
        if (text.startsWith("diners")) {
            return "diners";
        }
        return "other";
    }

    public Optional<BigDecimal> amountIfAny() {
        return Optional.ofNullable(amount);
    }

    /** A builder, since most notifications fill only part of the fields. */
    public static Builder builder(PaymentKind kind, String processorEventType, String dedupeKey) {
        return new Builder(kind, processorEventType, dedupeKey);
    }

    public static final class Builder {
        private final PaymentKind kind;
        private final String processorEventType;
        private final String dedupeKey;
        private String transactionId;
        private String subscriptionId;
        private String parentTransactionId;
        private BigDecimal amount;
        private String currency;
        private BigDecimal settlementAmount;
        private String settlementCurrency;
        private String checkoutId;
        private String fan;
        private Instant occurredAt;
        private final java.util.ArrayList<String> warnings = new java.util.ArrayList<>();
        private String cardNetwork;

        private Builder(PaymentKind kind, String processorEventType, String dedupeKey) {
            this.kind = kind;
            this.processorEventType = processorEventType;
            this.dedupeKey = dedupeKey;
        }

        public Builder transactionId(String value) { transactionId = value; return this; }
        public Builder subscriptionId(String value) { subscriptionId = value; return this; }
        public Builder parentTransactionId(String value) { parentTransactionId = value; return this; }
        public Builder amount(BigDecimal value, String currencyCode) { amount = value; currency = currencyCode; return this; }
        public Builder settlement(BigDecimal value, String currencyCode) { settlementAmount = value; settlementCurrency = currencyCode; return this; }
        public Builder checkoutId(String value) { checkoutId = value; return this; }
        public Builder fan(String value) { fan = value; return this; }
        public Builder occurredAt(Instant value) { occurredAt = value; return this; }
        public Builder warning(String value) { warnings.add(value); return this; }
        /** The card network, from the processor's card type text (see {@link PaymentNotice#cardNetworkOf}). */
        public Builder cardType(String processorCardType) { cardNetwork = cardNetworkOf(processorCardType); return this; }

        public PaymentNotice build() {
            return new PaymentNotice(kind, processorEventType, transactionId, subscriptionId, parentTransactionId,
                    dedupeKey, amount, currency, settlementAmount, settlementCurrency, checkoutId, fan, occurredAt,
                    warnings, cardNetwork);
        }
    }
}
