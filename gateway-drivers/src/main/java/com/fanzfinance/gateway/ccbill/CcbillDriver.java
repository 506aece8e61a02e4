package com.fanzfinance.gateway.ccbill;

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
 * CCBill: webhooks (JSON or form body, event identity in the query) and FlexForms dynamic-pricing checkouts.
 * CCBill signs its webhooks only for dynamic-pricing sales, so authenticity rests mostly on CCBill's four source
 * ranges (the default allow-list) and the account number check; the salt is needed for checkouts and for the
 * digest of dynamic-pricing sales, not for every notification.
 */
public final class CcbillDriver implements ProcessorDriver {

    static final String CLIENT_ACCNUM = "client_accnum";
    static final String CLIENT_SUBACC = "client_subacc";
    static final String FLEX_ID = "flex_id";
    static final String DENIAL_DIGEST_FIELD = "denial_digest_field";
    static final String TIMEZONE = "timezone";
    static final String SALT = "salt";

    /** CCBill's webhook senders: 64.38.212.1–254, 64.38.215.1–254, 64.38.240.1–254, 64.38.241.1–254. */
    private static final List<String> SOURCE_ADDRESSES = List.of(
            "64.38.212.0/24", "64.38.215.0/24", "64.38.240.0/24", "64.38.241.0/24");

    @Override
    public String name() {
        return "ccbill";
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(
                SettingSpec.optional(CLIENT_ACCNUM, null, "CCBill main account number; notifications naming another are refused"),
                SettingSpec.optional(CLIENT_SUBACC, null, "CCBill sub-account the FlexForms checkout bills on"),
                SettingSpec.optional(FLEX_ID, null, "FlexForms form id of the checkout link"),
                SettingSpec.optional(DENIAL_DIGEST_FIELD, "transactionId",
                        "field whose value a declined sale's dynamicPricingValidationDigest covers"),
                SettingSpec.optional(TIMEZONE, "UTC", "time zone of CCBill's timestamps"),
                SettingSpec.optional("ack_body", null, "answer body for accepted notifications (default OK)"));
    }

    @Override
    public List<SecretSpec> secrets() {
        return List.of(SecretSpec.optional(SALT,
                "FlexForms encryption key (salt): signs checkout links and checks dynamic-pricing digests"));
    }

    @Override
    public List<String> defaultSourceAddresses() {
        return SOURCE_ADDRESSES;
    }

    @Override
    public Verification verify(Notification notification, MerchantAccount account) {
        return CcbillVerifier.verify(notification, account);
    }

    @Override
    public Normalised normalise(Notification notification, MerchantAccount account) {
        return CcbillNormaliser.normalise(notification, account);
    }

    @Override
    public CheckoutAction checkout(CheckoutRequest request, MerchantAccount account) {
        return CcbillCheckout.redirect(request, account);
    }
}
