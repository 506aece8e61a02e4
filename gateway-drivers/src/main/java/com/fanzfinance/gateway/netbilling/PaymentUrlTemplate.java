package com.fanzfinance.gateway.netbilling;

import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The merchant's {@code payment_url_template}: an absolute http(s) URL with the placeholders {@code {checkout_id}},
 * {@code {amount}} ({@code 10.00}), {@code {amount_minor}}, {@code {currency}} and {@code {period_days}}, each
 * replaced by its URL-encoded value. A template that is missing, not an absolute http(s) URL, without
 * {@code {checkout_id}} (the id would never come back) or with an unknown placeholder is not configured.
 */
final class PaymentUrlTemplate {

    static final String SETTING = "payment_url_template";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]*)}");

    private PaymentUrlTemplate() {
    }

    /** The template with {@code request}'s values in place. */
    static String render(String template, CheckoutRequest request) {
        Map<String, String> values = Map.of(
                "checkout_id", request.checkoutId().toString(),
                "amount", request.amount().toPlainString(),
                "amount_minor", Long.toString(request.amountMinor()),
                "currency", request.currency().toUpperCase(Locale.ROOT),
                "period_days", Integer.toString(request.periodDays()));
        String trimmed = template.trim();
        if (!trimmed.contains("{checkout_id}")) {
            throw new CheckoutNotConfiguredException(SETTING + " has no {checkout_id} placeholder");
        }
        Matcher matcher = PLACEHOLDER.matcher(trimmed);
        StringBuilder url = new StringBuilder();
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new CheckoutNotConfiguredException(SETTING + " has an unknown placeholder {" + matcher.group(1) + "}");
            }
            matcher.appendReplacement(url, Matcher.quoteReplacement(URLEncoder.encode(value, StandardCharsets.UTF_8)));
        }
        matcher.appendTail(url);
        requireHttpUrl(url.toString());
        return url.toString();
    }

    private static void requireHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!uri.isAbsolute() || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
                throw new CheckoutNotConfiguredException(SETTING + " is not an absolute http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw new CheckoutNotConfiguredException(SETTING + " is not a valid URL");
        }
    }
}
