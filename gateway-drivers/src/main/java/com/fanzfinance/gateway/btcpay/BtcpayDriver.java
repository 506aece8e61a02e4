package com.fanzfinance.gateway.btcpay;

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
 * BTCPay Server (self-hosted crypto payments), Greenfield API webhooks: a JSON POST signed in {@code BTCPay-Sig}
 * with {@code sha256=} and the hex HMAC-SHA256 of the raw body, keyed with the webhook's secret. The store is
 * checked too: an event's {@code storeId} other than the account's {@code store_id} is {@code account-mismatch}.
 * BTCPay publishes no sender addresses (it is self-hosted), so there is no default address check.
 *
 * <p>BTCPay's events carry no amount: a settled invoice's notice has none, and the server takes the amount of the
 * checkout the invoice was made for ({@code metadata.orderId}, else the invoice id the checkout's invoice got). The
 * setting {@code confirm_with_api} (default {@code false}) is for the server: with it on, it fetches the invoice
 * ({@code GET /api/v1/stores/{storeId}/invoices/{invoiceId}} with the {@code api_key}) before acknowledging. Crypto
 * payments cannot be charged back and BTCPay refunds are payouts, not invoice events: the driver reports sales
 * only (and failures, expirations and progress, which move no money).
 */
public final class BtcpayDriver implements ProcessorDriver {

    static final String SERVER_URL = "server_url";
    static final String STORE_ID = "store_id";
    static final String CONFIRM_WITH_API = "confirm_with_api";
    static final String WEBHOOK_SECRET = "webhook_secret";
    static final String API_KEY = "api_key";

    @Override
    public String name() {
        return "btcpay";
    }

    @Override
    public String paymentMethod() {
        return "crypto";
    }

    @Override
    public List<SettingSpec> settings() {
        return List.of(
                SettingSpec.required(SERVER_URL, "the BTCPay Server's base URL, e.g. https://btcpay.example.com"),
                SettingSpec.required(STORE_ID, "the BTCPay store id: webhooks of another store are refused"),
                SettingSpec.optional(CONFIRM_WITH_API, "false",
                        "true: the server confirms each invoice through the Greenfield API before acknowledging"),
                SettingSpec.optional("ack_body", null, "answer body for accepted notifications (default OK)"));
    }

    @Override
    public List<SecretSpec> secrets() {
        return List.of(
                SecretSpec.required(WEBHOOK_SECRET, "the store webhook's secret: checks the BTCPay-Sig HMAC-SHA256"),
                SecretSpec.optional(API_KEY, "Greenfield API key (Authorization: token) for creating invoices; without "
                        + "it the platform creates them from the checkout's request body"));
    }

    @Override
    public Verification verify(Notification notification, MerchantAccount account) {
        return BtcpayVerifier.verify(notification, account);
    }

    @Override
    public Normalised normalise(Notification notification, MerchantAccount account) {
        return BtcpayNormaliser.normalise(notification);
    }

    @Override
    public CheckoutAction checkout(CheckoutRequest request, MerchantAccount account) {
        return BtcpayInvoices.checkout(request, account);
    }

    @Override
    public CheckoutAction.Redirect invoiceCreated(CheckoutAction.CreateInvoice invoice, ProviderResponse response) {
        return BtcpayInvoices.invoiceCreated(invoice, response);
    }
}
