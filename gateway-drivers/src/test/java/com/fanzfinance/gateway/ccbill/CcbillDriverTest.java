package com.fanzfinance.gateway.ccbill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fanzfinance.gateway.ProcessorDriver;
import com.fanzfinance.gateway.ProcessorDrivers;
import com.fanzfinance.gateway.SecretSpec;
import com.fanzfinance.gateway.SettingSpec;
import com.fanzfinance.gateway.support.SourceAddresses;
import com.fanzfinance.gateway.testing.Notifications;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CcbillDriverTest {

    @Test
    void theDriverIsFoundByItsName() {
        assertThat(ProcessorDrivers.load().driver("ccbill")).get().isInstanceOf(CcbillDriver.class);
    }

    @Test
    void settingsAndSecretsFollowTheApi() {
        ProcessorDriver driver = new CcbillDriver();

        assertThat(driver.settings()).extracting(SettingSpec::name).containsExactly(
                "client_accnum", "client_subacc", "flex_id", "denial_digest_field", "timezone", "ack_body");
        assertThat(driver.settings()).filteredOn(spec -> spec.defaultValue() != null)
                .extracting(SettingSpec::name, SettingSpec::defaultValue)
                .containsExactly(tuple("denial_digest_field", "transactionId"),
                        tuple("timezone", "UTC"));
        assertThat(driver.settings()).noneMatch(SettingSpec::required);
        assertThat(driver.secrets()).extracting(SecretSpec::name, SecretSpec::required).containsExactly(tuple("salt", false));
    }

    @Test
    void theDefaultSourcesAreCcbillsFourRanges() {
        var ranges = new CcbillDriver().defaultSourceAddresses();

        assertThat(SourceAddresses.allowed("64.38.212.1", ranges)).isTrue();
        assertThat(SourceAddresses.allowed("64.38.215.254", ranges)).isTrue();
        assertThat(SourceAddresses.allowed("64.38.240.100", ranges)).isTrue();
        assertThat(SourceAddresses.allowed("64.38.241.9", ranges)).isTrue();
        assertThat(SourceAddresses.allowed("64.38.213.1", ranges)).isFalse();
        assertThat(SourceAddresses.allowed("64.38.242.1", ranges)).isFalse();
    }

    @Test
    void theAcknowledgementIsOkUnlessTheAccountSetsAnother() {
        ProcessorDriver driver = new CcbillDriver();

        assertThat(driver.acknowledgement(Notifications.account("ccbill", Map.of(), Map.of())).body()).isEqualTo("OK");
        assertThat(driver.acknowledgement(Notifications.account("ccbill", Map.of("ack_body", "THANKS"), Map.of())).body())
                .isEqualTo("THANKS");
    }
}
