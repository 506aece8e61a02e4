package com.fanzfinance.gateway.netbilling;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.testing.Notifications;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The public sample postback, and accounts and notifications around it. */
final class NetbillingFixtures {

    static final String KEY = "nb-test-key-7Hq2Lx9Vw4Rt1Zp";
    static final String OLD_KEY = "nb-old-key-3Fd8Ks5Nb0Yc6Wm";
    static final String PEER = "203.0.113.9";

    private NetbillingFixtures() {
    }

    /** The sample's query string: the lines of its URL after {@code ?}, joined. */
    static String sampleQuery() {
        String text = Notifications.resource(
                "samples/netbilling/netbilling_payment_form_postback__drupal_membership_provider_netbilling_README.txt");
        StringBuilder url = new StringBuilder();
        boolean inUrl = false;
        for (String line : text.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("http://")) {
                inUrl = true;
            } else if (inUrl && trimmed.isEmpty()) {
                break;
            }
            if (inUrl) {
                url.append(trimmed);
            }
        }
        return url.substring(url.indexOf("?") + 1);
    }

    static MerchantAccount account(Map<String, String> settings, MerchantAccount.Secrets secrets, List<String> ipAllowList) {
        return new MerchantAccount(UUID.fromString("6f1c5a52-3a5e-4c2e-9a7e-0d5f4d1b2c3a"), "girlfanz", "netbilling",
                List.of("USD"), settings, secrets, ipAllowList, "https://pay.example.test/hooks/netbilling/6f1c5a52");
    }

    static MerchantAccount keyed(Map<String, String> settings) {
        return account(settings, MerchantAccount.Secrets.of(Map.of("integrity_key", KEY)), null);
    }

    static MerchantAccount keyed() {
        return keyed(Map.of());
    }

    /** A GET with the query and, when {@code credentials} is not null, those Basic credentials. */
    static Notification get(String query, String credentials) {
        return get(query, credentials, PEER);
    }

    static Notification get(String query, String credentials, String peer) {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        if (credentials != null) {
            headers.add(Map.entry("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8))));
        }
        return new Notification("GET", "/hooks/netbilling/6f1c5a52", query, headers, new byte[0], peer,
                Notifications.RECEIVED);
    }

    /** The sample postback with the key as Basic password. */
    static Notification sample() {
        return get(sampleQuery(), "netbilling:" + KEY);
    }
}
