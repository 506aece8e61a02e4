package com.fanzfinance.gateway.segpay;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checkout redirect built from the account's {@code payment_url_template}: the merchant's Segpay payment
 * page URL with the placeholders {@code {checkout_id}}, {@code {amount}} ({@code 10.00}), {@code {amount_minor}},
 * {@code {currency}} and {@code {period_days}} replaced by their URL-encoded values. A template that is not an
 * http(s) URL, names another placeholder or lacks {@code {checkout_id}} (without which the sale could not be
 * matched to its checkout) is not configured.
 */
final class PaymentUrlTemplate {

    static final String SETTING = "payment_url_template";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]*)}");

    private PaymentUrlTemplate() {
    }

    static CheckoutAction.Redirect redirect(CheckoutRequest request, MerchantAccount account, String passThroughField) {
        String template = account.setting(SETTING).map(String::trim).orElseThrow(
                () -> new CheckoutNotConfiguredException("the merchant account has no setting " + SETTING));
        String lower = template.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
            throw new CheckoutNotConfiguredException(SETTING + " is not an http(s) URL");
        }
        String checkoutId = request.checkoutId().toString();
        Matcher placeholders = PLACEHOLDER.matcher(template);
        StringBuilder url = new StringBuilder();
        boolean passesCheckoutId = false;
        while (placeholders.find()) {
            String name = placeholders.group(1);
            String value = switch (name) {
                case "checkout_id" -> checkoutId;
                case "amount" -> request.amount().toPlainString();
                case "amount_minor" -> Long.toString(request.amountMinor());
                case "currency" -> request.currency().toUpperCase(Locale.ROOT);
                case "period_days" -> Integer.toString(request.periodDays());
                default -> throw new CheckoutNotConfiguredException(
                        SETTING + " has an unknown placeholder {" + name + "}");
            };
            passesCheckoutId |= name.equals("checkout_id");
            placeholders.appendReplacement(url, Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        }
        placeholders.appendTail(url);
        if (!passesCheckoutId) {
            throw new CheckoutNotConfiguredException(SETTING + " lacks the {checkout_id} placeholder");
        }
        try {
            if (new URI(url.toString()).getHost() == null) {
                throw new CheckoutNotConfiguredException(SETTING + " has no host");
            }
        } catch (URISyntaxException e) {
            throw new CheckoutNotConfiguredException(SETTING + " does not make a valid URL");
        }
        return new CheckoutAction.Redirect(url.toString(), new CheckoutAction.PassThrough(passThroughField, checkoutId));
    }
}
