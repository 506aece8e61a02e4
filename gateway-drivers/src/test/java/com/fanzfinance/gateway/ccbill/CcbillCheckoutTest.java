package com.fanzfinance.gateway.ccbill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.testing.Notifications;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** FlexForms links; the digests of the 10.00 USD cases are CCBill's documented formDigest examples. */
class CcbillCheckoutTest {

    private static final String DOC_SALT = "7d901dad245fd0ff6bc20d06";
    private static final UUID CHECKOUT = UUID.fromString("0b6e3c8a-2f4d-4a1e-9c7b-5d8e6f1a2b3c");
    private static final String FLEX_ID = "08db4ae9-0000-0000-0000-e0275cf91c00";

    private final CcbillDriver driver = new CcbillDriver();

    private static MerchantAccount account(Map<String, String> settings, Map<String, String> secrets) {
        return Notifications.account("ccbill", settings, secrets);
    }

    private static MerchantAccount configured() {
        return account(Map.of("flex_id", FLEX_ID, "client_subacc", "0000", "client_accnum", "900000"),
                Map.of("salt", DOC_SALT));
    }

    private static CheckoutRequest request(String product, String amount, String currency, int periodDays, int rebills) {
        BigDecimal price = new BigDecimal(amount);
        return new CheckoutRequest(CHECKOUT, product, price, price.movePointRight(2).longValue(), currency,
                periodDays, rebills, "Test product", null, null);
    }

    @Test
    void aSingleBillingLinkCarriesTheDocumentedSingleFormDigest() {
        CheckoutAction action = driver.checkout(request("ppv", "10.00", "USD", 30, 0), configured());

        assertThat(action).isEqualTo(new CheckoutAction.Redirect(
                "https://api.ccbill.com/wap-frontflex/flexforms/08db4ae9-0000-0000-0000-e0275cf91c00"
                        + "?clientSubacc=0000&initialPrice=10.00&initialPeriod=30&currencyCode=840"
                        + "&formDigest=a7459445d0e5dc0963fe736dc5cf900b"
                        + "&fanz_checkout_id=0b6e3c8a-2f4d-4a1e-9c7b-5d8e6f1a2b3c",
                new CheckoutAction.PassThrough("X-fanz_checkout_id", "0b6e3c8a-2f4d-4a1e-9c7b-5d8e6f1a2b3c")));
    }

    @Test
    void aSubscriptionLinkCarriesTheDocumentedRecurringFormDigest() {
        CheckoutAction action = driver.checkout(request("subscription", "10", "USD", 30, 99), configured());

        assertThat(((CheckoutAction.Redirect) action).url()).isEqualTo(
                "https://api.ccbill.com/wap-frontflex/flexforms/08db4ae9-0000-0000-0000-e0275cf91c00"
                        + "?clientSubacc=0000&initialPrice=10.00&initialPeriod=30"
                        + "&recurringPrice=10.00&recurringPeriod=30&numRebills=99&currencyCode=840"
                        + "&formDigest=48f0b12e4307e64edb781c479665c899"
                        + "&fanz_checkout_id=0b6e3c8a-2f4d-4a1e-9c7b-5d8e6f1a2b3c");
    }

    @Test
    void aEuroSubscriptionUsesTheNumericEuroCode() {
        // md5("9.99" + "30" + "9.99" + "30" + "12" + "978" + salt), computed with md5sum.
        CheckoutAction action = driver.checkout(request("subscription", "9.99", "EUR", 30, 12), configured());

        assertThat(((CheckoutAction.Redirect) action).url()).contains(
                "?clientSubacc=0000&initialPrice=9.99&initialPeriod=30&recurringPrice=9.99&recurringPeriod=30"
                        + "&numRebills=12&currencyCode=978&formDigest=94f4edbb34aecc756e757913daa01496&");
    }

    @Test
    void parametersAreUrlEncoded() {
        MerchantAccount odd = account(Map.of("flex_id", "flex id/1", "client_subacc", "00 01&x=y"),
                Map.of("salt", DOC_SALT));

        String url = ((CheckoutAction.Redirect) driver.checkout(request("tip", "10.00", "USD", 30, 0), odd)).url();

        assertThat(url).startsWith("https://api.ccbill.com/wap-frontflex/flexforms/flex%20id%2F1?clientSubacc=00+01%26x%3Dy&");
    }

    @Test
    void aMissingFlexIdSubaccountOrSaltIsNotConfigured() {
        CheckoutRequest request = request("ppv", "10.00", "USD", 30, 0);
        Map<String, String> settings = Map.of("flex_id", FLEX_ID, "client_subacc", "0000");

        for (String missing : settings.keySet()) {
            Map<String, String> partial = new HashMap<>(settings);
            partial.remove(missing);
            assertThatThrownBy(() -> driver.checkout(request, account(partial, Map.of("salt", DOC_SALT))))
                    .isInstanceOf(CheckoutNotConfiguredException.class).hasMessageContaining(missing);
        }
        assertThatThrownBy(() -> driver.checkout(request, account(settings, Map.of())))
                .isInstanceOf(CheckoutNotConfiguredException.class).hasMessageContaining("salt");
    }

    @Test
    void aCurrencyOutsideCcbillsTableOrAPriceWithThreeDecimalsIsNotConfigured() {
        assertThatThrownBy(() -> driver.checkout(request("ppv", "10.00", "BRL", 30, 0), configured()))
                .isInstanceOf(CheckoutNotConfiguredException.class).hasMessageContaining("BRL");
        assertThatThrownBy(() -> driver.checkout(request("ppv", "10.005", "USD", 30, 0), configured()))
                .isInstanceOf(CheckoutNotConfiguredException.class).hasMessageNotContaining(DOC_SALT);
    }
}
