package com.fanzfinance.gateway.netbilling;

import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.KEY;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.PASSWORD;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.account;
import static com.fanzfinance.gateway.netbilling.NetbillingFixtures.keyed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.SecretSpec;
import com.fanzfinance.gateway.SettingSpec;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class NetbillingCheckoutTest {

    private static final UUID CHECKOUT = UUID.fromString("4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b");
    private static final String TEMPLATE = "https://secure.netbilling.com/gw/native/join2.2?Ecom_Ezic_AccountAndSitetag=104901072025%3ATEST"
            + "&Ecom_Cost_Total={amount}&minor={amount_minor}&Ecom_Receipt_Description=Fans%20{currency}&days={period_days}"
            + "&fanz_checkout_id={checkout_id}";

    private final NetbillingDriver driver = new NetbillingDriver();

    private static CheckoutRequest subscription() {
        return new CheckoutRequest(CHECKOUT, "subscription", new BigDecimal("10.00"), 1000, "usd", 30, 12, "Monthly",
                null, null);
    }

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theTemplateBecomesARedirectSignedWithTheIntegrityHashOverEveryField() throws Exception {
        CheckoutAction action = driver.checkout(subscription(), keyed(Map.of("payment_url_template", TEMPLATE)));

        String hash = md5(KEY + "104901072025:TEST" + "10.00" + "1000" + "Fans USD" + "30" + CHECKOUT);
        assertThat(action).isEqualTo(new CheckoutAction.Redirect(
                "https://secure.netbilling.com/gw/native/join2.2?Ecom_Ezic_AccountAndSitetag=104901072025%3ATEST"
                        + "&Ecom_Cost_Total=10.00&minor=1000&Ecom_Receipt_Description=Fans%20USD&days=30"
                        + "&fanz_checkout_id=4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b"
                        + "&Ecom_Ezic_Security_HashFields=Ecom_Ezic_AccountAndSitetag%20Ecom_Cost_Total%20minor"
                        + "%20Ecom_Receipt_Description%20days%20fanz_checkout_id"
                        + "&Ecom_Ezic_Security_HashValue_MD5=" + hash,
                new CheckoutAction.PassThrough("fanz_checkout_id", CHECKOUT.toString())));
    }

    @Test
    void aCheckoutNeedsTheIntegrityKeyThePriceAndTheCheckoutIdInTheLink() {
        MerchantAccount unkeyed = account(Map.of("payment_url_template", TEMPLATE),
                MerchantAccount.Secrets.of(Map.of("basic_auth_password", PASSWORD)), null);
        assertThatThrownBy(() -> driver.checkout(subscription(), unkeyed)).isInstanceOf(CheckoutNotConfiguredException.class)
                .hasMessageContaining("integrity_key");
        Map<String, String> bad = Map.of(
                "https://pay.example.test/join?fanz_checkout_id={checkout_id}", "payment_url_template must pass Ecom_Cost_Total={amount}",
                "https://pay.example.test/join?Ecom_Cost_Total={amount}&id={checkout_id}",
                "payment_url_template must pass fanz_checkout_id={checkout_id}",
                "https://pay.example.test/join?Ecom_Cost_Total={amount}&Ecom_Cost_Total=1&fanz_checkout_id={checkout_id}",
                "payment_url_template names Ecom_Cost_Total twice",
                "https://pay.example.test/join?Ecom_Cost_Total={amount}&fanz_checkout_id={checkout_id}&Ecom_Ezic_Security_HashValue_MD5=0",
                "payment_url_template has a field the integrity hash cannot cover: 'Ecom_Ezic_Security_HashValue_MD5'");
        bad.forEach((template, message) -> assertThatThrownBy(() ->
                driver.checkout(subscription(), keyed(Map.of("payment_url_template", template)))).as(template)
                .isInstanceOf(CheckoutNotConfiguredException.class).hasMessage(message));
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
    void aTemplateCarryingASecretIsRefusedWithoutShowingIt() {
        for (String secret : new String[] {KEY, PASSWORD}) {
            assertThatThrownBy(() -> driver.checkout(subscription(),
                    keyed(Map.of("payment_url_template", TEMPLATE + "&x=" + secret))))
                    .isInstanceOf(CheckoutNotConfiguredException.class)
                    .hasMessageContaining("must not carry the").hasMessageNotContaining(secret);
        }
    }

    @Test
    void declaresItsSettingsTheOptionalSecretsAndAnswersOk() {
        assertThat(driver.name()).isEqualTo("netbilling");
        assertThat(driver.settings()).extracting(SettingSpec::name).containsExactly("site_tag", "payment_url_template",
                "basic_auth_username", "status_map", "default_currency", "timezone", "ack_body");
        assertThat(driver.settings()).noneMatch(SettingSpec::required);
        assertThat(driver.secrets()).extracting(SecretSpec::name).containsExactly("integrity_key", "basic_auth_password");
        assertThat(driver.secrets()).noneMatch(SecretSpec::required);
        assertThat(driver.defaultSourceAddresses()).isEmpty();
        assertThat(driver.acknowledgement(keyed()).body()).isEqualTo("OK");
        assertThat(driver.acknowledgement(keyed(Map.of("ack_body", "received"))).body()).isEqualTo("received");
    }
}
