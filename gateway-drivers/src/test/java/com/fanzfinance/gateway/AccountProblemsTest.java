package com.fanzfinance.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * Drivers whose authentication rests on a combination of settings, secrets and {@code ip_allow_list} name what an
 * account lacks, so that the server refuses the account instead of rejecting every notification later.
 */
class AccountProblemsTest {
    private static final ProcessorDrivers DRIVERS = ProcessorDrivers.load();

    private static MerchantAccount account(String processor, Map<String, String> settings, Map<String, String> secrets,
                                           List<String> ipAllowList) {
        return new MerchantAccount(UUID.randomUUID(), "t", processor, List.of("USD"), settings,
            MerchantAccount.Secrets.of(secrets), ipAllowList, "https://pay.example.test/hooks/" + processor + "/x");
    }

    private static List<String> problems(String processor, Map<String, String> settings, Map<String, String> secrets,
                                         List<String> ipAllowList) {
        return DRIVERS.driver(processor).orElseThrow().accountProblems(account(processor, settings, secrets, ipAllowList));
    }

    @Test
    void commerceGateNeedsANonEmptyAllowList() {
        assertThat(problems("commercegate", Map.of(), Map.of(), null)).singleElement().asString().contains("ip_allow_list");
        assertThat(problems("commercegate", Map.of(), Map.of(), List.of())).hasSize(1);
        assertThat(problems("commercegate", Map.of(), Map.of(), List.of("192.0.2.0/24"))).isEmpty();
    }

    @Test
    void netbillingNeedsAPostbackPasswordOrAnAllowList() {
        assertThat(problems("netbilling", Map.of(), Map.of(), List.of())).singleElement().asString()
            .contains("basic_auth_password").contains("ip_allow_list");
        assertThat(problems("netbilling", Map.of(), Map.of("integrity_key", "k"), null))
            .as("the integrity key protects the form, not the sender").hasSize(1);
        assertThat(problems("netbilling", Map.of(), Map.of("basic_auth_password", "p"), null)).isEmpty();
        assertThat(problems("netbilling", Map.of(), Map.of(), List.of("192.0.2.0/24"))).isEmpty();
        assertThat(problems("netbilling", Map.of("basic_auth_username", "u"), Map.of(), List.of("192.0.2.0/24"))).hasSize(1);
    }

    @Test
    void segpayNeedsBothHalvesOfBasicOrAnAllowList() {
        assertThat(problems("segpay", Map.of(), Map.of(), null)).hasSize(1);
        assertThat(problems("segpay", Map.of("basic_auth_username", "u"), Map.of(), List.of("192.0.2.0/24")))
            .singleElement().asString().contains("both");
        assertThat(problems("segpay", Map.of(), Map.of("basic_auth_password", "p"), null)).hasSize(1);
        assertThat(problems("segpay", Map.of("basic_auth_username", "u"), Map.of("basic_auth_password", "p"), null)).isEmpty();
        assertThat(problems("segpay", Map.of(), Map.of(), List.of("192.0.2.0/24"))).isEmpty();
    }

    @Test
    void coinPaymentsRefusesV2UntilItsBodiesAreMappedAndUnknownVersions() {
        assertThat(problems("coinpayments", Map.of("merchant_id", "m"), Map.of("ipn_secret", "s"), null)).isEmpty();
        assertThat(problems("coinpayments", Map.of("merchant_id", "m", "api_version", "v2"), Map.of("ipn_secret", "s"), null))
            .singleElement().asString().contains("not supported yet");
        assertThat(problems("coinpayments", Map.of("merchant_id", "m", "api_version", "v9"), Map.of("ipn_secret", "s"), null))
            .hasSize(1);
    }

    @Test
    void driversWithOneRequiredSecretFindNothing() {
        assertThat(problems("verotel", Map.of("shop_id", "1"), Map.of(), null)).isEmpty();
    }
}
