package com.fanzfinance.gateway.epoch;

import com.fanzfinance.gateway.MerchantAccount;
import com.fanzfinance.gateway.Notification;
import com.fanzfinance.gateway.testing.Notifications;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The FlexPost sample, accounts and signed postbacks for the Epoch tests. */
final class EpochFixtures {

    static final String SAMPLE = "samples/epoch/epoch_flexpost_postback_with_hmac_md5__probiller_test.txt";
    static final String KAT_KEY = "9fcc3657fa2e670746373a92f40d7448";
    static final String KAT_DIGEST = "6be0bca259de391bc6fe976fcbb6069a";
    static final String KEY = "epoch-hmac-key-T4nQ8wZ1";
    static final String OLD_KEY = "epoch-hmac-old-key-J2vX5";
    static final String PEER = "208.236.105.17";

    private EpochFixtures() {
    }

    /** The sample's payload as published, without the test harness's {@code ng*} fields. */
    static Map<String, String> samplePayload() {
        String text = Notifications.resource(SAMPLE);
        String json = text.substring(text.indexOf('{'), text.indexOf('}') + 1);
        Map<String, String> params = new LinkedHashMap<>();
        try {
            JsonNode node = new ObjectMapper().readTree(json);
            node.properties().forEach(field -> params.put(field.getKey(), field.getValue().asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        params.remove("ngSessionId");
        params.remove("ngTransactionId");
        return params;
    }

    /** The value of the sample file's last line {@code <label> = <value>} (the known answer, after the description). */
    static String sampleLine(String label) {
        String found = null;
        for (String line : Notifications.resource(SAMPLE).split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith(label + " = ")) {
                found = trimmed.substring(label.length() + 3);
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("no line " + label + " in the sample");
        }
        return found;
    }

    static MerchantAccount account() {
        return account(Map.of(), MerchantAccount.Secrets.of(Map.of("hmac_key", KEY)), null);
    }

    static MerchantAccount account(Map<String, String> settings) {
        return account(settings, MerchantAccount.Secrets.of(Map.of("hmac_key", KEY)), null);
    }

    static MerchantAccount account(Map<String, String> settings, MerchantAccount.Secrets secrets, List<String> ipAllowList) {
        return new MerchantAccount(UUID.fromString("6f1c5a52-3a5e-4c2e-9a7e-0d5f4d1b2c3a"), "girlfanz", "epoch",
                List.of("USD", "EUR"), settings, secrets, ipAllowList,
                "https://pay.example.test/hooks/epoch/6f1c5a52-3a5e-4c2e-9a7e-0d5f4d1b2c3a");
    }

    /**
     * The standard digest, computed here on the JDK: names sorted, values that PHP calls empty left out, the
     * others trimmed.
     */
    static String digest(String key, Map<String, String> params) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(params).forEach((name, value) -> {
            if (!value.isEmpty() && !value.equals("0")) {
                text.append(name).append(value.strip());
            }
        });
        return hmacMd5(key, text.toString());
    }

    static String hmacMd5(String key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacMD5"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code params} with {@code epoch_digest} as given, as a form POST. */
    static Notification post(Map<String, String> params, String digest) {
        Map<String, String> all = new LinkedHashMap<>(params);
        if (digest != null) {
            all.put("epoch_digest", digest);
        }
        return form("", encode(all), PEER);
    }

    /** A form POST with {@code query} and {@code body} from {@code peer}. */
    static Notification form(String query, String body, String peer) {
        return new Notification("POST", "/hooks/epoch/6f1c5a52", query,
                List.of(Map.entry("Content-Type", "application/x-www-form-urlencoded")),
                body.getBytes(StandardCharsets.UTF_8), peer, Notifications.RECEIVED);
    }

    /** {@code params} signed with {@code key} (standard digest), as a form POST. */
    static Notification signed(Map<String, String> params, String key) {
        return post(params, digest(key, params));
    }

    static Notification signed(Map<String, String> params) {
        return signed(params, KEY);
    }

    /** A FlexPost of an approved join. */
    static Map<String, String> join() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("ans", "Y245724UU |2354302288");
        params.put("transaction_id", "1206684681");
        params.put("member_id", "2354302288");
        params.put("trans_amount", "9.99");
        params.put("trans_currency", "EUR");
        params.put("event_datetime", "2026-12-01T11:59:30.120Z");
        params.put("x_fanz_checkout_id", "4b8e2f1a-7c3d-4e5f-9a0b-1c2d3e4f5a6b");
        return params;
    }

    /** A DataPlus row. */
    static Map<String, String> row(String type, String amount) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("ets_transaction_id", "1206684700");
        params.put("ets_member_idx", "2354302288");
        params.put("ets_transaction_date", "2026-12-01 11:59:30");
        params.put("ets_transaction_type", type);
        params.put("ets_co_code", "AB1C");
        params.put("ets_transaction_amount", amount);
        params.put("ets_ref_trans_ids", "1206684681");
        return params;
    }

    static Map<String, String> with(Map<String, String> params, String... pairs) {
        Map<String, String> changed = new LinkedHashMap<>(params);
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                changed.remove(pairs[i]);
            } else {
                changed.put(pairs[i], pairs[i + 1]);
            }
        }
        return changed;
    }

    static String encode(Map<String, String> params) {
        StringJoiner query = new StringJoiner("&");
        params.forEach((name, value) -> query.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return query.toString();
    }
}
