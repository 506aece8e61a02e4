package com.fanzfinance.gateway.netbilling;

import com.fanzfinance.gateway.support.PaymentUrlTemplate;
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
import java.util.List;
import java.util.Optional;

/**
 * NETbilling hosted payment-form postbacks: name/value pairs ({@code Ecom_*}) by GET or POST, every field the payment
 * form sent echoed back. The public material on NETbilling is thin, so much of this driver is settings (marked † in
 * the descriptions and in {@code docs/payments.md}).
 *
 * <p><b>Authentication.</b> NETbilling signs no postback. Its {@code Ecom_Ezic_Security_HashValue_MD5} is the payment
 * form's own tamper-proofing (MD5 of the Integrity Key and the form fields named in {@code Ecom_Ezic_Security_HashFields},
 * computed by the merchant and echoed back): the fan's browser carries it, it covers only fields the merchant chose and
 * never the status or transaction id, so it proves nothing about a postback and this driver does not use it. Instead:
 * <ul>
 *   <li>the secret {@code integrity_key}, compared in constant time with the current key and then, during a
 *       rotation, the previous one. By default it is the password of HTTP Basic credentials, which the merchant
 *       writes into the postback URL configured at NETbilling: {@code https://netbilling:<integrity_key>@…/hooks/netbilling/<id>}
 *       (the user name is checked only when {@code basic_auth_username} is set). That NETbilling's postback client
 *       sends URL user info as Basic credentials, as common HTTP clients do, is not confirmed (†). The server redacts {@code Authorization}
 *       in what it stores and shows. There is deliberately no way to carry the key in the query string: the server stores and shows
 *       the raw query of every notification, and a secret must never be shown. Use a long
 *       random value, not NETbilling's own form Integrity Key, and only on a server-to-server postback URL: never in
 *       the fan's return URL or in {@code payment_url_template}, which the fan sees (a checkout whose template carries
 *       the key is refused);</li>
 *   <li>the account's {@code ip_allow_list}, which the server checks before {@link #verify}: an account without
 *       {@code integrity_key} is verified {@code SOURCE_ONLY} when its list is non-empty and the sender is in it, and
 *       is refused otherwise (one of the two must be configured).</li>
 * </ul>
 * When the account sets {@code site_tag}, a postback whose {@code Ecom_Ezic_AccountAndSitetag}
 * ({@code <account>:<site tag>}) names another site is {@code account-mismatch}.
 *
 * <p><b>Events.</b> Only the hosted-form postback is public: {@code Ecom_Ezic_Response_StatusCode} {@code 1} is a sale
 * and {@code 0} a failure; other codes ({@code F}, {@code T}, …) are unexplained and ignored unless {@code status_map}†
 * maps them. Rebill, cancellation and chargeback notifications are not known. The postback carries no currency:
 * {@code currency_field}† names a field that does (e.g. a pass-through {@code fanz_currency={currency}} the
 * {@code payment_url_template} adds, which NETbilling echoes), else {@code default_currency}† (USD) applies.
 * {@code Ecom_Ezic_Response_IssueDate} is read in {@code timezone}† (UTC).
 */
public final class NetbillingDriver implements ProcessorDriver {

    static final String INTEGRITY_KEY = "integrity_key";
    static final String SITE_TAG = "site_tag";
    static final String BASIC_AUTH_USERNAME = "basic_auth_username";
    static final String CURRENCY_FIELD = "currency_field";
    static final String DEFAULT_CURRENCY = "default_currency";
    static final String TIMEZONE = "timezone";
    static final String CHECKOUT_FIELD = "fanz_checkout_id";

    @Override
    public String name() {
        return "netbilling";
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(
                SettingSpec.optional(SITE_TAG, null,
                        "NETbilling site tag; a postback whose Ecom_Ezic_AccountAndSitetag names another is refused"
                                + " (a value with ':' is compared with the whole account:sitetag)"),
                SettingSpec.optional(PaymentUrlTemplate.SETTING, null,
                        "NETbilling payment form URL for checkouts, with {checkout_id} (as fanz_checkout_id={checkout_id}),"
                                + " {amount}, {amount_minor}, {currency}, {period_days}"),
                SettingSpec.optional(BASIC_AUTH_USERNAME, null,
                        "user name the postback's Basic credentials must carry with the integrity_key; unset: any"),
                SettingSpec.optional(StatusMap.SETTING, null,
                        "additions to the status code map (built in 1:sale,0:failure), e.g. F:failure,T:ignore (†)"),
                SettingSpec.optional(CURRENCY_FIELD, null,
                        "postback field carrying the currency, e.g. an echoed fanz_currency; unset: default_currency (†)"),
                SettingSpec.optional(DEFAULT_CURRENCY, "USD", "currency of postbacks without currency_field (†)"),
                SettingSpec.optional(TIMEZONE, "UTC", "time zone of Ecom_Ezic_Response_IssueDate (†)"),
                SettingSpec.optional("ack_body", null, "answer body for accepted notifications (default OK)"));
    }

    @Override
    public List<SecretSpec> secrets() {
        return List.of(SecretSpec.optional(INTEGRITY_KEY,
                "shared secret of the postback URL (the Basic password); without it the account needs an ip_allow_list"));
    }

    @Override
    public List<String> accountProblems(MerchantAccount account) {
        boolean keyed = account.secrets().current(INTEGRITY_KEY).isPresent();
        boolean listed = account.ipAllowList() != null && !account.ipAllowList().isEmpty();
        return keyed || listed ? List.of()
                : List.of("a netbilling account needs an integrity_key secret or a non-empty ip_allow_list: NETbilling"
                        + " signs nothing, so one of them must authenticate its postbacks");
    }

    @Override
    public Verification verify(Notification notification, MerchantAccount account) {
        return NetbillingVerifier.verify(notification, account);
    }

    @Override
    public Normalised normalise(Notification notification, MerchantAccount account) {
        return NetbillingPostback.normalise(notification, account);
    }

    /**
     * A redirect to the account's {@code payment_url_template}, which must pass the checkout id to NETbilling as
     * {@code fanz_checkout_id} (NETbilling echoes unknown form fields in its postback).
     */
    @Override
    public CheckoutAction checkout(CheckoutRequest request, MerchantAccount account) {
        String template = account.setting(PaymentUrlTemplate.SETTING).orElseThrow(() ->
                new CheckoutNotConfiguredException("the merchant account has no setting " + PaymentUrlTemplate.SETTING));
        Optional<String> key = account.secrets().current(INTEGRITY_KEY);
        if (key.isPresent() && template.contains(key.get())) {
            throw new CheckoutNotConfiguredException(PaymentUrlTemplate.SETTING
                    + " must not carry the integrity_key: the fan sees the payment URL");
        }
        String checkoutId = request.checkoutId().toString();
        return new CheckoutAction.Redirect(PaymentUrlTemplate.render(template, request),
                new CheckoutAction.PassThrough(CHECKOUT_FIELD, checkoutId));
    }
}
