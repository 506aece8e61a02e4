package com.fanzfinance.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PaymentNoticeTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "NULL", value = {
        "VISA, visa", "Visa Electron, visa", "MC, mastercard", "Master Card, mastercard", "MASTERCARD, mastercard",
        "AMEX, amex", "American Express, amex", "Discover, discover", "JCB, jcb", "Diners Club, diners",
        "Maestro, other", "VS, visa", "MC, mastercard", "AX, amex", "'  ', NULL", "NULL, NULL"})
    void processorCardTypesMapToNetworks(String cardType, String network) {
        assertThat(PaymentNotice.cardNetworkOf(cardType)).isEqualTo(network);
    }

    @Test
    void aNoticeRefusesANetworkNameItDoesNotKnow() {
        PaymentNotice.Builder builder = PaymentNotice.builder(PaymentKind.SALE, "sale", "k").cardType("VISA");
        assertThat(builder.build().cardNetwork()).isEqualTo("visa");
        assertThatThrownBy(() -> new PaymentNotice(PaymentKind.SALE, "sale", null, null, null, "k", null, null, null, null,
            null, null, null, null, "Visa")).isInstanceOf(IllegalArgumentException.class);
    }
}
