package com.fanzfinance.gateway.support;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checkout redirect of processors whose payment page the merchant configures (Segpay, Epoch, NETbilling,
 * CommerceGate): the account's {@code payment_url_template}, an absolute http(s) URL with the placeholders
 * {@code {checkout_id}}, {@code {amount}} ({@code 10.00}), {@code {amount_minor}}, {@code {currency}} and
 * {@code {period_days}}, each replaced by its URL-encoded value. A template that is missing, not an absolute
 * http(s) URL, without {@code {checkout_id}} (the sale could never be matched to its checkout) or with an unknown
 * placeholder is not configured.
 */
public final class PaymentUrlTemplate {

    /** The setting's name. */
    public static final String SETTING = "payment_url_template";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]*)}");

    private PaymentUrlTemplate() {
    }

    /** The redirect for {@code request}, the processor echoing the checkout id in {@code passThroughField}. */
    public static CheckoutAction.Redirect redirect(CheckoutRequest request, MerchantAccount account, String passThroughField) {
        String template = account.setting(SETTING).orElseThrow(
                () -> new CheckoutNotConfiguredException("the merchant account has no setting " + SETTING));
        return new CheckoutAction.Redirect(render(template, request),
                new CheckoutAction.PassThrough(passThroughField, request.checkoutId().toString()));
    }

    /** The template with {@code request}'s values in place. */
    public static String render(String template, CheckoutRequest request) {
        Map<String, String> values = Map.of(
                "checkout_id", request.checkoutId().toString(),
                "amount", request.amount().toPlainString(),
                "amount_minor", Long.toString(request.amountMinor()),
                "currency", request.currency().toUpperCase(Locale.ROOT),
                "period_days", Integer.toString(request.periodDays()));
        String trimmed = template.trim();
        Matcher placeholders = PLACEHOLDER.matcher(trimmed);
        StringBuilder url = new StringBuilder();
        boolean passesCheckoutId = false;
        while (placeholders.find()) {
            String name = placeholders.group(1);
            String value = values.get(name);
            if (value == null) {
                throw new CheckoutNotConfiguredException(SETTING + " has an unknown placeholder {" + name + "}");
            }
            passesCheckoutId |= name.equals("checkout_id");
            placeholders.appendReplacement(url, Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        }
        placeholders.appendTail(url);
        if (!passesCheckoutId) {
            throw new CheckoutNotConfiguredException(SETTING + " lacks the {checkout_id} placeholder");
        }
        try {
            URI uri = new URI(url.toString());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                throw new CheckoutNotConfiguredException(SETTING + " is not an absolute http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw new CheckoutNotConfiguredException(SETTING + " is not a valid URL");
        }
        return url.toString();
    }
}
