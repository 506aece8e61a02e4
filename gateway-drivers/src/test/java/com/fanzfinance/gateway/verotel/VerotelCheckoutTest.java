package com.fanzfinance.gateway.verotel;

import static com.fanzfinance.gateway.verotel.VerotelFixtures.KEY;
import static com.fanzfinance.gateway.verotel.VerotelFixtures.SHOP;
import static com.fanzfinance.gateway.verotel.VerotelFixtures.account;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.ProcessorDrivers;
import com.fanzfinance.gateway.Verification;
import com.fanzfinance.gateway.testing.Notifications;
import java.math.BigDecimal;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VerotelCheckoutTest {

    private static final UUID CHECKOUT = UUID.fromString("0b7f3c2e-5d1a-4e8b-9c6f-2a4d8e1f3b5c");
    private static final MerchantAccount.Secrets SECRETS = MerchantAccount.Secrets.of(Map.of("signature_key", KEY));

    private final VerotelDriver driver = new VerotelDriver();

    private static CheckoutRequest subscription() {
        return new CheckoutRequest(CHECKOUT, "subscription", new BigDecimal("9.99"), 999, "USD", 30, 99,
                "GirlFanz monthly: Jane", null, null);
    }

    private static CheckoutRequest ppv() {
        return new CheckoutRequest(CHECKOUT, "ppv", new BigDecimal("4.50"), 450, "EUR", 30, 0,
                "Photo set “Beach” – ppv", "https://girlfanz.example/back", null);
    }

    /** Expected URLs signed outside Java (Python hashlib, quote_plus) with the test key. */
    @Test
    void subscriptionRedirectIsExact() {
        CheckoutAction action = driver.checkout(subscription(), account());
        assertThat(action).isEqualTo(new CheckoutAction.Redirect(
                "https://secure.verotel.com/startorder?shopID=122965&priceAmount=9.99&priceCurrency=USD"
                        + "&description=GirlFanz+monthly%3A+Jane&type=subscription&subscriptionType=recurring&period=P30D"
                        + "&referenceID=0b7f3c2e-5d1a-4e8b-9c6f-2a4d8e1f3b5c&custom1=0b7f3c2e-5d1a-4e8b-9c6f-2a4d8e1f3b5c"
                        + "&signature=bbdf21d2f6ebbfb9bf1bd979bf4b44ae85b0746be55b7887ed63bb89bb6a1b19",
                new CheckoutAction.PassThrough("referenceID", CHECKOUT.toString())));
    }

    @Test
    void purchaseRedirectOnTheBrandsHostIsExact() {
        MerchantAccount cardBilling = account(Map.of("shop_id", SHOP, "brand", "CardBilling"), SECRETS);
        CheckoutAction action = driver.checkout(ppv(), cardBilling);
        assertThat(((CheckoutAction.Redirect) action).url()).isEqualTo(
                "https://secure.billing.creditcard/startorder?shopID=122965&priceAmount=4.50&priceCurrency=EUR"
                        + "&description=Photo+set+%E2%80%9CBeach%E2%80%9D+%E2%80%93+ppv&type=purchase"
                        + "&referenceID=0b7f3c2e-5d1a-4e8b-9c6f-2a4d8e1f3b5c&custom1=0b7f3c2e-5d1a-4e8b-9c6f-2a4d8e1f3b5c"
                        + "&signature=04586b24442fbbb2c449695823eaff45a0b6ce68555559c7ebacc53ac657f918");
        assertThat(action.passThrough()).isEqualTo(new CheckoutAction.PassThrough("referenceID", CHECKOUT.toString()));
    }

    @Test
    void checkoutSignaturesVerifyThroughThePostbackPath() {
        for (CheckoutRequest request : new CheckoutRequest[] {subscription(), ppv()}) {
            String url = ((CheckoutAction.Redirect) driver.checkout(request, account())).url();
            String query = URI.create(url).getRawQuery();
            assertThat(driver.verify(Notifications.get("verotel", query, "203.0.113.9"), account()))
                    .isEqualTo(Verification.current());
            String tampered = query.replace("priceAmount=", "priceAmount=1");
            assertThat(driver.verify(Notifications.get("verotel", tampered, "203.0.113.9"), account()))
                    .isEqualTo(Verification.unauthenticated("signature"));
        }
    }

    @Test
    void everyBrandHasItsHost() {
        Map<String, String> hosts = Map.of("verotel", "secure.verotel.com", "cardbilling", "secure.billing.creditcard",
                "bitsafepay", "secure.bitsafepay.com", "bill", "secure.bill.creditcard",
                "gaycharge", "secure.gaycharge.com", "yoursafedirect", "secure.yoursafedirect.com");
        hosts.forEach((brand, host) -> {
            MerchantAccount branded = account(Map.of("shop_id", SHOP, "brand", brand), SECRETS);
            String url = ((CheckoutAction.Redirect) driver.checkout(ppv(), branded)).url();
            assertThat(url).startsWith("https://" + host + "/startorder?shopID=122965&");
        });
        assertThat(VerotelBrand.values()).hasSize(hosts.size());
    }

    @Test
    void unknownBrandOrMissingShopOrKeyIsNotConfigured() {
        assertThatThrownBy(() -> driver.checkout(ppv(), account(Map.of("shop_id", SHOP, "brand", "paintfest"), SECRETS)))
                .isInstanceOf(CheckoutNotConfiguredException.class).hasMessageContaining("paintfest");
        assertThatThrownBy(() -> driver.checkout(ppv(), account(Map.of(), SECRETS)))
                .isInstanceOf(CheckoutNotConfiguredException.class).hasMessageContaining("shop_id");
        assertThatThrownBy(() -> driver.checkout(ppv(), account(Map.of("shop_id", SHOP), MerchantAccount.Secrets.NONE)))
                .isInstanceOf(CheckoutNotConfiguredException.class).hasMessageContaining("signature_key");
    }

    @Test
    void theDriverIsFoundByNameAndDescribesItsSettings() {
        assertThat(ProcessorDrivers.load().driver("verotel")).containsInstanceOf(VerotelDriver.class);
        assertThat(driver.settings()).extracting(spec -> spec.name() + "=" + spec.defaultValue() + "/" + spec.required())
                .containsExactly("shop_id=null/true", "brand=verotel/false", "accept_sha1=true/false");
        assertThat(driver.secrets()).extracting(spec -> spec.name() + "/" + spec.required())
                .containsExactly("signature_key/true");
        assertThat(driver.acknowledgement(account()).body()).isEqualTo("OK");
    }
}
