package com.fanzfinance.gateway.segpay;

import static com.fanzfinance.gateway.segpay.SegpayFixtures.account;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import java.math.BigDecimal;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SegpayCheckoutTest {

    private static final UUID CHECKOUT = UUID.fromString("0b7f3c2e-5d1a-4e8b-9c6f-2a4d8e1f3b5c");
    private static final CheckoutRequest SUBSCRIPTION = new CheckoutRequest(CHECKOUT, "subscription",
            new BigDecimal("10.00"), 1000, "usd", 30, 99, "Monthly", null, null);

    private final SegpayDriver driver = new SegpayDriver();

    private static MerchantAccount withTemplate(String template) {
        return account(Map.of("payment_url_template", template), MerchantAccount.Secrets.NONE, null);
    }

    @Test
    void theTemplatesPlaceholdersAreReplacedUrlEncoded() {
        CheckoutAction action = driver.checkout(SUBSCRIPTION, withTemplate(
                "https://secure2.segpay.com/billing/poset.cgi?x-eticketid=197834:21342&amount={amount}&minor={amount_minor}"
                        + "&currencycode={currency}&days={period_days}&x-fanz_checkout_id={checkout_id}"));

        assertThat(action).isEqualTo(new CheckoutAction.Redirect(
                "https://secure2.segpay.com/billing/poset.cgi?x-eticketid=197834:21342&amount=10.00&minor=1000"
                        + "&currencycode=USD&days=30&x-fanz_checkout_id=0b7f3c2e-5d1a-4e8b-9c6f-2a4d8e1f3b5c",
                new CheckoutAction.PassThrough("fanz_checkout_id", CHECKOUT.toString())));
    }

    @Test
    void withoutAUsableTemplateTheCheckoutIsNotConfigured() {
        assertThatThrownBy(() -> driver.checkout(SUBSCRIPTION, account())).isInstanceOf(CheckoutNotConfiguredException.class)
                .hasMessage("the merchant account has no setting payment_url_template");
        assertThatThrownBy(() -> driver.checkout(SUBSCRIPTION, withTemplate("https://secure2.segpay.com/billing/poset.cgi?amount={amount}")))
                .isInstanceOf(CheckoutNotConfiguredException.class).hasMessageContaining("{checkout_id}");
        assertThatThrownBy(() -> driver.checkout(SUBSCRIPTION, withTemplate("https://s.example/?id={checkout_id}&d={description}")))
                .isInstanceOf(CheckoutNotConfiguredException.class).hasMessageContaining("unknown placeholder {description}");
        assertThatThrownBy(() -> driver.checkout(SUBSCRIPTION, withTemplate("javascript:alert({checkout_id})")))
                .isInstanceOf(CheckoutNotConfiguredException.class).hasMessageContaining("not an absolute http(s) URL");
        assertThatThrownBy(() -> driver.checkout(SUBSCRIPTION, withTemplate("https://bad host/?id={checkout_id}")))
                .isInstanceOf(CheckoutNotConfiguredException.class);
    }
}
