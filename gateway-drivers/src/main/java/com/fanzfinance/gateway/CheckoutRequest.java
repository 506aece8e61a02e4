package com.fanzfinance.gateway;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.UUID;

/**
 * A checkout the server has accepted and now needs the processor's payment link or invoice for.
 *
 * @param checkoutId  the checkout's id, passed through the processor and back in its notifications
 * @param product     {@code subscription}, {@code ppv}, {@code tip} or {@code bundle}
 * @param amount      the price as a decimal with the currency's scale (e.g. {@code 9.99})
 * @param amountMinor the price in minor units
 * @param currency    ISO 4217 code, upper case
 * @param periodDays  the billing period (subscriptions) or access period
 * @param rebills     how many rebills a subscription allows
 * @param description a short text for the processor's payment page
 * @param returnUrl   where the processor sends the fan after paying, or {@code null}
 * @param cancelUrl   where the processor sends the fan after cancelling, or {@code null}
 */
public record CheckoutRequest(UUID checkoutId, String product, BigDecimal amount, long amountMinor, String currency,
                              int periodDays, int rebills, String description, String returnUrl, String cancelUrl) {

    public CheckoutRequest {
        Objects.requireNonNull(checkoutId, "checkoutId");
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(description, "description");
    }

    public boolean isSubscription() {
        return product.equals("subscription");
    }
}
