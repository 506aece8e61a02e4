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

    /** The test Integrity Key (the published sample's is not public). */
    static final String KEY = "nb-test-key-7Hq2Lx9Vw4Rt1Zp";
    static final String OLD_KEY = "nb-old-key-3Fd8Ks5Nb0Yc6Wm";
    /** The password of the postback URL's Basic credentials. */
    static final String PASSWORD = "nb-test-postback-5Gm1Xc8Jt3Wq";
    static final String OLD_PASSWORD = "nb-old-postback-9Rk2Dv4Hs7Lp";
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
        return account(settings, MerchantAccount.Secrets.of(Map.of("integrity_key", KEY, "basic_auth_password", PASSWORD)),
                null);
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

    /** The sample postback with its integrity hash recomputed with {@link #KEY}, and the Basic password. */
    static Notification sample() {
        return get(signedSampleQuery(KEY), "netbilling:" + PASSWORD);
    }

    /**
     * The sample's query with {@code Ecom_Ezic_Security_HashValue_MD5} replaced by the hash of its own
     * {@code Ecom_Ezic_Security_HashFields} with {@code key}, computed here with the JDK (not the driver's code).
     */
    static String signedSampleQuery(String key) {
        return resign(sampleQuery(), key);
    }

    /** {@code query} with its hash value recomputed over the fields its hash fields list. */
    static String resign(String query, String key) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        Notification.Parameters.parseForm(query).entries().forEach(entry -> fields.putIfAbsent(entry.getKey(), entry.getValue()));
        StringBuilder text = new StringBuilder(key);
        for (String name : fields.get("Ecom_Ezic_Security_HashFields").split(" ")) {
            text.append(fields.getOrDefault(name, ""));
        }
        String hash;
        try {
            hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return query.replaceAll("Ecom_Ezic_Security_HashValue_MD5=[0-9A-Fa-f]*", "Ecom_Ezic_Security_HashValue_MD5=" + hash);
    }
}
