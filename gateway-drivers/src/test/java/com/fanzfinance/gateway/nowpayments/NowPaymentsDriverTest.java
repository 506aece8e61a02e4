package com.fanzfinance.gateway.nowpayments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fanzfinance.gateway.ProcessorDrivers;
import com.fanzfinance.gateway.SecretSpec;
import com.fanzfinance.gateway.SettingSpec;
import com.fanzfinance.gateway.testing.Notifications;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NowPaymentsDriverTest {

    private final NowPaymentsDriver driver = new NowPaymentsDriver();

    @Test
    void isFoundByServiceLoaderUnderItsName() {
        assertThat(ProcessorDrivers.load().driver("nowpayments")).get().isInstanceOf(NowPaymentsDriver.class);
    }

    @Test
    void declaresItsSettingsAndSecrets() {
        assertThat(driver.settings()).extracting(SettingSpec::name).containsExactly("api_base_url", "ack_body");
        assertThat(driver.settings().get(0).defaultValue()).isEqualTo("https://api.nowpayments.io");
        assertThat(driver.secrets()).extracting(SecretSpec::name, SecretSpec::required)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("ipn_secret", true),
                        org.assertj.core.groups.Tuple.tuple("api_key", false));
    }

    @Test
    void hasNoDefaultSourceAddressCheck() {
        assertThat(driver.defaultSourceAddresses()).isEmpty();
    }

    @Test
    void acknowledgesWithOkUnlessTheAccountSaysOtherwise() {
        assertThat(driver.acknowledgement(Notifications.account("nowpayments", Map.of(), Map.of())).body())
                .isEqualTo("OK");
        assertThat(driver.acknowledgement(Notifications.account("nowpayments", Map.of("ack_body", "received"),
                Map.of())).body()).isEqualTo("received");
    }
}
