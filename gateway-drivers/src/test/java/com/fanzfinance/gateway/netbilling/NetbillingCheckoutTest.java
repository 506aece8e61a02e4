package com.fanzfinance.gateway.netbilling;

import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.KEY;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.keyed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.SecretSpec;
import com.fanzfinance.gateway.SettingSpec;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NetbillingCheckoutTest {

    private static final UUID CHECKOUT = UUID.fromString("4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b");
    private static final String TEMPLATE = "https://secure.netbilling.com/gw/native/join2.2?Ecom_Ezic_AccountAndSitetag=104901072025%3ATEST"
            + "&Ecom_Cost_Total={amount}&minor={amount_minor}&fanz_currency={currency}&days={period_days}"
            + "&fanz_checkout_id={checkout_id}";

    private final NetbillingDriver driver = new NetbillingDriver();

    private static CheckoutRequest subscription() {
        return new CheckoutRequest(CHECKOUT, "subscription", new BigDecimal("10.00"), 1000, "usd", 30, 12, "Monthly",
                null, null);
    }

    @Test
    void theTemplateBecomesARedirectWithEncodedValuesAndTheIdComesBackAsFanzCheckoutId() {
        CheckoutAction action = driver.checkout(subscription(), keyed(Map.of("payment_url_template", TEMPLATE)));

        assertThat(action).isEqualTo(new CheckoutAction.Redirect(
                "https://secure.netbilling.com/gw/native/join2.2?Ecom_Ezic_AccountAndSitetag=104901072025%3ATEST"
                        + "&Ecom_Cost_Total=10.00&minor=1000&fanz_currency=USD&days=30"
                        + "&fanz_checkout_id=4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b",
                new CheckoutAction.PassThrough("fanz_checkout_id", CHECKOUT.toString())));
    }

    @Test
    void aMissingOrUnusableTemplateIsNotConfigured() {
        Map<String, String> bad = Map.of(
                "", "the merchant account has no setting payment_url_template",
                "https://pay.example.test/join?total={amount}", "payment_url_template lacks the {checkout_id} placeholder",
                "https://pay.example.test/join?id={checkout_id}&p={price}", "payment_url_template has an unknown placeholder {price}",
                "/join?id={checkout_id}", "payment_url_template is not an absolute http(s) URL",
                "javascript:alert({checkout_id})", "payment_url_template is not an absolute http(s) URL",
                "https://pay example/{checkout_id}", "payment_url_template is not a valid URL");
        bad.forEach((template, message) -> assertThatThrownBy(() ->
                driver.checkout(subscription(), keyed(Map.of("payment_url_template", template)))).as(template)
                .isInstanceOf(CheckoutNotConfiguredException.class).hasMessage(message));
    }

    @Test
    void aTemplateCarryingTheKeyIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> driver.checkout(subscription(),
                keyed(Map.of("payment_url_template", TEMPLATE + "&fanz_key=" + KEY))))
                .isInstanceOf(CheckoutNotConfiguredException.class)
                .hasMessageContaining("must not carry the integrity_key").hasMessageNotContaining(KEY);
    }

    @Test
    void declaresItsSettingsTheOptionalKeyAndAnswersOk() {
        assertThat(driver.name()).isEqualTo("netbilling");
        assertThat(driver.settings()).extracting(SettingSpec::name).containsExactly("site_tag", "payment_url_template",
                "basic_auth_username", "status_map", "currency_field", "default_currency", "timezone",
                "ack_body");
        assertThat(driver.settings()).noneMatch(SettingSpec::required);
        assertThat(driver.secrets()).containsExactly(new SecretSpec("integrity_key", false, driver.secrets().get(0).description()));
        assertThat(driver.defaultSourceAddresses()).isEmpty();
        assertThat(driver.acknowledgement(keyed()).body()).isEqualTo("OK");
        assertThat(driver.acknowledgement(keyed(Map.of("ack_body", "received"))).body()).isEqualTo("received");
    }
}
