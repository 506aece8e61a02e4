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
    void everyWiseDetailButTheBankAndTheAddressIsMasked() {
        assertThat(ApiRails.masked("details.IBAN")).isTrue();
        assertThat(ApiRails.masked("details.accountNumber")).isTrue();
        assertThat(ApiRails.masked("details.clabe")).isTrue();
        assertThat(ApiRails.masked("details.cardNumber")).isTrue();
        assertThat(ApiRails.masked("account_number")).isTrue();
        assertThat(ApiRails.masked("iban")).isTrue();
        assertThat(ApiRails.masked("details.sortCode")).isFalse();
        assertThat(ApiRails.masked("details.address.city")).isFalse();
        assertThat(ApiRails.masked("address")).isFalse();
        assertThat(ApiRails.masked("email")).isFalse();
    }

    @Test
    void railUrlsAreHttpsButOnThisMachine() {
        assertThat(ApiRails.urlProblem("https://api.wise.com")).isEmpty();
        assertThat(ApiRails.urlProblem("http://127.0.0.1:8545")).isEmpty();
        assertThat(ApiRails.urlProblem("http://localhost:3000/api")).isEmpty();
        assertThat(ApiRails.urlProblem("http://[::1]:8545")).isEmpty();
        assertThat(ApiRails.urlProblem("http://api.wise.com")).contains("must be https (http only for localhost)");
        assertThat(ApiRails.urlProblem("ftp://example.com")).contains("must be https (http only for localhost)");
        assertThat(ApiRails.urlProblem("not a url")).isPresent();
        assertThat(ApiRails.urlProblem("/relative")).contains("must be an absolute http(s) URL");
    }

    @Test
    void aDestinationKeyIsTheSameForTheSameDetailsInAnyOrderAndDiffersForOthers() {
        Map<String, String> one = new java.util.LinkedHashMap<>();
        one.put("type", "iban");
        one.put("details.IBAN", "DE89370400440532013000");
        Map<String, String> same = new java.util.LinkedHashMap<>();
        same.put("details.IBAN", "DE89370400440532013000");
        same.put("type", "iban");
        assertThat(RailRunner.destinationKey(one)).isEqualTo(RailRunner.destinationKey(same)).hasSize(64);
        assertThat(RailRunner.destinationKey(Map.of("type", "iban", "details.IBAN", "FR1420041010050500013M02606")))
            .isNotEqualTo(RailRunner.destinationKey(one));
    }
}
