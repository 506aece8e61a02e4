package com.fanzfinance.gateway.commercegate;

import static com.fanzfinance.gateway.commercegate.CommerceGateFixtures.ALLOW_LIST;
import static com.fanzfinance.gateway.commercegate.CommerceGateFixtures.account;
import static com.fanzfinance.gateway.commercegate.CommerceGateFixtures.posted;
import static com.fanzfinance.gateway.commercegate.CommerceGateFixtures.sale;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.SettingSpec;
import com.fanzfinance.gateway.Verification;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CommerceGateDriverTest {

    private static final UUID CHECKOUT = UUID.fromString("4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b");

    private final CommerceGateDriver driver = new CommerceGateDriver();

    private static Notification from(String peer) {
        return CommerceGateFixtures.post("", "application/x-www-form-urlencoded", "x=1", peer);
    }

    @Test
    void aSenderInTheAllowListIsVerifiedBySourceOnlyAndNeverWithASecret() {
        assertThat(driver.verify(posted(sale()), account())).isEqualTo(Verification.sourceOnly());
        assertThat(driver.verify(from("::ffff:192.0.2.200"), account())).isEqualTo(Verification.sourceOnly());
    }

    @Test
    void aSenderOutsideTheListOrUnreadableIsRefused() {
        for (String peer : List.of("198.51.100.7", "2001:db8::1", "not-an-address", "")) {
            assertThat(driver.verify(from(peer), account())).as(peer)
                    .isEqualTo(Verification.unauthenticated("source-not-allowed"));
        }
        assertThat(driver.verify(from("192.0.2.10"), account(Map.of(), List.of("192.0.2.0/99"))))
                .isEqualTo(Verification.unauthenticated("source-not-allowed"));
    }

    @Test
    void anAccountWithoutANonEmptyAllowListRefusesEveryNotificationAndSaysWhy() {
        for (List<String> list : Arrays.asList(null, List.<String>of())) {
            Verification verification = driver.verify(posted(sale()), account(Map.of(), list));
            assertThat(verification).as(String.valueOf(list)).isInstanceOf(Verification.Unauthenticated.class);
            assertThat(((Verification.Unauthenticated) verification).reason()).contains("ip_allow_list");
        }
    }

    @Test
    void declaresNoSecretAndNoDefaultRangesAndAnswersSuccess() {
        assertThat(driver.name()).isEqualTo("commercegate");
        assertThat(driver.secrets()).isEmpty();
        assertThat(driver.defaultSourceAddresses()).isEmpty();
        assertThat(driver.settings()).noneMatch(SettingSpec::required);
        assertThat(driver.settings()).extracting(SettingSpec::name).contains("form_field", "type_map", "checkout_field",
                "payment_url_template", "ack_body");
        assertThat(driver.settings()).filteredOn(setting -> setting.name().equals("ack_body"))
                .extracting(SettingSpec::defaultValue).containsExactly("SUCCESS");
        assertThat(driver.acknowledgement(account()).body()).isEqualTo("SUCCESS");
        assertThat(driver.acknowledgement(account(Map.of("ack_body", "OK"))).body()).isEqualTo("OK");
    }

    @Test
    void aCheckoutRedirectsToTheTemplateAndTheIdComesBackInCheckoutField() {
        CheckoutRequest ppv = new CheckoutRequest(CHECKOUT, "ppv", new BigDecimal("20.00"), 2000, "EUR", 30, 0,
                "Pay-per-view", null, null);
        String template = "https://secure.commercegate.com/pay?amount={amount}&currency={currency}&ref={checkout_id}";

        assertThat(driver.checkout(ppv, account(Map.of("payment_url_template", template))))
                .isEqualTo(new CheckoutAction.Redirect(
                        "https://secure.commercegate.com/pay?amount=20.00&currency=EUR&ref=" + CHECKOUT,
                        new CheckoutAction.PassThrough("fanz_checkout_id", CHECKOUT.toString())));
        assertThat(driver.checkout(ppv, account(Map.of("payment_url_template", template, "checkout_field", "ref")))
                .passThrough()).isEqualTo(new CheckoutAction.PassThrough("ref", CHECKOUT.toString()));
        assertThatThrownBy(() -> driver.checkout(ppv, account(Map.of(), ALLOW_LIST)))
                .isInstanceOf(CheckoutNotConfiguredException.class)
                .hasMessage("the merchant account has no setting payment_url_template");
        assertThatThrownBy(() -> driver.checkout(ppv, account(Map.of("payment_url_template", "https://x.test/pay"))))
                .isInstanceOf(CheckoutNotConfiguredException.class);
    }
}
