package com.fanzfinance.gateway.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.PaymentKind;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The fixture API itself: what ledger-server's end-to-end tests rely on beyond the drivers' acceptance. */
class SimulatedProcessorsTest {

    private static final UUID CHECKOUT = UUID.fromString("4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b");
    private static final URI HOOK = URI.create("http://127.0.0.1:8080/hooks/ccbill/" + SimulatedAccount.ACCOUNT_ID);

    @Test
    void aPostBecomesAnHttpRequestToTheWebhookUrlWithItsQueryHeadersAndBody() {
        SimulatedRequest sale = SimulatedProcessors.ccbill().sale(CHECKOUT, "0117240102000000041", new BigDecimal("9.99"), "USD");

        HttpRequest request = sale.httpRequest(HOOK);

        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.uri().toString()).isEqualTo(HOOK + "?" + sale.rawQuery());
        assertThat(request.uri().getRawQuery()).contains("eventType=NewSaleSuccess", "clientAccnum=951492");
        assertThat(request.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(request.bodyPublisher()).get().extracting(HttpRequest.BodyPublisher::contentLength)
                .isEqualTo((long) sale.body().length);
        assertThat(sale.bodyText()).contains("\"X-fanz_checkout_id\":\"" + CHECKOUT + "\"", "\"accountingInitialPrice\":\"9.99\"");
    }

    @Test
    void aGetHasNoBodyAndNoContentType() {
        SimulatedRequest sale = SimulatedProcessors.verotel().sale(CHECKOUT, "99999991", new BigDecimal("12.31"), "EUR");

        HttpRequest request = sale.httpRequest(HOOK);

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.headers().firstValue("Content-Type")).isEmpty();
        assertThat(request.bodyPublisher()).get().extracting(HttpRequest.BodyPublisher::contentLength).isEqualTo(0L);
        assertThat(Notification.Parameters.parseForm(sale.rawQuery()).first("referenceID")).hasValue(CHECKOUT.toString());
        assertThat(Notification.Parameters.parseForm(sale.rawQuery()).first("signature")).get().asString().hasSize(64);
    }

    @Test
    void anIpnIsKeySortedCompactJsonWithItsSignatureHeader() {
        SimulatedRequest sale = SimulatedProcessors.nowPayments().sale(CHECKOUT, "5800567260", new BigDecimal("20.00"), "USD");

        assertThat(sale.bodyText()).startsWith("{\"actually_paid\":20,").doesNotContain(" ")
                .contains("\"payment_id\":5800567260,\"payment_status\":\"finished\",\"price_amount\":20,\"price_currency\":\"usd\"");
        assertThat(sale.header("x-nowpayments-sig")).matches("[0-9a-f]{128}");
        assertThat(sale.httpRequest(HOOK).headers().firstValue("x-nowpayments-sig")).hasValue(sale.header("x-nowpayments-sig"));
    }

    @Test
    void theSameCallGivesTheSameBytesAndAnotherIdOthers() {
        for (SimulatedProcessor simulator : SimulatedProcessors.all()) {
            SimulatedRequest sale = simulator.sale(CHECKOUT, "5800567260", new BigDecimal("9.99"), "USD");

            assertThat(simulator.sale(CHECKOUT, "5800567260", new BigDecimal("9.99"), "USD")).isEqualTo(sale)
                    .hasSameHashCodeAs(sale);
            assertThat(simulator.sale(CHECKOUT, "5800567261", new BigDecimal("9.99"), "USD")).isNotEqualTo(sale);
            assertThat(simulator.tamper(sale)).isNotEqualTo(sale);
        }
    }

    @Test
    void nowPaymentsHasNeitherRebillsNorChargebacks() {
        SimulatedProcessor nowPayments = SimulatedProcessors.nowPayments();

        assertThat(nowPayments.kinds()).containsExactlyInAnyOrder(PaymentKind.SALE, PaymentKind.REFUND);
        assertThatThrownBy(() -> nowPayments.rebill("1", "2", BigDecimal.ONE, "USD"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> nowPayments.chargeback("1", BigDecimal.ONE, "USD"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void tamperRefusesAnotherProcessorsRequest() {
        SimulatedRequest verotel = SimulatedProcessors.verotel().sale(CHECKOUT, "1", BigDecimal.ONE, "USD");
        SimulatedRequest nowPayments = SimulatedProcessors.nowPayments().sale(CHECKOUT, "1", BigDecimal.ONE, "USD");

        assertThatThrownBy(() -> SimulatedProcessors.nowPayments().tamper(verotel)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimulatedProcessors.verotel().tamper(nowPayments)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimulatedProcessors.ccbill().tamper(verotel)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signingWithOtherSecretsKeepsTheAccountButChangesTheSignature() {
        SimulatedProcessor verotel = SimulatedProcessors.verotel();
        SimulatedProcessor other = verotel.signingWith(Map.of("signature_key", "another-key"));

        assertThat(other.account().settings()).isEqualTo(verotel.account().settings());
        assertThat(other.sale(CHECKOUT, "1", BigDecimal.ONE, "USD")).isNotEqualTo(verotel.sale(CHECKOUT, "1", BigDecimal.ONE, "USD"));
    }

    @Test
    void theAccountAndTheRequestsNeverShowASecretInToString() {
        for (SimulatedProcessor simulator : SimulatedProcessors.all()) {
            if (simulator.account().secrets().isEmpty()) {
                continue; // CommerceGate: authenticated by source address alone, it has no secret to show
            }
            String shown = simulator.account() + " " + simulator.account().merchantAccount()
                    + simulator.sale(CHECKOUT, "1", BigDecimal.ONE, "USD");

            assertThat(simulator.account().secrets().values()).isNotEmpty().noneMatch(shown::contains);
        }
    }

    @Test
    void forProcessorFindsEachSimulatorByItsDriverName() {
        assertThat(SimulatedProcessors.forProcessor("ccbill")).get().extracting(SimulatedProcessor::processor).isEqualTo("ccbill");
        assertThat(SimulatedProcessors.forProcessor("nowpayments")).get().extracting(SimulatedProcessor::sourceAddress)
                .isEqualTo("51.89.194.21");
        assertThat(SimulatedProcessors.forProcessor("stripe")).isEmpty();
    }

    @Test
    void theBodyCannotBeChangedThroughTheRecord() {
        SimulatedRequest sale = SimulatedProcessors.nowPayments().sale(CHECKOUT, "1", BigDecimal.ONE, "USD");
        byte[] body = sale.body();
        body[0] = 'X';

        assertThat(sale.bodyText()).startsWith("{");
        assertThat(new String(sale.body(), StandardCharsets.UTF_8)).isEqualTo(sale.bodyText());
    }
}
