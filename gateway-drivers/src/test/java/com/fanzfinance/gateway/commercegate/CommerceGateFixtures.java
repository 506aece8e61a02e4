package com.fanzfinance.gateway.commercegate;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.testing.Notifications;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Callbacks shaped as the one public handler (rodrigosobrero/ccm-commercegate {@code payapp/callback_views.py})
 * reads them: a form body whose one field, of a 21-character name the handler does not show, holds a URL-encoded
 * {@code <cgCallback>} document. No captured callback is public, so these are built here; {@code Amount} and
 * {@code Currency} are the driver's default names for elements that are not public.
 */
final class CommerceGateFixtures {

    /** A stand-in 21-character field name, like the handler's 22-character prefix minus {@code =}. */
    static final String FIELD = "cgCallbackXmlDocument";
    static final String PEER = "192.0.2.10";
    static final List<String> ALLOW_LIST = List.of("192.0.2.0/24");

    private CommerceGateFixtures() {
    }

    static MerchantAccount account(Map<String, String> settings, List<String> ipAllowList) {
        return new MerchantAccount(UUID.fromString("6f1c5a52-3a5e-4c2e-9a7e-0d5f4d1b2c3a"), "girlfanz", "commercegate",
                List.of("USD"), settings, MerchantAccount.Secrets.NONE, ipAllowList,
                "https://pay.example.test/hooks/commercegate/6f1c5a52");
    }

    static MerchantAccount account(Map<String, String> settings) {
        return account(settings, ALLOW_LIST);
    }

    static MerchantAccount account() {
        return account(Map.of());
    }

    static String cgCallback(String elements) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cgCallback>" + elements + "</cgCallback>";
    }

    static String sale() {
        return cgCallback("<TransactionType>SALE</TransactionType><TransactionID>CG-1001</TransactionID>"
                + "<UserID>U-77</UserID><Amount>9.99</Amount><Currency>usd</Currency>"
                + "<fanz_checkout_id>4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b</fanz_checkout_id>");
    }

    /** The document posted in {@link #FIELD}, encoded as the handler's {@code unquote_plus} expects. */
    static Notification posted(String xml) {
        return posted("", FIELD + "=" + URLEncoder.encode(xml, StandardCharsets.UTF_8));
    }

    static Notification posted(String query, String form) {
        return post(query, "application/x-www-form-urlencoded", form, PEER);
    }

    /** A POST from {@code peer} with that content type and body. */
    static Notification post(String query, String contentType, String body, String peer) {
        return new Notification("POST", "/hooks/commercegate/6f1c5a52", query, List.of(Map.entry("Content-Type", contentType)),
                body.getBytes(StandardCharsets.UTF_8), peer, Notifications.RECEIVED);
    }
}
