package com.fanzfinance.gateway.coinpayments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.ProviderAnswerException;
import com.fanzfinance.gateway.ProviderResponse;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CoinPaymentsCheckoutTest {

    private static final UUID CHECKOUT = UUID.fromString("0b7e4a52-9c1d-4f3e-8a2b-5d6c7e8f9a01");
    private static final String WEBHOOK = "https://pay.example.test/hooks/coinpayments/6f1c5a52-3a5e-4c2e-9a7e-0d5f4d1b2c3a";

    private final CoinPaymentsDriver driver = new CoinPaymentsDriver();

    private static CheckoutRequest request() {
        return new CheckoutRequest(CHECKOUT, "ppv", new BigDecimal("20.00"), 2000, "usd", 30, 0, "Clip 7",
                "https://girlfanz.example/paid", null);
    }

    @Test
    void theCheckoutIsTheCreateTransactionRequestForThePlatform() {
        CheckoutAction action = driver.checkout(request(), CoinPaymentsSamples.account(Map.of("ipn_secret", "s")));

        assertThat(action).isInstanceOf(CheckoutAction.CreateInvoice.class);
        CheckoutAction.CreateInvoice invoice = (CheckoutAction.CreateInvoice) action;
        assertThat(invoice.request().publicBody()).isEqualTo("{\"amount\":\"20.00\",\"currency1\":\"USD\","
                + "\"custom\":\"0b7e4a52-9c1d-4f3e-8a2b-5d6c7e8f9a01\",\"ipn_url\":\"" + WEBHOOK + "\"}");
        assertThat(invoice.request().secretHeaders()).isEmpty();
        assertThat(invoice.request().headers()).doesNotContainKey("HMAC").containsEntry("Content-Type", "application/json");
        assertThat(invoice.passThrough()).isEqualTo(new CheckoutAction.PassThrough("custom", CHECKOUT.toString()));
        assertThatThrownBy(() -> driver.invoiceCreated(invoice, new ProviderResponse(200, "{}")))
                .isInstanceOf(ProviderAnswerException.class).hasMessageContaining("platform");
    }

    @Test
    void withoutMerchantIdTheCheckoutIsNotConfigured() {
        assertThatThrownBy(() -> driver.checkout(request(), CoinPaymentsSamples.account(Map.of(), Map.of("ipn_secret", "s"))))
                .isInstanceOf(CheckoutNotConfiguredException.class).hasMessageContaining("merchant_id");
    }

    @Test
    void declarationsFollowTheContract() {
        assertThat(driver.name()).isEqualTo("coinpayments");
        assertThat(driver.settings()).extracting(setting -> setting.name() + "=" + setting.required() + "/" + setting.defaultValue())
                .containsExactly("merchant_id=true/null", "api_version=false/legacy", "client_id=false/null",
                        "v2_url_form=false/full", "ack_body=false/null");
        assertThat(driver.secrets()).extracting(secret -> secret.name() + "=" + secret.required())
                .containsExactly("ipn_secret=true");
        assertThat(driver.defaultSourceAddresses()).isEmpty();
    }
}
