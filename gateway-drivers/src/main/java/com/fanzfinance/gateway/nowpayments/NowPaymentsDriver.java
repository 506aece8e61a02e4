package com.fanzfinance.gateway.nowpayments;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.ProcessorDriver;
import com.fanzfinance.gateway.ProviderResponse;
import com.fanzfinance.gateway.SecretSpec;
import com.fanzfinance.gateway.SettingSpec;
import com.fanzfinance.gateway.Verification;
import java.util.List;

/**
 * NOWPayments (crypto): IPNs signed with HMAC-SHA512 of the key-sorted JSON body, and checkouts as invoices
 * created through its API. NOWPayments' published sender addresses are only suggestions, so there is no default
 * address check; the signature is what authenticates. Crypto payments cannot be charged back, and NOWPayments
 * invoices are one-off: a subscription's later periods need new checkouts.
 */
public final class NowPaymentsDriver implements ProcessorDriver {

    static final String API_BASE_URL = "api_base_url";
    static final String DEFAULT_API_BASE_URL = "https://api.nowpayments.io";
    static final String IPN_SECRET = "ipn_secret";
    static final String API_KEY = "api_key";

    @Override
    public String name() {
        return "nowpayments";
    }

    @Override
    public String paymentMethod() {
        return "crypto";
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(
                SettingSpec.optional(API_BASE_URL, DEFAULT_API_BASE_URL,
                        "NOWPayments API base URL (https://api-sandbox.nowpayments.io for the sandbox)"),
                SettingSpec.optional("ack_body", null, "answer body for accepted notifications (default OK)"));
    }

    @Override
    public List<SecretSpec> secrets() {
        return List.of(
                SecretSpec.required(IPN_SECRET, "IPN secret key: checks the x-nowpayments-sig HMAC-SHA512 of IPNs"),
                SecretSpec.optional(API_KEY, "API key (x-api-key) for creating invoices; without it the platform "
                        + "creates them from the checkout's request body"));
    }

    @Override
    public Verification verify(Notification notification, MerchantAccount account) {
        return NowPaymentsVerifier.verify(notification, account);
    }

    @Override
    public Normalised normalise(Notification notification, MerchantAccount account) {
        return NowPaymentsNormaliser.normalise(notification);
    }

    @Override
    public CheckoutAction checkout(CheckoutRequest request, MerchantAccount account) {
        return NowPaymentsInvoices.checkout(request, account);
    }

    @Override
    public CheckoutAction.Redirect invoiceCreated(CheckoutAction.CreateInvoice invoice, ProviderResponse response) {
        return NowPaymentsInvoices.invoiceCreated(invoice, response);
    }
}
