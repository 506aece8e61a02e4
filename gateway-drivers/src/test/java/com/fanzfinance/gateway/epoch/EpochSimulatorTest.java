package com.fanzfinance.gateway.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.gateway.Normalised;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.testing.SimulatedProcessor;
import com.fanzfinance.gateway.testing.SimulatedProcessors;
import com.fanzfinance.gateway.testing.SimulatedRequest;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What the Epoch and Segpay simulators promise beyond the conformance suite. */
class EpochSimulatorTest {

    private static final UUID CHECKOUT = UUID.fromString("4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b");

    @Test
    void epochDataPlusRowsAreOnlyInTheAccountsDataPlusCurrency() {
        SimulatedProcessor epoch = SimulatedProcessors.epoch();

        assertThat(epoch.sale(CHECKOUT, "1", BigDecimal.ONE, "EUR").bodyText()).contains("trans_currency=EUR");
        assertThatThrownBy(() -> epoch.refund("1", BigDecimal.ONE, "EUR")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DataPlus");
    }

    @Test
    void aSimulatedEpochRefundIsAKnownDataPlusRowWithItsTime() {
        SimulatedProcessor epoch = SimulatedProcessors.epoch();
        Notification refund = epoch.refund("5800567260", new BigDecimal("4.50"), "USD")
                .notification("/hooks/epoch/x", epoch.sourceAddress(), SimulatedProcessor.EVENT_TIME.plusSeconds(60));
        EpochDriver driver = new EpochDriver();

        assertThat(driver.verify(refund, epoch.account().merchantAccount())).isEqualTo(Verification.current());
        Normalised normalised = driver.normalise(refund, epoch.account().merchantAccount());
        assertThat(normalised).isInstanceOf(Normalised.Notice.class);
        assertThat(((Normalised.Notice) normalised).notice().occurredAt()).isEqualTo(Instant.parse("2026-12-01T11:59:30Z"));
        assertThat(((Normalised.Notice) normalised).notice().parentTransactionId()).isEqualTo("5800567260");
    }

    @Test
    void eachTamperRefusesTheOthersRequests() {
        SimulatedRequest segpay = SimulatedProcessors.segpay().sale(CHECKOUT, "1", BigDecimal.ONE, "USD");
        SimulatedRequest epoch = SimulatedProcessors.epoch().sale(CHECKOUT, "1", BigDecimal.ONE, "USD");
        SimulatedRequest verotel = SimulatedProcessors.verotel().sale(CHECKOUT, "1", BigDecimal.ONE, "USD");

        assertThatThrownBy(() -> SimulatedProcessors.epoch().tamper(segpay)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimulatedProcessors.segpay().tamper(epoch)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimulatedProcessors.segpay().tamper(verotel)).isInstanceOf(IllegalArgumentException.class);
        assertThat(SimulatedProcessors.forProcessor("segpay")).isPresent();
        assertThat(SimulatedProcessors.forProcessor("epoch")).isPresent();
    }
}
