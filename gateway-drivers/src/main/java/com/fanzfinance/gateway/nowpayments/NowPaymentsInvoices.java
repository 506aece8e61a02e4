package com.fanzfinance.gateway.nowpayments;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.ProviderAnswerException;
import com.fanzfinance.gateway.ProviderRequest;
import com.fanzfinance.gateway.ProviderResponse;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Checkouts as NOWPayments invoices: {@code POST /v1/invoice} with the fiat price, our checkout id as
 * {@code order_id} (which every IPN of the payment carries back) and the account's webhook URL as
 * {@code ipn_callback_url}; the answer's {@code invoice_url} is the page the fan pays on.
 */
final class NowPaymentsInvoices {

    static final String API_KEY_HEADER = "x-api-key";
    static final String ORDER_ID = "order_id";
    private static final String INVOICE_PATH = "/v1/invoice";
    private static final int MAX_MESSAGE = 200;
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private NowPaymentsInvoices() {
    }

    /**
     * The create-invoice call. Without an API key the request still goes out (without {@code x-api-key}): the
     * server then hands its body to the platform instead of calling.
     */
    static CheckoutAction.CreateInvoice checkout(CheckoutRequest request, MerchantAccount account) {
        String base = account.setting(NowPaymentsDriver.API_BASE_URL, NowPaymentsDriver.DEFAULT_API_BASE_URL);
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        account.secrets().current(NowPaymentsDriver.API_KEY).ifPresent(key -> headers.put(API_KEY_HEADER, key));
        headers.put("Content-Type", "application/json");
        String checkoutId = request.checkoutId().toString();
        ProviderRequest call = new ProviderRequest("POST", base + INVOICE_PATH, headers, Set.of(API_KEY_HEADER),
                body(request, checkoutId, account.webhookUrl()));
        return new CheckoutAction.CreateInvoice(call, new CheckoutAction.PassThrough(ORDER_ID, checkoutId));
    }

    /** {@code price_amount} is a JSON number written with the currency's decimals, e.g. {@code 20.00}. */
    private static String body(CheckoutRequest request, String checkoutId, String webhookUrl) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            json.writeStartObject();
            json.writeFieldName("price_amount");
            json.writeNumber(request.amount().toPlainString());
            json.writeStringField("price_currency", request.currency().toLowerCase(Locale.ROOT));
            json.writeStringField(ORDER_ID, checkoutId);
            json.writeStringField("ipn_callback_url", webhookUrl);
            if (request.returnUrl() != null) {
                json.writeStringField("success_url", request.returnUrl());
            }
            if (request.cancelUrl() != null) {
                json.writeStringField("cancel_url", request.cancelUrl());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** The redirect to the answer's {@code invoice_url}. */
    static CheckoutAction.Redirect invoiceCreated(CheckoutAction.CreateInvoice invoice, ProviderResponse response) {
        Map<String, Object> answer = LexicalJson.parseObject(response.body().getBytes(StandardCharsets.UTF_8))
                .orElse(Map.of());
        if (!response.isSuccess()) {
            throw new ProviderAnswerException("nowpayments refused the invoice: HTTP " + response.status()
                    + providerMessage(answer, invoice));
        }
        Object url = answer.get("invoice_url");
        if (!(url instanceof String invoiceUrl) || !isWebAddress(invoiceUrl)) {
            throw new ProviderAnswerException("nowpayments answered no usable invoice_url (HTTP " + response.status() + ")");
        }
        Object orderId = answer.get(ORDER_ID);
        if (orderId != null && !invoice.passThrough().value().equals(orderId)) {
            throw new ProviderAnswerException("nowpayments answered an invoice for another order_id");
        }
        return new CheckoutAction.Redirect(invoiceUrl, invoice.passThrough());
    }

    private static boolean isWebAddress(String url) {
        try {
            URI uri = new URI(url);
            return uri.isAbsolute() && uri.getHost() != null
                    && ("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /**
     * NOWPayments' {@code code} and {@code message}, shortened, stripped of control characters and of any value the
     * request sent in a secret header (an API echoing the key back must not put it into our problem text).
     */
    private static String providerMessage(Map<String, Object> answer, CheckoutAction.CreateInvoice invoice) {
        String detail = Stream.of(scalar(answer.get("code")), scalar(answer.get("message")))
                .flatMap(Optional::stream).collect(Collectors.joining(": "));
        for (String name : invoice.request().secretHeaders()) {
            String secret = invoice.request().headers().get(name);
            if (secret != null && !secret.isEmpty()) {
                detail = detail.replace(secret, "(secret)");
            }
        }
        detail = detail.replaceAll("\\p{Cntrl}", " ").strip();
        if (detail.length() > MAX_MESSAGE) {
            detail = detail.substring(0, MAX_MESSAGE) + "…";
        }
        return detail.isEmpty() ? "" : " (" + detail + ")";
    }

    private static Optional<String> scalar(Object value) {
        if (value instanceof String text) {
            return Optional.of(text);
        }
        if (value instanceof LexicalJson.Number number) {
            return Optional.of(number.lexeme());
        }
        return Optional.empty();
    }
}
