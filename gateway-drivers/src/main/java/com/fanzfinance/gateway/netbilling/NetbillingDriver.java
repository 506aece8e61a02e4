package com.fanzfinance.gateway.netbilling;

import com.fanzfinance.gateway.support.PaymentUrlTemplate;
import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.ProcessorDriver;
import com.fanzfinance.gateway.SecretSpec;
import com.fanzfinance.gateway.SettingSpec;
import com.fanzfinance.gateway.Verification;
import java.util.List;

/**
 * NETbilling hosted payment-form postbacks: name/value pairs ({@code Ecom_*}) by GET or POST, every field the payment
 * form sent echoed back. The public material on NETbilling is thin, so much of this driver is settings (marked † in
 * the descriptions and in {@code docs/payments.md}).
 *
 * <p><b>Checkouts</b> redirect to the account's {@code payment_url_template} (NETbilling's hosted form with
 * {@code Ecom_Cost_Total={amount}} and {@code fanz_checkout_id={checkout_id}}), to which the driver adds NETbilling's
 * form integrity hash: {@code Ecom_Ezic_Security_HashFields} naming every field of the link and
 * {@code Ecom_Ezic_Security_HashValue_MD5} = MD5 of the secret {@code integrity_key} (NETbilling's Integrity Key) and
 * their values. NETbilling refuses a form whose hash does not match, so the fan cannot change the price or the
 * checkout id; checkouts therefore need the {@code integrity_key}.
 *
 * <p><b>Authentication.</b> NETbilling signs no postback. The sender is authenticated by the password of HTTP Basic
 * credentials written into the postback URL configured at NETbilling,
 * {@code https://netbilling:<basic_auth_password>@…/hooks/netbilling/<id>} (the user name is checked when
 * {@code basic_auth_username} is set; that NETbilling's client sends URL user info as Basic credentials is not
 * confirmed †), and/or by the account's {@code ip_allow_list} — one of the two is required. The secret never goes into
 * a query string: the server shows every raw query. Then, for an account with an {@code integrity_key}, the echoed
 * hash must cover {@code Ecom_Cost_Total} (and {@code fanz_checkout_id} when present) and match, with the current key
 * or, during a rotation, the previous one. When the account sets {@code site_tag}, a postback whose
 * {@code Ecom_Ezic_AccountAndSitetag} ({@code <account>:<site tag>}) names another site is {@code account-mismatch}.
 *
 * <p><b>Events.</b> Only the hosted-form postback is public: {@code Ecom_Ezic_Response_StatusCode} {@code 1} is a sale
 * and {@code 0} a failure; other codes ({@code F}, {@code T}, …) are unexplained and ignored unless {@code status_map}†
 * maps them. Rebill, cancellation and chargeback notifications are not known. The postback carries no currency: the
 * site's currency is the setting {@code default_currency}† (USD). {@code Ecom_Ezic_Response_IssueDate} is read in
 * {@code timezone}† (UTC).
 */
public final class NetbillingDriver implements ProcessorDriver {

    static final String INTEGRITY_KEY = "integrity_key";
    static final String BASIC_AUTH_PASSWORD = "basic_auth_password";
    static final String SITE_TAG = "site_tag";
    static final String BASIC_AUTH_USERNAME = "basic_auth_username";
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
                        "NETbilling payment form URL for checkouts, with Ecom_Cost_Total={amount} and"
                                + " fanz_checkout_id={checkout_id} ({amount_minor}, {currency}, {period_days} too); the"
                                + " integrity hash is added"),
                SettingSpec.optional(BASIC_AUTH_USERNAME, null,
                        "user name the postback's Basic credentials must carry with basic_auth_password; unset: any"),
                SettingSpec.optional(StatusMap.SETTING, null,
                        "additions to the status code map (built in 1:sale,0:failure), e.g. F:failure,T:ignore (†)"),
                SettingSpec.optional(DEFAULT_CURRENCY, "USD", "the currency of the NETbilling site: postbacks carry none (†)"),
                SettingSpec.optional(TIMEZONE, "UTC", "time zone of Ecom_Ezic_Response_IssueDate (†)"),
                SettingSpec.optional("ack_body", null, "answer body for accepted notifications (default OK)"));
    }

    @Override
    public List<SecretSpec> secrets() {
        return List.of(
                SecretSpec.optional(INTEGRITY_KEY, "NETbilling's Integrity Key: signs the checkout form's fields and checks"
                        + " them in postbacks (Ecom_Ezic_Security_HashValue_MD5); needed for checkouts"),
                SecretSpec.optional(BASIC_AUTH_PASSWORD, "password of the Basic credentials in the postback URL; without"
                        + " it the account needs an ip_allow_list"));
    }

    @Override
    public List<String> accountProblems(MerchantAccount account) {
        boolean password = account.secrets().current(BASIC_AUTH_PASSWORD).isPresent();
        boolean listed = account.ipAllowList() != null && !account.ipAllowList().isEmpty();
        if (account.setting(BASIC_AUTH_USERNAME).isPresent() && !password) {
            return List.of("a netbilling account with basic_auth_username needs the basic_auth_password secret too");
        }
        return password || listed ? List.of()
                : List.of("a netbilling account needs a basic_auth_password secret or a non-empty ip_allow_list:"
                        + " NETbilling signs nothing, so one of them must authenticate its postbacks");
    }

    @Override
    public Verification verify(Notification notification, MerchantAccount account) {
        return NetbillingVerifier.verify(notification, account);
    }

    @Override
    public Normalised normalise(Notification notification, MerchantAccount account) {
        return NetbillingPostback.normalise(notification, account);
    }

    /** The redirect to the hosted form, signed with NETbilling's integrity hash over every field of the link. */
    @Override
    public CheckoutAction checkout(CheckoutRequest request, MerchantAccount account) {
        return NetbillingCheckout.redirect(request, account);
    }
}
