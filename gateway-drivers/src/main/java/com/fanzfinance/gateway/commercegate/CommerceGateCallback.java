package com.fanzfinance.gateway.commercegate;

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
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a CommerceGate callback into the processor-neutral notice. Every field name is a setting (see
 * {@link CommerceGateDriver}), since only {@code TransactionType}, {@code TransactionID} and {@code UserID} are seen in
 * public code. PP Part E gives no CommerceGate key, so a notice is deduplicated by type and transaction id (a retry
 * repeats both); without a transaction id, by the SHA-256 of query and body. CommerceGate's event time is not known,
 * so there is no {@code occurredAt}.
 */
final class CommerceGateCallback {

    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");

    private final Notification notification;
    private final MerchantAccount account;
    private final CallbackFields fields;

    private CommerceGateCallback(Notification notification, MerchantAccount account) {
        this.notification = notification;
        this.account = account;
        this.fields = CallbackFields.of(notification, account.setting(CommerceGateDriver.FORM_FIELD).map(String::trim).orElse(null));
    }

    static Normalised normalise(Notification notification, MerchantAccount account) {
        try {
            return new CommerceGateCallback(notification, account).read();
        } catch (UnreadableField e) {
            return new Normalised.Malformed(e.getMessage());
        }
    }

    private Normalised read() {
        String type = required(CommerceGateDriver.TYPE_FIELD, "TransactionType");
        TypeMap types = TypeMap.of(account.setting(TypeMap.SETTING).orElse(null))
                .orElseThrow(() -> new UnreadableField("setting " + TypeMap.SETTING + " is not a list of TYPE:kind"));
        String transactionId = optional(CommerceGateDriver.TRANSACTION_FIELD, "TransactionID");
        String dedupeKey = transactionId != null
                ? type.toUpperCase(Locale.ROOT) + ":" + transactionId
                : "sha256:" + Digests.sha256Hex(queryAndBody());
        Optional<PaymentKind> kind = types.kind(type);
        if (kind.isEmpty()) {
            return new Normalised.Ignored(type, "unmapped CommerceGate transaction type", dedupeKey);
        }
        if (kind.get().movesMoney() && transactionId == null) {
            throw new UnreadableField(fieldName(CommerceGateDriver.TRANSACTION_FIELD, "TransactionID") + " missing");
        }
        PaymentNotice.Builder notice = PaymentNotice.builder(kind.get(), type, dedupeKey)
                .transactionId(transactionId)
                .subscriptionId(optional(CommerceGateDriver.SUBSCRIPTION_FIELD, "UserID"))
                .checkoutId(optional(CommerceGateDriver.CHECKOUT_FIELD, "fanz_checkout_id"));
        if (kind.get() == PaymentKind.REBILL || kind.get().isReversal()) {
            notice.parentTransactionId(optional(CommerceGateDriver.PARENT_FIELD, null));
        }
        readAmount(kind.get(), notice);
        return new Normalised.Notice(notice.build());
    }

    /** Money-moving kinds need amount and currency; others carry them when both are readable. */
    private void readAmount(PaymentKind kind, PaymentNotice.Builder notice) {
        String amountField = fieldName(CommerceGateDriver.AMOUNT_FIELD, "Amount");
        String currencyField = fieldName(CommerceGateDriver.CURRENCY_FIELD, "Currency");
        String amountText = kind.movesMoney() ? required(CommerceGateDriver.AMOUNT_FIELD, "Amount")
                : optional(CommerceGateDriver.AMOUNT_FIELD, "Amount");
        if (amountText == null) {
            return;
        }
        Optional<BigDecimal> amount = kind.isReversal() ? Decimals.parseAbsolute(amountText) : Decimals.parse(amountText);
        String currency = kind.movesMoney() ? required(CommerceGateDriver.CURRENCY_FIELD, "Currency")
                : optional(CommerceGateDriver.CURRENCY_FIELD, "Currency");
        if (!kind.movesMoney() && (amount.isEmpty() || currency == null || !CURRENCY.matcher(currency).matches())) {
            return;
        }
        if (amount.isEmpty()) {
            throw new UnreadableField(amountField + " is not a decimal");
        }
        if (!CURRENCY.matcher(currency).matches()) {
            throw new UnreadableField(currencyField + " is not a currency code");
        }
        notice.amount(amount.get(), currency.toUpperCase(Locale.ROOT));
    }

    /** The field name a setting gives, or its default ({@code null}: no such field unless the setting names one). */
    private String fieldName(String setting, String fallback) {
        return account.setting(setting).map(String::trim).orElse(fallback);
    }

    private String required(String setting, String fallback) {
        String name = fieldName(setting, fallback);
        return fields.nonBlank(name).orElseThrow(() -> new UnreadableField(name + " missing"
                + (fields.hasDocument() ? "" : " (no cgCallback XML document found)")));
    }

    private String optional(String setting, String fallback) {
        String name = fieldName(setting, fallback);
        return name == null ? null : fields.nonBlank(name).orElse(null);
    }

    private byte[] queryAndBody() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(notification.rawQuery().getBytes(StandardCharsets.UTF_8));
        bytes.write('\n');
        bytes.writeBytes(notification.body());
        return bytes.toByteArray();
    }
}
