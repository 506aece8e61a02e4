package com.fanzfinance.gateway.segpay;

import com.fanzfinance.gateway.support.PaymentUrlTemplate;
import com.fanzfinance.gateway.Acknowledgement;
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
 * Segpay: postbacks are URL templates the merchant configures in Segpay's Merchant Portal, so every field arrives
 * under the name the template gives it, normally in the query of a GET (a form body is read too). The driver reads
 * the template of the payments API:
 *
 * <pre>
 * ?postback=trans&amp;trantype=&lt;trantype&gt;&amp;action=&lt;action&gt;&amp;stage=&lt;stage&gt;&amp;approved=&lt;approved&gt;
 *  &amp;purchaseid=&lt;purchaseid&gt;&amp;tranid=&lt;tranid&gt;&amp;relatedtranid=&lt;relatedtranid&gt;&amp;price=&lt;price&gt;
 *  &amp;currencycode=&lt;currencycode&gt;&amp;transtime=&lt;transtime&gt;&amp;fanz_checkout_id=&lt;extra fanz_checkout_id&gt;
 * </pre>
 *
 * and the same with {@code postback=cancel|disable|enable|inquiry|reactivate} for the member-management
 * postbacks (see {@link SegpayPostback} for the kinds).
 *
 * <p>Segpay signs nothing. A notification is authentic by HTTP Basic credentials (setting
 * {@code basic_auth_username}, secret {@code basic_auth_password}, the previous password accepted during a
 * rotation's grace period) and/or by the account's {@code ip_allow_list}, which the server checks before
 * {@link #verify}; an account with neither accepts nothing. With Basic credentials configured they are always
 * required; with only an allow-list the notification is {@code SOURCE_ONLY}. Basic credentials prove who sent a
 * postback, not what it says: anyone holding them can send any content, so they belong on HTTPS only. Segpay's
 * source ranges are not public, so there is no default address check.
 *
 * <p>Uncertain facts (payments API †): Segpay's "Expected Response" matching (the setting {@code expected_response},
 * default {@code OK}, is what the driver answers; {@code ack_body} overrides it); the time zone of {@code transtime}
 * (documented as GMT in a US format such as {@code 7/28/2008 3:38:43 PM}; setting {@code timezone}, default
 * {@code UTC}, and ISO-8601 is read as well).
 */
public final class SegpayDriver implements ProcessorDriver {

    static final String BASIC_AUTH_USERNAME = "basic_auth_username";
    static final String BASIC_AUTH_PASSWORD = "basic_auth_password";
    static final String EXPECTED_RESPONSE = "expected_response";
    static final String TIMEZONE = "timezone";
    static final String ACK_BODY = "ack_body";

    @Override
    public String name() {
        return "segpay";
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(
                SettingSpec.optional(BASIC_AUTH_USERNAME, null,
                        "HTTP Basic user name of the postback URLs (with the secret basic_auth_password); "
                                + "this or an ip_allow_list is required"),
                SettingSpec.optional(EXPECTED_RESPONSE, "OK",
                        "the Expected Response configured for the postbacks in Segpay's Merchant Portal"),
                SettingSpec.optional(TIMEZONE, "UTC", "time zone of transtime when it carries no offset (Segpay: GMT)"),
                SettingSpec.optional(PaymentUrlTemplate.SETTING, null,
                        "Segpay payment page URL for checkouts, with {checkout_id} (sent as the extra "
                                + "x-fanz_checkout_id), {amount}, {amount_minor}, {currency}, {period_days}"),
                SettingSpec.optional(ACK_BODY, null, "answer body for accepted notifications (overrides expected_response)"));
    }

    @Override
    public List<SecretSpec> secrets() {
        return List.of(SecretSpec.optional(BASIC_AUTH_PASSWORD,
                "HTTP Basic password of the postback URLs (with the setting basic_auth_username)"));
    }

    @Override
    public List<String> accountProblems(MerchantAccount account) {
        boolean username = account.setting(BASIC_AUTH_USERNAME).isPresent();
        boolean password = account.secrets().current(BASIC_AUTH_PASSWORD).isPresent();
        if (username != password) {
            return List.of("a segpay account's Basic credentials need both basic_auth_username and basic_auth_password");
        }
        boolean listed = account.ipAllowList() != null && !account.ipAllowList().isEmpty();
        return username || listed ? List.of()
                : List.of("a segpay account needs basic_auth_username and basic_auth_password, or a non-empty"
                        + " ip_allow_list: one of them must authenticate its postbacks");
    }

    @Override
    public Verification verify(Notification notification, MerchantAccount account) {
        return SegpayVerifier.verify(notification, account);
    }

    @Override
    public Normalised normalise(Notification notification, MerchantAccount account) {
        return SegpayPostback.normalise(notification, account);
    }

    /** {@code ack_body} when set, else the Portal's Expected Response ({@code expected_response}, default {@code OK}). */
    @Override
    public Acknowledgement acknowledgement(MerchantAccount account) {
        return Acknowledgement.text(account.setting(ACK_BODY).orElseGet(() -> account.setting(EXPECTED_RESPONSE, "OK")));
    }

    /**
     * A redirect to the merchant's Segpay payment page from {@code payment_url_template}; the checkout id goes out
     * as the extra {@code x-fanz_checkout_id} and comes back in the postback template's {@code fanz_checkout_id}.
     */
    @Override
    public CheckoutAction checkout(CheckoutRequest request, MerchantAccount account) {
        return PaymentUrlTemplate.redirect(request, account, SegpayPostback.CHECKOUT_ID);
    }
}
