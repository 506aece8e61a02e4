package com.fanzfinance.server.payments.payouts;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fanzfinance.gateway.SecretSpec;
import com.fanzfinance.gateway.SettingSpec;
import com.fanzfinance.payouts.btc.BitcoinRail;
import com.fanzfinance.payouts.evm.Erc20Rail;
import com.fanzfinance.payouts.paxum.PaxumRail;
import com.fanzfinance.payouts.wise.WiseRail;
import com.fanzfinance.server.payments.AccountProvider;

import static org.assertj.core.api.Assertions.assertThat;

/** The server's view of the API rails agrees with their drivers. */
class ApiRailsTest {
    @Test
    void everySettingAndSecretTheServerTakesIsOneItsDriverReadsAndNoneIsMissing() {
        Map<String, List<List<String>>> drivers = Map.of(
            ApiRails.PAXUM, List.of(PaxumRail.SETTINGS, PaxumRail.SECRETS),
            ApiRails.WISE, List.of(WiseRail.SETTINGS, WiseRail.SECRETS),
            ApiRails.USDC_EVM, List.of(Erc20Rail.SETTINGS, Erc20Rail.SECRETS),
            ApiRails.BTC, List.of(BitcoinRail.SETTINGS, BitcoinRail.SECRETS));
        List<AccountProvider> providers = ApiRails.providers();
        assertThat(providers).extracting(AccountProvider::name).containsExactlyInAnyOrderElementsOf(drivers.keySet());
        for (AccountProvider provider : providers) {
            List<List<String>> driver = drivers.get(provider.name());
            assertThat(provider.settings()).extracting(SettingSpec::name).as(provider.name())
                .containsExactlyInAnyOrderElementsOf(driver.get(0));
            assertThat(provider.secrets()).extracting(SecretSpec::name).as(provider.name())
                .containsExactlyInAnyOrderElementsOf(driver.get(1));
        }
    }

    @Test
    void paxumAndWiseAccountsTakeAnyCurrencyTheyListTheChainRailsTheirOwn() {
        assertThat(RailAccounts.currencyProblem("paxum", "EUR")).isEmpty();
        assertThat(RailAccounts.currencyProblem("usdc_evm", "USDT")).isEmpty();
        assertThat(RailAccounts.currencyProblem("usdc_evm", "USD")).contains("usdc_evm pays in USDC or USDT only");
        assertThat(RailAccounts.currencyProblem("btc", "BTC")).isEmpty();
        assertThat(RailAccounts.currencyProblem("btc", "ETH")).contains("btc pays in BTC only");
        assertThat(RailAccounts.currencyProblem("ach", "EUR")).contains("ach pays in USD only");
    }

    @Test
    void onlyAccountNumbersAndIbansAreMasked() {
        assertThat(ApiRails.masked("details.IBAN")).isTrue();
        assertThat(ApiRails.masked("details.accountNumber")).isTrue();
        assertThat(ApiRails.masked("account_number")).isTrue();
        assertThat(ApiRails.masked("details.sortCode")).isFalse();
        assertThat(ApiRails.masked("address")).isFalse();
    }
}
