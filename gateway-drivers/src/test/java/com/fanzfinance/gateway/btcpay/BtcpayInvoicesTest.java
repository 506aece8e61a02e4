package com.fanzfinance.gateway.btcpay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.ProviderAnswerException;
import com.fanzfinance.gateway.ProviderResponse;
import com.fanzfinance.gateway.testing.Notifications;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class BtcpayInvoicesTest {

    private static final UUID CHECKOUT = UUID.fromString("0b7e4a52-9c1d-4f3e-8a2b-5d6c7e8f9a01");
    private static final String API_KEY = "1a2b3c4d5e6f-TEST-KEY";
    private static final String STORE = "BJKmPvug3KHVWyu1ECEiAstAQXFjJD1fX87EcgEhHVLT";

    private final BtcpayDriver driver = new BtcpayDriver();

    private static CheckoutRequest request(String returnUrl) {
        return new CheckoutRequest(CHECKOUT, "ppv", new BigDecimal("20.00"), 2000, "USD", 30, 0, "Clip 7", returnUrl, null);
    }

    private static MerchantAccount account(String serverUrl, Map<String, String> secrets) {
        Map<String, String> settings = new HashMap<>(Map.of("store_id", STORE));
        if (serverUrl != null) {
            settings.put("server_url", serverUrl);
        }
        return Notifications.account("btcpay", settings, secrets);
    }

    private CheckoutAction.CreateInvoice invoice(CheckoutRequest request, MerchantAccount account) {
        CheckoutAction action = driver.checkout(request, account);
        assertThat(action).isInstanceOf(CheckoutAction.CreateInvoice.class);
        return (CheckoutAction.CreateInvoice) action;
    }

    private CheckoutAction.CreateInvoice configured() {
        return invoice(request(null), account("https://btcpay.example.test", Map.of("webhook_secret", "s", "api_key", API_KEY)));
    }

    @Test
    void checkoutCreatesAnInvoiceWithTheExactBodyAndTheKeyAsASecretHeader() {
        CheckoutAction.CreateInvoice invoice = configured();

        assertThat(invoice.request().method()).isEqualTo("POST");
        assertThat(invoice.request().url()).isEqualTo("https://btcpay.example.test/api/v1/stores/" + STORE + "/invoices");
        assertThat(invoice.request().body()).isEqualTo(
                "{\"amount\":\"20.00\",\"currency\":\"USD\",\"metadata\":{\"orderId\":\"0b7e4a52-9c1d-4f3e-8a2b-5d6c7e8f9a01\"}}");
        assertThat(invoice.request().headers())
                .containsExactly(Map.entry("Authorization", "token " + API_KEY), Map.entry("Content-Type", "application/json"));
        assertThat(invoice.request().secretHeaders()).containsExactly("Authorization");
        assertThat(invoice.request().toString()).doesNotContain(API_KEY);
        assertThat(invoice.request().publicBody()).doesNotContain(API_KEY);
        assertThat(invoice.passThrough())
                .isEqualTo(new CheckoutAction.PassThrough("metadata.orderId", "0b7e4a52-9c1d-4f3e-8a2b-5d6c7e8f9a01"));
    }

    @Test
    void aReturnUrlBecomesTheCheckoutsRedirectUrl() {
        CheckoutAction.CreateInvoice invoice = invoice(request("https://girlfanz.example/paid?c=1"),
                account("https://btcpay.example.test/", Map.of()));
        assertThat(invoice.request().body()).isEqualTo("{\"amount\":\"20.00\",\"currency\":\"USD\","
                + "\"metadata\":{\"orderId\":\"0b7e4a52-9c1d-4f3e-8a2b-5d6c7e8f9a01\"},"
                + "\"checkout\":{\"redirectURL\":\"https://girlfanz.example/paid?c=1\"}}");
        assertThat(invoice.request().url()).isEqualTo("https://btcpay.example.test/api/v1/stores/" + STORE + "/invoices");
    }

    @Test
    void withoutApiKeyTheRequestHasNoAuthorisationAndIsForThePlatform() {
        CheckoutAction.CreateInvoice invoice = invoice(request(null), account("https://btcpay.example.test", Map.of()));
        assertThat(invoice.request().headers()).containsOnlyKeys("Content-Type");
    }

    @Test
    void theAmountKeepsTheCurrencysDecimals() {
        CheckoutRequest yen = new CheckoutRequest(CHECKOUT, "tip", new BigDecimal("1500"), 1500, "jpy", 30, 0, "Tip", null, null);
        assertThat(invoice(yen, account("https://btcpay.example.test", Map.of())).request().body())
                .startsWith("{\"amount\":\"1500\",\"currency\":\"JPY\",");
    }

    @Test
    void withoutServerUrlOrStoreOrWithAnUnusableServerUrlTheCheckoutIsNotConfigured() {
        assertThatThrownBy(() -> driver.checkout(request(null), account(null, Map.of())))
                .isInstanceOf(CheckoutNotConfiguredException.class).hasMessageContaining("server_url");
        assertThatThrownBy(() -> driver.checkout(request(null), account("ftp://btcpay.example.test", Map.of())))
                .isInstanceOf(CheckoutNotConfiguredException.class).hasMessageContaining("server_url");
        assertThatThrownBy(() -> driver.checkout(request(null), account("btcpay.example.test", Map.of())))
                .isInstanceOf(CheckoutNotConfiguredException.class);
        MerchantAccount noStore = Notifications.account("btcpay", Map.of("server_url", "https://btcpay.example.test"), Map.of());
        assertThatThrownBy(() -> driver.checkout(request(null), noStore))
                .isInstanceOf(CheckoutNotConfiguredException.class).hasMessageContaining("store_id");
    }

    @Test
    void aStoreIdIsEncodedAsOnePathSegment() {
        MerchantAccount odd = Notifications.account("btcpay",
                Map.of("server_url", "https://btcpay.example.test", "store_id", "a/b c?"), Map.of());
        assertThat(invoice(request(null), odd).request().url())
                .isEqualTo("https://btcpay.example.test/api/v1/stores/a%2Fb%20c%3F/invoices");
    }

    @Test
    void theAnswersCheckoutLinkIsTheRedirect() {
        CheckoutAction.CreateInvoice invoice = configured();
        String answer = "{\"id\":\"6wmoR7p5UFVzCYuwyiViKX\",\"storeId\":\"" + STORE + "\",\"amount\":\"20.00\","
                + "\"currency\":\"USD\",\"status\":\"New\",\"checkoutLink\":\"https://btcpay.example.test/i/6wmoR7p5UFVzCYuwyiViKX\","
                + "\"metadata\":{\"orderId\":\"0b7e4a52-9c1d-4f3e-8a2b-5d6c7e8f9a01\"}}";

        CheckoutAction.Redirect redirect = driver.invoiceCreated(invoice, new ProviderResponse(200, answer));

        assertThat(redirect.url()).isEqualTo("https://btcpay.example.test/i/6wmoR7p5UFVzCYuwyiViKX");
        assertThat(redirect.passThrough()).isEqualTo(invoice.passThrough());
        assertThat(redirect.processorReference()).as("the invoice id, which webhooks name as invoiceId")
                .isEqualTo("6wmoR7p5UFVzCYuwyiViKX");
    }

    @Test
    void unusableAnswersAreProviderErrorsWithoutTheKey() {
        CheckoutAction.CreateInvoice invoice = configured();

        assertThatThrownBy(() -> driver.invoiceCreated(invoice, new ProviderResponse(401,
                "{\"code\":\"unauthenticated\",\"message\":\"Bad key " + API_KEY + "\"}")))
                .isInstanceOf(ProviderAnswerException.class).hasMessageContaining("HTTP 401")
                .hasMessageContaining("unauthenticated").hasMessageNotContaining(API_KEY);
        assertThatThrownBy(() -> driver.invoiceCreated(invoice, new ProviderResponse(422,
                "[{\"path\":\"amount\",\"message\":\"Amount must be positive\"}]")))
                .isInstanceOf(ProviderAnswerException.class).hasMessageContaining("amount: Amount must be positive");
        assertThatThrownBy(() -> driver.invoiceCreated(invoice, new ProviderResponse(200, "{\"id\":\"X\"}")))
                .isInstanceOf(ProviderAnswerException.class).hasMessageContaining("checkoutLink");
        assertThatThrownBy(() -> driver.invoiceCreated(invoice, new ProviderResponse(200,
                "{\"id\":\"X\",\"checkoutLink\":\"javascript:alert(1)\"}")))
                .isInstanceOf(ProviderAnswerException.class).hasMessageContaining("checkoutLink");
        assertThatThrownBy(() -> driver.invoiceCreated(invoice, new ProviderResponse(200,
                "{\"checkoutLink\":\"https://btcpay.example.test/i/X\"}")))
                .isInstanceOf(ProviderAnswerException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> driver.invoiceCreated(invoice, new ProviderResponse(200,
                "{\"id\":\"X\",\"checkoutLink\":\"https://btcpay.example.test/i/X\",\"metadata\":{\"orderId\":\"other\"}}")))
                .isInstanceOf(ProviderAnswerException.class).hasMessageContaining("another orderId");
        assertThatThrownBy(() -> driver.invoiceCreated(invoice, new ProviderResponse(502, "<html>bad gateway</html>")))
                .isInstanceOf(ProviderAnswerException.class).hasMessage("btcpay refused the invoice: HTTP 502");
    }

    @Test
    void declarationsFollowTheContract() {
        assertThat(driver.name()).isEqualTo("btcpay");
        assertThat(driver.settings()).extracting(setting -> setting.name() + "=" + setting.required() + "/" + setting.defaultValue())
                .containsExactly("server_url=true/null", "store_id=true/null", "confirm_with_api=false/false",
                        "ack_body=false/null");
        assertThat(driver.secrets()).extracting(secret -> secret.name() + "=" + secret.required())
                .containsExactly("webhook_secret=true", "api_key=false");
        assertThat(driver.defaultSourceAddresses()).isEmpty();
        assertThat(driver.acknowledgement(account("https://btcpay.example.test", Map.of())).body()).isEqualTo("OK");
    }
}
