package com.fanzfinance.gateway.coinpayments;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.ProviderRequest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checkouts for CoinPayments: the create-transaction request the platform makes itself,
 * {@code {"amount":"20.00","currency1":"USD","custom":<checkout id>,"ipn_url":<webhook URL>}} (the platform adds
 * the coin the fan pays with, {@code currency2}, and signs the call with its private API key). Every IPN of the
 * transaction carries the checkout id back in {@code custom}. The request names the legacy API endpoint for the
 * platform's information; the server never calls it, as the account holds no API key.
 */
final class CoinPaymentsInvoices {

    static final String LEGACY_API_URL = "https://www.coinpayments.net/api.php";
    static final String CUSTOM = "custom";
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private CoinPaymentsInvoices() {
    }

    static CheckoutAction.CreateInvoice checkout(CheckoutRequest request, MerchantAccount account) {
        if (account.setting(CoinPaymentsDriver.MERCHANT_ID).isEmpty()) {
            throw new CheckoutNotConfiguredException("the coinpayments merchant account has no merchant_id");
        }
        String checkoutId = request.checkoutId().toString();
        ProviderRequest call = new ProviderRequest("POST", LEGACY_API_URL, Map.of("Content-Type", "application/json"),
                Set.of(), body(request, checkoutId, account.webhookUrl()));
        return new CheckoutAction.CreateInvoice(call, new CheckoutAction.PassThrough(CUSTOM, checkoutId));
    }

    private static String body(CheckoutRequest request, String checkoutId, String webhookUrl) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("amount", request.amount().toPlainString());
            json.writeStringField("currency1", request.currency().toUpperCase(Locale.ROOT));
            json.writeStringField(CUSTOM, checkoutId);
            json.writeStringField("ipn_url", webhookUrl);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }
}
