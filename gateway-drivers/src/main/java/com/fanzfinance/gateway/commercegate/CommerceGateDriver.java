package com.fanzfinance.gateway.commercegate;

import com.fanzfinance.gateway.support.PaymentUrlTemplate;
import com.fanzfinance.gateway.Acknowledgement;
import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.ProcessorDriver;
import com.fanzfinance.gateway.SecretSpec;
import com.fanzfinance.gateway.SettingSpec;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.support.SourceAddresses;
import java.util.List;

/**
 * CommerceGate callbacks. CommerceGate's documentation is for merchants only; what is public is one third-party
 * handler, which reads an XML document ({@code <cgCallback>}) sent URL-encoded in a form field and answers
 * {@code SUCCESS}. So nearly everything here is a setting, marked † in the descriptions and in
 * {@code docs/payments.md}: which form field carries the document ({@code form_field}, found by itself when unset),
 * which element carries the type, ids, amount, currency and checkout id, and which types are which kind
 * ({@code type_map}, built in {@code SALE} sale, {@code REBILL} rebill, {@code CANCELMEMBERSHIP*} cancellation).
 *
 * <p><b>Authentication</b> is by source address alone: CommerceGate signs nothing and publishes no addresses, so an
 * account must list CommerceGate's senders in a non-empty {@code ip_allow_list}. The server checks the sender against
 * it before {@link #verify}; verify checks again and answers {@code SOURCE_ONLY}, and refuses every notification of
 * an account without a list (absent or empty), since nothing would then tell a forgery apart; {@link #accountProblems}
 * says so, so that the server refuses such an account when it is created or changed.
 */
public final class CommerceGateDriver implements ProcessorDriver {

    static final String FORM_FIELD = "form_field";
    static final String TYPE_FIELD = "type_field";
    static final String TRANSACTION_FIELD = "transaction_field";
    static final String SUBSCRIPTION_FIELD = "subscription_field";
    static final String PARENT_FIELD = "parent_field";
    static final String AMOUNT_FIELD = "amount_field";
    static final String CURRENCY_FIELD = "currency_field";
    static final String CHECKOUT_FIELD = "checkout_field";
    static final String ACK_BODY = "ack_body";

    @Override
    public String name() {
        return "commercegate";
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(
                SettingSpec.optional(FORM_FIELD, null,
                        "form field carrying the cgCallback XML document; unset: the first field (or body) that is XML (†)"),
                SettingSpec.optional(TypeMap.SETTING, null,
                        "additions to the type map (built in SALE:sale,REBILL:rebill,CANCELMEMBERSHIP*:cancellation),"
                                + " e.g. REFUND:refund,CHARGEBACK:chargeback (†)"),
                SettingSpec.optional(CHECKOUT_FIELD, "fanz_checkout_id",
                        "element or parameter the checkout id comes back in (†)"),
                SettingSpec.optional(TYPE_FIELD, "TransactionType", "element carrying the transaction type"),
                SettingSpec.optional(TRANSACTION_FIELD, "TransactionID", "element carrying the transaction id"),
                SettingSpec.optional(SUBSCRIPTION_FIELD, "UserID", "element carrying the membership (subscription) id (†)"),
                SettingSpec.optional(PARENT_FIELD, null,
                        "element naming the charge a rebill or reversal belongs to; unset: none (†)"),
                SettingSpec.optional(AMOUNT_FIELD, "Amount", "element carrying the amount, a decimal (†)"),
                SettingSpec.optional(CURRENCY_FIELD, "Currency", "element carrying the ISO 4217 currency (†)"),
                SettingSpec.optional(PaymentUrlTemplate.SETTING, null,
                        "CommerceGate payment page URL for checkouts, with {checkout_id} (in the checkout_field pass-through),"
                                + " {amount}, {amount_minor}, {currency}, {period_days}"),
                SettingSpec.optional(ACK_BODY, "SUCCESS", "answer body for accepted notifications"));
    }

    @Override
    public List<SecretSpec> secrets() {
        return List.of();
    }

    @Override
    public List<String> accountProblems(MerchantAccount account) {
        List<String> allowList = account.ipAllowList();
        return allowList == null || allowList.isEmpty()
                ? List.of("a commercegate account needs a non-empty ip_allow_list: CommerceGate signs nothing, so its"
                        + " notifications are authenticated by their source address alone")
                : List.of();
    }

    @Override
    public Verification verify(Notification notification, MerchantAccount account) {
        List<String> allowList = account.ipAllowList();
        if (allowList == null || allowList.isEmpty()) {
            return Verification.unauthenticated(
                    "no ip_allow_list: CommerceGate signs nothing, so its accounts must list its source addresses");
        }
        boolean allowed;
        try {
            allowed = SourceAddresses.allowed(notification.peer(), allowList);
        } catch (IllegalArgumentException e) {
            allowed = false;
        }
        return allowed ? Verification.sourceOnly() : Verification.unauthenticated("source-not-allowed");
    }

    @Override
    public Normalised normalise(Notification notification, MerchantAccount account) {
        return CommerceGateCallback.normalise(notification, account);
    }

    @Override
    public Acknowledgement acknowledgement(MerchantAccount account) {
        return Acknowledgement.text(account.setting(ACK_BODY).orElse("SUCCESS"));
    }

    /** A redirect to the account's {@code payment_url_template}; the checkout id comes back in {@code checkout_field}. */
    @Override
    public CheckoutAction checkout(CheckoutRequest request, MerchantAccount account) {
        String template = account.setting(PaymentUrlTemplate.SETTING).orElseThrow(() ->
                new CheckoutNotConfiguredException("the merchant account has no setting " + PaymentUrlTemplate.SETTING));
        String field = account.setting(CHECKOUT_FIELD).map(String::trim).orElse("fanz_checkout_id");
        return new CheckoutAction.Redirect(PaymentUrlTemplate.render(template, request),
                new CheckoutAction.PassThrough(field, request.checkoutId().toString()));
    }
}
