package com.fanzfinance.gateway.netbilling;

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
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a NETbilling postback into the processor-neutral notice: kind from {@code Ecom_Ezic_Response_StatusCode}
 * ({@link StatusMap}), transaction {@code Ecom_Ezic_Response_TransactionID} (else {@code Ecom_Ezic_TransactionId}),
 * subscription {@code Ecom_Ezic_Recurring_ID} (else {@code Ecom_Ezic_Membership_ID}), gross {@code Ecom_Cost_Total},
 * checkout id {@code fanz_checkout_id}. PP Part E gives no NETbilling key, so a notice is deduplicated by status code and
 * transaction id (a retry repeats both); without a transaction id, by the SHA-256 of the query and the body.
 */
final class NetbillingPostback {

    static final String STATUS = "Ecom_Ezic_Response_StatusCode";
    static final String AMOUNT = "Ecom_Cost_Total";

    private static final Pattern CURRENCY = Pattern.compile("[A-Za-z]{3}");
    private static final DateTimeFormatter ISSUE_DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

    private final Notification notification;
    private final Notification.Parameters params;
    private final MerchantAccount account;

    private NetbillingPostback(Notification notification, MerchantAccount account) {
        this.notification = notification;
        this.params = notification.parameters();
        this.account = account;
    }

    static Normalised normalise(Notification notification, MerchantAccount account) {
        Optional<String> repeated = notification.parameters().firstRepeatedName();
        if (repeated.isPresent()) {
            return new Normalised.Malformed("repeated parameter " + repeated.get());
        }
        try {
            return new NetbillingPostback(notification, account).read();
        } catch (UnreadableField e) {
            return new Normalised.Malformed(e.getMessage());
        }
    }

    private Normalised read() {
        String status = required(STATUS);
        StatusMap statuses = StatusMap.of(account.setting(StatusMap.SETTING).orElse(null))
                .orElseThrow(() -> new UnreadableField("setting " + StatusMap.SETTING + " is not a list of code:kind"));
        String transactionId = optional("Ecom_Ezic_Response_TransactionID");
        if (transactionId == null) {
            transactionId = optional("Ecom_Ezic_TransactionId");
        }
        String dedupeKey = transactionId != null ? status + ":" + transactionId : "sha256:" + Digests.sha256Hex(queryAndBody());
        Optional<PaymentKind> kind = statuses.kind(status);
        if (kind.isEmpty()) {
            return new Normalised.Ignored(status, "unmapped NETbilling status code", dedupeKey);
        }
        if (kind.get().movesMoney() && transactionId == null) {
            throw new UnreadableField("Ecom_Ezic_Response_TransactionID missing");
        }
        String subscriptionId = optional("Ecom_Ezic_Recurring_ID");
        PaymentNotice.Builder notice = PaymentNotice.builder(kind.get(), status, dedupeKey)
                .transactionId(transactionId)
                .subscriptionId(subscriptionId != null ? subscriptionId : optional("Ecom_Ezic_Membership_ID"))
                .checkoutId(optional(NetbillingDriver.CHECKOUT_FIELD));
        readAmount(kind.get(), notice);
        readIssueDate(notice);
        return new Normalised.Notice(notice.build());
    }

    /** Money-moving kinds need the amount; others carry it when it is readable. */
    private void readAmount(PaymentKind kind, PaymentNotice.Builder notice) {
        String text = kind.movesMoney() ? required(AMOUNT) : optional(AMOUNT);
        if (text == null) {
            return;
        }
        Optional<BigDecimal> amount = kind.isReversal() ? Decimals.parseAbsolute(text) : Decimals.parse(text);
        if (amount.isEmpty()) {
            if (kind.movesMoney()) {
                throw new UnreadableField(AMOUNT + " is not a decimal");
            }
            return;
        }
        notice.amount(amount.get(), currency());
    }

    /**
     * The currency of the NETbilling site (its postbacks carry none): the account's setting, never a field of the
     * postback — an echoed form field would be one the fan could change.
     */
    private String currency() {
        String value = account.setting(NetbillingDriver.DEFAULT_CURRENCY, "USD").trim();
        if (!CURRENCY.matcher(value).matches()) {
            throw new UnreadableField("setting " + NetbillingDriver.DEFAULT_CURRENCY + " is not a currency code");
        }
        return value.toUpperCase(Locale.ROOT);
    }

    private void readIssueDate(PaymentNotice.Builder notice) {
        String issued = optional("Ecom_Ezic_Response_IssueDate");
        if (issued == null) {
            return;
        }
        try {
            ZoneId zone = ZoneId.of(account.setting(NetbillingDriver.TIMEZONE, "UTC").trim());
            notice.occurredAt(LocalDateTime.parse(issued, ISSUE_DATE).atZone(zone).toInstant());
        } catch (DateTimeException e) {
            notice.warning("issue-date-unreadable");
        }
    }

    /** The query, then the body (the key travels as Basic credentials, so a key rotation does not change them). */
    private byte[] queryAndBody() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(notification.rawQuery().getBytes(StandardCharsets.UTF_8));
        bytes.write('\n');
        bytes.writeBytes(notification.body());
        return bytes.toByteArray();
    }

    private String required(String field) {
        return params.nonBlank(field).orElseThrow(() -> new UnreadableField(field + " missing"));
    }

    private String optional(String field) {
        return params.nonBlank(field).orElse(null);
    }
}
