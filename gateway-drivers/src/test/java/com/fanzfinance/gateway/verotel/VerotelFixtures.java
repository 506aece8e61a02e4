package com.fanzfinance.gateway.verotel;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.testing.Notifications;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Accounts, samples and signed postbacks for the Verotel tests. The signer here is written apart from the
 * driver's (a {@link TreeMap} and {@link MessageDigest}) so that verification is not checked against itself;
 * the known-answer test ties both to Verotel's published vector.
 */
final class VerotelFixtures {

    static final String KEY = "test-signature-key-1";
    static final String OLD_KEY = "test-signature-key-0";
    static final String SHOP = "122965";
    static final String SAMPLES = "samples/verotel/";

    private VerotelFixtures() {
    }

    static MerchantAccount account(Map<String, String> settings, MerchantAccount.Secrets secrets) {
        return Notifications.account("verotel", settings, secrets);
    }

    static MerchantAccount account() {
        return account(Map.of("shop_id", SHOP), MerchantAccount.Secrets.of(Map.of("signature_key", KEY)));
    }

    /** Hex digest of {@code key:k=v:…} over the keys in order (ASCII keys: String order is byte order). */
    static String sign(String algorithm, String key, Map<String, String> params) {
        StringBuilder text = new StringBuilder(key);
        new TreeMap<>(params).forEach((name, value) -> text.append(':').append(name).append('=').append(value));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm)
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The parameters with {@code signature} appended, URL-encoded as a query string. */
    static String query(Map<String, String> params, String signature) {
        Map<String, String> all = new LinkedHashMap<>(params);
        all.put("signature", signature);
        return encode(all);
    }

    static String encode(Map<String, String> params) {
        StringJoiner query = new StringJoiner("&");
        params.forEach((name, value) -> query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }

    /** A GET postback of {@code params} signed with SHA-256 and {@code key}. */
    static Notification postback(Map<String, String> params, String key) {
        return Notifications.get("verotel", query(params, sign("SHA-256", key, params)), "203.0.113.9");
    }

    /**
     * The parameter block of the datinglibre sample: the {@code name=value} lines after the provenance header,
     * up to the first blank line after them, in file order (including the upstream {@code signature}).
     */
    static Map<String, String> datinglibreInitial() {
        String text = Notifications.resource(SAMPLES + "verotel_flexpay_postback_initial_subscription__datinglibre_test.txt");
        Map<String, String> params = new LinkedHashMap<>();
        String[] blocks = text.split("\n\n");
        for (String line : blocks[1].split("\n")) {
            int equals = line.indexOf('=');
            params.put(line.substring(0, equals), line.substring(equals + 1));
        }
        return params;
    }

    /** The flexpay-php-client vector's parameters, as the sample lists them (without the added shopID). */
    static Map<String, String> katParams() {
        String text = katFile();
        int start = text.indexOf("params   = ") + "params   = ".length();
        int end = text.indexOf("(+ shopID=68849 added)");
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : text.substring(start, end).replaceAll("\\s*\\n\\s*", " ").trim().split(", ")) {
            int equals = pair.indexOf('=');
            params.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
        }
        return params;
    }

    /** The vector's signed text ({@code string = …} line) exactly as the sample gives it. */
    static String katSignedText() {
        String text = katFile();
        int start = text.indexOf("string   = ") + "string   = ".length();
        return text.substring(start, text.indexOf('\n', start));
    }

    private static String katFile() {
        return Notifications.resource(SAMPLES + "verotel_flexpay_signature_test_vector__flexpay-php-client.txt");
    }
}
