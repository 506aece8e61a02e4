package com.fanzfinance.gateway.nowpayments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.ProviderAnswerException;
import com.fanzfinance.gateway.ProviderResponse;
import com.fanzfinance.gateway.testing.Notifications;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NowPaymentsInvoicesTest {

    private static final UUID CHECKOUT = UUID.fromString("0b7e4a52-9c1d-4f3e-8a2b-5d6c7e8f9a01");
    private static final String WEBHOOK = "https://pay.example.test/hooks/nowpayments/6f1c5a52-3a5e-4c2e-9a7e-0d5f4d1b2c3a";
    private static final String API_KEY = "K0E4XNV-TEST-KEY";

    private final NowPaymentsDriver driver = new NowPaymentsDriver();

    private static CheckoutRequest request(String returnUrl, String cancelUrl) {
        return new CheckoutRequest(CHECKOUT, "ppv", new BigDecimal("20.00"), 2000, "USD", 30, 0, "Clip 7",
                returnUrl, cancelUrl);
    }

    private static MerchantAccount account(Map<String, String> settings, Map<String, String> secrets) {
        return Notifications.account("nowpayments", settings, secrets);
    }

    private CheckoutAction.CreateInvoice invoice(CheckoutRequest request, MerchantAccount account) {
        CheckoutAction action = driver.checkout(request, account);
        assertThat(action).isInstanceOf(CheckoutAction.CreateInvoice.class);
        return (CheckoutAction.CreateInvoice) action;
    }

    @Test
    void checkoutCreatesAnInvoiceWithTheExactBody() {
        CheckoutAction.CreateInvoice invoice = invoice(request(null, null),
                account(Map.of(), Map.of("ipn_secret", "s", "api_key", API_KEY)));
        assertThat(invoice.request().method()).isEqualTo("POST");
        assertThat(invoice.request().url()).isEqualTo("https://api.nowpayments.io/v1/invoice");
        assertThat(invoice.request().body()).isEqualTo("{\"price_amount\":20.00,\"price_currency\":\"usd\","
                + "\"order_id\":\"0b7e4a52-9c1d-4f3e-8a2b-5d6c7e8f9a01\",\"ipn_callback_url\":\"" + WEBHOOK + "\"}");
        assertThat(invoice.request().headers())
                .containsExactly(Map.entry("x-api-key", API_KEY), Map.entry("Content-Type", "application/json"));
        assertThat(invoice.request().secretHeaders()).containsExactly("x-api-key");
        assertThat(invoice.request().toString()).doesNotContain(API_KEY);
        assertThat(invoice.passThrough())
                .isEqualTo(new CheckoutAction.PassThrough("order_id", "0b7e4a52-9c1d-4f3e-8a2b-5d6c7e8f9a01"));
    }

    @Test
    void returnAndCancelUrlsAreAddedWhenGiven() {
        CheckoutAction.CreateInvoice invoice = invoice(
                request("https://girlfanz.example/paid?c=1&d=\"x\"", "https://girlfanz.example/cancelled"),
                account(Map.of(), Map.of("api_key", API_KEY)));
        assertThat(invoice.request().body()).isEqualTo("{\"price_amount\":20.00,\"price_currency\":\"usd\","
                + "\"order_id\":\"0b7e4a52-9c1d-4f3e-8a2b-5d6c7e8f9a01\",\"ipn_callback_url\":\"" + WEBHOOK + "\","
                + "\"success_url\":\"https://girlfanz.example/paid?c=1&d=\\\"x\\\"\","
                + "\"cancel_url\":\"https://girlfanz.example/cancelled\"}");
    }

    @Test
    void priceKeepsTheCurrencysDecimals() {
        CheckoutRequest yen = new CheckoutRequest(CHECKOUT, "tip", new BigDecimal("1500"), 1500, "JPY", 30, 0,
                "Tip", null, null);
        assertThat(invoice(yen, account(Map.of(), Map.of())).request().body())
                .startsWith("{\"price_amount\":1500,\"price_currency\":\"jpy\",");
        CheckoutRequest cents = new CheckoutRequest(CHECKOUT, "tip", new BigDecimal("9.90"), 990, "EUR", 30, 0,
                "Tip", null, null);
        assertThat(invoice(cents, account(Map.of(), Map.of())).request().body())
                .startsWith("{\"price_amount\":9.90,\"price_currency\":\"eur\",");
    }

    @Test
    void withoutApiKeyTheRequestHasNoKeyHeader() {
        CheckoutAction.CreateInvoice invoice = invoice(request(null, null), account(Map.of(), Map.of("ipn_secret", "s")));
        assertThat(invoice.request().headers()).containsExactly(Map.entry("Content-Type", "application/json"));
        assertThat(invoice.request().publicBody()).contains("\"order_id\":\"0b7e4a52-9c1d-4f3e-8a2b-5d6c7e8f9a01\"");
    }

    @Test
    void apiBaseUrlSettingIsUsed() {
        CheckoutAction.CreateInvoice invoice = invoice(request(null, null),
                account(Map.of("api_base_url", "https://api-sandbox.nowpayments.io/"), Map.of()));
        assertThat(invoice.request().url()).isEqualTo("https://api-sandbox.nowpayments.io/v1/invoice");
    }

    @Test
    void createdInvoiceRedirectsToItsUrl() {
        CheckoutAction.CreateInvoice invoice = invoice(request(null, null), account(Map.of(), Map.of("api_key", API_KEY)));
        ProviderResponse answer = new ProviderResponse(200, """
                {"id":"4522625843","token_id":"Wvx5sJBkJy","order_id":"0b7e4a52-9c1d-4f3e-8a2b-5d6c7e8f9a01",
                 "order_description":null,"price_amount":"20.00","price_currency":"usd","pay_currency":null,
                 "ipn_callback_url":"%s","invoice_url":"https://nowpayments.io/payment/?iid=4522625843",
                 "success_url":null,"cancel_url":null,"created_at":"2026-12-01T12:00:01.000Z",
                 "updated_at":"2026-12-01T12:00:01.000Z"}
                """.formatted(WEBHOOK));
        assertThat(driver.invoiceCreated(invoice, answer)).isEqualTo(new CheckoutAction.Redirect(
                "https://nowpayments.io/payment/?iid=4522625843", invoice.passThrough()));
    }

    @Test
    void errorAnswersAreProviderErrorsWithoutTheKey() {
        CheckoutAction.CreateInvoice invoice = invoice(request(null, null), account(Map.of(), Map.of("api_key", API_KEY)));
        assertThatThrownBy(() -> driver.invoiceCreated(invoice, new ProviderResponse(401,
                "{\"status\":false,\"statusCode\":401,\"code\":\"INVALID_API_KEY\",\"message\":\"Invalid api key "
                        + API_KEY + "\"}")))
                .isInstanceOf(ProviderAnswerException.class)
                .hasMessage("nowpayments refused the invoice: HTTP 401 (INVALID_API_KEY: Invalid api key (secret))");
        assertThatThrownBy(() -> driver.invoiceCreated(invoice, new ProviderResponse(502, "<html>Bad gateway</html>")))
                .isInstanceOf(ProviderAnswerException.class)
                .hasMessage("nowpayments refused the invoice: HTTP 502");
    }

    @Test
    void successWithoutAUsableInvoiceUrlIsAProviderError() {
        CheckoutAction.CreateInvoice invoice = invoice(request(null, null), account(Map.of(), Map.of("api_key", API_KEY)));
        for (String body : new String[] {"", "{}", "{\"invoice_url\":null}", "{\"invoice_url\":\"javascript:alert(1)\"}",
                "{\"invoice_url\":\"/payment/?iid=1\"}", "[\"https://nowpayments.io/payment/?iid=1\"]"}) {
            assertThatThrownBy(() -> driver.invoiceCreated(invoice, new ProviderResponse(200, body)))
                    .as(body).isInstanceOf(ProviderAnswerException.class)
                    .hasMessage("nowpayments answered no usable invoice_url (HTTP 200)");
        }
    }

    @Test
    void anInvoiceForAnotherOrderIsAProviderError() {
        CheckoutAction.CreateInvoice invoice = invoice(request(null, null), account(Map.of(), Map.of("api_key", API_KEY)));
        assertThatThrownBy(() -> driver.invoiceCreated(invoice, new ProviderResponse(201,
                "{\"order_id\":\"another\",\"invoice_url\":\"https://nowpayments.io/payment/?iid=1\"}")))
                .isInstanceOf(ProviderAnswerException.class)
                .hasMessageContaining("another order_id");
    }
}
