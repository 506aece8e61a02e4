package com.fanzfinance.gateway.btcpay;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.ProviderAnswerException;
import com.fanzfinance.gateway.ProviderRequest;
import com.fanzfinance.gateway.ProviderResponse;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checkouts as BTCPay invoices: {@code POST {server_url}/api/v1/stores/{store_id}/invoices} with the price as a
 * decimal string, its currency, and our checkout id as {@code metadata.orderId} (which every webhook event of the
 * invoice carries back); the answer's {@code checkoutLink} is the page the fan pays on. The API key goes in
 * {@code Authorization: token <api_key>}; without one the request still goes out without that header, and the
 * server hands its body to the platform instead of calling.
 */
final class BtcpayInvoices {

    static final String AUTHORIZATION = "Authorization";
    static final String ORDER_ID = "metadata.orderId";
    private static final int MAX_MESSAGE = 200;
    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private BtcpayInvoices() {
    }

    static CheckoutAction.CreateInvoice checkout(CheckoutRequest request, MerchantAccount account) {
        String server = serverUrl(account);
        String store = account.setting(BtcpayDriver.STORE_ID).map(String::trim).orElseThrow(
                () -> new CheckoutNotConfiguredException("the btcpay merchant account has no store_id"));
        Map<String, String> headers = new LinkedHashMap<>();
        account.secrets().current(BtcpayDriver.API_KEY).ifPresent(key -> headers.put(AUTHORIZATION, "token " + key));
        headers.put("Content-Type", "application/json");
        String checkoutId = request.checkoutId().toString();
        String url = server + "/api/v1/stores/" + URLEncoder.encode(store, StandardCharsets.UTF_8).replace("+", "%20")
                + "/invoices";
        ProviderRequest call = new ProviderRequest("POST", url, headers, Set.of(AUTHORIZATION), body(request, checkoutId));
        return new CheckoutAction.CreateInvoice(call, new CheckoutAction.PassThrough(ORDER_ID, checkoutId));
    }

    /** {@code server_url} without trailing slashes; an http(s) URL with a host. */
    private static String serverUrl(MerchantAccount account) {
        String server = account.setting(BtcpayDriver.SERVER_URL).map(String::trim).orElseThrow(
                () -> new CheckoutNotConfiguredException("the btcpay merchant account has no server_url"));
        while (server.endsWith("/")) {
            server = server.substring(0, server.length() - 1);
        }
        if (!isWebAddress(server)) {
            throw new CheckoutNotConfiguredException("the btcpay merchant account's server_url is not an http(s) URL");
        }
        return server;
    }

    /**
     * {@code {"amount":"20.00","currency":"USD","metadata":{"orderId":<id>}}}, plus {@code checkout.redirectURL}
     * when the checkout has a return URL.
     */
    private static String body(CheckoutRequest request, String checkoutId) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("amount", request.amount().toPlainString());
            json.writeStringField("currency", request.currency().toUpperCase(Locale.ROOT));
            json.writeObjectFieldStart("metadata");
            json.writeStringField("orderId", checkoutId);
            json.writeEndObject();
            if (request.returnUrl() != null && !request.returnUrl().isBlank()) {
                json.writeObjectFieldStart("checkout");
                json.writeStringField("redirectURL", request.returnUrl());
                json.writeEndObject();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** The redirect to the answer's {@code checkoutLink}, for the invoice {@code id} made for our checkout. */
    static CheckoutAction.Redirect invoiceCreated(CheckoutAction.CreateInvoice invoice, ProviderResponse response) {
        JsonNode answer = parse(response.body());
        if (!response.isSuccess()) {
            throw new ProviderAnswerException("btcpay refused the invoice: HTTP " + response.status()
                    + providerMessage(answer, invoice));
        }
        JsonNode link = answer.path("checkoutLink");
        if (!link.isTextual() || !isWebAddress(link.asText())) {
            throw new ProviderAnswerException("btcpay answered no usable checkoutLink (HTTP " + response.status() + ")");
        }
        JsonNode id = answer.path("id");
        if (!id.isTextual() || id.asText().isBlank() || id.asText().length() > 200) {
            throw new ProviderAnswerException("btcpay answered an invoice without id (HTTP " + response.status() + ")");
        }
        JsonNode orderId = answer.path("metadata").path("orderId");
        if (!orderId.isMissingNode() && !orderId.isNull() && !invoice.passThrough().value().equals(orderId.asText())) {
            throw new ProviderAnswerException("btcpay answered an invoice for another orderId");
        }
        return new CheckoutAction.Redirect(link.asText(), invoice.passThrough(), id.asText());
    }

    /** The answer as JSON: an object, or the array Greenfield answers validation errors with. */
    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node != null && node.isContainerNode() ? node : JSON.createObjectNode();
        } catch (IOException e) {
            return JSON.createObjectNode();
        }
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
     * Greenfield's problem text ({@code code} and {@code message}, or the first validation error's {@code path} and
     * {@code message}), shortened, stripped of control characters and of the API key should the answer echo it.
     */
    private static String providerMessage(JsonNode answer, CheckoutAction.CreateInvoice invoice) {
        JsonNode first = answer.isArray() ? answer.path(0) : answer;
        StringBuilder detail = new StringBuilder();
        for (String field : new String[] {"code", "path", "message"}) {
            JsonNode value = first.path(field);
            if (value.isValueNode() && !value.isNull()) {
                detail.append(detail.length() == 0 ? "" : ": ").append(value.asText());
            }
        }
        String text = detail.toString();
        String header = invoice.request().headers().get(AUTHORIZATION);
        if (header != null) {
            String key = header.startsWith("token ") ? header.substring("token ".length()) : header;
            if (!key.isEmpty()) {
                text = text.replace(key, "(secret)");
            }
        }
        text = text.replaceAll("\\p{Cntrl}", " ").strip();
        if (text.length() > MAX_MESSAGE) {
            text = text.substring(0, MAX_MESSAGE) + "…";
        }
        return text.isEmpty() ? "" : " (" + text + ")";
    }
}
