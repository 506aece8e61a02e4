package com.fanzfinance.gateway.epoch;

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
 * Epoch: FlexPost postbacks (name-value pairs by GET query or POST form) signed with {@code epoch_digest}, the
 * HMAC-MD5 of the sorted pairs keyed with the merchant's HMAC key ({@link EpochDigest}); the previous key is
 * accepted during a rotation's grace period. A FlexPost reports a join: {@code ans} starting with {@code Y} is a
 * sale, with {@code N} a failure ({@link EpochFlexPost}). Rebills, refunds, chargebacks and cancellations come as
 * DataPlus rows ({@code ets_*} fields) when the merchant has them delivered over HTTPS ({@link EpochDataPlus}).
 * Epoch's suggested sender addresses are not authoritative, so there is no default address check.
 *
 * <p>Epoch's integration guides are behind its merchant login, so several facts are settings (payments API †):
 * <ul>
 *   <li>{@code strip_amp_eq} (default {@code false}): the digest variant of one public client that keeps empty
 *       values and strips {@code &} and {@code =} from names and values;</li>
 *   <li>DataPlus rows are checked with the same {@code epoch_digest}; {@code dataplus_source_only} (default
 *       {@code false}) accepts unsigned rows by source address alone when the account has an {@code ip_allow_list};</li>
 *   <li>{@code dataplus_currency} (default {@code USD}): DataPlus rows name no currency;</li>
 *   <li>{@code timezone} (default {@code UTC}): DataPlus times without an offset;</li>
 *   <li>{@code co_code}: the merchant's Epoch company code; a DataPlus row naming another is {@code account-mismatch};</li>
 *   <li>{@code post_test_transactions} (default {@code false}): whether {@code ans=YGOODTEST…} test joins are sales
 *       (else ignored).</li>
 * </ul>
 */
public final class EpochDriver implements ProcessorDriver {

    static final String HMAC_KEY = "hmac_key";
    static final String STRIP_AMP_EQ = "strip_amp_eq";
    static final String DATAPLUS_SOURCE_ONLY = "dataplus_source_only";
    static final String DATAPLUS_CURRENCY = "dataplus_currency";
    static final String TIMEZONE = "timezone";
    static final String CO_CODE = "co_code";
    static final String POST_TEST_TRANSACTIONS = "post_test_transactions";

    @Override
    public String name() {
        return "epoch";
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(
                SettingSpec.optional(STRIP_AMP_EQ, "false",
                        "true: epoch_digest keeps empty values and strips & and = from names and values"),
                SettingSpec.optional(DATAPLUS_CURRENCY, "USD", "currency of DataPlus ets_transaction_amount"),
                SettingSpec.optional(DATAPLUS_SOURCE_ONLY, "false",
                        "true: DataPlus rows without epoch_digest are accepted by the ip_allow_list alone"),
                SettingSpec.optional(TIMEZONE, "UTC", "time zone of DataPlus ets_transaction_date without an offset"),
                SettingSpec.optional(CO_CODE, null, "Epoch company code; DataPlus rows naming another are refused"),
                SettingSpec.optional(POST_TEST_TRANSACTIONS, "false", "true: YGOODTEST test joins post as sales"),
                SettingSpec.optional("payment_url_template", null,
                        "Epoch join URL for checkouts, with {checkout_id} (sent as x_fanz_checkout_id), {amount}, "
                                + "{amount_minor}, {currency}, {period_days}"),
                SettingSpec.optional("ack_body", null, "answer body for accepted notifications (default OK)"));
    }

    @Override
    public List<SecretSpec> secrets() {
        return List.of(SecretSpec.required(HMAC_KEY, "Epoch HMAC key: checks epoch_digest (HMAC-MD5) of postbacks"));
    }

    @Override
    public Verification verify(Notification notification, MerchantAccount account) {
        return EpochVerifier.verify(notification, account);
    }

    @Override
    public Normalised normalise(Notification notification, MerchantAccount account) {
        Notification.Parameters params = notification.parameters();
        if (params.nonBlank("ans").isPresent()) {
            return EpochFlexPost.normalise(params, account);
        }
        if (params.nonBlank(EpochDataPlus.TYPE).isPresent()) {
            return EpochDataPlus.normalise(params, account);
        }
        return new Normalised.Malformed("missing ans (FlexPost) and " + EpochDataPlus.TYPE + " (DataPlus)");
    }

    /** A redirect to the merchant's Epoch join URL from {@code payment_url_template}; the id returns as {@code x_fanz_checkout_id}. */
    @Override
    public CheckoutAction checkout(CheckoutRequest request, MerchantAccount account) {
        return PaymentUrlTemplate.redirect(request, account, EpochFlexPost.CHECKOUT_ID);
    }

    /** Only an explicit {@code true} turns a boolean setting on. */
    static boolean flag(MerchantAccount account, String setting) {
        return account.setting(setting, "false").trim().equalsIgnoreCase("true");
    }
}
