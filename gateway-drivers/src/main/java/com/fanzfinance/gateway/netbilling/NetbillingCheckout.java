package com.fanzfinance.gateway.netbilling;

import com.fanzfinance.gateway.CheckoutAction;
import com.fanzfinance.gateway.CheckoutNotConfiguredException;
import com.fanzfinance.gateway.CheckoutRequest;
import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.support.PaymentUrlTemplate;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;

/**
 * The checkout redirect: the account's {@code payment_url_template} rendered, then NETbilling's integrity hash over
 * every field of the link appended ({@link IntegrityHash}), so that NETbilling refuses the form if the fan changes any
 * of them. The link must carry the price as {@code Ecom_Cost_Total={amount}} and the checkout id as
 * {@code fanz_checkout_id={checkout_id}}, each once, and must not carry a secret or a hash of its own.
 */
final class NetbillingCheckout {

    private NetbillingCheckout() {
    }

    static CheckoutAction.Redirect redirect(CheckoutRequest request, MerchantAccount account) {
        String template = account.setting(PaymentUrlTemplate.SETTING).orElseThrow(() ->
                new CheckoutNotConfiguredException("the merchant account has no setting " + PaymentUrlTemplate.SETTING));
        String key = account.secrets().current(NetbillingDriver.INTEGRITY_KEY).orElseThrow(() ->
                new CheckoutNotConfiguredException("netbilling checkouts need the integrity_key secret (NETbilling's"
                        + " Integrity Key), which keeps the fan from changing the price"));
        for (String secret : List.of(NetbillingDriver.INTEGRITY_KEY, NetbillingDriver.BASIC_AUTH_PASSWORD)) {
            Optional<String> value = account.secrets().current(secret);
            if (value.isPresent() && template.contains(value.get())) {
                throw new CheckoutNotConfiguredException(PaymentUrlTemplate.SETTING + " must not carry the " + secret
                        + ": the fan sees the payment URL");
            }
        }
        String url = PaymentUrlTemplate.render(template, request);
        String query = URI.create(url).getRawQuery();
        List<Map.Entry<String, String>> fields = Notification.Parameters.parseForm(query == null ? "" : query).entries();
        Set<String> names = new HashSet<>();
        List<String> order = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (Map.Entry<String, String> field : fields) {
            String name = field.getKey();
            if (!names.add(name)) {
                throw new CheckoutNotConfiguredException(PaymentUrlTemplate.SETTING + " names " + name + " twice");
            }
            if (name.isEmpty() || name.contains(" ") || name.equals(IntegrityHash.FIELDS) || name.equals(IntegrityHash.VALUE)) {
                throw new CheckoutNotConfiguredException(PaymentUrlTemplate.SETTING + " has a field the integrity hash"
                        + " cannot cover: '" + name + "'");
            }
            order.add(name);
            values.add(field.getValue());
        }
        requireField(fields, NetbillingPostback.AMOUNT, request.amount().toPlainString(), "{amount}");
        requireField(fields, NetbillingDriver.CHECKOUT_FIELD, request.checkoutId().toString(), "{checkout_id}");
        if (order.size() > IntegrityHash.FIELDS_MAX) {
            throw new CheckoutNotConfiguredException(PaymentUrlTemplate.SETTING + " has more than "
                    + IntegrityHash.FIELDS_MAX + " fields");
        }
        StringJoiner signed = new StringJoiner("&", url + (query == null ? "?" : "&"), "");
        signed.add(IntegrityHash.FIELDS + "=" + encode(String.join(" ", order)));
        signed.add(IntegrityHash.VALUE + "=" + IntegrityHash.of(key, values));
        return new CheckoutAction.Redirect(signed.toString(),
                new CheckoutAction.PassThrough(NetbillingDriver.CHECKOUT_FIELD, request.checkoutId().toString()));
    }

    private static void requireField(List<Map.Entry<String, String>> fields, String name, String value, String placeholder) {
        boolean present = fields.stream().anyMatch(field -> field.getKey().equals(name) && field.getValue().equals(value));
        if (!present) {
            throw new CheckoutNotConfiguredException(PaymentUrlTemplate.SETTING + " must pass " + name + "=" + placeholder);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
